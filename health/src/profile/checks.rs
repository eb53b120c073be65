//! The checks of single fields behind [`super::validate`]: dates (`JJ/MM/AAAA` or ISO), bounded
//! texts, closed choices, phone numbers, yes/no. Each pushes its French message, naming the
//! field, into the form's errors and gives back what it could read.

use time::{Date, Month};

use super::section::{Choice, Field};
use super::validate::FieldErrors;

/// Dates before this year are typing mistakes.
const MIN_YEAR: i32 = 1900;

/// A date typed as `JJ/MM/AAAA` (also `J/M/AAAA`, `JJ-MM-AAAA`, `JJ.MM.AAAA`) or ISO
/// `AAAA-MM-JJ`. `None` when it is not a real calendar date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(|p| all_digits(p)) {
        return None;
    }
    let (y, m, d) = if a.len() == 4 && s.contains('-') {
        (*a, *b, *c)
    } else if c.len() == 4 {
        (*c, *b, *a)
    } else {
        return None;
    };
    if m.len() > 2 || d.len() > 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// ISO form of a date, as stored.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `JJ/MM/AAAA` from a stored ISO date (what the forms show back).
pub fn french_date(iso_date: &str) -> String {
    match parse_date(iso_date) {
        Some(d) => format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year()),
        None => iso_date.to_string(),
    }
}

pub(super) fn text(
    errors: &mut FieldErrors,
    field: Field,
    label: &str,
    raw: &str,
    max: usize,
    required: bool,
) -> String {
    let v = raw.trim();
    if required && v.is_empty() {
        errors.add(field, format!("Le champ « {label} » est obligatoire."));
    } else if v.chars().count() > max {
        errors.add(
            field,
            format!("Le champ « {label} » ne doit pas dépasser {max} caractères."),
        );
    } else if v
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(
            field,
            format!("Le champ « {label} » contient des caractères invalides."),
        );
    }
    v.to_string()
}

pub(super) fn choice<C: Choice>(
    errors: &mut FieldErrors,
    field: Field,
    label: &str,
    raw: &str,
    required: bool,
) -> Option<C> {
    let v = raw.trim();
    if v.is_empty() {
        if required {
            errors.add(field, format!("Choisissez « {label} »."));
        }
        return None;
    }
    let c = C::from_slug(v);
    if c.is_none() {
        errors.add(
            field,
            format!("La valeur de « {label} » n'est pas reconnue."),
        );
    }
    c
}

/// `start`: "La date de début", for the messages.
pub(super) fn date(
    errors: &mut FieldErrors,
    field: Field,
    the: &str,
    raw: &str,
    today: Date,
    future_ok: bool,
) -> Option<Date> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    let Some(d) = parse_date(v) else {
        errors.add(field, format!("{the} doit être au format JJ/MM/AAAA."));
        return None;
    };
    if d.year() < MIN_YEAR {
        errors.add(field, format!("{the} est trop ancienne."));
        None
    } else if !future_ok && d > today {
        errors.add(field, format!("{the} ne peut pas être dans le futur."));
        None
    } else {
        Some(d)
    }
}

pub(super) fn phone(errors: &mut FieldErrors, raw: &str) -> String {
    let v = raw.trim();
    if v.is_empty() {
        return String::new();
    }
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_digit() || " .-+()".contains(c));
    if !allowed || !(6..=15).contains(&digits.len()) {
        errors.add(
            Field::Phone,
            "Le numéro de téléphone n'est pas valide (par exemple 06 12 34 56 78).",
        );
    }
    v.to_string()
}

pub(super) fn consent(errors: &mut FieldErrors, raw: &str, required: bool) -> Option<bool> {
    match raw.trim() {
        "oui" | "true" => Some(true),
        "non" | "false" => Some(false),
        "" if !required => None,
        "" => {
            errors.add(Field::Consent, "Indiquez oui ou non.");
            None
        }
        _ => {
            errors.add(Field::Consent, "La réponse doit être oui ou non.");
            None
        }
    }
}
