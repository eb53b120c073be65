//! The entries in the database (`health_profile_entry`, migration 0008), keyed by the patient's
//! INS like the DMP. Every query names the patient, so an id from another patient's profile is
//! simply not found.

use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use store::Db;

use super::entry::Entry;
use super::section::{Choice, EntourageKind, Relation, Section, Severity, Status};
use super::validate::EntryData;
use crate::{Author, AuthorKind, HealthError, Result};

const COLUMNS: &str = "id, section, kind, title, start_date, end_date, status, dose, frequency, \
     reaction, severity, dose_number, lot, relation, place, phone, role, consent, notes, \
     author_kind, author_id, author_name, created_at, updated_at";

fn slug<C: Choice>(c: Option<C>) -> Option<String> {
    c.map(|c| c.slug().to_string())
}

/// Binds an entry's content and author, in the column order both INSERT and UPDATE list them
/// (`kind` … `author_name`: 20 parameters).
fn bind_content<'q>(
    q: Query<'q, sqlx::Any, AnyArguments>,
    data: &EntryData,
    author: &Author,
) -> Query<'q, sqlx::Any, AnyArguments> {
    q.bind(slug(data.kind))
        .bind(data.title.clone())
        .bind(data.start_date.clone())
        .bind(data.end_date.clone())
        .bind(slug(data.status))
        .bind(data.dose.clone())
        .bind(data.frequency.clone())
        .bind(data.reaction.clone())
        .bind(slug(data.severity))
        .bind(data.dose_number)
        .bind(data.lot.clone())
        .bind(slug(data.relation))
        .bind(data.place.clone())
        .bind(data.phone.clone())
        .bind(data.role.clone())
        .bind(data.consent.map(i64::from))
        .bind(data.notes.clone())
        .bind(author.kind.as_str())
        .bind(author.id.clone())
        .bind(author.name.clone())
}

/// The order of the profile: by section, the most recent first, undated last.
const ORDER: &str = "ORDER BY section, COALESCE(start_date, '') DESC, created_at DESC, id DESC";

/// Adds an entry; returns its id.
pub async fn add(
    db: &Db,
    ins: &str,
    section: Section,
    data: &EntryData,
    author: &Author,
) -> Result<i64> {
    let now = store::db::now_unix();
    let q = sqlx::query(
        "INSERT INTO health_profile_entry (patient_ins, section, kind, title, start_date, \
         end_date, status, dose, frequency, reaction, severity, dose_number, lot, relation, \
         place, phone, role, consent, notes, author_kind, author_id, author_name, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id",
    )
    .bind(ins.to_string())
    .bind(section.slug());
    let id: i64 = bind_content(q, data, author)
        .bind(now)
        .bind(now)
        .fetch_one(db.pool())
        .await?
        .try_get("id")?;
    tracing::info!(
        id,
        section = section.slug(),
        author = author.kind.as_str(),
        "profile entry added"
    );
    Ok(id)
}

/// Replaces the content of entry `id` of `section`; the author becomes whoever changed it.
pub async fn update(
    db: &Db,
    ins: &str,
    section: Section,
    id: i64,
    data: &EntryData,
    author: &Author,
) -> Result<()> {
    let q = sqlx::query(
        "UPDATE health_profile_entry SET kind = $1, title = $2, start_date = $3, end_date = $4, \
         status = $5, dose = $6, frequency = $7, reaction = $8, severity = $9, dose_number = $10, \
         lot = $11, relation = $12, place = $13, phone = $14, role = $15, consent = $16, \
         notes = $17, author_kind = $18, author_id = $19, author_name = $20, updated_at = $21 \
         WHERE id = $22 AND patient_ins = $23 AND section = $24",
    );
    let done = bind_content(q, data, author)
        .bind(store::db::now_unix())
        .bind(id)
        .bind(ins.to_string())
        .bind(section.slug())
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(HealthError::NotFound);
    }
    tracing::info!(
        id,
        section = section.slug(),
        author = author.kind.as_str(),
        "profile entry updated"
    );
    Ok(())
}

