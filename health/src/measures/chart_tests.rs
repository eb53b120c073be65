//! The chart is well-formed SVG that carries the values and French labels.

use time::{Date, Month};

use super::*;
use crate::{Author, AuthorKind};

fn measure(id: i64, kind: Kind, day: u8, v: i64, v2: Option<i64>) -> Measure {
    Measure {
        id,
        kind,
        value: v as f64 / 100.0,
        value2: v2.map(|v| v as f64 / 100.0),
        unit: kind.unit(),
        value_centi: v,
        value2_centi: v2,
        date: Date::from_calendar_date(2026, Month::February, day).expect("date"),
        time: None,
        note: None,
        author: Author {
            kind: AuthorKind::Patient,
            id: "180017512345678".into(),
            name: String::new(),
        },
        created_at: 0,
    }
}

/// Parses the SVG as XML (names of end tags checked, every tag closed, entities valid) and
/// checks the root is an SVG element.
fn assert_well_formed(svg: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let (mut depth, mut root) = (0i32, None);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if root.is_none() {
                    root = Some(e.local_name().as_ref().to_string());
                }
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::GeneralRef(r)) => {
                let name = r.xml10_content().to_string();
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_str())
                        || name.starts_with('#'),
                    "unknown entity &{name};"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{svg}",
                reader.buffer_position()
            ),
        }
        assert!(depth >= 0, "more end tags than start tags");
    }
    assert_eq!(depth, 0, "unclosed elements");
    assert_eq!(root.as_deref(), Some("svg"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
}

#[test]
fn temperature_chart_has_points_axes_and_french_labels() {
    let ms = vec![
        measure(2, Kind::Temperature, 10, 38_20, None),
        measure(1, Kind::Temperature, 1, 37_10, None),
        measure(3, Kind::Temperature, 20, 36_90, None),
    ];
    let svg = chart_svg(Kind::Temperature, &ms).expect("svg");
    assert_well_formed(&svg);
    assert_eq!(svg.matches("<circle").count(), 3);
    assert_eq!(svg.matches("<polyline").count(), 1);
    assert!(svg.contains("Température (°C)"));
    assert!(svg.contains("1er février 2026 : 37,1\u{a0}°C"));
    assert!(svg.contains("20 février 2026 : 36,9\u{a0}°C"));
    assert!(svg.contains(">01/02<") && svg.contains(">20/02<"));
    assert!(svg.contains("Date (2026)"));
    assert!(svg.contains("Courbe de température : 3 mesures du 1er février 2026 au 20 février 2026, de 36,9 à 38,2\u{a0}°C."));
    // Values on the axis with a decimal comma.
    assert!(svg.contains(">37,5<") || svg.contains(">37<"));
}

#[test]
fn blood_pressure_has_two_series_and_a_legend() {
    let ms = vec![
        measure(1, Kind::Tension, 1, 130_00, Some(85_00)),
        measure(2, Kind::Tension, 8, 125_00, Some(80_00)),
    ];
    let svg = chart_svg(Kind::Tension, &ms).expect("svg");
    assert_well_formed(&svg);
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert!(svg.contains(">Systolique<") && svg.contains(">Diastolique<"));
    assert!(svg.contains("Diastolique — 8 février 2026 : 80\u{a0}mmHg"));
    assert!(svg.contains("systolique de 125 à 130\u{a0}mmHg, diastolique de 80 à 85\u{a0}mmHg"));
}

#[test]
fn empty_single_and_escaped() {
    let svg = chart_svg(Kind::Poids, &[]).expect("svg");
    assert_well_formed(&svg);
    assert!(svg.contains("Aucune mesure pour l’instant."));
    let one = vec![measure(1, Kind::Douleur, 3, 4_00, None)];
    let svg = chart_svg(Kind::Douleur, &one).expect("svg");
    assert_well_formed(&svg);
    assert!(svg.contains("Niveau de douleur (sur 10)"));
    assert!(svg.contains("3 février 2026 : 4/10"));
    assert_eq!(
        chart_alt(Kind::Douleur, &one),
        "Courbe de niveau de douleur : 1 mesure le 3 février 2026, 4/10."
    );
    // Measures of another kind are ignored.
    let svg = chart_svg(Kind::Poids, &one).expect("svg");
    assert!(svg.contains("Aucune mesure"));
}

#[test]
fn nice_steps() {
    assert_eq!(nice_step(100.0, 4.0), 50.0);
    assert_eq!(nice_step(1000.0, 4.0), 500.0);
    assert_eq!(nice_step(7000.0, 4.0), 2000.0);
}

#[test]
#[should_panic]
fn the_checker_refuses_broken_svg() {
    assert_well_formed(r#"<svg xmlns="http://www.w3.org/2000/svg"><g><text>a & b</text></svg>"#);
}
