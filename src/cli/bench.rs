//! `santemail bench …`: benchmarks that print their figures.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use directory::import::{ImportKind, ImportOptions, import_as};
use store::Db;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum BenchCmd {
    /// Import a synthetic national-scale MSSanté extract; print rows/s, time and peak RSS.
    ///
    /// Generates an Extraction_Correspondance_MSSante with the real 31-column layout into a temp
    /// folder, imports it into a fresh SQLite database and prints the figures.
    Directory {
        /// Data lines to generate (the national extract has about 536 000).
        #[arg(long, default_value_t = 535_928)]
        rows: u64,
        /// Keep the generated extract and database (their folder is printed).
        #[arg(long)]
        keep: bool,
        /// Rows per INSERT statement.
        #[arg(long, default_value_t = 400)]
        batch: usize,
    },
    /// Durable SMTP acceptance against a running server: msgs/s and p50/p99 latency.
    ///
    /// `bench/smtp.sh` runs it against santemail and a Postfix side by side.
    Smtp(super::bench_smtp::SmtpBenchArgs),
    /// File a 50 MB IHE XDM package into a fresh DMP: time and peak memory above idle.
    Dmp(super::bench_dmp::DmpBenchArgs),
    /// Citizen webmail with a 10 000-message mailbox: inbox and message page p50/p95/p99.
    Webmail(super::bench_webmail::WebmailBenchArgs),
}

pub async fn run(cmd: BenchCmd, _config: &Config) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCmd::Directory { rows, keep, batch } => directory_bench(rows, keep, batch).await,
        BenchCmd::Dmp(args) => super::bench_dmp::run(args).await,
        BenchCmd::Webmail(args) => super::bench_webmail::run(args).await,
        BenchCmd::Smtp(args) => {
            super::bench_smtp::run(args).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Peak resident set size of this process in KiB (`VmHWM` in /proc/self/status).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn directory_bench(rows: u64, keep: bool, batch: usize) -> anyhow::Result<ExitCode> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "santemail-bench-directory-{}-{stamp}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = bench_in(&dir, rows, batch).await;
    if keep {
        println!("kept: {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

async fn bench_in(dir: &std::path::Path, rows: u64, batch: usize) -> anyhow::Result<ExitCode> {
    let extract: PathBuf = dir.join("Extraction_Correspondance_MSSante_209912310300.txt");
    let t0 = Instant::now();
    let gen_path = extract.clone();
    let size =
        tokio::task::spawn_blocking(move || directory::synth::write_extract(&gen_path, rows, 42))
            .await?
            .context("cannot write the synthetic extract")?;
    let generated = t0.elapsed();
    println!(
        "generated {rows} rows ({:.1} MB) in {:.2} s",
        size as f64 / 1e6,
        generated.as_secs_f64()
    );
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let db = Db::connect(&url)
        .await
        .context("cannot open the bench database")?;
    let bar = super::directory::progress_bar(size, "import");
    let tick = bar.clone();
    let progress = move |bytes: u64| tick.set_position(bytes);
    let mut opts = ImportOptions::new("patient.mssante.example");
    opts.batch_rows = batch.max(1);
    opts.progress = Some(&progress);
    let t1 = Instant::now();
    let report = import_as(&db, &extract, ImportKind::Mailboxes, &mut opts).await?;
    let took = t1.elapsed();
    bar.finish_and_clear();
    db.close().await;
    let secs = took.as_secs_f64();
    println!(
        "imported {} rows ({} new, {} rejected) in {secs:.2} s: {:.0} rows/s",
        report.rows_read,
        report.imported,
        report.rejected.len(),
        report.rows_read as f64 / secs.max(1e-9)
    );
    match peak_rss_kib() {
        Some(kib) => println!("peak RSS: {:.1} MB", kib as f64 / 1024.0),
        None => println!("peak RSS: unavailable (/proc/self/status has no VmHWM)"),
    }
    println!(
        "target: <= 20 s and <= 300 MB for 535928 rows on 2 cores (release build); total with \
         generation {:.2} s",
        (generated + took).as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
