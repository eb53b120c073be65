//! Errors of the citizen space. `Display` is for the operator's logs; [`HealthError::citizen_text`]
//! is the plain French sentence shown to the citizen (or returned by the professional API).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum HealthError {
    /// Input refused; the text is already the French sentence for the citizen (which field,
    /// what is expected).
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("not found")]
    NotFound,
    /// Refused to this caller; the text is the French reason.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Dmp(#[from] dmp_bridge::DmpError),
    /// Anything else that is our fault (PDF building, an unreadable embedded asset...).
    #[error("internal: {0}")]
    Internal(String),
}

impl HealthError {
    pub fn invalid(text: impl Into<String>) -> HealthError {
        HealthError::Invalid(text.into())
    }

    /// The sentence for the citizen: precise for their own mistakes, vague for ours.
    pub fn citizen_text(&self) -> String {
        match self {
            HealthError::Invalid(t) | HealthError::Forbidden(t) => t.clone(),
            HealthError::NotFound => "Cet élément est introuvable.".into(),
            HealthError::Dmp(e) => e.citizen_text(),
            HealthError::Store(_) | HealthError::Db(_) | HealthError::Internal(_) => {
                "Une erreur est survenue de notre côté ; réessayez dans un instant.".into()
            }
        }
    }
}

pub type Result<T> = std::result::Result<T, HealthError>;
