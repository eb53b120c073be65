//! `PS_LibreAcces_Personne_activite_*.txt`: the professionals' activities (RPPS / ADELI), one line
//! per activity, 52 columns separated by `|` plus a trailing `|`. We keep the professionals and
//! the structures (sites) they work in; a structure whose activity sector is an officine makes the
//! ORG mailboxes of that structure pharmacies (DESIGN §4).
//!
//! A professional with several activities appears on several lines: that is normal, not a
//! duplicate; the first line gives the person's data.

use std::collections::HashSet;
use std::path::Path;

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use store::Db;

use super::mssante::{check_pp, is_finess};
use super::pipeline::{self, CsvSpec, Fields, Outcome, TxWriter};
use super::{ImportOptions, ImportReport, close_generation, opt, upsert_sql};
use crate::DirectoryError;

/// Columns of the extract (without the empty field after the trailing `|`).
pub const COLUMNS: usize = 52;

/// Activity sectors (nomenclature TRE_R02-SecteurActivite of the ANS) that are officines, i.e.
/// pharmacies open to the public where a citizen takes a prescription:
/// SA33 Pharmacie d'officine, SA38 Pharmacie minière, SA39 Pharmacie mutualiste,
/// SA65 Antenne de pharmacie. Not included: SA35 Para-pharmacie (no dispensing of prescriptions),
/// SA56 Propharmacie (a doctor's practice dispensing drugs), hospital pharmacies (PUI).
pub const OFFICINE_SECTORS: [&str; 4] = ["SA33", "SA38", "SA39", "SA65"];

const PRO_COLS: [&str; 11] = [
    "national_id",
    "id_type",
    "pp_id",
    "civility",
    "last_name",
    "first_name",
    "profession_code",
    "profession_label",
    "category_code",
    "skill_code",
    "skill_label",
];

const STRUCT_COLS: [&str; 14] = [
    "structure_key",
    "siret",
    "siren",
    "finess_site",
    "finess_legal",
    "tech_id",
    "name",
    "brand",
    "sector_code",
    "sector_label",
    "is_officine",
    "postal_code",
    "city",
    "department",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Professional {
    pub national_id: String,
    pub id_type: String,
    pub pp_id: String,
    pub texts: [Option<String>; 8],
}

#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    pub key: String,
    pub ids: [Option<String>; 5],
    pub texts: [Option<String>; 4],
    pub is_officine: bool,
    pub place: [Option<String>; 3],
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub professional: Professional,
    pub structure: Option<Structure>,
}

/// Parses one line. Pure.
pub(crate) fn parse_row(f: &Fields<'_>) -> Result<ActivityRow, String> {
    let (id_type, pp_id, national) = (f.get(0), f.get(1), f.get(2));
    check_pp(id_type, pp_id, national)?;
    let professional = Professional {
        national_id: format!("{id_type}{pp_id}"),
        id_type: id_type.to_string(),
        pp_id: pp_id.to_string(),
        texts: [
            opt(if f.get(4).is_empty() {
                f.get(6)
            } else {
                f.get(4)
            }),
            opt(f.get(7)),
            opt(f.get(8)),
            opt(f.get(9)),
            opt(f.get(10)),
            opt(f.get(11)),
            opt(f.get(15)),
            opt(f.get(16)),
        ],
    };
    let (siret, siren, finess, finess_ej, tech) =
        (f.get(19), f.get(20), f.get(21), f.get(22), f.get(23));
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !siret.is_empty() && !digits(siret, 14) {
        return Err(format!("bad SIRET `{siret}` (14 digits)"));
    }
    if !siren.is_empty() && !digits(siren, 9) {
        return Err(format!("bad SIREN `{siren}` (9 digits)"));
    }
    for (name, id) in [("FINESS site", finess), ("FINESS juridique", finess_ej)] {
        if !id.is_empty() && !is_finess(id) {
            return Err(format!("bad {name} `{id}` (9 characters, 2A/2B allowed)"));
        }
    }
    // The structure's key: its FINESS site if any, else its SIRET, else the technical id.
    let key = if !finess.is_empty() {
        Some(format!("finess:{finess}"))
    } else if !siret.is_empty() {
        Some(format!("siret:{siret}"))
    } else if !tech.is_empty() {
        Some(format!("tech:{tech}"))
    } else {
        None
    };
    let sector = f.get(48);
    let structure = key.map(|key| Structure {
        key,
        ids: [
            opt(siret),
            opt(siren),
            opt(finess),
            opt(finess_ej),
            opt(tech),
        ],
        texts: [opt(f.get(24)), opt(f.get(25)), opt(sector), opt(f.get(49))],
        is_officine: OFFICINE_SECTORS.contains(&sector),
        place: [opt(f.get(35)), opt(f.get(37)), opt(f.get(44))],
    });
    Ok(ActivityRow {
        professional,
        structure,
    })
}

