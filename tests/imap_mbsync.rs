//! mbsync (isync), a client we did not write, syncing a mailbox both ways with the IMAP server:
//! messages delivered by SMTP come down, a message written locally goes up (APPEND), a flag set
//! locally reaches the server (STORE), and a last run finds nothing to do.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Smtp, Space, path_str, wait_for_port};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const PASSWORD: &str = "Ordonnance-Securisee-2026!";
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/imap_scenario.py"
);

/// INBOX's MESSAGES, UNSEEN and HIGHESTMODSEQ as the server sees them (through imaplib).
fn server_counts(s: &Space) -> (i64, i64, i64) {
    let args = [
        SCRIPT,
        "count",
        "--imaps",
        &s.imaps.to_string(),
        "--cafile",
        path_str(&s.ca_bundle()),
        "--user",
        DOCTOR,
        "--password",
        PASSWORD,
    ]
    .map(str::to_string);
    let v = s.python_report("imap_scenario.py count", &args);
    let n = |k: &str| v[k].as_i64().unwrap_or(-1);
    (n("messages"), n("unseen"), n("highestmodseq"))
}

fn mbsync(config: &Path) -> String {
    let out = Command::new("mbsync")
        .args(["-V", "-c", path_str(config), "-a"])
        .output()
        .expect("mbsync is required (apt-get install isync)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "mbsync failed:\n{text}");
    text
}

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            for e in rd.flatten() {
                out.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn mbsync_syncs_both_ways_and_a_second_run_has_nothing_to_do() {
    let mut s = Space::new(None);
    s.set_password(DOCTOR, PASSWORD);
    s.start();
    wait_for_port(s.imaps, Duration::from_secs(30));
    for i in 1..=2 {
        let text =
            format!("From: {DOCTOR}\r\nTo: {DOCTOR}\r\nSubject: Bilan {i}\r\n\r\nBilan {i}.\r\n");
        let r = Smtp::submissions(&s)
            .login(DOCTOR, PASSWORD)
            .from(DOCTOR)
            .to(DOCTOR)
            .text(&text)
            .send();
        assert_eq!(r["data"], 250, "{r}");
    }
    let maildir = s.path("maildir");
    let state = s.path("mbsync-state");
    std::fs::create_dir_all(&maildir).expect("maildir");
    std::fs::create_dir_all(&state).expect("state dir");
    // mbsync trusts a server certificate listed in CertificateFile whatever the host name.
    let server_cert = s.pki().join("servers").join("mssante.example.pem");
    let config = s.path("mbsyncrc");
    std::fs::write(
        &config,
        format!(
            "IMAPAccount santemail\nHost 127.0.0.1\nPort {port}\nUser {DOCTOR}\nPass {PASSWORD}\n\
             SSLType IMAPS\nCertificateFile {cert}\nAuthMechs PLAIN\n\n\
             IMAPStore remote\nAccount santemail\n\n\
             MaildirStore local\nPath {dir}/\nInbox {dir}/INBOX\nSubFolders Verbatim\n\n\
             Channel sync\nFar :remote:\nNear :local:\nPatterns INBOX Sent\nCreate Both\n\
             Expunge Both\nSyncState {state}/\nSync All\n",
            port = s.imaps,
            cert = path_str(&server_cert),
            dir = path_str(&maildir),
            state = path_str(&state),
        ),
    )
    .expect("mbsyncrc");

    // 1. Down: both delivered messages arrive in the Maildir.
    mbsync(&config);
    let inbox = maildir.join("INBOX");
    let pulled = files(&inbox);
    assert_eq!(pulled.len(), 2, "{pulled:?}\n{}", s.server_log());
    assert_eq!(server_counts(&s).0, 2);

    // 2. Up: a message written locally, and \Seen set locally on a pulled one.
    let local =
        "From: a@b.example\r\nTo: c@d.example\r\nSubject: local\r\n\r\nEcrit hors ligne.\r\n";
    std::fs::write(inbox.join("new").join("1700000000.local.host"), local).expect("local message");
    let first = &pulled[0];
    let (sub, name) = first.split_once('/').unwrap_or(("new", first));
    let base = name.split(":2,").next().unwrap_or(name);
    std::fs::rename(
        inbox.join(sub).join(name),
        inbox.join("cur").join(format!("{base}:2,S")),
    )
    .expect("mark seen");
    mbsync(&config);
    let (messages, unseen, modseq) = server_counts(&s);
    assert_eq!(
        messages,
        3,
        "local message not uploaded\n{}",
        s.server_log()
    );
    assert_eq!(
        unseen, 2,
        "local \\Seen not propagated (the uploaded one is unseen too)"
    );

    // 3. Nothing left to do: the server does not change, nor the Maildir.
    let before = files(&inbox);
    mbsync(&config);
    assert_eq!(files(&inbox), before);
    let again = server_counts(&s);
    assert_eq!(
        again,
        (messages, unseen, modseq),
        "second run changed the server"
    );
}
