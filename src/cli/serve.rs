//! `santemail serve`: open the store, build the TLS configurations from the health PKI, and run
//! every configured listener until Ctrl-C or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use tokio::net::TcpListener;
use tracing::info;

use crate::config::Config;

mod https;

#[derive(Args, Debug)]
pub struct ServeArgs {}

pub async fn run(_args: ServeArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let db = store::Db::connect(&config.database_url())
        .await
        .with_context(|| "opening the database")?;
    let blobs = store::BlobStore::open(config.blobs_dir())
        .await
        .with_context(|| format!("opening the blob store {}", config.blobs_dir().display()))?;
    let batcher = store::deliver::DeliveryBatcher::start(
        db.clone(),
        store::deliver::BatchConfig::for_backend(db.backend()),
    );
    let tls = Arc::new(server_tls(config)?);
    let pipeline = smtp::Pipeline {
        db: db.clone(),
        blobs,
        batcher,
        domains: smtp::LocalDomains {
            citizen: config.domains.citizen.clone(),
            professional: config.domains.professional.clone(),
        },
        hostname: config.server.hostname.clone(),
        queue_lifetime: std::time::Duration::from_secs(config.smtp.queue_lifetime_secs),
    };
    let pipeline = Arc::new(pipeline);
    let settings = smtp_settings(config);
    let mut tasks = Vec::new();
    for (kind, addr) in [
        (smtp::ListenerKind::Mta, &config.smtp.mta),
        (smtp::ListenerKind::Submission, &config.smtp.submission),
        (smtp::ListenerKind::SubmissionTls, &config.smtp.submissions),
    ] {
        if addr.is_empty() {
            continue;
        }
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} ({})", kind.name()))?;
        info!(listener = kind.name(), %addr, "listening");
        eprintln!("santemail: SMTP {} listening on {addr}", kind.name());
        let shared = Arc::new(smtp::SessionShared {
            settings: settings.clone(),
            pipeline: pipeline.clone(),
            kind,
            tls: Some(tokio_rustls::TlsAcceptor::from(tls.clone())),
        });
        tasks.push(tokio::spawn(smtp::listener::serve(listener, shared)));
    }
    tasks.extend(imap_listeners(config, &pipeline, &tls).await?);
    tasks.extend(https::webmail_listener(config, &pipeline, &tls).await?);
    let worker = outbound_worker(config, pipeline.clone())?;
    tasks.push(tokio::spawn(worker.run()));
    if tasks.is_empty() {
        anyhow::bail!("no listener configured: set at least one address in [smtp]");
    }
    shutdown_signal().await;
    eprintln!("santemail: stopping");
    for t in &tasks {
        t.abort();
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The IMAP listeners of `[imap]` (143 STARTTLS, 993 implicit TLS), sharing one change hub.
async fn imap_listeners(
    config: &Config,
    pipeline: &smtp::Pipeline,
    tls: &Arc<rustls::ServerConfig>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let c = &config.imap;
    let mut tasks = Vec::new();
    if c.imap.is_empty() && c.imaps.is_empty() {
        return Ok(tasks);
    }
    let shared = imap::ImapShared::new(
        c.settings(),
        pipeline.db.clone(),
        pipeline.blobs.clone(),
        tokio_rustls::TlsAcceptor::from(tls.clone()),
        pipeline.domains.all(),
    )
    .await
    .with_context(|| "starting the IMAP change hub")?;
    for (kind, addr) in [
        (imap::ListenerKind::StartTls, &c.imap),
        (imap::ListenerKind::Tls, &c.imaps),
    ] {
        if addr.is_empty() {
            continue;
        }
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} ({})", kind.name()))?;
        info!(listener = kind.name(), %addr, "listening");
        eprintln!("santemail: IMAP {} listening on {addr}", kind.name());
        tasks.push(tokio::spawn(imap::serve(listener, shared.clone(), kind)));
    }
    Ok(tasks)
}

