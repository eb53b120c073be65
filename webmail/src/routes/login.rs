//! Login, every time (issue 6, DESIGN §8): identifier + password, then a 6-digit one-time code
//! sent by e-mail or SMS. The same answer for an unknown identifier and a wrong password (no
//! enumeration); failures count per identifier and per IP address towards a temporary lockout;
//! a new session cookie at every login (rotation); every outcome in the login audit.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::error::WebError;
use crate::notify::Channel;
use crate::security::client::ClientInfo;
use crate::security::otp::{self, Verified};
use crate::security::{CitizenSession, audit, check_csrf, cookies, csrf, rate, session};
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(login_page).post(login_submit))
        .route("/connexion/code", get(code_page).post(code_submit))
        .route("/deconnexion", post(logout))
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    layout: Layout,
    error: Option<String>,
    identifier: String,
}

#[derive(Template)]
#[template(path = "account/login_code.html")]
struct CodePage {
    layout: Layout,
    error: Option<String>,
    sent_to: String,
}

/// Same words whether the identifier exists or not (no enumeration).
const BAD_CREDENTIALS: &str = "Identifiant ou mot de passe incorrect.";

fn with_anon_csrf(_headers: &HeaderMap, mut res: Response, token: &str, is_new: bool) -> Response {
    csrf::set_anon_cookie(res.headers_mut(), token, is_new);
    res
}

async fn login_page(headers: HeaderMap) -> Result<Response, WebError> {
    let (token, is_new) = csrf::anon_token(&headers);
    let page = LoginPage {
        layout: Layout::anonymous_with_csrf(&token),
        error: None,
        identifier: String::new(),
    };
    Ok(with_anon_csrf(&headers, render(&page)?, &token, is_new))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    mot_de_passe: String,
}

fn login_again(headers: &HeaderMap, error: &str, identifier: &str) -> Result<Response, WebError> {
    let (token, is_new) = csrf::anon_token(headers);
    let page = LoginPage {
        layout: Layout::anonymous_with_csrf(&token),
        error: Some(error.to_string()),
        identifier: identifier.chars().take(64).collect(),
    };
    let mut res = render(&page)?;
    *res.status_mut() = StatusCode::UNAUTHORIZED;
    Ok(with_anon_csrf(headers, res, &token, is_new))
}

async fn login_submit(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    csrf::check_anon(&headers, &form.csrf)?;
    let id_key = format!(
        "login-id:{}",
        crate::identifiers::normalize(&form.identifiant).unwrap_or_default()
    );
    let ip_key = format!("login-ip:{}", client.ip);
    rate::check_all(&state, &[&id_key, &ip_key]).await?;

    let address = crate::identifiers::address_of(&state.db, &form.identifiant).await?;
    // Always verify (a decoy hash for an unknown identifier): same time, same answer.
    let candidate = address
        .clone()
        .unwrap_or_else(|| "inconnu@invalid".to_string());
    let password_ok =
        directory::credentials::verify_password(&state.db, &candidate, &form.mot_de_passe).await?;
    let account = match &address {
        Some(a) => directory::accounts::account(&state.db, a).await?,
        None => None,
    };
    let active = account
        .as_ref()
        .is_some_and(|a| a.state == directory::AccountState::Active);
    let known = address.clone();
    let (Some(address), true, true) = (address, password_ok, active) else {
        if let Some(a) = known {
            audit::record(
                &state,
                &a,
                "login_password_failed",
                &client.ip,
                &client.user_agent,
            )
            .await?;
        }
        let locked = rate::fail(&state, &id_key).await? | rate::fail(&state, &ip_key).await?;
        if locked {
            return Err(rate::locked(state.settings.lockout_secs));
        }
        return login_again(&headers, BAD_CREDENTIALS, &form.identifiant);
    };

    // Each code sent counts like a failure until a login succeeds: knowing the password must
    // not be enough to flood the citizen's mailbox or phone with codes.
    let send_key = format!("login-send:{address}");
    rate::check(&state, &send_key).await?;
    rate::fail(&state, &send_key).await?;
    // Second factor: the preferred channel, or the other one if it has no destination.
    let prefs = crate::prefs::get(&state.db, &address).await?;
    let contact = directory::contacts::contact(&state.db, &address).await?;
    let (channel, target) = match (prefs.otp_channel, &contact.email, &contact.mobile) {
        (Channel::Sms, _, Some(m)) => (Channel::Sms, m.clone()),
        (_, Some(e), _) => (Channel::Email, e.clone()),
        (_, None, Some(m)) => (Channel::Sms, m.clone()),
        (_, None, None) => {
            return Err(WebError::forbidden(
                "Aucune adresse e-mail ni aucun numéro de mobile n’est enregistré pour vous \
                 envoyer un code. Contactez votre caisse d’assurance maladie.",
            ));
        }
    };
    let (flow, codes) = otp::start(
        &state,
        "login",
        &address,
        channel.as_str(),
        &otp::mask(&target),
        "",
        1,
    )
    .await?;
    let code = codes.first().cloned().unwrap_or_default();
    let minutes = state.settings.otp_validity_secs / 60;
    if let Err(e) = state
        .notifier
        .send_code(channel, &target, &code, "vous connecter", minutes)
        .await
    {
        tracing::error!(error = %e, "login code not sent");
        return Err(WebError::internal("the one-time code could not be sent"));
    }
    let mut res = Redirect::to("/connexion/code").into_response();
    cookies::set(res.headers_mut(), cookies::FLOW, &flow);
    Ok(res)
}

