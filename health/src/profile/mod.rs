//! The medical profile's eight sections kept as entries (the ninth, "Mesures", is
//! [`crate::measures`]): diseases, treatments, allergies, vaccinations, hospitalisations, family
//! history, entourage and wishes, care history.
//!
//! - [`section`]: the [`Section`] table (slug, French label, fields) and the closed lists.
//! - [`validate`]: raw form → [`EntryData`], or French messages naming each field.
//! - [`entry`]: a stored [`Entry`] and its [`Entry::summary_line`].
//! - [`storage`]: add, update, delete, list, [`entries`] on `store::Db`, keyed by INS.
//!
//! Who entered an entry is kept with it ([`crate::Author`]): the citizen, a parent acting for a
//! child, or the médecin traitant through [`crate::api`].

mod checks;
pub mod entry;
pub mod section;
pub mod storage;
pub mod validate;

pub use entry::Entry;
pub use section::{Choice, EntourageKind, Field, Relation, Section, Severity, Status};
pub use storage::{add, counts, delete, entries, get, list, update};
pub use validate::{EntryData, EntryForm, FieldError, FieldErrors, validate};

/// Today in UTC, the limit of dates in the past (a day's difference at midnight is harmless).
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}
