//! IMAP compliance on the wire (tests/clients/imap_compliance.py, a raw TLS client): exact
//! FETCH sections of nested MIME, ENVELOPE encoding, SEARCH on address fields, SORT, THREAD,
//! two sessions on one mailbox (expunges, flags, pipelining), COPY/MOVE with UIDPLUS codes,
//! CREATE of nested names. The real binary, on SQLite and PostgreSQL.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
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
    let mut child = Command::new(common::BIN)
        .args(["account", "set-password", USER])
        .env("SANTEMAIL_CONFIG", &s.config)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{PASSWORD}").expect("write password");
    }
    assert!(child.wait().expect("wait").success());
    s.start();
    wait_for_port(s.imaps, Duration::from_secs(30));
    s
}

fn compliance(s: &Space) {
    let out = Command::new("python3")
        .arg(SCRIPT)
        .args(["--imaps", &s.imaps.to_string()])
        .args(["--cafile", path_str(&s.ca_bundle())])
        .args(["--user", USER, "--password", PASSWORD])
        .output()
        .expect("python3 is required for the IMAP tests");
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(last).unwrap_or_else(|e| {
        panic!(
            "imap_compliance.py printed no JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        v["failures"],
        serde_json::json!([]),
        "imap_compliance.py: {v}\nserver log:\n{}",
        s.server_log()
    );
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
