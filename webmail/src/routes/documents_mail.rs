//! Filing from a message into the DMP: "Enregistrer dans mon dossier" on an attachment (the
//! citizen confirms the category, suggested from the type and name, and edits the title), and
//! "Classer ce dossier médical (XDM)" on an attached IHE XDM zip (all its documents or none; a
//! refused package is explained with the bridge's sentence, nothing is written).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use dmp_bridge::categories::suggest_for_attachment;
use dmp_bridge::{Category, DmpError, NewFile, Source};
use mail_parser::MessageParser;
use serde::Deserialize;

use super::{CategoryChoice, category_choices};
use crate::documents::{actor, sniff_type, web_error};
use crate::error::WebError;
use crate::mail::attachments::{AttachmentInfo, attachment_info};
use crate::routes::mail::{load_message, parse_target};
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/messages/{folder}/{uid}/pieces/{n}/dossier",
            get(form_page).post(file_attachment),
        )
        .route("/messages/{folder}/{uid}/pieces/{n}/xdm", post(file_xdm))
}

/// An attachment of a message of the acting profile: its description, sender and bytes.
struct Attachment {
    info: AttachmentInfo,
    sender: String,
    subject: String,
    bytes: Vec<u8>,
}

async fn load_attachment(
    state: &AppState,
    session: &CitizenSession,
    folder: &str,
    uid: &str,
    n: &str,
) -> Result<Attachment, WebError> {
    let (folder, uid) = parse_target(folder, uid)?;
    let n: u32 = n.parse().map_err(|_| WebError::NotFound)?;
    let (_, _, raw) = load_message(state, &session.acting, folder, uid).await?;
    let msg = MessageParser::default()
        .parse(&raw)
        .ok_or(WebError::NotFound)?;
    let part = msg.attachment(n).ok_or(WebError::NotFound)?;
    let sender = msg
        .from()
        .and_then(|f| f.first())
        .and_then(|a| a.address())
        .unwrap_or("")
        .to_string();
    Ok(Attachment {
        info: attachment_info(n as usize, part),
        sender,
        subject: msg.subject().unwrap_or("").to_string(),
        bytes: part.contents().to_vec(),
    })
}

#[derive(Template)]
#[template(path = "documents/file_attachment.html")]
struct FilePage {
    layout: Layout,
    action: String,
    back: String,
    name: String,
    size: String,
    subject: String,
    sender: String,
    title: String,
    categories: Vec<CategoryChoice>,
}

fn title_of(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let t = stem.replace(['_', '-'], " ");
    let t = t.trim();
    if t.is_empty() {
        "Document reçu par messagerie".into()
    } else {
        t.chars().take(200).collect()
    }
}

async fn form_page(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid, n)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let a = load_attachment(&state, &session, &folder, &uid, &n).await?;
    let suggested = suggest_for_attachment(&a.info.content_type, &a.info.name);
    render(&FilePage {
        layout: Layout::for_session(&state, &session).await?,
        action: format!("/messages/{folder}/{uid}/pieces/{n}/dossier"),
        back: format!("/messages/{folder}/{uid}"),
        title: title_of(&a.info.name),
        name: a.info.name,
        size: a.info.size_text,
        subject: a.subject,
        sender: a.sender,
        categories: category_choices(suggested),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FileForm {
    csrf: String,
    titre: String,
    categorie: String,
}

async fn file_attachment(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid, n)): Path<(String, String, String)>,
    Form(form): Form<FileForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let category = Category::from_slug(&form.categorie)
        .ok_or_else(|| WebError::bad_request("Choisissez une catégorie."))?;
    let a = load_attachment(&state, &session, &folder, &uid, &n).await?;
    if a.bytes.is_empty() {
        return Err(WebError::bad_request("Cette pièce jointe est vide."));
    }
    // The type is read from the bytes; an unknown one is kept opaque (downloaded as is).
    let mime = sniff_type(&a.bytes)
        .map(|(m, _)| m.to_string())
        .unwrap_or_else(|| "application/octet-stream".into());
    let me = actor(&state, &session).await?;
    let new = NewFile {
        title: form.titre.trim().chars().take(300).collect(),
        category: Some(category),
        mime_type: mime,
        file_name: a.info.name,
        origin: (!a.sender.is_empty()).then_some(a.sender),
    };
    let doc = state
        .dmp
        .citizen_add_file(&me, new, &a.bytes, Source::Mail)
        .await
        .map_err(web_error)?;
    Ok(Redirect::to(&format!("/documents/{}?avis=classe", doc.id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf: String,
}

#[derive(Template)]
#[template(path = "documents/xdm_refused.html")]
struct RefusedPage {
    layout: Layout,
    reason: String,
    back: String,
}

async fn file_xdm(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid, n)): Path<(String, String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let a = load_attachment(&state, &session, &folder, &uid, &n).await?;
    let me = actor(&state, &session).await?;
    match state.dmp.citizen_file_xdm(&me, a.bytes).await {
        Ok(filed) => {
            tracing::info!(
                new = filed.new,
                already = filed.already_present,
                "XDM package filed from a message"
            );
            Ok(Redirect::to("/documents?avis=paquet").into_response())
        }
        Err(e @ DmpError::Xdm(_)) => {
            tracing::warn!(error = %e, "XDM package from a message refused");
            let mut res = render(&RefusedPage {
                layout: Layout::for_session(&state, &session).await?,
                reason: e.citizen_text(),
                back: format!("/messages/{folder}/{uid}"),
            })?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(web_error(e)),
    }
}
