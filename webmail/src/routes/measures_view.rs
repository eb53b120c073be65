//! What the measures pages show: one card per kind, one row per measure, the add form's state
//! (values kept and messages beside the fields after a refusal).

use health::AuthorKind;
use health::measures::validate::range_hint;
use health::measures::{FieldError, Kind, Measure, NewMeasure, chart::chart_alt};

/// One kind on the overview, and the head of its own page.
pub struct KindCard {
    pub slug: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub count: usize,
    /// "37,5 °C" and "12 mars 2026 à 08:30" of the latest measure.
    pub latest: Option<(String, String)>,
    /// From two measures on there is a curve to draw.
    pub has_chart: bool,
    /// The chart's alternative text: what it shows, in words.
    pub alt: String,
    /// Blood pressure: two values.
    pub has_second: bool,
    /// "Entre 32 et 43,5 °C.": the plausible range, shown under the field.
    pub range: String,
    pub range2: String,
    /// The units offered in the form (the kind's own first); one means no choice.
    pub units: Vec<&'static str>,
}

impl KindCard {
    /// `history` oldest first.
    pub fn of(kind: Kind, history: &[Measure]) -> KindCard {
        let spec = kind.spec();
        let mut units = vec![spec.unit];
        units.extend(spec.other_units.iter().map(|o| o.unit));
        KindCard {
            slug: kind.slug(),
            label: kind.label(),
            unit: kind.unit(),
            count: history.len(),
            latest: history
                .last()
                .map(|m| (m.display_value(), m.display_date())),
            has_chart: history.len() >= 2,
            alt: chart_alt(kind, history),
            has_second: kind.has_second_value(),
            range: range_hint(spec, &spec.first),
            range2: spec
                .second
                .map(|b| range_hint(spec, &b))
                .unwrap_or_default(),
            units,
        }
    }
}

/// One line of a kind's history.
pub struct MeasureRow {
    pub id: i64,
    pub date: String,
    pub value: String,
    pub note: String,
    pub author: String,
}

impl MeasureRow {
    /// `child`: the name of the child whose profile this is, when a parent acts for them.
    pub fn of(m: &Measure, child: Option<&str>) -> MeasureRow {
        let author = match m.author.kind {
            AuthorKind::Patient => child.unwrap_or("Vous").to_string(),
            AuthorKind::Guardian if m.author.name.trim().is_empty() => {
                "Un représentant légal".to_string()
            }
            AuthorKind::Guardian => format!("{} (représentant légal)", m.author.name),
            AuthorKind::Professional if m.author.name.trim().is_empty() => {
                "Le médecin traitant".to_string()
            }
            AuthorKind::Professional => format!("{} (médecin traitant)", m.author.name),
        };
        MeasureRow {
            id: m.id,
            date: m.display_date(),
            value: m.display_value(),
            note: m.note.clone().unwrap_or_default(),
            author,
        }
    }
}

/// The add form: values to show in the fields, messages to show beside them.
pub struct FormState {
    pub value: String,
    pub value2: String,
    pub unit: String,
    pub date: String,
    pub time: String,
    pub note: String,
    /// The latest date the date field offers (today in France).
    pub max_date: String,
    pub errors: Vec<FieldError>,
}

impl FormState {
    /// A fresh form for `kind`, dated today.
    pub fn empty(kind: Kind, now: i64) -> FormState {
        let today = paris_today(now);
        FormState {
            value: String::new(),
            value2: String::new(),
            unit: kind.unit().to_string(),
            date: today.clone(),
            time: String::new(),
            note: String::new(),
            max_date: today,
            errors: Vec::new(),
        }
    }

    /// The form as posted, with its messages.
    pub fn refused(kind: Kind, m: &NewMeasure, errors: Vec<FieldError>, now: i64) -> FormState {
        let unit = if m.unit.trim().is_empty() {
            kind.unit().to_string()
        } else {
            m.unit.trim().to_string()
        };
        FormState {
            value: m.value.clone(),
            value2: m.value2.clone(),
            unit,
            date: m.date.clone(),
            time: m.time.clone(),
            note: m.note.clone(),
            max_date: paris_today(now),
            errors,
        }
    }

    /// The message for `field`, if refused.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The messages of fields the form does not show (kind), for the summary at the top.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Today in metropolitan France as YYYY-MM-DD, for the date field's default and maximum (the
/// check of future dates is in `health::measures::validate`).
fn paris_today(now: i64) -> String {
    let local = health::french::paris(now).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    health::measures::date_iso(local.date())
}
