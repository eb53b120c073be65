//! The whole space, end to end (issue 8): the real binary, and clients we did not write — smtplib
//! with client certificates (a lab's software, a doctor), imaplib (the doctor, the pharmacist in
//! the shared ORG mailbox), curl for the professional DMP API (the nurse) and a headless Chromium
//! for the citizen (`tests/clients/journey.py`). Runs on SQLite and on PostgreSQL. Screenshots are
//! kept in `target/test-artifacts/journey-<backend>/`.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::browser::{Sink, artifacts, provisional_code, run_script, server_spki, tiny_png};
use common::{FIXTURES, Smtp, Space, SpaceOptions, path_str, wait_for_port};

const NIR: &str = "240013700100130";
const DOCTOR: &str = "camille.martin@medecin.mssante.example";
const NURSE: &str = "hugo.le-gall@infirmier.mssante.example";
const PHARMACIST: &str = "noe.blanc@pharmacien.mssante.example";
const PHARMACY: &str = "du-centre-37000@pharmacie.mssante.example";
const LAB: &str = "automate@labo-bio.mssante.example";
const JOURNEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/journey.py");

/// The categories the nurse's row of the default access matrix allows (dmp-bridge `access.rs`).
const NURSE_CATEGORIES: &[&str] = &[
    "synthese",
    "ordonnances",
    "comptes-rendus",
    "biologie",
    "prevention",
];

#[test]
fn journey_on_sqlite() {
    journey(None, "sqlite");
}

#[test]
fn journey_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    journey(Some(pg.url()), "postgresql");
}

fn issue(space: &Space, args: &[&str]) -> (PathBuf, PathBuf) {
    let out = space.ok(&[
        &["certs", "issue"],
        args,
        &["--dir", path_str(&space.pki())],
    ]
    .concat());
    let _ = out;
    let (kind, email) = (
        args[0],
        args[args.iter().position(|a| *a == "--email").unwrap_or(0) + 1],
    );
    let folder = match kind {
        "org" => "org",
        "app" => "app",
        _ => "personnes",
    };
    let cert = space.pki().join(folder).join(format!("{email}.pem"));
    let key = cert.with_extension("key");
    (cert, key)
}

fn identity(address: &str, (cert, key): (PathBuf, PathBuf)) -> serde_json::Value {
    serde_json::json!({"address": address, "cert": cert, "key": key})
}

