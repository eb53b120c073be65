//! Shared helpers for the loopback TLS tests: a dev PKI in a temp folder, a TLS server on
//! 127.0.0.1 that reports who connected, a rustls client, and a log capture.
#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use certs::identity::PeerIdentity;
use certs::ids::{PersonId, StructureId, StructureKind};
use certs::pki::{self, InitOptions, IssueRequest, Issued, Subject, Validity};
use certs::tls::{self, ClientAuth, ServerTlsSettings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

pub const DOMAIN: &str = "medecin.mssante.example";
pub const SERVER_NAME: &str = "mx.medecin.mssante.example";

pub fn new_pki(label: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("pki");
    let mut opts = InitOptions::new(&[DOMAIN]);
    opts.label = label.into();
    pki::init(&dir, &opts).expect("init PKI");
    (tmp, dir)
}

pub fn person(given: &str, surname: &str, rpps: &str) -> Subject {
    Subject::Person {
        id: PersonId::rpps(rpps).expect("rpps"),
        given_name: given.into(),
        surname: surname.into(),
        email: format!(
            "{}.{}@{DOMAIN}",
            given.to_lowercase(),
            surname.to_lowercase()
        ),
        structure: None,
        organization: None,
    }
}

pub fn org(finess: &str, email: &str) -> Subject {
    Subject::Org {
        structure: StructureId::parse(finess, StructureKind::Finess).expect("finess"),
        email: email.into(),
        name: "PHARMACIE DU CENTRE".into(),
    }
}

pub fn issue(dir: &Path, subject: Subject, validity: Validity) -> Issued {
    pki::issue(dir, &IssueRequest::new(subject).validity(validity)).expect("issue")
}

pub fn server_settings(dir: &Path, mode: ClientAuth) -> ServerTlsSettings {
    ServerTlsSettings::from_dev_pki(dir, DOMAIN, mode)
}

/// A rustls client trusting the PKI in `dir` (roots + CRLs), presenting `identity` if given.
pub fn client(dir: &Path, identity: Option<&Issued>) -> Arc<rustls::ClientConfig> {
    let layout = pki::Layout::new(dir);
    let identity = identity.map(|i| (i.cert_path.clone(), i.key_path.clone()));
    tls::client_config(&layout.roots(), &layout.crls(), identity).expect("client config")
}

/// What the server saw for one connection: the identity, or the handshake error.
pub type Outcome = Result<Option<PeerIdentity>, String>;

/// A TLS server on 127.0.0.1 that answers `OK <national id|kind>` then closes, and reports each
/// connection's outcome.
pub async fn spawn_server(
    config: Arc<rustls::ServerConfig>,
) -> (SocketAddr, mpsc::UnboundedReceiver<Outcome>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = mpsc::unbounded_channel();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        while let Ok((tcp, peer)) = listener.accept().await {
            let outcome = match tls::accept(&acceptor, tcp, &peer.to_string()).await {
                Ok(mut stream) => {
                    let id = tls::peer_identity(stream.get_ref().1).map_err(|e| e.to_string());
                    let label = match &id {
                        Ok(Some(i)) => i.national_id.clone().unwrap_or(format!("{:?}", i.kind)),
                        Ok(None) => "anonymous".into(),
                        Err(e) => e.clone(),
                    };
                    let _ = stream.write_all(format!("OK {label}\n").as_bytes()).await;
                    let _ = stream.shutdown().await;
                    id
                }
                Err(e) => Err(e.to_string()),
            };
            if tx.send(outcome).is_err() {
                break;
            }
        }
    });
    (addr, rx)
}

/// Connects with rustls and returns what the server wrote, or the error (handshake or read).
pub async fn connect(
    config: Arc<rustls::ClientConfig>,
    addr: SocketAddr,
) -> Result<String, String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let name = rustls_pki_types::ServerName::try_from(SERVER_NAME).map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(config);
    let mut tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    tls.read_to_string(&mut out)
        .await
        .map_err(|e| e.to_string())?;
    if out.is_empty() {
        return Err("connection closed without data".into());
    }
    Ok(out)
}

/// Collects tracing output of the current thread into a buffer.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn contents(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Installs a subscriber for this thread (tests use a current-thread runtime, so the server
    /// task logs here too); keep the guard alive.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
}

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
