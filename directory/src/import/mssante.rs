//! `Extraction_Correspondance_MSSante_*.txt`: the national list of MSSanté mailboxes.
//! 31 columns separated by `|`, a header line; one mailbox per line (PER / ORG / APP).
//!
//! The same address twice is a known defect of the extract (sometimes with a different RPPS): the
//! first line wins and each later one is reported with the line of the first.

use std::collections::HashMap;
use std::path::Path;

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use store::Db;

use super::pipeline::{self, CsvSpec, Fields, Outcome, TxWriter};
use super::{ImportOptions, ImportReport, close_generation, opt, upsert_sql};
use crate::DirectoryError;
use crate::model::{MailboxKind, normalize_address};

/// Columns of the extract, in order (the header must match on the first two and the count).
pub const COLUMNS: usize = 31;

/// Database columns written from one line, in bind order.
const DB_COLS: [&str; 26] = [
    "address",
    "kind",
    "pp_id_type",
    "pp_id",
    "pp_national_id",
    "structure_id_type",
    "structure_id",
    "service",
    "civility",
    "last_name",
    "first_name",
    "profession_category",
    "profession_category_label",
    "profession_code",
    "profession_label",
    "skill_code",
    "skill_label",
    "dematerialisation",
    "structure_name",
    "structure_brand",
    "street",
    "address_extra",
    "city_line",
    "postal_code",
    "department",
    "country",
];

/// One valid line of the extract.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxRow {
    pub address: String,
    pub kind: MailboxKind,
    pub texts: [Option<String>; 15],
    pub dematerialisation: bool,
    pub place: [Option<String>; 8],
}

/// Parses one line (fields already split). Pure; the error is the reason shown to the operator.
pub(crate) fn parse_row(f: &Fields<'_>) -> Result<MailboxRow, String> {
    let kind_raw = f.get(0);
    let kind = MailboxKind::parse(kind_raw)
        .ok_or_else(|| format!("unknown mailbox type `{kind_raw}` (expected PER, ORG or APP)"))?;
    let raw_address = f.get(1);
    let address =
        normalize_address(raw_address).ok_or_else(|| format!("bad address `{raw_address}`"))?;
    let (pp_type, pp_id, pp_national) = (f.get(2), f.get(3), f.get(4));
    if kind == MailboxKind::Per && pp_id.is_empty() && pp_national.is_empty() {
        return Err("PER mailbox without a professional identifier (RPPS or ADELI)".into());
    }
    if !pp_id.is_empty() || !pp_national.is_empty() {
        check_pp(pp_type, pp_id, pp_national)?;
    }
    let (st_type, st_id) = (f.get(5), f.get(6));
    if kind != MailboxKind::Per && st_id.is_empty() {
        return Err(format!(
            "{} mailbox without a structure identifier",
            kind.as_str()
        ));
    }
    if !st_id.is_empty() {
        check_structure(st_type, st_id)?;
    }
    let demat = f.get(17);
    let dematerialisation = matches!(
        demat.to_ascii_lowercase().as_str(),
        "true" | "1" | "oui" | "vrai"
    );
    let street = join(&[f.get(22), f.get(23), f.get(24), f.get(25)], " ");
    let extra = join(&[f.get(20), f.get(21), f.get(26)], "\n");
    Ok(MailboxRow {
        address,
        kind,
        texts: [
            opt(pp_type),
            opt(pp_id),
            opt(pp_national),
            opt(st_type),
            opt(st_id),
            opt(f.get(7)),
            opt(f.get(8)),
            opt(f.get(9)),
            opt(f.get(10)),
            opt(f.get(11)),
            opt(f.get(12)),
            opt(f.get(13)),
            opt(f.get(14)),
            opt(f.get(15)),
            opt(f.get(16)),
        ],
        dematerialisation,
        place: [
            opt(f.get(18)),
            opt(f.get(19)),
            street,
            extra,
            opt(f.get(27)),
            opt(f.get(28)),
            opt(f.get(29)),
            opt(f.get(30)),
        ],
    })
}

fn join(parts: &[&str], sep: &str) -> Option<String> {
    let kept: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join(sep))
    }
}

/// RPPS: type 8, 11 digits, national id `8` + RPPS. ADELI: type 0, 9 characters, national id
/// `0` + ADELI (the department part may be 2A/2B).
pub(crate) fn check_pp(id_type: &str, id: &str, national: &str) -> Result<(), String> {
    let ok = match id_type {
        "8" => id.len() == 11 && id.bytes().all(|b| b.is_ascii_digit()),
        "0" => id.len() == 9 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
        _ => return Err(format!("unknown professional identifier type `{id_type}`")),
    };
    if !ok {
        return Err(format!("bad identifier `{id}` for type {id_type}"));
    }
    if !national.is_empty() && national != format!("{id_type}{id}") {
        return Err(format!(
            "national identifier `{national}` does not match {id_type} + `{id}`"
        ));
    }
    Ok(())
}

