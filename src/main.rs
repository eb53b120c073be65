//! `santemail`: the operator's command line and the server.

mod cli;
mod config;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;

/// santemail — secure health-messaging server (MSSanté-style space of trust).
#[derive(Parser, Debug)]
#[command(name = "santemail", version, about, long_about = None)]
struct Cli {
    /// Configuration file (TOML). Missing file = built-in defaults (data under ./data, SQLite).
    #[arg(
        long,
        global = true,
        env = "SANTEMAIL_CONFIG",
        default_value = "santemail.toml"
    )]
    config: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the server: SMTP, IMAP and HTTPS (webmail, DMP API) listeners, and the queue worker.
    Serve(cli::serve::ServeArgs),
    /// The whole space on one machine: builds DIR on first run (PKI, config, demo data), prints
    /// the identities to use, and serves every listener on unprivileged ports.
    Demo(cli::demo::DemoArgs),
    /// Health PKI: create a dev PKI, issue, revoke, bundle certificates.
    #[command(subcommand)]
    Certs(cli::certs::CertsCmd),
    /// National directory: import extracts and the whitelist, look up an address.
    #[command(subcommand)]
    Directory(cli::directory::DirectoryCmd),
    /// Citizen accounts: import the insured register.
    #[command(subcommand)]
    Account(cli::account::AccountCmd),
    /// Mail accounts: folders and counts.
    #[command(subcommand)]
    Mailbox(cli::mailbox::MailboxCmd),
    /// DMP documents of a citizen: list, history, export, file an XDM package, access matrix.
    #[command(subcommand)]
    Dmp(cli::dmp::DmpCmd),
    /// Catalogue of referenced health services: import the operator's file, list it.
    #[command(subcommand)]
    Catalogue(cli::catalogue::CatalogueCmd),
    /// The messaging policy: may A write to B?
    #[command(subcommand)]
    Policy(cli::policy::PolicyCmd),
    /// Configuration file: validate it.
    #[command(subcommand)]
    Config(cli::config::ConfigCmd),
    /// Benchmarks that print their figures.
    #[command(subcommand)]
    Bench(cli::bench::BenchCmd),
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    init_logging();
    let explicit_config = std::env::args_os().any(|a| a == "--config")
        || std::env::var_os("SANTEMAIL_CONFIG").is_some();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("santemail: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async move {
        let command = match cli.command {
            Command::Config(cmd) => return cli::config::run(cmd, &cli.config).await,
            Command::Demo(args) => return cli::demo::run(args).await,
            other => other,
        };
        let config = Config::load(&cli.config, explicit_config)?;
        match command {
            Command::Serve(args) => cli::serve::run(args, &config).await,
            Command::Certs(cmd) => cli::certs::run(cmd, &config).await,
            Command::Directory(cmd) => cli::directory::run(cmd, &config).await,
            Command::Account(cmd) => cli::account::run(cmd, &config).await,
            Command::Mailbox(cmd) => cli::mailbox::run(cmd, &config).await,
            Command::Dmp(cmd) => cli::dmp::run(cmd, &config).await,
            Command::Catalogue(cmd) => cli::catalogue::run(cmd, &config).await,
            Command::Policy(cmd) => cli::policy::run(cmd, &config).await,
            Command::Bench(cmd) => cli::bench::run(cmd, &config).await,
            Command::Config(_) | Command::Demo(_) => unreachable!("handled above"),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("santemail: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("SANTEMAIL_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Every login hashes with Argon2, which allocates 19 MiB; glibc's dynamic mmap threshold then
/// grows so far that later large buffers come from the heap and stay there after `free`. Measured
/// with `bench/imap.sh`: 2.8 MiB per idle IMAP session by default, 29 KiB with a fixed threshold.
/// Allocations of 128 KiB or more go straight to `mmap` and return to the system when freed.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
