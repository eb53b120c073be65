//! The medical profile (issue 9): the overview of the nine sections (`/profil`), and for each of
//! the eight entry sections its list with an add form, the edit form and deletion. The measures
//! (`/profil/mesures`) and the synthesis (`/profil/synthese`) have their own modules. Every page
//! acts on the session's acting profile: a parent acting for a child edits the child's profile,
//! and the entry remembers it was a legal representative. Forms are checked by
//! `health::profile::validate`; on an error the form comes back with what was typed and each
//! message beside its field; on success, Post/Redirect/Get with a notice.

#[path = "profile_form.rs"]
mod form;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use health::profile::{self, EntryForm, FieldErrors, Section};
use health::{Author, AuthorKind, HealthError};
use serde::Deserialize;

use crate::documents::{actor, web_error};
use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, render};
use form::{EntryRow, FieldView, fields};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/profil", get(overview))
        .route("/profil/{section}", get(section_page))
        .route("/profil/{section}/ajouter", post(add))
        .route("/profil/{section}/{id}/modifier", get(edit_page).post(edit))
        .route("/profil/{section}/{id}/supprimer", post(delete))
}

/// Whose profile and who writes: the acting profile's INS, the author of a change, and the ids
/// under which the reader recognises their own entries ("Saisi par vous").
struct Owner {
    ins: String,
    author: Author,
}

impl Owner {
    fn viewer_ids(&self) -> [&str; 2] {
        [self.ins.as_str(), self.author.id.as_str()]
    }
}

async fn owner(state: &AppState, session: &CitizenSession) -> Result<Owner, WebError> {
    // `actor` checks that a session acting for someone else is their registered guardian.
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
    Ok(Owner {
        ins: me.patient_ins,
        author,
    })
}

fn health_error(e: HealthError) -> WebError {
    match e {
        HealthError::NotFound => WebError::NotFound,
        HealthError::Invalid(t) => WebError::bad_request(t),
        HealthError::Forbidden(t) => WebError::forbidden(t),
        HealthError::Dmp(d) => web_error(d),
        other => WebError::internal(other),
    }
}

fn section_of(slug: &str) -> Result<Section, WebError> {
    Section::from_slug(slug).ok_or(WebError::NotFound)
}

fn id_of(raw: &str) -> Result<i64, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoticeQuery {
    avis: Option<String>,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "ajoute" => Some("L'information a été ajoutée à votre profil médical."),
        "modifie" => Some("L'information a été modifiée."),
        "supprime" => Some("L'information a été supprimée de votre profil médical."),
        _ => None,
    }
}

/// One tile of the overview.
struct Tile {
    href: String,
    id: String,
    label: &'static str,
    detail: String,
}

fn count_words(n: i64) -> String {
    match n {
        0 => "Rien de renseigné".to_string(),
        1 => "1 information".to_string(),
        n => format!("{n} informations"),
    }
}

#[derive(Template)]
#[template(path = "profile/overview.html")]
struct OverviewPage {
    layout: Layout,
    tiles: Vec<Tile>,
}

async fn overview(
    State(state): State<AppState>,
    session: CitizenSession,
) -> Result<Response, WebError> {
    let who = owner(&state, &session).await?;
    let counts = profile::counts(&state.db, &who.ins)
        .await
        .map_err(health_error)?;
    let mut tiles: Vec<Tile> = counts
        .into_iter()
        .map(|(s, n)| Tile {
            href: format!("/profil/{}", s.slug()),
            id: format!("section-{}", s.slug()),
            label: s.label(),
            detail: count_words(n),
        })
        .collect();
    let kinds = health::measures::latest_by_kind(&state.db, &who.ins)
        .await
        .map_err(health_error)?
        .len();
    tiles.push(Tile {
        href: "/profil/mesures".into(),
        id: "section-mesures".into(),
        label: "Mesures",
        detail: match kinds {
            0 => "Aucune mesure".to_string(),
            1 => "1 type de mesure suivi".to_string(),
            n => format!("{n} types de mesure suivis"),
        },
    });
    render(&OverviewPage {
        layout: Layout::for_session(&state, &session).await?,
        tiles,
    })
}

#[derive(Template)]
#[template(path = "profile/section.html")]
struct SectionPage {
    layout: Layout,
    slug: &'static str,
    label: &'static str,
    rows: Vec<EntryRow>,
    notice: Option<&'static str>,
    fields: Vec<FieldView>,
    /// The form came back with errors: say so at its top.
    has_errors: bool,
}

