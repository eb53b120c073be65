//! `directory`: who is who in the space of trust, and who may write to whom.
//!
//! - [`import`]: streaming imports of the national extracts (`Extraction_Correspondance_MSSante`,
//!   `PS_LibreAcces_Personne_activite`), the operators' whitelist (`listeblanchemssante.xml`) and
//!   the insurer's register (`assures.csv`, which creates the citizens' accounts).
//! - [`nir`]: the NIR / INS check (pure).
//! - [`accounts`], [`credentials`], [`permits`]: citizens' accounts, password hashes, conversation
//!   permits.
//! - [`policy`]: the messaging policy of DESIGN §4 as a pure function; [`resolve`] loads the parties
//!   from the database and calls it.
//! - [`lookup`]: what the directory knows about one address; the pharmacy mark.
//! - [`whitelist`]: the operators' domains, and whether a peer certificate is an operator's.
//! - [`synth`]: a synthetic national-scale extract for the benchmark.

pub mod accounts;
pub mod contacts;
pub mod credentials;
pub mod error;
pub mod import;
pub mod lookup;
pub mod model;
pub mod nir;
pub mod officines;
pub mod permits;
pub mod policy;
pub mod principal;
pub mod resolve;
pub mod synth;
pub mod whitelist;

pub use error::DirectoryError;
pub use import::{ImportKind, ImportOptions, ImportReport, Rejected, import_file};
pub use model::{AccountState, MailboxKind};
pub use policy::{Decision, Denial, DenyReason, Party, Permit, PolicyInput, decide};
pub use principal::Principal;
pub use resolve::{check, check_as, org_mailboxes_of, resolve};

/// Unix seconds now (UTC), the one time format of the database (docs/decisions.md).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Reads a flag selected as `CASE WHEN col THEN 1 ELSE 0 END AS col`. sqlx 0.9's Any driver
/// cannot decode a SQLite `BOOLEAN` column ("Any driver does not support the SQLite type Bool"),
/// so booleans are read as integers on both backends.
pub(crate) fn flag(row: &sqlx::any::AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    use sqlx::Row;
    Ok(row.try_get::<i64, _>(col)? != 0)
}
