//! CSRF protection of every form (issue 6). Logged-in pages use the session's token (synchroniser
//! token pattern); pages before login (login, activation) use a double-submit cookie. Both come on
//! top of `SameSite=Strict` cookies, which already keep cross-site posts from carrying a session.

use axum::http::HeaderMap;

use super::{cookies, random_token, same};
use crate::error::WebError;
use crate::security::session::CitizenSession;

const REFUSED: &str =
    "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.";

/// Checks the hidden field `csrf` of a form posted in a session.
pub fn check_csrf(session: &CitizenSession, token: &str) -> Result<(), WebError> {
    if !token.is_empty() && same(&session.csrf, token) {
        Ok(())
    } else {
        tracing::warn!("CSRF token mismatch on a session form");
        Err(WebError::forbidden(REFUSED))
    }
}

/// The token for a form shown before login: the one of the existing cookie, or a new one (then
/// `true`: the caller sets it on the response with [`set_anon_cookie`]).
pub fn anon_token(headers: &HeaderMap) -> (String, bool) {
    match cookies::get(headers, cookies::ANON_CSRF) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => (t, false),
        _ => (random_token(), true),
    }
}

/// Adds the anonymous CSRF cookie to a response when `anon_token` made a new one.
pub fn set_anon_cookie(out: &mut HeaderMap, token: &str, is_new: bool) {
    if is_new {
        cookies::set(out, cookies::ANON_CSRF, token);
    }
}

/// Checks the hidden field `csrf` of a form posted before login against the cookie.
pub fn check_anon(headers: &HeaderMap, token: &str) -> Result<(), WebError> {
    match cookies::get(headers, cookies::ANON_CSRF) {
        Some(c) if !token.is_empty() && same(&c, token) => Ok(()),
        _ => {
            tracing::warn!("CSRF token mismatch on a public form");
            Err(WebError::forbidden(REFUSED))
        }
    }
}