fn bind_pro(
    q: Query<'static, sqlx::Any, AnyArguments>,
    p: Professional,
) -> Query<'static, sqlx::Any, AnyArguments> {
    let mut q = q.bind(p.national_id).bind(p.id_type).bind(p.pp_id);
    for t in p.texts {
        q = q.bind(t);
    }
    q
}

fn bind_structure(
    q: Query<'static, sqlx::Any, AnyArguments>,
    s: Structure,
) -> Query<'static, sqlx::Any, AnyArguments> {
    let mut q = q.bind(s.key);
    for t in s.ids.into_iter().chain(s.texts) {
        q = q.bind(t);
    }
    q = q.bind(s.is_officine);
    for t in s.place {
        q = q.bind(t);
    }
    q
}

/// What the parser hands the writer: new professionals and new structures of one batch
/// (each seen once per file, so one statement never touches a row twice — PostgreSQL forbids it).
pub(crate) struct Row {
    professional: Option<Professional>,
    structure: Option<Structure>,
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
            if header.len() != COLUMNS || header[0] != "Type d'identifiant PP" {
                return Err(format!(
                    "header has {} columns starting `{}`; a PS_LibreAcces_Personne_activite \
                     extract has {COLUMNS} starting `Type d'identifiant PP`",
                    header.len(),
                    header.first().copied().unwrap_or("")
                ));
            }
            let mut pros: HashSet<Box<str>> = HashSet::new();
            let mut structures: HashSet<Box<str>> = HashSet::new();
            Ok(move |f: &Fields<'_>, _line: u64| match parse_row(f) {
                Err(reason) => Outcome::Reject(reason),
                Ok(row) => {
                    let professional = if pros.contains(row.professional.national_id.as_str()) {
                        None
                    } else {
                        pros.insert(row.professional.national_id.clone().into_boxed_str());
                        Some(row.professional)
                    };
                    let structure = row.structure.filter(|s| {
                        !structures.contains(s.key.as_str())
                            && structures.insert(s.key.clone().into_boxed_str())
                    });
                    if professional.is_none() && structure.is_none() {
                        Outcome::Skip
                    } else {
                        Outcome::Row(Row {
                            professional,
                            structure,
                        })
                    }
                }
            })
        })
    });
    let now = crate::now();
    let extra = [
        ("active", "TRUE".to_string()),
        ("import_gen", generation.to_string()),
        ("created_gen", generation.to_string()),
        ("updated_at", now.to_string()),
    ];
    let keep = ["created_gen"];
    let mut report = ImportReport::default();
    let mut w = TxWriter::begin(db).await?;
    while let Some(batch) = rx.recv().await {
        report.rows_read = batch.rows_read;
        report.rejected.extend(batch.rejected);
        let mut pros = Vec::new();
        let mut structures = Vec::new();
        for row in batch.rows {
            pros.extend(row.professional);
            structures.extend(row.structure);
        }
        if !pros.is_empty() {
            let sql = upsert_sql(
                w.backend,
                "dir_professional",
                &PRO_COLS,
                &extra,
                "national_id",
                &keep,
                pros.len(),
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for p in pros.drain(..) {
                q = bind_pro(q, p);
            }
            q.execute(w.conn().await?).await?;
        }
        if !structures.is_empty() {
            let n = structures.len();
            let sql = upsert_sql(
                w.backend,
                "dir_structure",
                &STRUCT_COLS,
                &extra,
                "structure_key",
                &keep,
                n,
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for s in structures {
                q = bind_structure(q, s);
            }
            q.execute(w.conn().await?).await?;
        }
        w.wrote(opts.batch_rows).await?;
        if let Some(p) = opts.progress {
            p(batch.bytes);
        }
    }
    w.finish().await?;
    pipeline::join(parser).await?;
    let (imported, updated, deactivated) =
        close_generation(db, "dir_professional", generation).await?;
    let (s_new, s_seen, s_gone) = close_generation(db, "dir_structure", generation).await?;
    let officines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dir_structure WHERE import_gen = $1 AND is_officine",
    )
    .bind(generation)
    .fetch_one(db.pool())
    .await?;
    report.imported = imported;
    report.updated = updated;
    report.deactivated = deactivated;
    report.notes.push(format!(
        "structures: {} new, {} refreshed, {} deactivated; {} officines",
        s_new, s_seen, s_gone, officines
    ));
    Ok(report)
}
