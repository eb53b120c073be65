//! `santemail bench webmail`: server-side latency of the citizen's inbox page and message page
//! with a large mailbox (issue 6, "Benchmark": 10 000 messages, p95 ≤ 50 ms on this machine).
//!
//! Builds a throwaway space in a temp folder (or on `--database-url`): the sample directory and
//! insured register compiled into the binary, an active citizen, `--messages` messages in Reçus
//! delivered with their list summaries the way the SMTP pipeline does, and a webmail session.
//! Then it times `--requests` GETs of list pages (spread over the whole mailbox, deep pages
//! included) and of message pages (random messages: the first open also writes `\Seen`), through
//! the whole router in process, and prints p50/p95/p99.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use store::deliver::DeliveryRequest;

const EXTRACT: &str = include_str!(
    "../../tests/fixtures/annuaire/Extraction_Correspondance_MSSante_202611200300.txt"
);
const REGISTER: &str = include_str!("../../tests/fixtures/citizens/assures.csv");
const CITIZEN_DOMAIN: &str = "patient.mssante.example";
const NIR: &str = "240013700100130";
const DOCTOR: &str = "camille.martin@medecin.mssante.example";
/// p95 target of the issue, server side.
const TARGET_P95_MS: f64 = 50.0;

#[derive(Args, Debug, Clone)]
pub struct WebmailBenchArgs {
    /// Messages in the citizen's Reçus folder.
    #[arg(long, default_value_t = 10_000)]
    pub messages: u32,
    /// Distinct message bodies (blobs); the others are further copies, as when one message goes
    /// to many recipients. Each blob costs an fsync to create.
    #[arg(long, default_value_t = 1_000)]
    pub distinct: u32,
    /// Timed requests per page kind.
    #[arg(long, default_value_t = 300)]
    pub requests: u32,
    /// Database URL (default: a SQLite file in the temp folder). PostgreSQL: an empty database.
    #[arg(long)]
    pub database_url: Option<String>,
}

pub async fn run(args: WebmailBenchArgs) -> anyhow::Result<ExitCode> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "santemail-bench-webmail-{}-{stamp}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = bench_in(&dir, &args).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn setup_directory(db: &store::Db, dir: &Path) -> anyhow::Result<()> {
    let extract = dir.join("Extraction_Correspondance_MSSante_202611200300.txt");
    std::fs::write(&extract, EXTRACT)?;
    let register = dir.join("assures.csv");
    std::fs::write(&register, REGISTER)?;
    let mut codes = directory::accounts::CodesWriter::create(&dir.join("codes.csv"))?;
    for file in [&extract, &register] {
        let mut opts = directory::ImportOptions::new(CITIZEN_DOMAIN);
        opts.codes = Some(&mut codes);
        directory::import_file(db, file, &mut opts)
            .await
            .with_context(|| format!("importing {}", file.display()))?;
    }
    directory::accounts::apply(db, NIR, directory::accounts::Action::Activate).await?;
    Ok(())
}

fn message(i: u32) -> String {
    format!(
        "From: \"Dr Camille Martin\" <{DOCTOR}>\r\nTo: {NIR}@{CITIZEN_DOMAIN}\r\n\
         Subject: =?utf-8?q?R=C3=A9sultats_d=27analyses_n=C2=B0?= {i}\r\n\
         Date: Wed, 18 Nov 2026 09:30:00 +0100\r\nMessage-ID: <bench-{i}@medecin.mssante.example>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\n\r\nVoici vos \
         résultats du bilan numéro {i}. Tout est normal.\r\n\r\nBien cordialement,\r\nDr Martin\r\n\
         --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Bonjour,</p><p>Voici vos \
         <b>résultats</b> du bilan numéro {i}. Tout est normal.</p>\
         <img src=\"https://example.org/logo.png\"><p>Bien cordialement,<br>Dr Martin</p>\r\n--b--\r\n"
    )
}

/// Fills Reçus: `distinct` blobs, `messages` rows, delivered in batches with their summaries.
async fn fill(
    db: &store::Db,
    blobs: &store::BlobStore,
    account: &str,
    messages: u32,
    distinct: u32,
) -> anyhow::Result<()> {
    let distinct = distinct.clamp(1, messages.max(1));
    let mut stored = Vec::with_capacity(distinct as usize);
    for i in 0..distinct {
        let raw = message(i).into_bytes();
        let summary = smtp::pipeline::summary::summarize(&raw);
        let size = raw.len() as u64;
        stored.push((blobs.put(raw).await?, size, summary));
    }
    let mut batch = Vec::new();
    for i in 0..messages {
        let (blob, size, summary) = &stored[(i % distinct) as usize];
        batch.push(DeliveryRequest::new(blob, *size, &[account]).with_summary(summary.clone()));
        if batch.len() == 500 || i + 1 == messages {
            db.deliver_batch(&batch).await?;
            batch.clear();
        }
    }
    Ok(())
}

