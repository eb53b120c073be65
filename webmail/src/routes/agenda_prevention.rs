//! The prevention proposals' two buttons: "Ignorer" (remembered with the day, so a periodic
//! proposal comes back at its next round) and "Planifier" (the add form, pre-filled with the
//! proposal's name, under the agenda).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use health::agenda::{paris, rules, storage};

use super::form::CsrfForm;
use super::{web_error, who};
use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;

fn rule_of(slug: &str) -> Result<&'static rules::Rule, WebError> {
    rules::rule(slug).ok_or(WebError::NotFound)
}

pub(super) async fn dismiss(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(slug): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, f.token())?;
    let rule = rule_of(&slug)?;
    let who = who(&state, &session).await?;
    let now = state.now();
    let today = paris::today(now).ok_or_else(|| WebError::internal("clock out of range"))?;
    storage::dismiss(&state.db, who.ins(), rule.id, today, now)
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/agenda?avis=ignore#prevention").into_response())
}

pub(super) async fn plan(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(slug): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, f.token())?;
    let rule = rule_of(&slug)?;
    // Only checks that the session may act on this agenda; nothing is written yet.
    who(&state, &session).await?;
    Ok(Redirect::to(&format!("/agenda?regle={}#ajout", rule.id)).into_response())
}
