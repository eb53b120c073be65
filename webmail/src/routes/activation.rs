//! Activation and opposition (DESIGN §8, issue 6). One entry point: the citizen proves who they
//! are (birth date, Carte Vitale serial number, NIR, the 12-character provisional code), then
//! either opposes the account (during the opposition period) or activates it: chooses an
//! identifier and a password, and confirms their e-mail address and mobile number with a code
//! sent to each. An opposed or closed citizen activates again the same way; a closed account's
//! archived mail comes back.
//!
//! The identity step says only "ça ne correspond pas" whatever was wrong (no enumeration of NIRs),
//! and its failures count per IP address and per NIR towards a lockout.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::{Deserialize, Serialize};

use super::activation_steps;
use crate::error::WebError;
use crate::security::client::ClientInfo;
use crate::security::{audit, cookies, csrf, otp, rate};
use crate::state::AppState;
use crate::views::{Layout, Notice, render};
use directory::AccountState;
use directory::accounts::Action;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/activation", get(identity_page).post(identity_submit))
        .route(
            "/activation/compte",
            get(activation_steps::account_page).post(activation_steps::account_submit),
        )
        .route(
            "/activation/confirmation",
            get(activation_steps::confirm_page).post(activation_steps::confirm_submit),
        )
}

#[derive(Template)]
#[template(path = "account/activation.html")]
struct IdentityPage {
    layout: Layout,
    error: Option<String>,
}

/// What the identity step hands to the next ones (stored in the flow, server side).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ActivationFlow {
    pub nir: String,
    pub address: String,
    #[serde(default)]
    pub identifier: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub mobile: Option<String>,
}

const NO_MATCH: &str = "Ces informations ne correspondent pas à un compte. Vérifiez chaque champ \
     (le code provisoire figure sur le courrier ou l’e-mail que vous avez reçu).";

pub(crate) fn page_with_csrf<T: Template>(
    headers: &HeaderMap,
    build: impl FnOnce(Layout) -> T,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (token, is_new) = csrf::anon_token(headers);
    let mut res = render(&build(Layout::anonymous_with_csrf(&token)))?;
    *res.status_mut() = status;
    csrf::set_anon_cookie(res.headers_mut(), &token, is_new);
    Ok(res)
}

