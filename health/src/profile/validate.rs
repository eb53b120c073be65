//! Checking what a citizen typed (or a professional sent) before it becomes an entry. Pure
//! functions: [`validate`] takes the raw strings of [`EntryForm`] and today's date, and gives
//! either a clean [`EntryData`] or the French messages, each naming its field, so the page can
//! show them beside the fields and keep what was typed.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::section::{Choice, EntourageKind, Field, Relation, Section, Severity, Status};

/// The longest title, short fields and notes (characters).
pub const MAX_TITLE: usize = 200;
pub const MAX_SHORT: usize = 100;
pub const MAX_NOTES: usize = 2000;
/// Dates before this year are typing mistakes.
const MIN_YEAR: i32 = 1900;

/// What a form or the API sends, as typed. Every field is optional here; [`validate`] decides
/// what the section requires. Dates are `JJ/MM/AAAA` (or ISO `AAAA-MM-JJ`, as the API sends).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub kind: String,
    pub title: String,
    pub start_date: String,
    pub end_date: String,
    pub status: String,
    pub dose: String,
    pub frequency: String,
    pub reaction: String,
    pub severity: String,
    pub dose_number: String,
    pub lot: String,
    pub relation: String,
    pub place: String,
    pub phone: String,
    pub role: String,
    /// "oui" or "non" (the API may send "true"/"false").
    pub consent: String,
    pub notes: String,
}

/// An entry's content once checked. Texts are trimmed (empty when not given); dates are ISO
/// `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntryData {
    pub kind: Option<EntourageKind>,
    pub title: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<Status>,
    pub dose: String,
    pub frequency: String,
    pub reaction: String,
    pub severity: Option<Severity>,
    pub dose_number: Option<i64>,
    pub lot: String,
    pub relation: Option<Relation>,
    pub place: String,
    pub phone: String,
    pub role: String,
    pub consent: Option<bool>,
    pub notes: String,
}

