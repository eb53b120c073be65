//! The PDF read back: its text is extracted with `pdf-extract` (as a search engine or a screen
//! reader would) and checked for the content and every French character.

use super::{PatientData, SectionBlock, SynthesisInput, file_name, render_pdf};

fn input(extra_entries: usize) -> SynthesisInput {
    let mut diseases = vec![
        "Hypertension artérielle — depuis le 01/02/2019 — en cours".to_string(),
        "Asthme de l’enfance — passé".to_string(),
    ];
    diseases.extend((0..extra_entries).map(|i| format!("Suivi numéro {i} — contrôle régulier")));
    SynthesisInput {
        patient: PatientData {
            birth_name: "LEFÈVRE".into(),
            first_names: "Zoé Françoise".into(),
            birth_date: "1980-03-12".into(),
            sex: Some("F".into()),
            ins: "280037512345678".into(),
            mailbox: "280037512345678@patient.mssante.example".into(),
            email: Some("zoe.lefevre@courriel.example".into()),
            mobile: None,
            medecin_traitant: Some("Dr Léa ROUSSEAU (RPPS 10001234567)".into()),
        },
        sections: vec![
            SectionBlock {
                title: "Maladies et sujets de santé".into(),
                lines: diseases,
                always_shown: true,
            },
            SectionBlock {
                title: "Traitements".into(),
                lines: vec!["Ramipril — 5\u{a0}mg, 1 fois par jour — en cours".into()],
                always_shown: true,
            },
            SectionBlock {
                title: "Allergies".into(),
                lines: vec!["Œufs — « réaction cutanée », gravité modérée".into()],
                always_shown: true,
            },
            SectionBlock {
                title: "Vaccinations".into(),
                lines: vec![],
                always_shown: true,
            },
            SectionBlock {
                title: "Dernières mesures".into(),
                lines: vec![
                    "Tension artérielle : 125/80\u{a0}mmHg, le 3 décembre 2026 à 08:30".into(),
                    "Température : 37,5\u{a0}°C, le 1er décembre 2026".into(),
                ],
                always_shown: true,
            },
            SectionBlock {
                title: "Hospitalisations et chirurgies".into(),
                lines: vec![],
                always_shown: false,
            },
            SectionBlock {
                title: "Historique de soins".into(),
                lines: vec!["Kinésithérapie — Hôpital de la Côte — le 02/10/2026".into()],
                always_shown: false,
            },
        ],
        generated_at: "6 décembre 2026 à 20:40".into(),
    }
}

/// The text of each page, with runs of white space (including no-break spaces) made single
/// spaces, so the checks do not depend on how the extractor spaces glyphs.
fn pages_text(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf)
        .expect("the PDF reads back")
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn pdf_holds_the_profile_with_french_accents() {
    let pdf = render_pdf(&input(0)).expect("rendered");
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 1, "{pages:?}");
    let text = &pages[0];
    for want in [
        "Synthèse médicale",
        "Ma santé en résumé — Zoé LEFÈVRE",
        "Document établi le 6 décembre 2026 à 20:40.",
        "Données administratives",
        "Zoé Françoise",
        "12 mars 1980",
        "Féminin",
        "2 80 03 75 123 456 78",
        "Dr Léa ROUSSEAU (RPPS 10001234567)",
        "zoe.lefevre@courriel.example",
        "Non renseigné",
        "Maladies et sujets de santé",
        "Hypertension artérielle — depuis le 01/02/2019 — en cours",
        "Asthme de l’enfance",
        "Ramipril — 5 mg, 1 fois par jour",
        "Œufs — « réaction cutanée », gravité modérée",
        "Vaccinations Aucune information renseignée.",
        "Dernières mesures",
        "Tension artérielle : 125/80 mmHg, le 3 décembre 2026 à 08:30",
        "Température : 37,5 °C, le 1er décembre 2026",
        "Historique de soins",
        "Kinésithérapie — Hôpital de la Côte",
        "Il ne remplace pas l’avis d’un professionnel de santé.",
        "Page 1 sur 1",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // An optional section with nothing in it is left out.
    assert!(!text.contains("Hospitalisations"), "{text}");
}

#[test]
fn long_profile_spans_pages_with_numbered_footers() {
    let pdf = render_pdf(&input(120)).expect("rendered");
    let pages = pages_text(&pdf);
    let n = pages.len();
    assert!(n >= 3, "{n} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} sur {n}", i + 1)),
            "page {i}: {page}"
        );
        assert!(
            page.contains("Synthèse médicale de Zoé LEFÈVRE — 6 décembre 2026 à 20:40"),
            "page {i}"
        );
    }
    assert!(pages[1].contains("Maladies et sujets de santé (suite)"));
    let all = pages.join("\n");
    for i in [0, 60, 119] {
        assert!(
            all.contains(&format!("Suivi numéro {i} — contrôle régulier")),
            "{i}"
        );
    }
    // The later sections come after the long one, on the last pages.
    assert!(pages[n - 1].contains("Historique de soins"));
}

#[test]
fn odd_input_still_renders() {
    let mut odd = SynthesisInput::default();
    odd.patient.first_names = "   ".into();
    odd.sections.push(SectionBlock {
        title: "Traitements".into(),
        lines: vec![
            "ligne\navec\tcontrôles\r\n".into(),
            "x".repeat(3000),
            "\u{1F600} émoji".into(),
        ],
        always_shown: true,
    });
    let pdf = render_pdf(&odd).expect("rendered");
    let text = pages_text(&pdf).join(" ");
    assert!(text.contains("ligne avec contrôles"), "{text}");
    assert!(text.contains("Aucun médecin traitant déclaré"));
}

#[test]
fn download_file_names() {
    let cases = [
        ("2026-12-06", "synthese-medicale-2026-12-06.pdf"),
        ("", "synthese-medicale.pdf"),
        ("\"; x=../", "synthese-medicale.pdf"),
    ];
    for (day, want) in cases {
        assert_eq!(file_name(day), want, "{day:?}");
    }
}

#[test]
fn patient_helpers() {
    let p = PatientData {
        birth_name: "DURAND".into(),
        first_names: "Marie, Claire".into(),
        ins: "1 80 03 75 123 456 78".into(),
        sex: Some("M".into()),
        ..PatientData::default()
    };
    assert_eq!(p.display_name(), "Marie DURAND");
    assert_eq!(p.ins_grouped(), "1 80 03 75 123 456 78");
    assert_eq!(p.sex_label(), Some("Masculin"));
    let short = PatientData {
        ins: "123".into(),
        ..PatientData::default()
    };
    assert_eq!(short.ins_grouped(), "123");
    assert_eq!(short.sex_label(), None);
    assert_eq!(short.display_name(), "");
}

#[test]
fn same_input_same_bytes() {
    // The webmail's tests compare a download with the synthèse of the same data: no clock or
    // random id may slip into the file.
    let a = render_pdf(&input(5)).expect("rendered");
    let b = render_pdf(&input(5)).expect("rendered");
    assert!(a == b);
}