async fn identity_page(headers: HeaderMap) -> Result<Response, WebError> {
    page_with_csrf(
        &headers,
        |layout| IdentityPage {
            layout,
            error: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct IdentityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nir: String,
    #[serde(default)]
    date_naissance: String,
    #[serde(default)]
    numero_vitale: String,
    #[serde(default)]
    code_provisoire: String,
    /// `activer` or `opposer`.
    #[serde(default)]
    action: String,
}

/// "1980-03-14" from `AAAA-MM-JJ` (date field) or `JJ/MM/AAAA` (typed by hand).
fn parse_birth_date(raw: &str) -> Option<String> {
    use time::macros::format_description;
    let raw = raw.trim();
    let iso = format_description!("[year]-[month]-[day]");
    let fr = format_description!("[day]/[month]/[year]");
    time::Date::parse(raw, iso)
        .or_else(|_| time::Date::parse(raw, fr))
        .ok()
        .and_then(|d| d.format(iso).ok())
}

async fn identity_submit(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    Form(form): Form<IdentityForm>,
) -> Result<Response, WebError> {
    csrf::check_anon(&headers, &form.csrf)?;
    let nir_typed: String = form.nir.chars().filter(|c| !c.is_whitespace()).collect();
    let ip_key = format!("activation-ip:{}", client.ip);
    let nir_key = format!("activation-nir:{}", nir_typed.to_uppercase());
    rate::check_all(&state, &[&ip_key, &nir_key]).await?;

    let account = match directory::nir::Nir::parse(&nir_typed) {
        Ok(nir) => directory::accounts::account(&state.db, nir.as_str()).await?,
        Err(_) => None,
    };
    // Every check runs (the code's Argon2 too) so that time does not tell which one failed.
    let code_ok = directory::credentials::verify_provisional_code(
        &state.db,
        account
            .as_ref()
            .map_or("000000000000000", |a| a.nir.as_str()),
        &form.code_provisoire,
    )
    .await?;
    let matched = match &account {
        Some(acc) => {
            let date_ok =
                parse_birth_date(&form.date_naissance).as_deref() == Some(&acc.birth_date);
            let vitale_ok =
                directory::contacts::vitale_matches(&state.db, &acc.nir, &form.numero_vitale)
                    .await?;
            date_ok && vitale_ok && code_ok && !acc.is_minor
        }
        None => false,
    };
    let Some(acc) = account.filter(|_| matched) else {
        let locked = rate::fail(&state, &ip_key).await? | rate::fail(&state, &nir_key).await?;
        if locked {
            return Err(rate::locked(state.settings.lockout_secs));
        }
        return page_with_csrf(
            &headers,
            |layout| IdentityPage {
                layout,
                error: Some(NO_MATCH.to_string()),
            },
            StatusCode::UNAUTHORIZED,
        );
    };
    rate::clear(&state, &nir_key).await?;

    if form.action == "opposer" {
        return oppose(&state, &client, &acc).await;
    }
    if acc.state == AccountState::Active {
        return notice(
            "Votre compte est déjà activé",
            vec!["Vous pouvez vous connecter avec votre identifiant et votre mot de passe.".into()],
            "/connexion",
            "Se connecter",
        );
    }
    let flow = ActivationFlow {
        nir: acc.nir.clone(),
        address: acc.address.clone(),
        ..ActivationFlow::default()
    };
    let payload = serde_json::to_string(&flow).map_err(WebError::internal)?;
    let (token, _) = otp::start(&state, "activation", &acc.nir, "", "", &payload, 0).await?;
    let mut res = Redirect::to("/activation/compte").into_response();
    cookies::set(res.headers_mut(), cookies::FLOW, &token);
    Ok(res)
}

async fn oppose(
    state: &AppState,
    client: &ClientInfo,
    acc: &directory::accounts::Account,
) -> Result<Response, WebError> {
    match acc.state {
        AccountState::Pending => {
            directory::accounts::apply(&state.db, &acc.nir, Action::Oppose).await?;
            audit::record(state, &acc.address, "opposed", &client.ip, &client.user_agent).await?;
            notice(
                "Votre opposition est enregistrée",
                vec![
                    "Votre messagerie santé ne sera pas ouverte et aucun message ne vous sera distribué.".into(),
                    "Vous pourrez changer d’avis à tout moment en revenant sur cette page pour activer votre compte.".into(),
                ],
                "/",
                "Revenir à l’accueil",
            )
        }
        AccountState::Opposed => notice(
            "Vous vous êtes déjà opposé",
            vec!["Votre opposition est déjà enregistrée. Vous pouvez activer votre compte à tout moment.".into()],
            "/activation",
            "Activer mon compte",
        ),
        AccountState::Active | AccountState::Closed => notice(
            "Votre compte est déjà ouvert",
            vec!["La période d’opposition est terminée. Vous pouvez fermer votre compte depuis vos paramètres, après vous être connecté.".into()],
            "/connexion",
            "Se connecter",
        ),
    }
}

pub(crate) fn notice(
    heading: &str,
    paragraphs: Vec<String>,
    href: &str,
    link: &str,
) -> Result<Response, WebError> {
    render(&Notice {
        layout: Layout::anonymous(),
        heading: heading.to_string(),
        paragraphs,
        link_href: href.to_string(),
        link_text: link.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_birth_date;

    #[test]
    fn birth_dates() {
        assert_eq!(
            parse_birth_date("1940-01-01").as_deref(),
            Some("1940-01-01")
        );
        assert_eq!(
            parse_birth_date(" 01/02/1943 ").as_deref(),
            Some("1943-02-01")
        );
        assert_eq!(parse_birth_date("1940-13-01"), None);
        assert_eq!(parse_birth_date(""), None);
    }
}
