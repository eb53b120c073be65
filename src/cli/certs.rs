//! `santemail certs …` (placeholder until its owner fills it in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum CertsCmd {
    /// Not implemented yet.
    Todo,
}

pub async fn run(cmd: CertsCmd, _config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        CertsCmd::Todo => anyhow::bail!("not implemented yet"),
    }
}
