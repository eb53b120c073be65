//! Test harness of the webmail's handlers: a real database (SQLite or PostgreSQL through
//! `store::testing`), the sample register imported, a real SMTP sink (Python aiosmtpd) as the
//! relay, the file SMS gateway, a manual clock, and a tiny cookie-keeping client that drives the
//! router with `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use webmail::AppState;
use webmail::clock::ManualClock;
use webmail::notify::{FileSms, Notifier, RelayConfig, RelayTls};
use webmail::settings::WebmailSettings;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
pub const CITIZEN_DOMAIN: &str = "patient.mssante.example";
/// Camille MARTIN, adult, guardian of Lou and Sacha (tests/fixtures/citizens/assures.csv).
pub const CAMILLE_NIR: &str = "240013700100130";
pub const CAMILLE_BIRTH: &str = "1940-01-01";
pub const CAMILLE_VITALE: &str = "21132624";
pub const CAMILLE_EMAIL: &str = "camille.martin0@courriel.example";
pub const CAMILLE_MOBILE: &str = "+33612340000";
pub const LOU_NIR: &str = "115063726104045";
/// Chloé GARNIER, adult, no children.
pub const CHLOE_NIR: &str = "143024503800277";
pub const PASSWORD: &str = "une phrase assez longue";
/// A doctor of the sample directory.
pub const DOCTOR: &str = "lea.rousseau@medecin.mssante.example";

pub fn address(nir: &str) -> String {
    format!("{nir}@{CITIZEN_DOMAIN}")
}

/// The Python SMTP sink.
pub struct Sink {
    child: Child,
    pub dir: tempfile::TempDir,
    pub port: u16,
}

impl Sink {
    pub fn start() -> Sink {
        let dir = tempfile::tempdir().expect("sink dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink (apt-get install python3-aiosmtpd)");
        let mut line = String::new();
        let out = child.stdout.take().expect("sink stdout");
        BufReader::new(out)
            .read_line(&mut line)
            .expect("sink ready line");
        assert_eq!(
            line.trim(),
            "ready",
            "SMTP sink did not start (python3-aiosmtpd missing?)"
        );
        Sink { child, dir, port }
    }

