//! Table tests of measure validation.

use super::*;

fn today() -> Date {
    Date::from_calendar_date(2026, Month::March, 12).expect("date")
}

fn m(kind: &str, value: &str, value2: &str, unit: &str, date: &str) -> NewMeasure {
    NewMeasure {
        kind: kind.into(),
        value: value.into(),
        value2: value2.into(),
        unit: unit.into(),
        date: date.into(),
        ..NewMeasure::default()
    }
}

#[test]
fn accepts_plausible_measures() {
    let cases: [(NewMeasure, Kind, i64, Option<i64>); 12] = [
        (
            m("temperature", "37,5", "", "", "2026-03-12"),
            Kind::Temperature,
            37_50,
            None,
        ),
        (
            m("temperature", "37.5", "", "°C", "12/03/2026"),
            Kind::Temperature,
            37_50,
            None,
        ),
        (
            m("temperature", "43,5", "", "", "2026-03-01"),
            Kind::Temperature,
            43_50,
            None,
        ),
        (
            m("tension", "125", "80", "mmHg", "2026-03-12"),
            Kind::Tension,
            125_00,
            Some(80_00),
        ),
        (
            m("tension", "125", "80", "mm Hg", "2026-03-12"),
            Kind::Tension,
            125_00,
            Some(80_00),
        ),
        (
            m("glycemie", "1,05", "", "g/L", "2026-03-12"),
            Kind::Glycemie,
            1_05,
            None,
        ),
        // 5,5 mmol/L × 0,18016 = 0,99 g/L; 100 mg/dL = 1 g/L.
        (
            m("glycemie", "5,5", "", "mmol/L", "2026-03-12"),
            Kind::Glycemie,
            99,
            None,
        ),
        (
            m("glycemie", "100", "", "mg/dL", "2026-03-12"),
            Kind::Glycemie,
            1_00,
            None,
        ),
        (
            m("douleur", "0", "", "", "2026-03-12"),
            Kind::Douleur,
            0,
            None,
        ),
        (
            m("poids", "3,25", "", "kg", "2026-03-12"),
            Kind::Poids,
            3_25,
            None,
        ),
        (
            m("taille", "1,72", "", "m", "2026-03-12"),
            Kind::Taille,
            172_00,
            None,
        ),
        (
            m("frequence-cardiaque", "72", "", "bpm", "1990-01-01"),
            Kind::FrequenceCardiaque,
            72_00,
            None,
        ),
    ];
    for (input, kind, v, v2) in cases {
        let got = validate(&input, today()).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
        assert_eq!(
            (got.kind, got.value_centi, got.value2_centi),
            (kind, v, v2),
            "{input:?}"
        );
    }
}

#[test]
fn refuses_with_a_french_sentence_naming_field_and_range() {
    let cases: [(NewMeasure, &str, &str); 22] = [
        (
            m("temperature", "45", "", "", "2026-03-12"),
            "value",
            "La température doit être comprise entre 32 et 43,5 °C.",
        ),
        (
            m("temperature", "375", "", "", "2026-03-12"),
            "value",
            "La température doit être comprise entre 32 et 43,5 °C.",
        ),
        (
            m("temperature", "", "", "", "2026-03-12"),
            "value",
            "Indiquez la température.",
        ),
        (
            m("temperature", "trente", "", "", "2026-03-12"),
            "value",
            "La température doit être un nombre, par exemple 37,5.",
        ),
        (
            m("temperature", "37", "", "°F", "2026-03-12"),
            "unit",
            "L’unité de la température doit être °C.",
        ),
        (
            m("poids", "401", "", "", "2026-03-12"),
            "value",
            "Le poids doit être compris entre 0,5 et 400 kg.",
        ),
        (
            m("poids", "72", "", "g", "2026-03-12"),
            "unit",
            "L’unité du poids doit être kg.",
        ),
        (
            m("taille", "10", "", "", "2026-03-12"),
            "value",
            "La taille doit être comprise entre 20 et 250 cm.",
        ),
        (
            m("frequence-cardiaque", "300", "", "", "2026-03-12"),
            "value",
            "La fréquence cardiaque doit être comprise entre 25 et 250 bpm.",
        ),
        (
            m("douleur", "11", "", "", "2026-03-12"),
            "value",
            "Le niveau de douleur doit être un nombre entier compris entre 0 et 10.",
        ),
        (
            m("douleur", "5,5", "", "", "2026-03-12"),
            "value",
            "Le niveau de douleur doit être un nombre entier compris entre 0 et 10.",
        ),
        (
            m("glycemie", "7", "", "", "2026-03-12"),
            "value",
            "La glycémie doit être comprise entre 0,2 et 6 g/L.",
        ),
        (
            m("glycemie", "1", "", "mol", "2026-03-12"),
            "unit",
            "L’unité de la glycémie doit être g/L, mmol/L ou mg/dL.",
        ),
        (
            m("tension", "300", "80", "", "2026-03-12"),
            "value",
            "La tension systolique doit être comprise entre 50 et 260 mmHg.",
        ),
        (
            m("tension", "120", "20", "", "2026-03-12"),
            "value2",
            "La tension diastolique doit être comprise entre 30 et 160 mmHg.",
        ),
        (
            m("tension", "120", "", "", "2026-03-12"),
            "value2",
            "Indiquez la tension diastolique.",
        ),
        (
            m("tension", "80", "120", "", "2026-03-12"),
            "value2",
            "La tension diastolique (le second chiffre) doit être inférieure à la tension systolique (le premier chiffre).",
        ),
        (
            m("poids", "72", "80", "", "2026-03-12"),
            "value2",
            "Seule la tension artérielle a une seconde valeur.",
        ),
        (
            m("", "72", "", "", "2026-03-12"),
            "kind",
            "Choisissez le type de mesure.",
        ),
        (
            m("poids", "72", "", "", "2026-03-13"),
            "date",
            "La date de la mesure ne peut pas être dans le futur.",
        ),
        (
            m("poids", "72", "", "", "2026-02-30"),
            "date",
            "Cette date n’existe pas dans le calendrier.",
        ),
        (
            m("poids", "72", "", "", ""),
            "date",
            "Indiquez la date de la mesure.",
        ),
    ];
    for (input, field, message) in cases {
        let errors = validate(&input, today()).expect_err(&format!("{input:?} accepted"));
        assert!(
            errors
                .iter()
                .any(|e| e.field == field && e.message == message),
            "{input:?}: got {errors:?}"
        );
    }
}

