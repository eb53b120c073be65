//! The professional API of the medical profile over the real HTTPS port with `curl --cert`:
//! the patient's médecin traitant adds, changes, reads and deletes entries and measures (which
//! the citizen side then sees); any other physician is refused 403 with a French reason; a
//! blocked médecin traitant too; the patient's "Historique des accès" records all of it. On
//! SQLite and on PostgreSQL.
//!
//! Needs `health::api::router` merged into the HTTPS app in `src/cli/serve/https.rs`.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{Space, path_str, wait_for_port};
use serde_json::{Value, json};

const CAMILLE: &str = "240013700100130";
/// The médecin traitant.
const ROUSSEAU: &str = "lea.rousseau@medecin.mssante.example";
const ROUSSEAU_RPPS: &str = "10693719556";
/// Another physician, not the médecin traitant.
const MARTIN: &str = "camille.martin@medecin.mssante.example";
const MARTIN_RPPS: &str = "10284642892";

type Cert<'a> = Option<(&'a std::path::Path, &'a std::path::Path)>;

fn curl(s: &Space, cert: Cert, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let mut c = Command::new("curl");
    c.args(["--silent", "--show-error", "--max-time", "10"])
        .args(["--cacert", path_str(&s.ca_bundle())])
        .args([
            "--resolve",
            &format!("mx.mssante.example:{}:127.0.0.1", s.https),
        ])
        .args(["--request", method])
        .args(["--write-out", "\n%{http_code}"]);
    if let Some(b) = body {
        c.args(["--header", "Content-Type: application/json"])
            .args(["--data-binary", &b.to_string()]);
    }
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

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON ({e}): {body}"))
}

#[test]
fn medecin_traitant_edits_the_profile_on_sqlite() {
    journey(None);
}

#[test]
fn medecin_traitant_edits_the_profile_on_postgresql() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg = rt
        .block_on(store::testing::TempPostgres::new())
        .expect("PostgreSQL for tests (apt-get install postgresql)");
    journey(Some(pg.url()));
}

/// The database of the space, opened beside the server (the citizen side of the checks).
fn with_db<T>(s: &Space, url: Option<&str>, f: impl AsyncFnOnce(&store::Db) -> T) -> T {
    let url = url.map(str::to_string).unwrap_or_else(|| {
        format!(
            "sqlite://{}",
            s.dir.path().join("data/santemail.db").display()
        )
    });
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let db = store::Db::connect(&url).await.expect("database");
        let out = f(&db).await;
        db.close().await;
        out
    })
}

