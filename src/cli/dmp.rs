//! `santemail dmp …`: the operator's view of a citizen's DMP documents (dmp-bridge): list,
//! history, export to an IHE XDM archive, file an XDM archive back (restore after a
//! reactivation), and the effective access matrix.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use dmp_bridge::{AccessMatrix, Category, Dmp, LogNotifier};

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum DmpCmd {
    /// The documents of a citizen (INS), newest first.
    List {
        ins: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The access history of a citizen's documents ("Historique des accès").
    History {
        ins: String,
        #[arg(long)]
        json: bool,
    },
    /// Export every document of a citizen as one IHE XDM zip.
    Export {
        ins: String,
        /// The zip to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// File an IHE XDM zip into a citizen's record (all documents or none), as the citizen.
    FileXdm {
        ins: String,
        /// The IHE_XDM.ZIP to file.
        file: PathBuf,
    },
    /// Print the effective access matrix (defaults + `[dmp.matrix]`).
    Matrix,
}

pub async fn open(config: &Config) -> anyhow::Result<Dmp> {
    let db = store::Db::connect(&config.database_url())
        .await
        .context("opening the database")?;
    let blobs = store::BlobStore::open(config.blobs_dir())
        .await
        .with_context(|| format!("opening the blob store {}", config.blobs_dir().display()))?;
    Ok(Dmp::new(db, blobs, &config.dmp, Arc::new(LogNotifier)))
}

fn check_ins(ins: &str) -> anyhow::Result<String> {
    let nir = directory::nir::Nir::parse(ins).map_err(|e| anyhow::anyhow!("INS {ins}: {e}"))?;
    Ok(nir.as_str().to_string())
}

fn date(unix: i64) -> String {
    dmp_bridge::document::format_dtm(unix)
}

pub async fn run(cmd: DmpCmd, config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        DmpCmd::List { ins, json } => {
            let dmp = open(config).await?;
            let docs = dmp_bridge::document::list(dmp.db(), &check_ins(&ins)?).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&docs)?);
            } else {
                for d in &docs {
                    println!(
                        "{:>6}  {}  {:<24}  {:<8}  {}",
                        d.id,
                        date(d.meta.created_at),
                        d.meta.category.label(),
                        d.meta.source.as_str(),
                        d.meta.title
                    );
                }
                println!("{} document(s)", docs.len());
            }
        }
        DmpCmd::History { ins, json } => {
            let dmp = open(config).await?;
            let h = dmp_bridge::audit::history(dmp.db(), &check_ins(&ins)?).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&h)?);
            } else {
                for e in &h {
                    println!(
                        "{}  {:<12} {:<14} {} {}",
                        date(e.at),
                        e.actor_kind,
                        e.actor_id.as_deref().unwrap_or("-"),
                        e.action_label,
                        e.reason
                            .as_deref()
                            .map(|r| format!("({r})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        DmpCmd::Export { ins, out } => {
            let dmp = open(config).await?;
            let ins = check_ins(&ins)?;
            let docs = dmp_bridge::document::list(dmp.db(), &ins).await?;
            let n = docs.len();
            let file = std::fs::File::create(&out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let file = dmp.write_xdm(&ins, docs, file).await?;
            file.sync_all()
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("{n} document(s) exported to {}", out.display());
        }
        DmpCmd::FileXdm { ins, file } => {
            let dmp = open(config).await?;
            let ins = check_ins(&ins)?;
            let f = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let filed = dmp
                .file_xdm(&ins, f, dmp_bridge::Source::Xdm)
                .await
                .map_err(|e| anyhow::anyhow!("{e} — {}", e.citizen_text()))?;
            dmp_bridge::audit::record(
                dmp.db(),
                &ins,
                &dmp_bridge::audit::Actor::Patient(ins.clone()),
                dmp_bridge::Action::FileXdm,
                None,
                &dmp_bridge::Mode::Normal,
                Some("classé par l'opérateur"),
            )
            .await?;
            println!(
                "{} document(s) filed, {} already present",
                filed.new, filed.already_present
            );
        }
        DmpCmd::Matrix => {
            let m = AccessMatrix::with_overrides(&config.dmp.matrix);
            for (profession, cats) in m.rows() {
                let cats: Vec<&str> = cats.iter().map(|c: &Category| c.slug()).collect();
                println!("{profession:>3}  {}", cats.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