/// FINESS: 9 characters, department first (digits or 2A/2B). SIREN 9 digits, SIRET 14 digits.
pub(crate) fn check_structure(id_type: &str, id: &str) -> Result<(), String> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match id_type {
        "1" => is_finess(id),
        "2" => digits(id, 9),
        "3" => digits(id, 14),
        // 4 = RPPS rang (cabinet): opaque, but never blank or with spaces.
        "4" | "" => !id.contains(char::is_whitespace),
        _ => return Err(format!("unknown structure identifier type `{id_type}`")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "bad structure identifier `{id}` for type {id_type}"
        ))
    }
}

pub(crate) fn is_finess(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 9
        && (b[..2].iter().all(u8::is_ascii_digit) || &b[..2] == b"2A" || &b[..2] == b"2B")
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn bind_row(
    q: Query<'static, sqlx::Any, AnyArguments>,
    r: MailboxRow,
) -> Query<'static, sqlx::Any, AnyArguments> {
    let mut q = q.bind(r.address).bind(r.kind.as_str());
    for t in r.texts {
        q = q.bind(t);
    }
    q = q.bind(r.dematerialisation);
    for t in r.place {
        q = q.bind(t);
    }
    q
}

pub(crate) async fn import(
    db: &Db,
    path: &Path,
    generation: i64,
    opts: &mut ImportOptions<'_>,
) -> Result<ImportReport, DirectoryError> {
    let (reader, bytes) = pipeline::open(path)?;
    let spec = CsvSpec {
        path: path.to_path_buf(),
        delimiter: b'|',
    };
    let (mut rx, parser) = pipeline::spawn(opts.batch_rows, bytes, move |sink| {
        pipeline::read_csv(spec, sink, reader, |header| {
            if header.len() != COLUMNS || header[0] != "Type de BAL" || header[1] != "Adresse BAL" {
                return Err(format!(
                    "header has {} columns starting `{}`; an Extraction_Correspondance_MSSante \
                     extract has {COLUMNS} starting `Type de BAL|Adresse BAL`",
                    header.len(),
                    header.first().copied().unwrap_or("")
                ));
            }
            // First line of each address; later ones are duplicates.
            let mut seen: HashMap<Box<str>, u64> = HashMap::new();
            Ok(move |f: &Fields<'_>, line: u64| match parse_row(f) {
                Err(reason) => Outcome::Reject(reason),
                Ok(row) => match seen.get(row.address.as_str()) {
                    Some(first) => Outcome::Reject(format!(
                        "duplicate address {} (first at line {first}); this line is ignored",
                        row.address
                    )),
                    None => {
                        seen.insert(row.address.clone().into_boxed_str(), line);
                        Outcome::Row(row)
                    }
                },
            })
        })
    });
    let extra = [
        ("active", "TRUE".to_string()),
        ("import_gen", generation.to_string()),
        ("created_gen", generation.to_string()),
        ("updated_at", crate::now().to_string()),
    ];
    let full_sql: std::sync::Arc<str> = upsert_sql(
        db.backend(),
        "dir_mailbox",
        &DB_COLS,
        &extra,
        "address",
        &["created_gen"],
        opts.batch_rows,
    )
    .into();
    let mut report = ImportReport::default();
    let mut w = TxWriter::begin(db).await?;
    while let Some(batch) = rx.recv().await {
        report.rows_read = batch.rows_read;
        report.rejected.extend(batch.rejected);
        let n = batch.rows.len();
        if n > 0 {
            let sql = if n == opts.batch_rows {
                full_sql.clone()
            } else {
                upsert_sql(
                    db.backend(),
                    "dir_mailbox",
                    &DB_COLS,
                    &extra,
                    "address",
                    &["created_gen"],
                    n,
                )
                .into()
            };
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in batch.rows {
                q = bind_row(q, row);
            }
            q.execute(w.conn().await?).await?;
            w.wrote(n).await?;
        }
        if let Some(p) = opts.progress {
            p(batch.bytes);
        }
    }
    w.finish().await?;
    pipeline::join(parser).await?;
    let (imported, updated, deactivated) = close_generation(db, "dir_mailbox", generation).await?;
    report.imported = imported;
    report.updated = updated;
    report.deactivated = deactivated;
    Ok(report)
}
