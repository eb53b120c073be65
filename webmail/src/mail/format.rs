//! Dates and sizes as a French reader expects them: "12 mars 2026 à 10:30" in metropolitan French
//! time, "1,2 Mo".

use health::french::{month_name, paris};

/// "12 mars 2026 à 10:30".
pub fn date_fr(ts: i64) -> String {
    match paris(ts) {
        Some(t) => format!(
            "{} {} {} à {:02}:{:02}",
            t.day(),
            month_name(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        ),
        None => String::new(),
    }
}

/// Short form for lists: "10:30" today, else "12 mars" this year, else "12/03/2025".
pub fn date_short_fr(ts: i64, now: i64) -> String {
    let (Some(t), Some(n)) = (paris(ts), paris(now)) else {
        return String::new();
    };
    if t.date() == n.date() {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else if t.year() == n.year() {
        format!("{} {}", t.day(), month_name(t.month()))
    } else {
        format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year())
    }
}

/// "512 octets", "12 Ko", "1,2 Mo".
pub fn size_fr(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} octets")
    } else if bytes < 1024 * 1024 {
        format!("{} Ko", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        format!("{},{} Mo", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates() {
        // 2026-03-03 10:00 UTC is 11:00 in Paris (winter time).
        assert_eq!(date_fr(1_772_532_000), "3 mars 2026 à 11:00");
        // 2026-07-14 10:00 UTC is 12:00 in Paris (summer time).
        assert_eq!(date_fr(1_784_023_200), "14 juillet 2026 à 12:00");
        assert_eq!(date_short_fr(1_772_532_000, 1_772_532_000 + 60), "11:00");
        assert_eq!(date_short_fr(1_772_532_000, 1_784_023_200), "3 mars");
        assert_eq!(date_short_fr(1_772_532_000, 1_900_000_000), "03/03/2026");
    }

    #[test]
    fn french_sizes() {
        assert_eq!(size_fr(512), "512 octets");
        assert_eq!(size_fr(12 * 1024), "12 Ko");
        assert_eq!(size_fr(1_258_291), "1,2 Mo");
    }
}
