//! `santemail catalogue …`: the operator's catalogue of referenced health services
//! (health::catalogue). `import` checks the whole file first and replaces the catalogue in one
//! transaction; `list` shows what the citizens see.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum CatalogueCmd {
    /// Replace the catalogue with the services of FILE (.toml or .json).
    ///
    /// TOML: one `[[service]]` table per service; JSON: an array of objects, or
    /// `{"services": [...]}`. Keys: identifiant (optional, stable key; else the URL),
    /// nom, editeur, categorie, description, url (https://), tarif (gratuit | payant),
    /// public (tous | adultes | jeunes | parents | seniors | aidants | professionnels, or a
    /// list). Every error is listed with its line and nothing is imported; importing the
    /// same file again changes nothing. Example: docs/catalogue-exemple.toml.
    #[command(verbatim_doc_comment)]
    Import {
        /// The catalogue file.
        file: PathBuf,
        /// Only check the file; write nothing.
        #[arg(long)]
        check: bool,
    },
    /// The services of the catalogue, by category.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

async fn open(config: &Config) -> anyhow::Result<store::Db> {
    store::Db::connect(&config.database_url())
        .await
        .context("opening the database")
}

pub async fn run(cmd: CatalogueCmd, config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        CatalogueCmd::Import { file, check } => {
            // Checked before the database is even opened: a wrong file never touches it.
            let services = health::catalogue::load_file(&file)?;
            if check {
                println!(
                    "{} : {} service(s) valides, rien n’a été écrit",
                    file.display(),
                    services.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let db = open(config).await?;
            let summary = health::catalogue::replace(&db, &services).await?;
            db.close().await;
            println!("{} : {summary}", file.display());
        }
        CatalogueCmd::List { json } => {
            let db = open(config).await?;
            let services = health::catalogue::list(&db).await?;
            db.close().await;
            if json {
                println!("{}", serde_json::to_string_pretty(&services)?);
            } else {
                for s in &services {
                    println!(
                        "{:<28}  {:<7}  {:<40}  {}",
                        s.category.label(),
                        s.pricing_label(),
                        s.name,
                        s.url
                    );
                }
                println!("{} service(s)", services.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
