//! The professional DMP API over the real HTTPS port with `curl --cert` (a client we did not
//! write): a physician's personal certificate lists and reads a patient's documents; without a
//! certificate the API answers 401; break-glass without a justification is refused; the
//! patient's history shows the read.
//!
//! Needs `dmp_bridge::api::router` merged into the HTTPS app in `src/cli/serve/https.rs`
//! (lead's wiring): `webmail::router(state).merge(dmp_bridge::api::router(dmp))`.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{FIXTURES, Space, path_str, wait_for_port};

const CAMILLE: &str = "240013700100130";
const DOCTOR: &str = "lea.rousseau@medecin.mssante.example";
const DOCTOR_RPPS: &str = "10693719556";

fn curl(
    s: &Space,
    cert: Option<(&std::path::Path, &std::path::Path)>,
    path: &str,
) -> (u16, String) {
    let mut c = Command::new("curl");
    c.args(["--silent", "--show-error", "--max-time", "10"])
        .args(["--cacert", path_str(&s.ca_bundle())])
        .args([
            "--resolve",
            &format!("mx.mssante.example:{}:127.0.0.1", s.https),
        ])
        .args(["--write-out", "\n%{http_code}"]);
    if let Some((cert, key)) = cert {
        c.args(["--cert", path_str(cert), "--key", path_str(key)]);
    }
    let out = c
        .arg(format!("https://mx.mssante.example:{}{path}", s.https))
        .output()
        .expect("curl is required (apt-get install curl)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

#[test]
fn physician_reads_with_a_personal_certificate() {
    let mut s = Space::new(None);
    s.ok(&[
        "dmp",
        "file-xdm",
        CAMILLE,
        &format!("{FIXTURES}/xdm/IHE_XDM.ZIP"),
    ]);
    let (cert, key) = s.person_cert(DOCTOR, DOCTOR_RPPS, "Léa ROUSSEAU");
    s.start();
    wait_for_port(s.https, Duration::from_secs(30));
    let docs = format!("/api/dmp/v1/patients/{CAMILLE}/documents");

    let (code, body) = curl(&s, None, &docs);
    assert_eq!(code, 401, "{body}\n{}", s.server_log());

    let (code, body) = curl(&s, Some((&cert, &key)), &docs);
    assert_eq!(code, 200, "{body}\n{}", s.server_log());
    let v: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let list = v["documents"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 2, "{body}");
    let id = list[0]["id"].as_i64().expect("id");
    let (code, body) = curl(&s, Some((&cert, &key)), &format!("{docs}/{id}/content"));
    assert_eq!(code, 200);
    assert!(!body.is_empty());

    let (code, body) = curl(&s, Some((&cert, &key)), &format!("{docs}?mode=break_glass"));
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("justification"), "{body}");

    let history = s.ok(&["dmp", "history", CAMILLE, "--json"]);
    assert!(
        history.contains("read_document") && history.contains(DOCTOR_RPPS),
        "{history}"
    );
    s.kill();
}
