//! The professional HTTPS API of the medical profile (JSON), merged by the binary beside the
//! DMP's on the webmail's HTTPS port. The caller is identified exactly as for the DMP
//! ([`dmp_bridge::api::Caller`]: RPPS from the mutual-TLS personal certificate, name and
//! profession from the directory).
//!
//! | method | path (under `/api/sante/v1/patients/{ins}`) | what |
//! |---|---|---|
//! | GET | `/profil` | every entry of the profile and every measure |
//! | POST | `/profil/{section}` | add an entry (JSON body: the fields of [`EntryForm`]) |
//! | PUT | `/profil/{section}/{id}` | replace an entry |
//! | DELETE | `/profil/{section}/{id}` | delete an entry |
//! | POST | `/mesures` | add a measure (JSON body: [`measures::NewMeasure`]) |
//! | DELETE | `/mesures/{id}` | delete a measure |
//!
//! Only the patient's **médecin traitant** may call it, and not if the patient blocked them.
//! Any other professional gets 403 with a French reason and the attempt goes to the patient's
//! "Historique des accès"; every read or change goes there too and the citizen is notified, as
//! for the DMP. Errors are `{"error": "<French sentence>"}` (400 also lists `fields`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use dmp_bridge::api::Caller;
use dmp_bridge::audit::{self, Action, Actor};
use dmp_bridge::{Dmp, DmpError, Mode, Professional};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::measures::{self, Kind, NewMeasure};
use crate::profile::{self, EntryForm, Section};
use crate::{Author, AuthorKind, HealthError};

/// Why a professional other than the médecin traitant is refused.
pub const NOT_MEDECIN_TRAITANT: &str =
    "Seul le médecin traitant du patient peut consulter ou modifier son profil médical.";

/// An error as this API returns it.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    fn new(status: StatusCode, text: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!({ "error": text.into() }),
        }
    }
}

impl From<HealthError> for ApiError {
    fn from(e: HealthError) -> Self {
        let status = match &e {
            HealthError::Invalid(_) => StatusCode::BAD_REQUEST,
            HealthError::NotFound => StatusCode::NOT_FOUND,
            HealthError::Forbidden(_) => StatusCode::FORBIDDEN,
            HealthError::Dmp(DmpError::Denied(_)) => StatusCode::FORBIDDEN,
            HealthError::Dmp(DmpError::NotFound(_)) => StatusCode::NOT_FOUND,
            HealthError::Dmp(DmpError::Invalid(_)) => StatusCode::BAD_REQUEST,
            _ => {
                tracing::error!(error = %e, "health API internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        ApiError::new(status, e.citizen_text())
    }
}

impl From<DmpError> for ApiError {
    fn from(e: DmpError) -> Self {
        HealthError::Dmp(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The router, to be merged by the binary (paths start with `/api/sante/v1`).
pub fn router(dmp: Dmp) -> Router {
    const P: &str = "/api/sante/v1/patients/{ins}";
    Router::new()
        .route(&format!("{P}/profil"), get(read_profile))
        .route(&format!("{P}/profil/{{section}}"), post(add_entry))
        .route(
            &format!("{P}/profil/{{section}}/{{id}}"),
            put(update_entry).delete(delete_entry),
        )
        .route(&format!("{P}/mesures"), post(add_measure))
        .route(&format!("{P}/mesures/{{id}}"), delete(delete_measure))
        .with_state(dmp)
}

/// Checks that `pro` may open `ins`'s profile: the patient exists and did not block them (the
/// DMP's own checks, which audit a refusal), and `pro` is their médecin traitant.
async fn open(dmp: &Dmp, pro: &Professional, ins: &str) -> ApiResult<()> {
    let settings = dmp.pro_open(pro, ins, &Mode::Normal).await?;
    if settings.medecin_traitant.as_deref() == Some(pro.rpps.as_str()) {
        return Ok(());
    }
    audit::record(
        dmp.db(),
        ins,
        &Actor::Professional(pro.clone()),
        Action::AccessRefused,
        None,
        &Mode::Normal,
        Some(NOT_MEDECIN_TRAITANT),
    )
    .await?;
    tracing::warn!(rpps = %pro.rpps, "health profile access refused: not the médecin traitant");
    Err(ApiError::new(StatusCode::FORBIDDEN, NOT_MEDECIN_TRAITANT))
}

fn author(pro: &Professional) -> Author {
    Author {
        kind: AuthorKind::Professional,
        id: pro.rpps.clone(),
        name: pro
            .name
            .clone()
            .unwrap_or_else(|| format!("Professionnel RPPS {}", pro.rpps)),
    }
}

fn section_of(slug: &str) -> ApiResult<Section> {
    Section::from_slug(slug).ok_or_else(|| {
        let known: Vec<&str> = Section::ALL.iter().map(|s| s.slug()).collect();
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "Section inconnue ; les sections sont : {}.",
                known.join(", ")
            ),
        )
    })
}

fn id_of(raw: &str) -> ApiResult<i64> {
    raw.parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "Cet élément est introuvable."))
}

/// The JSON body, with a French message when it is not the expected object.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(bytes).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "Le corps de la requête doit être un objet JSON aux champs attendus.",
        )
    })
}

