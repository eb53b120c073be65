//! The real `santemail` binary and the service catalogue: `catalogue import` of the repo's
//! sample, `catalogue list`, a re-import that changes nothing, and a broken file refused with
//! every error on its line while the catalogue stays as it was.

mod common;

use common::Space;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalogue-exemple.toml");

fn listed(space: &Space) -> Vec<serde_json::Value> {
    let out = space.ok(&["catalogue", "list", "--json"]);
    serde_json::from_str(&out).expect("JSON list")
}

#[test]
fn import_list_reimport_and_refuse_a_broken_file() {
    let space = Space::new(None);
    let help = space.ok(&["catalogue", "import", "--help"]);
    assert!(
        help.contains("[[service]]") && help.contains("gratuit"),
        "{help}"
    );

    // A wrong file before anything was imported: nothing written, every error with its line.
    let sample = std::fs::read_to_string(SAMPLE).expect("sample");
    let broken = sample
        .replacen("categorie = \"Nutrition\"", "categorie = \"Sport\"", 1)
        .replacen(
            "https://bouger-plus.example/",
            "http://bouger-plus.example/",
            1,
        );
    let sport_line = line_of(&broken, "categorie = \"Sport\"");
    let http_line = line_of(&broken, "http://bouger-plus");
    let broken_path = space.path("catalogue-casse.toml");
    std::fs::write(&broken_path, &broken).expect("write");
    let broken_arg = broken_path.to_str().expect("utf-8 path");
    let refused = space.run(&["catalogue", "import", broken_arg]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("2 erreur(s)") && err.contains("rien n’a été importé"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "ligne {sport_line} : catégorie inconnue « Sport » ; attendues : Prévention"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("ligne {http_line} : l’adresse « http://bouger-plus.example/ » doit commencer par https://")),
        "{err}"
    );
    assert!(listed(&space).is_empty());

    // The sample: imported, listed, the summary on one line.
    let out = space.ok(&["catalogue", "import", SAMPLE]);
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    assert!(
        out.contains("13 service(s) au catalogue : 13 ajouté(s)"),
        "{out}"
    );
    let services = listed(&space);
    assert_eq!(services.len(), 13);
    let ecoute = services
        .iter()
        .find(|s| s["key"] == "ecoute-jeunes")
        .expect("Écoute Jeunes");
    assert_eq!(ecoute["name"], "Écoute Jeunes");
    assert_eq!(ecoute["category"], "sante-mentale");
    assert_eq!(ecoute["url"], "https://ecoute-jeunes.example/");
    assert_eq!(ecoute["free"], true);
    assert_eq!(ecoute["audience"], serde_json::json!(["jeunes", "parents"]));
    let table = space.ok(&["catalogue", "list"]);
    assert!(
        table.contains("Santé mentale") && table.contains("13 service(s)"),
        "{table}"
    );

    // Again: nothing changes.
    let out = space.ok(&["catalogue", "import", SAMPLE]);
    assert!(
        out.contains("0 ajouté(s), 0 modifié(s), 13 inchangé(s), 0 retiré(s)"),
        "{out}"
    );
    assert_eq!(listed(&space), services);

    // The broken file now: refused, the imported catalogue untouched.
    assert!(
        !space
            .run(&["catalogue", "import", broken_arg])
            .status
            .success()
    );
    assert_eq!(listed(&space), services);

    // A JSON file with fewer services replaces the catalogue.
    let json_path = space.path("catalogue.json");
    std::fs::write(
        &json_path,
        r#"{"services": [{"identifiant": "ecoute-jeunes", "nom": "Écoute Jeunes",
            "editeur": "Fil d’Écoute", "categorie": "Santé mentale",
            "description": "Ligne d’écoute.", "url": "https://ecoute-jeunes.example/",
            "tarif": "gratuit", "public": ["jeunes"]}]}"#,
    )
    .expect("write");
    let out = space.ok(&["catalogue", "import", json_path.to_str().expect("utf-8")]);
    assert!(
        out.contains(
            "1 service(s) au catalogue : 0 ajouté(s), 1 modifié(s), 0 inchangé(s), 12 retiré(s)"
        ),
        "{out}"
    );
    assert_eq!(listed(&space).len(), 1);

    // --check reads without writing; an unknown extension is refused.
    let out = space.ok(&["catalogue", "import", "--check", SAMPLE]);
    assert!(out.contains("13 service(s) valides"), "{out}");
    assert_eq!(listed(&space).len(), 1);
    let yaml = space.path("catalogue.yaml");
    std::fs::write(&yaml, "x").expect("write");
    let refused = space.run(&["catalogue", "import", yaml.to_str().expect("utf-8")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains(".toml ou .json"));
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .expect("needle present")
}
