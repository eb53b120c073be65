//! `santemail policy …`: ask the messaging policy (DESIGN §4) whether A may write to B, and manage
//! conversation permits by hand.

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use directory::policy::Decision;
use store::Db;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum PolicyCmd {
    /// May FROM write to TO? Prints `allow` or `deny: <reason>`; exit code 0 or 1.
    ///
    /// A refusal shows the SMTP reply (`550 5.7.1 …`) and the sentence a citizen would read.
    Check {
        /// Sender address.
        #[arg(long)]
        from: String,
        /// Recipient address.
        #[arg(long)]
        to: String,
        /// When FROM is a child's profile: the parent (legal guardian) acting for the child.
        #[arg(long)]
        guardian: Option<String>,
    },
    /// Open (or end) a conversation permit by hand: PRO wrote to CITIZEN.
    ///
    /// Delivery does this automatically; this is for operators and demos.
    Permit {
        /// The citizen's address.
        #[arg(long)]
        citizen: String,
        /// The professional address that wrote.
        #[arg(long)]
        pro: String,
        /// End the conversation instead (as `X-MSS-MES: FIN` does).
        #[arg(long)]
        end: bool,
    },
}

pub async fn run(cmd: PolicyCmd, config: &Config) -> anyhow::Result<ExitCode> {
    let db = Db::connect(&config.database_url())
        .await
        .context("cannot open the database")?;
    match cmd {
        PolicyCmd::Check { from, to, guardian } => {
            let decision = directory::check_as(
                &db,
                &from,
                &to,
                &config.local_domains(),
                guardian.as_deref(),
            )
            .await?;
            match decision {
                Decision::Allow(why) => {
                    println!("allow ({why:?})");
                    Ok(ExitCode::SUCCESS)
                }
                Decision::Deny(d) => {
                    println!("deny: {d}");
                    println!("  citizen: {}", d.citizen_text());
                    Ok(ExitCode::from(1))
                }
            }
        }
        PolicyCmd::Permit { citizen, pro, end } => {
            if end {
                directory::permits::end_permit(&db, &citizen, &pro).await?;
                println!("{citizen} may no longer answer {pro}");
            } else {
                directory::permits::record_permit(&db, &citizen, &pro, None).await?;
                println!("{citizen} may answer {pro}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