/// One problem, on one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// All the problems of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    fn add(&mut self, field: Field, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.key(),
            message: message.into(),
        });
    }
    /// The message for a field, if it has one (the first).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// All messages in one sentence list (for the API and the logs-free error page).
    pub fn joined(&self) -> String {
        self.0
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl From<FieldErrors> for crate::HealthError {
    fn from(e: FieldErrors) -> Self {
        crate::HealthError::Invalid(e.joined())
    }
}

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

fn text(
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

fn choice<C: Choice>(
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
fn date(
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

fn phone(errors: &mut FieldErrors, raw: &str) -> String {
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

fn consent(errors: &mut FieldErrors, raw: &str, required: bool) -> Option<bool> {
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

/// Checks `form` for `section` (fields the section does not ask for are ignored and left
/// empty) with `today` as the limit of past dates.
pub fn validate(section: Section, form: &EntryForm, today: Date) -> Result<EntryData, FieldErrors> {
    let mut e = FieldErrors::default();
    let mut out = EntryData::default();
    let has = |f| section.has(f);

    if has(Field::Kind) {
        out.kind = choice(&mut e, Field::Kind, "Type", &form.kind, true);
    }
    // A person needs a name; the other entourage kinds may be described by their notes alone.
    let title_required = section != Section::Entourage || out.kind == Some(EntourageKind::Person);
    out.title = text(
        &mut e,
        Field::Title,
        section.title_label(),
        &form.title,
        MAX_TITLE,
        title_required,
    );
    if has(Field::StartDate) {
        let the = match section {
            Section::Diseases | Section::Treatments => "La date de début",
            Section::Hospitalisations => "La date d'entrée",
            Section::Vaccinations => "La date de l'injection",
            Section::Allergies => "La date de découverte",
            Section::Entourage => "La date de rédaction",
            _ => "La date",
        };
        let d = date(
            &mut e,
            Field::StartDate,
            the,
            &form.start_date,
            today,
            false,
        );
        if section == Section::Vaccinations && form.start_date.trim().is_empty() {
            e.add(Field::StartDate, "La date de l'injection est obligatoire.");
        }
        out.start_date = d.map(iso);
    }
    if has(Field::EndDate) {
        // A treatment may have a planned end; a disease or a stay ends in the past.
        let future_ok = section == Section::Treatments;
        let the = if section == Section::Hospitalisations {
            "La date de sortie"
        } else {
            "La date de fin"
        };
        let end = date(
            &mut e,
            Field::EndDate,
            the,
            &form.end_date,
            today,
            future_ok,
        );
        if let (Some(end), Some(start)) = (end, out.start_date.as_deref().and_then(parse_date))
            && end < start
        {
            e.add(
                Field::EndDate,
                format!("{the} ne peut pas précéder la date de début."),
            );
        }
        out.end_date = end.map(iso);
    }
    if has(Field::Status) {
        out.status = choice(&mut e, Field::Status, "Statut", &form.status, false);
        // Without an explicit choice, an ended entry is past and any other is current.
        if out.status.is_none() && form.status.trim().is_empty() {
            let ended = out
                .end_date
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|d| d <= today);
            out.status = Some(if ended { Status::Past } else { Status::Current });
        }
    }
    if has(Field::Dose) {
        out.dose = text(&mut e, Field::Dose, "Dose", &form.dose, MAX_SHORT, false);
    }
    if has(Field::Frequency) {
        out.frequency = text(
            &mut e,
            Field::Frequency,
            "Fréquence",
            &form.frequency,
            MAX_SHORT,
            false,
        );
    }
    if has(Field::Reaction) {
        out.reaction = text(
            &mut e,
            Field::Reaction,
            "Réaction",
            &form.reaction,
            MAX_SHORT,
            false,
        );
    }
    if has(Field::Severity) {
        out.severity = choice(&mut e, Field::Severity, "Gravité", &form.severity, false);
    }
    if has(Field::DoseNumber) {
        let v = form.dose_number.trim();
        if !v.is_empty() {
            match v.parse::<i64>() {
                Ok(n) if (1..=20).contains(&n) => out.dose_number = Some(n),
                _ => e.add(
                    Field::DoseNumber,
                    "Le numéro de dose doit être un nombre entre 1 et 20.",
                ),
            }
        }
    }
    if has(Field::Lot) {
        out.lot = text(
            &mut e,
            Field::Lot,
            "Numéro de lot",
            &form.lot,
            MAX_SHORT,
            false,
        );
    }
    if has(Field::Relation) {
        out.relation = choice(
            &mut e,
            Field::Relation,
            "Lien de parenté",
            &form.relation,
            true,
        );
    }
    if has(Field::Place) {
        out.place = text(
            &mut e,
            Field::Place,
            "Lieu ou professionnel",
            &form.place,
            MAX_TITLE,
            false,
        );
    }
    let person = out.kind == Some(EntourageKind::Person);
    if has(Field::Phone) && person {
        out.phone = phone(&mut e, &form.phone);
    }
    if has(Field::Role) && person {
        out.role = text(&mut e, Field::Role, "Rôle", &form.role, MAX_SHORT, false);
    }
    if has(Field::Consent) && out.kind == Some(EntourageKind::OrganDonation) {
        out.consent = consent(&mut e, &form.consent, true);
    }
    out.notes = text(
        &mut e,
        Field::Notes,
        "Remarques",
        &form.notes,
        MAX_NOTES,
        false,
    );
    if section == Section::Entourage
        && matches!(
            out.kind,
            Some(EntourageKind::Wishes | EntourageKind::Directives)
        )
        && out.title.is_empty()
        && out.notes.is_empty()
    {
        e.add(Field::Notes, "Décrivez vos volontés dans « Remarques ».");
    }
    if e.is_empty() { Ok(out) } else { Err(e) }
}

/// The form showing an entry back (to edit it): dates as `JJ/MM/AAAA`, choices as slugs.
pub fn form_of(d: &EntryData) -> EntryForm {
    EntryForm {
        kind: d.kind.map(|k| k.slug().to_string()).unwrap_or_default(),
        title: d.title.clone(),
        start_date: d.start_date.as_deref().map(french_date).unwrap_or_default(),
        end_date: d.end_date.as_deref().map(french_date).unwrap_or_default(),
        status: d.status.map(|s| s.slug().to_string()).unwrap_or_default(),
        dose: d.dose.clone(),
        frequency: d.frequency.clone(),
        reaction: d.reaction.clone(),
        severity: d.severity.map(|s| s.slug().to_string()).unwrap_or_default(),
        dose_number: d.dose_number.map(|n| n.to_string()).unwrap_or_default(),
        lot: d.lot.clone(),
        relation: d.relation.map(|r| r.slug().to_string()).unwrap_or_default(),
        place: d.place.clone(),
        phone: d.phone.clone(),
        role: d.role.clone(),
        consent: match d.consent {
            Some(true) => "oui".into(),
            Some(false) => "non".into(),
            None => String::new(),
        },
        notes: d.notes.clone(),
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
