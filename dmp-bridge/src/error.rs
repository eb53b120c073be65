//! Errors of the DMP bridge. Each variant has a `Display` for the operator's logs and a
//! [`DmpError::citizen_text`] in plain French for the citizen or the professional.

use thiserror::Error;

/// Why a hostile or broken XDM package was refused (issue 7: each case distinct, explained).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum XdmRejection {
    #[error("not a readable zip archive: {0}")]
    Malformed(String),
    #[error("encrypted zip entry `{0}`")]
    Encrypted(String),
    #[error("zip entry `{0}` leaves the archive (absolute path, `..` or a link)")]
    PathTraversal(String),
    #[error("too many zip entries: {count} (limit {limit})")]
    TooManyEntries { count: usize, limit: usize },
    #[error("zip entry `{name}` is too large: {size} bytes (limit {limit})")]
    EntryTooLarge { name: String, size: u64, limit: u64 },
    #[error("the archive expands to more than {limit} bytes")]
    TotalTooLarge { limit: u64 },
    #[error("zip entry `{name}` has a compression ratio of {ratio} (limit {limit}): a zip bomb")]
    RatioTooHigh {
        name: String,
        ratio: u64,
        limit: u64,
    },
    #[error("zip entry `{0}` expands beyond its declared size")]
    SizeMismatch(String),
    #[error("document `{0}` does not match the size or SHA-1 hash given in METADATA.XML")]
    HashMismatch(String),
    #[error("unsupported compression method in `{0}`")]
    Unsupported(String),
    #[error("no IHE_XDM/<subset>/METADATA.XML in the archive")]
    NoMetadata,
    #[error("METADATA.XML is not valid ebRIM: {0}")]
    BadMetadata(String),
    #[error("document `{0}` named in METADATA.XML is missing from the archive")]
    MissingDocument(String),
    /// `found` is kept for the caller, never logged: an INS is personal data.
    #[error("the package is for another patient")]
    WrongPatient { found: String },
    #[error("the package describes no document")]
    Empty,
}

impl XdmRejection {
    /// The sentence shown to the citizen (or returned by the API).
    pub fn citizen_text(&self) -> String {
        match self {
            XdmRejection::Malformed(_) => {
                "Ce fichier n'est pas une archive ZIP lisible : il est abîmé ou ce n'est pas un \
                 paquet IHE XDM."
                    .into()
            }
            XdmRejection::Encrypted(_) => {
                "L'archive est protégée par un mot de passe : elle ne peut pas être classée.".into()
            }
            XdmRejection::PathTraversal(_) => {
                "L'archive contient un chemin de fichier dangereux : elle a été refusée.".into()
            }
            XdmRejection::TooManyEntries { limit, .. } => {
                format!("L'archive contient trop de fichiers (au plus {limit}).")
            }
            XdmRejection::EntryTooLarge { limit, .. } => format!(
                "Un document de l'archive est trop volumineux (au plus {} Mo).",
                limit / 1_000_000
            ),
            XdmRejection::TotalTooLarge { limit } => format!(
                "Une fois décompressée, l'archive dépasse la taille permise ({} Mo).",
                limit / 1_000_000
            ),
            XdmRejection::RatioTooHigh { .. } => {
                "L'archive est anormalement compressée (possible « bombe ZIP ») : elle a été \
                 refusée."
                    .into()
            }
            XdmRejection::SizeMismatch(_) => {
                "Un fichier de l'archive est plus gros qu'annoncé (possible « bombe ZIP ») : \
                 l'archive a été refusée."
                    .into()
            }
            XdmRejection::HashMismatch(_) => {
                "Un document du paquet a été altéré : il ne correspond pas à sa description.".into()
            }
            XdmRejection::Unsupported(_) => {
                "L'archive utilise une méthode de compression non prise en charge.".into()
            }
            XdmRejection::NoMetadata => {
                "Ce n'est pas un paquet IHE XDM : le fichier IHE_XDM/…/METADATA.XML est absent."
                    .into()
            }
            XdmRejection::BadMetadata(_) => {
                "La description des documents (METADATA.XML) est illisible.".into()
            }
            XdmRejection::MissingDocument(_) => {
                "Un document annoncé dans le paquet est absent de l'archive.".into()
            }
            XdmRejection::WrongPatient { .. } => {
                "Ce paquet concerne un autre patient : il ne peut pas être classé dans ce dossier."
                    .into()
            }
            XdmRejection::Empty => "Le paquet ne contient aucun document.".into(),
        }
    }
}

/// Errors of the DMP bridge.
#[derive(Debug, Error)]
pub enum DmpError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("directory error: {0}")]
    Directory(#[from] directory::DirectoryError),
    #[error("XDM package refused: {0}")]
    Xdm(#[from] XdmRejection),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("document {0} not found")]
    NotFound(i64),
    #[error("access denied: {0}")]
    Denied(String),
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DmpError {
    /// The sentence shown to the citizen or the professional.
    pub fn citizen_text(&self) -> String {
        match self {
            DmpError::Xdm(r) => r.citizen_text(),
            DmpError::NotFound(_) => "Ce document n'existe pas ou n'est pas accessible.".into(),
            DmpError::Denied(why) => why.clone(),
            DmpError::Invalid(why) => why.clone(),
            _ => "Une erreur technique est survenue ; réessayez plus tard.".into(),
        }
    }
}

pub type Result<T, E = DmpError> = std::result::Result<T, E>;
