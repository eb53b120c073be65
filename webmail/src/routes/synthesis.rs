//! The synthèse of the medical profile (issue 9): a page that says what it holds, the PDF
//! download, filing it into the DMP under « Ma santé en résumé », and sending it to a
//! professional (`synthesis_send.rs`). Everything acts on the session's *acting* profile: a
//! parent acting for a child gets the child's synthèse, files it in the child's record and
//! sends it from the child's mailbox, as the documents and mail pages do.

#[path = "synthesis_send.rs"]
mod send;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use dmp_bridge::{Category, NewFile, Source};
use health::HealthError;
use health::synthesis::{self, SynthesisInput};
use serde::Deserialize;

use crate::documents::{actor, web_error};
use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, french_datetime, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/profil/synthese", get(page))
        .route("/profil/synthese.pdf", get(download))
        .route("/profil/synthese/classer", post(file_into_record))
        .route(
            "/profil/synthese/envoyer",
            get(send::form).post(send::submit),
        )
}

/// A health-side error as the citizen sees it.
pub(crate) fn health_error(e: HealthError) -> WebError {
    match e {
        HealthError::NotFound => WebError::NotFound,
        HealthError::Invalid(t) => WebError::bad_request(t),
        HealthError::Forbidden(t) => WebError::forbidden(t),
        HealthError::Dmp(d) => web_error(d),
        other => WebError::internal(other),
    }
}

/// The synthèse of the acting profile: its data, and the PDF built off the async threads
/// (font subsetting is CPU work).
pub(crate) struct Built {
    pub input: SynthesisInput,
    pub pdf: Vec<u8>,
    pub file_name: String,
}

/// The data of the acting profile's synthèse (the actor check refuses a profile the session
/// may not act for).
async fn input_of(state: &AppState, session: &CitizenSession) -> Result<SynthesisInput, WebError> {
    let me = actor(state, session).await?;
    synthesis::gather(&state.db, &me.patient_ins, &french_datetime(state.now()))
        .await
        .map_err(health_error)
}

pub(crate) async fn build(state: &AppState, session: &CitizenSession) -> Result<Built, WebError> {
    let input = input_of(state, session).await?;
    let for_pdf = input.clone();
    let pdf = tokio::task::spawn_blocking(move || synthesis::render_pdf(&for_pdf))
        .await
        .map_err(WebError::internal)?
        .map_err(health_error)?;
    // The day in the file name is the citizen's day, in Paris time.
    let day = health::french::paris(state.now())
        .map(|t| health::measures::date_iso(t.date()))
        .unwrap_or_default();
    Ok(Built {
        input,
        pdf,
        file_name: synthesis::file_name(&day),
    })
}

/// One line of "what it holds".
struct ContentLine {
    title: String,
    count: String,
}

fn count_fr(n: usize) -> String {
    match n {
        0 => "aucune information renseignée".to_string(),
        1 => "1 élément".to_string(),
        n => format!("{n} éléments"),
    }
}

#[derive(Template)]
#[template(path = "synthesis/page.html")]
struct Page {
    layout: Layout,
    name: String,
    medecin: String,
    contents: Vec<ContentLine>,
    /// Optional sections left out because they are empty.
    left_out: Vec<String>,
    notice: Option<String>,
    /// The DMP document just filed, for the link in the notice.
    filed: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    avis: Option<String>,
    document: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let input = input_of(&state, &session).await?;
    let filed = match q.avis.as_deref() {
        Some("classe") => q.document.as_deref().and_then(|d| d.parse::<i64>().ok()),
        _ => None,
    };
    let notice = filed.map(|_| {
        "La synthèse a été enregistrée dans votre dossier, dans la catégorie «\u{a0}Ma santé \
         en résumé\u{a0}»."
            .to_string()
    });
    render(&Page {
        layout: Layout::for_session(&state, &session).await?,
        name: input.patient.display_name(),
        medecin: input
            .patient
            .medecin_traitant
            .clone()
            .unwrap_or_else(|| "aucun médecin traitant déclaré".into()),
        contents: input
            .sections
            .iter()
            .filter(|b| b.shown())
            .map(|b| ContentLine {
                title: b.title.clone(),
                count: count_fr(b.lines.len()),
            })
            .collect(),
        left_out: input
            .sections
            .iter()
            .filter(|b| !b.shown())
            .map(|b| b.title.clone())
            .collect(),
        notice,
        filed,
    })
}

/// The PDF itself: an attachment (never shown inline by the browser from our origin), not
/// kept in any cache.
async fn download(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let built = build(&state, &session).await?;
    tracing::info!(bytes = built.pdf.len(), "synthesis PDF downloaded");
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", built.file_name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok((h, built.pdf).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

/// Files today's synthèse into the acting profile's DMP, through the bridge's citizen API (so
/// it is checked, stored and written to the access history like any document the citizen adds).
async fn file_into_record(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let me = actor(&state, &session).await?;
    let built = build(&state, &session).await?;
    let day = built
        .input
        .generated_at
        .split(" à ")
        .next()
        .unwrap_or_default()
        .to_string();
    let new = NewFile {
        title: format!("Synthèse médicale du {day}"),
        category: Some(Category::Synthese),
        mime_type: "application/pdf".into(),
        file_name: built.file_name,
        origin: None,
    };
    let doc = state
        .dmp
        .citizen_add_file(&me, new, &built.pdf, Source::Upload)
        .await
        .map_err(web_error)?;
    tracing::info!(document = doc.id, "synthesis filed into the DMP");
    Ok(Redirect::to(&format!("/profil/synthese?avis=classe&document={}", doc.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::count_fr;

    #[test]
    fn counts_in_french() {
        let cases = [
            (0, "aucune information renseignée"),
            (1, "1 élément"),
            (12, "12 éléments"),
        ];
        for (n, want) in cases {
            assert_eq!(count_fr(n), want);
        }
    }
}
