//! Audit of logins and account events (issue 6). The citizen sees their own lines in the
//! settings; the log line carries no secret and no identifier typed by a stranger.

use sqlx::Row;

use crate::error::WebError;
use crate::state::AppState;

/// One audit line.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: i64,
    pub event: String,
    pub ip: String,
    pub user_agent: String,
}

/// Records `event` (e.g. `login`, `login_password_failed`, `login_code_failed`, `logout`,
/// `activation`, `password_changed`, `closed`) for `account`.
pub async fn record(
    state: &AppState,
    account: &str,
    event: &str,
    ip: &str,
    user_agent: &str,
) -> Result<(), WebError> {
    let ua: String = user_agent.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO web_audit (account, at, event, ip, user_agent) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account.to_string())
    .bind(state.now())
    .bind(event.to_string())
    .bind(ip.to_string())
    .bind(ua)
    .execute(state.db.pool())
    .await?;
    tracing::info!(event, "webmail audit");
    Ok(())
}

/// The last `limit` lines of `account`, newest first.
pub async fn recent(
    state: &AppState,
    account: &str,
    limit: i64,
) -> Result<Vec<AuditEntry>, WebError> {
    let rows = sqlx::query(
        "SELECT at, event, ip, user_agent FROM web_audit WHERE account = $1 \
         ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(account.to_string())
    .bind(limit)
    .fetch_all(state.db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.try_get("at")?,
                event: r.try_get("event")?,
                ip: r.try_get("ip")?,
                user_agent: r.try_get("user_agent")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(WebError::from)
}

/// The French words of an event, for the settings page.
pub fn describe(event: &str) -> &'static str {
    match event {
        "login" => "Connexion réussie",
        "login_password_failed" => "Mot de passe incorrect",
        "login_code_failed" => "Code de connexion incorrect",
        "logout" => "Déconnexion",
        "activation" => "Activation du compte",
        "password_changed" => "Mot de passe modifié",
        "contact_changed" => "Coordonnées modifiées",
        "session_ended" => "Session fermée à distance",
        "closed" => "Fermeture du compte",
        "erased" => "Effacement des données",
        _ => "Autre événement",
    }
}
