//! Writing the insured register's rows: accounts created once, identity refreshed on re-import.

use std::collections::HashSet;

use super::{CodesWriter, generate_code, hash_code};
use crate::DirectoryError;
use crate::import::assures::CitizenRow;
use crate::import::pipeline::TxWriter;
use crate::import::upsert_sql;
use crate::model::AccountState;

const CITIZEN_COLS: [&str; 14] = [
    "nir",
    "address",
    "birth_name",
    "first_names",
    "birth_date",
    "sex",
    "vitale_serial",
    "email",
    "mobile",
    "is_minor",
    "state",
    "code_hash",
    "created_at",
    "state_changed_at",
];

/// Written on creation only: a re-import never resets them.
const KEEP: [&str; 6] = [
    "address",
    "state",
    "code_hash",
    "created_at",
    "state_changed_at",
    "created_gen",
];

/// Upserts one batch of register rows: new adults get a provisional code (hashed here, written
/// in plain to `codes` and fsynced before the commit), children their guardian links.
pub(crate) async fn write_batch(
    w: &mut TxWriter,
    rows: Vec<CitizenRow>,
    generation: i64,
    citizen_domain: &str,
    codes: &mut CodesWriter,
) -> Result<(), DirectoryError> {
    if rows.is_empty() {
        return Ok(());
    }
    let now = crate::now();
    let placeholders: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
    let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(format!(
        "SELECT nir FROM dir_citizen WHERE nir IN ({})",
        placeholders.join(",")
    )));
    for r in &rows {
        q = q.bind(r.nir.as_str().to_string());
    }
    let existing: HashSet<String> = q.fetch_all(w.conn().await?).await?.into_iter().collect();
    // New adults get a code; hashing is CPU-bound, so off the async threads.
    let new_adults: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].guardians.is_empty() && !existing.contains(rows[i].nir.as_str()))
        .collect();
    let plain: Vec<String> = new_adults.iter().map(|_| generate_code()).collect();
    let to_hash = plain.clone();
    let hashes = tokio::task::spawn_blocking(move || {
        to_hash
            .iter()
            .map(|c| hash_code(c))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| DirectoryError::Task(e.to_string()))??;
    let mut code_hash: Vec<Option<String>> = vec![None; rows.len()];
    for (k, &i) in new_adults.iter().enumerate() {
        code_hash[i] = hashes.get(k).cloned();
    }
    let extra = [
        ("active", "TRUE".to_string()),
        ("import_gen", generation.to_string()),
        ("created_gen", generation.to_string()),
        ("updated_at", now.to_string()),
    ];
    let sql = upsert_sql(
        w.backend,
        "dir_citizen",
        &CITIZEN_COLS,
        &extra,
        "nir",
        &KEEP,
        rows.len(),
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    let mut links: Vec<(String, String)> = Vec::new();
    for (r, hash) in rows.iter().zip(code_hash) {
        for g in &r.guardians {
            links.push((r.nir.as_str().to_string(), g.clone()));
        }
        q = q
            .bind(r.nir.as_str().to_string())
            .bind(r.nir.address(citizen_domain))
            .bind(r.birth_name.clone())
            .bind(r.first_names.clone())
            .bind(r.birth_date.clone())
            .bind(r.sex.clone())
            .bind(r.vitale_serial.clone())
            .bind(r.email.clone())
            .bind(r.mobile.clone())
            .bind(!r.guardians.is_empty())
            .bind(AccountState::Pending.as_str())
            .bind(hash)
            .bind(now)
            .bind(now);
    }
    q.execute(w.conn().await?).await?;
    if !links.is_empty() {
        let sql = upsert_sql(
            w.backend,
            "dir_guardian",
            &["child_nir", "guardian_nir"],
            &[("import_gen", generation.to_string())],
            "child_nir, guardian_nir",
            &[],
            links.len(),
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (child, guardian) in links {
            q = q.bind(child).bind(guardian);
        }
        q.execute(w.conn().await?).await?;
    }
    for (k, &i) in new_adults.iter().enumerate() {
        let r = &rows[i];
        codes.write(
            r.nir.as_str(),
            &r.nir.address(citizen_domain),
            r.email.as_deref(),
            &plain[k],
        )?;
    }
    codes.sync()?;
    w.commit().await
}
