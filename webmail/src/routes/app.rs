//! The installable app (issue 9, "The app"): the web app manifest, the service worker, the icons
//! and the offline page. The worker stores only `/static/` assets and the offline page, which
//! holds no personal data (`static/sw.js` says why); everything else stays network-only.

use std::sync::LazyLock;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::WebError;
use crate::state::AppState;
use crate::views::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/manifest.webmanifest", get(manifest))
        .route("/sw.js", get(service_worker))
        .route("/static/icons/{name}", get(icon))
        .route("/hors-ligne", get(offline))
}

/// The app's name on the phone's home screen and in its app switcher.
pub const APP_NAME: &str = "Santemail — Mon espace santé";
pub const APP_SHORT_NAME: &str = "Espace santé";
/// The brand blue of `app.css` (the top bar), also the browser's theme colour.
pub const THEME_COLOR: &str = "#003b80";

/// (name, content type, bytes): drawn by `scripts/make-app-icons.py`, compiled in.
const ICONS: &[(&str, &str, &[u8])] = &[
    (
        "icon-192.png",
        "image/png",
        include_bytes!("../../static/icons/icon-192.png"),
    ),
    (
        "icon-512.png",
        "image/png",
        include_bytes!("../../static/icons/icon-512.png"),
    ),
    (
        "maskable-192.png",
        "image/png",
        include_bytes!("../../static/icons/maskable-192.png"),
    ),
    (
        "maskable-512.png",
        "image/png",
        include_bytes!("../../static/icons/maskable-512.png"),
    ),
    (
        "apple-touch-icon.png",
        "image/png",
        include_bytes!("../../static/icons/apple-touch-icon.png"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../../static/icons/icon.svg"),
    ),
];

static MANIFEST: LazyLock<String> = LazyLock::new(|| {
    let icon = |src: &str, sizes: &str, kind: &str, purpose: &str| serde_json::json!({ "src": src, "sizes": sizes, "type": kind, "purpose": purpose });
    serde_json::json!({
        "id": "/",
        "name": APP_NAME,
        "short_name": APP_SHORT_NAME,
        "description": "Vos messages, documents, profil médical et agenda de santé, en toute sécurité.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "categories": ["health", "medical"],
        "icons": [
            icon("/static/icons/icon-192.png", "192x192", "image/png", "any"),
            icon("/static/icons/icon-512.png", "512x512", "image/png", "any"),
            icon("/static/icons/maskable-192.png", "192x192", "image/png", "maskable"),
            icon("/static/icons/maskable-512.png", "512x512", "image/png", "maskable"),
            icon("/static/icons/icon.svg", "any", "image/svg+xml", "any"),
        ],
    })
    .to_string()
});

fn with_headers(body: impl IntoResponse, ctype: &'static str, cache: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

async fn manifest() -> Response {
    with_headers(
        MANIFEST.as_str(),
        "application/manifest+json",
        "public, max-age=3600",
    )
}

/// Served from the root so that its scope is the whole site; `no-cache` so that a new version
/// reaches the phones at the next visit.
async fn service_worker() -> Response {
    with_headers(
        include_str!("../../static/sw.js"),
        "text/javascript; charset=utf-8",
        "no-cache",
    )
}

async fn icon(Path(name): Path<String>) -> Result<Response, WebError> {
    let (_, ctype, bytes) = ICONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(WebError::NotFound)?;
    Ok(with_headers(*bytes, ctype, "public, max-age=86400"))
}

#[derive(Template)]
#[template(path = "app/offline.html")]
struct OfflinePage {
    layout: Layout,
}

/// The page the service worker shows offline. Always the anonymous frame: the worker stores it,
/// so it must carry nothing of a session (no name, no token, no count).
async fn offline() -> Result<Response, WebError> {
    let html = OfflinePage {
        layout: Layout::anonymous(),
    }
    .render()?;
    Ok(with_headers(
        html,
        "text/html; charset=utf-8",
        "public, max-age=86400",
    ))
}
