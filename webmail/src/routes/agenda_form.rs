//! The appointment form: add (from the agenda page), edit (its own page), delete. The professional
//! is chosen among the directory's active professionals by a plain GET search (no JavaScript)
//! whose results are radio buttons in the form, or written in free text. A refused form comes
//! back with what was typed and the French reason (400).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use health::agenda::{AppointmentInput, Draft, ProRef, Reminder, paris, storage, validate};
use serde::Deserialize;

use super::{web_error, who};
use crate::documents::search;
use crate::error::WebError;
use crate::security::{CitizenSession, check_csrf};
use crate::state::AppState;
use crate::views::{Layout, render};

pub(crate) struct ReminderChoice {
    pub slug: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub(crate) struct ProChoice {
    pub rpps: String,
    pub name: String,
    pub profession: String,
    pub checked: bool,
}

/// The form's values, as shown (what was typed, or the stored appointment).
pub(crate) struct FormView {
    /// Where the form posts.
    pub action: String,
    /// Where the directory search goes (GET; the same page).
    pub search_action: String,
    pub submit: &'static str,
    pub date: String,
    pub heure: String,
    pub duree: String,
    pub objet: String,
    pub avec: String,
    pub lieu: String,
    pub notes: String,
    pub regle: String,
    pub rappel: String,
    pub pro_query: String,
    /// The professional already chosen, then the search results.
    pub pros: Vec<ProChoice>,
    /// A search was made (so "nothing found" can be said).
    pub searched: bool,
    pub error: Option<String>,
}

impl FormView {
    pub(crate) fn blank(action: &str, search_action: &str, submit: &'static str) -> FormView {
        FormView {
            action: action.to_string(),
            search_action: search_action.to_string(),
            submit,
            date: String::new(),
            heure: String::new(),
            duree: String::new(),
            objet: String::new(),
            avec: String::new(),
            lieu: String::new(),
            notes: String::new(),
            regle: String::new(),
            rappel: Reminder::DayBefore.slug().to_string(),
            pro_query: String::new(),
            pros: Vec::new(),
            searched: false,
            error: None,
        }
    }

    /// "Aucun de ceux-ci" is the choice when no professional of the list is.
    pub(crate) fn none_checked(&self) -> bool {
        self.pros.iter().all(|p| !p.checked)
    }

    pub(crate) fn reminders(&self) -> Vec<ReminderChoice> {
        Reminder::ALL
            .into_iter()
            .map(|r| ReminderChoice {
                slug: r.slug(),
                label: r.label(),
                selected: r.slug() == self.rappel,
            })
            .collect()
    }

    /// Adds the directory's answers to `query` as choices (the chosen one stays first).
    pub(crate) async fn search(
        &mut self,
        state: &AppState,
        query: Option<&str>,
    ) -> Result<(), WebError> {
        let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) else {
            return Ok(());
        };
        self.pro_query = q.chars().take(100).collect();
        self.searched = true;
        for hit in search::professionals(&state.db, &self.pro_query).await? {
            if self.pros.iter().all(|p| p.rpps != hit.rpps) {
                self.pros.push(ProChoice {
                    rpps: hit.rpps,
                    name: hit.name,
                    profession: hit.profession,
                    checked: false,
                });
            }
        }
        Ok(())
    }

    fn chosen(&mut self, pro: &ProRef) {
        self.pros.insert(
            0,
            ProChoice {
                rpps: pro.rpps.clone(),
                name: pro.name.clone(),
                profession: String::new(),
                checked: true,
            },
        );
    }
}

/// The posted form (French field names, as in the template).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Fields {
    csrf: String,
    date: String,
    heure: String,
    duree: String,
    objet: String,
    rpps: String,
    avec: String,
    lieu: String,
    notes: String,
    rappel: String,
    regle: String,
}

impl Fields {
    fn input(&self) -> AppointmentInput {
        AppointmentInput {
            date: self.date.clone(),
            time: self.heure.clone(),
            duration: self.duree.clone(),
            title: self.objet.clone(),
            with_text: self.avec.clone(),
            place: self.lieu.clone(),
            notes: self.notes.clone(),
            reminder: self.rappel.clone(),
            rule: self.regle.clone(),
        }
    }

    /// The form shown again with what was typed.
    fn view(&self, mut v: FormView, pro: Option<&ProRef>, error: String) -> FormView {
        v.date = self.date.clone();
        v.heure = self.heure.clone();
        v.duree = self.duree.clone();
        v.objet = self.objet.clone();
        v.avec = self.avec.clone();
        v.lieu = self.lieu.clone();
        v.notes = self.notes.clone();
        v.regle = self.regle.clone();
        v.rappel = self.rappel.clone();
        if let Some(p) = pro {
            v.chosen(p);
        }
        v.error = Some(error);
        v
    }
}

/// The professional of the posted RPPS: the directory's (active) entry, or the one the
/// appointment already had (they may have left the directory since).
async fn professional(
    state: &AppState,
    rpps: &str,
    kept: Option<&ProRef>,
) -> Result<Result<Option<ProRef>, String>, WebError> {
    let rpps = rpps.trim();
    if rpps.is_empty() {
        return Ok(Ok(None));
    }
    if let Some(hit) = search::one(&state.db, rpps).await? {
        return Ok(Ok(Some(ProRef {
            rpps: hit.rpps,
            name: hit.name,
        })));
    }
    match kept.filter(|k| k.rpps == rpps) {
        Some(k) => Ok(Ok(Some(k.clone()))),
        None => Ok(Err(
            "Ce professionnel n’est pas dans l’annuaire : cherchez-le de nouveau ou écrivez son \
             nom dans « Autre professionnel »."
                .to_string(),
        )),
    }
}

