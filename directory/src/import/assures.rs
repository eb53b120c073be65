//! `assures.csv`: the insurer's register (`;`, header line). One line per insured person; a child
//! names its legal guardian(s) in `responsable_legal_nir` (several separated by `,`).
//! Importing it creates the citizens' accounts ([`crate::accounts`]).

use std::collections::HashMap;
use std::path::Path;

use store::Db;

use super::pipeline::{self, CsvSpec, Fields, Outcome, TxWriter};
use super::{ImportOptions, ImportReport, close_generation, opt};
use crate::DirectoryError;
use crate::accounts;
use crate::model::normalize_address;
use crate::nir::Nir;

/// One valid line of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenRow {
    pub line: u64,
    pub nir: Nir,
    pub birth_name: String,
    pub first_names: String,
    /// ISO `YYYY-MM-DD`.
    pub birth_date: String,
    pub sex: Option<String>,
    pub vitale_serial: Option<String>,
    pub email: Option<String>,
    pub mobile: Option<String>,
    /// NIRs of the legal guardians; empty for an adult.
    pub guardians: Vec<String>,
}

/// Column positions, found by name in the header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    nir: usize,
    birth_name: usize,
    first_names: usize,
    birth_date: usize,
    sex: Option<usize>,
    vitale: Option<usize>,
    email: Option<usize>,
    mobile: Option<usize>,
    guardian: Option<usize>,
}

impl Columns {
    pub(crate) fn from_header(header: &[&str]) -> Result<Columns, String> {
        let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let need =
            |name: &str| find(name).ok_or_else(|| format!("the header has no `{name}` column"));
        Ok(Columns {
            nir: need("nir")?,
            birth_name: need("nom_naissance")?,
            first_names: need("prenoms")?,
            birth_date: need("date_naissance")?,
            sex: find("sexe"),
            vitale: find("numero_serie_vitale"),
            email: find("email"),
            mobile: find("mobile"),
            guardian: find("responsable_legal_nir"),
        })
    }
}

/// Parses one line. Pure.
pub(crate) fn parse_row(c: &Columns, f: &Fields<'_>, line: u64) -> Result<CitizenRow, String> {
    let get = |i: Option<usize>| i.map(|i| f.get(i)).unwrap_or("");
    let raw_nir = f.get(c.nir);
    let nir = Nir::parse(raw_nir).map_err(|e| format!("bad NIR `{raw_nir}`: {e}"))?;
    let birth_name = f.get(c.birth_name);
    let first_names = f.get(c.first_names);
    if birth_name.is_empty() || first_names.is_empty() {
        return Err("birth name and first names are required".into());
    }
    let birth_date = f.get(c.birth_date);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(birth_date, &format)
        .map_err(|_| format!("bad birth date `{birth_date}` (expected YYYY-MM-DD)"))?;
    let sex = get(c.sex);
    if !matches!(sex, "" | "M" | "F") {
        return Err(format!("bad sex `{sex}` (M, F or empty)"));
    }
    let email = get(c.email);
    if !email.is_empty() && normalize_address(email).is_none() {
        return Err(format!("bad e-mail address `{email}`"));
    }
    let mut guardians = Vec::new();
    for g in get(c.guardian)
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        let g = Nir::parse(g).map_err(|e| format!("bad legal guardian NIR `{g}`: {e}"))?;
        if g == nir {
            return Err("a person cannot be their own legal guardian".into());
        }
        if !guardians.contains(&g.to_string()) {
            guardians.push(g.to_string());
        }
    }
    Ok(CitizenRow {
        line,
        nir,
        birth_name: birth_name.to_string(),
        first_names: first_names.to_string(),
        birth_date: birth_date.to_string(),
        sex: opt(sex),
        vitale_serial: opt(get(c.vitale)),
        email: opt(email).map(|e| e.to_lowercase()),
        mobile: opt(get(c.mobile)),
        guardians,
    })
}

pub(crate) async fn import(
    db: &Db,
    path: &Path,
    generation: i64,
    opts: &mut ImportOptions<'_>,
) -> Result<ImportReport, DirectoryError> {
    let codes = opts
        .codes
        .as_deref_mut()
        .ok_or_else(|| DirectoryError::CodesOutputRequired {
            path: path.display().to_string(),
        })?;
    let (reader, bytes) = pipeline::open(path)?;
    let spec = CsvSpec {
        path: path.to_path_buf(),
        delimiter: b';',
    };
    // Codes cost an Argon2 hash each: smaller batches keep progress smooth.
    let batch_rows = opts.batch_rows.min(200);
    let (mut rx, parser) = pipeline::spawn(batch_rows, bytes, move |sink| {
        pipeline::read_csv(spec, sink, reader, |header| {
            let cols = Columns::from_header(header)?;
            let mut seen: HashMap<Nir, u64> = HashMap::new();
            Ok(
                move |f: &Fields<'_>, line: u64| match parse_row(&cols, f, line) {
                    Err(reason) => Outcome::Reject(reason),
                    Ok(row) => match seen.get(&row.nir) {
                        Some(first) => Outcome::Reject(format!(
                            "duplicate NIR {} (first at line {first}); this line is ignored",
                            row.nir
                        )),
                        None => {
                            seen.insert(row.nir.clone(), line);
                            Outcome::Row(row)
                        }
                    },
                },
            )
        })
    });
    let mut report = ImportReport::default();
    // Children's lines, to tell which guardian links point at nobody.
    let mut child_lines: HashMap<String, u64> = HashMap::new();
    let mut w = TxWriter::begin(db).await?;
    while let Some(batch) = rx.recv().await {
        report.rows_read = batch.rows_read;
        report.rejected.extend(batch.rejected);
        for r in batch.rows.iter().filter(|r| !r.guardians.is_empty()) {
            child_lines.insert(r.nir.to_string(), r.line);
        }
        accounts::write_batch(&mut w, batch.rows, generation, &opts.citizen_domain, codes).await?;
        if let Some(p) = opts.progress {
            p(batch.bytes);
        }
    }
    w.finish().await?;
    pipeline::join(parser).await?;
    let (imported, updated, deactivated) = close_generation(db, "dir_citizen", generation).await?;
    // The register is authoritative for guardianship: links it no longer states are removed.
    sqlx::query("DELETE FROM dir_guardian WHERE import_gen < $1")
        .bind(generation)
        .execute(db.pool())
        .await?;
    let dangling: Vec<(String, String)> = sqlx::query_as(
        "SELECT l.child_nir, l.guardian_nir FROM dir_guardian l \
         LEFT JOIN dir_citizen g ON g.nir = l.guardian_nir \
         WHERE l.import_gen = $1 AND g.nir IS NULL ORDER BY l.child_nir",
    )
    .bind(generation)
    .fetch_all(db.pool())
    .await?;
    for (child, guardian) in dangling {
        let line = child_lines.get(&child).copied().unwrap_or(0);
        report.notes.push(format!(
            "line {line}: legal guardian {guardian} of {child} is not in the register yet \
             (link kept; import the guardian's register to complete it)"
        ));
    }
    report.imported = imported;
    report.updated = updated;
    report.deactivated = deactivated;
    report.notes.push(format!(
        "{} provisional codes written to {}",
        codes.written(),
        codes.path().display()
    ));
    Ok(report)
}
