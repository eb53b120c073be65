//! Sending from the webmail: the reply rule and a new message to a pharmacy, both through the
//! one delivery pipeline (`smtp::Pipeline`: sender check, policy per recipient, durable commit,
//! conversation permits) — never a second path (DESIGN §3). The copy in Envoyés is committed
//! before the page says "envoyé" (DESIGN §5: nothing acknowledged before it is durable).

use std::net::{Ipv4Addr, SocketAddr};

use directory::Decision;
use mail_builder::MessageBuilder;
use smtp::ListenerKind;
use smtp::pipeline::{Envelope, Notify, Principal, Received, Recipient, SenderCheck};
use store::{Flag, Flags};

use super::listing::{Folder, mailbox_of};
use crate::error::WebError;
use crate::security::CitizenSession;
use crate::state::AppState;

/// What the reading page says under a message: the reply form, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyRule {
    Allowed,
    /// The sentence that explains why (policy's words for a citizen).
    Refused(String),
}

/// The sentence the issue asks for when the reply form is absent.
pub const NO_REPLY: &str = "Ce professionnel ne peut pas recevoir de réponse par ce moyen.";

/// Whether the session's acting profile may write to `to` now (DESIGN §4). A guardian acting
/// for a child is checked as such (`directory::check_as`): the child's permits apply.
pub async fn rule_for(
    state: &AppState,
    session: &CitizenSession,
    to: &str,
) -> Result<ReplyRule, WebError> {
    if to.trim().is_empty() {
        return Ok(ReplyRule::Refused(
            "Ce message n'indique pas d'expéditeur.".into(),
        ));
    }
    let guardian = (session.acting != session.login).then_some(session.login.as_str());
    let domains = state.pipeline.domains.all();
    let decision =
        match directory::check_as(&state.db, &session.acting, to, &domains, guardian).await {
            Ok(d) => d,
            // An address the directory cannot parse cannot be answered.
            Err(directory::DirectoryError::BadAddress(_)) => {
                return Ok(ReplyRule::Refused(NO_REPLY.into()));
            }
            Err(e) => return Err(e.into()),
        };
    Ok(match decision {
        Decision::Allow(_) => ReplyRule::Allowed,
        Decision::Deny(d) => ReplyRule::Refused(d.citizen_text().to_string()),
    })
}

/// A file the citizen attaches (checked by [`check_upload`]).
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub attachment: Option<Upload>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

