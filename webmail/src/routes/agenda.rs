//! The health agenda (issue 9): the citizen's appointments (upcoming, then past), the prevention
//! proposals for their age and sex with "Ignorer" and "Planifier", the add form, and the `.ics`
//! export. Every page acts on the session's *acting* profile: a parent acting for a child manages
//! the child's agenda, and the proposals follow the child's age. The form and its pages are in
//! `agenda_form.rs`, the proposals' actions in `agenda_prevention.rs`, the export in
//! `agenda_export.rs`; the logic (validation, rules, storage, iCalendar) in `health::agenda`.

#[path = "agenda_export.rs"]
mod export;
#[path = "agenda_form.rs"]
mod form;
#[path = "agenda_prevention.rs"]
mod prevention;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use directory::accounts::Account;
use health::agenda::{Appointment, paris, rules, storage};
use health::{Author, AuthorKind, HealthError};
use serde::Deserialize;

use crate::error::WebError;
use crate::security::CitizenSession;
use crate::state::AppState;
use crate::views::{Layout, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agenda", get(page))
        .route("/agenda/ajouter", post(form::add))
        .route(
            "/agenda/{id}/modifier",
            get(form::edit_page).post(form::edit),
        )
        .route("/agenda/{id}/supprimer", post(form::delete))
        .route("/agenda/rendez-vous.ics", get(export::ics))
        .route(
            "/agenda/prevention/{rule}/ignorer",
            post(prevention::dismiss),
        )
        .route(
            "/agenda/prevention/{rule}/planifier",
            post(prevention::plan),
        )
}

/// Whose agenda, and who is writing in it.
pub(crate) struct Who {
    /// The person whose agenda this is (the citizen, or the child acted for).
    pub account: Account,
    pub author: Author,
}

impl Who {
    /// The agenda's key, like the DMP's.
    pub fn ins(&self) -> &str {
        &self.account.nir
    }
}

/// The agenda of the session's acting profile; a parent must be the child's registered guardian.
pub(crate) async fn who(state: &AppState, session: &CitizenSession) -> Result<Who, WebError> {
    let account = directory::accounts::account(&state.db, &session.acting)
        .await?
        .ok_or_else(|| WebError::forbidden("Cet agenda n’est pas accessible."))?;
    if session.acting.eq_ignore_ascii_case(&session.login) {
        let author = Author {
            kind: AuthorKind::Patient,
            id: account.nir.clone(),
            name: String::new(),
        };
        return Ok(Who { account, author });
    }
    if !directory::accounts::is_guardian(&state.db, &session.login, &session.acting).await? {
        return Err(WebError::forbidden(
            "Vous n’êtes pas enregistré comme représentant légal de cette personne.",
        ));
    }
    let own = directory::accounts::account(&state.db, &session.login)
        .await?
        .ok_or(WebError::LoginRequired)?;
    let author = Author {
        kind: AuthorKind::Guardian,
        id: own.nir,
        name: String::new(),
    };
    Ok(Who { account, author })
}

/// A health error as the citizen sees it.
pub(crate) fn web_error(e: HealthError) -> WebError {
    match e {
        HealthError::Invalid(t) => WebError::bad_request(t),
        HealthError::NotFound => WebError::NotFound,
        HealthError::Forbidden(t) => WebError::forbidden(t),
        other => WebError::internal(other),
    }
}

/// One appointment as the pages show it.
pub(crate) struct Row {
    pub id: i64,
    pub when: String,
    pub duration: Option<String>,
    pub summary: String,
    /// Shown under the summary when the summary is the object (else it already says "avec").
    pub with: Option<String>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub reminder: Option<&'static str>,
}

