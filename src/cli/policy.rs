//! `santemail policy …` (placeholder until its owner fills it in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum PolicyCmd {
    /// Not implemented yet.
    Todo,
}

pub async fn run(cmd: PolicyCmd, _config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        PolicyCmd::Todo => anyhow::bail!("not implemented yet"),
    }
}