async fn section_view(
    state: &AppState,
    session: &CitizenSession,
    who: &Owner,
    section: Section,
    form: &EntryForm,
    errors: &FieldErrors,
    notice: Option<&'static str>,
) -> Result<SectionPage, WebError> {
    let entries = profile::list(&state.db, &who.ins, section)
        .await
        .map_err(health_error)?;
    let ids = who.viewer_ids();
    Ok(SectionPage {
        layout: Layout::for_session(state, session).await?,
        slug: section.slug(),
        label: section.label(),
        rows: entries.iter().map(|e| EntryRow::of(e, &ids)).collect(),
        notice,
        fields: fields(section, form, errors, "ajout"),
        has_errors: !errors.is_empty(),
    })
}

async fn section_page(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let section = section_of(&slug)?;
    let who = owner(&state, &session).await?;
    let page = section_view(
        &state,
        &session,
        &who,
        section,
        &EntryForm::default(),
        &FieldErrors::default(),
        notice_of(q.avis.as_deref()),
    )
    .await?;
    render(&page)
}

/// A form post: the CSRF token and the entry's fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntryPost {
    csrf: String,
    #[serde(flatten)]
    entry: EntryForm,
}

/// A page shown again because the form had errors: 400, so nothing caches it as a success.
fn refused(page: &impl Template) -> Result<Response, WebError> {
    let mut res = render(page)?;
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}

async fn add(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(slug): Path<String>,
    Form(post): Form<EntryPost>,
) -> Result<Response, WebError> {
    check_csrf(&session, &post.csrf)?;
    let section = section_of(&slug)?;
    let who = owner(&state, &session).await?;
    match profile::validate(section, &post.entry, profile::today()) {
        Ok(data) => {
            profile::add(&state.db, &who.ins, section, &data, &who.author)
                .await
                .map_err(health_error)?;
            Ok(Redirect::to(&format!("/profil/{}?avis=ajoute", section.slug())).into_response())
        }
        Err(errors) => {
            let page =
                section_view(&state, &session, &who, section, &post.entry, &errors, None).await?;
            refused(&page)
        }
    }
}

#[derive(Template)]
#[template(path = "profile/edit.html")]
struct EditPage {
    layout: Layout,
    slug: &'static str,
    label: &'static str,
    id: i64,
    title: String,
    fields: Vec<FieldView>,
    has_errors: bool,
}

async fn edit_view(
    state: &AppState,
    session: &CitizenSession,
    section: Section,
    id: i64,
    title: String,
    form: &EntryForm,
    errors: &FieldErrors,
) -> Result<EditPage, WebError> {
    Ok(EditPage {
        layout: Layout::for_session(state, session).await?,
        slug: section.slug(),
        label: section.label(),
        id,
        title,
        fields: fields(section, form, errors, "modif"),
        has_errors: !errors.is_empty(),
    })
}

async fn edit_page(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let section = section_of(&slug)?;
    let id = id_of(&id)?;
    let who = owner(&state, &session).await?;
    let entry = profile::get(&state.db, &who.ins, section, id)
        .await
        .map_err(health_error)?;
    let form = profile::validate::form_of(&entry.data);
    let page = edit_view(
        &state,
        &session,
        section,
        id,
        entry.display_title(),
        &form,
        &FieldErrors::default(),
    )
    .await?;
    render(&page)
}

async fn edit(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((slug, id)): Path<(String, String)>,
    Form(post): Form<EntryPost>,
) -> Result<Response, WebError> {
    check_csrf(&session, &post.csrf)?;
    let section = section_of(&slug)?;
    let id = id_of(&id)?;
    let who = owner(&state, &session).await?;
    // Not found before validation: a form for someone else's entry says nothing about it.
    let entry = profile::get(&state.db, &who.ins, section, id)
        .await
        .map_err(health_error)?;
    match profile::validate(section, &post.entry, profile::today()) {
        Ok(data) => {
            profile::update(&state.db, &who.ins, section, id, &data, &who.author)
                .await
                .map_err(health_error)?;
            Ok(Redirect::to(&format!("/profil/{}?avis=modifie", section.slug())).into_response())
        }
        Err(errors) => {
            let page = edit_view(
                &state,
                &session,
                section,
                id,
                entry.display_title(),
                &post.entry,
                &errors,
            )
            .await?;
            refused(&page)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

async fn delete(
    State(state): State<AppState>,
    session: CitizenSession,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, &form.csrf)?;
    let section = section_of(&slug)?;
    let id = id_of(&id)?;
    let who = owner(&state, &session).await?;
    profile::delete(&state.db, &who.ins, section, id)
        .await
        .map_err(health_error)?;
    Ok(Redirect::to(&format!("/profil/{}?avis=supprime", section.slug())).into_response())
}
