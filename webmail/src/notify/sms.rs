//! SMS to the citizen's mobile: a gateway trait, an HTTP implementation (JSON POST to the
//! operator's SMS provider) and a dev implementation that appends to a file.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::{Request, Uri, header};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::NotifyError;

type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), NotifyError>> + Send + 'a>>;

/// Something that delivers a text message to a phone number.
pub trait SmsGateway: Send + Sync + 'static {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a>;
}

/// Dev and test gateway: one line per SMS, `number<TAB>text`, appended to a file.
#[derive(Debug, Clone)]
pub struct FileSms {
    pub path: PathBuf,
}

impl SmsGateway for FileSms {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let line = format!(
                "{}\t{}\n",
                to.replace(['\t', '\n'], " "),
                text.replace('\n', " ")
            );
            let mut f = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .await
                .map_err(|e| NotifyError::Sms(format!("{}: {e}", self.path.display())))?;
            f.write_all(line.as_bytes())
                .await
                .map_err(|e| NotifyError::Sms(e.to_string()))?;
            f.flush()
                .await
                .map_err(|e| NotifyError::Sms(e.to_string()))?;
            Ok(())
        })
    }
}

/// A provider's HTTP API: `POST url` with `{"to": "+33…", "text": "…"}` and an optional bearer
/// token; any 2xx is a success. `https://` URLs are checked against the public web roots.
#[derive(Clone)]
pub struct HttpSms {
    pub url: Uri,
    pub token: Option<String>,
    tls: Arc<rustls::ClientConfig>,
}

impl HttpSms {
    pub fn new(url: &str, token: Option<String>) -> Result<HttpSms, NotifyError> {
        let url: Uri = url
            .parse()
            .map_err(|e| NotifyError::Sms(format!("bad gateway URL: {e}")))?;
        let roots =
            rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| NotifyError::Sms(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(HttpSms {
            url,
            token,
            tls: Arc::new(tls),
        })
    }

    async fn post(&self, body: Vec<u8>) -> Result<(), NotifyError> {
        let err = |e: &dyn std::fmt::Display| NotifyError::Sms(e.to_string());
        let host = self
            .url
            .host()
            .ok_or_else(|| NotifyError::Sms("no host".into()))?;
        let https = self.url.scheme_str() == Some("https");
        let port = self.url.port_u16().unwrap_or(if https { 443 } else { 80 });
        let tcp = TcpStream::connect((host, port))
            .await
            .map_err(|e| err(&e))?;
        let mut req = Request::post(self.url.clone())
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = req
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| err(&e))?;
        let status = if https {
            let name =
                rustls_pki_types::ServerName::try_from(host.to_string()).map_err(|e| err(&e))?;
            let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| err(&e))?;
            send(TokioIo::new(tls), req).await?
        } else {
            send(TokioIo::new(tcp), req).await?
        };
        if status.is_success() {
            Ok(())
        } else {
            Err(NotifyError::Sms(format!("gateway answered {status}")))
        }
    }
}

async fn send<T>(io: T, req: Request<Full<Bytes>>) -> Result<axum::http::StatusCode, NotifyError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| NotifyError::Sms(e.to_string()))?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!(error = %e, "SMS gateway connection ended");
        }
    });
    let res = tokio::time::timeout(std::time::Duration::from_secs(20), sender.send_request(req))
        .await
        .map_err(|_| NotifyError::Sms("gateway timed out".into()))?
        .map_err(|e| NotifyError::Sms(e.to_string()))?;
    let status = res.status();
    // Drain the body so the connection ends cleanly; its content is not ours to log.
    let _ = res.into_body().collect().await;
    Ok(status)
}

impl SmsGateway for HttpSms {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let body = serde_json::to_vec(&serde_json::json!({ "to": to, "text": text }))
                .map_err(|e| NotifyError::Sms(e.to_string()))?;
            self.post(body).await
        })
    }
}
