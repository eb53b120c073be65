//! Measures of the medical profile: blood pressure, glucose, heart rate, pain, weight, height,
//! temperature. One table of kinds ([`kinds::KINDS`]: unit, plausible range, decimals), pure
//! validation ([`validate::validate`]) with French messages, storage on `store::Db`
//! ([`add`], [`delete`], [`list`], [`latest_by_kind`]) and the evolution chart drawn server-side
//! as SVG ([`chart_svg`]) so it shows without JavaScript.
//!
//! Values are stored in one unit per kind (glycémie in g/L; mmol/L and mg/dL are converted on
//! entry) as integer hundredths, so the history and its chart always compare like with like.

// Values in hundredths are written `37_50` (37,50 °C) throughout: the underscore marks the
// decimal comma, which the grouping lint cannot know.
#![allow(clippy::inconsistent_digit_grouping)]

pub mod chart;
pub mod kinds;
pub mod number;
mod storage;
pub mod validate;

use serde::{Serialize, Serializer};
use time::Date;

use crate::Author;

pub use chart::chart_svg;
pub use kinds::{KINDS, Kind, KindSpec};
pub use storage::{add, add_valid, delete, get, latest_by_kind, list};
pub use validate::{FieldError, NewMeasure, ValidMeasure, latest_today, validate};

/// A stored measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub id: i64,
    pub kind: Kind,
    /// The value (systolic pressure for blood pressure) in the kind's unit.
    pub value: f64,
    /// The diastolic pressure, for blood pressure.
    pub value2: Option<f64>,
    pub unit: &'static str,
    #[serde(skip)]
    pub value_centi: i64,
    #[serde(skip)]
    pub value2_centi: Option<i64>,
    /// The day it was taken.
    #[serde(serialize_with = "iso_date")]
    pub date: Date,
    /// "HH:MM" when given.
    pub time: Option<String>,
    pub note: Option<String>,
    /// Who entered it: the citizen, a parent, or the médecin traitant.
    pub author: Author,
    /// When it was entered (Unix seconds).
    pub created_at: i64,
}

fn iso_date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&date_iso(*d))
}

/// "2026-03-12".
pub fn date_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// "12 mars 2026" ("1er mars 2026" on the first, as French writes it).
pub fn date_fr(d: Date) -> String {
    crate::french::date_fr(d)
}

/// "12/03": the short form under a chart's axis.
pub fn date_short(d: Date) -> String {
    format!("{:02}/{:02}", d.day(), u8::from(d.month()))
}

/// "125/80 mmHg", "37,5 °C", "3/10": a value with its unit the French way (non-breaking space
/// before the unit so it never wraps alone onto the next line).
pub fn format_value(kind: Kind, value_centi: i64, value2_centi: Option<i64>) -> String {
    let mut text = number::format_centi(value_centi);
    if let Some(v2) = value2_centi {
        text.push('/');
        text.push_str(&number::format_centi(v2));
    }
    let unit = kind.unit();
    if unit.starts_with('/') {
        text.push_str(unit);
    } else {
        text.push('\u{a0}');
        text.push_str(unit);
    }
    text
}

impl Measure {
    /// "125/80 mmHg", "37,5 °C", "1,05 g/L", "3/10".
    pub fn display_value(&self) -> String {
        format_value(self.kind, self.value_centi, self.value2_centi)
    }

    /// "12 mars 2026 à 08:30" or "12 mars 2026".
    pub fn display_date(&self) -> String {
        match &self.time {
            Some(t) => format!("{} à {t}", date_fr(self.date)),
            None => date_fr(self.date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_display_with_their_unit() {
        let cases: [(Kind, i64, Option<i64>, &str); 6] = [
            (Kind::Tension, 125_00, Some(80_00), "125/80\u{a0}mmHg"),
            (Kind::Temperature, 37_50, None, "37,5\u{a0}°C"),
            (Kind::Glycemie, 1_05, None, "1,05\u{a0}g/L"),
            (Kind::Douleur, 3_00, None, "3/10"),
            (Kind::Poids, 72_50, None, "72,5\u{a0}kg"),
            (Kind::FrequenceCardiaque, 72_00, None, "72\u{a0}bpm"),
        ];
        for (kind, v, v2, want) in cases {
            assert_eq!(format_value(kind, v, v2), want);
        }
    }

    #[test]
    fn dates_in_french() {
        let d = Date::from_calendar_date(2026, time::Month::March, 12).expect("date");
        assert_eq!(date_fr(d), "12 mars 2026");
        assert_eq!(date_iso(d), "2026-03-12");
        assert_eq!(date_short(d), "12/03");
        let first = Date::from_calendar_date(2026, time::Month::August, 1).expect("date");
        assert_eq!(date_fr(first), "1er août 2026");
    }
}
