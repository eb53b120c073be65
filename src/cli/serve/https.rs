//! The HTTPS listener of `[webmail]`: the citizen webmail and the professional DMP API,
//! with its background tasks (new-mail notifications, opening of pending accounts after six
//! weeks, erasure of expired archives).

use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tracing::info;

use crate::config::Config;

/// Starts the webmail when `[webmail] https` is set; returns its tasks.
pub async fn webmail_listener(
    config: &Config,
    pipeline: &Arc<smtp::Pipeline>,
    tls: &Arc<rustls::ServerConfig>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let c = &config.webmail;
    let mut tasks = Vec::new();
    if c.https.is_empty() {
        return Ok(tasks);
    }
    let settings = Arc::new(c.settings());
    let relay = c
        .relay()
        .map_err(anyhow::Error::msg)
        .with_context(|| "[webmail] relay")?;
    let sms = c
        .sms(&config.server.data_dir)
        .map_err(anyhow::Error::msg)
        .with_context(|| "[webmail] SMS gateway")?;
    let notifier = webmail::notify::Notifier::new(&relay, sms, &settings.public_url)
        .with_context(|| "[webmail] notifications")?;
    let notifier = Arc::new(notifier);
    // Professional actions on a record are announced to the citizen through the same relay.
    let dmp = webmail::documents::service(
        pipeline.db.clone(),
        pipeline.blobs.clone(),
        &config.dmp,
        notifier.clone(),
    );
    let state = webmail::AppState {
        db: pipeline.db.clone(),
        blobs: pipeline.blobs.clone(),
        pipeline: pipeline.clone(),
        settings,
        notifier,
        clock: Arc::new(webmail::clock::SystemClock),
        dmp: dmp.clone(),
    };
    let listener = TcpListener::bind(&c.https)
        .await
        .with_context(|| format!("cannot listen on {} (HTTPS)", c.https))?;
    info!(listener = "https", addr = %c.https, "listening");
    eprintln!("santemail: HTTPS listening on {}", c.https);
    // Client certificates are optional on this port (citizens' browsers have none) and, when
    // sent, verified against the health PKI and its CRLs for the professional API.
    let https_tls = webmail::server::https_config(tls);
    // The professional DMP API on the same port: the accept loop puts the verified client
    // certificate's identity (`Option<PeerIdentity>`) in each request, which the API requires.
    let app = webmail::router(state.clone())
        .merge(dmp_bridge::api::router((*dmp).clone()))
        .merge(health::api::router((*dmp).clone()));
    tasks.push(tokio::spawn(webmail::server::serve(
        listener, https_tls, app,
    )));
    tasks.push(tokio::spawn(webmail::jobs::run(state.clone())));
    if c.new_mail_notifications {
        tasks.push(tokio::spawn(webmail::notify::new_mail::run(state)));
    }
    Ok(tasks)
}
