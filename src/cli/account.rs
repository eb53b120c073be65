//! `santemail account …` (placeholder until its owner fills it in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum AccountCmd {
    /// Not implemented yet.
    Todo,
}

pub async fn run(cmd: AccountCmd, _config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        AccountCmd::Todo => anyhow::bail!("not implemented yet"),
    }
}
