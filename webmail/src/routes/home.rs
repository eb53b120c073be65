//! The front page. Before login: the two ways in. After login, phone first: four large tiles
//! (messages with the unread count, documents, medical profile, agenda with the next
//! appointment) and the catalogue, for the profile being acted as.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::request::Parts;
use axum::response::Response;
use axum::routing::get;
use sqlx::Row;

use crate::error::WebError;
use crate::security::{CitizenSession, cookies, session};
use crate::state::AppState;
use crate::views::{Layout, french_datetime, render};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "account/home.html")]
struct HomePage {
    layout: Layout,
    /// "Prénom" of the citizen, or the child's name when acting for them.
    greeting: String,
    next_appointment: Option<NextAppointment>,
}

/// The agenda tile's line.
struct NextAppointment {
    when: String,
    what: String,
}

async fn home(State(state): State<AppState>, parts: Parts) -> Result<Response, WebError> {
    let session = match cookies::get(&parts.headers, cookies::SESSION) {
        Some(token) => session::load(&state, &token).await?,
        None => None,
    };
    let Some(session) = session else {
        return render(&HomePage {
            layout: Layout::anonymous(),
            greeting: String::new(),
            next_appointment: None,
        });
    };
    let layout = Layout::for_session(&state, &session).await?;
    let next_appointment = next_appointment(&state, &session).await?;
    let greeting = if layout.acting_child {
        format!("Espace de {}", layout.acting_name)
    } else {
        match layout.acting_name.split(' ').next() {
            Some(first) if !first.is_empty() => format!("Bonjour {first}"),
            _ => "Bonjour".to_string(),
        }
    };
    render(&HomePage {
        layout,
        greeting,
        next_appointment,
    })
}

/// The next appointment of the acted profile's agenda (table of `health::agenda`), if any.
async fn next_appointment(
    state: &AppState,
    session: &CitizenSession,
) -> Result<Option<NextAppointment>, WebError> {
    let Some(account) = directory::accounts::account(&state.db, &session.acting).await? else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT starts_at, title, pro_name, with_text FROM agenda_appointment \
         WHERE patient_ins = $1 AND starts_at >= $2 ORDER BY starts_at LIMIT 1",
    )
    .bind(account.nir.clone())
    .bind(state.now())
    .fetch_optional(state.db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let starts_at: i64 = row.try_get("starts_at")?;
    let title: Option<String> = row.try_get("title")?;
    let pro: Option<String> = row.try_get("pro_name")?;
    let with_text: Option<String> = row.try_get("with_text")?;
    let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let what = match (non_empty(title), non_empty(pro).or(non_empty(with_text))) {
        (Some(t), Some(w)) => format!("{t} — {w}"),
        (Some(t), None) => t,
        (None, Some(w)) => format!("Rendez-vous avec {w}"),
        (None, None) => "Rendez-vous".to_string(),
    };
    Ok(Some(NextAppointment {
        when: french_datetime(starts_at),
        what,
    }))
}
