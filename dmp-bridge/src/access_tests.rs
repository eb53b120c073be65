//! Table tests of the access rules (access.rs).

use super::*;

fn pro(rpps: &str, profession: &str) -> Professional {
    Professional {
        rpps: rpps.into(),
        name: None,
        profession_code: Some(profession.into()),
        structure: None,
    }
}

fn bg(j: &str) -> Mode {
    Mode::BreakGlass {
        justification: j.into(),
    }
}

#[test]
fn matrix_defaults_and_overrides() {
    use Category::*;
    let m = AccessMatrix::default();
    let cases = [
        ("10", Autres, true),
        ("10", Biologie, true),
        ("50", Certificats, true),
        ("21", Ordonnances, true),
        ("21", Biologie, true),
        ("21", ComptesRendus, false),
        ("21", Imagerie, false),
        ("60", ComptesRendus, true),
        ("60", Certificats, false),
        ("70", Imagerie, true),
        ("70", Biologie, false),
        ("40", Imagerie, true),
        ("40", Autres, false),
        ("99", Synthese, false),
    ];
    for (p, c, want) in cases {
        assert_eq!(m.allows(Some(p), c), want, "{p} {c:?}");
    }
    assert!(!m.allows(None, Synthese));
    let o = AccessMatrix::with_overrides(&BTreeMap::from([
        ("21".to_string(), vec![ComptesRendus]),
        ("99".to_string(), vec![Synthese]),
    ]));
    assert!(o.allows(Some("21"), ComptesRendus));
    assert!(!o.allows(Some("21"), Biologie));
    assert!(o.allows(Some("99"), Synthese));
    assert!(o.allows(Some("10"), Biologie));
}

#[test]
fn entry_rules() {
    let doc = pro("10000000001", "10");
    let nurse = pro("10000000002", "60");
    let blocked = PatientSettings {
        blocked: ["10000000001".to_string()].into(),
        ..Default::default()
    };
    let opposed = PatientSettings {
        oppose_break_glass: true,
        oppose_samu: true,
        ..Default::default()
    };
    let open = PatientSettings::default();
    let justified = bg("patient inconscient aux urgences");
    let cases: Vec<(&Professional, &PatientSettings, Mode, Result<(), Refusal>)> = vec![
        (&doc, &open, Mode::Normal, Ok(())),
        (&doc, &blocked, Mode::Normal, Err(Refusal::Blocked)),
        (&doc, &blocked, justified.clone(), Err(Refusal::Blocked)),
        (&doc, &blocked, Mode::Samu, Err(Refusal::Blocked)),
        (&nurse, &blocked, Mode::Normal, Ok(())),
        (&doc, &open, justified.clone(), Ok(())),
        (&doc, &open, bg("   "), Err(Refusal::JustificationMissing)),
        (
            &doc,
            &open,
            bg("urgence"),
            Err(Refusal::JustificationMissing),
        ),
        (
            &doc,
            &opposed,
            justified.clone(),
            Err(Refusal::BreakGlassOpposed),
        ),
        (&doc, &open, Mode::Samu, Ok(())),
        (&doc, &opposed, Mode::Samu, Err(Refusal::SamuOpposed)),
        (&nurse, &open, Mode::Samu, Err(Refusal::SamuNotPhysician)),
        (&nurse, &opposed, Mode::Normal, Ok(())),
    ];
    for (p, s, mode, want) in cases {
        assert_eq!(check_entry(p, s, &mode), want, "{} {mode:?}", p.rpps);
    }
}

#[test]
fn document_rules() {
    let m = AccessMatrix::default();
    let author = pro("10000000001", "60");
    let mt = pro("10000000003", "10");
    let pharma = pro("10000000004", "21");
    let other_doc = pro("10000000005", "10");
    let settings = PatientSettings {
        medecin_traitant: Some(mt.rpps.clone()),
        ..Default::default()
    };
    let facts = |category, hidden: bool, masque: bool| DocFacts {
        category,
        author_rpps: Some("10000000001"),
        visibility: Visibility {
            hidden_by_patient: hidden,
            masque_ps: masque,
            ..Default::default()
        },
    };
    let emergency = bg("détresse respiratoire, patient inconscient");
    use Category::*;
    let cases = [
        // (who, mode, category, hidden by patient, MASQUE_PS, can read)
        (&author, Mode::Normal, Certificats, true, false, true),
        (&author, Mode::Normal, Autres, false, true, true),
        (&mt, Mode::Normal, Autres, true, true, true),
        (&pharma, Mode::Normal, Ordonnances, false, false, true),
        (&pharma, Mode::Normal, ComptesRendus, false, false, false),
        (&pharma, Mode::Normal, Ordonnances, true, false, false),
        (
            &pharma,
            emergency.clone(),
            ComptesRendus,
            false,
            false,
            false,
        ),
        (&other_doc, Mode::Normal, Biologie, false, false, true),
        (&other_doc, Mode::Normal, Biologie, true, false, false),
        (&other_doc, Mode::Normal, Biologie, false, true, false),
        (&other_doc, emergency.clone(), Biologie, true, false, true),
        (&other_doc, Mode::Samu, Biologie, false, true, true),
    ];
    for (p, mode, cat, hidden, masque, want) in cases {
        let got = can_read(&m, p, &settings, &mode, facts(cat, hidden, masque));
        assert_eq!(
            got, want,
            "{} {mode:?} {cat:?} hidden={hidden} masque={masque}",
            p.rpps
        );
    }
}

#[test]
fn citizen_side_visibility() {
    let v = |ip: bool, irl: bool| Visibility {
        invisible_patient: ip,
        invisible_rep_legaux: irl,
        hidden_by_patient: true,
        ..Default::default()
    };
    let cases = [
        (Viewer::Patient, v(false, false), true),
        (Viewer::Guardian, v(false, false), true),
        (Viewer::Patient, v(true, false), false),
        (Viewer::Guardian, v(true, false), false),
        (Viewer::Patient, v(false, true), true),
        (Viewer::Guardian, v(false, true), false),
    ];
    for (who, vis, want) in cases {
        assert_eq!(visible_to(who, &vis), want, "{who:?} {vis:?}");
    }
}
