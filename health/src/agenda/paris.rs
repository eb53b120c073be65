//! Europe/Paris wall-clock time. The citizen types and reads appointment times in Paris time; the
//! database keeps the UTC instant (Unix seconds). The EU rule (directive 2000/84/EC) is enough for
//! metropolitan France: summer time (UTC+2) from the last Sunday of March, 01:00 UTC, to the last
//! Sunday of October, 01:00 UTC; UTC+1 otherwise. No time-zone database is needed for that, and
//! the webmail's mail dates use the same rule (`webmail::mail::format`).

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

pub use crate::french::offset_at;

/// The Paris wall-clock date and time of the instant `ts`.
pub fn local(ts: i64) -> Option<PrimitiveDateTime> {
    let utc = OffsetDateTime::from_unix_timestamp(ts).ok()?;
    let t = utc.to_offset(offset_at(ts));
    Some(PrimitiveDateTime::new(t.date(), t.time()))
}

/// Today's date in Paris at the instant `now`.
pub fn today(now: i64) -> Option<Date> {
    local(now).map(|t| t.date())
}

/// The instant of a Paris wall-clock time. `None` for a time that does not exist (the hour
/// skipped when summer time starts). A time that happens twice (the hour repeated in October) is
/// the first one, in summer time: a citizen who books "2 h 30" that night means the first.
pub fn to_utc(date: Date, time: Time) -> Option<i64> {
    let wall = PrimitiveDateTime::new(date, time);
    [2, 1].into_iter().find_map(|h| {
        let off = UtcOffset::from_hms(h, 0, 0).ok()?;
        let ts = wall.assume_offset(off).unix_timestamp();
        (offset_at(ts) == off).then_some(ts)
    })
}

/// "14 h 30", "9 h" (French typography: no leading zero, minutes only when there are some).
pub fn time_fr(t: Time) -> String {
    if t.minute() == 0 {
        format!("{} h", t.hour())
    } else {
        format!("{} h {:02}", t.hour(), t.minute())
    }
}

/// "3 mars 2026" ("1er mars" on the first).
pub fn date_fr(d: Date) -> String {
    crate::french::date_fr(d)
}

/// "mardi 3 mars 2026".
pub fn long_date_fr(d: Date) -> String {
    format!(
        "{} {}",
        WEEKDAYS[usize::from(d.weekday().number_days_from_monday())],
        date_fr(d)
    )
}

/// "mardi 3 mars 2026 à 14 h 30" for the instant `ts`, in Paris time.
pub fn datetime_fr(ts: i64) -> String {
    match local(ts) {
        Some(t) => format!("{} à {}", long_date_fr(t.date()), time_fr(t.time())),
        None => String::new(),
    }
}

/// When, relative to `now`, as a reminder says it: "aujourd'hui à 14 h 30", "demain à 9 h",
/// "le 3 mars à 14 h 30".
pub fn relative_fr(ts: i64, now: i64) -> String {
    let (Some(t), Some(today)) = (local(ts), today(now)) else {
        return String::new();
    };
    let at = time_fr(t.time());
    if t.date() == today {
        format!("aujourd’hui à {at}")
    } else if today.next_day() == Some(t.date()) {
        format!("demain à {at}")
    } else {
        format!(
            "le {} {} à {at}",
            t.day(),
            crate::french::month_name(t.month())
        )
    }
}

/// "2026-03-03" and "14:30", the values of the HTML date and time inputs.
pub fn form_values(ts: i64) -> (String, String) {
    match local(ts) {
        Some(t) => (
            format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
            format!("{:02}:{:02}", t.hour(), t.minute()),
        ),
        None => (String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, time};

    use super::*;

    #[test]
    fn wall_clock_to_instant_and_back() {
        let cases = [
            // (date, time, UTC instant)
            (date!(2026 - 03 - 03), time!(14:30), 1_772_544_600), // winter: 13:30 UTC
            (date!(2026 - 07 - 14), time!(12:00), 1_784_023_200), // summer: 10:00 UTC
            // 29 March 2026: 01:59 is still winter time, 03:00 already summer time.
            (date!(2026 - 03 - 29), time!(01:59), 1_774_745_940),
            (date!(2026 - 03 - 29), time!(03:00), 1_774_746_000),
            // 25 October 2026: 02:30 happens twice; the first (summer) one is kept.
            (date!(2026 - 10 - 25), time!(02:30), 1_792_888_200),
            (date!(2026 - 10 - 25), time!(03:00), 1_792_893_600),
        ];
        for (d, t, want) in cases {
            assert_eq!(to_utc(d, t), Some(want), "{d} {t}");
            let back = local(want).expect("local");
            assert_eq!((back.date(), back.time()), (d, t), "{want}");
        }
        // 02:30 does not exist on 29 March 2026.
        assert_eq!(to_utc(date!(2026 - 03 - 29), time!(02:30)), None);
    }

    #[test]
    fn french_wording() {
        let ts = to_utc(date!(2026 - 03 - 03), time!(14:30)).expect("ts");
        assert_eq!(datetime_fr(ts), "mardi 3 mars 2026 à 14 h 30");
        let nine = to_utc(date!(2026 - 03 - 04), time!(09:00)).expect("ts");
        assert_eq!(relative_fr(nine, ts), "demain à 9 h");
        assert_eq!(relative_fr(ts, ts - 3600), "aujourd’hui à 14 h 30");
        assert_eq!(relative_fr(nine + 86_400 * 5, ts), "le 9 mars à 9 h");
        // Just after midnight in Paris (23:30 UTC in winter) is already "tomorrow's" date.
        let late = to_utc(date!(2026 - 03 - 03), time!(23:30)).expect("ts");
        assert_eq!(relative_fr(nine, late), "demain à 9 h");
        assert_eq!(
            form_values(ts),
            ("2026-03-03".to_string(), "14:30".to_string())
        );
    }
}