/// The queue worker: delivers to other operators over TLS with our certificate, verifying theirs
/// against the health PKI (roots + CRLs).
fn outbound_worker(
    config: &Config,
    pipeline: Arc<smtp::Pipeline>,
) -> anyhow::Result<smtp::outbound::worker::Worker> {
    use smtp::outbound::routes::Routes;
    let paths = tls_paths(config);
    let client_tls =
        certs::tls::client_config(&paths.roots, &paths.crls, Some((&paths.cert, &paths.key)))
            .with_context(|| "outbound TLS client setup")?;
    let mut table = std::collections::HashMap::new();
    for (domain, route) in &config.smtp.routes {
        let route = route
            .to_route()
            .with_context(|| format!("[smtp.routes] {domain}: not a valid route"))?;
        table.insert(domain.clone(), route);
    }
    Ok(smtp::outbound::worker::Worker {
        pipeline,
        routes: Routes::new(table),
        client: smtp::outbound::client::ClientSettings {
            helo: config.server.hostname.clone(),
            tls: client_tls,
            timeout: std::time::Duration::from_secs(60),
        },
        settings: smtp::outbound::worker::WorkerSettings {
            retry_schedule: config.smtp.retry_schedule_secs.clone(),
            lease: std::time::Duration::from_secs(config.smtp.queue_lease_secs.max(1)),
            ..Default::default()
        },
    })
}

fn smtp_settings(config: &Config) -> smtp::SmtpSettings {
    let c = &config.smtp;
    smtp::SmtpSettings {
        hostname: config.server.hostname.clone(),
        max_message_size: c.max_message_size,
        max_recipients: c.max_recipients,
        command_timeout: std::time::Duration::from_secs(c.command_timeout_secs),
        data_timeout: std::time::Duration::from_secs(c.data_timeout_secs),
        max_connections_per_ip: c.max_connections_per_ip,
        max_auth_failures: c.max_auth_failures,
        ..smtp::SmtpSettings::default()
    }
}

/// The server certificate and the client-certificate trust (roots + CRLs). Client certificates are
/// optional at the handshake — a password login is allowed on submission — but when one is
/// presented it must verify, revoked or expired ones are refused at the handshake (DESIGN §6).
struct TlsPaths {
    cert: std::path::PathBuf,
    key: std::path::PathBuf,
    roots: Vec<std::path::PathBuf>,
    crls: Vec<std::path::PathBuf>,
}

/// The configured files, or the dev PKI's when unset.
fn tls_paths(config: &Config) -> TlsPaths {
    let pki = certs::pki::Layout::new(config.pki_dir());
    let cert = config
        .tls
        .cert
        .clone()
        .unwrap_or_else(|| default_server_cert(&pki, &config.server.hostname));
    let key = config
        .tls
        .key
        .clone()
        .unwrap_or_else(|| certs::pki::Layout::key_for(&cert));
    let roots = if config.tls.client_roots.is_empty() {
        pki.roots()
    } else {
        config.tls.client_roots.clone()
    };
    let crls = if config.tls.crls.is_empty() {
        pki.crls()
    } else {
        config.tls.crls.clone()
    };
    TlsPaths {
        cert,
        key,
        roots,
        crls,
    }
}

fn server_tls(config: &Config) -> anyhow::Result<rustls::ServerConfig> {
    let p = tls_paths(config);
    let settings = certs::tls::ServerTlsSettings {
        cert_chain: p.cert.clone(),
        key: p.key,
        client_roots: p.roots,
        crls: p.crls,
        client_auth: certs::tls::ClientAuth::Optional,
    };
    let cfg = certs::tls::server_config(&settings)
        .with_context(|| format!("TLS setup with {}", p.cert.display()))?;
    Ok(Arc::unwrap_or_clone(cfg))
}

/// The dev PKI names server certificates by domain; `mx.example.org` is served by the certificate
/// of `mx.example.org` or, as `certs init --domain example.org` makes it, of `example.org`.
fn default_server_cert(pki: &certs::pki::Layout, hostname: &str) -> std::path::PathBuf {
    let exact = pki.server_cert(hostname);
    if exact.exists() {
        return exact;
    }
    match hostname.split_once('.') {
        Some((_, parent)) if pki.server_cert(parent).exists() => pki.server_cert(parent),
        _ => exact,
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
