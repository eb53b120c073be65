//! Sessions of logged-in citizens, kept in the database (`web_session`) so that every node of a
//! cluster sees them and the citizen can list and end them from the settings.
//!
//! The cookie holds a random 256-bit token; the database holds only its SHA-256. A session ends
//! after `session_idle_secs` without a request (idle timeout) or `session_max_secs` in all.
//! A new session is created at every login and the old cookie's session is deleted (rotation, so a
//! token planted before login is worth nothing after).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sqlx::Row;

use super::{cookies, random_token, token_hash};
use crate::error::WebError;
use crate::state::AppState;

/// The citizen behind a request (shared contract of the webmail crate).
#[derive(Debug, Clone)]
pub struct CitizenSession {
    /// Public id of the session (shown in the sessions list; not the cookie secret).
    pub session_id: String,
    /// The citizen's own mailbox address.
    pub login: String,
    /// The mailbox acted as: the citizen, or a child after switching profile. Mail pages use this.
    pub acting: String,
    /// The CSRF token every form of this session carries in its hidden field `csrf`.
    pub csrf: String,
}

/// One line of the sessions list in the settings.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub session_id: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub ip: String,
    pub user_agent: String,
}

/// Don't rewrite `last_seen` on every request: once a minute is precise enough for an idle
/// timeout counted in minutes, and spares a write per page view.
const TOUCH_EVERY_SECS: i64 = 60;

impl FromRequestParts<AppState> for CitizenSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(s) = parts.extensions.get::<CitizenSession>() {
            return Ok(s.clone());
        }
        let token =
            cookies::get(&parts.headers, cookies::SESSION).ok_or(WebError::LoginRequired)?;
        let session = load(state, &token).await?.ok_or(WebError::LoginRequired)?;
        parts.extensions.insert(session.clone());
        Ok(session)
    }
}

/// The live session of a cookie token, touched; `None` when unknown or expired (then deleted).
pub async fn load(state: &AppState, token: &str) -> Result<Option<CitizenSession>, WebError> {
    let id_hash = token_hash(token);
    let row = sqlx::query(
        "SELECT public_id, login, acting, csrf, created_at, last_seen FROM web_session \
         WHERE id_hash = $1",
    )
    .bind(id_hash.clone())
    .fetch_optional(state.db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = state.now();
    let created_at: i64 = row.try_get("created_at")?;
    let last_seen: i64 = row.try_get("last_seen")?;
    if now - last_seen > state.settings.session_idle_secs
        || now - created_at > state.settings.session_max_secs
    {
        sqlx::query("DELETE FROM web_session WHERE id_hash = $1")
            .bind(id_hash)
            .execute(state.db.pool())
            .await?;
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY_SECS {
        sqlx::query("UPDATE web_session SET last_seen = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(now)
            .execute(state.db.pool())
            .await?;
    }
    Ok(Some(CitizenSession {
        session_id: row.try_get("public_id")?,
        login: row.try_get("login")?,
        acting: row.try_get("acting")?,
        csrf: row.try_get("csrf")?,
    }))
}

/// Opens a session for `login` and returns the cookie token (to send once) with the session.
pub async fn create(
    state: &AppState,
    login: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(String, CitizenSession), WebError> {
    let token = random_token();
    let session = CitizenSession {
        session_id: random_token()[..32].to_string(),
        login: login.to_string(),
        acting: login.to_string(),
        csrf: random_token(),
    };
    let now = state.now();
    // The user agent is the citizen's own information, shown back to them in the sessions list;
    // cut to keep the row small.
    let ua: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO web_session (id_hash, public_id, login, acting, csrf, created_at, last_seen, \
         ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
    )
    .bind(token_hash(&token))
    .bind(session.session_id.clone())
    .bind(session.login.clone())
    .bind(session.acting.clone())
    .bind(session.csrf.clone())
    .bind(now)
    .bind(ip.to_string())
    .bind(ua)
    .execute(state.db.pool())
    .await?;
    Ok((token, session))
}

/// Ends the session of a cookie token (logout, rotation at login).
pub async fn destroy_token(state: &AppState, token: &str) -> Result<(), WebError> {
    sqlx::query("DELETE FROM web_session WHERE id_hash = $1")
        .bind(token_hash(token))
        .execute(state.db.pool())
        .await?;
    Ok(())
}

/// Ends one of `login`'s sessions by its public id ("déconnecter" in the settings).
pub async fn destroy(state: &AppState, login: &str, session_id: &str) -> Result<bool, WebError> {
    let done = sqlx::query("DELETE FROM web_session WHERE login = $1 AND public_id = $2")
        .bind(login.to_string())
        .bind(session_id.to_string())
        .execute(state.db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of `login` (password change elsewhere, closing), except `keep` if given.
pub async fn destroy_all(
    state: &AppState,
    login: &str,
    keep: Option<&str>,
) -> Result<u64, WebError> {
    let done = sqlx::query("DELETE FROM web_session WHERE login = $1 AND public_id <> $2")
        .bind(login.to_string())
        .bind(keep.unwrap_or("").to_string())
        .execute(state.db.pool())
        .await?;
    Ok(done.rows_affected())
}

/// The live sessions of `login`, newest first.
pub async fn list(state: &AppState, login: &str) -> Result<Vec<SessionInfo>, WebError> {
    let idle_limit = state.now() - state.settings.session_idle_secs;
    let rows = sqlx::query(
        "SELECT public_id, created_at, last_seen, ip, user_agent FROM web_session \
         WHERE login = $1 AND last_seen >= $2 ORDER BY last_seen DESC",
    )
    .bind(login.to_string())
    .bind(idle_limit)
    .fetch_all(state.db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SessionInfo {
                session_id: r.try_get("public_id")?,
                created_at: r.try_get("created_at")?,
                last_seen: r.try_get("last_seen")?,
                ip: r.try_get("ip")?,
                user_agent: r.try_get("user_agent")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(WebError::from)
}

/// Switches the profile the session acts as (a parent to a child's profile and back).
pub async fn set_acting(state: &AppState, session_id: &str, acting: &str) -> Result<(), WebError> {
    sqlx::query("UPDATE web_session SET acting = $2 WHERE public_id = $1")
        .bind(session_id.to_string())
        .bind(acting.to_string())
        .execute(state.db.pool())
        .await?;
    Ok(())
}
