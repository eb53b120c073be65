//! Settings (issue 6): contact details (changed with a code, see [`super::contact`]), password
//! change, notification preferences, the list of active sessions with "déconnecter", the login
//! history, and the way to close the account.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::activation_steps::password_rules;
use crate::error::WebError;
use crate::notify::Channel;
use crate::prefs::{self, Prefs};
use crate::security::client::ClientInfo;
use crate::security::{CitizenSession, audit, check_csrf, session};
use crate::state::AppState;
use crate::views::{Layout, french_datetime, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/parametres", get(page))
        .route("/parametres/mot-de-passe", post(change_password))
        .route("/parametres/notifications", post(set_prefs))
        .route("/parametres/sessions/fermer", post(end_session))
        .merge(super::contact::routes())
}

pub(crate) struct SessionLine {
    pub id: String,
    pub current: bool,
    pub since: String,
    pub last_seen: String,
    pub ip: String,
    pub browser: String,
}

pub(crate) struct AuditLine {
    pub at: String,
    pub what: &'static str,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "account/settings.html")]
pub(crate) struct SettingsPage {
    pub layout: Layout,
    pub message: Option<String>,
    pub error: Option<String>,
    pub identifier: String,
    pub email: String,
    pub mobile: String,
    pub prefs: Prefs,
    pub sessions: Vec<SessionLine>,
    pub history: Vec<AuditLine>,
}

/// The settings page with an optional confirmation or error line at the top.
pub(crate) async fn settings_page(
    state: &AppState,
    session: &CitizenSession,
    message: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let layout = Layout::for_session(state, session).await?;
    let contact = directory::contacts::contact(&state.db, &session.login).await?;
    let sessions = session::list(state, &session.login)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            current: s.session_id == session.session_id,
            id: s.session_id,
            since: french_datetime(s.created_at),
            last_seen: french_datetime(s.last_seen),
            ip: s.ip,
            browser: s.user_agent.chars().take(80).collect(),
        })
        .collect();
    let history = audit::recent(state, &session.login, 10)
        .await?
        .into_iter()
        .map(|a| AuditLine {
            at: french_datetime(a.at),
            what: audit::describe(&a.event),
            ip: a.ip,
        })
        .collect();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut res = render(&SettingsPage {
        layout,
        message,
        error,
        identifier: crate::identifiers::identifier_of(&state.db, &session.login)
            .await?
            .unwrap_or_default(),
        email: contact.email.unwrap_or_default(),
        mobile: contact.mobile.unwrap_or_default(),
        prefs: prefs::get(&state.db, &session.login).await?,
        sessions,
        history,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    settings_page(&state, &session, None, None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ancien: String,
    #[serde(default)]
    nouveau: String,
    #[serde(default)]
    confirmation: String,
}

async fn change_password(
    State(state): State<AppState>,
    session: CitizenSession,
    client: ClientInfo,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let key = format!("password:{}", session.login);
    crate::security::rate::check(&state, &key).await?;
    if !directory::credentials::verify_password(&state.db, &session.login, &form.ancien).await? {
        if crate::security::rate::fail(&state, &key).await? {
            return Err(crate::security::rate::locked(state.settings.lockout_secs));
        }
        let e = "Le mot de passe actuel est incorrect.".to_string();
        return settings_page(&state, &session, None, Some(e)).await;
    }
    if let Err(e) = password_rules(&form.nouveau, &form.confirmation) {
        return settings_page(&state, &session, None, Some(e)).await;
    }
    directory::credentials::set_password(&state.db, &session.login, &form.nouveau).await?;
    // Other sessions may belong to whoever knew the old password: they end.
    session::destroy_all(&state, &session.login, Some(&session.session_id)).await?;
    audit::record(
        &state,
        &session.login,
        "password_changed",
        &client.ip,
        &client.user_agent,
    )
    .await?;
    if let Some(email) = directory::contacts::contact(&state.db, &session.login)
        .await?
        .email
        && let Err(e) = state
            .notifier
            .alert(
                &email,
                "Le mot de passe de votre messagerie santé vient d’être modifié.",
            )
            .await
    {
        tracing::warn!(error = %e, "password alert not sent");
    }
    let m = "Votre mot de passe est modifié. Vos autres sessions ont été fermées.".to_string();
    settings_page(&state, &session, Some(m), None).await
}

#[derive(Deserialize)]
pub struct PrefsForm {
    #[serde(default)]
    csrf: String,
    /// Present ("oui") when the box is ticked.
    #[serde(default)]
    avis_nouveau_message: String,
    /// `email` or `sms`.
    #[serde(default)]
    canal_code: String,
}

async fn set_prefs(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<PrefsForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let channel = Channel::parse(&form.canal_code);
    if channel == Channel::Sms
        && directory::contacts::contact(&state.db, &session.login)
            .await?
            .mobile
            .is_none()
    {
        let e = "Pour recevoir le code par SMS, ajoutez d’abord un numéro de mobile.".to_string();
        return settings_page(&state, &session, None, Some(e)).await;
    }
    prefs::set(
        &state,
        &session.login,
        Prefs {
            notify_new_mail: form.avis_nouveau_message == "oui",
            otp_channel: channel,
        },
    )
    .await?;
    let m = "Vos préférences sont enregistrées.".to_string();
    settings_page(&state, &session, Some(m), None).await
}

#[derive(Deserialize)]
pub struct EndSessionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session: String,
}

async fn end_session(
    State(state): State<AppState>,
    session: CitizenSession,
    client: ClientInfo,
    Form(form): Form<EndSessionForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    if form.session == session.session_id {
        // Ending the current session is a logout.
        return Err(WebError::bad_request(
            "Pour fermer cette session-ci, utilisez « Se déconnecter ».",
        ));
    }
    if session::destroy(&state, &session.login, &form.session).await? {
        audit::record(
            &state,
            &session.login,
            "session_ended",
            &client.ip,
            &client.user_agent,
        )
        .await?;
    }
    let m = "La session a été fermée.".to_string();
    settings_page(&state, &session, Some(m), None).await
}
