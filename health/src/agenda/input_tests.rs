use time::macros::{date, time};

use super::*;

const TODAY: Date = date!(2026 - 12 - 06);

fn input(date: &str, time: &str) -> AppointmentInput {
    AppointmentInput {
        date: date.into(),
        time: time.into(),
        title: "Contrôle".into(),
        ..AppointmentInput::default()
    }
}

fn err(i: &AppointmentInput) -> String {
    match validate(i, None, TODAY) {
        Err(HealthError::Invalid(t)) => t,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn dates_and_times() {
    let dates = [
        ("03/03/2026", Some(date!(2026 - 03 - 03))),
        ("3/3/2026", Some(date!(2026 - 03 - 03))),
        ("2026-03-03", Some(date!(2026 - 03 - 03))),
        (" 29/02/2028 ", Some(date!(2028 - 02 - 29))),
        ("29/02/2026", None),
        ("31/04/2026", None),
        ("03/03/26", None),
        ("2026/03/03", None),
        ("03-03-2026", None),
        ("", None),
        ("aujourd’hui", None),
    ];
    for (s, want) in dates {
        assert_eq!(parse_date(s), want, "{s:?}");
    }
    let times = [
        ("14:30", Some(time!(14:30))),
        ("09:05", Some(time!(09:05))),
        ("9:05", Some(time!(09:05))),
        ("14h30", Some(time!(14:30))),
        ("14 h 30", Some(time!(14:30))),
        ("9h", Some(time!(09:00))),
        ("9 H", Some(time!(09:00))),
        ("24:00", None),
        ("14:60", None),
        ("14:3", None),
        ("14:", None),
        ("midi", None),
        ("", None),
    ];
    for (s, want) in times {
        assert_eq!(parse_time(s), want, "{s:?}");
    }
}

#[test]
fn a_full_appointment() {
    let i = AppointmentInput {
        date: "2026-12-15".into(),
        time: "14:30".into(),
        duration: "30".into(),
        title: String::new(),
        with_text: "ignoré".into(),
        place: "Cabinet, 12 rue Nationale; Tours".into(),
        notes: "Apporter la carte Vitale\r\net les résultats".into(),
        reminder: "veille".into(),
        rule: "depistage-colorectal".into(),
    };
    let pro = ProRef {
        rpps: "10693719556".into(),
        name: "Dr Léa ROUSSEAU".into(),
    };
    let d = validate(&i, Some(pro.clone()), TODAY).expect("valid");
    // 14:30 in Paris in December is 13:30 UTC.
    assert_eq!(d.starts_at, 1_797_341_400);
    assert_eq!(d.duration_min, Some(30));
    assert_eq!(d.professional, Some(pro));
    assert_eq!(d.with_text, None);
    assert_eq!(
        d.notes.as_deref(),
        Some("Apporter la carte Vitale\net les résultats")
    );
    assert_eq!(d.reminder, Reminder::DayBefore);
    assert_eq!(d.remind_at(), Some(1_797_341_400 - 86_400));
    assert_eq!(d.prevention_rule.as_deref(), Some("depistage-colorectal"));
    assert_eq!(d.summary(), "Rendez-vous avec Dr Léa ROUSSEAU");
}

#[test]
fn refusals_name_the_field() {
    let long = "x".repeat(MAX_PLACE + 1);
    let cases: Vec<(AppointmentInput, &str)> = vec![
        (input("", "14:30"), "Indiquez la date"),
        (
            input("32/01/2026", "14:30"),
            "La date « 32/01/2026 » n’est pas valide",
        ),
        (input("01/01/2040", "14:30"), "entre 2021 et 2031"),
        (input("15/12/2026", ""), "Indiquez l’heure"),
        (
            input("15/12/2026", "25:00"),
            "L’heure « 25:00 » n’est pas valide",
        ),
        (input("29/03/2026", "02:30"), "n’existe pas le 29 mars 2026"),
        (
            AppointmentInput {
                duration: "0".into(),
                ..input("15/12/2026", "14:30")
            },
            "La durée",
        ),
        (
            AppointmentInput {
                duration: "une heure".into(),
                ..input("15/12/2026", "14:30")
            },
            "La durée",
        ),
        (
            AppointmentInput {
                place: long,
                ..input("15/12/2026", "14:30")
            },
            "Le lieu ne doit pas dépasser 200 caractères",
        ),
        (
            AppointmentInput {
                title: "a\nb".into(),
                ..input("15/12/2026", "14:30")
            },
            "L’objet doit tenir sur une ligne",
        ),
        (
            AppointmentInput {
                notes: "a\u{0}b".into(),
                ..input("15/12/2026", "14:30")
            },
            "Les notes",
        ),
        (
            AppointmentInput {
                title: String::new(),
                ..input("15/12/2026", "14:30")
            },
            "avec qui",
        ),
        (
            AppointmentInput {
                reminder: "demain".into(),
                ..input("15/12/2026", "14:30")
            },
            "rappel",
        ),
        (
            AppointmentInput {
                rule: "inconnue".into(),
                ..input("15/12/2026", "14:30")
            },
            "proposition",
        ),
    ];
    for (i, want) in cases {
        let text = err(&i);
        assert!(text.contains(want), "{i:?}: {text}");
    }
}

#[test]
fn free_text_professional() {
    let i = AppointmentInput {
        with_text: "Kiné, M. Dupont".into(),
        title: String::new(),
        ..input("15/12/2026", "9h")
    };
    let d = validate(&i, None, TODAY).expect("valid");
    assert_eq!(d.with_text.as_deref(), Some("Kiné, M. Dupont"));
    assert_eq!(d.reminder, Reminder::None);
    assert_eq!(d.remind_at(), None);
    assert_eq!(d.summary(), "Rendez-vous avec Kiné, M. Dupont");
}