    /// Every message received so far, oldest first, as (recipient, raw message).
    pub fn messages(&self) -> Vec<(String, Vec<u8>)> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .map(|raw| {
                let text = String::from_utf8_lossy(&raw).to_string();
                let rcpt = text
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("X-Sink-Rcpt: "))
                    .unwrap_or("")
                    .to_string();
                (rcpt, raw)
            })
            .collect()
    }

    /// Waits for the `n`-th (1-based) message to `to` and returns its subject and text body.
    pub fn wait_for(&self, to: &str, n: usize) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mine: Vec<_> = self
                .messages()
                .into_iter()
                .filter(|(r, _)| r == to)
                .collect();
            if let Some((_, raw)) = mine.get(n - 1) {
                let msg = mail_parser::MessageParser::default()
                    .parse(raw)
                    .expect("parse sink message");
                let subject = msg.subject().unwrap_or("").to_string();
                let body = msg.body_text(0).map(|b| b.to_string()).unwrap_or_default();
                return (subject, body);
            }
            assert!(
                Instant::now() < deadline,
                "no message #{n} to {to} in the sink"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn count_to(&self, to: &str) -> usize {
        self.messages().iter().filter(|(r, _)| r == to).count()
    }

    /// The code of the `n`-th message to `to` ("Votre code : 123456").
    pub fn code(&self, to: &str, n: usize) -> String {
        let (subject, _) = self.wait_for(to, n);
        subject
            .rsplit(' ')
            .next()
            .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or_else(|| panic!("no code in subject {subject:?}"))
            .to_string()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last SMS sent to `to` by the file gateway, and its code.
pub fn last_sms_code(path: &Path, to: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let line = text
        .lines()
        .rfind(|l| l.starts_with(&format!("{to}\t")))
        .unwrap_or_else(|| panic!("no SMS to {to}"));
    line.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code in the SMS")
        .to_string()
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Response {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The hidden `csrf` field of the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a csrf field") + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .expect("csrf value")
            .to_string()
    }
}

/// The application and a browser-like client.
pub struct App {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub sink: Arc<Sink>,
    pub sms_path: PathBuf,
    pub jar: HashMap<String, String>,
    _dir: Arc<tempfile::TempDir>,
}

impl App {
    /// A fresh application on `db` with the sample register imported; the SMTP sink is shared.
    pub async fn new(db: store::Db, sink: Arc<Sink>) -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut opts = directory::ImportOptions::new(CITIZEN_DOMAIN);
        let codes_path = dir.path().join("codes.csv");
        let mut codes = directory::accounts::CodesWriter::create(&codes_path).expect("codes");
        opts.codes = Some(&mut codes);
        for file in [
            "annuaire/Extraction_Correspondance_MSSante_202611200300.txt",
            "annuaire/PS_LibreAcces_Personne_activite_202611200300.txt",
            "citizens/assures.csv",
        ] {
            directory::import_file(&db, &Path::new(FIXTURES).join(file), &mut opts)
                .await
                .unwrap_or_else(|e| panic!("import {file}: {e}"));
        }
        let blobs = store::BlobStore::open(dir.path().join("blobs"))
            .await
            .expect("blobs");
        let pipeline = smtp::Pipeline {
            db: db.clone(),
            blobs: blobs.clone(),
            batcher: store::deliver::DeliveryBatcher::start(
                db.clone(),
                store::deliver::BatchConfig::for_backend(db.backend()),
            ),
            domains: smtp::LocalDomains {
                citizen: CITIZEN_DOMAIN.into(),
                professional: ["medecin", "pharmacie", "infirmier"]
                    .iter()
                    .map(|p| format!("{p}.mssante.example"))
                    .collect(),
            },
            hostname: "mx.mssante.example".into(),
            queue_lifetime: Duration::from_secs(3600),
        };
        let sms_path = dir.path().join("sms.log");
        let relay = RelayConfig {
            host: "127.0.0.1".into(),
            port: sink.port,
            tls: RelayTls::None,
            from: "Ma messagerie santé <ne-pas-repondre@mssante.example>".into(),
            username: None,
            password: None,
            outbox: None,
        };
        let notifier = Notifier::new(
            &relay,
            Arc::new(FileSms {
                path: sms_path.clone(),
            }),
            "https://localhost:8443",
        )
        .expect("notifier");
        let clock = Arc::new(ManualClock::at_system_time());
        let notifier = Arc::new(notifier);
        let dmp = webmail::documents::service(
            db.clone(),
            blobs.clone(),
            &dmp_bridge::DmpConfig::default(),
            notifier.clone(),
        );
        let state = AppState {
            db,
            blobs,
            pipeline: Arc::new(pipeline),
            settings: Arc::new(WebmailSettings::default()),
            notifier,
            clock: clock.clone(),
            dmp,
        };
        App {
            router: webmail::router(state.clone()),
            state,
            clock,
            sink,
            sms_path,
            jar: HashMap::new(),
            _dir: Arc::new(dir),
        }
    }

    /// A second browser on the same application (own cookies).
    pub fn other_browser(&self) -> App {
        App {
            state: self.state.clone(),
            router: self.router.clone(),
            clock: self.clock.clone(),
            sink: self.sink.clone(),
            sms_path: self.sms_path.clone(),
            jar: HashMap::new(),
            _dir: self._dir.clone(),
        }
    }

    async fn send(&mut self, req: axum::http::request::Builder, body: Body) -> Response {
        let cookie: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut req = req.header(header::USER_AGENT, "test-browser/1.0");
        if !cookie.is_empty() {
            req = req.header(header::COOKIE, cookie.join("; "));
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(body).expect("request"))
            .await
            .expect("infallible router");
        for v in res.headers().get_all(header::SET_COOKIE) {
            let c = cookie::Cookie::parse(v.to_str().expect("ascii cookie").to_string())
                .expect("valid Set-Cookie");
            if c.max_age() == Some(cookie::time::Duration::ZERO) {
                self.jar.remove(c.name());
            } else {
                self.jar.insert(c.name().to_string(), c.value().to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Request::get(path), Body::empty()).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(form).expect("form");
        self.send(
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(body),
        )
        .await
    }

    /// Activation of an adult from the register, with e-mail and mobile confirmed by code.
    pub async fn activate(&mut self, nir: &str, birth: &str, vitale: &str, identifier: &str) {
        let code = directory::accounts::reset_code(&self.state.db, nir)
            .await
            .expect("provisional code");
        let csrf = self.get("/activation").await.csrf();
        let r = self
            .post(
                "/activation",
                &[
                    ("csrf", &csrf),
                    ("nir", nir),
                    ("date_naissance", birth),
                    ("numero_vitale", vitale),
                    ("code_provisoire", &code),
                    ("action", "activer"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/activation/compte");
        let page = self.get("/activation/compte").await;
        let email = format!("{identifier}@courriel.example");
        let mobile = "06 11 22 33 44";
        let before = self.sink.count_to(&email);
        let r = self
            .post(
                "/activation/compte",
                &[
                    ("csrf", &page.csrf()),
                    ("identifiant", identifier),
                    ("mot_de_passe", PASSWORD),
                    ("confirmation", PASSWORD),
                    ("email", &email),
                    ("mobile", mobile),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let email_code = self.sink.code(&email, before + 1);
        let sms_code = last_sms_code(&self.sms_path, "+33611223344");
        let page = self.get("/activation/confirmation").await;
        let r = self
            .post(
                "/activation/confirmation",
                &[
                    ("csrf", &page.csrf()),
                    ("code_email", &email_code),
                    ("code_sms", &sms_code),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Votre compte est activé"), "{}", r.body);
    }

    /// Identifier + password + the e-mailed code; returns the final response (303 to /messages).
    pub async fn login(&mut self, identifier: &str, password: &str) -> Response {
        let email = format!("{identifier}@courriel.example");
        let before = self.sink.count_to(&email);
        let csrf = self.get("/connexion").await.csrf();
        let r = self
            .post(
                "/connexion",
                &[
                    ("csrf", &csrf),
                    ("identifiant", identifier),
                    ("mot_de_passe", password),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/connexion/code");
        let code = self.sink.code(&email, before + 1);
        let page = self.get("/connexion/code").await;
        self.post(
            "/connexion/code",
            &[("csrf", &page.csrf()), ("code", &code)],
        )
        .await
    }
}
