//! Appointment reminders (issue 9): at each pass of the job loop ([`crate::jobs`]), the due
//! reminders of the health agenda go by e-mail to the citizen's personal address, or to a
//! child's guardians, through the notification relay.
//!
//! Once only: each reminder is claimed in the database (`reminder_sent_at`) before its e-mail
//! leaves, so a restart or a second node never sends it again; a relay failure gives the claim
//! back and the next pass retries until the appointment time.
//!
//! What the e-mail says: the day and time, and the professional's name when they were chosen
//! from the directory — nothing the citizen typed (object, free text, place, notes), which may be
//! health detail. The citizen asked for the reminder on this very appointment, so it does not
//! depend on the new-mail notification setting.

use directory::AccountState;
use health::agenda::{Appointment, paris, storage};

use crate::error::WebError;
use crate::state::AppState;

/// The job loop runs at least this often, so a "2 heures avant" reminder is not an hour late.
pub const MAX_TICK_SECS: u64 = 300;
/// Reminders handled per pass; the rest wait for the next one.
const BATCH: i64 = 200;

pub const SUBJECT: &str = "Rappel de rendez-vous";

/// What to do with a due, claimed reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Send,
    /// The appointment time has passed (the server was down, or the relay kept failing).
    TooLate,
    /// The appointment was written or changed after its reminder time: the citizen has just
    /// seen it, an e-mail now would only be noise.
    WrittenAfterReminderTime,
}

/// Pure: whether a due reminder is still worth an e-mail at `now`.
pub fn decide(a: &Appointment, now: i64) -> Decision {
    if a.draft.starts_at <= now {
        Decision::TooLate
    } else if a.remind_at.is_some_and(|r| a.updated_at >= r) {
        Decision::WrittenAfterReminderTime
    } else {
        Decision::Send
    }
}

/// The e-mail's text. `child`: the child's name when the agenda is a child's.
pub fn body(a: &Appointment, now: i64, child: Option<&str>, public_url: &str) -> String {
    let when = paris::relative_fr(a.draft.starts_at, now);
    let with = a
        .draft
        .professional
        .as_ref()
        .map(|p| format!(" avec {}", p.name))
        .unwrap_or_default();
    let who = match child {
        Some(name) => format!("{name} a"),
        None => "vous avez".to_string(),
    };
    format!(
        "Bonjour,\n\nRappel : {who} rendez-vous {when}{with}.\n\n\
         Le détail est dans l’agenda : {}/agenda\n\n\
         Vous recevez ce rappel parce qu’il a été demandé pour ce rendez-vous. Pour ne plus le \
         recevoir, modifiez le rendez-vous dans l’agenda.\n\nMa messagerie santé\n",
        public_url.trim_end_matches('/')
    )
}

/// The personal addresses to remind for `patient_ins`'s agenda, and the child's name if it is a
/// child's. Closed or opposed accounts get nothing.
async fn recipients(
    state: &AppState,
    patient_ins: &str,
) -> Result<(Vec<String>, Option<String>), WebError> {
    let Some(acc) = directory::accounts::account(&state.db, patient_ins).await? else {
        return Ok((Vec::new(), None));
    };
    let mut accounts = Vec::new();
    let mut child = None;
    if acc.is_minor {
        child = Some(crate::views::display_name(&acc));
        for g in directory::accounts::guardians_of(&state.db, &acc.nir).await? {
            if let Some(ga) = directory::accounts::account(&state.db, &g).await? {
                accounts.push(ga);
            }
        }
    } else {
        accounts.push(acc);
    }
    let mut out = Vec::new();
    for a in accounts {
        if a.state != AccountState::Active {
            continue;
        }
        if let Some(email) = directory::contacts::contact(&state.db, &a.address)
            .await?
            .email
        {
            out.push(email);
        }
    }
    Ok((out, child))
}

