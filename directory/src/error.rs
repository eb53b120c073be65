use thiserror::Error;

/// Errors of the directory. Each message says what to fix.
#[derive(Debug, Error)]
pub enum DirectoryError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: not a known national format (expected an Extraction_Correspondance_MSSante or \
         PS_LibreAcces_Personne_activite extract, listeblanchemssante.xml or assures.csv): {detail}"
    )]
    UnknownFormat { path: String, detail: String },
    #[error("{path}: {detail}")]
    Malformed { path: String, detail: String },
    #[error(
        "{path} is the insured register: the provisional codes of new accounts need an output \
         file (--codes-out FILE)"
    )]
    CodesOutputRequired { path: String },
    #[error("cannot write the provisional codes: {0}")]
    CodesOutput(std::io::Error),
    #[error("`{0}` is not a valid e-mail address")]
    BadAddress(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("internal task failed: {0}")]
    Task(String),
}
