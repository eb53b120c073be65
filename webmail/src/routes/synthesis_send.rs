//! Sending the synthèse to a professional: only to one who wrote first and whose conversation
//! is still open — the conversation permits (`dir_permit`), checked by the same rule as the
//! reply form (`mail::send::rule_for`). The message goes through `mail::send::send`, the one
//! path of every webmail message (the SMTP delivery pipeline, then the copy in Envoyés).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::build;
use crate::error::WebError;
use crate::mail::send::{self, Outgoing, ReplyRule, Upload, rule_for};
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, render};

const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 20_000;
const DEFAULT_SUBJECT: &str = "Ma synthèse médicale";
const DEFAULT_TEXT: &str =
    "Bonjour,\n\nVous trouverez ci-joint ma synthèse médicale.\n\nBien cordialement.";

/// The sentence when the chosen address is not (or no longer) one the citizen may write to.
pub(crate) const NOT_ALLOWED: &str = "Vous pouvez envoyer votre synthèse seulement à un \
     professionnel de santé qui vous a écrit le premier et qui n’a pas clos la conversation.";

/// A professional the synthèse may go to.
pub(crate) struct Recipient {
    pub address: String,
    /// "Dr Léa ROUSSEAU — Médecin, Cabinet du Parc"; empty when the directory does not know
    /// the address (the page then shows the address alone).
    pub name: String,
}

/// Who the acting profile may send to now: the professionals with an open permit (they wrote
/// first, no `X-MSS-MES: FIN` since), each checked again by the reply rule (account state,
/// guardianship, the directory's policy), most recent conversation first.
async fn recipients(
    state: &AppState,
    session: &CitizenSession,
) -> Result<Vec<Recipient>, WebError> {
    let permits = directory::permits::permits_of(&state.db, &session.acting).await?;
    let mut out = Vec::new();
    for p in permits.into_iter().filter(|p| p.ended_at.is_none()) {
        if rule_for(state, session, &p.pro_address).await? != ReplyRule::Allowed {
            continue;
        }
        let name = match directory::lookup::mailbox(&state.db, &p.pro_address).await? {
            Some(m) => name_of(&m),
            None => String::new(),
        };
        out.push(Recipient {
            address: p.pro_address,
            name,
        });
    }
    Ok(out)
}

/// "Dr Léa ROUSSEAU — Médecin, Cabinet du Parc", from the directory's mailbox entry.
fn name_of(m: &directory::lookup::MailboxInfo) -> String {
    let opt = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let title = health::synthesis::civility_title(&opt(&m.civility));
    let person = format!("{title}{} {}", opt(&m.first_name), opt(&m.last_name));
    let person = person.trim();
    let what = [opt(&m.profession), opt(&m.structure_name)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    match (person.is_empty(), what.is_empty()) {
        (true, true) => String::new(),
        (false, true) => person.to_string(),
        (true, false) => what,
        (false, false) => format!("{person} — {what}"),
    }
}

#[derive(Template)]
#[template(path = "synthesis/send.html")]
struct SendPage {
    layout: Layout,
    recipients: Vec<Recipient>,
    subject: &'static str,
    text: &'static str,
}

pub(super) async fn form(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    render(&SendPage {
        layout: Layout::for_session(&state, &session).await?,
        recipients: recipients(&state, &session).await?,
        subject: DEFAULT_SUBJECT,
        text: DEFAULT_TEXT,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SendForm {
    csrf: String,
    destinataire: String,
    objet: String,
    message: String,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<SendForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let to = form.destinataire.trim().to_ascii_lowercase();
    if to.is_empty() {
        return Err(WebError::bad_request(
            "Choisissez le professionnel destinataire.",
        ));
    }
    // Only an address of the list shown: the permit must be open now, not when the page was.
    let allowed = recipients(&state, &session).await?;
    let Some(recipient) = allowed.into_iter().find(|r| r.address == to) else {
        return Err(WebError::forbidden(NOT_ALLOWED));
    };
    let subject: String = form.objet.trim().chars().take(MAX_SUBJECT).collect();
    let text: String = form.message.chars().take(MAX_TEXT).collect();
    let built = build(&state, &session).await?;
    let out = Outgoing {
        to: recipient.address,
        subject: if subject.is_empty() {
            DEFAULT_SUBJECT.to_string()
        } else {
            subject
        },
        text: if text.trim().is_empty() {
            DEFAULT_TEXT.to_string()
        } else {
            text
        },
        attachment: Some(Upload {
            filename: built.file_name,
            content_type: "application/pdf",
            bytes: built.pdf,
        }),
        in_reply_to: None,
        references: Vec::new(),
    };
    send::send(&state, &session, &out).await?;
    tracing::info!("synthesis sent to a professional");
    Ok(Redirect::to("/messages/dossier/envoyes?avis=envoye").into_response())
}

#[cfg(test)]
mod tests {
    use super::name_of;
    use directory::MailboxKind;
    use directory::lookup::MailboxInfo;

    fn info(
        civility: Option<&str>,
        first: Option<&str>,
        last: Option<&str>,
        prof: Option<&str>,
    ) -> MailboxInfo {
        let s = |v: Option<&str>| v.map(str::to_string);
        MailboxInfo {
            address: "x@medecin.mssante.example".into(),
            kind: MailboxKind::Per,
            active: true,
            pharmacy: false,
            pharmacy_marked: false,
            civility: s(civility),
            first_name: s(first),
            last_name: s(last),
            pp_id_type: None,
            pp_id: None,
            pp_national_id: None,
            profession_code: None,
            profession: s(prof),
            skill: None,
            structure_id_type: None,
            structure_id: None,
            structure_name: None,
            structure_brand: None,
            service: None,
            street: None,
            city_line: None,
            postal_code: None,
            department: None,
        }
    }

    #[test]
    fn recipient_labels() {
        let cases = [
            (
                info(Some("DR"), Some("Léa"), Some("ROUSSEAU"), Some("Médecin")),
                "Dr Léa ROUSSEAU — Médecin",
            ),
            (
                info(None, Some("Léa"), Some("ROUSSEAU"), None),
                "Léa ROUSSEAU",
            ),
            (info(None, None, None, None), ""),
        ];
        for (m, want) in cases {
            assert_eq!(name_of(&m), want);
        }
    }
}
