//! The professional HTTPS API (JSON), as an `axum::Router` the binary serves on the webmail's
//! HTTPS port. Mutual TLS is the binary's job: it puts the verified client certificate's
//! identity in the request extensions as `Option<certs::identity::PeerIdentity>`; the RPPS comes
//! from that personal certificate, the profession from the directory.
//!
//! | method | path (under `/api/dmp/v1`) | what |
//! |---|---|---|
//! | GET | `/patients/{ins}/documents?mode=&justification=` | documents the professional may read |
//! | GET | `/patients/{ins}/documents/{id}/content?mode=&justification=` | one document's content |
//! | POST | `/patients/{ins}/documents?title=&type_code=&class_code=&file_name=…` | deposit (body = file, `Content-Type` = its MIME type) |
//! | POST | `/patients/{ins}/xdm` | deposit an IHE XDM zip (all documents or none) |
//! | POST | `/patients/{ins}/documents/{id}/release` | make an INVISIBLE_PATIENT document visible |
//! | DELETE | `/patients/{ins}/documents/{id}` | delete a document (its author only) |
//!
//! `mode` is `normal` (default), `break_glass` (with a `justification` of at least
//! 10 characters) or `samu`. Errors are `{"error": "<French sentence>"}` with 400, 403, 404,
//! 413 or 422.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use certs::identity::PeerIdentity;
use futures::StreamExt;
use serde::Deserialize;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::access::{Mode, Professional};
use crate::error::DmpError;
use crate::professional::{Deposit, resolve_professional};
use crate::{Dmp, Document};

/// An error as the API returns it.
pub struct ApiError(StatusCode, String);

impl From<DmpError> for ApiError {
    fn from(e: DmpError) -> Self {
        let status = match &e {
            DmpError::Denied(_) => StatusCode::FORBIDDEN,
            DmpError::NotFound(_) => StatusCode::NOT_FOUND,
            DmpError::Invalid(_) => StatusCode::BAD_REQUEST,
            DmpError::Xdm(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => {
                tracing::error!(error = %e, "DMP API internal error");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        ApiError(status, e.citizen_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The calling professional, from the TLS identity in the request extensions.
pub struct Caller(pub Professional);

impl FromRequestParts<Dmp> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, dmp: &Dmp) -> Result<Self, Self::Rejection> {
        let id = parts
            .extensions
            .get::<Option<PeerIdentity>>()
            .cloned()
            .flatten()
            .or_else(|| parts.extensions.get::<PeerIdentity>().cloned());
        let Some(id) = id else {
            return Err(ApiError(
                StatusCode::UNAUTHORIZED,
                "Présentez votre certificat personnel (authentification TLS mutuelle).".into(),
            ));
        };
        Ok(Caller(resolve_professional(dmp, &id).await?))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ModeQuery {
    pub mode: Option<String>,
    pub justification: Option<String>,
}

impl ModeQuery {
    fn mode(&self) -> Result<Mode, ApiError> {
        match self.mode.as_deref().unwrap_or("normal") {
            "normal" => Ok(Mode::Normal),
            "break_glass" | "bris_de_glace" => Ok(Mode::BreakGlass {
                justification: self.justification.clone().unwrap_or_default(),
            }),
            "samu" => Ok(Mode::Samu),
            _ => Err(ApiError(
                StatusCode::BAD_REQUEST,
                "Mode d'accès inconnu : normal, break_glass ou samu.".into(),
            )),
        }
    }
}

/// The router, to be nested or merged by the binary (paths start with `/api/dmp/v1`).
pub fn router(dmp: Dmp) -> Router {
    Router::new()
        .route(
            "/api/dmp/v1/patients/{ins}/documents",
            get(list).post(deposit),
        )
        .route(
            "/api/dmp/v1/patients/{ins}/documents/{id}",
            axum::routing::delete(remove),
        )
        .route(
            "/api/dmp/v1/patients/{ins}/documents/{id}/content",
            get(content),
        )
        .route(
            "/api/dmp/v1/patients/{ins}/documents/{id}/release",
            post(release),
        )
        .route("/api/dmp/v1/patients/{ins}/xdm", post(deposit_xdm))
        .with_state(dmp)
}

async fn list(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path(ins): Path<String>,
    Query(q): Query<ModeQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let docs: Vec<Document> = dmp.pro_list(&pro, &ins, &q.mode()?).await?;
    Ok(Json(json!({ "patient": ins, "documents": docs })))
}

async fn content(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, id)): Path<(String, i64)>,
    Query(q): Query<ModeQuery>,
) -> ApiResult<Response> {
    let (doc, bytes) = dmp.pro_read(&pro, &ins, id, &q.mode()?).await?;
    let mime = HeaderValue::from_str(&doc.meta.mime_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let safe: String = doc
        .meta
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DepositQuery {
    pub title: String,
    pub file_name: Option<String>,
    pub type_code: Option<String>,
    pub class_code: Option<String>,
    pub created_at: Option<i64>,
    #[serde(default)]
    pub masque_ps: bool,
    #[serde(default)]
    pub invisible_patient: bool,
    #[serde(default)]
    pub invisible_rep_legaux: bool,
}

fn too_large() -> ApiError {
    ApiError(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Le fichier envoyé est trop volumineux.".into(),
    )
}

async fn deposit(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path(ins): Path<String>,
    Query(q): Query<DepositQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Document>)> {
    let limit = usize::try_from(dmp.max_document_bytes()).unwrap_or(usize::MAX);
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_else(|| "application/octet-stream".into());
    let dep = Deposit {
        title: q.title,
        mime_type: mime,
        file_name: q.file_name,
        type_code: q.type_code,
        class_code: q.class_code,
        created_at: q.created_at,
        masque_ps: q.masque_ps,
        invisible_patient: q.invisible_patient,
        invisible_rep_legaux: q.invisible_rep_legaux,
    };
    let doc = dmp.pro_deposit(&pro, &ins, dep, &bytes).await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

/// The package streams to an anonymous temp file (bounded), never whole into memory.
async fn deposit_xdm(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path(ins): Path<String>,
    body: Body,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let limit = dmp.limits().max_total_bytes;
    let std_file = tempfile::tempfile().map_err(DmpError::from)?;
    let mut file = tokio::fs::File::from_std(std_file);
    let mut stream = body.into_data_stream();
    let mut total: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| DmpError::Invalid(format!("Envoi interrompu : {e}")))?;
        total += chunk.len() as u64;
        if total > limit {
            return Err(too_large());
        }
        file.write_all(&chunk).await.map_err(DmpError::from)?;
    }
    file.flush().await.map_err(DmpError::from)?;
    let mut std_file = file.into_std().await;
    std::io::Seek::rewind(&mut std_file).map_err(DmpError::from)?;
    let filed = dmp.pro_deposit_xdm(&pro, &ins, std_file).await?;
    Ok((StatusCode::CREATED, Json(json!(filed))))
}

async fn release(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    dmp.pro_release(&pro, &ins, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(
    State(dmp): State<Dmp>,
    Caller(pro): Caller,
    Path((ins, id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    dmp.pro_delete(&pro, &ins, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
