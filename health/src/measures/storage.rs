//! The `health_measure` table (migration 0009), same queries on SQLite and PostgreSQL.

use sqlx::Row;
use sqlx::any::AnyRow;
use store::Db;
use time::Date;

use super::validate::{NewMeasure, ValidMeasure, latest_today, validate};
use super::{Kind, Measure};
use crate::{Author, AuthorKind, HealthError, Result};

const COLUMNS: &str = "id, kind, value_centi, value2_centi, measured_on, measured_time, note, \
                       author_kind, author_id, author_name, created_at";

/// Validates and stores a measure on the profile `ins`; returns its id. A refused measure is
/// `HealthError::Invalid` with every French message joined (the webmail calls
/// [`validate`](super::validate) itself first to show each message beside its field).
pub async fn add(db: &Db, ins: &str, m: &NewMeasure, author: &Author) -> Result<i64> {
    let valid = validate(m, latest_today()).map_err(|errors| {
        HealthError::Invalid(
            errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join(" "),
        )
    })?;
    add_valid(db, ins, &valid, author).await
}

/// Stores an already validated measure.
pub async fn add_valid(db: &Db, ins: &str, v: &ValidMeasure, author: &Author) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO health_measure (patient_ins, kind, value_centi, value2_centi, measured_on, \
         measured_time, note, author_kind, author_id, author_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(ins.to_string())
    .bind(v.kind.slug())
    .bind(v.value_centi)
    .bind(v.value2_centi)
    .bind(super::date_iso(v.date))
    .bind(v.time.clone())
    .bind(v.note.clone())
    .bind(author.kind.as_str())
    .bind(author.id.clone())
    .bind(author.name.clone())
    .bind(store::db::now_unix())
    .fetch_one(db.pool())
    .await?;
    // No value, kind or note in the log: health data stays out of the operator's files.
    tracing::info!(measure = id, "measure added");
    Ok(id)
}

/// Deletes measure `id` of profile `ins`; `NotFound` when it does not exist or belongs to
/// another profile (the caller cannot tell the two apart).
pub async fn delete(db: &Db, ins: &str, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM health_measure WHERE id = $1 AND patient_ins = $2")
        .bind(id)
        .bind(ins.to_string())
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(HealthError::NotFound);
    }
    tracing::info!(measure = id, "measure deleted");
    Ok(())
}

/// One measure of profile `ins` (`NotFound` for another profile's id).
pub async fn get(db: &Db, ins: &str, id: i64) -> Result<Measure> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM health_measure WHERE id = $1 AND patient_ins = $2"
    )))
    .bind(id)
    .bind(ins.to_string())
    .fetch_optional(db.pool())
    .await?
    .ok_or(HealthError::NotFound)?;
    from_row(&row)
}

/// The measures of one kind, oldest first (the chart's order; the history page reverses it).
/// A measure without a time counts as taken at noon, as on the chart: SQLite and PostgreSQL
/// would otherwise sort the missing times differently (NULLS FIRST against NULLS LAST).
pub async fn list(db: &Db, ins: &str, kind: Kind) -> Result<Vec<Measure>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM health_measure WHERE patient_ins = $1 AND kind = $2 \
         ORDER BY measured_on, COALESCE(measured_time, '12:00'), id"
    )))
    .bind(ins.to_string())
    .bind(kind.slug())
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The most recent measure of each kind that has one, in the table's order of kinds.
pub async fn latest_by_kind(db: &Db, ins: &str) -> Result<Vec<Measure>> {
    // One small query per kind (7) on an index rather than a window function: the same SQL on
    // both backends, and a profile never has many kinds.
    let mut latest = Vec::new();
    for kind in Kind::all() {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM health_measure WHERE patient_ins = $1 AND kind = $2 \
             ORDER BY measured_on DESC, COALESCE(measured_time, '12:00') DESC, id DESC LIMIT 1"
        )))
        .bind(ins.to_string())
        .bind(kind.slug())
        .fetch_optional(db.pool())
        .await?;
        if let Some(row) = row {
            latest.push(from_row(&row)?);
        }
    }
    Ok(latest)
}

fn from_row(row: &AnyRow) -> Result<Measure> {
    let corrupt = |what: &str| HealthError::Internal(format!("health_measure: bad {what}"));
    let kind: String = row.try_get("kind")?;
    let kind = Kind::parse(&kind).ok_or_else(|| corrupt("kind"))?;
    let date: String = row.try_get("measured_on")?;
    let date = parse_iso_date(&date).ok_or_else(|| corrupt("date"))?;
    let author_kind: String = row.try_get("author_kind")?;
    let value_centi: i64 = row.try_get("value_centi")?;
    let value2_centi: Option<i64> = row.try_get("value2_centi")?;
    Ok(Measure {
        id: row.try_get("id")?,
        kind,
        value: super::number::centi_to_f64(value_centi),
        value2: value2_centi.map(super::number::centi_to_f64),
        unit: kind.unit(),
        value_centi,
        value2_centi,
        date,
        time: row.try_get("measured_time")?,
        note: row.try_get("note")?,
        author: Author {
            kind: AuthorKind::parse(&author_kind).ok_or_else(|| corrupt("author"))?,
            id: row.try_get("author_id")?,
            name: row.try_get("author_name")?,
        },
        created_at: row.try_get("created_at")?,
    })
}

fn parse_iso_date(s: &str) -> Option<Date> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
