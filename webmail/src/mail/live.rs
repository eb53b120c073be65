//! The live new-mail stream of the mail pages (server-sent events) and the mail pages' own
//! static files (`/static/mail.js`, `/static/mail.css`, compiled into the binary).

use std::convert::Infallible;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use store::ChangeKind;

use super::listing::{self, Folder};
use crate::error::WebError;
use crate::security::CitizenSession;
use crate::state::AppState;

/// Server-sent events for the open page (a small enhancement; the pages work without it): an
/// event `messages` with the acting profile's unread count whenever one of its folders changes,
/// `nouveau: true` when a message arrived in Reçus. Reads the store's change notifications,
/// which on PostgreSQL include other nodes' deliveries.
pub async fn events(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, WebError> {
    let rx = state.db.subscribe().await?;
    let account = session.acting.clone();
    let inbox = listing::mailbox_of(&state, &account, Folder::Recus)
        .await?
        .id;
    let stream = futures::stream::unfold(rx, move |mut rx| {
        let state = state.clone();
        let account = account.clone();
        async move {
            loop {
                let arrived = match rx.recv().await {
                    Ok(c) if c.account == account && c.kind != ChangeKind::Mailbox => {
                        c.kind == ChangeKind::Append && c.mailbox_id == inbox
                    }
                    Ok(_) => continue,
                    // Missed some changes: say something may be new, the page re-reads.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                };
                let unread = match state.db.mailbox_status(inbox, &account).await {
                    Ok(s) => s.unseen,
                    Err(e) => {
                        tracing::warn!(error = %e, "unread count for the live stream");
                        continue;
                    }
                };
                let data = serde_json::json!({ "non_lus": unread, "nouveau": arrived });
                let event = Event::default().event("messages").data(data.to_string());
                return Some((Ok(event), rx));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

fn static_file(ctype: &'static str, body: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

pub async fn mail_js() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("../../static/mail.js"),
    )
}

pub async fn mail_css() -> Response {
    static_file(
        "text/css; charset=utf-8",
        include_str!("../../static/mail.css"),
    )
}
