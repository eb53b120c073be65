//! Closing the account (DESIGN §8, issue 6). The page first offers the download of everything
//! (messages as one mbox file, DMP documents as one IHE XDM zip). Closing then, at once: the
//! account state becomes *closed* (the
//! policy refuses mail to it with `550 5.2.1` and a sentence), its mailboxes move out of the live
//! space into the archive, every session ends. The archive is kept `archive_retention_years`
//! (10 by default) then erased by the scheduled job, or erased at once if the citizen asks; an
//! activation brings it back.

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use tokio_util::io::ReaderStream;

use super::activation::notice;
use crate::error::WebError;
use crate::security::client::ClientInfo;
use crate::security::{CitizenSession, audit, check_csrf, cookies, session};
use crate::state::AppState;
use crate::views::{Layout, render};
use directory::accounts::Action;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fermeture", get(page).post(close))
        .route("/fermeture/export", get(export))
        .route("/fermeture/export-documents", get(export_documents))
}

#[derive(Template)]
#[template(path = "account/closing.html")]
struct ClosingPage {
    layout: Layout,
    error: Option<String>,
    retention_years: u32,
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let layout = Layout::for_session(&state, &session).await?;
    render(&ClosingPage {
        layout,
        error: None,
        retention_years: state.settings.archive_retention_years,
    })
}

/// The mbox of the citizen's own mailbox, streamed as it is written.
async fn export(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let (mut writer, reader) = tokio::io::duplex(64 * 1024);
    let account = session.login.clone();
    let st = state.clone();
    tokio::spawn(async move {
        if let Err(e) = crate::mail::export::write_mbox(&st, &account, &mut writer).await {
            // The download ends short; the browser reports it as failed.
            tracing::error!(error = %e, "mbox export failed");
        }
    });
    let mut res = Body::from_stream(ReaderStream::new(reader)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/mbox"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"mes-messages.mbox\""),
    );
    Ok(res)
}

/// The citizen's DMP documents as one IHE XDM zip (DESIGN §8: documents as an XDM archive),
/// which `dmp-bridge` can file again after a reactivation.
async fn export_documents(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let acc = directory::accounts::account(&state.db, &session.login)
        .await?
        .ok_or(WebError::LoginRequired)?;
    let me = dmp_bridge::Citizen::patient(&acc.nir);
    let zip = state
        .dmp
        .citizen_export(&me)
        .await
        .map_err(crate::documents::web_error)?;
    let mut res = zip.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"IHE_XDM.ZIP\""),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mot_de_passe: String,
    /// "oui" when the box "j'ai compris" is ticked.
    #[serde(default)]
    confirmation: String,
    /// "oui" to erase the data for good now instead of archiving them.
    #[serde(default)]
    effacer: String,
}

async fn close(
    State(state): State<AppState>,
    session: CitizenSession,
    client: ClientInfo,
    Form(form): Form<CloseForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let again = async |error: &str| -> Result<Response, WebError> {
        let layout = Layout::for_session(&state, &session).await?;
        let mut res = render(&ClosingPage {
            layout,
            error: Some(error.to_string()),
            retention_years: state.settings.archive_retention_years,
        })?;
        *res.status_mut() = StatusCode::BAD_REQUEST;
        Ok(res)
    };
    // The page is about the citizen's own account: never close it while the screen shows a
    // child's profile, where "fermer mon compte" would read as the child's.
    if session.acting != session.login {
        return again(
            "Vous agissez pour un autre profil : revenez à votre propre profil pour fermer votre compte.",
        )
        .await;
    }
    if form.confirmation != "oui" {
        return again("Cochez la case pour confirmer que vous voulez fermer votre compte.").await;
    }
    let ok = directory::credentials::verify_password(&state.db, &session.login, &form.mot_de_passe)
        .await?;
    if !ok {
        return again("Mot de passe incorrect.").await;
    }
    let acc = directory::accounts::account(&state.db, &session.login)
        .await?
        .ok_or_else(WebError::not_found)?;
    directory::accounts::apply(&state.db, &acc.nir, Action::Close).await?;
    archive(&state, &acc.address).await?;
    let erase_now = form.effacer == "oui";
    if erase_now {
        erase(&state, &acc.address).await?;
    }
    session::destroy_all(&state, &acc.address, None).await?;
    audit::record(
        &state,
        &acc.address,
        "closed",
        &client.ip,
        &client.user_agent,
    )
    .await?;
    if let Some(email) = directory::contacts::contact(&state.db, &acc.address)
        .await?
        .email
        && let Err(e) = state
            .notifier
            .alert(&email, "Votre messagerie santé vient d’être fermée.")
            .await
    {
        tracing::warn!(error = %e, "closing alert not sent");
    }
    let kept = if erase_now {
        "Vos messages ont été effacés définitivement.".to_string()
    } else {
        format!(
            "Vos messages sont conservés {} ans dans une archive fermée, puis effacés. Si vous \
             activez à nouveau votre compte, vous les retrouverez.",
            state.settings.archive_retention_years
        )
    };
    let mut res = notice(
        "Votre compte est fermé",
        vec![
            "Plus aucun message ne vous sera distribué : les professionnels qui vous écrivent sont prévenus que votre messagerie est fermée.".into(),
            kept,
            "Vous pouvez rouvrir votre compte à tout moment depuis la page d’activation.".into(),
        ],
        "/",
        "Revenir à l’accueil",
    )?;
    cookies::clear(res.headers_mut(), cookies::SESSION);
    Ok(res)
}

/// Moves `address`'s mailboxes out of the live space and records the archive.
pub async fn archive(state: &AppState, address: &str) -> Result<(), WebError> {
    let now = state.now();
    let years = i64::from(state.settings.archive_retention_years);
    // 365.25 days a year, so that leap years do not shorten the retention.
    let erase_after = now + years * 36525 * 864;
    state.db.archive_account(address).await?;
    sqlx::query(
        "INSERT INTO web_archive (address, closed_at, erase_after, erased_at) VALUES ($1, $2, $3, NULL) \
         ON CONFLICT (address) DO UPDATE SET closed_at = excluded.closed_at, \
         erase_after = excluded.erase_after, erased_at = NULL",
    )
    .bind(address.to_string())
    .bind(now)
    .bind(erase_after)
    .execute(state.db.pool())
    .await?;
    Ok(())
}

/// Erases the archive of `address` for good (citizen's request or end of retention).
pub async fn erase(state: &AppState, address: &str) -> Result<(), WebError> {
    state.db.erase_archive(address).await?;
    sqlx::query("UPDATE web_archive SET erased_at = $2 WHERE address = $1")
        .bind(address.to_string())
        .bind(state.now())
        .execute(state.db.pool())
        .await?;
    tracing::info!("closed account archive erased");
    Ok(())
}

/// Brings the archive of `address` back (reactivation). Nothing to do if there is none.
pub async fn restore(state: &AppState, address: &str) -> Result<(), WebError> {
    state.db.restore_account(address).await?;
    sqlx::query("DELETE FROM web_archive WHERE address = $1")
        .bind(address.to_string())
        .execute(state.db.pool())
        .await?;
    Ok(())
}
