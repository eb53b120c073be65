//! Mail pages (issue 6, "Mail"): folder lists with paging and unread counts, reading a message
//! (sanitised HTML or text, attachments, the reply rule), read/unread, delete to Corbeille, move,
//! attachment download, and the live new-mail stream (SSE). Every page acts on the session's
//! `acting` profile (the citizen, or a child's profile a parent switched to).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use store::{Flag, FlagMode, Flags, MessageMeta, UidSet};

use crate::error::WebError;
use crate::mail::attachments::{attachment_info, download_headers};
use crate::mail::listing::{self, Folder, FolderLink, Page};
use crate::mail::live;
use crate::mail::send::{ReplyRule, rule_for};
use crate::mail::view::{self, MessageView};
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/messages", get(inbox))
        .route("/messages/evenements", get(live::events))
        .route("/messages/dossier/{folder}", get(folder_page))
        .route("/messages/{folder}/{uid}", get(read))
        .route("/messages/{folder}/{uid}/etat", post(set_seen))
        .route("/messages/{folder}/{uid}/supprimer", post(delete))
        .route("/messages/{folder}/{uid}/deplacer", post(move_to))
        .route("/messages/{folder}/{uid}/pieces/{n}", get(attachment))
        .route("/static/mail.js", get(live::mail_js))
        .route("/static/mail.css", get(live::mail_css))
}

#[derive(Template)]
#[template(path = "mail/folder.html")]
struct FolderTpl {
    layout: Layout,
    folders: Vec<FolderLink>,
    folder_label: &'static str,
    folder_slug: &'static str,
    page: Page,
    notice: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct MessageTpl {
    layout: Layout,
    folders: Vec<FolderLink>,
    folder_label: &'static str,
    folder_slug: &'static str,
    uid: u32,
    view: MessageView,
    shown_html: Option<String>,
    in_trash: bool,
    /// Reply section shown (received messages only).
    show_reply: bool,
    reply_refused: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    page: Option<String>,
    /// Set after a send, a move or a delete: the notice to show.
    avis: Option<String>,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "envoye" => Some("Votre message a été envoyé. Une copie est dans « Envoyés »."),
        "supprime" => Some("Le message a été mis dans la corbeille."),
        "efface" => Some("Le message a été supprimé définitivement."),
        "deplace" => Some("Le message a été déplacé."),
        _ => None,
    }
}

async fn inbox(
    state: State<AppState>,
    session: CitizenSession,
    query: Query<ListQuery>,
) -> Result<Response, WebError> {
    show_folder(&state, &session, Folder::Recus, &query).await
}

async fn folder_page(
    state: State<AppState>,
    session: CitizenSession,
    Path(folder): Path<String>,
    query: Query<ListQuery>,
) -> Result<Response, WebError> {
    let folder = Folder::from_slug(&folder).ok_or(WebError::NotFound)?;
    show_folder(&state, &session, folder, &query).await
}

async fn show_folder(
    state: &AppState,
    session: &CitizenSession,
    folder: Folder,
    query: &ListQuery,
) -> Result<Response, WebError> {
    let account = &session.acting;
    let folders = listing::folder_links(state, account, Some(folder)).await?;
    let total = folders
        .iter()
        .find(|f| f.current)
        .map(|f| f.total)
        .unwrap_or(0);
    let mailbox = listing::mailbox_of(state, account, folder).await?;
    let wanted = query
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<u32>().ok())
        .unwrap_or(1);
    let page = listing::page(state, account, &mailbox, folder, total, wanted).await?;
    let tpl = FolderTpl {
        layout: Layout::for_session(state, session).await?,
        folders,
        folder_label: folder.label(),
        folder_slug: folder.slug(),
        page,
        notice: notice_of(query.avis.as_deref()),
    };
    Ok(Html(tpl.render()?).into_response())
}

/// The folder and UID of a message URL; anything else is "page introuvable".
pub(crate) fn parse_target(folder: &str, uid: &str) -> Result<(Folder, u32), WebError> {
    let folder = Folder::from_slug(folder).ok_or(WebError::NotFound)?;
    let uid = uid.parse::<u32>().map_err(|_| WebError::NotFound)?;
    Ok((folder, uid))
}

