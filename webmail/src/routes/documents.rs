//! The citizen's documents (DMP, issue 7): the 8 categories, one document (details, download,
//! hide from professionals or show again, delete what the citizen put in), and the upload of the
//! citizen's own documents. Every page acts on the session's `acting` profile: a parent acting
//! for a child sees the child's record, minus what is hidden from legal representatives (the
//! bridge filters). Access settings and the history are in `documents_access.rs`; filing from a
//! message in `documents_mail.rs`.

#[path = "documents_access.rs"]
mod access;
#[path = "documents_mail.rs"]
mod from_mail;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use dmp_bridge::{AuthorKind, Category, Document, NewFile, Source};
use serde::Deserialize;

use crate::documents::{actor, safe_file_name, sniff_type, stored_file_name, web_error};
use crate::error::WebError;
use crate::mail::format::size_fr;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, french_datetime, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list))
        .route("/documents/ajouter", post(upload))
        .route("/documents/{id}", get(show))
        .route("/documents/{id}/fichier", get(download))
        .route("/documents/{id}/masquer", post(set_hidden))
        .route("/documents/{id}/supprimer", post(delete))
        .merge(access::routes())
        .merge(from_mail::routes())
}

/// One document as the pages show it.
pub(crate) struct DocRow {
    pub id: i64,
    pub title: String,
    pub category: &'static str,
    pub date: String,
    pub filed: String,
    pub author: String,
    pub size: String,
    pub format: String,
    pub hidden: bool,
    /// The citizen put it in (upload, mail, XDM they filed): they may delete it.
    pub deletable: bool,
}

impl DocRow {
    pub(crate) fn of(d: &Document) -> DocRow {
        let m = &d.meta;
        let author = match m.author_kind {
            AuthorKind::Patient => match &m.author_structure {
                Some(from) => format!("Ajouté par vous, reçu de {from}"),
                None => "Ajouté par vous".to_string(),
            },
            _ => [m.author_name.clone(), m.author_structure.clone()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        };
        DocRow {
            id: d.id,
            title: m.title.clone(),
            category: m.category.label(),
            date: french_datetime(m.created_at),
            filed: french_datetime(d.filed_at),
            author: if author.is_empty() {
                "Non précisé".into()
            } else {
                author
            },
            size: size_fr(u64::try_from(d.size).unwrap_or(0)),
            format: format_label(&m.mime_type).to_string(),
            hidden: m.visibility.hidden_from_professionals(),
            deletable: m.source != Source::Api,
        }
    }
}

fn format_label(mime: &str) -> &'static str {
    match mime {
        "application/pdf" => "PDF",
        "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "application/dicom" => "Image",
        "text/xml" | "application/xml" => "Document médical structuré (XML)",
        "text/plain" => "Texte",
        _ => "Fichier",
    }
}

pub(crate) struct Group {
    pub slug: &'static str,
    pub label: &'static str,
    pub documents: Vec<DocRow>,
}