/// Deletes entry `id` of `section`.
pub async fn delete(db: &Db, ins: &str, section: Section, id: i64) -> Result<()> {
    let done = sqlx::query(
        "DELETE FROM health_profile_entry WHERE id = $1 AND patient_ins = $2 AND section = $3",
    )
    .bind(id)
    .bind(ins.to_string())
    .bind(section.slug())
    .execute(db.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(HealthError::NotFound);
    }
    tracing::info!(id, section = section.slug(), "profile entry deleted");
    Ok(())
}

/// One entry of `section`.
pub async fn get(db: &Db, ins: &str, section: Section, id: i64) -> Result<Entry> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM health_profile_entry WHERE id = $1 AND patient_ins = $2 \
         AND section = $3"
    )))
    .bind(id)
    .bind(ins.to_string())
    .bind(section.slug())
    .fetch_optional(db.pool())
    .await?
    .ok_or(HealthError::NotFound)?;
    read(&row)
}

/// The entries of one section, most recent first.
pub async fn list(db: &Db, ins: &str, section: Section) -> Result<Vec<Entry>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM health_profile_entry WHERE patient_ins = $1 AND section = $2 {ORDER}"
    )))
    .bind(ins.to_string())
    .bind(section.slug())
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(read).collect()
}

/// The whole profile: every section in [`Section::ALL`] order, each most recent first.
pub async fn entries(db: &Db, ins: &str) -> Result<Vec<Entry>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM health_profile_entry WHERE patient_ins = $1 {ORDER}"
    )))
    .bind(ins.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut all: Vec<Entry> = rows.iter().map(read).collect::<Result<_>>()?;
    // The SQL sorts by slug; the page order is the table's. A stable sort keeps the dates' order.
    all.sort_by_key(|e| e.section);
    Ok(all)
}

/// How many entries each section has, in [`Section::ALL`] order.
pub async fn counts(db: &Db, ins: &str) -> Result<Vec<(Section, i64)>> {
    let rows = sqlx::query(
        "SELECT section, COUNT(*) AS n FROM health_profile_entry WHERE patient_ins = $1 \
         GROUP BY section",
    )
    .bind(ins.to_string())
    .fetch_all(db.pool())
    .await?;
    let mut out: Vec<(Section, i64)> = Section::ALL.iter().map(|s| (*s, 0)).collect();
    for r in rows {
        let slug: String = r.try_get("section")?;
        let n: i64 = r.try_get("n")?;
        if let Some(slot) = out.iter_mut().find(|(s, _)| s.slug() == slug) {
            slot.1 = n;
        }
    }
    Ok(out)
}

fn parsed<C: Choice>(r: &AnyRow, col: &str) -> Result<Option<C>> {
    let v: Option<String> = r.try_get(col)?;
    Ok(v.as_deref().and_then(C::from_slug))
}

fn read(r: &AnyRow) -> Result<Entry> {
    let section: String = r.try_get("section")?;
    let section = Section::from_slug(&section)
        .ok_or_else(|| HealthError::Internal(format!("unknown profile section {section}")))?;
    let author_kind: String = r.try_get("author_kind")?;
    let consent: Option<i64> = r.try_get("consent")?;
    Ok(Entry {
        id: r.try_get("id")?,
        section,
        data: EntryData {
            kind: parsed::<EntourageKind>(r, "kind")?,
            title: r.try_get("title")?,
            start_date: r.try_get("start_date")?,
            end_date: r.try_get("end_date")?,
            status: parsed::<Status>(r, "status")?,
            dose: r.try_get("dose")?,
            frequency: r.try_get("frequency")?,
            reaction: r.try_get("reaction")?,
            severity: parsed::<Severity>(r, "severity")?,
            dose_number: r.try_get("dose_number")?,
            lot: r.try_get("lot")?,
            relation: parsed::<Relation>(r, "relation")?,
            place: r.try_get("place")?,
            phone: r.try_get("phone")?,
            role: r.try_get("role")?,
            consent: consent.map(|c| c != 0),
            notes: r.try_get("notes")?,
        },
        author: Author {
            kind: AuthorKind::parse(&author_kind).unwrap_or(AuthorKind::Patient),
            id: r.try_get("author_id")?,
            name: r.try_get("author_name")?,
        },
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
