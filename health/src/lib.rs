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
pub mod french;
pub mod measures;
pub mod profile;
pub mod synthesis;

pub use error::{HealthError, Result};

/// Who entered or changed an entry, shown beside it ("saisi par vous", "saisi par Dr …") and kept
/// in the tables as `author_kind`, `author_id`, `author_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub kind: AuthorKind,
    /// The patient's INS, the guardian's NIR, or the professional's RPPS.
    pub id: String,
    /// Display name (the professional's name; empty for the citizen).
    pub name: String,
}

/// Serialised (professional API, JSON) without the id unless it is a professional's RPPS: a
/// guardian's NIR or the patient's INS is personal data the médecin traitant has no use for.
impl serde::Serialize for Author {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let professional = self.kind == AuthorKind::Professional;
        let mut st = s.serialize_struct("Author", if professional { 3 } else { 2 })?;
        st.serialize_field("kind", &self.kind)?;
        if professional {
            st.serialize_field("id", &self.id)?;
        }
        st.serialize_field("name", &self.name)?;
        st.end()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_professional_author_keeps_an_id_in_json() {
        let cases = [
            (AuthorKind::Patient, false),
            (AuthorKind::Guardian, false),
            (AuthorKind::Professional, true),
        ];
        for (kind, has_id) in cases {
            let a = Author {
                kind,
                id: "1840199123456".into(),
                name: "X".into(),
            };
            let json = serde_json::to_value(&a).expect("json");
            assert_eq!(json.get("id").is_some(), has_id, "{kind:?}: {json}");
            assert_eq!(json["kind"], kind.as_str());
        }
    }
}