/// The categories offered in the forms, with the one to pre-select.
pub(crate) struct CategoryChoice {
    pub slug: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub(crate) fn category_choices(selected: Category) -> Vec<CategoryChoice> {
    Category::ALL
        .into_iter()
        .map(|c| CategoryChoice {
            slug: c.slug(),
            label: c.label(),
            selected: c == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    layout: Layout,
    groups: Vec<Group>,
    total: usize,
    notice: Option<&'static str>,
    categories: Vec<CategoryChoice>,
    max_size: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    avis: Option<String>,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "ajoute" => Some("Le document a été ajouté à votre dossier."),
        "classe" => Some("Le document a été enregistré dans votre dossier."),
        "paquet" => Some("Les documents du paquet ont été classés dans votre dossier."),
        "masque" => Some(
            "Le document est masqué aux professionnels (sauf son auteur et votre médecin traitant).",
        ),
        "visible" => Some("Le document est de nouveau visible par les professionnels."),
        "supprime" => Some("Le document a été supprimé de votre dossier."),
        _ => None,
    }
}

async fn list(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let me = actor(&state, &session).await?;
    let groups = state
        .dmp
        .citizen_by_category(&me)
        .await
        .map_err(web_error)?;
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|g| Group {
            slug: g.category.slug(),
            label: g.label,
            documents: g.documents.iter().map(DocRow::of).collect(),
        })
        .collect();
    render(&ListPage {
        layout: Layout::for_session(&state, &session).await?,
        total: groups.iter().map(|g| g.documents.len()).sum(),
        groups,
        notice: notice_of(q.avis.as_deref()),
        categories: category_choices(Category::Autres),
        max_size: size_fr(state.dmp.max_document_bytes()),
    })
}

#[derive(Template)]
#[template(path = "documents/document.html")]
struct DocumentPage {
    layout: Layout,
    doc: DocRow,
    notice: Option<&'static str>,
}

fn parse_id(id: &str) -> Result<i64, WebError> {
    id.parse::<i64>().map_err(|_| WebError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let me = actor(&state, &session).await?;
    let d = state
        .dmp
        .citizen_document(&me, parse_id(&id)?)
        .await
        .map_err(web_error)?;
    render(&DocumentPage {
        layout: Layout::for_session(&state, &session).await?,
        doc: DocRow::of(&d),
        notice: notice_of(q.avis.as_deref()),
    })
}

/// Types the browser is told as such (it still downloads them); anything else is opaque.
const SAFE_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "text/xml",
    "application/xml",
];

async fn download(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let me = actor(&state, &session).await?;
    let (d, bytes) = state
        .dmp
        .citizen_download(&me, parse_id(&id)?)
        .await
        .map_err(web_error)?;
    let mut h = HeaderMap::new();
    let ctype = if SAFE_TYPES.contains(&d.meta.mime_type.as_str()) {
        d.meta.mime_type.as_str()
    } else {
        "application/octet-stream"
    };
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ctype)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    let name = safe_file_name(&d.meta.file_name, "document");
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok((h, bytes).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HideForm {
    csrf: String,
    /// "1" to hide from professionals, anything else to show again.
    masquer: String,
}

async fn set_hidden(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
    Form(form): Form<HideForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let id = parse_id(&id)?;
    let me = actor(&state, &session).await?;
    let hide = form.masquer == "1";
    state
        .dmp
        .citizen_set_hidden(&me, id, hide)
        .await
        .map_err(web_error)?;
    let avis = if hide { "masque" } else { "visible" };
    Ok(Redirect::to(&format!("/documents/{id}?avis={avis}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

async fn delete(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let me = actor(&state, &session).await?;
    state
        .dmp
        .citizen_delete(&me, parse_id(&id)?)
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/documents?avis=supprime").into_response())
}

pub(crate) fn multipart_error(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        WebError::too_large("Le fichier envoyé est trop volumineux.")
    } else {
        WebError::bad_request("Le formulaire n’a pas pu être lu. Rechargez la page et recommencez.")
    }
}

/// The citizen adds a document of their own: title, category, file (type read from its bytes).
async fn upload(
    State(state): State<AppState>,
    session: CitizenSession,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let max = state.dmp.max_document_bytes();
    let (mut csrf, mut title, mut category) = (String::new(), String::new(), String::new());
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "fichier" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if (bytes.len() + chunk.len()) as u64 > max {
                    return Err(WebError::too_large(format!(
                        "Le document dépasse la taille autorisée ({}).",
                        size_fr(max)
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((file_name, bytes));
            continue;
        }
        let text: String = field
            .text()
            .await
            .map_err(multipart_error)?
            .chars()
            .take(300)
            .collect();
        match name.as_str() {
            "csrf" => csrf = text,
            "titre" => title = text,
            "categorie" => category = text,
            _ => {}
        }
    }
    check_csrf(&session, &csrf)?;
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(WebError::bad_request("Choisissez le fichier à ajouter."));
    };
    let (mime, ext) = sniff_type(&bytes).ok_or_else(|| {
        WebError::bad_request(
            "Ce type de fichier n’est pas accepté : ajoutez un PDF, une photo (JPEG ou PNG), un \
             texte ou un document médical XML.",
        )
    })?;
    let category = Category::from_slug(&category)
        .ok_or_else(|| WebError::bad_request("Choisissez une catégorie."))?;
    let me = actor(&state, &session).await?;
    let new = NewFile {
        title: title.trim().to_string(),
        category: Some(category),
        mime_type: mime.to_string(),
        file_name: stored_file_name(&file_name, ext),
        origin: None,
    };
    state
        .dmp
        .citizen_add_file(&me, new, &bytes, Source::Upload)
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/documents?avis=ajoute").into_response())
}
