//! Changing the e-mail address or the mobile number (issue 6: "contact details changed with a
//! code"): a code goes to the NEW destination, and the change takes effect only once it is typed,
//! so a typo cannot redirect the login codes elsewhere. The old address is told of the change.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::{Deserialize, Serialize};

use super::activation_steps::{normalize_email, normalize_mobile};
use super::settings::settings_page;
use crate::error::WebError;
use crate::notify::Channel;
use crate::security::client::ClientInfo;
use crate::security::otp::{self, Verified};
use crate::security::{CitizenSession, audit, check_csrf, cookies, rate};
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/parametres/coordonnees", post(start))
        .route(
            "/parametres/coordonnees/code",
            get(code_page).post(code_submit),
        )
}

#[derive(Serialize, Deserialize)]
struct Pending {
    email: Option<String>,
    mobile: Option<String>,
}

#[derive(Template)]
#[template(path = "account/contact_code.html")]
struct CodePage {
    layout: Layout,
    error: Option<String>,
    sent_to: String,
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    csrf: String,
    /// `email` or `mobile`.
    #[serde(default)]
    champ: String,
    #[serde(default)]
    valeur: String,
}

async fn start(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<ContactForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let (pending, channel, target) = if form.champ == "mobile" {
        let Some(m) = normalize_mobile(&form.valeur) else {
            let e = "Le numéro de mobile n’est pas valide (exemple : 06 12 34 56 78).".to_string();
            return settings_page(&state, &session, None, Some(e)).await;
        };
        (
            Pending {
                email: None,
                mobile: Some(m.clone()),
            },
            Channel::Sms,
            m,
        )
    } else {
        let Some(e) = normalize_email(&form.valeur) else {
            let msg = "L’adresse e-mail n’est pas valide.".to_string();
            return settings_page(&state, &session, None, Some(msg)).await;
        };
        (
            Pending {
                email: Some(e.clone()),
                mobile: None,
            },
            Channel::Email,
            e,
        )
    };
    let payload = serde_json::to_string(&pending).map_err(WebError::internal)?;
    let (flow, codes) = otp::start(
        &state,
        "contact",
        &session.login,
        channel.as_str(),
        &otp::mask(&target),
        &payload,
        1,
    )
    .await?;
    let code = codes.first().cloned().unwrap_or_default();
    let minutes = state.settings.otp_validity_secs / 60;
    if let Err(e) = state
        .notifier
        .send_code(
            channel,
            &target,
            &code,
            "confirmer vos nouvelles coordonnées",
            minutes,
        )
        .await
    {
        tracing::error!(error = %e, "contact code not sent");
        let m = "Le code n’a pas pu être envoyé. Vérifiez la coordonnée saisie.".to_string();
        return settings_page(&state, &session, None, Some(m)).await;
    }
    let mut res = Redirect::to("/parametres/coordonnees/code").into_response();
    cookies::set(res.headers_mut(), cookies::FLOW, &flow);
    Ok(res)
}

fn sent_to(ch: &otp::Challenge) -> String {
    match ch.channel.as_str() {
        "sms" => format!("par SMS au {}", ch.target),
        _ => format!("par e-mail à {}", ch.target),
    }
}

async fn code_page(
    State(state): State<AppState>,
    session: CitizenSession,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let flow = cookies::get(&headers, cookies::FLOW).unwrap_or_default();
    let Some(ch) = otp::peek(&state, &flow, "contact").await? else {
        return Ok(Redirect::to("/parametres").into_response());
    };
    if ch.subject != session.login {
        return Ok(Redirect::to("/parametres").into_response());
    }
    render(&CodePage {
        layout: Layout::for_session(&state, &session).await?,
        error: None,
        sent_to: sent_to(&ch),
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

async fn code_submit(
    State(state): State<AppState>,
    session: CitizenSession,
    client: ClientInfo,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let flow = cookies::get(&headers, cookies::FLOW).unwrap_or_default();
    let Some(ch) = otp::peek(&state, &flow, "contact").await? else {
        return Ok(Redirect::to("/parametres").into_response());
    };
    if ch.subject != session.login {
        return Err(WebError::forbidden("Cette demande ne vous concerne pas."));
    }
    let key = format!("contact-code:{}", session.login);
    rate::check(&state, &key).await?;
    match otp::verify(&state, &flow, "contact", &[form.code.trim()]).await? {
        Verified::Ok(ch) => {
            rate::clear(&state, &key).await?;
            let p: Pending = serde_json::from_str(&ch.payload).map_err(WebError::internal)?;
            let old = directory::contacts::contact(&state.db, &session.login).await?;
            directory::contacts::set_confirmed(
                &state.db,
                &session.login,
                p.email.as_deref(),
                p.mobile.as_deref(),
                state.now(),
            )
            .await?;
            audit::record(
                &state,
                &session.login,
                "contact_changed",
                &client.ip,
                &client.user_agent,
            )
            .await?;
            if let (Some(_), Some(old_email)) = (&p.email, old.email)
                && let Err(e) = state
                    .notifier
                    .alert(
                        &old_email,
                        "L’adresse e-mail de votre messagerie santé vient d’être changée.",
                    )
                    .await
            {
                tracing::warn!(error = %e, "contact change alert not sent");
            }
            let mut res = settings_page(
                &state,
                &session,
                Some("Vos coordonnées sont modifiées.".into()),
                None,
            )
            .await?;
            cookies::clear(res.headers_mut(), cookies::FLOW);
            Ok(res)
        }
        Verified::Wrong { left } if left > 0 => {
            if rate::fail(&state, &key).await? {
                return Err(rate::locked(state.settings.lockout_secs));
            }
            let mut res = render(&CodePage {
                layout: Layout::for_session(&state, &session).await?,
                error: Some(format!(
                    "Code incorrect. Il vous reste {left} essai{}.",
                    if left > 1 { "s" } else { "" }
                )),
                sent_to: sent_to(&ch),
            })?;
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(res)
        }
        Verified::Wrong { .. } | Verified::Expired => {
            rate::fail(&state, &key).await?;
            let e = "Ce code n’est plus valable. Recommencez la modification.".to_string();
            settings_page(&state, &session, None, Some(e)).await
        }
    }
}
