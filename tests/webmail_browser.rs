//! The citizen's journey in a real browser (issue 6): headless Chromium driven over WebDriver
//! (Selenium) against the real binary — activation with the codes read from a real SMTP sink and
//! the SMS file, login with a one-time code, reading and answering a doctor who wrote first, a
//! reply refused after `X-MSS-MES: FIN`, a prescription sent to a pharmacy (which reads it over
//! IMAP), then closing the account after downloading the export; mail to the address is then
//! refused. Screenshots of each page are kept in `target/test-artifacts/webmail-browser/`.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::browser::{Sink, artifacts, provisional_code, run_script, server_spki, tiny_png};
use common::{Smtp, Space, SpaceOptions, path_str, wait_for_port};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";
const NIR: &str = "240013700100130";
const BROWSER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/webmail_browser.py"
);
const IMAP_CHECK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/imap_check.py");

#[test]
fn citizen_journey_in_chromium() {
    let work = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start(&work.path().join("sink"));
    let sms = work.path().join("sms.log");
    let mut space = Space::with(SpaceOptions {
        webmail_extra: sink.webmail_config(&sms),
        ..SpaceOptions::default()
    });
    let (cert, key) = space.person_cert(DOCTOR, "10284642892", "Camille MARTIN");
    space.start();
    wait_for_port(space.https, Duration::from_secs(30));
    wait_for_port(space.imaps, Duration::from_secs(30));

    let shots = artifacts("webmail-browser");
    let attachment = work.path().join("ordonnance.png");
    std::fs::write(&attachment, tiny_png()).expect("png");
    let plan = serde_json::json!({
        "base_url": format!("https://localhost:{}", space.https),
        "server_spki": server_spki(&space),
        "profile_dir": work.path().join("chromium-profile"),
        "screenshots": shots,
        "downloads": work.path().join("downloads"),
        "sink_dir": sink.dir,
        "sms_file": sms,
        "nir": NIR,
        "birth_date": "1940-01-01",
        "vitale": "21132624",
        "provisional_code": provisional_code(&space, NIR),
        "identifier": "camille.martin",
        "password": "une phrase de passe solide",
        "personal_email": "camille.perso@courriel.example",
        "mobile": "06 12 34 00 00",
        "mobile_e164": "+33612340000",
        "citizen_address": format!("{NIR}@patient.mssante.example"),
        "doctor": DOCTOR,
        "doctor_cert": cert,
        "doctor_key": key,
        "ca_bundle": space.ca_bundle(),
        "submission_port": space.submission,
        "pharmacy_query": "37000",
        "attachment": attachment,
    });
    let steps = run_script(BROWSER, &plan, work.path(), &space);
    let step = |name: &str| steps.get(name);
    let fin = step("fin");
    assert_eq!(fin["notice"], true, "{fin}");
    assert_eq!(fin["refused"], true, "{fin}");
    assert!(
        fin["text"]
            .as_str()
            .unwrap_or("")
            .contains("ne peut pas recevoir de réponse"),
        "{fin}"
    );

    // The pharmacy reads the prescription over IMAP with its own certificate.
    let (org_cert, org_key) = org_cert(&space);
    let imap = Command::new("python3")
        .args([
            IMAP_CHECK,
            "--port",
            &space.imaps.to_string(),
            "--ca",
            path_str(&space.ca_bundle()),
            "--cert",
            path_str(&org_cert),
            "--key",
            path_str(&org_key),
            "--subject",
            "Ordonnance",
        ])
        .output()
        .expect("python3");
    let found: serde_json::Value = serde_json::from_slice(&imap.stdout).unwrap_or_else(|_| {
        panic!(
            "imap_check: {}\n{}",
            String::from_utf8_lossy(&imap.stdout),
            String::from_utf8_lossy(&imap.stderr)
        )
    });
    assert_eq!(found["found"], true, "{found}");
    assert_eq!(found["has_attachment"], true, "{found}");

    // The export is an mbox with the doctor's messages.
    let closed = step("closed");
    let export = std::fs::read(closed["export"].as_str().unwrap_or("")).expect("export file");
    let export = String::from_utf8_lossy(&export);
    assert!(
        export.starts_with("From "),
        "not an mbox: {}",
        &export[..export.len().min(200)]
    );
    assert!(
        export.contains("Vos r"),
        "the doctor's message is missing from the export"
    );

    // The mailbox has left the live space: mail to it is refused.
    let r = Smtp::submission(&space)
        .cert(&cert, &key)
        .from(DOCTOR)
        .to(&format!("{NIR}@patient.mssante.example"))
        .text(&format!(
            "From: {DOCTOR}\r\nTo: {NIR}@patient.mssante.example\r\nSubject: Encore\r\n\r\nBonjour\r\n"
        ))
        .send();
    let citizen = format!("{NIR}@patient.mssante.example");
    let code = r["rcpt"][citizen.as_str()][0].as_u64().unwrap_or(0);
    assert!((500..600).contains(&code), "mail to a closed account: {r}");
}

fn org_cert(space: &Space) -> (PathBuf, PathBuf) {
    space.ok(&[
        "certs",
        "issue",
        "org",
        "--dir",
        path_str(&space.pki()),
        "--email",
        PHARMACY,
        "--structure",
        "379836900",
        "--name",
        "PHARMACIE DU CENTRE",
    ]);
    (
        space.pki().join("org").join(format!("{PHARMACY}.pem")),
        space.pki().join("org").join(format!("{PHARMACY}.key")),
    )
}
