//! `santemail demo --dir DIR`: the whole space on one machine, for a newcomer.
//!
//! The first run builds DIR — a dev health PKI, a config on unprivileged ports (DESIGN §9), an SQLite
//! database filled with demo data compiled into the binary (directory extracts, whitelist, insured
//! register), passwords and `.p12` client certificates for the demo identities — then serves every
//! listener. Later runs reuse DIR. The identities and what to type in a mail client are printed as a
//! table and kept in `DIR/IDENTITES.txt`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::config::Config;

mod identities;
mod seed;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Folder of the demo space (created on first run, reused afterwards).
    #[arg(long, default_value = "./santemail-demo")]
    pub dir: PathBuf,
    /// Added to every demo port (2525, 2587, 2465, 2143, 2993, 8443), to run several demos or
    /// avoid a port already taken.
    #[arg(long, default_value_t = 0)]
    pub port_offset: u16,
    /// Build DIR and print the table, but do not serve.
    #[arg(long)]
    pub setup_only: bool,
}

/// The demo ports (DESIGN §9).
pub struct DemoPorts {
    pub mta: u16,
    pub submission: u16,
    pub submissions: u16,
    pub imap: u16,
    pub imaps: u16,
    pub https: u16,
}

impl DemoPorts {
    pub fn with_offset(offset: u16) -> anyhow::Result<DemoPorts> {
        let p = |base: u16| {
            base.checked_add(offset)
                .with_context(|| format!("--port-offset {offset} is too large"))
        };
        Ok(DemoPorts {
            mta: p(2525)?,
            submission: p(2587)?,
            submissions: p(2465)?,
            imap: p(2143)?,
            imaps: p(2993)?,
            https: p(8443)?,
        })
    }
}

pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let dir = absolute(&args.dir)?;
    let config_path = dir.join("santemail.toml");
    if !config_path.exists() {
        let ports = DemoPorts::with_offset(args.port_offset)?;
        eprintln!("santemail demo: building {} (first run)", dir.display());
        seed::build(&dir, &ports)
            .await
            .with_context(|| format!("building the demo space in {}", dir.display()))?;
    } else {
        eprintln!("santemail demo: reusing {}", dir.display());
    }
    let config = Config::load(&config_path, true)?;
    let table = identities::table(&dir, &config);
    println!("{table}");
    std::fs::write(dir.join("IDENTITES.txt"), &table)
        .with_context(|| format!("writing {}", dir.join("IDENTITES.txt").display()))?;
    if args.setup_only {
        return Ok(ExitCode::SUCCESS);
    }
    super::serve::run(super::serve::ServeArgs {}, &config).await
}

fn absolute(dir: &Path) -> anyhow::Result<PathBuf> {
    if dir.is_absolute() {
        return Ok(dir.to_path_buf());
    }
    Ok(std::env::current_dir()
        .context("reading the current folder")?
        .join(dir))
}
