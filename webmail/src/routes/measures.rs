//! The measures of the medical profile (issue 9): the overview of the seven kinds with their
//! latest value and a small chart, one kind's history with its chart and add form, adding and
//! deleting, and the chart itself as an SVG image drawn on the server (no JavaScript). Every page
//! acts on the session's *acting* profile: a parent acting for a child sees and edits the child's
//! measures. Page data is built in `measures_view.rs`.

#[path = "measures_view.rs"]
mod view;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use health::measures::{self, Kind, NewMeasure};
use health::{Author, AuthorKind, HealthError};
use serde::Deserialize;

use crate::documents::actor;
use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, render};
use view::{FormState, KindCard, MeasureRow};

pub fn routes() -> Router<AppState> {
    // One parameter name for the three routes under /profil/mesures/{…}: the router refuses two
    // names at the same place. It is a kind slug for the pages, a measure id for deletion.
    Router::new()
        .route("/profil/mesures", get(overview))
        .route("/profil/mesures/ajouter", post(add))
        .route("/profil/mesures/{key}", get(kind_page))
        .route("/profil/mesures/{key}/graphique.svg", get(chart))
        .route("/profil/mesures/{key}/supprimer", post(delete))
}

/// The acting profile's INS and who is writing: the citizen, or a parent for their child (the
/// guardianship is checked by `actor`).
async fn who(state: &AppState, session: &CitizenSession) -> Result<(String, Author), WebError> {
    let me = actor(state, session).await?;
    let author = if session.acting.eq_ignore_ascii_case(&session.login) {
        Author {
            kind: AuthorKind::Patient,
            id: me.patient_ins.clone(),
            name: String::new(),
        }
    } else {
        let own = directory::accounts::account(&state.db, &session.login)
            .await?
            .ok_or(WebError::LoginRequired)?;
        Author {
            kind: AuthorKind::Guardian,
            id: own.nir.clone(),
            name: crate::views::display_name(&own),
        }
    };
    Ok((me.patient_ins, author))
}

fn health_error(e: HealthError) -> WebError {
    match e {
        HealthError::NotFound => WebError::NotFound,
        HealthError::Invalid(t) => WebError::bad_request(t),
        HealthError::Forbidden(t) => WebError::forbidden(t),
        other => WebError::internal(other),
    }
}

fn kind_of(slug: &str) -> Result<Kind, WebError> {
    Kind::parse(slug).ok_or(WebError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    avis: Option<String>,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "ajoutee" => Some("La mesure a été ajoutée."),
        "supprimee" => Some("La mesure a été supprimée."),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "measures/overview.html")]
struct OverviewPage {
    layout: Layout,
    cards: Vec<KindCard>,
    notice: Option<&'static str>,
}

async fn overview(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let (ins, _) = who(&state, &session).await?;
    let mut cards = Vec::new();
    for kind in Kind::all() {
        let history = measures::list(&state.db, &ins, kind)
            .await
            .map_err(health_error)?;
        cards.push(KindCard::of(kind, &history));
    }
    render(&OverviewPage {
        layout: Layout::for_session(&state, &session).await?,
        cards,
        notice: notice_of(q.avis.as_deref()),
    })
}

#[derive(Template)]
#[template(path = "measures/kind.html")]
struct KindPage {
    layout: Layout,
    card: KindCard,
    rows: Vec<MeasureRow>,
    form: FormState,
    notice: Option<&'static str>,
}

async fn kind_page_response(
    state: &AppState,
    session: &CitizenSession,
    kind: Kind,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let (ins, _) = who(state, session).await?;
    let history = measures::list(&state.db, &ins, kind)
        .await
        .map_err(health_error)?;
    let refused = !form.errors.is_empty();
    let layout = Layout::for_session(state, session).await?;
    let child = layout.acting_child.then_some(layout.acting_name.as_str());
    let rows = history
        .iter()
        .rev()
        .map(|m| MeasureRow::of(m, child))
        .collect();
    let mut res = render(&KindPage {
        card: KindCard::of(kind, &history),
        rows,
        form,
        notice,
        layout,
    })?;
    if refused {
        // The page again, with the messages beside the fields and the values kept.
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn kind_page(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(key): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let kind = kind_of(&key)?;
    let form = FormState::empty(kind, state.now());
    kind_page_response(&state, &session, kind, form, notice_of(q.avis.as_deref())).await
}

/// The add form as posted (the fields of [`NewMeasure`] and the CSRF token).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddForm {
    csrf: String,
    kind: String,
    value: String,
    value2: String,
    unit: String,
    date: String,
    time: String,
    note: String,
}

async fn add(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let kind = Kind::parse(form.kind.trim())
        .ok_or_else(|| WebError::bad_request("Choisissez le type de mesure."))?;
    let new = NewMeasure {
        kind: form.kind,
        value: form.value,
        value2: form.value2,
        unit: form.unit,
        date: form.date,
        time: form.time,
        note: form.note,
    };
    let (ins, author) = who(&state, &session).await?;
    match measures::validate(&new, measures::latest_today()) {
        Ok(valid) => {
            measures::add_valid(&state.db, &ins, &valid, &author)
                .await
                .map_err(health_error)?;
            Ok(
                Redirect::to(&format!("/profil/mesures/{}?avis=ajoutee", kind.slug()))
                    .into_response(),
            )
        }
        Err(errors) => {
            let form = FormState::refused(kind, &new, errors, state.now());
            kind_page_response(&state, &session, kind, form, None).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

async fn delete(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(key): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let id = key.parse::<i64>().map_err(|_| WebError::NotFound)?;
    let (ins, _) = who(&state, &session).await?;
    // Read first to know which page to go back to; another profile's id is NotFound.
    let m = measures::get(&state.db, &ins, id)
        .await
        .map_err(health_error)?;
    measures::delete(&state.db, &ins, id)
        .await
        .map_err(health_error)?;
    Ok(Redirect::to(&format!("/profil/mesures/{}?avis=supprimee", m.kind.slug())).into_response())
}

async fn chart(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let kind = kind_of(&key)?;
    let (ins, _) = who(&state, &session).await?;
    let history = measures::list(&state.db, &ins, kind)
        .await
        .map_err(health_error)?;
    let svg = measures::chart_svg(kind, &history).map_err(health_error)?;
    let mut res = svg.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    // Health data: never kept by the browser or a proxy.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The SVG holds no script nor external reference; the webmail's strict CSP (added to every
    // response) covers it when opened on its own.
    Ok(res)
}
