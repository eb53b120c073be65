use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 12 - 06);

/// Born `years` years and `months` months before TODAY (to the day).
fn born(years: i32, months: u32) -> Date {
    let d =
        Date::from_calendar_date(TODAY.year() - years, TODAY.month(), TODAY.day()).expect("date");
    // Going back `months` is going forward 12·k − months then back k years.
    if months == 0 {
        d
    } else {
        let fwd = add_months(d, 12 - months);
        Date::from_calendar_date(fwd.year() - 1, fwd.month(), fwd.day()).expect("date")
    }
}

fn ids(birth: Date, sex: Option<Sex>, dismissed: &[Dismissal]) -> Vec<&'static str> {
    proposals(birth, sex, TODAY, dismissed)
        .iter()
        .map(|p| p.rule.id)
        .collect()
}

#[test]
fn the_table_is_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for r in RULES {
        assert!(seen.insert(r.id), "duplicate id {}", r.id);
        assert!(
            r.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{} is not a URL slug",
            r.id
        );
        assert!(r.until_months.is_none_or(|u| u > r.from_months), "{}", r.id);
        assert!(
            !r.title.is_empty() && r.explanation.ends_with('.'),
            "{}",
            r.id
        );
        assert!(!r.explanation.contains("  "), "{}: double space", r.id);
        assert_eq!(rule(r.id), Some(r));
    }
}

#[test]
fn ages_in_completed_months() {
    let cases = [
        (date!(2000 - 01 - 15), date!(2000 - 01 - 15), Some(0)),
        (date!(2000 - 01 - 15), date!(2000 - 02 - 14), Some(0)),
        (date!(2000 - 01 - 15), date!(2000 - 02 - 15), Some(1)),
        (date!(1976 - 12 - 06), date!(2026 - 12 - 05), Some(599)),
        (date!(1976 - 12 - 06), date!(2026 - 12 - 06), Some(600)),
        (date!(2030 - 01 - 01), date!(2026 - 12 - 06), None),
    ];
    for (birth, today, want) in cases {
        assert_eq!(age_months(birth, today), want, "{birth} {today}");
    }
    assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
    assert_eq!(add_months(date!(2026 - 12 - 06), 24), date!(2028 - 12 - 06));
}

#[test]
fn sex_from_register_or_nir() {
    assert_eq!(Sex::of(Some("F"), "1..."), Some(Sex::Female));
    assert_eq!(Sex::of(Some("M"), "2..."), Some(Sex::Male));
    assert_eq!(Sex::of(None, "240013700100130"), Some(Sex::Female));
    assert_eq!(Sex::of(Some(""), "115063726104045"), Some(Sex::Male));
    assert_eq!(Sex::of(None, ""), None);
}

#[test]
fn boundary_ages() {
    use Sex::{Female as F, Male as M};
    // (age in years, sex, rule, proposed?)
    let cases: &[(i32, Option<Sex>, &str, bool)] = &[
        (49, Some(F), "depistage-colorectal", false),
        (50, Some(F), "depistage-colorectal", true),
        (50, Some(M), "depistage-colorectal", true),
        (74, Some(M), "depistage-colorectal", true),
        (75, Some(M), "depistage-colorectal", false),
        (49, Some(F), "depistage-sein", false),
        (50, Some(F), "depistage-sein", true),
        (50, Some(M), "depistage-sein", false),
        (50, None, "depistage-sein", false),
        (74, Some(F), "depistage-sein", true),
        (75, Some(F), "depistage-sein", false),
        (24, Some(F), "depistage-col-uterus-25-29-ans", false),
        (25, Some(F), "depistage-col-uterus-25-29-ans", true),
        (25, Some(M), "depistage-col-uterus-25-29-ans", false),
        (29, Some(F), "depistage-col-uterus-25-29-ans", true),
        (30, Some(F), "depistage-col-uterus-25-29-ans", false),
        (30, Some(F), "depistage-col-uterus-30-65-ans", true),
        (65, Some(F), "depistage-col-uterus-30-65-ans", true),
        (66, Some(F), "depistage-col-uterus-30-65-ans", false),
        (24, Some(M), "dtp-25-ans", false),
        (25, Some(M), "dtp-25-ans", true),
        (45, Some(F), "dtp-45-ans", true),
        (64, Some(F), "dtp-65-ans", false),
        (65, Some(F), "dtp-65-ans", true),
        (74, Some(F), "dtp-75-ans-et-plus", false),
        (75, Some(F), "dtp-75-ans-et-plus", true),
        (64, Some(M), "grippe", false),
        (65, Some(M), "grippe", true),
        (90, Some(M), "grippe", true),
        (65, Some(M), "zona", true),
        (65, Some(M), "pneumocoque", true),
        (65, Some(M), "covid-19", true),
        (10, Some(F), "hpv-11-14-ans", false),
        (11, Some(M), "hpv-11-14-ans", true),
        (14, Some(F), "hpv-11-14-ans", true),
        (15, Some(F), "hpv-11-14-ans", false),
        (19, Some(F), "hpv-rattrapage", true),
        (20, Some(F), "hpv-rattrapage", false),
        (17, Some(M), "bilan-prevention-18-25-ans", false),
        (18, Some(M), "bilan-prevention-18-25-ans", true),
        (25, Some(M), "bilan-prevention-18-25-ans", true),
        (26, Some(M), "bilan-prevention-18-25-ans", false),
        (50, Some(M), "bilan-prevention-45-50-ans", true),
        (51, Some(M), "bilan-prevention-45-50-ans", false),
        (60, Some(F), "bilan-prevention-60-65-ans", true),
        (75, Some(F), "bilan-prevention-70-75-ans", true),
        (76, Some(F), "bilan-prevention-70-75-ans", false),
    ];
    for &(age, sex, id, want) in cases {
        let got = ids(born(age, 0), sex, &[]).contains(&id);
        assert_eq!(got, want, "{id} at {age} ({sex:?})");
        // The day before the birthday, the person is still a year younger.
        let eve = born(age, 0).next_day().expect("date");
        let younger = ids(eve, sex, &[]).contains(&id);
        let want_younger = ids(born(age - 1, 0), sex, &[]).contains(&id);
        assert_eq!(younger, want_younger, "{id} the day before turning {age}");
    }
}

