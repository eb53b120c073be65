//! Activation, steps 2 and 3 (see [`super::activation`]): choose an identifier and a password,
//! then confirm the e-mail address and the mobile number with the codes sent to them.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::activation::{ActivationFlow, notice, page_with_csrf};
use crate::error::WebError;
use crate::notify::Channel;
use crate::security::client::ClientInfo;
use crate::security::otp::{self, Verified};
use crate::security::{audit, cookies, csrf, rate};
use crate::state::AppState;
use crate::views::Layout;
use directory::accounts::Action;

#[derive(Template)]
#[template(path = "account/activation_account.html")]
struct AccountPage {
    layout: Layout,
    error: Option<String>,
    identifier: String,
    email: String,
    mobile: String,
}

#[derive(Template)]
#[template(path = "account/activation_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    error: Option<String>,
    email: String,
    mobile: Option<String>,
}

async fn flow_of(
    state: &AppState,
    headers: &HeaderMap,
    purpose: &str,
) -> Result<Option<(String, ActivationFlow)>, WebError> {
    let Some(token) = cookies::get(headers, cookies::FLOW) else {
        return Ok(None);
    };
    let Some(ch) = otp::peek(state, &token, purpose).await? else {
        return Ok(None);
    };
    let flow: ActivationFlow = serde_json::from_str(&ch.payload).map_err(WebError::internal)?;
    Ok(Some((token, flow)))
}

fn restart() -> Response {
    let mut res = Redirect::to("/activation").into_response();
    cookies::clear(res.headers_mut(), cookies::FLOW);
    res
}

pub(crate) async fn account_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some((_, flow)) = flow_of(&state, &headers, "activation").await? else {
        return Ok(restart());
    };
    let contact = directory::contacts::contact(&state.db, &flow.address).await?;
    page_with_csrf(
        &headers,
        |layout| AccountPage {
            layout,
            error: None,
            identifier: String::new(),
            email: contact.email.unwrap_or_default(),
            mobile: contact.mobile.unwrap_or_default(),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    mot_de_passe: String,
    #[serde(default)]
    confirmation: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    mobile: String,
}

/// "+33612345678" from a French mobile number as people type it ("06 12 34 56 78",
/// "+33 6 12…", "0033…"). Only 06 and 07 numbers receive SMS.
pub fn normalize_mobile(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = if let Some(rest) = digits.strip_prefix("+33") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix("0033") {
        rest.to_string()
    } else {
        digits.strip_prefix('0')?.to_string()
    };
    let ok = national.len() == 9
        && national.bytes().all(|b| b.is_ascii_digit())
        && (national.starts_with('6') || national.starts_with('7'));
    ok.then(|| format!("+33{national}"))
}

/// A personal e-mail address as lettre understands it (RFC 5322 addr-spec), lower-cased domain.
pub fn normalize_email(raw: &str) -> Option<String> {
    raw.trim()
        .parse::<lettre::Address>()
        .ok()
        .map(|a| format!("{}@{}", a.user(), a.domain().to_lowercase()))
}

pub(crate) async fn account_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    csrf::check_anon(&headers, &form.csrf)?;
    let Some((token, mut flow)) = flow_of(&state, &headers, "activation").await? else {
        return Ok(restart());
    };
    let again = |error: String| {
        page_with_csrf(
            &headers,
            |layout| AccountPage {
                layout,
                error: Some(error),
                identifier: form.identifiant.chars().take(40).collect(),
                email: form.email.chars().take(200).collect(),
                mobile: form.mobile.chars().take(30).collect(),
            },
            StatusCode::BAD_REQUEST,
        )
    };
    let identifier = match crate::identifiers::normalize(&form.identifiant) {
        Ok(i) => i,
        Err(e) => return again(e.to_string()),
    };
    if !crate::identifiers::available(&state.db, &identifier, &flow.address).await? {
        return again("Cet identifiant est déjà pris. Choisissez-en un autre.".into());
    }
    if let Err(e) = password_rules(&form.mot_de_passe, &form.confirmation) {
        return again(e);
    }
    let Some(email) = normalize_email(&form.email) else {
        return again("L’adresse e-mail n’est pas valide.".into());
    };
    let mobile = if form.mobile.trim().is_empty() {
        None
    } else {
        match normalize_mobile(&form.mobile) {
            Some(m) => Some(m),
            None => {
                return again(
                    "Le numéro de mobile n’est pas valide (exemple : 06 12 34 56 78).".into(),
                );
            }
        }
    };
    // The identity was proven at step 1; the password takes effect only once the account is
    // active (login refuses any other state).
    directory::credentials::set_password(&state.db, &flow.address, &form.mot_de_passe).await?;
    flow.identifier = identifier;
    flow.email = email.clone();
    flow.mobile = mobile.clone();
    let payload = serde_json::to_string(&flow).map_err(WebError::internal)?;
    let n = if mobile.is_some() { 2 } else { 1 };
    let channel = if mobile.is_some() {
        "email+sms"
    } else {
        "email"
    };
    let (confirm, codes) = otp::start(
        &state,
        "activation-confirm",
        &flow.nir,
        channel,
        "",
        &payload,
        n,
    )
    .await?;
    otp::end(&state, &token).await?;
    let minutes = state.settings.otp_validity_secs / 60;
    let why = "confirmer vos coordonnées";
    let sent = async {
        if let Some(code) = codes.first() {
            state
                .notifier
                .send_code(Channel::Email, &email, code, why, minutes)
                .await?;
        }
        if let (Some(m), Some(code)) = (&mobile, codes.get(1)) {
            state
                .notifier
                .send_code(Channel::Sms, m, code, why, minutes)
                .await?;
        }
        Ok::<(), crate::notify::NotifyError>(())
    };
    if let Err(e) = sent.await {
        tracing::error!(error = %e, "activation codes not sent");
        return Err(WebError::internal("activation codes could not be sent"));
    }
    let mut res = Redirect::to("/activation/confirmation").into_response();
    cookies::set(res.headers_mut(), cookies::FLOW, &confirm);
    Ok(res)
}

