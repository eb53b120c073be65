//! `health`: the rest of the citizen space (issue 9), beside mail and documents.
//!
//! - [`profile`]: the medical profile's sections (diseases, treatments, allergies, vaccinations,
//!   hospitalisations, family history, entourage and wishes, care history), entries validated
//!   with French messages, entered by the citizen or their médecin traitant.
//! - [`measures`]: blood pressure, glucose, heart rate, pain, weight, height, temperature, with
//!   units and plausible ranges; their evolution as server-side SVG charts.
//! - [`synthesis`]: the PDF summary of the profile ("Ma santé en résumé").
//! - [`agenda`]: appointments, reminders, prevention proposals from age and sex, iCalendar export.
//! - [`catalogue`]: the referenced health services, imported by the operator.
//! - [`api`]: the professional HTTPS API for the médecin traitant (mutual TLS).
//!
//! Pure logic (validation, ranges, prevention rules, iCalendar) is plain functions over plain
//! data with table tests beside it; storage goes through `store::Db` (SQLite or PostgreSQL).

pub mod agenda;
pub mod api;
pub mod catalogue;
pub mod error;
pub mod measures;
pub mod profile;
pub mod synthesis;

pub use error::{HealthError, Result};

/// Who entered or changed an entry, shown beside it ("saisi par vous", "saisi par Dr …") and kept
/// in the tables as `author_kind`, `author_id`, `author_name`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Author {
    pub kind: AuthorKind,
    /// The patient's INS, the guardian's NIR, or the professional's RPPS.
    pub id: String,
    /// Display name (the professional's name; empty for the citizen).
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// The citizen, on their own profile.
    Patient,
    /// A parent acting on a child's profile.
    Guardian,
    /// The médecin traitant, through the professional API.
    Professional,
}

impl AuthorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorKind::Patient => "patient",
            AuthorKind::Guardian => "guardian",
            AuthorKind::Professional => "professional",
        }
    }

    pub fn parse(s: &str) -> Option<AuthorKind> {
        [
            AuthorKind::Patient,
            AuthorKind::Guardian,
            AuthorKind::Professional,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}
