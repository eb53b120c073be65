//! The IMAP server end to end, with clients we did not write: Python's imaplib over every command
//! (tests/clients/imap_scenario.py), STARTTLS on the plain port, bad input, two sessions seeing each
//! other's changes, an SMTP delivery waking an IDLE session, a shared ORG mailbox with per-user
//! `\Seen`, and curl over IMAPS with a client certificate (a revoked one refused at the
//! handshake). On SQLite and PostgreSQL.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Smtp, Space, SpaceOptions, path_str, wait_for_port};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const DOCTOR_RPPS: &str = "10284642892";
const PHARMACIST: &str = "noe.blanc@pharmacien.mssante.example";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";
const PASSWORD: &str = "Ordonnance-Securisee-2026!";
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/imap_scenario.py"
);

fn start(database_url: Option<&str>) -> Space {
    let mut s = Space::with(SpaceOptions {
        database_url: database_url.map(str::to_string),
        ..SpaceOptions::default()
    });
    for who in [DOCTOR, PHARMACIST, PHARMACY] {
        s.set_password(who, PASSWORD);
    }
    s.start();
    wait_for_port(s.imaps, Duration::from_secs(30));
    wait_for_port(s.imap, Duration::from_secs(30));
    s
}

/// Arguments every scenario needs.
fn base_args(s: &Space, mode: &str) -> Vec<String> {
    vec![
        SCRIPT.to_string(),
        mode.to_string(),
        "--imaps".into(),
        s.imaps.to_string(),
        "--imap".into(),
        s.imap.to_string(),
        "--cafile".into(),
        path_str(&s.ca_bundle()).to_string(),
    ]
}

fn run_scenario(s: &Space, mode: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = base_args(s, mode);
    args.extend(extra.iter().map(|a| a.to_string()));
    s.python_report(&format!("imap_scenario.py {mode}"), &args)
}

fn journey(s: Space) {
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    // Every command, authenticated by the client certificate (AUTHENTICATE EXTERNAL).
    run_scenario(
        &s,
        "full",
        &["--cert", path_str(&cert), "--key", path_str(&key)],
    );
    run_scenario(&s, "starttls", &["--user", DOCTOR, "--password", PASSWORD]);
    run_scenario(&s, "negative", &["--user", PHARMACIST]);
    run_scenario(&s, "two", &["--user", DOCTOR, "--password", PASSWORD]);
    run_scenario(&s, "extended", &["--user", DOCTOR, "--password", PASSWORD]);
    run_scenario(&s, "rev2", &["--user", DOCTOR, "--password", PASSWORD]);
    run_scenario(
        &s,
        "org",
        &[
            "--user",
            PHARMACIST,
            "--password",
            PASSWORD,
            "--other-user",
            PHARMACY,
            "--other-password",
            PASSWORD,
        ],
    );
    idle_wakes_on_smtp_delivery(&s, &cert, &key);
}

/// A message submitted over SMTP reaches an IDLE session within a second (DESIGN §3 step 6).
fn idle_wakes_on_smtp_delivery(s: &Space, cert: &std::path::Path, key: &std::path::Path) {
    let mut args = base_args(s, "idle");
    args.extend(["--user", DOCTOR, "--password", PASSWORD, "--timeout", "5"].map(String::from));
    let mut child = Command::new("python3")
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    assert_eq!(first, "IDLING", "idle client did not start IDLE");
    let text = format!("From: {DOCTOR}\r\nTo: {DOCTOR}\r\nSubject: IDLE\r\n\r\nNouveau.\r\n");
    let r = Smtp::submission(s)
        .cert(cert, key)
        .flag("--external")
        .from(DOCTOR)
        .to(DOCTOR)
        .text(&text)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    let delivered = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let last = lines.last().and_then(Result::ok).unwrap_or_default();
    let _ = child.wait();
    let v: serde_json::Value = serde_json::from_str(&last).expect("idle JSON");
    assert_eq!(v["failures"], serde_json::json!([]), "{v}");
    // From the end of the SMTP transaction (the 250 means committed) to the EXISTS: the client
    // may read the EXISTS even before smtplib has finished QUIT, hence possibly negative.
    let delay = v["exists_at"].as_f64().unwrap_or(f64::MAX) - delivered;
    assert!(
        delay < 1.0,
        "EXISTS arrived {delay:.3} s after the delivery"
    );
}

#[test]
fn imap_commands_with_real_clients_on_sqlite() {
    journey(start(None));
}

#[test]
fn imap_commands_with_real_clients_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    journey(start(Some(pg.url())));
}

fn curl(
    s: &Space,
    cert: &std::path::Path,
    key: &std::path::Path,
    url: &str,
) -> std::process::Output {
    Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10"])
        .args(["--cacert", path_str(&s.ca_bundle())])
        .args(["--cert", path_str(cert), "--key", path_str(key)])
        .args([
            "--resolve",
            &format!("mx.mssante.example:{}:127.0.0.1", s.imaps),
        ])
        .args([
            "--login-options",
            "AUTH=EXTERNAL",
            "-u",
            &format!("{DOCTOR}:"),
        ])
        .arg(url)
        .output()
        .expect("curl is required (apt-get install curl)")
}

#[test]
fn curl_reads_a_message_with_a_client_certificate_and_a_revoked_one_is_refused() {
    let mut s = start(None);
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    let text = format!("From: {DOCTOR}\r\nTo: {DOCTOR}\r\nSubject: curl\r\n\r\nLu par curl.\r\n");
    let r = Smtp::submission(&s)
        .cert(&cert, &key)
        .flag("--external")
        .from(DOCTOR)
        .to(DOCTOR)
        .text(&text)
        .send();
    assert_eq!(r["data"], 250, "{r}");
    let url = format!("imaps://mx.mssante.example:{}/INBOX;UID=1", s.imaps);
    let out = curl(&s, &cert, &key, &url);
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && body.contains("Lu par curl."),
        "curl: {body}\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        s.server_log()
    );

    s.ok(&[
        "certs",
        "revoke",
        "--dir",
        path_str(&s.pki()),
        path_str(&cert),
    ]);
    s.kill();
    s.start(); // CRLs are read at start
    wait_for_port(s.imaps, Duration::from_secs(30));
    let out = curl(&s, &cert, &key, &url);
    assert!(!out.status.success(), "revoked certificate accepted");
    let log = s.server_log().to_lowercase();
    assert!(log.contains("revoked"), "log should say why:\n{log}");
}
