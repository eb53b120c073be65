//! One-time codes and the flows that wait for them (login second factor, activation, change of
//! contact details). A flow is identified by a random cookie token; the database keeps its
//! SHA-256 and a SHA-256 of (flow, code), never the code. Codes are 6 digits, valid
//! `otp_validity_secs`, and burnt after `otp_max_attempts` wrong tries (issue 6).

use rand::RngExt;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{random_token, same, token_hash};
use crate::error::WebError;
use crate::state::AppState;

/// A flow in progress.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub purpose: String,
    /// Who the flow is about: a citizen address (or a NIR during activation).
    pub subject: String,
    /// `email`, `sms` or `email+sms`: where the codes went.
    pub channel: String,
    /// The masked destination, shown back ("c…@courriel.example").
    pub target: String,
    /// Flow state (JSON), e.g. the new e-mail address waiting for confirmation.
    pub payload: String,
    pub attempts: i64,
    pub expires_at: i64,
}

/// The result of typing a code.
#[derive(Debug)]
pub enum Verified {
    Ok(Challenge),
    /// Wrong code; `left` tries remain (0: the code is burnt, start again).
    Wrong {
        left: u32,
    },
    /// No such flow, or it expired.
    Expired,
}

/// A random 6-digit code.
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

fn code_hash(flow_hash: &str, codes: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(flow_hash.as_bytes());
    for c in codes {
        h.update(b":");
        h.update(c.trim().as_bytes());
    }
    hex::encode(h.finalize())
}

/// Starts a flow with `n_codes` codes (one per channel, in order) and returns its token and the
/// codes to send. `n_codes` may be 0 for a step that waits for no code yet.
pub async fn start(
    state: &AppState,
    purpose: &str,
    subject: &str,
    channel: &str,
    target: &str,
    payload: &str,
    n_codes: usize,
) -> Result<(String, Vec<String>), WebError> {
    let token = random_token();
    let id_hash = token_hash(&token);
    let codes: Vec<String> = (0..n_codes).map(|_| new_code()).collect();
    let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    let now = state.now();
    // Old flows of the same purpose and subject die: one code valid at a time.
    sqlx::query(
        "DELETE FROM web_challenge WHERE (purpose = $1 AND subject = $2) OR expires_at < $3",
    )
    .bind(purpose.to_string())
    .bind(subject.to_string())
    .bind(now)
    .execute(state.db.pool())
    .await?;
    sqlx::query(
        "INSERT INTO web_challenge (id_hash, purpose, subject, channel, target, code_hash, \
         payload, attempts, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
    )
    .bind(id_hash.clone())
    .bind(purpose.to_string())
    .bind(subject.to_string())
    .bind(channel.to_string())
    .bind(target.to_string())
    .bind(code_hash(&id_hash, &refs))
    .bind(payload.to_string())
    .bind(now)
    .bind(now + state.settings.otp_validity_secs)
    .execute(state.db.pool())
    .await?;
    Ok((token, codes))
}

/// The live flow of `token` for `purpose`, without checking a code.
pub async fn peek(
    state: &AppState,
    token: &str,
    purpose: &str,
) -> Result<Option<Challenge>, WebError> {
    let row = sqlx::query(
        "SELECT purpose, subject, channel, target, payload, attempts, expires_at \
         FROM web_challenge WHERE id_hash = $1 AND purpose = $2 AND expires_at >= $3",
    )
    .bind(token_hash(token))
    .bind(purpose.to_string())
    .bind(state.now())
    .fetch_optional(state.db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Challenge {
        purpose: r.try_get("purpose")?,
        subject: r.try_get("subject")?,
        channel: r.try_get("channel")?,
        target: r.try_get("target")?,
        payload: r.try_get("payload")?,
        attempts: r.try_get("attempts")?,
        expires_at: r.try_get("expires_at")?,
    }))
}

/// Checks the typed codes (in the order they were sent). A success ends the flow.
pub async fn verify(
    state: &AppState,
    token: &str,
    purpose: &str,
    typed: &[&str],
) -> Result<Verified, WebError> {
    let Some(ch) = peek(state, token, purpose).await? else {
        return Ok(Verified::Expired);
    };
    let id_hash = token_hash(token);
    let stored: String =
        sqlx::query_scalar("SELECT code_hash FROM web_challenge WHERE id_hash = $1")
            .bind(id_hash.clone())
            .fetch_one(state.db.pool())
            .await?;
    if same(&stored, &code_hash(&id_hash, typed)) {
        end(state, token).await?;
        return Ok(Verified::Ok(ch));
    }
    let attempts = ch.attempts + 1;
    let max = i64::from(state.settings.otp_max_attempts);
    if attempts >= max {
        end(state, token).await?;
        return Ok(Verified::Wrong { left: 0 });
    }
    sqlx::query("UPDATE web_challenge SET attempts = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(attempts)
        .execute(state.db.pool())
        .await?;
    Ok(Verified::Wrong {
        left: u32::try_from(max - attempts).unwrap_or(0),
    })
}

/// Replaces the payload of a live flow (multi-step activation).
pub async fn set_payload(state: &AppState, token: &str, payload: &str) -> Result<(), WebError> {
    sqlx::query("UPDATE web_challenge SET payload = $2 WHERE id_hash = $1")
        .bind(token_hash(token))
        .bind(payload.to_string())
        .execute(state.db.pool())
        .await?;
    Ok(())
}

/// Ends a flow.
pub async fn end(state: &AppState, token: &str) -> Result<(), WebError> {
    sqlx::query("DELETE FROM web_challenge WHERE id_hash = $1")
        .bind(token_hash(token))
        .execute(state.db.pool())
        .await?;
    Ok(())
}

/// "c…n@courriel.example" / "•• •• •• •• 42": enough for the citizen to recognise, not enough
/// for someone looking over the shoulder.
pub fn mask(target: &str) -> String {
    if let Some((user, domain)) = target.split_once('@') {
        let first: String = user.chars().take(1).collect();
        format!("{first}…@{domain}")
    } else {
        let digits: Vec<char> = target.chars().filter(char::is_ascii_digit).collect();
        let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
        format!("•• •• •• •• {tail}")
    }
}
