//! The front page: straight to the messages when logged in, else the two ways in.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::error::WebError;
use crate::security::{cookies, session};
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "account/home.html")]
struct HomePage {
    layout: Layout,
}

async fn home(State(state): State<AppState>, parts: Parts) -> Result<Response, WebError> {
    if let Some(token) = cookies::get(&parts.headers, cookies::SESSION)
        && session::load(&state, &token).await?.is_some()
    {
        return Ok(Redirect::to("/messages").into_response());
    }
    render(&HomePage {
        layout: Layout::anonymous(),
    })
}