/// A message of the acting profile: its mailbox id, metadata and raw bytes.
pub(crate) async fn load_message(
    state: &AppState,
    account: &str,
    folder: Folder,
    uid: u32,
) -> Result<(i64, MessageMeta, Vec<u8>), WebError> {
    let mailbox = listing::mailbox_of(state, account, folder).await?;
    let meta = state
        .db
        .fetch_messages(mailbox.id, &UidSet::from_uids(&[uid]), account)
        .await?
        .into_iter()
        .find(|m| !m.flags.contains(&Flag::Deleted))
        .ok_or(WebError::NotFound)?;
    let raw = state.blobs.get(&meta.blob).await?;
    Ok((mailbox.id, meta, raw))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReadQuery {
    texte: Option<String>,
}

async fn read(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid)): Path<(String, String)>,
    Query(query): Query<ReadQuery>,
) -> Result<Response, WebError> {
    let (folder, uid) = parse_target(&folder, &uid)?;
    let account = &session.acting;
    let (mailbox_id, meta, raw) = load_message(&state, account, folder, uid).await?;
    if !meta.flags.contains(&Flag::Seen) {
        store_flag(&state, mailbox_id, uid, Flag::Seen, true, account).await?;
    }
    let view = view::build(&raw, meta.internal_date);
    drop(raw);
    // Replies are offered under received messages only (not under one's own sent messages).
    let show_reply = matches!(folder, Folder::Recus | Folder::Archives | Folder::Corbeille)
        && !view.from_address.eq_ignore_ascii_case(account);
    let reply_refused = if !show_reply {
        None
    } else if view.end_of_conversation {
        Some(
            "Ce professionnel a indiqué que son message n’appelait pas de réponse : vous ne \
             pouvez pas lui répondre."
                .to_string(),
        )
    } else {
        match rule_for(&state, &session, &view.from_address).await? {
            ReplyRule::Allowed => None,
            ReplyRule::Refused(why) => Some(why),
        }
    };
    let shown_html = if query.texte.is_some() {
        None
    } else {
        view.html.clone()
    };
    let tpl = MessageTpl {
        // After the \Seen update, so the unread badge is already right.
        layout: Layout::for_session(&state, &session).await?,
        folders: listing::folder_links(&state, account, Some(folder)).await?,
        folder_label: folder.label(),
        folder_slug: folder.slug(),
        uid,
        view,
        shown_html,
        in_trash: folder == Folder::Corbeille,
        show_reply,
        reply_refused,
    };
    Ok(Html(tpl.render()?).into_response())
}

async fn store_flag(
    state: &AppState,
    mailbox_id: i64,
    uid: u32,
    flag: Flag,
    set: bool,
    viewer: &str,
) -> Result<(), WebError> {
    let mut flags = Flags::new();
    flags.insert(flag);
    let mode = if set { FlagMode::Add } else { FlagMode::Remove };
    state
        .db
        .store_flags(
            mailbox_id,
            &UidSet::from_uids(&[uid]),
            mode,
            &flags,
            None,
            viewer,
        )
        .await?;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    lu: String,
    vers: String,
}

async fn set_seen(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let (folder, uid) = parse_target(&folder, &uid)?;
    let (mailbox_id, _, _) = load_message(&state, &session.acting, folder, uid).await?;
    let seen = form.lu == "1";
    store_flag(&state, mailbox_id, uid, Flag::Seen, seen, &session.acting).await?;
    Ok(Redirect::to(&format!("/messages/dossier/{}", folder.slug())).into_response())
}

async fn delete(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let (folder, uid) = parse_target(&folder, &uid)?;
    let account = &session.acting;
    let (mailbox_id, _, _) = load_message(&state, account, folder, uid).await?;
    let set = UidSet::from_uids(&[uid]);
    let notice = if folder == Folder::Corbeille {
        // Deleting from the Corbeille is for good: \Deleted then EXPUNGE (RFC 9051 §6.4.3).
        store_flag(&state, mailbox_id, uid, Flag::Deleted, true, account).await?;
        state.db.expunge(mailbox_id, Some(&set)).await?;
        "efface"
    } else {
        let trash = listing::mailbox_of(&state, account, Folder::Corbeille).await?;
        state
            .db
            .move_messages(mailbox_id, trash.id, &set, account)
            .await?;
        "supprime"
    };
    Ok(Redirect::to(&format!(
        "/messages/dossier/{}?avis={notice}",
        folder.slug()
    ))
    .into_response())
}

async fn move_to(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let (folder, uid) = parse_target(&folder, &uid)?;
    let target = Folder::from_slug(&form.vers)
        .ok_or_else(|| WebError::bad_request("Choisissez un dossier de destination."))?;
    let account = &session.acting;
    let (mailbox_id, _, _) = load_message(&state, account, folder, uid).await?;
    if target != folder {
        let dest = listing::mailbox_of(&state, account, target).await?;
        state
            .db
            .move_messages(mailbox_id, dest.id, &UidSet::from_uids(&[uid]), account)
            .await?;
    }
    Ok(Redirect::to(&format!("/messages/dossier/{}?avis=deplace", folder.slug())).into_response())
}

async fn attachment(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((folder, uid, n)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (folder, uid) = parse_target(&folder, &uid)?;
    let n: u32 = n.parse().map_err(|_| WebError::NotFound)?;
    let (_, _, raw) = load_message(&state, &session.acting, folder, uid).await?;
    let msg = mail_parser::MessageParser::default()
        .parse(&raw)
        .ok_or(WebError::NotFound)?;
    let part = msg.attachment(n).ok_or(WebError::NotFound)?;
    let info = attachment_info(n as usize, part);
    let headers = download_headers(&info);
    let body = part.contents().to_vec();
    Ok((headers, body).into_response())
}
