//! What every page shows around its content: who is acting, the profile switcher, the unread
//! count and the CSRF token of the session (shared contract of the webmail crate).

use crate::error::WebError;
use crate::security::CitizenSession;
use crate::state::AppState;

/// A profile the session may act as: the citizen's own, and each child's (DESIGN §8).
#[derive(Debug, Clone)]
pub struct Profile {
    pub address: String,
    pub name: String,
    /// The profile being acted as now.
    pub current: bool,
}

/// The frame of every page, given to `base.html` as `layout`.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// False on the pages before login: no navigation.
    pub logged_in: bool,
    /// The citizen's own address.
    pub login: String,
    /// The mailbox acted as (the citizen or a child).
    pub acting: String,
    /// The name of the person acted as, e.g. "Marie Durand".
    pub acting_name: String,
    /// True when acting as a child.
    pub acting_child: bool,
    /// Own profile first, then the children's. A single entry means no switcher.
    pub profiles: Vec<Profile>,
    /// The session's CSRF token (also the one of the anonymous forms, before login).
    pub csrf: String,
    /// Unread messages in the acted profile's inbox.
    pub unread: u32,
}

impl Layout {
    /// The frame of a page shown before login (no navigation, no form).
    pub fn anonymous() -> Layout {
        Layout::default()
    }

    /// The frame of a page shown before login that has a form protected by `csrf`.
    pub fn anonymous_with_csrf(csrf: &str) -> Layout {
        Layout {
            csrf: csrf.to_string(),
            ..Layout::default()
        }
    }

    /// The frame of a logged-in page.
    pub async fn for_session(
        state: &AppState,
        session: &CitizenSession,
    ) -> Result<Layout, WebError> {
        let own = directory::accounts::account(&state.db, &session.login).await?;
        let mut profiles = Vec::new();
        if let Some(own) = &own {
            profiles.push(Profile {
                address: own.address.clone(),
                name: display_name(own),
                current: own.address == session.acting,
            });
            for child_nir in directory::accounts::children_of(&state.db, &own.nir).await? {
                if let Some(child) = directory::accounts::account(&state.db, &child_nir).await? {
                    profiles.push(Profile {
                        current: child.address == session.acting,
                        name: display_name(&child),
                        address: child.address,
                    });
                }
            }
        }
        let acting_name = profiles
            .iter()
            .find(|p| p.current)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| session.acting.clone());
        let unread = match state.db.find_mailbox(&session.acting, "INBOX").await? {
            Some(inbox) => {
                state
                    .db
                    .mailbox_status(inbox.id, &session.acting)
                    .await?
                    .unseen
            }
            None => 0,
        };
        Ok(Layout {
            logged_in: true,
            login: session.login.clone(),
            acting: session.acting.clone(),
            acting_child: session.acting != session.login,
            acting_name,
            profiles,
            csrf: session.csrf.clone(),
            unread,
        })
    }
}

/// "Prénom Nom" of an account, from the register's names.
pub fn display_name(acc: &directory::accounts::Account) -> String {
    let first = acc.first_names.split([' ', ',']).next().unwrap_or("");
    format!("{} {}", first, acc.birth_name).trim().to_string()
}

/// Renders a page template into a response.
pub fn render(t: &impl askama::Template) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    Ok(axum::response::Html(t.render()?).into_response())
}

/// A short page that says one thing (confirmation, explanation) with a link onwards.
#[derive(askama::Template)]
#[template(path = "account/notice.html")]
pub struct Notice {
    pub layout: Layout,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub link_href: String,
    pub link_text: String,
}

/// "3 mars 2026 à 14:05", in Paris time, for dates shown to the citizen (one format for the
/// whole webmail: `mail::format::date_fr`).
pub fn french_datetime(ts: i64) -> String {
    crate::mail::format::date_fr(ts)
}
