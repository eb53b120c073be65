//! `santemail bench …` (placeholder until its owner fills it in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum BenchCmd {
    /// Not implemented yet.
    Todo,
}

pub async fn run(cmd: BenchCmd, _config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCmd::Todo => anyhow::bail!("not implemented yet"),
    }
}
