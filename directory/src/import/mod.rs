//! Imports of the national files. Each file is read as a stream (a parser thread over a
//! `BufReader`, batches over a bounded channel, so memory stays flat whatever the size) and
//! written with multi-row `INSERT … ON CONFLICT DO UPDATE` statements, many per transaction.
//!
//! Re-importing is idempotent: rows are upserted and stamped with the import's generation (the id
//! of its `dir_import` row); at the end, entries of the same kind that this full extract no longer
//! lists become `active = false` (never deleted: a mailbox may come back, and history refers to it).
//! Malformed rows are reported with their line number and reason while the rest imports; a file
//! that cannot be read or is of no known format is an error.

mod detect;
pub mod mssante;
pub(crate) mod pipeline;
pub mod rpps;
pub mod whitelist;

pub mod assures;

use std::path::Path;

use serde::Serialize;
use store::{Backend, Db};

pub use detect::{ImportKind, detect_head, detect_kind};
pub use pipeline::Progress;

use crate::DirectoryError;
use crate::accounts::CodesWriter;

/// A row that was not imported, with its line in the file (1 = header line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    pub line: u64,
    pub reason: String,
}

/// What one import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub kind: Option<ImportKind>,
    /// Data rows read (header excluded), rejected ones included.
    pub rows_read: u64,
    /// Entries created by this import.
    pub imported: u64,
    /// Entries that already existed and were refreshed.
    pub updated: u64,
    /// Entries of the same kind absent from this (full) extract, now inactive.
    pub deactivated: u64,
    pub rejected: Vec<Rejected>,
    /// Other facts worth telling the operator (structures and officines found, codes written…).
    pub notes: Vec<String>,
}

/// How to import.
pub struct ImportOptions<'a> {
    /// The citizens' domain (`[domains] citizen`): addresses are `<INS>@<citizen domain>`.
    pub citizen_domain: String,
    /// Where the provisional codes of new citizen accounts go. Required for the insured register:
    /// the codes are only stored hashed and can never be shown again.
    pub codes: Option<&'a mut CodesWriter>,
    /// Called with the number of bytes read so far.
    pub progress: Option<&'a Progress>,
    /// Rows per INSERT statement (the default suits both backends' parameter limits).
    pub batch_rows: usize,
}

impl<'a> ImportOptions<'a> {
    pub fn new(citizen_domain: impl Into<String>) -> ImportOptions<'a> {
        ImportOptions {
            citizen_domain: citizen_domain.into(),
            codes: None,
            progress: None,
            batch_rows: 400,
        }
    }
}

/// Imports one file, its kind detected from its first line or XML root element.
pub async fn import_file(
    db: &Db,
    path: &Path,
    opts: &mut ImportOptions<'_>,
) -> Result<ImportReport, DirectoryError> {
    let kind = detect_kind(path)?;
    import_as(db, path, kind, opts).await
}

/// Imports one file of a known kind.
pub async fn import_as(
    db: &Db,
    path: &Path,
    kind: ImportKind,
    opts: &mut ImportOptions<'_>,
) -> Result<ImportReport, DirectoryError> {
    let generation = begin(db, kind, path).await?;
    let mut report = match kind {
        ImportKind::Mailboxes => mssante::import(db, path, generation, opts).await?,
        ImportKind::Activities => rpps::import(db, path, generation, opts).await?,
        ImportKind::Whitelist => whitelist::import(db, path, generation, opts).await?,
        ImportKind::Insured => assures::import(db, path, generation, opts).await?,
    };
    report.kind = Some(kind);
    finish(db, generation, &report).await?;
    tracing::info!(
        kind = kind.as_str(),
        rows = report.rows_read,
        imported = report.imported,
        updated = report.updated,
        deactivated = report.deactivated,
        rejected = report.rejected.len(),
        "directory import done"
    );
    Ok(report)
}

