//! `santemail directory …` (placeholder until its owner fills it in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum DirectoryCmd {
    /// Not implemented yet.
    Todo,
}

pub async fn run(cmd: DirectoryCmd, _config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        DirectoryCmd::Todo => anyhow::bail!("not implemented yet"),
    }
}
