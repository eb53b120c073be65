//! Shared set-up of the mail handler tests: a real database (SQLite or PostgreSQL through
//! `store::testing`), the national fixtures imported, an active citizen with a live session, the
//! real delivery pipeline, and the webmail router driven with `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use smtp::ListenerKind;
use smtp::pipeline::{Envelope, Notify, Principal, Received, Recipient, Route};
use store::Backend;
use store::testing::TestDb;
use tower::ServiceExt;
use webmail::AppState;
use webmail::clock::SystemClock;
use webmail::notify::{FileSms, Notifier, RelayConfig};
use webmail::settings::WebmailSettings;

pub const CITIZEN: &str = "240013700100130@patient.mssante.example";
pub const CITIZEN_NIR: &str = "240013700100130";
pub const DOCTOR: &str = "camille.martin@medecin.mssante.example";
pub const CARDIO: &str = "lea.rousseau@medecin.mssante.example";
pub const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";
pub const CITIZEN_DOMAIN: &str = "patient.mssante.example";

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}

pub struct Harness {
    pub state: AppState,
    pub router: Router,
    pub cookie: String,
    pub csrf: String,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

pub async fn harness(backend: Backend) -> Harness {
    harness_with(backend, WebmailSettings::default()).await
}

pub async fn harness_with(backend: Backend, settings: WebmailSettings) -> Harness {
    let test_db = TestDb::new(backend).await.expect("test database");
    let db = test_db.db().clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut codes = directory::accounts::CodesWriter::create(&dir.path().join("codes.csv"))
        .expect("codes file");
    for f in [
        "annuaire/Extraction_Correspondance_MSSante_202611200300.txt",
        "annuaire/PS_LibreAcces_Personne_activite_202611200300.txt",
        "listeblanche/listeblanchemssante.xml",
        "citizens/assures.csv",
    ] {
        let mut opts = directory::ImportOptions::new(CITIZEN_DOMAIN);
        opts.codes = Some(&mut codes);
        directory::import_file(&db, &fixture(f), &mut opts)
            .await
            .unwrap_or_else(|e| panic!("import {f}: {e}"));
    }
    directory::accounts::apply(&db, CITIZEN_NIR, directory::accounts::Action::Activate)
        .await
        .expect("activate");
    let blobs = store::BlobStore::open(dir.path().join("blobs"))
        .await
        .expect("blobs");
    let batcher = store::deliver::DeliveryBatcher::start(
        db.clone(),
        store::deliver::BatchConfig::for_backend(db.backend()),
    );
    let pipeline = smtp::Pipeline {
        db: db.clone(),
        blobs: blobs.clone(),
        batcher,
        domains: smtp::LocalDomains {
            citizen: CITIZEN_DOMAIN.into(),
            professional: vec![
                "medecin.mssante.example".into(),
                "pharmacie.mssante.example".into(),
            ],
        },
        hostname: "mx.test.example".into(),
        queue_lifetime: std::time::Duration::from_secs(3600),
    };
    let sms = FileSms {
        path: dir.path().join("sms.log"),
    };
    let notifier = Notifier::new(&RelayConfig::default(), Arc::new(sms), "https://localhost")
        .expect("notifier");
    let notifier = Arc::new(notifier);
    let dmp = webmail::documents::service(
        db.clone(),
        blobs.clone(),
        &dmp_bridge::DmpConfig::default(),
        notifier.clone(),
    );
    let state = AppState {
        db: db.clone(),
        blobs,
        pipeline: Arc::new(pipeline),
        settings: Arc::new(settings),
        notifier,
        clock: Arc::new(SystemClock),
        dmp,
    };
    let (token, session) =
        webmail::security::session::create(&state, CITIZEN, "127.0.0.1", "tests")
            .await
            .expect("session");
    let router = axum::Router::new()
        .merge(webmail::routes::home::routes())
        .merge(webmail::routes::catalogue::routes())
        .merge(webmail::routes::app::routes())
        .with_state(state.clone());
    Harness {
        state,
        router,
        cookie: format!("{}={token}", webmail::security::cookies::SESSION),
        csrf: session.csrf,
        _db: test_db,
        _dir: dir,
    }
}

impl Harness {
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .expect("request");
        self.send(req).await
    }

    /// POSTs an urlencoded form; `fields` are already encoded.
    pub async fn post_form(&self, uri: &str, fields: &str) -> Answer {
        let req = Request::post(uri)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(fields.to_string()))
            .expect("request");
        self.send(req).await
    }

    /// POSTs a multipart form: text fields, then an optional file `(field, name, type, bytes)`.
    pub async fn post_multipart(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &str, &[u8])>,
    ) -> Answer {
        let boundary = "----santemail-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((field, name, ctype, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; \
                     filename=\"{name}\"\r\nContent-Type: {ctype}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(uri)
            .header(header::COOKIE, &self.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Delivers `raw` from a professional address to `to` through the real pipeline (as SMTP
    /// submission would), which records the citizen's conversation permit.
    pub async fn deliver_from(&self, from: &str, to: &str, raw: &str) {
        let env = Envelope {
            mail_from: from.into(),
            recipients: vec![Recipient {
                address: to.into(),
                route: Route::Local,
                orcpt: None,
                notify: Notify::default(),
            }],
            smtputf8: true,
            dsn_ret_full: false,
            dsn_envid: None,
            authenticated: Some(Principal {
                login: from.into(),
                may_send_as: vec![from.into()],
            }),
        };
        let hop = Received {
            helo: "cabinet.test".into(),
            peer: "127.0.0.1:1".parse().expect("addr"),
            tls: None,
            authenticated: true,
            listener: ListenerKind::Submission,
        };
        self.state
            .pipeline
            .deliver(&env, &hop, raw.as_bytes().to_vec())
            .await
            .expect("delivered");
    }

    /// UIDs in `folder` (store name) of `account`, ascending.
    pub async fn uids(&self, account: &str, folder: &str) -> Vec<u32> {
        match self
            .state
            .db
            .find_mailbox(account, folder)
            .await
            .expect("mailbox")
        {
            Some(mb) => self.state.db.uids(mb.id).await.expect("uids"),
            None => Vec::new(),
        }
    }

    /// The raw messages in `folder` of `account`.
    pub async fn messages(&self, account: &str, folder: &str) -> Vec<String> {
        let Some(mb) = self
            .state
            .db
            .find_mailbox(account, folder)
            .await
            .expect("mailbox")
        else {
            return Vec::new();
        };
        let metas = self
            .state
            .db
            .fetch_messages(mb.id, &store::UidSet::all(), account)
            .await
            .expect("fetch");
        let mut out = Vec::new();
        for m in metas {
            let raw = self.state.blobs.get(&m.blob).await.expect("blob");
            out.push(String::from_utf8_lossy(&raw).into_owned());
        }
        out
    }
}

/// A plain professional message.
pub fn pro_message(from: &str, subject: &str, body: &str, extra_headers: &str) -> String {
    format!(
        "From: \"Dr Camille Martin\" <{from}>\r\nTo: {CITIZEN}\r\nSubject: {subject}\r\n\
         Date: Wed, 18 Nov 2026 09:30:00 +0100\r\nMessage-ID: <{}@medecin.mssante.example>\r\n\
         {extra_headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        subject.len() * 7919 + body.len()
    )
}
