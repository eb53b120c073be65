//! IMAP compliance on the wire (tests/clients/imap_compliance.py, a raw TLS client): exact
//! FETCH sections of nested MIME, ENVELOPE encoding, SEARCH on address fields, SORT, THREAD,
//! two sessions on one mailbox (expunges, flags, pipelining), COPY/MOVE with UIDPLUS codes,
//! CREATE of nested names, and a seeded stress of four concurrent pipelined sessions whose every
//! response is checked against what each session knows (imaptest's stress-mode state checks,
//! tests/clients/imap_compliance_stress.py). The real binary, on SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{Space, SpaceOptions, path_str, wait_for_port};

const USER: &str = "camille.martin@medecin.mssante.example";
const PASSWORD: &str = "Ordonnance-Securisee-2026!";
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/imap_compliance.py"
);

fn start(database_url: Option<&str>) -> Space {
    let mut s = Space::with(SpaceOptions {
        database_url: database_url.map(str::to_string),
        ..SpaceOptions::default()
    });
    s.set_password(USER, PASSWORD);
    s.start();
    wait_for_port(s.imaps, Duration::from_secs(30));
    s
}

fn compliance(s: &Space) {
    let args = [
        SCRIPT,
        "--imaps",
        &s.imaps.to_string(),
        "--cafile",
        path_str(&s.ca_bundle()),
        "--user",
        USER,
        "--password",
        PASSWORD,
    ]
    .map(str::to_string);
    let v = s.python_report("imap_compliance.py", &args);
    assert!(v["checks"].as_u64().unwrap_or(0) > 50, "{v}");
}

#[test]
fn imap_compliance_on_sqlite() {
    compliance(&start(None));
}

#[test]
fn imap_compliance_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    compliance(&start(Some(pg.url())));
}