/// The password rules (directory's, in French) and the confirmation.
pub fn password_rules(password: &str, confirmation: &str) -> Result<(), String> {
    if password != confirmation {
        return Err("Les deux mots de passe ne sont pas identiques.".into());
    }
    if directory::credentials::check_password(password).is_err() {
        return Err(format!(
            "Le mot de passe doit compter au moins {} caractères et ne pas répéter un seul \
             caractère. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.",
            directory::credentials::MIN_PASSWORD_LEN
        ));
    }
    Ok(())
}

pub(crate) async fn confirm_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some((_, flow)) = flow_of(&state, &headers, "activation-confirm").await? else {
        return Ok(restart());
    };
    page_with_csrf(
        &headers,
        |layout| ConfirmPage {
            layout,
            error: None,
            email: otp::mask(&flow.email),
            mobile: flow.mobile.as_deref().map(otp::mask),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code_email: String,
    #[serde(default)]
    code_sms: String,
}

pub(crate) async fn confirm_submit(
    State(state): State<AppState>,
    client: ClientInfo,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, WebError> {
    csrf::check_anon(&headers, &form.csrf)?;
    let Some((token, flow)) = flow_of(&state, &headers, "activation-confirm").await? else {
        return Ok(restart());
    };
    let key = format!("activation-code:{}", flow.nir);
    rate::check(&state, &key).await?;
    let typed: Vec<&str> = if flow.mobile.is_some() {
        vec![form.code_email.trim(), form.code_sms.trim()]
    } else {
        vec![form.code_email.trim()]
    };
    match otp::verify(&state, &token, "activation-confirm", &typed).await? {
        Verified::Ok(_) => {}
        Verified::Wrong { left } if left > 0 => {
            if rate::fail(&state, &key).await? {
                return Err(rate::locked(state.settings.lockout_secs));
            }
            return page_with_csrf(
                &headers,
                |layout| ConfirmPage {
                    layout,
                    error: Some(format!(
                        "Un code est incorrect. Il vous reste {left} essai{}.",
                        if left > 1 { "s" } else { "" }
                    )),
                    email: otp::mask(&flow.email),
                    mobile: flow.mobile.as_deref().map(otp::mask),
                },
                StatusCode::UNAUTHORIZED,
            );
        }
        Verified::Wrong { .. } | Verified::Expired => {
            rate::fail(&state, &key).await?;
            let mut res = notice(
                "Ces codes ne sont plus valables",
                vec!["Recommencez l’activation pour recevoir de nouveaux codes.".into()],
                "/activation",
                "Recommencer",
            )?;
            cookies::clear(res.headers_mut(), cookies::FLOW);
            return Ok(res);
        }
    }
    rate::clear(&state, &key).await?;
    let now = state.now();
    crate::identifiers::assign(&state.db, &flow.identifier, &flow.address, now).await?;
    directory::contacts::set_confirmed(
        &state.db,
        &flow.address,
        Some(&flow.email),
        flow.mobile.as_deref(),
        now,
    )
    .await?;
    directory::accounts::apply(&state.db, &flow.nir, Action::Activate).await?;
    super::closing::restore(&state, &flow.address).await?;
    state.db.ensure_default_mailboxes(&flow.address).await?;
    audit::record(
        &state,
        &flow.address,
        "activation",
        &client.ip,
        &client.user_agent,
    )
    .await?;
    let mut res = notice(
        "Votre compte est activé",
        vec![
            format!("Votre identifiant est : {}", flow.identifier),
            "À chaque connexion, nous vous enverrons un code à 6 chiffres en plus de votre mot de passe.".into(),
        ],
        "/connexion",
        "Se connecter",
    )?;
    cookies::clear(res.headers_mut(), cookies::FLOW);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::{normalize_email, normalize_mobile, password_rules};

    #[test]
    fn mobiles() {
        assert_eq!(
            normalize_mobile("06 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_mobile("+33 7 12 34 56 78").as_deref(),
            Some("+33712345678")
        );
        assert_eq!(
            normalize_mobile("0033612345678").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(normalize_mobile("01 23 45 67 89"), None);
        assert_eq!(normalize_mobile("06 12"), None);
    }

    #[test]
    fn emails_and_passwords() {
        assert_eq!(
            normalize_email(" a.b@Courriel.Example ").as_deref(),
            Some("a.b@courriel.example")
        );
        assert_eq!(normalize_email("pas une adresse"), None);
        assert!(password_rules("une phrase longue", "une phrase longue").is_ok());
        assert!(password_rules("une phrase longue", "autre chose ici").is_err());
        assert!(password_rules("court", "court").is_err());
    }
}
