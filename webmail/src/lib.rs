//! `webmail`: the citizen web front (DESIGN.md §8), in French, over HTTPS.
//!
//! - [`router`] builds the whole application: account pages (activation, login, settings,
//!   profiles, closing) and mail pages, behind the security headers.
//! - [`server`] serves it over TLS with the peer certificate in each request.
//! - [`security`]: sessions, CSRF, rate limits, one-time codes, login audit.
//! - [`notify`]: e-mails and SMS to the citizen, new-mail notifications.
//! - [`jobs`]: the scheduled opening of pending accounts (6 weeks) and archive erasure.

pub mod clock;
pub mod documents;
pub mod error;
pub mod identifiers;
pub mod jobs;
pub mod mail;
pub mod notify;
pub mod prefs;
pub mod routes;
pub mod security;
pub mod server;
pub mod settings;
pub mod state;
mod static_files;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::Response;

pub use error::WebError;
pub use state::AppState;

/// Strict Content-Security-Policy: nothing inline, nothing from elsewhere; `data:` images only
/// (small icons). Mail HTML is sanitised on top of this (issue 6, "Reading").
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The whole webmail.
pub fn router(state: AppState) -> Router {
    // Room for the largest attachment plus the rest of the form and multipart framing.
    let body_limit = state
        .settings
        .max_attachment_bytes
        .saturating_add(1024 * 1024);
    Router::new()
        .merge(routes::account_routes())
        .merge(routes::mail::routes())
        .merge(routes::compose::routes())
        .merge(routes::documents::routes())
        .merge(routes::space_routes())
        .merge(static_files::routes())
        // Unknown addresses get the French "page introuvable", with the same headers.
        .fallback(async || WebError::not_found())
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers on every response (issue 6, "Security").
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    h.insert(
        "Permissions-Policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    // Health data must not stay in shared caches or the browser's back-forward cache; static
    // files set their own caching.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
