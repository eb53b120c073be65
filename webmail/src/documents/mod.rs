//! The citizen's DMP in the webmail (issue 7): building the [`dmp_bridge::Dmp`] service with the
//! webmail's e-mail relay as its notifier, and the actor of a session (the citizen, or a parent
//! acting for a child's profile). The pages are in `routes/documents*.rs`.

pub mod notifier;
pub mod search;

use std::sync::Arc;

use dmp_bridge::{Citizen, Dmp, DmpConfig, DmpError};

use crate::error::WebError;
use crate::notify::Notifier;
use crate::security::CitizenSession;
use crate::state::AppState;

pub use notifier::MailNotifier;

/// The DMP service of the webmail: professional actions are announced by e-mail to the
/// citizen's personal address (or a child's guardians) through `notifier`'s relay.
pub fn service(
    db: store::Db,
    blobs: store::BlobStore,
    config: &DmpConfig,
    notifier: Arc<Notifier>,
) -> Arc<Dmp> {
    let mail = MailNotifier::new(db.clone(), notifier);
    Arc::new(Dmp::new(db, blobs, config, Arc::new(mail)))
}

/// The DMP actor of a session: the patient acting on their own record, or a registered legal
/// guardian acting for the child whose profile the session switched to.
pub async fn actor(state: &AppState, session: &CitizenSession) -> Result<Citizen, WebError> {
    let acting = directory::accounts::account(&state.db, &session.acting)
        .await?
        .ok_or_else(|| WebError::forbidden("Ce dossier n’est pas accessible."))?;
    if session.acting.eq_ignore_ascii_case(&session.login) {
        return Ok(Citizen::patient(&acting.nir));
    }
    if !directory::accounts::is_guardian(&state.db, &session.login, &session.acting).await? {
        return Err(WebError::forbidden(
            "Vous n’êtes pas enregistré comme représentant légal de cette personne.",
        ));
    }
    let own = directory::accounts::account(&state.db, &session.login)
        .await?
        .ok_or(WebError::LoginRequired)?;
    Ok(Citizen::guardian(&acting.nir, &own.nir))
}

/// A DMP error as the citizen sees it: the sentence of the bridge, with the right status.
pub fn web_error(e: DmpError) -> WebError {
    match e {
        DmpError::NotFound(_) => WebError::NotFound,
        DmpError::Denied(_) => WebError::forbidden(e.citizen_text()),
        DmpError::Invalid(_) | DmpError::Xdm(_) => WebError::bad_request(e.citizen_text()),
        other => WebError::internal(other),
    }
}

/// A file name safe for a `Content-Disposition` header (ASCII letters, digits, `.-_`).
pub fn safe_file_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let trimmed = cleaned.trim_matches(|c| c == '.' || c == '_');
    if trimmed.is_empty() {
        fallback.to_string()
    } else {
        trimmed.to_string()
    }
}

/// The type of a file the citizen uploads, from its first bytes (never from its name or the
/// browser's word): PDF, JPEG, PNG, CDA/XML, or plain UTF-8 text. Anything else is refused.
pub fn sniff_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let head = &bytes[..bytes.len().min(512)];
    let trimmed = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let trimmed = trimmed.trim_ascii_start();
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if (trimmed.starts_with(b"<?xml") || trimmed.starts_with(b"<ClinicalDocument"))
        && std::str::from_utf8(bytes).is_ok()
    {
        Some(("text/xml", "xml"))
    } else if !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        Some(("text/plain", "txt"))
    } else {
        None
    }
}

/// A document's file name for storage: harmless characters, and the extension of its real type.
pub fn stored_file_name(given: &str, ext: &str) -> String {
    let safe = crate::mail::attachments::safe_filename(given);
    let stem = match safe.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s.to_string(),
        _ if safe == "piece-jointe" => "document".to_string(),
        _ => safe,
    };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::{safe_file_name, sniff_type, stored_file_name};

    #[test]
    fn upload_types() {
        let cases: [(&[u8], Option<&str>); 7] = [
            (b"%PDF-1.7 ...", Some("application/pdf")),
            (&[0xFF, 0xD8, 0xFF, 0xE0], Some("image/jpeg")),
            (b"\x89PNG\r\n\x1a\n....", Some("image/png")),
            (
                b"  <?xml version=\"1.0\"?><ClinicalDocument/>",
                Some("text/xml"),
            ),
            ("Tension 12/8, le 3 mars".as_bytes(), Some("text/plain")),
            (b"MZ\x90\x00\x03", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff_type(bytes).map(|t| t.0), want, "{bytes:?}");
        }
        assert_eq!(stored_file_name("scan.exe", "pdf"), "scan.pdf");
        assert_eq!(stored_file_name("", "png"), "document.png");
    }

    #[test]
    fn file_names_for_headers() {
        let cases = [
            ("compte-rendu.pdf", "compte-rendu.pdf"),
            ("../../etc/passwd", "etc_passwd"),
            ("résultat \"labo\".pdf", "r_sultat__labo_.pdf"),
            ("", "document"),
            ("\r\n", "document"),
        ];
        for (given, want) in cases {
            assert_eq!(safe_file_name(given, "document"), want, "{given:?}");
        }
    }
}
