//! `santemail demo` (issue 8): the first command a newcomer runs. It builds its folder from data
//! compiled into the binary, prints the identities, and serves every listener; a mail client
//! (imaplib, smtplib) and the webmail work with what the table says.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{BIN, wait_for_port};

/// A port offset whose six demo ports are all free on this machine.
fn free_offset() -> u16 {
    let bases = [2525u16, 2587, 2465, 2143, 2993, 8443];
    (1000u16..50000)
        .step_by(97)
        .find(|off| {
            bases
                .iter()
                .all(|b| std::net::TcpListener::bind(("127.0.0.1", b + off)).is_ok())
        })
        .expect("six free ports")
}

#[test]
fn demo_builds_prints_the_table_and_serves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo = dir.path().join("demo");
    let offset = free_offset();
    let out = Command::new(BIN)
        .args(["demo", "--dir"])
        .arg(&demo)
        .args(["--port-offset", &offset.to_string(), "--setup-only"])
        .output()
        .expect("santemail demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    for who in [
        "camille.martin@medecin.mssante.example",
        "hugo.le-gall@infirmier.mssante.example",
        "du-centre-37000@pharmacie.mssante.example",
        "automate@labo-bio.mssante.example",
        "240013700100130",
        "demo-medecin-2026",
    ] {
        assert!(
            table.contains(who),
            "{who} missing from the table:\n{table}"
        );
    }
    assert!(
        demo.join("p12/camille.martin@medecin.mssante.example.p12")
            .exists(),
        "no .p12 for the doctor"
    );

    // The service catalogue is there, from the sample compiled into the binary.
    let list = Command::new(BIN)
        .args(["catalogue", "list", "--json"])
        .env("SANTEMAIL_CONFIG", demo.join("santemail.toml"))
        .output()
        .expect("santemail catalogue list");
    let services: serde_json::Value =
        serde_json::from_slice(&list.stdout).expect("catalogue list --json");
    assert_eq!(
        services.as_array().map(Vec::len),
        Some(13),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );

    // A second run reuses the folder and serves.
    let log = std::fs::File::create(dir.path().join("demo.log")).expect("log");
    let mut child = Command::new(BIN)
        .args(["demo", "--dir"])
        .arg(&demo)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("santemail demo");
    let imaps = 2993 + offset;
    wait_for_port(imaps, Duration::from_secs(30));
    wait_for_port(8443 + offset, Duration::from_secs(30));
    // The doctor logs in over IMAPS with the password from the table.
    let script = format!(
        "import imaplib, ssl\n\
         ctx = ssl.create_default_context(cafile='{ca}')\n\
         ctx.check_hostname = False\n\
         m = imaplib.IMAP4_SSL('127.0.0.1', {imaps}, ssl_context=ctx)\n\
         m.login('camille.martin@medecin.mssante.example', 'demo-medecin-2026')\n\
         print(m.select('INBOX')[0])\n\
         m.logout()\n",
        ca = demo.join("data/pki/ca-bundle.pem").display(),
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "OK",
        "IMAP login with the demo password failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.path().join("demo.log")).unwrap_or_default()
    );
}
