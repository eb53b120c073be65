//! Checking a measure as posted by the webmail form or the professional API: pure functions,
//! French messages naming the field and the allowed range.

use serde::{Deserialize, Deserializer};
use time::{Date, Month, OffsetDateTime};

use super::kinds::{Bounds, Kind, KindSpec};
use super::number::{NumberError, format_centi, parse_decimal, parse_whole, to_centi};

/// Longest note kept with a measure ("après le repas", "au réveil, avant le traitement").
pub const NOTE_MAX_CHARS: usize = 500;

/// A measure as posted: every field is text (a form posts text; the JSON API may send numbers,
/// which are read as their text). Empty means "not given".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewMeasure {
    #[serde(default, deserialize_with = "lenient_text")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient_text")]
    pub value: String,
    /// The diastolic pressure (blood pressure only).
    #[serde(default, deserialize_with = "lenient_text")]
    pub value2: String,
    /// The kind's unit, or one converted on entry (glycémie in mmol/L or mg/dL, taille in m).
    #[serde(default, deserialize_with = "lenient_text")]
    pub unit: String,
    /// YYYY-MM-DD (what `<input type="date">` posts); DD/MM/YYYY is accepted too.
    #[serde(default, deserialize_with = "lenient_text")]
    pub date: String,
    /// HH:MM, optional.
    #[serde(default, deserialize_with = "lenient_text")]
    pub time: String,
    #[serde(default, deserialize_with = "lenient_text")]
    pub note: String,
}

/// Reads a JSON string, number or null (or a form field) as text.
fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        I(i64),
        F(f64),
    }
    Ok(match Option::<Text>::deserialize(d)? {
        None => String::new(),
        Some(Text::S(s)) => s,
        Some(Text::I(i)) => i.to_string(),
        Some(Text::F(f)) => f.to_string(),
    })
}

/// A refused field and the sentence to show next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field: kind, value, value2, unit, date, time, note.
    pub field: &'static str,
    pub message: String,
}

/// A checked measure, in the kind's unit, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMeasure {
    pub kind: Kind,
    pub value_centi: i64,
    pub value2_centi: Option<i64>,
    pub date: Date,
    /// "HH:MM".
    pub time: Option<String>,
    pub note: Option<String>,
}

/// The latest calendar day it can be anywhere in France right now: Wallis-et-Futuna is UTC+12.
/// A measure dated after it is in the future for every citizen; being lenient by a few hours in
/// metropolitan France is better than refusing a measure taken just after midnight overseas.
pub fn latest_today() -> Date {
    (OffsetDateTime::now_utc() + time::Duration::hours(12)).date()
}

/// Checks every field and returns all the errors at once (the form shows each beside its field).
pub fn validate(m: &NewMeasure, today: Date) -> Result<ValidMeasure, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &'static str, message: String| errors.push(FieldError { field, message });

    let kind = Kind::parse(m.kind.trim());
    let (mut value_centi, mut value2_centi, mut date, mut time, mut note) =
        (None, None, None, None, None);

    if let Some(kind) = kind {
        let spec = kind.spec();
        match unit_factor(spec, &m.unit) {
            Ok(factor) => {
                match value(spec, &spec.first, &m.value, factor) {
                    Ok(v) => value_centi = Some(v),
                    Err(e) => err("value", e),
                }
                match (&spec.second, m.value2.trim()) {
                    (Some(second), text) => match value(spec, second, text, factor) {
                        Ok(v) => value2_centi = Some(v),
                        Err(e) => err("value2", e),
                    },
                    (None, "") => {}
                    (None, _) => err(
                        "value2",
                        "Seule la tension artérielle a une seconde valeur.".into(),
                    ),
                }
            }
            Err(e) => err("unit", e),
        }
        if let (Some(sys), Some(dia)) = (value_centi, value2_centi)
            && sys <= dia
        {
            err(
                "value2",
                "La tension diastolique (le second chiffre) doit être inférieure à la tension \
                 systolique (le premier chiffre)."
                    .into(),
            );
        }
    } else {
        err("kind", "Choisissez le type de mesure.".into());
    }

    match parse_date(&m.date, today) {
        Ok(d) => date = Some(d),
        Err(e) => err("date", e),
    }
    match parse_time(&m.time) {
        Ok(t) => time = Some(t),
        Err(e) => err("time", e),
    }
    match parse_note(&m.note) {
        Ok(n) => note = Some(n),
        Err(e) => err("note", e),
    }

    match (kind, value_centi, date, time, note) {
        (Some(kind), Some(value_centi), Some(date), Some(time), Some(note))
            if errors.is_empty() =>
        {
            Ok(ValidMeasure {
                kind,
                value_centi,
                value2_centi,
                date,
                time,
                note,
            })
        }
        _ => Err(errors),
    }
}

