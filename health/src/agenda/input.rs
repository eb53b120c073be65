//! The appointment form, checked field by field. Pure: the caller resolves the professional chosen
//! from the directory (an RPPS) into a [`ProRef`] first, and gives today's Paris date.
//! Every refusal names the field and says what is expected, in French.

use time::{Date, Month, Time};

use super::{ProRef, Reminder, paris, rules};
use crate::{HealthError, Result};

/// Longest one-line texts (object, professional in free text), place and notes, in characters.
pub const MAX_TITLE: usize = 120;
pub const MAX_WITH: usize = 120;
pub const MAX_PLACE: usize = 200;
pub const MAX_NOTES: usize = 1000;
/// Longest duration accepted, in minutes (a day hospital visit, not more).
pub const MAX_DURATION_MIN: i64 = 720;
/// Appointments are between this many years before and after today.
const YEARS_AROUND: i32 = 5;

/// The form as typed (every field a string; empty means not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppointmentInput {
    /// JJ/MM/AAAA, or YYYY-MM-DD from a date input.
    pub date: String,
    /// HH:MM (also "14h30", "14 h 30", "9h").
    pub time: String,
    /// Minutes.
    pub duration: String,
    /// "Objet": what the appointment is for, in the citizen's words.
    pub title: String,
    /// The professional in free text, when not chosen from the directory.
    pub with_text: String,
    pub place: String,
    pub notes: String,
    /// [`Reminder::slug`].
    pub reminder: String,
    /// The prevention rule this appointment was planned from ([`rules::Rule::id`]).
    pub rule: String,
}

/// A validated appointment, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The UTC instant of the Paris wall-clock date and time.
    pub starts_at: i64,
    pub duration_min: Option<i64>,
    pub title: Option<String>,
    pub professional: Option<ProRef>,
    pub with_text: Option<String>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub reminder: Reminder,
    pub prevention_rule: Option<String>,
}

impl Draft {
    /// When the reminder is due, if there is one.
    pub fn remind_at(&self) -> Option<i64> {
        self.reminder.lead_secs().map(|l| self.starts_at - l)
    }

    pub fn with_whom(&self) -> Option<&str> {
        self.professional
            .as_ref()
            .map(|p| p.name.as_str())
            .or(self.with_text.as_deref())
    }

    pub fn summary(&self) -> String {
        match (&self.title, self.with_whom()) {
            (Some(t), _) => t.clone(),
            (None, Some(w)) => format!("Rendez-vous avec {w}"),
            (None, None) => "Rendez-vous".to_string(),
        }
    }
}

/// A date as the citizen writes it (JJ/MM/AAAA, J/M/AAAA) or as a date input sends it
/// (YYYY-MM-DD).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let (y, m, d) = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (y, m, d)
    } else {
        let mut it = s.split('/');
        let (d, m, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    fn digits(p: &str, min: usize, max: usize) -> Option<&str> {
        (p.len() >= min && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())).then_some(p)
    }
    let y: i32 = digits(y, 4, 4)?.parse().ok()?;
    let m: u8 = digits(m, 1, 2)?.parse().ok()?;
    let d: u8 = digits(d, 1, 2)?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// A time of day: "14:30", "9:05", "14h30", "14 h 30", "9h", "9 h".
pub fn parse_time(s: &str) -> Option<Time> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_lowercase();
    let (h, m) = lower
        .split_once(':')
        .or_else(|| lower.split_once('h'))
        .unwrap_or((lower.as_str(), ""));
    let num = |p: &str| {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u8>().ok())
            .flatten()
    };
    let hour = num(h)?;
    let minute = if m.is_empty() && !lower.contains(':') {
        0
    } else if m.len() == 2 {
        num(m)?
    } else {
        return None;
    };
    Time::from_hms(hour, minute, 0).ok()
}

/// A one-line text: trimmed, `None` when empty; refused when too long or with a control
/// character (a line break in a place would also break the `.ics` and e-mail layouts).
fn line(value: &str, field: &str, max: usize) -> Result<Option<String>> {
    let v = value.trim();
    if v.chars().any(char::is_control) {
        return Err(HealthError::invalid(format!(
            "{field} doit tenir sur une ligne, sans caractère spécial."
        )));
    }
    if v.chars().count() > max {
        return Err(HealthError::invalid(format!(
            "{field} ne doit pas dépasser {max} caractères."
        )));
    }
    Ok((!v.is_empty()).then(|| v.to_string()))
}

