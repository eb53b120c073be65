//! The rest of the citizen space in a real browser (issue 9): headless Chromium (Selenium)
//! against the real binary walks profile → add a measure → chart visible → download the
//! synthesis → file it in the DMP → add an appointment → download the `.ics` → search the
//! catalogue. The PDF's text is read back here, the `.ics` checked line by line. Screenshots are
//! kept in `target/test-artifacts/space/`.

mod common;

use std::time::Duration;

use common::browser::{Sink, artifacts, provisional_code, run_script, server_spki};
use common::{Space, SpaceOptions, wait_for_port};

const NIR: &str = "240013700100130";
const BROWSER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/clients/space_browser.py"
);
const CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalogue-exemple.toml");

#[test]
fn profile_measures_synthesis_agenda_and_catalogue_in_chromium() {
    let work = tempfile::tempdir().expect("temp dir");
    let sink = Sink::start(&work.path().join("sink"));
    let sms = work.path().join("sms.log");
    let mut space = Space::with(SpaceOptions {
        webmail_extra: sink.webmail_config(&sms),
        ..SpaceOptions::default()
    });
    let imported = space.ok(&["catalogue", "import", CATALOGUE]);
    assert!(!imported.is_empty());
    space.start();
    wait_for_port(space.https, Duration::from_secs(30));

    let plan = serde_json::json!({
        "base_url": format!("https://localhost:{}", space.https),
        "server_spki": server_spki(&space),
        "profile_dir": work.path().join("chromium-profile"),
        "screenshots": artifacts("space"),
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
    });
    let steps = run_script(BROWSER, &plan, work.path(), &space);
    let step = |name: &str| steps.get(name);
    let text = |name: &str, key: &str| step(name)[key].as_str().unwrap_or("").to_string();

    // The phone-first home and the installable app.
    let home = step("home");
    assert_eq!(
        home["tiles"],
        serde_json::json!([true, true, true, true]),
        "{home}"
    );
    assert!(
        home["manifest"]
            .as_str()
            .is_some_and(|m| m.ends_with("/manifest.webmanifest")),
        "{home}"
    );

    // The profile keeps what was entered, accents included.
    assert!(text("profile", "maladies").contains("Asthme allergique"));
    assert!(text("profile", "traitements").contains("Salbutamol"));
    assert!(text("profile", "allergies").contains("Pénicilline"));

    // The chart is an image the browser could draw; the history has the French value.
    let chart = step("chart");
    assert!(chart["width"].as_i64().unwrap_or(0) > 0, "{chart}");
    assert!(text("chart", "history").contains("38,5"), "{chart}");

    // The synthesis PDF has the profile in it, read back from the PDF itself.
    let pdf = std::fs::read(text("synthesis_pdf", "path")).expect("the synthesis PDF");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let pdf_text = pdf_extract::extract_text_from_mem(&pdf).expect("PDF text");
    for needle in ["Asthme allergique", "Salbutamol", "Pénicilline", "38,5"] {
        assert!(
            pdf_text.contains(needle),
            "{needle} missing from:\n{pdf_text}"
        );
    }

    // Filed into the DMP under "Ma santé en résumé".
    let filed = step("synthesis_filed");
    assert!(
        text("synthesis_filed", "documents").contains("Ma santé en résumé"),
        "{filed}"
    );

    // The appointment is listed, and its .ics carries it with RFC 5545 escaping.
    let agenda = step("agenda");
    assert!(
        text("agenda", "upcoming").contains("Cabinet de pneumologie du Parc"),
        "{agenda}"
    );
    // An 86-year-old woman is offered the yearly flu vaccination.
    assert!(
        text("agenda", "prevention")
            .to_lowercase()
            .contains("grippe"),
        "{agenda}"
    );
    let ics = std::fs::read_to_string(text("agenda", "ics")).expect("the .ics file");
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    assert!(unfolded.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(unfolded.contains("BEGIN:VEVENT"), "{ics}");
    assert!(unfolded.contains("12\\, rue des Lilas\\, Lyon"), "{ics}");
    assert!(unfolded.contains("DTSTART"), "{ics}");

    // The catalogue: everything, then a search without the accent finds "Dépistage facile".
    let catalogue = step("catalogue");
    assert!(
        text("catalogue", "found").contains("Dépistage facile"),
        "{catalogue}"
    );
}
