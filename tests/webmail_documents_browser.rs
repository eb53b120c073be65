//! The citizen's DMP in a real browser (issue 7): headless Chromium (Selenium) against the real
//! binary. A doctor sends two PDFs over SMTP with her certificate; the citizen files both from
//! the message page into her record, hides one from professionals; the doctor lists the record
//! through the professional API on the same HTTPS port with `curl --cert` — the hidden document
//! is absent — and the read appears in "Historique des accès" and in an e-mail to the citizen.
//! Screenshots are kept in `target/test-artifacts/webmail-documents/`.

mod common;

use std::time::Duration;

use common::browser::{Sink, artifacts, provisional_code, run_script, server_spki};
use common::{Space, SpaceOptions, wait_for_port};

const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const DOCTOR_RPPS: &str = "10284642892";
const NIR: &str = "240013700100130";
const PERSONAL: &str = "camille.perso@courriel.example";
const BROWSER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/documents_browser.py"
);

#[test]
fn filing_hiding_and_the_professionals_read_in_chromium() {
    let work = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start(&work.path().join("sink"));
    let sms = work.path().join("sms.log");
    let mut space = Space::with(SpaceOptions {
        webmail_extra: sink.webmail_config(&sms),
        ..SpaceOptions::default()
    });
    let (cert, key) = space.person_cert(DOCTOR, DOCTOR_RPPS, "Camille MARTIN");
    space.start();
    wait_for_port(space.https, Duration::from_secs(30));
    wait_for_port(space.submission, Duration::from_secs(30));

    let plan = serde_json::json!({
        "base_url": format!("https://localhost:{}", space.https),
        "https_port": space.https,
        "server_spki": server_spki(&space),
        "profile_dir": work.path().join("chromium-profile"),
        "screenshots": artifacts("webmail-documents"),
        "downloads": work.path().join("downloads"),
        "sink_dir": sink.dir,
        "sms_file": sms,
        "nir": NIR,
        "birth_date": "1940-01-01",
        "vitale": "21132624",
        "provisional_code": provisional_code(&space, NIR),
        "identifier": "camille.martin",
        "password": "une phrase de passe solide",
        "personal_email": PERSONAL,
        "mobile": "06 12 34 00 00",
        "mobile_e164": "+33612340000",
        "citizen_address": format!("{NIR}@patient.mssante.example"),
        "doctor": DOCTOR,
        "doctor_cert": cert,
        "doctor_key": key,
        "ca_bundle": space.ca_bundle(),
        "submission_port": space.submission,
    });
    let steps = run_script(BROWSER, &plan, work.path(), &space);
    let step = |name: &str| steps.get(name);

    // The category was pre-selected from the file name ("irm" → imagerie, "ordonnance").
    let filed = step("filed");
    assert_eq!(
        filed["categories"],
        serde_json::json!(["imagerie", "ordonnances"]),
        "{filed}"
    );
    let hidden_id = filed["ids"][0].as_i64().expect("id");
    let visible_id = filed["ids"][1].as_i64().expect("id");
    let hidden = step("hidden");
    assert_eq!(hidden["badge"], true, "{hidden}");

    // The doctor's listing: the visible one, not the hidden one.
    let api = step("api");
    let ids: Vec<i64> = api["ids"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    assert!(ids.contains(&visible_id), "{api}");
    assert!(
        !ids.contains(&hidden_id),
        "the hidden document was listed: {api}"
    );

    // The history shows who read, and what.
    let history = step("history");
    let text = history["text"].as_str().unwrap_or("");
    assert!(text.contains("Camille MARTIN"), "{history}");
    assert!(
        text.contains("a consulté la liste de vos documents"),
        "{history}"
    );
    assert!(
        text.contains("a masqué un document aux professionnels"),
        "{history}"
    );

    // And the citizen was told by e-mail, without any document title.
    let notified = step("notified");
    let body = notified["body"].as_str().unwrap_or("");
    assert!(
        body.contains("a consulté la liste de vos documents"),
        "{notified}"
    );
    assert!(!body.contains("IRM du genou"), "{notified}");
}
