//! Child profiles (DESIGN §8): a parent reaches each child's profile from their own session and
//! acts as the child — the child's mailbox and permits — until they switch back.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf, session};
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/profils", get(page))
        .route("/profils/changer", post(switch))
}

#[derive(Template)]
#[template(path = "account/profiles.html")]
struct ProfilesPage {
    layout: Layout,
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    render(&ProfilesPage {
        layout: Layout::for_session(&state, &session).await?,
    })
}

#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    profil: String,
}

async fn switch(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<SwitchForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let target = store::mailbox::normalize_account(&form.profil);
    let allowed = target == session.login
        || directory::accounts::is_guardian(&state.db, &session.login, &target).await?;
    if !allowed {
        tracing::warn!("profile switch refused: not a guardian of the target");
        return Err(WebError::forbidden(
            "Vous ne pouvez pas agir pour cette personne.",
        ));
    }
    // The child's mailbox exists as soon as someone acts for it.
    state.db.ensure_default_mailboxes(&target).await?;
    session::set_acting(&state, &session.session_id, &target).await?;
    tracing::info!(child = target != session.login, "profile switched");
    Ok(Redirect::to("/messages").into_response())
}
