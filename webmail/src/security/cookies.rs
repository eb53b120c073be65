//! Cookies of the webmail. Names carry the `__Host-` prefix (RFC 6265bis §4.1.3.2): the browser
//! accepts them only with `Secure`, `Path=/` and no `Domain`, so no sibling host can plant one.

use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, SET_COOKIE};
use cookie::{Cookie, SameSite};

/// The session of a logged-in citizen.
pub const SESSION: &str = "__Host-santemail-session";
/// A login or activation flow in progress (between the password and the one-time code).
pub const FLOW: &str = "__Host-santemail-flow";
/// The CSRF token of pages shown before login (double-submit: cookie and hidden field agree).
pub const ANON_CSRF: &str = "__Host-santemail-csrf";

/// The value of cookie `name` in the request, if any.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| Cookie::split_parse(h.to_string()))
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` for a secret: HttpOnly, Secure, SameSite=Strict, Path=/, session lifetime
/// (issue 6: "session cookie HttpOnly + Secure + SameSite=Strict").
pub fn set(headers: &mut HeaderMap, name: &str, value: &str) {
    let c = Cookie::build((name.to_string(), value.to_string()))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .path("/")
        .build();
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        headers.append(SET_COOKIE, v);
    }
}

/// A `Set-Cookie` that erases `name`.
pub fn clear(headers: &mut HeaderMap, name: &str) {
    let c = Cookie::build((name.to_string(), String::new()))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build();
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        headers.append(SET_COOKIE, v);
    }
}
