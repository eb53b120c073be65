//! Tests of the layout: page breaks, bounds, headings kept with their first line.

use super::{CONTENT_BOTTOM, Item, MARGIN_TOP, PAGE_WIDTH, lay_out};
use crate::synthesis::text::{Measurer, Weight};
use crate::synthesis::{PatientData, SectionBlock, SynthesisInput};

fn input(entries: usize) -> SynthesisInput {
    SynthesisInput {
        patient: PatientData {
            birth_name: "DURAND".into(),
            first_names: "Marie Hélène".into(),
            birth_date: "1980-03-12".into(),
            ins: "280037512345678".into(),
            ..PatientData::default()
        },
        sections: vec![
            SectionBlock {
                title: "Maladies et sujets de santé".into(),
                lines: (0..entries)
                    .map(|i| format!("Sujet de santé numéro {i}, suivi régulier"))
                    .collect(),
                always_shown: true,
            },
            SectionBlock {
                title: "Hospitalisations et chirurgies".into(),
                lines: vec![],
                always_shown: false,
            },
        ],
        generated_at: "6 décembre 2026 à 20:40".into(),
    }
}

fn texts(page: &[Item]) -> Vec<&str> {
    page.iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            Item::Rule { .. } => None,
        })
        .collect()
}

#[test]
fn short_profile_is_one_page_and_skips_empty_optional_sections() {
    let m = Measurer::get().expect("fonts");
    let pages = lay_out(&input(3), m);
    assert_eq!(pages.len(), 1);
    let t = texts(&pages[0]);
    assert!(t.contains(&"Synthèse médicale"));
    assert!(t.contains(&"12 mars 1980"));
    assert!(t.contains(&"2 80 03 75 123 456 78"));
    assert!(!t.iter().any(|s| s.contains("Hospitalisations")));
}

#[test]
fn long_profile_breaks_pages_within_bounds() {
    let m = Measurer::get().expect("fonts");
    let pages = lay_out(&input(150), m);
    assert!(pages.len() >= 3, "{}", pages.len());
    for (n, page) in pages.iter().enumerate() {
        assert!(!page.is_empty());
        for item in page {
            if let Item::Text {
                x,
                y,
                text,
                size,
                weight,
                ..
            } = item
            {
                assert!(
                    *y > MARGIN_TOP && *y <= CONTENT_BOTTOM,
                    "page {n}: {text} at {y}"
                );
                assert!(
                    x + m.width(text, *weight, *size) <= PAGE_WIDTH - 50.0,
                    "{text}"
                );
            }
        }
        let t = texts(page);
        if n > 0 && t.iter().any(|s| s.starts_with("Sujet de santé")) {
            assert_eq!(t[0], "Maladies et sujets de santé (suite)", "page {n}");
        }
    }
    // Every entry is there, once.
    let all: Vec<&str> = pages.iter().flat_map(|p| texts(p)).collect();
    for i in [0, 75, 149] {
        let want = format!("Sujet de santé numéro {i}, suivi régulier");
        assert_eq!(all.iter().filter(|s| **s == want).count(), 1, "{want}");
    }
}

#[test]
fn heading_is_never_last_on_a_page() {
    let m = Measurer::get().expect("fonts");
    for n in 0..60 {
        let mut inp = input(n);
        inp.sections.push(SectionBlock {
            title: "Allergies".into(),
            lines: vec!["Pollen".into()],
            always_shown: true,
        });
        for page in lay_out(&inp, m) {
            if let Some(Item::Text { weight, text, .. }) = page.last() {
                assert!(
                    *weight != Weight::Bold || text.starts_with("Page"),
                    "{n} entries: heading {text} ends a page"
                );
            }
        }
    }
}