async fn code_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(flow) = cookies::get(&headers, cookies::FLOW) else {
        return Ok(Redirect::to("/connexion").into_response());
    };
    let Some(ch) = otp::peek(&state, &flow, "login").await? else {
        return Ok(Redirect::to("/connexion").into_response());
    };
    let (token, is_new) = csrf::anon_token(&headers);
    let page = CodePage {
        layout: Layout::anonymous_with_csrf(&token),
        error: None,
        sent_to: sent_to(&ch),
    };
    Ok(with_anon_csrf(&headers, render(&page)?, &token, is_new))
}

fn sent_to(ch: &otp::Challenge) -> String {
    match ch.channel.as_str() {
        "sms" => format!("par SMS au {}", ch.target),
        _ => format!("par e-mail à {}", ch.target),
    }
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
    client: ClientInfo,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    csrf::check_anon(&headers, &form.csrf)?;
    let Some(flow) = cookies::get(&headers, cookies::FLOW) else {
        return Ok(Redirect::to("/connexion").into_response());
    };
    let Some(ch) = otp::peek(&state, &flow, "login").await? else {
        return Ok(expired());
    };
    let key = format!("login-code:{}", ch.subject);
    rate::check(&state, &key).await?;
    match otp::verify(&state, &flow, "login", &[form.code.trim()]).await? {
        Verified::Ok(ch) => {
            rate::clear(&state, &key).await?;
            rate::clear(&state, &format!("login-send:{}", ch.subject)).await?;
            // Rotation: whatever session the browser had is dropped; a new token is issued.
            if let Some(old) = cookies::get(&headers, cookies::SESSION) {
                session::destroy_token(&state, &old).await?;
            }
            let (token, _) =
                session::create(&state, &ch.subject, &client.ip, &client.user_agent).await?;
            audit::record(&state, &ch.subject, "login", &client.ip, &client.user_agent).await?;
            let mut res = Redirect::to("/").into_response();
            cookies::set(res.headers_mut(), cookies::SESSION, &token);
            cookies::clear(res.headers_mut(), cookies::FLOW);
            Ok(res)
        }
        Verified::Wrong { left } => {
            audit::record(
                &state,
                &ch.subject,
                "login_code_failed",
                &client.ip,
                &client.user_agent,
            )
            .await?;
            if rate::fail(&state, &key).await? {
                return Err(rate::locked(state.settings.lockout_secs));
            }
            if left == 0 {
                return Ok(expired());
            }
            let (token, is_new) = csrf::anon_token(&headers);
            let page = CodePage {
                layout: Layout::anonymous_with_csrf(&token),
                error: Some(format!(
                    "Code incorrect. Il vous reste {left} essai{}.",
                    if left > 1 { "s" } else { "" }
                )),
                sent_to: sent_to(&ch),
            };
            let mut res = render(&page)?;
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(with_anon_csrf(&headers, res, &token, is_new))
        }
        Verified::Expired => Ok(expired()),
    }
}

fn expired() -> Response {
    let mut res = WebError::bad_request(
        "Ce code n’est plus valable. Recommencez la connexion pour recevoir un nouveau code.",
    )
    .into_response();
    cookies::clear(res.headers_mut(), cookies::FLOW);
    res
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    session: CitizenSession,
    client: ClientInfo,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        session::destroy_token(&state, &token).await?;
    }
    audit::record(
        &state,
        &session.login,
        "logout",
        &client.ip,
        &client.user_agent,
    )
    .await?;
    let mut res = Redirect::to("/connexion").into_response();
    cookies::clear(res.headers_mut(), cookies::SESSION);
    Ok(res)
}
