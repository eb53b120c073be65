//! `santemail account …`: citizens' accounts (import of the insured register, lifecycle) and
//! passwords of any mailbox.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use directory::accounts::{self, Action};
use store::Db;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum AccountCmd {
    /// Import the insured register (assures.csv): one pending account per insured person.
    ///
    /// Each new adult gets a provisional code (written once to --codes-out); children are linked
    /// to their legal guardians. Re-importing never resets an account's state or code.
    Import {
        /// The register (`;`-separated, header nir;nom_naissance;prenoms;date_naissance;…).
        file: PathBuf,
        /// Where to write the provisional codes (CSV nir;address;email;code, mode 0600, must not
        /// exist). Default: <data_dir>/provisional-codes-<unix time>.csv.
        #[arg(long)]
        codes_out: Option<PathBuf>,
    },
    /// Show an account as JSON.
    Show {
        /// NIR (15 characters) or citizen address.
        who: String,
    },
    /// Activate (or reactivate) an account; a guardian's pending children are activated too.
    Activate {
        /// NIR or citizen address.
        who: String,
    },
    /// Record the citizen's opposition (only during the opposition period).
    Oppose {
        /// NIR or citizen address.
        who: String,
    },
    /// Close an active account.
    Close {
        /// NIR or citizen address.
        who: String,
    },
    /// Open the pending accounts whose 6-week opposition period is over.
    OpenExpired,
    /// Issue a new provisional code (lost letter); it is printed once.
    ResetCode {
        /// NIR or citizen address.
        who: String,
    },
    /// Set the password of any mailbox address, read from standard input.
    ///
    /// The first line of standard input is the password (never the command line, where other
    /// users could see it).
    SetPassword {
        /// The mailbox address.
        address: String,
    },
}

async fn nir_of(db: &Db, who: &str) -> anyhow::Result<String> {
    Ok(accounts::account(db, who)
        .await?
        .with_context(|| format!("no citizen account for {who}"))?
        .nir)
}

pub async fn run(cmd: AccountCmd, config: &Config) -> anyhow::Result<ExitCode> {
    let db = Db::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    match cmd {
        AccountCmd::Import { file, codes_out } => {
            super::directory::import(&db, config, &[file], codes_out).await
        }
        AccountCmd::Show { who } => {
            let Some(entry) =
                directory::lookup::lookup(&db, &address_or_nir(&db, &who).await?).await?
            else {
                eprintln!("santemail: no citizen account for {who}");
                return Ok(ExitCode::from(1));
            };
            let v = super::directory::entry_json(entry)?;
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(ExitCode::SUCCESS)
        }
        AccountCmd::Activate { who } => change(&db, &who, Action::Activate).await,
        AccountCmd::Oppose { who } => change(&db, &who, Action::Oppose).await,
        AccountCmd::Close { who } => change(&db, &who, Action::Close).await,
        AccountCmd::OpenExpired => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                .unwrap_or(0);
            let n = accounts::open_expired(&db, now, accounts::OPPOSITION_PERIOD_SECS).await?;
            println!("{n} accounts opened");
            Ok(ExitCode::SUCCESS)
        }
        AccountCmd::ResetCode { who } => {
            let nir = nir_of(&db, &who).await?;
            let code = accounts::reset_code(&db, &nir).await?;
            println!("{nir};{code}");
            Ok(ExitCode::SUCCESS)
        }
        AccountCmd::SetPassword { address } => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            directory::credentials::set_password(&db, &address, password).await?;
            println!("{address}: password set");
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn change(db: &Db, who: &str, action: Action) -> anyhow::Result<ExitCode> {
    let nir = nir_of(db, who).await?;
    let state = accounts::apply(db, &nir, action).await?;
    println!("{nir}: {}", state.as_str());
    Ok(ExitCode::SUCCESS)
}

/// A citizen address for `who` (a NIR or an address).
async fn address_or_nir(db: &Db, who: &str) -> anyhow::Result<String> {
    Ok(match accounts::account(db, who).await? {
        Some(acc) => acc.address,
        None => who.to_string(),
    })
}
