//! The stylesheet and scripts, compiled into the binary so that a deployment is one file.
//! Served under `/static/` with a content type and a day of caching.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::WebError;
use crate::state::AppState;

/// (name, content type, content)
const FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/app.js"),
    ),
    (
        "mail.css",
        "text/css; charset=utf-8",
        include_str!("../static/mail.css"),
    ),
    (
        "agenda.css",
        "text/css; charset=utf-8",
        include_str!("../static/agenda.css"),
    ),
    (
        "catalogue.css",
        "text/css; charset=utf-8",
        include_str!("../static/catalogue.css"),
    ),
    (
        "documents.css",
        "text/css; charset=utf-8",
        include_str!("../static/documents.css"),
    ),
    (
        "measures.css",
        "text/css; charset=utf-8",
        include_str!("../static/measures.css"),
    ),
    (
        "profile.css",
        "text/css; charset=utf-8",
        include_str!("../static/profile.css"),
    ),
    (
        "synthesis.css",
        "text/css; charset=utf-8",
        include_str!("../static/synthesis.css"),
    ),
    (
        "mail.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/mail.js"),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{name}", get(serve))
}

async fn serve(Path(name): Path<String>) -> Result<Response, WebError> {
    let (_, ctype, body) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(WebError::NotFound)?;
    let mut res = (*body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(res)
}
