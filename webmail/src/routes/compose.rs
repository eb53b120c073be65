//! Writing (issue 6, "Mail"): a reply where the policy allows it, and a new message to a
//! pharmacy — the only new message a citizen may start (DESIGN §4: citizen → pharmacy is always
//! allowed; citizen → professional only as an answer). Both go through `mail::send`, i.e. the
//! SMTP delivery pipeline; the page says "envoyé" only once the message and the Envoyés copy
//! are committed.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use directory::officines::{self, Officine};
use serde::Deserialize;
use store::{Flag, FlagMode, Flags, UidSet};

use super::mail::{load_message, parse_target};
use crate::error::WebError;
use crate::mail::format::size_fr;
use crate::mail::listing::{self, Folder, FolderLink};
use crate::mail::send::{self, Outgoing, check_upload};
use crate::mail::view;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::Layout;

/// Longest subject and text accepted from a form, in characters.
const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 20_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ecrire", get(write_page))
        .route("/ecrire/pharmacie", get(pharmacy_form).post(pharmacy_send))
        .route("/messages/{folder}/{uid}/repondre", post(reply))
}

#[derive(Template)]
#[template(path = "mail/write.html")]
struct WriteTpl {
    layout: Layout,
    folders: Vec<FolderLink>,
    query: String,
    searched: bool,
    results: Vec<Officine>,
}

#[derive(Template)]
#[template(path = "mail/pharmacy.html")]
struct PharmacyTpl {
    layout: Layout,
    folders: Vec<FolderLink>,
    officine: Officine,
    max_size: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchQuery {
    q: String,
    a: String,
}

/// "Écrire": the rule in plain words, and the pharmacy search.
async fn write_page(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let q: String = query.q.trim().chars().take(100).collect();
    let results = if q.is_empty() {
        Vec::new()
    } else {
        officines::search(&state.db, &q).await?
    };
    let tpl = WriteTpl {
        layout: Layout::for_session(&state, &session).await?,
        folders: listing::folder_links(&state, &session.acting, None).await?,
        searched: !q.is_empty(),
        query: q,
        results,
    };
    Ok(Html(tpl.render()?).into_response())
}

/// The officine at `address`, or a 403 that says only pharmacies can be written to.
async fn officine_or_refuse(state: &AppState, address: &str) -> Result<Officine, WebError> {
    officines::officine(&state.db, address)
        .await?
        .ok_or_else(|| {
            WebError::forbidden(
                "Vous pouvez écrire un nouveau message seulement à une pharmacie. Pour un autre \
             professionnel de santé, répondez à un message qu’il vous a envoyé.",
            )
        })
}

async fn pharmacy_form(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let officine = officine_or_refuse(&state, &query.a).await?;
    let tpl = PharmacyTpl {
        layout: Layout::for_session(&state, &session).await?,
        folders: listing::folder_links(&state, &session.acting, None).await?,
        officine,
        max_size: size_fr(state.settings.max_attachment_bytes as u64),
    };
    Ok(Html(tpl.render()?).into_response())
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        WebError::too_large("Le fichier envoyé est trop volumineux.")
    } else {
        WebError::bad_request("Le formulaire n’a pas pu être lu. Rechargez la page et recommencez.")
    }
}

/// A text field, cut to `max` characters.
async fn text_field(
    field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<String, WebError> {
    let text = field.text().await.map_err(multipart_error)?;
    Ok(text.chars().take(max).collect())
}

async fn pharmacy_send(
    State(state): State<AppState>,
    session: CitizenSession,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let max = state.settings.max_attachment_bytes;
    let (mut csrf, mut to, mut subject, mut text) =
        (String::new(), String::new(), String::new(), String::new());
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = text_field(field, 128).await?,
            "destinataire" => to = text_field(field, 320).await?,
            "objet" => subject = text_field(field, MAX_SUBJECT).await?,
            "message" => text = text_field(field, MAX_TEXT).await?,
            "piece" => {
                let name = field.file_name().unwrap_or("").to_string();
                let mut bytes = Vec::new();
                // Read by chunks and stop at the limit, rather than buffer whatever is sent.
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    if bytes.len() + chunk.len() > max {
                        return Err(WebError::too_large(format!(
                            "La pièce jointe dépasse la taille autorisée ({}).",
                            size_fr(max as u64)
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                // A file input left empty still sends an empty part.
                if !bytes.is_empty() {
                    file = Some((name, bytes));
                }
            }
            _ => {}
        }
    }
    // The token is checked before anything is done with the rest of the form.
    check_csrf(&session, &csrf)?;
    let officine = officine_or_refuse(&state, &to).await?;
    if text.trim().is_empty() && file.is_none() {
        return Err(WebError::bad_request(
            "Écrivez un message ou joignez votre ordonnance.",
        ));
    }
    let attachment = match file {
        Some((name, bytes)) => Some(check_upload(&name, bytes, max)?),
        None => None,
    };
    let out = Outgoing {
        to: officine.address,
        subject: if subject.trim().is_empty() {
            "Message".into()
        } else {
            subject.trim().to_string()
        },
        text,
        attachment,
        in_reply_to: None,
        references: Vec::new(),
    };
    send::send(&state, &session, &out).await?;
    Ok(Redirect::to("/messages/dossier/envoyes?avis=envoye").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReplyForm {
    csrf: String,
    message: String,
}

/// A reply to a received message. The policy decides (the professional wrote first and did not
/// end the conversation); the form is only shown when it would allow, and is checked again here.
async fn reply(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid)): Path<(String, String)>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let (folder, uid) = parse_target(&folder, &uid)?;
    if folder == Folder::Envoyes {
        return Err(WebError::bad_request(
            "On ne répond pas à un message que l’on a envoyé soi-même.",
        ));
    }
    let text: String = form.message.chars().take(MAX_TEXT).collect();
    if text.trim().is_empty() {
        return Err(WebError::bad_request("Votre réponse est vide."));
    }
    let (mailbox_id, meta, raw) = load_message(&state, &session.acting, folder, uid).await?;
    let original = view::build(&raw, meta.internal_date);
    drop(raw);
    if original.end_of_conversation {
        return Err(WebError::forbidden(send::NO_REPLY));
    }
    let subject = original.subject.trim();
    let subject = if subject.to_ascii_lowercase().starts_with("re:") {
        subject.to_string()
    } else if subject.is_empty() {
        "Re: votre message".into()
    } else {
        format!("Re: {subject}")
    };
    let out = Outgoing {
        to: original.from_address.clone(),
        subject: subject.chars().take(MAX_SUBJECT).collect(),
        text,
        attachment: None,
        in_reply_to: original.message_id.clone(),
        references: original.references.clone(),
    };
    send::send(&state, &session, &out).await?;
    // \Answered on the original (RFC 9051 §2.3.2), for the professional's IMAP view as well.
    let mut answered = Flags::new();
    answered.insert(Flag::Answered);
    state
        .db
        .store_flags(
            mailbox_id,
            &UidSet::from_uids(&[uid]),
            FlagMode::Add,
            &answered,
            None,
            &session.acting,
        )
        .await?;
    Ok(Redirect::to("/messages/dossier/envoyes?avis=envoye").into_response())
}
