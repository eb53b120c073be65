//! The catalogue of referenced health services, imported by the operator
//! (`santemail catalogue import FILE`) and searched by the citizen (`/catalogue`).
//!
//! # File format
//!
//! TOML (`.toml`) or JSON (`.json`), chosen by the file's extension, UTF-8. An import replaces
//! the whole catalogue: a service missing from the file is removed, a service with the same key
//! is updated, an unchanged one is left alone (importing the same file twice changes nothing).
//! Every entry is checked before anything is written; if any is wrong, every error is listed with
//! its line and nothing is imported.
//!
//! Each service has these keys (ASCII, no accents in the keys; values in plain French):
//!
//! | key           | required | value |
//! |---------------|----------|-------|
//! | `identifiant` | no       | stable key: lower-case letters, digits, hyphens (64 at most); without it the URL is the key |
//! | `nom`         | yes      | name shown to the citizen (120 characters at most) |
//! | `editeur`     | yes      | who publishes the service (120 at most) |
//! | `categorie`   | yes      | one of [`Category`]: label or slug, case and accents free (`"Santé mentale"`, `"sante-mentale"`) |
//! | `description` | yes      | one paragraph (1000 characters at most; line breaks become spaces) |
//! | `url`         | yes      | `https://` address of a named host, no credentials |
//! | `tarif`       | yes      | `"gratuit"` or `"payant"` |
//! | `public`      | yes      | one audience or a list of them: `tous` (alone), `adultes`, `jeunes`, `parents`, `seniors`, `aidants`, `professionnels` |
//!
//! Categories: Prévention, Suivi de maladie chronique, Santé mentale, Téléconsultation, Prise de
//! rendez-vous, Activité physique, Nutrition, Parentalité, Pharmacie, Autre.
//!
//! TOML: one `[[service]]` table per service.
//!
//! ```toml
//! [[service]]
//! identifiant = "ecoute-jeunes"
//! nom = "Écoute Jeunes"
//! editeur = "Association Exemple"
//! categorie = "Santé mentale"
//! description = "Une ligne d’écoute anonyme pour les 12-25 ans."
//! url = "https://ecoute-jeunes.example.fr/"
//! tarif = "gratuit"
//! public = ["jeunes", "parents"]
//! ```
//!
//! JSON: an array of objects with the same keys, or an object `{"services": [ … ]}`.
//!
//! Errors read "ligne 12 : catégorie inconnue « Sport » ; attendues : Prévention, …". The repo's
//! `docs/catalogue-exemple.toml` is a complete example (seeded by `santemail demo`).

mod import;
mod model;
mod parse;
mod search;
mod validate;

use std::path::Path;

pub use import::{ImportSummary, list, replace};
pub use model::{Audience, Category, Service};
pub use parse::Format;
pub use search::{SearchResult, fold, matches, search};
pub use validate::{KEYS, check_url};

/// Larger than any sensible catalogue: an operator pointing at the wrong file gets an error
/// instead of a long parse.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// One mistake in a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line, when the mistake has one.
    pub line: Option<usize>,
    /// French sentence, without the line.
    pub message: String,
}

impl LineError {
    pub(crate) fn at(line: usize, message: String) -> LineError {
        LineError {
            line: Some(line),
            message,
        }
    }
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "ligne {l} : {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a catalogue file was refused (nothing imported).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("lecture de {path} impossible : {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} dépasse {MAX_FILE_BYTES} octets")]
    TooLarge { path: String },
    #[error("{path} : extension inconnue ; attendues : .toml ou .json")]
    Format { path: String },
    #[error("{path} n’est pas en UTF-8")]
    Encoding { path: String },
    /// Every error found, sorted by line.
    #[error("{} erreur(s) dans {path}, rien n’a été importé :\n{}", errors.len(), lines(errors))]
    Invalid {
        path: String,
        errors: Vec<LineError>,
    },
}

fn lines(errors: &[LineError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses and checks a catalogue text: the services in file order, or every error.
pub fn parse_text(text: &str, format: Format) -> Result<Vec<Service>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let entries = parse::parse(text, format).map_err(|e| vec![e])?;
    validate::validate(entries)
}

/// Reads, parses and checks a catalogue file (format from its extension).
pub fn load_file(path: &Path) -> Result<Vec<Service>, FileError> {
    let shown = path.display().to_string();
    let format = Format::of_path(path).ok_or_else(|| FileError::Format {
        path: shown.clone(),
    })?;
    let read_err = |source| FileError::Read {
        path: shown.clone(),
        source,
    };
    if std::fs::metadata(path).map_err(read_err)?.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge { path: shown });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let text = String::from_utf8(bytes).map_err(|_| FileError::Encoding {
        path: shown.clone(),
    })?;
    parse_text(&text, format).map_err(|errors| FileError::Invalid {
        path: shown,
        errors,
    })
}

#[cfg(test)]
mod tests;