fn journey(database_url: Option<&str>, backend: &str) {
    let work = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start(&work.path().join("sink"));
    let sms = work.path().join("sms.log");
    let mut space = Space::with(SpaceOptions {
        database_url: database_url.map(str::to_string),
        webmail_extra: sink.webmail_config(&sms),
        ..SpaceOptions::default()
    });
    // The lab's application mailbox is not in the sample extract: a newer extract with it (an
    // extract is complete — mailboxes missing from it are deactivated).
    let extra = work
        .path()
        .join("Extraction_Correspondance_MSSante_202611210300.txt");
    let extract = std::fs::read_to_string(format!(
        "{FIXTURES}/annuaire/Extraction_Correspondance_MSSante_202611200300.txt"
    ))
    .expect("fixture");
    std::fs::write(
        &extra,
        format!(
            "{}\nAPP|{LAB}||||3|12345678900017|Automate de biologie||||||||||False|LABORATOIRE BIO EXEMPLE||||10|bis|AV|Grammont||37000 TOURS|37000|37|France\n",
            extract.trim_end()
        ),
    )
    .expect("extract");
    space.ok(&["directory", "import", path_str(&extra)]);

    let doctor = issue(
        &space,
        &[
            "person",
            "--email",
            DOCTOR,
            "--rpps",
            "10284642892",
            "--given-name",
            "Camille",
            "--surname",
            "MARTIN",
        ],
    );
    let nurse = issue(
        &space,
        &[
            "person",
            "--email",
            NURSE,
            "--rpps",
            "10799556063",
            "--given-name",
            "Hugo",
            "--surname",
            "LE GALL",
        ],
    );
    let pharmacist = issue(
        &space,
        &[
            "person",
            "--email",
            PHARMACIST,
            "--rpps",
            "10694640702",
            "--given-name",
            "Noé",
            "--surname",
            "BLANC",
        ],
    );
    let lab = issue(
        &space,
        &[
            "app",
            "--email",
            LAB,
            "--structure",
            "siret:12345678900017",
            "--name",
            "Automate de biologie",
        ],
    );
    space.start();
    wait_for_port(space.https, Duration::from_secs(30));
    wait_for_port(space.imaps, Duration::from_secs(30));

    let shots = artifacts(&format!("journey-{backend}"));
    let photo = work.path().join("ordonnance.png");
    std::fs::write(&photo, tiny_png()).expect("png");
    let plan = serde_json::json!({
        "base_url": format!("https://localhost:{}", space.https),
        "server_spki": server_spki(&space),
        "profile_dir": work.path().join("chromium-profile"),
        "screenshots": shots,
        "downloads": work.path().join("downloads"),
        "sink_dir": sink.dir,
        "sms_file": sms,
        "nir": NIR,
        "ins": NIR,
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
        "doctor_cert": doctor.0,
        "doctor_key": doctor.1,
        "ca_bundle": space.ca_bundle(),
        "submission_port": space.submission,
        "imaps_port": space.imaps,
        "https_port": space.https,
        "attachment": photo,
        "xdm_message": format!("{FIXTURES}/messages/pro-to-citizen-xdm.eml"),
        "identities": {
            "doctor": identity(DOCTOR, doctor.clone()),
            "nurse": identity(NURSE, nurse),
            "pharmacist": identity(PHARMACIST, pharmacist),
            "pharmacy": {"address": PHARMACY},
            "lab": identity(LAB, lab),
        },
    });
    let steps = run_script(JOURNEY, &plan, work.path(), &space);
    let step = |name: &str| steps.get(name);
    let nurse_step = step("nurse_not_offered");
    assert_eq!(nurse_step["no_result"], true, "{nurse_step}");
    let fin = step("fin");
    assert_eq!(fin["reply_form"], false, "{fin}");
    assert_eq!(fin["refused"], true, "{fin}");

    // 5. The nurse sees only her categories, never the hidden document; the access is in the
    //    citizen's history.
    let api = step("nurse_api");
    assert_eq!(api["status"], 200, "{api}");
    let docs = api["documents"]["documents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let hidden = api["hidden_id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        docs.len(),
        1,
        "the nurse should see the one document left visible: {api}"
    );
    for d in &docs {
        let category = d["category"]
            .as_str()
            .or(d["meta"]["category"].as_str())
            .unwrap_or("");
        assert!(
            NURSE_CATEGORIES.contains(&category),
            "the nurse got a {category} document: {d}"
        );
        assert_ne!(
            d["id"].to_string(),
            hidden,
            "the hidden document reached the nurse: {d}"
        );
    }
    let history = step("history");
    assert!(
        history["text"].as_str().unwrap_or("").contains("LE GALL"),
        "{history}"
    );
    assert_eq!(history["notified"], true, "{history}");

    // 6. The child's profile shows the child's mailbox.
    let child = step("child_profile");
    assert_eq!(child["sees_parent_mail"], false, "{child}");

    // 7. Closed: mail refused, the export downloaded. Reactivation brings everything back.
    let closed = step("closed");
    let code = closed["refused_code"].as_u64().unwrap_or(0);
    assert!(
        (500..600).contains(&code),
        "mail to a closed account: {closed}"
    );
    let export = std::fs::read(closed["export"].as_str().unwrap_or("")).expect("export");
    assert!(!export.is_empty(), "empty export");
    let before = space.inbox_count(&format!("{NIR}@patient.mssante.example"));
    space.ok(&["account", "activate", NIR]);
    assert_eq!(
        space.inbox_count(&format!("{NIR}@patient.mssante.example")),
        before
    );
    let r = Smtp::submission(&space)
        .cert(&doctor.0, &doctor.1)
        .from(DOCTOR)
        .to(&format!("{NIR}@patient.mssante.example"))
        .text(&format!(
            "From: {DOCTOR}\r\nTo: {NIR}@patient.mssante.example\r\nSubject: Bon retour\r\n\r\nBonjour\r\n"
        ))
        .send();
    assert_eq!(r["data"], 250, "mail after reactivation: {r}");
}