/// Photo or PDF of a prescription: the type is read from the content (magic numbers), never
/// from the name or the browser's claim; the file name gets the matching extension.
pub fn check_upload(name: &str, bytes: Vec<u8>, max: usize) -> Result<Upload, WebError> {
    if bytes.len() > max {
        return Err(WebError::too_large(format!(
            "La pièce jointe dépasse la taille autorisée ({}).",
            super::format::size_fr(max as u64)
        )));
    }
    let (content_type, ext) = if bytes.starts_with(b"%PDF-") {
        ("application/pdf", "pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", "jpg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ("image/png", "png")
    } else {
        return Err(WebError::bad_request(
            "La pièce jointe doit être une photo (JPEG ou PNG) ou un document PDF.",
        ));
    };
    let safe = super::attachments::safe_filename(name);
    let stem = safe
        .rsplit_once('.')
        .map(|(s, _)| s.to_string())
        .unwrap_or(safe);
    let stem = if stem.is_empty() {
        "ordonnance".to_string()
    } else {
        stem
    };
    Ok(Upload {
        filename: format!("{stem}.{ext}"),
        content_type,
        bytes,
    })
}

fn new_message_id(domain: &str) -> String {
    format!("{}@{domain}", &crate::security::random_token()[..32])
}

/// Builds the RFC 5322 message (mail-builder: encoded words, MIME, line lengths).
fn build(
    state: &AppState,
    from_name: &str,
    from: &str,
    out: &Outgoing,
) -> Result<Vec<u8>, WebError> {
    let domain = from.rsplit_once('@').map(|(_, d)| d).unwrap_or("localhost");
    let mut b = MessageBuilder::new()
        .from((from_name.to_string(), from.to_string()))
        .to(out.to.clone())
        .subject(out.subject.clone())
        .date(state.now())
        .message_id(new_message_id(domain))
        .text_body(out.text.clone());
    if let Some(id) = &out.in_reply_to {
        b = b.in_reply_to(id.clone());
        let mut refs = out.references.clone();
        if !refs.contains(id) {
            refs.push(id.clone());
        }
        b = b.references(refs);
    }
    if let Some(a) = &out.attachment {
        b = b.attachment(a.content_type, a.filename.clone(), a.bytes.clone());
    }
    b.write_to_vec().map_err(WebError::internal)
}

/// Sends `out` as the session's acting profile. Returns once every recipient's copy and the
/// Envoyés copy are committed. A refusal of the policy is a 403 with the policy's sentence.
pub async fn send(
    state: &AppState,
    session: &CitizenSession,
    out: &Outgoing,
) -> Result<(), WebError> {
    let from = session.acting.clone();
    if let ReplyRule::Refused(why) = rule_for(state, session, &out.to).await? {
        return Err(WebError::forbidden(why));
    }
    let principal = Principal {
        login: from.clone(),
        may_send_as: vec![from.clone()],
    };
    let pipeline = &state.pipeline;
    pipeline
        .check_sender(&SenderCheck::Principal(&principal), &from)
        .await
        .map_err(|r| refused(&r))?;
    let route = pipeline
        .check_recipient(&from, &out.to, false)
        .await
        .map_err(|r| refused(&r))?;
    let from_name = match directory::accounts::account(&state.db, &from).await? {
        Some(acc) => crate::views::display_name(&acc),
        None => String::new(),
    };
    let body = build(state, &from_name, &from, out)?;
    let env = Envelope {
        mail_from: from.clone(),
        recipients: vec![Recipient {
            address: out.to.clone(),
            route,
            orcpt: None,
            notify: Notify::default(),
        }],
        smtputf8: true,
        dsn_ret_full: false,
        dsn_envid: None,
        authenticated: Some(principal),
    };
    // The webmail is the submitting client of this hop (RFC 5321 §4.4 trace).
    let hop = Received {
        helo: "webmail".into(),
        peer: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        tls: None,
        authenticated: true,
        listener: ListenerKind::Submission,
    };
    pipeline
        .deliver(&env, &hop, body.clone())
        .await
        .map_err(|r| refused(&r))?;
    // The Envoyés copy, read already.
    let summary = smtp::pipeline::summary::summarize(&body);
    let size = body.len() as u64;
    let blob = state.blobs.put(body).await?;
    state.db.put_summary(&blob, &summary).await?;
    let sent = mailbox_of(state, &from, Folder::Envoyes).await?;
    let mut flags = Flags::new();
    flags.insert(Flag::Seen);
    state
        .db
        .append(sent.id, &blob, size, &flags, state.now(), &from)
        .await?;
    tracing::info!(route = ?route, "webmail message sent");
    Ok(())
}

/// A refusal of the pipeline, in French. Temporary failures (4xx) ask to try again.
fn refused(r: &smtp::Reply) -> WebError {
    tracing::info!(code = r.code, "pipeline refused a webmail message");
    if r.code >= 500 {
        WebError::forbidden(
            "Ce message ne peut pas être envoyé à ce destinataire par la messagerie de santé.",
        )
    } else {
        WebError::internal(format!("pipeline temporary failure {}", r.code))
    }
}

#[cfg(test)]
mod tests {
    use super::check_upload;

    #[test]
    fn uploads_are_checked_by_content() {
        let pdf = check_upload("Ordo 12-03.PDF", b"%PDF-1.7 ...".to_vec(), 100).expect("pdf");
        assert_eq!(pdf.content_type, "application/pdf");
        assert_eq!(pdf.filename, "Ordo 12-03.pdf");
        let jpg = check_upload("photo.exe", vec![0xFF, 0xD8, 0xFF, 0xE0], 100).expect("jpeg");
        assert_eq!(jpg.filename, "photo.jpg");
        assert!(check_upload("x.pdf", b"<html>".to_vec(), 100).is_err());
        assert!(check_upload("x.pdf", b"%PDF-".repeat(30), 100).is_err());
    }
}
