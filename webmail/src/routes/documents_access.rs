//! "Gérer les accès" (médecin traitant, blocked professionals, oppositions to break-glass and
//! SAMU access) and "Historique des accès" (who did what, when, why) of the citizen's DMP.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::documents::search::{self, ProfessionalHit};
use crate::documents::{actor, web_error};
use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, french_datetime, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents/acces", get(page))
        .route("/documents/acces/medecin-traitant", post(medecin_traitant))
        .route("/documents/acces/blocage", post(block))
        .route("/documents/acces/oppositions", post(oppositions))
        .route("/documents/historique", get(history))
}

#[derive(Template)]
#[template(path = "documents/access.html")]
struct AccessPage {
    layout: Layout,
    notice: Option<&'static str>,
    medecin: Option<ProfessionalHit>,
    blocked: Vec<ProfessionalHit>,
    oppose_break_glass: bool,
    oppose_samu: bool,
    query: String,
    /// `None` when no search was made.
    results: Option<Vec<ProfessionalHit>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    q: String,
    avis: Option<String>,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "medecin" => Some("Votre choix de médecin traitant est enregistré."),
        "bloque" => Some("Ce professionnel ne peut plus accéder à votre dossier."),
        "debloque" => Some("Ce professionnel peut de nouveau accéder à votre dossier."),
        "oppositions" => Some("Vos choix sur les accès en urgence sont enregistrés."),
        _ => None,
    }
}

/// The directory's entry for an RPPS, or the bare number when the directory lacks it.
async fn known(state: &AppState, rpps: &str) -> Result<ProfessionalHit, WebError> {
    Ok(search::one(&state.db, rpps)
        .await?
        .unwrap_or_else(|| ProfessionalHit {
            rpps: rpps.to_string(),
            name: format!("Professionnel RPPS {rpps}"),
            profession: String::new(),
        }))
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let me = actor(&state, &session).await?;
    let settings = state.dmp.citizen_settings(&me).await.map_err(web_error)?;
    let medecin = match &settings.medecin_traitant {
        Some(rpps) => Some(known(&state, rpps).await?),
        None => None,
    };
    let mut blocked = Vec::new();
    for rpps in &settings.blocked {
        blocked.push(known(&state, rpps).await?);
    }
    let query: String = q.q.trim().chars().take(100).collect();
    let results = if query.is_empty() {
        None
    } else {
        Some(search::professionals(&state.db, &query).await?)
    };
    render(&AccessPage {
        layout: Layout::for_session(&state, &session).await?,
        notice: notice_of(q.avis.as_deref()),
        medecin,
        blocked,
        oppose_break_glass: settings.oppose_break_glass,
        oppose_samu: settings.oppose_samu,
        query,
        results,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RppsForm {
    csrf: String,
    rpps: String,
    /// `medecin-traitant`: "retirer" removes the choice. `blocage`: "bloquer" or "debloquer".
    action: String,
}

async fn medecin_traitant(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<RppsForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let me = actor(&state, &session).await?;
    let rpps = if form.action == "retirer" {
        None
    } else {
        let rpps = dmp_bridge::patient::normalize_rpps(&form.rpps).map_err(web_error)?;
        if search::one(&state.db, &rpps).await?.is_none() {
            return Err(WebError::bad_request(
                "Ce numéro RPPS ne correspond à aucun professionnel de l’annuaire.",
            ));
        }
        Some(rpps)
    };
    state
        .dmp
        .citizen_set_medecin_traitant(&me, rpps.as_deref())
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/documents/acces?avis=medecin").into_response())
}

async fn block(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<RppsForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let me = actor(&state, &session).await?;
    let blocked = match form.action.as_str() {
        "bloquer" => true,
        "debloquer" => false,
        _ => return Err(WebError::bad_request("Choisissez bloquer ou débloquer.")),
    };
    state
        .dmp
        .citizen_set_blocked(&me, &form.rpps, blocked)
        .await
        .map_err(web_error)?;
    let avis = if blocked { "bloque" } else { "debloque" };
    Ok(Redirect::to(&format!("/documents/acces?avis={avis}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OppositionsForm {
    csrf: String,
    /// "oui" when the box is ticked.
    bris_de_glace: String,
    samu: String,
}

async fn oppositions(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<OppositionsForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let me = actor(&state, &session).await?;
    state
        .dmp
        .citizen_set_oppositions(&me, form.bris_de_glace == "oui", form.samu == "oui")
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/documents/acces?avis=oppositions").into_response())
}

/// One line of "Historique des accès".
struct HistoryRow {
    when: String,
    who: String,
    what: String,
    document: String,
    mode: &'static str,
    reason: String,
}

#[derive(Template)]
#[template(path = "documents/history.html")]
struct HistoryPage {
    layout: Layout,
    rows: Vec<HistoryRow>,
}

async fn history(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let me = actor(&state, &session).await?;
    let entries = state.dmp.citizen_history(&me).await.map_err(web_error)?;
    let rows = entries
        .into_iter()
        .map(|e| {
            let who = match e.actor_kind.as_str() {
                "patient" => "Vous".to_string(),
                "guardian" => "Un représentant légal".to_string(),
                _ => match (&e.actor_name, &e.actor_id) {
                    (Some(n), Some(id)) => format!("{n} (RPPS {id})"),
                    (Some(n), None) => n.clone(),
                    (None, Some(id)) => format!("Professionnel RPPS {id}"),
                    (None, None) => "Un professionnel".to_string(),
                },
            };
            HistoryRow {
                when: french_datetime(e.at),
                who,
                what: e.action_label,
                document: e.document_title.unwrap_or_default(),
                mode: match e.mode.as_str() {
                    "break_glass" => "Urgence (bris de glace)",
                    "samu" => "Régulation SAMU",
                    _ => "Normal",
                },
                reason: e.reason.unwrap_or_default(),
            }
        })
        .collect();
    render(&HistoryPage {
        layout: Layout::for_session(&state, &session).await?,
        rows,
    })
}