/// What the history shows in its "Document" column for an entry.
fn item_words(section: Section, title: &str) -> String {
    format!("Profil médical — {} : {title}", section.label())
}

async fn read_profile(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path(ins): Path<String>,
) -> ApiResult<Json<Value>> {
    open(&dmp, &pro, &ins).await?;
    let entries = profile::entries(dmp.db(), &ins).await?;
    let mut all_measures = Vec::new();
    for kind in Kind::all() {
        all_measures.extend(measures::list(dmp.db(), &ins, kind).await?);
    }
    audit::record_professional(&dmp, &ins, &pro, Action::ProfileRead, None).await?;
    Ok(Json(
        json!({ "patient": ins, "entries": entries, "measures": all_measures }),
    ))
}

async fn add_entry(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, section)): Path<(String, String)>,
    bytes: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let section = section_of(&section)?;
    open(&dmp, &pro, &ins).await?;
    let data = checked(section, &body(&bytes)?)?;
    let id = profile::add(dmp.db(), &ins, section, &data, &author(&pro)).await?;
    let entry = profile::get(dmp.db(), &ins, section, id).await?;
    let words = item_words(section, &entry.display_title());
    audit::record_professional(&dmp, &ins, &pro, Action::ProfileAdd, Some((id, &words))).await?;
    Ok((StatusCode::CREATED, Json(json!(entry))))
}

/// Validation for the API: 400 with every message and the fields they concern.
fn checked(section: Section, form: &EntryForm) -> ApiResult<profile::EntryData> {
    profile::validate(section, form, profile::today()).map_err(|errors| ApiError {
        status: StatusCode::BAD_REQUEST,
        body: json!({ "error": errors.joined(), "fields": errors.0 }),
    })
}

async fn update_entry(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, section, id)): Path<(String, String, String)>,
    bytes: Bytes,
) -> ApiResult<Json<Value>> {
    let section = section_of(&section)?;
    let id = id_of(&id)?;
    open(&dmp, &pro, &ins).await?;
    let data = checked(section, &body(&bytes)?)?;
    profile::update(dmp.db(), &ins, section, id, &data, &author(&pro)).await?;
    let entry = profile::get(dmp.db(), &ins, section, id).await?;
    let words = item_words(section, &entry.display_title());
    audit::record_professional(&dmp, &ins, &pro, Action::ProfileEdit, Some((id, &words))).await?;
    Ok(Json(json!(entry)))
}

async fn delete_entry(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, section, id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let section = section_of(&section)?;
    let id = id_of(&id)?;
    open(&dmp, &pro, &ins).await?;
    let entry = profile::get(dmp.db(), &ins, section, id).await?;
    profile::delete(dmp.db(), &ins, section, id).await?;
    let words = item_words(section, &entry.display_title());
    audit::record_professional(&dmp, &ins, &pro, Action::ProfileDelete, Some((id, &words))).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn add_measure(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path(ins): Path<String>,
    bytes: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    open(&dmp, &pro, &ins).await?;
    let new: NewMeasure = body(&bytes)?;
    let id = measures::add(dmp.db(), &ins, &new, &author(&pro)).await?;
    let m = measures::get(dmp.db(), &ins, id).await?;
    let words = format!("Profil médical — Mesures : {}", m.kind.label());
    audit::record_professional(&dmp, &ins, &pro, Action::MeasureAdd, Some((id, &words))).await?;
    Ok((StatusCode::CREATED, Json(json!(m))))
}

async fn delete_measure(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id = id_of(&id)?;
    open(&dmp, &pro, &ins).await?;
    let m = measures::get(dmp.db(), &ins, id).await?;
    measures::delete(dmp.db(), &ins, id).await?;
    let words = format!("Profil médical — Mesures : {}", m.kind.label());
    audit::record_professional(&dmp, &ins, &pro, Action::MeasureDelete, Some((id, &words))).await?;
    Ok(StatusCode::NO_CONTENT)
}
