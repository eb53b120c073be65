//! `santemail bench dmp`: files a large synthetic IHE XDM package (50 MB by default) into a
//! fresh SQLite DMP and prints the time and the peak memory above the idle process. The package
//! must stream (issue 7): the target is a peak under 64 MB above idle.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use dmp_bridge::{Dmp, DmpConfig, LogNotifier, Source};

/// The citizen of the fixtures; any valid INS works.
const INS: &str = "240013700100130";
const TARGET_MB: f64 = 64.0;

#[derive(clap::Args, Debug)]
pub struct DmpBenchArgs {
    /// Size of the package's documents, in MB.
    #[arg(long, default_value_t = 50)]
    mb: u64,
    /// Number of documents in the package.
    #[arg(long, default_value_t = 5)]
    documents: usize,
    /// Keep the generated package and database (their folder is printed).
    #[arg(long)]
    keep: bool,
}

/// A line of /proc/self/status, in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub async fn run(args: DmpBenchArgs) -> anyhow::Result<ExitCode> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "santemail-bench-dmp-{}-{stamp}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = bench_in(&dir, &args).await;
    if args.keep {
        println!("kept: {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

async fn bench_in(dir: &Path, args: &DmpBenchArgs) -> anyhow::Result<ExitCode> {
    let package = dir.join("IHE_XDM.ZIP");
    let (p, mb, n) = (package.clone(), args.mb, args.documents);
    let zip_size = tokio::task::spawn_blocking(move || {
        dmp_bridge::xdm::synth::write_package(&p, INS, mb * 1_000_000, n)
    })
    .await?
    .context("cannot write the synthetic package")?;
    let db = store::Db::connect(&format!("sqlite://{}/bench.db", dir.display())).await?;
    let blobs = store::BlobStore::open(dir.join("blobs")).await?;
    let dmp = Dmp::new(db, blobs, &DmpConfig::default(), Arc::new(LogNotifier));

    // Reset the peak RSS (Linux: "5" > clear_refs) so package generation does not count.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let idle = status_kib("VmRSS:").unwrap_or(0);
    let t0 = Instant::now();
    let file = std::fs::File::open(&package)?;
    let filed = dmp.file_xdm(INS, file, Source::Xdm).await?;
    let secs = t0.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0);
    let above = peak.saturating_sub(idle) as f64 / 1024.0;
    println!(
        "filed {} documents, {} MB of content (zip {:.1} MB) in {secs:.2} s ({:.1} MB/s)",
        filed.new,
        args.mb,
        zip_size as f64 / 1e6,
        args.mb as f64 / secs.max(1e-9)
    );
    println!(
        "memory: idle {:.1} MB, peak {:.1} MB, peak above idle {above:.1} MB (target < {TARGET_MB} MB)",
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    dmp.db().close().await;
    Ok(if above < TARGET_MB {
        ExitCode::SUCCESS
    } else {
        eprintln!("santemail: peak memory above idle is over the {TARGET_MB} MB target");
        ExitCode::FAILURE
    })
}
