//! Appointments and dismissed proposals on `store::Db` (SQLite or PostgreSQL, one set of `$N`
//! queries). Every read and write of an appointment names the patient: an id from another
//! person's agenda is simply "not found".
//!
//! Reminders: [`due_reminders`] lists what is due, [`claim_reminder`] marks one as sent *before*
//! the e-mail goes (a conditional update only one caller wins, so two nodes or a restart never
//! send it twice), and [`release_reminder`] gives it back when the relay refused it.

use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use time::Date;

use super::input::Draft;
use super::rules::Dismissal;
use super::{Appointment, ProRef, Reminder};
use crate::{Author, AuthorKind, HealthError, Result};

const COLUMNS: &str = "id, patient_ins, starts_at, duration_min, title, pro_rpps, pro_name, \
     with_text, place, notes, reminder, remind_at, reminder_sent_at, prevention_rule, \
     author_kind, author_id, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<Appointment> {
    let reminder: String = r.try_get("reminder")?;
    let author_kind: String = r.try_get("author_kind")?;
    let pro_rpps: Option<String> = r.try_get("pro_rpps")?;
    let pro_name: Option<String> = r.try_get("pro_name")?;
    Ok(Appointment {
        id: r.try_get("id")?,
        patient_ins: r.try_get("patient_ins")?,
        draft: Draft {
            starts_at: r.try_get("starts_at")?,
            duration_min: r.try_get("duration_min")?,
            title: r.try_get("title")?,
            professional: pro_rpps.map(|rpps| ProRef {
                rpps,
                name: pro_name.unwrap_or_default(),
            }),
            with_text: r.try_get("with_text")?,
            place: r.try_get("place")?,
            notes: r.try_get("notes")?,
            reminder: Reminder::from_slug(&reminder).unwrap_or_default(),
            prevention_rule: r.try_get("prevention_rule")?,
        },
        remind_at: r.try_get("remind_at")?,
        reminder_sent_at: r.try_get("reminder_sent_at")?,
        author: Author {
            kind: AuthorKind::parse(&author_kind).unwrap_or(AuthorKind::Patient),
            id: r.try_get("author_id")?,
            name: String::new(),
        },
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Adds an appointment to `patient_ins`'s agenda; returns its id.
pub async fn insert(
    db: &store::Db,
    patient_ins: &str,
    d: &Draft,
    author: &Author,
    now: i64,
) -> Result<i64> {
    let q = sqlx::query(
        "INSERT INTO agenda_appointment (patient_ins, starts_at, duration_min, title, pro_rpps, \
         pro_name, with_text, place, notes, reminder, remind_at, reminder_sent_at, \
         prevention_rule, author_kind, author_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13, $14, $15, $15) \
         RETURNING id",
    )
    .bind(patient_ins.to_string());
    let row = bind_draft(q, d, author, now).fetch_one(db.pool()).await?;
    Ok(row.try_get("id")?)
}

/// Binds a draft, its author and the time, in the order INSERT and UPDATE both list them after
/// their own leading parameters (`starts_at` … `updated_at`: 14 parameters).
fn bind_draft<'q>(
    q: Query<'q, sqlx::Any, AnyArguments>,
    d: &Draft,
    author: &Author,
    now: i64,
) -> Query<'q, sqlx::Any, AnyArguments> {
    q.bind(d.starts_at)
        .bind(d.duration_min)
        .bind(d.title.clone())
        .bind(d.professional.as_ref().map(|p| p.rpps.clone()))
        .bind(d.professional.as_ref().map(|p| p.name.clone()))
        .bind(d.with_text.clone())
        .bind(d.place.clone())
        .bind(d.notes.clone())
        .bind(d.reminder.slug())
        .bind(d.remind_at())
        .bind(d.prevention_rule.clone())
        .bind(author.kind.as_str())
        .bind(author.id.clone())
        .bind(now)
}