#[test]
fn a_child() {
    // Lou, 4 months old: the 4-month vaccines and the infant examinations, nothing for adults.
    assert_eq!(
        ids(born(0, 4), Some(Sex::Male), &[]),
        ["examens-nourrisson", "vaccins-4-mois"]
    );
    assert_eq!(
        ids(born(0, 2), None, &[]),
        ["examens-nourrisson", "vaccins-2-mois"]
    );
    assert_eq!(
        ids(born(1, 0), Some(Sex::Female), &[]),
        ["examens-nourrisson", "vaccins-12-mois"]
    );
    // Sacha, 11 years old.
    assert_eq!(
        ids(born(11, 0), Some(Sex::Female), &[]),
        ["examen-11-13-ans", "rappel-11-13-ans", "hpv-11-14-ans"]
    );
    // Not born yet: nothing.
    assert!(ids(date!(2027 - 01 - 01), None, &[]).is_empty());
}

#[test]
fn an_older_woman_and_man() {
    let woman = ids(born(66, 0), Some(Sex::Female), &[]);
    assert_eq!(
        woman,
        [
            "depistage-sein",
            "depistage-colorectal",
            "dtp-65-ans",
            "grippe",
            "covid-19",
            "zona",
            "pneumocoque"
        ]
    );
    let man = ids(born(52, 0), Some(Sex::Male), &[]);
    assert_eq!(man, ["depistage-colorectal"]);
}

#[test]
fn dismissals() {
    let birth = born(60, 0);
    let d = |rule: &str, on: Date| Dismissal {
        rule: rule.into(),
        on,
    };
    // A periodic rule comes back when its interval has passed: colorectal every 2 years.
    let recent = [d("depistage-colorectal", date!(2025 - 12 - 07))];
    assert!(!ids(birth, Some(Sex::Male), &recent).contains(&"depistage-colorectal"));
    let old = [d("depistage-colorectal", date!(2024 - 12 - 06))];
    assert!(ids(birth, Some(Sex::Male), &old).contains(&"depistage-colorectal"));
    // A one-off stays dismissed.
    let once = [d("bilan-prevention-60-65-ans", date!(2020 - 01 - 01))];
    assert!(!ids(birth, Some(Sex::Male), &once).contains(&"bilan-prevention-60-65-ans"));
    assert!(ids(birth, Some(Sex::Male), &[]).contains(&"bilan-prevention-60-65-ans"));
}

#[test]
fn rhythms() {
    let r = |id| rule(id).expect("rule").rhythm();
    assert_eq!(r("depistage-colorectal"), "tous les 2 ans");
    assert_eq!(r("grippe"), "chaque année");
    assert_eq!(r("dtp-75-ans-et-plus"), "tous les 10 ans");
    assert_eq!(r("zona"), "");
}