/// A small deterministic generator (xorshift): reproducible runs without a dependency.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        u32::try_from(self.0 % u64::from(n.max(1))).unwrap_or(0)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

fn report(label: &str, mut times: Vec<Duration>) -> f64 {
    times.sort();
    let (p50, p95, p99) = (
        percentile(&times, 50.0),
        percentile(&times, 95.0),
        percentile(&times, 99.0),
    );
    println!(
        "{label:<13} n={:<5} p50 {p50:>7.2} ms   p95 {p95:>7.2} ms   p99 {p99:>7.2} ms",
        times.len()
    );
    p95
}

async fn bench_in(dir: &Path, args: &WebmailBenchArgs) -> anyhow::Result<ExitCode> {
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let db = store::Db::connect(&url)
        .await
        .context("opening the database")?;
    let blobs = store::BlobStore::open(dir.join("blobs")).await?;
    setup_directory(&db, dir).await?;
    let account = format!("{NIR}@{CITIZEN_DOMAIN}");
    let t0 = std::time::Instant::now();
    fill(&db, &blobs, &account, args.messages, args.distinct).await?;
    println!(
        "mailbox: {} messages in Reçus ({} distinct bodies) on {:?}, filled in {:.1} s",
        args.messages,
        args.distinct.min(args.messages),
        db.backend(),
        t0.elapsed().as_secs_f64()
    );
    let pipeline = smtp::Pipeline {
        db: db.clone(),
        blobs: blobs.clone(),
        batcher: store::deliver::DeliveryBatcher::start(
            db.clone(),
            store::deliver::BatchConfig::for_backend(db.backend()),
        ),
        domains: smtp::LocalDomains {
            citizen: CITIZEN_DOMAIN.into(),
            professional: vec!["medecin.mssante.example".into()],
        },
        hostname: "bench.mssante.example".into(),
        queue_lifetime: Duration::from_secs(3600),
    };
    let sms = webmail::notify::FileSms {
        path: dir.join("sms.log"),
    };
    let notifier = webmail::notify::Notifier::new(
        &webmail::notify::RelayConfig::default(),
        Arc::new(sms),
        "https://localhost",
    )?;
    let settings = webmail::settings::WebmailSettings::default();
    let page_size = settings.page_size.max(1) as u32;
    let notifier = Arc::new(notifier);
    let dmp = webmail::documents::service(
        db.clone(),
        blobs.clone(),
        &dmp_bridge::DmpConfig::default(),
        notifier.clone(),
    );
    let state = webmail::AppState {
        db: db.clone(),
        blobs,
        pipeline: Arc::new(pipeline),
        settings: Arc::new(settings),
        notifier,
        clock: Arc::new(webmail::clock::SystemClock),
        dmp,
    };
    let (token, _) = webmail::security::session::create(&state, &account, "127.0.0.1", "bench")
        .await
        .map_err(|e| anyhow::anyhow!("session: {e}"))?;
    let cookie = format!("{}={token}", webmail::security::cookies::SESSION);
    let router = webmail::router(state.clone());
    let inbox = db
        .find_mailbox(&account, "INBOX")
        .await?
        .context("no INBOX")?;
    let uids = db.uids(inbox.id).await?;
    let pages = args.messages.div_ceil(page_size).max(1);
    let mut rng = Rng(0x5eed_cafe_f00d);
    let get = |uri: String| {
        let router = router.clone();
        let cookie = cookie.clone();
        async move {
            let (status, _, took) = webmail::mail::bench::timed_get(&router, &uri, &cookie)
                .await
                .map_err(|e| anyhow::anyhow!("{uri}: {e}"))?;
            if status != 200 {
                bail!("{uri} answered {status}");
            }
            Ok::<Duration, anyhow::Error>(took)
        }
    };
    // Warm-up: connections, template code, SQLite page cache.
    for _ in 0..20 {
        get("/messages".into()).await?;
    }
    let mut list = Vec::new();
    let mut read = Vec::new();
    for i in 0..args.requests {
        // Half the list views are the first page (what a citizen opens), half anywhere.
        let page = if i % 2 == 0 { 1 } else { 1 + rng.below(pages) };
        list.push(get(format!("/messages/dossier/recus?page={page}")).await?);
        let uid = uids[rng.below(uids.len() as u32) as usize];
        read.push(get(format!("/messages/recus/{uid}")).await?);
    }
    println!("server side, through the whole router (session, headers, handler, template):");
    let p95_list = report("inbox page", list);
    let p95_read = report("message page", read);
    let ok = p95_list <= TARGET_P95_MS && p95_read <= TARGET_P95_MS;
    println!(
        "target: p95 <= {TARGET_P95_MS} ms for both pages: {}",
        if ok { "met" } else { "NOT met" }
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