/// Replaces an appointment's content. A changed time or reminder is reminded again (the
/// "sent" mark is cleared); an unchanged one keeps it, so editing the notes after the reminder
/// went out does not send it twice.
pub async fn update(
    db: &store::Db,
    patient_ins: &str,
    id: i64,
    d: &Draft,
    author: &Author,
    now: i64,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE agenda_appointment SET starts_at = $3, duration_min = $4, title = $5, \
         pro_rpps = $6, pro_name = $7, with_text = $8, place = $9, notes = $10, reminder = $11, \
         reminder_sent_at = CASE WHEN remind_at = $12 THEN reminder_sent_at ELSE NULL END, \
         remind_at = $12, prevention_rule = $13, author_kind = $14, author_id = $15, \
         updated_at = $16 WHERE id = $1 AND patient_ins = $2",
    )
    .bind(id)
    .bind(patient_ins.to_string());
    let done = bind_draft(q, d, author, now).execute(db.pool()).await?;
    if done.rows_affected() == 0 {
        return Err(HealthError::NotFound);
    }
    Ok(())
}

pub async fn delete(db: &store::Db, patient_ins: &str, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM agenda_appointment WHERE id = $1 AND patient_ins = $2")
        .bind(id)
        .bind(patient_ins.to_string())
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(HealthError::NotFound);
    }
    Ok(())
}

pub async fn get(db: &store::Db, patient_ins: &str, id: i64) -> Result<Appointment> {
    let sql =
        format!("SELECT {COLUMNS} FROM agenda_appointment WHERE id = $1 AND patient_ins = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(patient_ins.to_string())
        .fetch_optional(db.pool())
        .await?
        .ok_or(HealthError::NotFound)?;
    from_row(&row)
}

/// The whole agenda of a patient, in time order.
pub async fn list(db: &store::Db, patient_ins: &str) -> Result<Vec<Appointment>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM agenda_appointment WHERE patient_ins = $1 ORDER BY starts_at, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(patient_ins.to_string())
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Remembers that the citizen ignores a proposal from `today` on (again: the date is renewed).
pub async fn dismiss(
    db: &store::Db,
    patient_ins: &str,
    rule: &str,
    today: Date,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO agenda_dismissed (patient_ins, rule, dismissed_on, dismissed_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (patient_ins, rule) DO UPDATE SET \
         dismissed_on = excluded.dismissed_on, dismissed_at = excluded.dismissed_at",
    )
    .bind(patient_ins.to_string())
    .bind(rule.to_string())
    .bind(iso_date(today))
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn dismissed(db: &store::Db, patient_ins: &str) -> Result<Vec<Dismissal>> {
    let rows =
        sqlx::query("SELECT rule, dismissed_on FROM agenda_dismissed WHERE patient_ins = $1")
            .bind(patient_ins.to_string())
            .fetch_all(db.pool())
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let on: String = r.try_get("dismissed_on")?;
        // A row we cannot read is skipped: at worst the proposal shows again.
        if let Some(on) = super::input::parse_date(&on) {
            out.push(Dismissal {
                rule: r.try_get("rule")?,
                on,
            });
        }
    }
    Ok(out)
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Appointments whose reminder is due at `now` and not sent yet, oldest first, at most `limit`.
pub async fn due_reminders(db: &store::Db, now: i64, limit: i64) -> Result<Vec<Appointment>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM agenda_appointment WHERE reminder_sent_at IS NULL \
         AND remind_at IS NOT NULL AND remind_at <= $1 ORDER BY remind_at, id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Marks the reminder of `id` as sent at `now` if nobody did yet; true if this caller won and
/// must send it. `remind_at` is part of the condition, so an appointment moved in between is not
/// claimed with its old time.
pub async fn claim_reminder(db: &store::Db, id: i64, remind_at: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE agenda_appointment SET reminder_sent_at = $3 \
         WHERE id = $1 AND remind_at = $2 AND reminder_sent_at IS NULL",
    )
    .bind(id)
    .bind(remind_at)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a claimed reminder back (the relay failed): the next tick tries again.
pub async fn release_reminder(db: &store::Db, id: i64, claimed_at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE agenda_appointment SET reminder_sent_at = NULL \
         WHERE id = $1 AND reminder_sent_at = $2",
    )
    .bind(id)
    .bind(claimed_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
