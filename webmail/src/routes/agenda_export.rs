//! `GET /agenda/rendez-vous.ics`: the agenda for any calendar application. Upcoming appointments
//! and those of the last 90 days (a calendar that imports the file twice updates the same events:
//! the UID is stable), never cached.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use health::agenda::{ics, storage};

use super::{web_error, who};
use crate::error::WebError;
use crate::security::CitizenSession;
use crate::state::AppState;

/// How far back the export goes.
const PAST_SECS: i64 = 90 * 24 * 3600;

/// The host of the public URL ("sante.example" of "https://sante.example:8443/"), for the UIDs.
fn host_of(public_url: &str) -> String {
    let rest = public_url.split_once("://").map_or(public_url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    if host.is_empty() {
        "localhost".to_string()
    } else {
        host.to_ascii_lowercase()
    }
}

pub(super) async fn ics(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let who = who(&state, &session).await?;
    let since = state.now() - PAST_SECS;
    let chosen: Vec<_> = storage::list(&state.db, who.ins())
        .await
        .map_err(web_error)?
        .into_iter()
        .filter(|a| a.draft.starts_at >= since)
        .collect();
    let body = ics::calendar(&chosen, &host_of(&state.settings.public_url));
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"rendez-vous.ics\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok((h, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts() {
        let cases = [
            ("https://localhost:8443", "localhost"),
            ("https://Sante.Example/", "sante.example"),
            ("https://user@sante.example:443/webmail?x", "sante.example"),
            ("sante.example", "sante.example"),
            ("", "localhost"),
        ];
        for (url, want) in cases {
            assert_eq!(host_of(url), want, "{url}");
        }
    }
}