/// The notes: several lines allowed (normalised to `\n`), no other control character.
fn notes(value: &str) -> Result<Option<String>> {
    let v = value.replace("\r\n", "\n").replace('\r', "\n");
    let v = v.trim();
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(HealthError::invalid(
            "Les notes contiennent un caractère spécial qui n’est pas accepté.",
        ));
    }
    if v.chars().count() > MAX_NOTES {
        return Err(HealthError::invalid(format!(
            "Les notes ne doivent pas dépasser {MAX_NOTES} caractères."
        )));
    }
    Ok((!v.is_empty()).then(|| v.to_string()))
}

fn shown(value: &str) -> String {
    value.trim().chars().take(20).collect()
}

/// Checks the form. `professional` is the directory's professional the citizen chose (already
/// looked up by the caller), `today` the Paris date now.
pub fn validate(
    input: &AppointmentInput,
    professional: Option<ProRef>,
    today: Date,
) -> Result<Draft> {
    if input.date.trim().is_empty() {
        return Err(HealthError::invalid(
            "Indiquez la date du rendez-vous (JJ/MM/AAAA).",
        ));
    }
    let date = parse_date(&input.date).ok_or_else(|| {
        HealthError::invalid(format!(
            "La date « {} » n’est pas valide : écrivez-la sous la forme JJ/MM/AAAA, par exemple \
             03/03/2026.",
            shown(&input.date)
        ))
    })?;
    if (date.year() - today.year()).abs() > YEARS_AROUND {
        return Err(HealthError::invalid(format!(
            "La date du rendez-vous doit être comprise entre {} et {}.",
            today.year() - YEARS_AROUND,
            today.year() + YEARS_AROUND
        )));
    }
    if input.time.trim().is_empty() {
        return Err(HealthError::invalid(
            "Indiquez l’heure du rendez-vous (HH:MM).",
        ));
    }
    let time = parse_time(&input.time).ok_or_else(|| {
        HealthError::invalid(format!(
            "L’heure « {} » n’est pas valide : écrivez-la sous la forme HH:MM, par exemple 14:30.",
            shown(&input.time)
        ))
    })?;
    let starts_at = paris::to_utc(date, time).ok_or_else(|| {
        HealthError::invalid(format!(
            "L’heure {} n’existe pas le {} (passage à l’heure d’été) : choisissez 3 h ou plus tard.",
            paris::time_fr(time),
            paris::date_fr(date)
        ))
    })?;
    let duration_min = match input.duration.trim() {
        "" => None,
        d => Some(
            d.parse::<i64>()
                .ok()
                .filter(|m| (1..=MAX_DURATION_MIN).contains(m))
                .ok_or_else(|| {
                    HealthError::invalid(format!(
                        "La durée doit être un nombre de minutes entre 1 et {MAX_DURATION_MIN}."
                    ))
                })?,
        ),
    };
    let title = line(&input.title, "L’objet", MAX_TITLE)?;
    let with_text = line(&input.with_text, "Le nom du professionnel", MAX_WITH)?;
    let place = line(&input.place, "Le lieu", MAX_PLACE)?;
    let notes = notes(&input.notes)?;
    if title.is_none() && with_text.is_none() && professional.is_none() {
        return Err(HealthError::invalid(
            "Indiquez avec qui est le rendez-vous (dans l’annuaire ou en texte libre) ou son objet.",
        ));
    }
    let reminder = match input.reminder.trim() {
        "" => Reminder::None,
        r => Reminder::from_slug(r)
            .ok_or_else(|| HealthError::invalid("Choisissez le rappel dans la liste."))?,
    };
    let prevention_rule = match input.rule.trim() {
        "" => None,
        r => Some(
            rules::rule(r)
                .ok_or_else(|| {
                    HealthError::invalid("Cette proposition de prévention n’existe pas.")
                })?
                .id
                .to_string(),
        ),
    };
    Ok(Draft {
        starts_at,
        duration_min,
        title,
        // A directory choice wins over free text: the free-text box is the fallback.
        with_text: if professional.is_some() {
            None
        } else {
            with_text
        },
        professional,
        place,
        notes,
        reminder,
        prevention_rule,
    })
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
