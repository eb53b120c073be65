//! Whole-file checks: the sample parses, and every kind of mistake comes back with its line, all
//! at once, in TOML and in JSON.

use super::*;

const SAMPLE: &str = include_str!("../../../docs/catalogue-exemple.toml");

fn one(fields: &str) -> String {
    format!("[[service]]\n{fields}")
}

const GOOD: &str = "nom = \"Écoute\"\nediteur = \"Asso\"\ncategorie = \"Santé mentale\"\n\
                    description = \"Une ligne d’écoute.\"\nurl = \"https://ecoute.example/\"\n\
                    tarif = \"gratuit\"\npublic = \"tous\"\n";

#[test]
fn the_sample_file_is_valid() {
    let services = parse_text(SAMPLE, Format::Toml).expect("sample");
    assert!((10..=15).contains(&services.len()), "{}", services.len());
    // Several categories, both prices, descriptions on one line.
    let mut categories: Vec<Category> = services.iter().map(|s| s.category).collect();
    categories.dedup();
    assert!(categories.len() >= 8);
    assert!(services.iter().any(|s| s.free) && services.iter().any(|s| !s.free));
    assert!(services.iter().all(|s| !s.description.contains('\n')));
    assert!(services.iter().all(|s| s.url.starts_with("https://")));
}

#[test]
fn a_good_entry_without_identifier_is_keyed_by_its_url() {
    let s = parse_text(&one(GOOD), Format::Toml).expect("valid");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].key, "https://ecoute.example/");
    assert_eq!(s[0].category, Category::SanteMentale);
    assert_eq!(s[0].audience, vec![Audience::Tous]);
    assert!(s[0].free);
}

#[test]
fn each_mistake_is_reported_on_its_line() {
    // (the entry with one line changed, expected line, part of the message)
    let cases = [
        (
            "categorie = \"Sport\"",
            4,
            "catégorie inconnue « Sport » ; attendues : Prévention",
        ),
        (
            "url = \"http://ecoute.example/\"",
            6,
            "doit commencer par https://",
        ),
        ("tarif = \"offert\"", 7, "tarif inconnu « offert »"),
        (
            "public = [\"tous\", \"seniors\"]",
            8,
            "« tous » s’emploie seul",
        ),
        ("public = [\"enfants\"]", 8, "public inconnu « enfants »"),
        ("public = []", 8, "« public » est vide"),
        ("nom = 3", 2, "« nom » doit être un texte, pas un nombre"),
        ("nom = \"  \"", 2, "« nom » est vide"),
        (
            "identifiant = \"Pas Bon\"",
            2,
            "identifiant « Pas Bon » invalide",
        ),
    ];
    for (changed, line, want) in cases {
        let key = changed.split(' ').next().unwrap_or_default();
        let mut fields: Vec<String> = GOOD
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} ")))
            .map(str::to_string)
            .collect();
        // Keep the changed line where the original was, so its line is known.
        let at = GOOD
            .lines()
            .position(|l| l.starts_with(&format!("{key} ")))
            .unwrap_or(0);
        fields.insert(at, changed.to_string());
        let text = one(&fields.join("\n"));
        let errors = parse_text(&text, Format::Toml).expect_err(changed);
        assert_eq!(errors.len(), 1, "{changed}: {errors:?}");
        assert_eq!(errors[0].line, Some(line), "{changed}: {errors:?}\n{text}");
        assert!(errors[0].message.contains(want), "{changed}: {}", errors[0]);
        assert!(
            errors[0]
                .to_string()
                .starts_with(&format!("ligne {line} : "))
        );
    }
}

#[test]
fn all_errors_are_listed_sorted_by_line() {
    let text = format!(
        "{}\n[[service]]\nnom = \"B\"\ncategorie = \"Sport\"\nlogo = \"b.png\"\n\n{}",
        one(GOOD),
        one(GOOD)
    );
    let errors = parse_text(&text, Format::Toml).expect_err("invalid");
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let lines: Vec<Option<usize>> = errors.iter().map(|e| e.line).collect();
    // Second entry (line 10): missing fields at its header, unknown category line 12, unknown
    // key line 13; third entry (line 15) repeats the first one's URL.
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{shown:?}");
    assert!(shown.contains(&"ligne 12 : catégorie inconnue « Sport » ; attendues : Prévention, Suivi de maladie chronique, Santé mentale, Téléconsultation, Prise de rendez-vous, Activité physique, Nutrition, Parentalité, Pharmacie, Autre".to_string()), "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("ligne 13 : champ inconnu « logo »"))
    );
    for missing in ["editeur", "description", "url", "tarif", "public"] {
        let want = format!("ligne 10 : service « B » : champ « {missing} » manquant");
        assert!(shown.contains(&want), "{want} in {shown:?}");
    }
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("ligne 15 : ") && s.contains("ligne 1")),
        "{shown:?}"
    );
}

#[test]
fn json_errors_have_lines_too() {
    let text = r#"{"services": [
  {
    "nom": "Écoute",
    "editeur": "Asso",
    "categorie": "sante-mentale",
    "description": "Une ligne d’écoute.",
    "url": "https://ecoute.example/",
    "tarif": "GRATUIT",
    "public": ["jeunes", "parents"]
  },
  {
    "nom": "Deux",
    "editeur": "Asso",
    "categorie": "Sport",
    "description": "x",
    "url": "ftp://deux.example/",
    "tarif": "payant",
    "public": "tous"
  }
]}"#;
    let errors = parse_text(text, Format::Json).expect_err("invalid");
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with("ligne 14 : catégorie inconnue « Sport »"));
    assert!(shown[1].starts_with("ligne 16 : ") && shown[1].contains("https://"));

    let fixed = text.replace("Sport", "Autre").replace("ftp:", "https:");
    let services = parse_text(&fixed, Format::Json).expect("valid");
    assert_eq!(
        services[0].audience,
        vec![Audience::Jeunes, Audience::Parents]
    );
    assert!(!services[1].free);
    // The bare array form is accepted as well.
    let array = fixed
        .trim_start_matches("{\"services\": ")
        .trim_end_matches('}');
    assert_eq!(parse_text(array, Format::Json).expect("array"), services);
}

#[test]
fn an_empty_file_is_refused() {
    for (text, format) in [("", Format::Toml), ("[]", Format::Json)] {
        let errors = parse_text(text, format).expect_err("empty");
        assert!(errors[0].message.contains("aucun service"), "{errors:?}");
    }
}

#[test]
fn files_are_chosen_by_extension_and_checked_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("catalogue.yaml");
    std::fs::write(&bad, "x").expect("write");
    assert!(matches!(load_file(&bad), Err(FileError::Format { .. })));
    let good = dir.path().join("catalogue.toml");
    std::fs::write(&good, SAMPLE).expect("write");
    assert!(load_file(&good).is_ok());
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, SAMPLE.replace("\"Nutrition\"", "\"Cuisine\"")).expect("write");
    let err = load_file(&broken).expect_err("broken").to_string();
    assert!(err.contains("rien n’a été importé"), "{err}");
    assert!(err.contains("catégorie inconnue « Cuisine »"), "{err}");
}
