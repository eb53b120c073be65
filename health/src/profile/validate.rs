//! Checking what a citizen typed (or a professional sent) before it becomes an entry. Pure
//! functions: [`validate`] takes the raw strings of [`EntryForm`] and today's date, and gives
//! either a clean [`EntryData`] or the French messages, each naming its field, so the page can
//! show them beside the fields and keep what was typed.

use serde::{Deserialize, Serialize};
use time::Date;

use super::checks::{choice, consent, date, phone, text};
pub use super::checks::{french_date, iso, parse_date};
use super::section::{Choice, EntourageKind, Field, Relation, Section, Severity, Status};

/// The longest title, short fields and notes (characters).
pub const MAX_TITLE: usize = 200;
pub const MAX_SHORT: usize = 100;
pub const MAX_NOTES: usize = 2000;

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
    pub(super) fn add(&mut self, field: Field, message: impl Into<String>) {
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
