//! The pages, one file per group. Account pages (W1): home, activation, login, settings, profiles,
//! closing. Mail pages (W2): mail, compose.

pub mod activation;
pub mod activation_steps;
pub mod agenda;
pub mod app;
pub mod catalogue;
pub mod closing;
pub mod compose;
pub mod contact;
pub mod documents;
pub mod home;
pub mod login;
pub mod mail;
pub mod measures;
pub mod profile;
pub mod profiles;
pub mod settings;
pub mod synthesis;

use axum::Router;

use crate::state::AppState;

/// The account half of the webmail.
pub fn account_routes() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(activation::routes())
        .merge(login::routes())
        .merge(settings::routes())
        .merge(profiles::routes())
        .merge(closing::routes())
}

/// The rest of the citizen space (issue 9): each module's `routes()`.
pub fn space_routes() -> Router<AppState> {
    Router::new()
        .merge(profile::routes())
        .merge(measures::routes())
        .merge(synthesis::routes())
        .merge(agenda::routes())
        .merge(catalogue::routes())
        .merge(app::routes())
}
