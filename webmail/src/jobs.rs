//! Scheduled jobs of the citizen space: pending accounts open themselves after the opposition
//! period (DESIGN §8: 6 weeks), and archives of closed accounts are erased when their retention
//! period is over. The clock is the injectable one, so tests move time instead of waiting.

use std::time::Duration;

use sqlx::Row;

use crate::state::AppState;

/// One pass: opens expired pending accounts, erases expired archives. Returns (opened, erased).
pub async fn run_once(state: &AppState) -> Result<(u64, u64), crate::WebError> {
    let now = state.now();
    let opened =
        directory::accounts::open_expired(&state.db, now, state.settings.auto_open_period_secs)
            .await?;
    if opened > 0 {
        tracing::info!(
            opened,
            "pending citizen accounts opened after the opposition period"
        );
    }
    let due = sqlx::query(
        "SELECT address FROM web_archive WHERE erased_at IS NULL AND erase_after <= $1",
    )
    .bind(now)
    .fetch_all(state.db.pool())
    .await?;
    let mut erased = 0;
    for row in due {
        let address: String = row.try_get("address")?;
        crate::routes::closing::erase(state, &address).await?;
        erased += 1;
    }
    sweep(state, now).await?;
    // Appointment reminders of the health agenda (issue 9), on the same injectable clock.
    crate::notify::reminder::tick(state).await?;
    Ok((opened, erased))
}

/// Forgets what can no longer be used: idle or too old sessions, expired one-time codes, rate
/// counters whose window and lockout are over. (Sessions are also checked at each request; this
/// only keeps the tables small and the sessions list exact.)
async fn sweep(state: &AppState, now: i64) -> Result<(), crate::WebError> {
    let s = &state.settings;
    sqlx::query("DELETE FROM web_session WHERE last_seen < $1 OR created_at < $2")
        .bind(now - s.session_idle_secs)
        .bind(now - s.session_max_secs)
        .execute(state.db.pool())
        .await?;
    sqlx::query("DELETE FROM web_challenge WHERE expires_at < $1")
        .bind(now)
        .execute(state.db.pool())
        .await?;
    sqlx::query("DELETE FROM web_rate WHERE locked_until < $1 AND window_start < $2")
        .bind(now)
        .bind(now - s.rate_window_secs)
        .execute(state.db.pool())
        .await?;
    Ok(())
}

/// Runs [`run_once`] every `auto_open_interval_secs`, forever.
pub async fn run(state: AppState) {
    // At least every few minutes: the same loop sends the appointment reminders.
    let every = Duration::from_secs(
        state
            .settings
            .auto_open_interval_secs
            .clamp(1, crate::notify::reminder::MAX_TICK_SECS),
    );
    loop {
        if let Err(e) = run_once(&state).await {
            tracing::error!(error = %e, "webmail scheduled job failed");
        }
        tokio::time::sleep(every).await;
    }
}
