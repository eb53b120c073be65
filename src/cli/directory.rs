//! `santemail directory …`: import the national files, look an address up, mark a pharmacy.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use directory::accounts::CodesWriter;
use directory::import::{ImportKind, ImportOptions, ImportReport, detect_kind, import_as};
use directory::lookup::{self, Entry};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use store::Db;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum DirectoryCmd {
    /// Import national files (the kind of each is told from its first line).
    ///
    /// Extraction_Correspondance_MSSante_*.txt, PS_LibreAcces_Personne_activite_*.txt,
    /// listeblanchemssante.xml and assures.csv. Rejected lines are listed as `file:line: reason`;
    /// the exit code is non-zero only if a file could not be read or is of no known format.
    Import {
        /// The files to import, in any order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// For an insured register: where to write the new accounts' provisional codes
        /// (CSV nir;address;email;code, mode 0600, must not exist). Default:
        /// <data_dir>/provisional-codes-<unix time>.csv.
        #[arg(long)]
        codes_out: Option<PathBuf>,
    },
    /// Show what the directory knows about an address, as JSON.
    ///
    /// Fields: kind (PER/ORG/APP/citizen), pharmacy, active or state, names, identifiers,
    /// structure. Exit code 1 if the address is unknown.
    Lookup {
        /// An e-mail address (a Unicode or punycode domain).
        address: String,
    },
    /// Mark an ORG mailbox as a pharmacy (citizens may always write to it).
    ///
    /// The mark is the operator's and survives re-imports.
    MarkPharmacy {
        /// The ORG mailbox address.
        address: String,
        /// Remove the operator's mark instead.
        #[arg(long)]
        unmark: bool,
    },
}

pub async fn run(cmd: DirectoryCmd, config: &Config) -> anyhow::Result<ExitCode> {
    let db = Db::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    match cmd {
        DirectoryCmd::Import { files, codes_out } => import(&db, config, &files, codes_out).await,
        DirectoryCmd::Lookup { address } => {
            let Some(entry) = lookup::lookup(&db, &address).await? else {
                eprintln!("santemail: {address} is not in the directory");
                return Ok(ExitCode::from(1));
            };
            println!("{}", serde_json::to_string_pretty(&entry_json(entry)?)?);
            Ok(ExitCode::SUCCESS)
        }
        DirectoryCmd::MarkPharmacy { address, unmark } => {
            if unmark {
                let had = lookup::unmark_pharmacy(&db, &address).await?;
                println!(
                    "{address}: pharmacy mark {}",
                    if had { "removed" } else { "was not set" }
                );
            } else {
                let m = lookup::mark_pharmacy(&db, &address).await?;
                println!("{}: marked as a pharmacy", m.address);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The JSON of `directory lookup`: `kind` is PER, ORG, APP or citizen.
pub fn entry_json(entry: Entry) -> anyhow::Result<serde_json::Value> {
    Ok(match entry {
        Entry::Mailbox(m) => serde_json::to_value(m)?,
        Entry::Citizen {
            account,
            guardians,
            children,
        } => {
            let mut v = serde_json::to_value(account)?;
            v["kind"] = "citizen".into();
            v["pharmacy"] = false.into();
            v["guardians"] = guardians.into();
            v["children"] = children.into();
            v
        }
    })
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
pub fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// The default mailing file for provisional codes.
pub fn default_codes_path(config: &Config) -> anyhow::Result<PathBuf> {
    let dir = &config.server.data_dir;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(dir.join(format!("provisional-codes-{now}.csv")))
}

/// Imports each file; one that cannot be read or is of no known format is reported and makes
/// the exit code 1, the others still import.
pub async fn import(
    db: &Db,
    config: &Config,
    files: &[PathBuf],
    codes_out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut codes: Option<CodesWriter> = None;
    for path in files {
        match import_one(db, config, path, &codes_out, &mut codes).await {
            Ok(report) => print_report(path, &report),
            Err(e) => {
                failed = true;
                eprintln!("santemail: {}: {e:#}", path.display());
            }
        }
    }
    if let Some(c) = &codes {
        println!(
            "{} provisional codes written to {} (keep it safe: the codes cannot be shown again)",
            c.written(),
            c.path().display()
        );
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

async fn import_one(
    db: &Db,
    config: &Config,
    path: &Path,
    codes_out: &Option<PathBuf>,
    codes: &mut Option<CodesWriter>,
) -> anyhow::Result<ImportReport> {
    let kind = detect_kind(path)?;
    if kind == ImportKind::Insured && codes.is_none() {
        let out = match codes_out {
            Some(p) => p.clone(),
            None => default_codes_path(config)?,
        };
        *codes = Some(CodesWriter::create(&out)?);
    }
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = progress_bar(len, &path.file_name().unwrap_or_default().to_string_lossy());
    let tick = bar.clone();
    let progress = move |bytes: u64| tick.set_position(bytes);
    let mut opts = ImportOptions::new(config.domains.citizen.clone());
    opts.progress = Some(&progress);
    opts.codes = codes.as_mut();
    let report = import_as(db, path, kind, &mut opts).await;
    bar.finish_and_clear();
    Ok(report?)
}

fn print_report(path: &Path, r: &ImportReport) {
    let kind = r.kind.map(ImportKind::as_str).unwrap_or("?");
    println!(
        "{}: {kind}: {} rows read, {} new, {} updated, {} deactivated, {} rejected",
        path.display(),
        r.rows_read,
        r.imported,
        r.updated,
        r.deactivated,
        r.rejected.len()
    );
    for x in &r.rejected {
        println!("{}:{}: {}", path.display(), x.line, x.reason);
    }
    for n in &r.notes {
        println!("{}: {n}", path.display());
    }
}
