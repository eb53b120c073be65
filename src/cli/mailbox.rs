//! `santemail mailbox …`: what an operator needs to see of a mail account without a mail client.

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum MailboxCmd {
    /// Folders of an account with their message and unread counts.
    Stat {
        /// The account's address.
        address: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write every message of a folder to DIR as <uid>.eml (an export an operator can read).
    Dump {
        /// The account's address.
        address: String,
        /// Folder name.
        #[arg(long, default_value = "INBOX")]
        folder: String,
        /// Output folder (created if missing).
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

pub async fn run(cmd: MailboxCmd, config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        MailboxCmd::Stat { address, json } => stat(config, &address, json).await,
        MailboxCmd::Dump {
            address,
            folder,
            out,
        } => dump(config, &address, &folder, &out).await,
    }
}

async fn stat(config: &Config, address: &str, json: bool) -> anyhow::Result<ExitCode> {
    let db = store::Db::connect(&config.database_url())
        .await
        .context("opening the database")?;
    let account = store::mailbox::normalize_account(address);
    let boxes = db.list_mailboxes(&account).await?;
    let mut rows = Vec::with_capacity(boxes.len());
    for b in &boxes {
        let status = db.mailbox_status(b.id, &account).await?;
        rows.push(serde_json::json!({
            "name": b.name,
            "special_use": b.special_use.map(|s| s.as_str()),
            "messages": status.exists,
            "unseen": status.unseen,
            "uidvalidity": status.uidvalidity,
            "uidnext": status.uidnext,
            "highestmodseq": status.highestmodseq,
        }));
    }
    if json {
        println!("{}", serde_json::Value::Array(rows));
    } else if rows.is_empty() {
        println!("{account}: no mailbox yet (nothing was delivered)");
    } else {
        println!("{:<20} {:>9} {:>9}", "folder", "messages", "unread");
        for r in &rows {
            println!(
                "{:<20} {:>9} {:>9}",
                r["name"].as_str().unwrap_or_default(),
                r["messages"].as_u64().unwrap_or(0),
                r["unseen"].as_u64().unwrap_or(0)
            );
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn dump(
    config: &Config,
    address: &str,
    folder: &str,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let db = store::Db::connect(&config.database_url())
        .await
        .context("opening the database")?;
    let blobs = store::BlobStore::open(config.blobs_dir()).await?;
    let account = store::mailbox::normalize_account(address);
    let Some(mailbox) = db.find_mailbox(&account, folder).await? else {
        anyhow::bail!("{account} has no folder `{folder}`");
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let messages = db
        .fetch_messages(mailbox.id, &store::UidSet::all(), &account)
        .await?;
    for m in &messages {
        let bytes = blobs.get(&m.blob).await?;
        let path = out.join(format!("{}.eml", m.uid));
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    println!("{} messages written to {}", messages.len(), out.display());
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
