//! French dates and Paris time, one place for the whole citizen front (profile, measures,
//! synthesis, agenda, and the webmail's mail dates).
//!
//! Paris time without a time-zone database: the EU rule (directive 2000/84/EC) is enough for
//! metropolitan France — summer time (UTC+2) from the last Sunday of March, 01:00 UTC, to the last
//! Sunday of October, 01:00 UTC; UTC+1 otherwise.

use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mars".
pub fn month_name(m: Month) -> &'static str {
    MONTHS[usize::from(u8::from(m)) - 1]
}

/// "12 mars 2026"; "1er mars 2026" on the first, as French writes it.
pub fn date_fr(d: Date) -> String {
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{day} {} {}", month_name(d.month()), d.year())
}

/// Last Sunday of `month` in `year`, at 01:00 UTC, as Unix seconds.
fn last_sunday_1h_utc(year: i32, month: Month) -> Option<i64> {
    let first_of_next = match month {
        Month::December => Date::from_calendar_date(year + 1, Month::January, 1).ok()?,
        _ => Date::from_calendar_date(year, month.next(), 1).ok()?,
    };
    let mut d = first_of_next.previous_day()?;
    while d.weekday() != Weekday::Sunday {
        d = d.previous_day()?;
    }
    Some(d.with_hms(1, 0, 0).ok()?.assume_utc().unix_timestamp())
}

/// Paris's offset from UTC at the instant `ts` (Unix seconds).
pub fn offset_at(ts: i64) -> UtcOffset {
    let summer = OffsetDateTime::from_unix_timestamp(ts).is_ok_and(|utc| {
        let year = utc.year();
        match (
            last_sunday_1h_utc(year, Month::March),
            last_sunday_1h_utc(year, Month::October),
        ) {
            (Some(start), Some(end)) => ts >= start && ts < end,
            _ => false,
        }
    });
    UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The instant `ts` in Paris time.
pub fn paris(ts: i64) -> Option<OffsetDateTime> {
    Some(
        OffsetDateTime::from_unix_timestamp(ts)
            .ok()?
            .to_offset(offset_at(ts)),
    )
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn french_dates() {
        let cases = [
            (date!(2026 - 03 - 01), "1er mars 2026"),
            (date!(2026 - 08 - 15), "15 août 2026"),
            (date!(1980 - 12 - 31), "31 décembre 1980"),
        ];
        for (d, want) in cases {
            assert_eq!(date_fr(d), want);
        }
    }

    #[test]
    fn paris_offset_follows_the_eu_rule() {
        let cases = [
            (1_772_544_600, 1), // 2026-03-03 13:30 UTC: winter
            (1_774_746_000, 2), // 2026-03-29 01:00 UTC: summer time starts
            (1_774_745_999, 1), // one second before
            (1_792_890_000, 1), // 2026-10-25 01:00 UTC: back to winter
            (1_792_889_999, 2),
        ];
        for (ts, hours) in cases {
            assert_eq!(offset_at(ts).whole_hours(), hours, "{ts}");
        }
    }
}
