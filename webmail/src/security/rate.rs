//! Rate limits and temporary lockout (issue 6): after `max_failures` failures of one key inside
//! `rate_window_secs`, the key is locked for `lockout_secs`. Keys name what is attacked — an
//! identifier, an IP address, a NIR — so that guessing one account's password from many addresses
//! and many accounts' passwords from one address are both slowed. Kept in the database so every
//! node of a cluster counts the same failures. Unknown identifiers are counted like known ones:
//! the lockout itself tells nothing about whether an account exists.

use sqlx::Row;

use crate::error::WebError;
use crate::state::AppState;

/// Refuses with 429 while `key` is locked.
pub async fn check(state: &AppState, key: &str) -> Result<(), WebError> {
    let locked_until: Option<i64> =
        sqlx::query_scalar("SELECT locked_until FROM web_rate WHERE key = $1")
            .bind(key.to_string())
            .fetch_optional(state.db.pool())
            .await?;
    let now = state.now();
    match locked_until {
        Some(until) if until > now => Err(locked(until - now)),
        _ => Ok(()),
    }
}

/// Refuses with 429 while any of `keys` is locked.
pub async fn check_all(state: &AppState, keys: &[&str]) -> Result<(), WebError> {
    for key in keys {
        check(state, key).await?;
    }
    Ok(())
}

/// The French sentence of a lockout.
pub fn locked(remaining_secs: i64) -> WebError {
    let minutes = (remaining_secs + 59) / 60;
    WebError::too_many(format!(
        "Trop de tentatives. Par sécurité, réessayez dans {minutes} minute{}.",
        if minutes > 1 { "s" } else { "" }
    ))
}

/// Counts one failure of `key`; returns true if the key is now locked.
pub async fn fail(state: &AppState, key: &str) -> Result<bool, WebError> {
    let now = state.now();
    let s = &state.settings;
    let mut tx = state.db.pool().begin().await?;
    let row = sqlx::query("SELECT window_start, failures FROM web_rate WHERE key = $1")
        .bind(key.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let (mut window_start, mut failures) = match row {
        Some(r) => (r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?),
        None => (now, 0),
    };
    if now - window_start > s.rate_window_secs {
        window_start = now;
        failures = 0;
    }
    failures += 1;
    let mut locked_until = 0;
    let lock = failures >= i64::from(s.max_failures);
    if lock {
        locked_until = now + s.lockout_secs;
        failures = 0;
        window_start = now;
        tracing::warn!(
            kind = key.split(':').next().unwrap_or(""),
            "webmail lockout"
        );
    }
    sqlx::query(
        "INSERT INTO web_rate (key, window_start, failures, locked_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, \
         failures = excluded.failures, locked_until = excluded.locked_until",
    )
    .bind(key.to_string())
    .bind(window_start)
    .bind(failures)
    .bind(locked_until)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(lock)
}

/// Forgets the failures of `key` (after a success).
pub async fn clear(state: &AppState, key: &str) -> Result<(), WebError> {
    sqlx::query("DELETE FROM web_rate WHERE key = $1")
        .bind(key.to_string())
        .execute(state.db.pool())
        .await?;
    Ok(())
}