fn journey(url: Option<&str>) {
    let mut s = Space::new(url);
    let (rcert, rkey) = s.person_cert(ROUSSEAU, ROUSSEAU_RPPS, "Léa ROUSSEAU");
    let (mcert, mkey) = s.person_cert(MARTIN, MARTIN_RPPS, "Camille MARTIN");
    let traitant: Cert = Some((&rcert, &rkey));
    let other: Cert = Some((&mcert, &mkey));
    // The patient designates Dr Rousseau as médecin traitant (what /documents/acces does).
    with_db(&s, url, async |db| {
        dmp_bridge::patient::set_medecin_traitant(db, CAMILLE, Some(ROUSSEAU_RPPS))
            .await
            .expect("designate");
    });
    s.start();
    wait_for_port(s.https, Duration::from_secs(30));
    let base = format!("/api/sante/v1/patients/{CAMILLE}");

    let (code, body) = curl(&s, None, "GET", &format!("{base}/profil"), None);
    assert_eq!(code, 401, "{body}\n{}", s.server_log());

    // The médecin traitant adds a treatment…
    let treatment = json!({"title": "Metformine", "dose": "500 mg",
        "frequency": "2 fois par jour", "start_date": "2020-02-01"});
    let (code, body) = curl(
        &s,
        traitant,
        "POST",
        &format!("{base}/profil/traitements"),
        Some(&treatment),
    );
    assert_eq!(code, 201, "{body}\n{}", s.server_log());
    let entry = json_of(&body);
    let id = entry["id"].as_i64().expect("id");
    assert_eq!(entry["author"]["kind"], "professional", "{body}");
    assert_eq!(entry["status"], "en-cours", "{body}");

    // …refused when absurd, with the French message naming the field.
    let bad = json!({"title": "Metformine", "start_date": "2099-01-01"});
    let (code, body) = curl(
        &s,
        traitant,
        "POST",
        &format!("{base}/profil/traitements"),
        Some(&bad),
    );
    assert_eq!(code, 400, "{body}");
    assert!(
        body.contains("La date de début ne peut pas être dans le futur."),
        "{body}"
    );
    let (code, body) = curl(
        &s,
        traitant,
        "POST",
        &format!("{base}/profil/inconnue"),
        Some(&bad),
    );
    assert_eq!(code, 404, "{body}");

    // …changes it, and adds a blood pressure measure.
    let changed = json!({"title": "Metformine", "dose": "850 mg", "start_date": "01/02/2020"});
    let (code, body) = curl(
        &s,
        traitant,
        "PUT",
        &format!("{base}/profil/traitements/{id}"),
        Some(&changed),
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(json_of(&body)["dose"], "850 mg");
    let measure = json!({"kind": "tension", "value": "130", "value2": "85", "unit": "mmHg",
        "date": "2026-01-15", "time": "08:30"});
    let (code, body) = curl(
        &s,
        traitant,
        "POST",
        &format!("{base}/mesures"),
        Some(&measure),
    );
    assert_eq!(code, 201, "{body}\n{}", s.server_log());
    let measure_id = json_of(&body)["id"].as_i64().expect("measure id");
    let (code, body) = curl(
        &s,
        traitant,
        "POST",
        &format!("{base}/mesures"),
        Some(
            &json!({"kind": "tension", "value": "900", "value2": "85", "unit": "mmHg", "date": "2026-01-15"}),
        ),
    );
    assert_eq!(code, 400, "implausible value: {body}");

    // The whole profile, as the API gives it back.
    let (code, body) = curl(&s, traitant, "GET", &format!("{base}/profil"), None);
    assert_eq!(code, 200, "{body}");
    let profile = json_of(&body);
    assert_eq!(profile["entries"][0]["title"], "Metformine", "{body}");
    assert_eq!(profile["entries"][0]["section"], "traitements", "{body}");
    assert_eq!(
        profile["measures"].as_array().map(Vec::len),
        Some(1),
        "{body}"
    );

    // The citizen side sees what the médecin traitant entered, with its author.
    let (entries, lines, measures) = with_db(&s, url, async |db| {
        let e = health::profile::entries(db, CAMILLE)
            .await
            .expect("entries");
        let lines: Vec<String> = e.iter().map(|e| e.summary_line()).collect();
        let m = health::measures::latest_by_kind(db, CAMILLE)
            .await
            .expect("measures");
        (e, lines, m)
    });
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].author.kind, health::AuthorKind::Professional);
    assert_eq!(entries[0].author.id, ROUSSEAU_RPPS);
    assert!(lines[0].starts_with("Metformine — 850 mg"), "{lines:?}");
    assert_eq!(measures.len(), 1);

    // Another physician is refused everything, with the reason in French.
    for (method, path, body) in [
        ("GET", format!("{base}/profil"), None),
        (
            "POST",
            format!("{base}/profil/traitements"),
            Some(&treatment),
        ),
        ("DELETE", format!("{base}/profil/traitements/{id}"), None),
        ("POST", format!("{base}/mesures"), Some(&measure)),
        ("DELETE", format!("{base}/mesures/{measure_id}"), None),
    ] {
        let (code, answer) = curl(&s, other, method, &path, body);
        assert_eq!(code, 403, "{method} {path}: {answer}");
        assert!(answer.contains("Seul le médecin traitant"), "{answer}");
    }
    let after = with_db(&s, url, async |db| {
        health::profile::entries(db, CAMILLE)
            .await
            .expect("entries")
    });
    assert_eq!(after.len(), 1, "nothing changed by the refused calls");

    // The history shows the médecin traitant's actions and the refused attempts.
    let history = s.ok(&["dmp", "history", CAMILLE, "--json"]);
    for action in [
        "profile_add",
        "profile_edit",
        "measure_add",
        "profile_read",
        "access_refused",
    ] {
        assert!(history.contains(action), "{action} in {history}");
    }
    assert!(history.contains(MARTIN_RPPS), "{history}");
    assert!(
        history.contains("Profil médical — Traitements : Metformine"),
        "{history}"
    );

    // Deleting, then blocking: a blocked médecin traitant is refused too.
    let (code, body) = curl(
        &s,
        traitant,
        "DELETE",
        &format!("{base}/mesures/{measure_id}"),
        None,
    );
    assert_eq!(code, 204, "{body}");
    let (code, body) = curl(
        &s,
        traitant,
        "DELETE",
        &format!("{base}/profil/traitements/{id}"),
        None,
    );
    assert_eq!(code, 204, "{body}");
    let (code, body) = curl(
        &s,
        traitant,
        "DELETE",
        &format!("{base}/profil/traitements/{id}"),
        None,
    );
    assert_eq!(code, 404, "{body}");
    with_db(&s, url, async |db| {
        dmp_bridge::patient::set_blocked(db, CAMILLE, ROUSSEAU_RPPS, true)
            .await
            .expect("block");
    });
    let (code, body) = curl(&s, traitant, "GET", &format!("{base}/profil"), None);
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("bloqué"), "{body}");
    let history = s.ok(&["dmp", "history", CAMILLE, "--json"]);
    assert!(
        history.contains("profile_delete") && history.contains("measure_delete"),
        "{history}"
    );
    s.kill();
}