/// The factor from the given unit to the kind's own (1 when none is given).
fn unit_factor(spec: &KindSpec, given: &str) -> Result<f64, String> {
    // "mm Hg", "MMHG", "°c" are the same unit written differently.
    let norm = |s: &str| s.replace(' ', "").to_lowercase();
    let given = norm(given);
    if given.is_empty() || given == norm(spec.unit) {
        return Ok(1.0);
    }
    if let Some(other) = spec.other_units.iter().find(|o| norm(o.unit) == given) {
        return Ok(other.factor);
    }
    let mut units: Vec<&str> = vec![spec.unit];
    units.extend(spec.other_units.iter().map(|o| o.unit));
    let list = match units.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} ou {last}", rest.join(", ")),
        None => String::new(),
    };
    let of = match spec.kind {
        Kind::Tension => "de la tension artérielle".to_string(),
        _ => of_subject(spec.first.subject),
    };
    Err(format!("L’unité {of} doit être {list}."))
}

/// "La température doit être comprise entre 32 et 43,5 °C."
pub fn range_sentence(spec: &KindSpec, bounds: &Bounds) -> String {
    let whole = if spec.integer_only {
        " un nombre entier"
    } else {
        ""
    };
    let (min, max) = (
        format_centi(bounds.min_centi),
        format_centi(bounds.max_centi),
    );
    let agreed = if bounds.feminine {
        "comprise"
    } else {
        "compris"
    };
    let unit = if spec.unit.starts_with('/') {
        String::new()
    } else {
        format!(" {}", spec.unit)
    };
    format!(
        "{} doit être{whole} {agreed} entre {min} et {max}{unit}.",
        capitalize(bounds.subject)
    )
}

/// "Entre 32 et 43,5 °C.": the range under a form's field, before anything is typed.
pub fn range_hint(spec: &KindSpec, bounds: &Bounds) -> String {
    let (min, max) = (
        format_centi(bounds.min_centi),
        format_centi(bounds.max_centi),
    );
    if spec.integer_only {
        return format!("Un nombre entier de {min} (aucune douleur) à {max} (la pire imaginable).");
    }
    format!("Entre {min} et {max} {}.", spec.unit)
}

fn value(spec: &KindSpec, bounds: &Bounds, text: &str, factor: f64) -> Result<i64, String> {
    let parsed = if spec.integer_only {
        parse_whole(text)
    } else {
        parse_decimal(text)
    };
    let v = match parsed {
        Ok(v) => v,
        Err(NumberError::Empty) => return Err(format!("Indiquez {}.", bounds.subject)),
        Err(NumberError::NotANumber) => {
            return Err(format!(
                "{} doit être un nombre, par exemple {}.",
                capitalize(bounds.subject),
                bounds.example
            ));
        }
        Err(NumberError::NotWhole) => return Err(range_sentence(spec, bounds)),
    };
    let centi = to_centi(v * factor, spec.decimals);
    if centi < bounds.min_centi || centi > bounds.max_centi {
        return Err(range_sentence(spec, bounds));
    }
    Ok(centi)
}

/// "du poids", "de la température": French contracts "de le" into "du".
fn of_subject(subject: &str) -> String {
    match subject.strip_prefix("le ") {
        Some(rest) => format!("du {rest}"),
        None => format!("de {subject}"),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The earliest date accepted: older entries are typing mistakes ("1026" for "2026").
const EARLIEST_YEAR: i32 = 1900;

fn parse_date(text: &str, today: Date) -> Result<Date, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Indiquez la date de la mesure.".into());
    }
    let bad = || "La date doit être au format JJ/MM/AAAA, par exemple 12/03/2026.".to_string();
    let parts: Vec<&str> = if t.contains('-') {
        t.split('-').collect()
    } else {
        let mut p: Vec<&str> = t.split('/').collect();
        p.reverse();
        p
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return Err(bad());
    };
    let month = Month::try_from(m).map_err(|_| bad())?;
    let date = Date::from_calendar_date(y, month, d)
        .map_err(|_| "Cette date n’existe pas dans le calendrier.".to_string())?;
    if date > today {
        return Err("La date de la mesure ne peut pas être dans le futur.".into());
    }
    if y < EARLIEST_YEAR {
        return Err(format!(
            "La date de la mesure doit être postérieure au 1er janvier {EARLIEST_YEAR}."
        ));
    }
    Ok(date)
}

fn parse_time(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || "L’heure doit être au format HH:MM, par exemple 08:30.".to_string();
    // "8h30" is how many French people write it.
    let (h, m) = t.split_once([':', 'h', 'H']).ok_or_else(bad)?;
    let m = if m.is_empty() { "0" } else { m };
    let ok_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|c| c.is_ascii_digit());
    if !ok_digits(h) || !ok_digits(m) {
        return Err(bad());
    }
    let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.parse::<u8>()) else {
        return Err(bad());
    };
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(Some(format!("{h:02}:{m:02}")))
}

fn parse_note(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > NOTE_MAX_CHARS {
        return Err(format!(
            "La note ne doit pas dépasser {NOTE_MAX_CHARS} caractères."
        ));
    }
    // Line breaks are kept (a textarea); other control characters are dropped, they only
    // come from pasted binary garbage and would upset the PDF and the logs of a reader.
    Ok(Some(
        t.chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect(),
    ))
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
