//! The citizen's health agenda (issue 9): appointments with an optional e-mail reminder,
//! prevention proposals computed from age and sex, and the iCalendar export.
//!
//! - [`input`]: the appointment form, validated into a [`Draft`] with French messages (pure).
//! - [`paris`]: Europe/Paris wall-clock time ↔ UTC instants, French wording of dates and times.
//! - [`rules`]: the prevention rules table (vaccination calendar, organised screenings, child
//!   examinations, "Mon bilan prévention") and [`rules::proposals`] (pure).
//! - [`storage`]: appointments and dismissed proposals on `store::Db`, keyed by the patient's INS
//!   like the DMP; the reminder claim that makes each reminder go out at most once.
//! - [`ics`]: the `.ics` export (RFC 5545 through the `icalendar` crate).
//!
//! Appointments are the citizen's own notes: they are not part of the DMP and no professional
//! reads them.

pub mod ics;
pub mod input;
pub mod paris;
pub mod rules;
pub mod storage;

pub use input::{AppointmentInput, Draft, validate};
pub use rules::{Dismissal, Proposal, Sex, proposals};

use crate::Author;

/// When the citizen wants to be reminded of an appointment, by e-mail and in the `.ics` alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reminder {
    #[default]
    None,
    /// 24 hours before.
    DayBefore,
    /// 2 hours before.
    TwoHours,
}

impl Reminder {
    pub const ALL: [Reminder; 3] = [Reminder::None, Reminder::DayBefore, Reminder::TwoHours];

    /// The form value and the database column.
    pub fn slug(self) -> &'static str {
        match self {
            Reminder::None => "aucun",
            Reminder::DayBefore => "veille",
            Reminder::TwoHours => "2h",
        }
    }

    pub fn from_slug(s: &str) -> Option<Reminder> {
        Reminder::ALL.into_iter().find(|r| r.slug() == s)
    }

    /// What the form and the page say.
    pub fn label(self) -> &'static str {
        match self {
            Reminder::None => "Pas de rappel",
            Reminder::DayBefore => "La veille (24 heures avant)",
            Reminder::TwoHours => "2 heures avant",
        }
    }

    /// How long before the appointment the reminder goes out.
    pub fn lead_secs(self) -> Option<i64> {
        match self {
            Reminder::None => None,
            Reminder::DayBefore => Some(24 * 3600),
            Reminder::TwoHours => Some(2 * 3600),
        }
    }
}

/// A professional chosen from the directory: the RPPS, and their name as the directory gave it
/// when the appointment was written (kept, so the page still reads well if they leave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRef {
    pub rpps: String,
    /// "Dr Léa ROUSSEAU".
    pub name: String,
}

/// One appointment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: i64,
    pub patient_ins: String,
    pub draft: Draft,
    pub remind_at: Option<i64>,
    pub reminder_sent_at: Option<i64>,
    pub author: Author,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Appointment {
    /// "Dr Léa ROUSSEAU", or the citizen's own words, if either was given.
    pub fn with_whom(&self) -> Option<&str> {
        self.draft.with_whom()
    }

    /// A short title for lists and calendars: the object, else "Rendez-vous avec …".
    pub fn summary(&self) -> String {
        self.draft.summary()
    }
}