/// Opens a `dir_import` row; its id is the generation stamped on every row of this import.
async fn begin(db: &Db, kind: ImportKind, path: &Path) -> Result<i64, DirectoryError> {
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let generation: i64 = sqlx::query_scalar(
        "INSERT INTO dir_import (kind, source, started_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(source)
    .bind(crate::now())
    .fetch_one(db.pool())
    .await?;
    Ok(generation)
}

async fn finish(db: &Db, generation: i64, r: &ImportReport) -> Result<(), DirectoryError> {
    sqlx::query(
        "UPDATE dir_import SET finished_at = $2, rows_read = $3, imported = $4, updated = $5, \
         deactivated = $6, rejected = $7 WHERE id = $1",
    )
    .bind(generation)
    .bind(crate::now())
    .bind(to_i64(r.rows_read))
    .bind(to_i64(r.imported))
    .bind(to_i64(r.updated))
    .bind(to_i64(r.deactivated))
    .bind(to_i64(r.rejected.len() as u64))
    .execute(db.pool())
    .await?;
    Ok(())
}

pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// After the last row: deactivates what this generation did not see, and counts what it created
/// and refreshed. `table` is one of ours (never user input).
pub(crate) async fn close_generation(
    db: &Db,
    table: &str,
    generation: i64,
) -> Result<(u64, u64, u64), DirectoryError> {
    let deactivated = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {table} SET active = FALSE, updated_at = $2 WHERE active AND import_gen < $1"
    )))
    .bind(generation)
    .bind(crate::now())
    .execute(db.pool())
    .await?
    .rows_affected();
    let imported: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {table} WHERE created_gen = $1"
    )))
    .bind(generation)
    .fetch_one(db.pool())
    .await?;
    let refreshed: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {table} WHERE import_gen = $1 AND created_gen < $1"
    )))
    .bind(generation)
    .fetch_one(db.pool())
    .await?;
    Ok((
        u64::try_from(imported).unwrap_or(0),
        u64::try_from(refreshed).unwrap_or(0),
        deactivated,
    ))
}

/// `INSERT INTO table (cols) VALUES (…),(…) ON CONFLICT (key) DO UPDATE SET …` for `rows` rows.
/// Columns in `keep` are written on insert only (so an upsert never resets them); `extra` values
/// are SQL literals appended to each row (our own integers, never input).
///
/// Placeholders are `$N` on PostgreSQL but anonymous `?` on SQLite, the one exception to the
/// `$N` rule of docs/decisions.md: sqlx binds a SQLite parameter by asking its name, and
/// `sqlite3_bind_parameter_name` walks the list of named parameters, so a statement with
/// thousands of `$N` costs O(n²) to bind (83 % of the import time of a national extract).
pub(crate) fn upsert_sql(
    backend: Backend,
    table: &str,
    cols: &[&str],
    extra: &[(&str, String)],
    key: &str,
    keep: &[&str],
    rows: usize,
) -> String {
    let mut sql = String::with_capacity(64 + rows * cols.len() * 6);
    sql.push_str("INSERT INTO ");
    sql.push_str(table);
    sql.push_str(" (");
    let all: Vec<&str> = cols
        .iter()
        .copied()
        .chain(extra.iter().map(|(c, _)| *c))
        .collect();
    sql.push_str(&all.join(", "));
    sql.push_str(") VALUES ");
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for i in 0..cols.len() {
            if i > 0 {
                sql.push(',');
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
            n += 1;
        }
        for (_, v) in extra {
            sql.push(',');
            sql.push_str(v);
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (");
    sql.push_str(key);
    sql.push_str(") DO UPDATE SET ");
    let key_cols: Vec<&str> = key.split(',').map(str::trim).collect();
    let updates: Vec<String> = all
        .iter()
        .filter(|c| !key_cols.contains(c) && !keep.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sql.push_str(&updates.join(", "));
    sql
}

/// An optional text field: empty (after trimming) is `None`.
pub(crate) fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsert_sql_shape() {
        let sql = upsert_sql(
            Backend::Postgres,
            "t",
            &["k", "a", "b"],
            &[("gen", "7".into()), ("created_gen", "7".into())],
            "k",
            &["created_gen"],
            2,
        );
        assert_eq!(
            sql,
            "INSERT INTO t (k, a, b, gen, created_gen) VALUES ($1,$2,$3,7,7),($4,$5,$6,7,7) \
             ON CONFLICT (k) DO UPDATE SET a = excluded.a, b = excluded.b, gen = excluded.gen"
        );
        let sql = upsert_sql(Backend::Sqlite, "t", &["k", "a"], &[], "k", &[], 2);
        assert_eq!(
            sql,
            "INSERT INTO t (k, a) VALUES (?,?),(?,?) ON CONFLICT (k) DO UPDATE SET a = excluded.a"
        );
    }

    #[test]
    fn opt_trims() {
        assert_eq!(opt("  "), None);
        assert_eq!(opt(" x "), Some("x".into()));
    }
}
