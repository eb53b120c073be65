//! Crash safety (DESIGN §5, "durable before acknowledged"): while 20 connections send, the server
//! is killed with SIGKILL; after a restart every message that got `250` is stored exactly once and
//! byte for byte. Repeated several times on the same store.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use common::{Space, path_str};

const FROM: &str = "camille.martin@medecin.mssante.example";
const TO: &str = "lea.rousseau@medecin.mssante.example";

/// The message as the client sent it: our `Received:` header (and its folded lines) removed.
fn strip_received(stored: &[u8]) -> &[u8] {
    let mut rest = stored;
    loop {
        let is_trace = rest.starts_with(b"Received:")
            || (rest.first().is_some_and(|c| *c == b' ' || *c == b'\t') && rest != stored);
        if !is_trace {
            return rest;
        }
        match rest.windows(2).position(|w| w == b"\r\n") {
            Some(p) => rest = &rest[p + 2..],
            None => return rest,
        }
    }
}

fn token_of(message: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(message);
    text.lines()
        .find_map(|l| l.strip_prefix("Subject: charge "))
        .map(|t| t.trim().to_string())
}

fn run_crash_rounds(mut space: Space, rounds: usize) {
    let (cert, key) = space.person_cert(FROM, "10284642892", "Camille MARTIN");
    let acked = space.path("acked");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/smtp_load.py");
    for round in 0..rounds {
        space.start();
        let mut load = Command::new("python3")
            .args([
                script,
                "--port",
                &space.submission.to_string(),
                "--cafile",
                path_str(&space.ca_bundle()),
                "--cert",
                path_str(&cert),
                "--key",
                path_str(&key),
                "--from",
                FROM,
                "--to",
                TO,
                "--acked",
                path_str(&acked),
                "--threads",
                "20",
                "--seconds",
                "20",
                "--max",
                "1000",
            ])
            .spawn()
            .expect("python3 is required");
        std::thread::sleep(Duration::from_millis(1500 + 300 * round as u64));
        space.kill(); // SIGKILL, mid-transaction for most of the 20 connections
        let status = load.wait().expect("load client");
        assert!(status.success(), "load client failed");
    }
    let sent: HashMap<String, Vec<u8>> = std::fs::read_dir(&acked)
        .expect("no message was acknowledged at all")
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".eml")
                .to_string();
            (name, std::fs::read(e.path()).expect("read acked"))
        })
        .collect();
    assert!(
        sent.len() >= 20,
        "too few acknowledged messages to mean anything: {}",
        sent.len()
    );

    let dump = space.path("dump");
    space.ok(&["mailbox", "dump", TO, "--out", path_str(&dump)]);
    let mut stored: HashMap<String, Vec<Vec<u8>>> = HashMap::new();
    for e in std::fs::read_dir(&dump)
        .expect("dump")
        .filter_map(|e| e.ok())
    {
        let bytes = std::fs::read(e.path()).expect("read dump");
        if let Some(t) = token_of(&bytes) {
            stored.entry(t).or_default().push(bytes);
        }
    }
    for (token, original) in &sent {
        let copies = stored.get(token).map(Vec::len).unwrap_or(0);
        assert_eq!(
            copies, 1,
            "acknowledged message {token} stored {copies} times"
        );
        let copy = &stored[token][0];
        assert_eq!(
            strip_received(copy),
            original.as_slice(),
            "message {token} differs"
        );
    }
    for (token, copies) in &stored {
        assert_eq!(copies.len(), 1, "message {token} stored twice");
    }
}

#[test]
fn acknowledged_messages_survive_kill_9_on_sqlite() {
    run_crash_rounds(Space::new(None), 3);
}

#[test]
fn acknowledged_messages_survive_kill_9_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    run_crash_rounds(Space::new(Some(pg.url())), 3);
    drop(pg);
}