#[derive(Template)]
#[template(path = "agenda/form.html")]
struct FormPage {
    layout: Layout,
    heading: &'static str,
    form: FormView,
    /// The appointment being edited (for the delete button).
    id: Option<i64>,
}

async fn form_page(
    state: &AppState,
    session: &CitizenSession,
    heading: &'static str,
    form: FormView,
    id: Option<i64>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut res = render(&FormPage {
        layout: Layout::for_session(state, session).await?,
        heading,
        form,
        id,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

fn parse_id(id: &str) -> Result<i64, WebError> {
    id.parse::<i64>().map_err(|_| WebError::NotFound)
}

fn today(state: &AppState) -> Result<time::Date, WebError> {
    paris::today(state.now()).ok_or_else(|| WebError::internal("clock out of range"))
}

/// The posted form checked: the draft, or the French reason with the professional to show
/// again as chosen.
async fn check(
    state: &AppState,
    f: &Fields,
    kept: Option<&ProRef>,
) -> Result<Result<Draft, (String, Option<ProRef>)>, WebError> {
    let pro = match professional(state, &f.rpps, kept).await? {
        Ok(p) => p,
        Err(msg) => return Ok(Err((msg, None))),
    };
    match validate(&f.input(), pro.clone(), today(state)?) {
        Ok(d) => Ok(Ok(d)),
        Err(e) => Ok(Err((web_error_text(e)?, pro))),
    }
}

pub(super) async fn add(
    State(state): State<AppState>,
    session: CitizenSession,
    Form(f): Form<Fields>,
) -> Result<Response, WebError> {
    check_csrf(&session, &f.csrf)?;
    let who = who(&state, &session).await?;
    let draft = match check(&state, &f, None).await? {
        Ok(d) => d,
        Err((msg, pro)) => {
            let blank = FormView::blank("/agenda/ajouter", "/agenda", "Ajouter le rendez-vous");
            let v = f.view(blank, pro.as_ref(), msg);
            let h = "Ajouter un rendez-vous";
            return form_page(&state, &session, h, v, None, StatusCode::BAD_REQUEST).await;
        }
    };
    storage::insert(&state.db, who.ins(), &draft, &who.author, state.now())
        .await
        .map_err(web_error)?;
    tracing::info!(
        guardian = who.author.kind == health::AuthorKind::Guardian,
        "appointment added"
    );
    Ok(Redirect::to("/agenda?avis=ajoute").into_response())
}

/// The French sentence of a refused form; anything else is a real error.
fn web_error_text(e: health::HealthError) -> Result<String, WebError> {
    match e {
        health::HealthError::Invalid(t) => Ok(t),
        other => Err(web_error(other)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditQuery {
    pro: Option<String>,
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let who = who(&state, &session).await?;
    let id = parse_id(&id)?;
    let a = storage::get(&state.db, who.ins(), id)
        .await
        .map_err(web_error)?;
    let action = format!("/agenda/{id}/modifier");
    let mut v = FormView::blank(&action, &action, "Enregistrer les modifications");
    let d = &a.draft;
    (v.date, v.heure) = paris::form_values(d.starts_at);
    v.duree = d.duration_min.map(|m| m.to_string()).unwrap_or_default();
    v.objet = d.title.clone().unwrap_or_default();
    v.avec = d.with_text.clone().unwrap_or_default();
    v.lieu = d.place.clone().unwrap_or_default();
    v.notes = d.notes.clone().unwrap_or_default();
    v.regle = d.prevention_rule.clone().unwrap_or_default();
    v.rappel = d.reminder.slug().to_string();
    if let Some(p) = &d.professional {
        v.chosen(p);
    }
    v.search(&state, q.pro.as_deref()).await?;
    let h = "Modifier le rendez-vous";
    form_page(&state, &session, h, v, Some(id), StatusCode::OK).await
}

pub(super) async fn edit(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, WebError> {
    check_csrf(&session, &f.csrf)?;
    let who = who(&state, &session).await?;
    let id = parse_id(&id)?;
    let old = storage::get(&state.db, who.ins(), id)
        .await
        .map_err(web_error)?;
    let draft = match check(&state, &f, old.draft.professional.as_ref()).await? {
        Ok(d) => d,
        Err((msg, pro)) => {
            let action = format!("/agenda/{id}/modifier");
            let blank = FormView::blank(&action, &action, "Enregistrer les modifications");
            let v = f.view(blank, pro.as_ref(), msg);
            let h = "Modifier le rendez-vous";
            return form_page(&state, &session, h, v, Some(id), StatusCode::BAD_REQUEST).await;
        }
    };
    storage::update(&state.db, who.ins(), id, &draft, &who.author, state.now())
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/agenda?avis=modifie").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    pub(super) fn token(&self) -> &str {
        &self.csrf
    }
}

pub(super) async fn delete(
    State(state): State<AppState>,
    session: CitizenSession,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_csrf(&session, f.token())?;
    let who = who(&state, &session).await?;
    storage::delete(&state.db, who.ins(), parse_id(&id)?)
        .await
        .map_err(web_error)?;
    Ok(Redirect::to("/agenda?avis=supprime").into_response())
}
