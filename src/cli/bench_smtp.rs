//! `santemail bench smtp`: a load generator for durable SMTP acceptance. N connections each send
//! messages over STARTTLS (client certificate optional) and time MAIL → final `250` after DATA.
//! The same generator is pointed at santemail and at a Postfix by `bench/smtp.sh`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Args, Debug, Clone)]
pub struct SmtpBenchArgs {
    /// Server address, host:port (STARTTLS).
    #[arg(long, default_value = "127.0.0.1:2587")]
    pub target: String,
    /// Name the server certificate must carry.
    #[arg(long, default_value = "mx.mssante.example")]
    pub tls_name: String,
    /// CA file that verifies the server certificate.
    #[arg(long)]
    pub cafile: PathBuf,
    /// Client certificate chain (PEM), for servers that authenticate by certificate.
    #[arg(long)]
    pub cert: Option<PathBuf>,
    /// Client key (PEM).
    #[arg(long)]
    pub key: Option<PathBuf>,
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub to: String,
    /// Concurrent connections.
    #[arg(long, default_value_t = 20)]
    pub connections: usize,
    /// Messages in total.
    #[arg(long, default_value_t = 2000)]
    pub messages: usize,
    /// Message size in bytes.
    #[arg(long, default_value_t = 4096)]
    pub size: usize,
    /// A label printed with the figures.
    #[arg(long, default_value = "santemail")]
    pub label: String,
}

/// The figures of one run.
#[derive(Debug, Clone)]
pub struct SmtpBenchResult {
    pub messages: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

pub async fn run(args: SmtpBenchArgs) -> anyhow::Result<SmtpBenchResult> {
    let tls = Arc::new(client_config(&args)?);
    let body = Arc::new(make_message(&args.from, &args.to, args.size));
    let per_conn = args.messages.div_ceil(args.connections.max(1));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.connections.max(1) {
        let (tls, body, args) = (tls.clone(), body.clone(), args.clone());
        tasks.push(tokio::spawn(async move {
            one_connection(&args, tls, &body, per_conn).await
        }));
    }
    let mut latencies = Vec::with_capacity(args.messages);
    for t in tasks {
        latencies.extend(t.await.context("load task panicked")??);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies
            .get(i)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    let result = SmtpBenchResult {
        messages: latencies.len(),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    };
    println!(
        "{:<10} conns={:<3} size={:<7} msgs={:<5} {:>8.1} msg/s  p50={:>7.2} ms  p99={:>7.2} ms",
        args.label,
        args.connections,
        args.size,
        result.messages,
        result.messages as f64 / seconds,
        result.p50_ms,
        result.p99_ms
    );
    Ok(result)
}

fn client_config(args: &SmtpBenchArgs) -> anyhow::Result<rustls::ClientConfig> {
    let identity = match (&args.cert, &args.key) {
        (Some(c), Some(k)) => Some((c.as_path(), k.as_path())),
        (None, None) => None,
        _ => bail!("--cert and --key go together"),
    };
    let cfg = certs::tls::client_config(std::slice::from_ref(&args.cafile), &[], identity)
        .context("TLS client configuration")?;
    Ok(Arc::unwrap_or_clone(cfg))
}

fn make_message(from: &str, to: &str, size: usize) -> Vec<u8> {
    let mut m = format!(
        "From: {from}\r\nTo: {to}\r\nSubject: bench\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\r\n"
    )
    .into_bytes();
    let line =
        b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n";
    while m.len() < size {
        m.extend_from_slice(line);
    }
    m
}

async fn one_connection(
    args: &SmtpBenchArgs,
    tls: Arc<rustls::ClientConfig>,
    body: &[u8],
    count: usize,
) -> anyhow::Result<Vec<Duration>> {
    let tcp = TcpStream::connect(&args.target)
        .await
        .with_context(|| format!("connect {}", args.target))?;
    tcp.set_nodelay(true)?;
    let mut plain = BufReader::new(tcp);
    expect(&mut plain, 220).await?;
    command(&mut plain, "EHLO bench.client", 250).await?;
    command(&mut plain, "STARTTLS", 220).await?;
    let name = ServerName::try_from(args.tls_name.clone())?;
    let stream = tokio_rustls::TlsConnector::from(tls)
        .connect(name, plain.into_inner())
        .await
        .context("TLS handshake")?;
    let mut conn = BufReader::new(stream);
    command(&mut conn, "EHLO bench.client", 250).await?;
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let t = Instant::now();
        command(&mut conn, &format!("MAIL FROM:<{}>", args.from), 250).await?;
        command(&mut conn, &format!("RCPT TO:<{}>", args.to), 250).await?;
        command(&mut conn, "DATA", 354).await?;
        conn.get_mut().write_all(body).await?;
        conn.get_mut().write_all(b".\r\n").await?;
        conn.get_mut().flush().await?;
        expect(&mut conn, 250).await?;
        latencies.push(t.elapsed());
    }
    let _ = command(&mut conn, "QUIT", 221).await;
    Ok(latencies)
}

async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut BufReader<S>,
    line: &str,
    want: u16,
) -> anyhow::Result<()> {
    conn.get_mut().write_all(line.as_bytes()).await?;
    conn.get_mut().write_all(b"\r\n").await?;
    conn.get_mut().flush().await?;
    expect(conn, want)
        .await
        .with_context(|| format!("after {line}"))
}

/// Reads one (possibly multi-line) reply and checks its code.
async fn expect<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut BufReader<S>,
    want: u16,
) -> anyhow::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        let n = tokio::time::timeout(Duration::from_secs(60), conn.read_line(&mut line))
            .await
            .context("timeout")??;
        if n == 0 {
            bail!("connection closed");
        }
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            break;
        }
    }
    let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    if code != want {
        bail!("expected {want}, got: {}", line.trim_end());
    }
    Ok(())
}
