//! Errors of the handlers, shown to the citizen as a French page with the right status.
//! The cause of an internal error goes to the log, never to the page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::views::Layout;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// 400: the form was wrong; the sentence says how, in French.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 403: not allowed (also a failed CSRF check).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404.
    #[error("not found")]
    NotFound,
    /// 413: a sent file is too large.
    #[error("payload too large: {0}")]
    TooLarge(String),
    /// 429: too many tries, temporary lockout.
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    /// Not logged in (or the session is over): back to the login page.
    #[error("login required")]
    LoginRequired,
    /// 500: the cause is logged, the page says something generic.
    #[error("internal: {0}")]
    Internal(String),
}

impl WebError {
    pub fn bad_request(msg: impl Into<String>) -> WebError {
        WebError::BadRequest(msg.into())
    }
    pub fn forbidden(msg: impl Into<String>) -> WebError {
        WebError::Forbidden(msg.into())
    }
    pub fn not_found() -> WebError {
        WebError::NotFound
    }
    pub fn too_large(msg: impl Into<String>) -> WebError {
        WebError::TooLarge(msg.into())
    }
    pub fn too_many(msg: impl Into<String>) -> WebError {
        WebError::TooManyRequests(msg.into())
    }
    /// Logs the cause (never shown) and answers 500.
    pub fn internal(err: impl std::fmt::Display) -> WebError {
        WebError::Internal(err.to_string())
    }
}

impl From<store::StoreError> for WebError {
    fn from(e: store::StoreError) -> Self {
        WebError::internal(e)
    }
}

impl From<directory::DirectoryError> for WebError {
    fn from(e: directory::DirectoryError) -> Self {
        WebError::internal(e)
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        WebError::internal(e)
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::internal(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            WebError::LoginRequired => return Redirect::to("/connexion").into_response(),
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Demande incorrecte", m.as_str()),
            WebError::Forbidden(m) => (StatusCode::FORBIDDEN, "Accès refusé", m.as_str()),
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "Cette page n’existe pas ou n’est plus disponible.",
            ),
            WebError::TooLarge(m) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Fichier trop volumineux",
                m.as_str(),
            ),
            WebError::TooManyRequests(m) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                m.as_str(),
            ),
            WebError::Internal(cause) => {
                tracing::error!(%cause, "webmail internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Un problème est survenu",
                    "Le service rencontre un problème. Réessayez dans quelques minutes.",
                )
            }
        };
        let page = ErrorPage {
            layout: Layout::anonymous(),
            heading,
            message,
        };
        match page.render() {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page template failed");
                (status, heading.to_string()).into_response()
            }
        }
    }
}