/// Sends one claimed reminder; the number of e-mails that left.
async fn send_one(state: &AppState, a: &Appointment, now: i64) -> Result<usize, WebError> {
    let (to, child) = recipients(state, &a.patient_ins).await?;
    let text = body(a, now, child.as_deref(), &state.settings.public_url);
    let mut sent = 0;
    let mut last_error = None;
    for email in &to {
        match state.notifier.email(email, SUBJECT, &text).await {
            Ok(()) => sent += 1,
            Err(e) => last_error = Some(e),
        }
    }
    match last_error {
        // Nobody got it: give the claim back so the next pass retries.
        Some(e) if sent == 0 => Err(WebError::internal(e)),
        Some(e) => {
            tracing::warn!(error = %e, "appointment reminder reached only some guardians");
            Ok(sent)
        }
        None => Ok(sent),
    }
}

/// One pass: sends the due reminders; returns how many e-mails left.
pub async fn tick(state: &AppState) -> Result<usize, WebError> {
    let now = state.now();
    let due = storage::due_reminders(&state.db, now, BATCH)
        .await
        .map_err(WebError::internal)?;
    let mut sent = 0;
    for a in due {
        let Some(remind_at) = a.remind_at else {
            continue;
        };
        let claimed = storage::claim_reminder(&state.db, a.id, remind_at, now)
            .await
            .map_err(WebError::internal)?;
        if !claimed {
            continue; // another node, or an edit in between
        }
        match decide(&a, now) {
            Decision::Send => {}
            other => {
                tracing::info!(appointment = a.id, decision = ?other, "reminder not sent");
                continue;
            }
        }
        match send_one(state, &a, now).await {
            Ok(n) => {
                tracing::info!(
                    appointment = a.id,
                    recipients = n,
                    "appointment reminder sent"
                );
                sent += n;
            }
            Err(e) => {
                tracing::warn!(appointment = a.id, error = %e, "appointment reminder failed");
                storage::release_reminder(&state.db, a.id, now)
                    .await
                    .map_err(WebError::internal)?;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use health::agenda::{Draft, ProRef, Reminder};
    use health::{Author, AuthorKind};

    use super::*;

    fn appointment(starts_at: i64, updated_at: i64, pro: bool) -> Appointment {
        let draft = Draft {
            starts_at,
            duration_min: None,
            title: Some("IRM cérébrale".into()),
            professional: pro.then(|| ProRef {
                rpps: "10693719556".into(),
                name: "Dr Léa ROUSSEAU".into(),
            }),
            with_text: None,
            place: Some("Centre d’imagerie".into()),
            notes: Some("à jeun".into()),
            reminder: Reminder::DayBefore,
            prevention_rule: None,
        };
        Appointment {
            id: 1,
            patient_ins: "240013700100130".into(),
            remind_at: draft.remind_at(),
            draft,
            reminder_sent_at: None,
            author: Author {
                kind: AuthorKind::Patient,
                id: "240013700100130".into(),
                name: String::new(),
            },
            created_at: updated_at,
            updated_at,
        }
    }

    // 15 December 2026, 14:30 in Paris.
    const T: i64 = 1_797_341_400;

    #[test]
    fn decisions() {
        let cases = [
            (
                appointment(T, T - 10 * 86_400, true),
                T - 86_400,
                Decision::Send,
            ),
            (
                appointment(T, T - 10 * 86_400, true),
                T - 60,
                Decision::Send,
            ),
            (appointment(T, T - 10 * 86_400, true), T, Decision::TooLate),
            (
                appointment(T, T - 3600, true),
                T - 3000,
                Decision::WrittenAfterReminderTime,
            ),
        ];
        for (a, now, want) in cases {
            assert_eq!(decide(&a, now), want, "now = {now}");
        }
    }

    #[test]
    fn wording_without_health_detail() {
        let a = appointment(T, 0, true);
        let text = body(&a, T - 86_400, None, "https://sante.example/");
        assert!(
            text.contains("Rappel : vous avez rendez-vous demain à 14 h 30 avec Dr Léa ROUSSEAU."),
            "{text}"
        );
        assert!(text.contains("https://sante.example/agenda"), "{text}");
        for secret in ["IRM", "imagerie", "jeun"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let child = body(
            &appointment(T, 0, false),
            T - 7200,
            Some("Lou MARTIN"),
            "https://x",
        );
        assert!(
            child.contains("Rappel : Lou MARTIN a rendez-vous aujourd’hui à 14 h 30.\n"),
            "{child}"
        );
    }
}
