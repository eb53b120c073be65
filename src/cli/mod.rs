//! One file per subcommand. Each exposes a clap `…Cmd` enum and
//! `pub async fn run(cmd, &Config) -> anyhow::Result<ExitCode>`.

pub mod account;
pub mod bench;
pub mod bench_dmp;
pub mod bench_smtp;
pub mod bench_webmail;
pub mod catalogue;
pub mod certs;
pub mod config;
pub mod demo;
pub mod directory;
pub mod dmp;
pub mod mailbox;
pub mod policy;
pub mod serve;