/// "45 min", "1 h", "1 h 30".
fn duration_fr(min: i64) -> String {
    match (min / 60, min % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

impl Row {
    pub(crate) fn of(a: &Appointment) -> Row {
        let d = &a.draft;
        Row {
            id: a.id,
            when: paris::datetime_fr(d.starts_at),
            duration: d.duration_min.map(duration_fr),
            summary: a.summary(),
            with: d.title.as_ref().and(a.with_whom()).map(str::to_string),
            place: d.place.clone(),
            notes: d.notes.clone(),
            reminder: d.reminder.lead_secs().map(|_| d.reminder.label()),
        }
    }
}

/// One prevention proposal on the page.
struct ProposalView {
    id: &'static str,
    kind: &'static str,
    title: &'static str,
    explanation: &'static str,
    source: &'static str,
    rhythm: String,
    /// The date of an upcoming appointment planned from it.
    planned: Option<String>,
}

/// Past appointments shown; older ones stay in the database and the export.
const PAST_SHOWN: usize = 50;

#[derive(Template)]
#[template(path = "agenda/list.html")]
struct AgendaPage {
    layout: Layout,
    notice: Option<String>,
    upcoming: Vec<Row>,
    past: Vec<Row>,
    proposals: Vec<ProposalView>,
    /// False when the register has no usable birth date.
    proposals_known: bool,
    form: form::FormView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    avis: Option<String>,
    /// A search in the directory for the add form.
    pro: Option<String>,
    /// The proposal being planned (pre-fills the add form).
    regle: Option<String>,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "ajoute" => Some("Le rendez-vous a été ajouté à l’agenda."),
        "modifie" => Some("Le rendez-vous a été modifié."),
        "supprime" => Some("Le rendez-vous a été supprimé."),
        "ignore" => Some(
            "Cette proposition ne sera plus affichée (si elle se renouvelle, elle reviendra à la \
             prochaine échéance).",
        ),
        _ => None,
    }
}

async fn page(
    State(state): State<AppState>,
    session: CitizenSession,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let who = who(&state, &session).await?;
    let now = state.now();
    let all = storage::list(&state.db, who.ins())
        .await
        .map_err(web_error)?;
    let (upcoming, past): (Vec<&Appointment>, Vec<&Appointment>) =
        all.iter().partition(|a| a.draft.starts_at >= now);
    let planned_rule = q.regle.as_deref().and_then(rules::rule);
    let (proposals, proposals_known) = proposals_for(&state, &who, &upcoming, now).await?;
    let mut form = form::FormView::blank("/agenda/ajouter", "/agenda", "Ajouter le rendez-vous");
    if let Some(r) = planned_rule {
        form.objet = r.title.to_string();
        form.regle = r.id.to_string();
    }
    form.search(&state, q.pro.as_deref()).await?;
    let notice = match planned_rule {
        Some(r) => Some(format!(
            "Indiquez la date et l’heure du rendez-vous « {} » ci-dessous.",
            r.title
        )),
        None => notice_of(q.avis.as_deref()).map(str::to_string),
    };
    render(&AgendaPage {
        layout: Layout::for_session(&state, &session).await?,
        notice,
        upcoming: upcoming.into_iter().map(Row::of).collect(),
        past: past
            .into_iter()
            .rev()
            .take(PAST_SHOWN)
            .map(Row::of)
            .collect(),
        proposals,
        proposals_known,
        form,
    })
}

/// The proposals for the agenda's owner today (Paris date), with those already planned.
async fn proposals_for(
    state: &AppState,
    who: &Who,
    upcoming: &[&Appointment],
    now: i64,
) -> Result<(Vec<ProposalView>, bool), WebError> {
    let (Some(birth), Some(today)) = (
        health::agenda::input::parse_date(&who.account.birth_date),
        paris::today(now),
    ) else {
        return Ok((Vec::new(), false));
    };
    let sex = rules::Sex::of(who.account.sex.as_deref(), &who.account.nir);
    let dismissed = storage::dismissed(&state.db, who.ins())
        .await
        .map_err(web_error)?;
    let list = rules::proposals(birth, sex, today, &dismissed)
        .into_iter()
        .map(|p| {
            let r = p.rule;
            ProposalView {
                id: r.id,
                kind: r.kind.label(),
                title: r.title,
                explanation: r.explanation,
                source: r.source.label(),
                rhythm: r.rhythm(),
                planned: upcoming
                    .iter()
                    .find(|a| a.draft.prevention_rule.as_deref() == Some(r.id))
                    .map(|a| paris::datetime_fr(a.draft.starts_at)),
            }
        })
        .collect();
    Ok((list, true))
}

#[cfg(test)]
mod tests {
    use super::duration_fr;

    #[test]
    fn durations() {
        for (m, want) in [(45, "45 min"), (60, "1 h"), (90, "1 h 30"), (125, "2 h 05")] {
            assert_eq!(duration_fr(m), want);
        }
    }
}