#[test]
fn dates_times_and_notes() {
    let bad_dates = [
        "12-03-2026",
        "2026/03/12",
        "1899-12-31",
        "hier",
        "2026-3",
        "20260312",
    ];
    for d in bad_dates {
        assert!(
            validate(&m("poids", "72", "", "", d), today()).is_err(),
            "{d}"
        );
    }
    let times: [(&str, Option<&str>); 5] = [
        ("", None),
        ("08:30", Some("08:30")),
        ("8h30", Some("08:30")),
        ("21h", Some("21:00")),
        (" 23:59 ", Some("23:59")),
    ];
    for (t, want) in times {
        let mut input = m("poids", "72", "", "", "2026-03-12");
        input.time = t.into();
        let got = validate(&input, today()).expect(t);
        assert_eq!(got.time.as_deref(), want);
    }
    for t in ["24:00", "12:60", "midi", "1230", "12:3:0"] {
        let mut input = m("poids", "72", "", "", "2026-03-12");
        input.time = t.into();
        let errors = validate(&input, today()).expect_err(t);
        assert_eq!(errors[0].field, "time");
        assert_eq!(
            errors[0].message,
            "L’heure doit être au format HH:MM, par exemple 08:30."
        );
    }
    let mut input = m("poids", "72", "", "", "2026-03-12");
    input.note = "  après le repas\u{7}  ".into();
    assert_eq!(
        validate(&input, today()).expect("note").note.as_deref(),
        Some("après le repas")
    );
    input.note = "é".repeat(NOTE_MAX_CHARS);
    assert!(validate(&input, today()).is_ok());
    input.note = "é".repeat(NOTE_MAX_CHARS + 1);
    let errors = validate(&input, today()).expect_err("long note");
    assert_eq!(
        errors[0].message,
        "La note ne doit pas dépasser 500 caractères."
    );
}

#[test]
fn reports_every_field_at_once() {
    let input = m("temperature", "50", "", "", "");
    let errors = validate(&input, today()).expect_err("two errors");
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, ["value", "date"]);
}

#[test]
fn json_numbers_and_nulls_are_read_as_text() {
    let json = r#"{"kind":"tension","value":125,"value2":80.5,"unit":null,"date":"2026-03-12"}"#;
    let input: NewMeasure = serde_json::from_str(json).expect("json");
    assert_eq!(
        (input.value.as_str(), input.value2.as_str()),
        ("125", "80.5")
    );
    assert_eq!(input.unit, "");
    assert_eq!(input.note, "");
    let got = validate(&input, today()).expect("valid");
    assert_eq!(got.value2_centi, Some(81_00));
}

#[test]
fn hints_under_the_fields() {
    let t = Kind::Temperature.spec();
    assert_eq!(range_hint(t, &t.first), "Entre 32 et 43,5 °C.");
    let d = Kind::Douleur.spec();
    assert_eq!(
        range_hint(d, &d.first),
        "Un nombre entier de 0 (aucune douleur) à 10 (la pire imaginable)."
    );
    let bp = Kind::Tension.spec();
    let dia = bp.second.expect("diastolic");
    assert_eq!(range_hint(bp, &dia), "Entre 30 et 160 mmHg.");
}
