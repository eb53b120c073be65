//! The pages, one file per group. Account pages (W1): home, activation, login, settings, profiles,
//! closing. Mail pages (W2): mail, compose.

pub mod activation;
pub mod activation_steps;
pub mod closing;
pub mod compose;
pub mod contact;
pub mod documents;
pub mod home;
pub mod login;
pub mod mail;
pub mod profiles;
pub mod settings;

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
