use icalendar::parser::{read_calendar, unfold};

use super::*;
use crate::agenda::{Draft, ProRef, Reminder};
use crate::{Author, AuthorKind};

fn appointment(id: i64, draft: Draft) -> Appointment {
    Appointment {
        id,
        patient_ins: "240013700100130".into(),
        draft,
        remind_at: None,
        reminder_sent_at: None,
        author: Author {
            kind: AuthorKind::Patient,
            id: "240013700100130".into(),
            name: String::new(),
        },
        created_at: 1_796_000_000,
        updated_at: 1_796_100_000,
    }
}

fn tricky() -> Appointment {
    appointment(
        7,
        Draft {
            // 15 December 2026, 14:30 in Paris.
            starts_at: 1_797_341_400,
            duration_min: Some(45),
            title: Some("Échographie ; contrôle, « suivi » \\ annuel".into()),
            professional: Some(ProRef {
                rpps: "10693719556".into(),
                name: "Dr Léa ROUSSEAU".into(),
            }),
            with_text: None,
            place: Some("Hôpital Bretonneau, 2 boulevard Tonnellé; bâtiment B".into()),
            notes: Some(
                "Apporter : carte Vitale, ordonnance; résultats\nÀ jeun depuis la veille — \
                 prévoir une longue attente, très très longue, afin de vérifier le pliage"
                    .into(),
            ),
            reminder: Reminder::DayBefore,
            prevention_rule: None,
        },
    )
}

#[test]
fn lines_are_escaped_and_folded() {
    let ics = calendar(&[tricky()], "webmail.example");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in {ics}");
    let flat = unfold(&ics);
    assert!(flat.contains(&format!("PRODID:{PRODID}")), "{flat}");
    assert!(flat.contains("UID:rdv-7@webmail.example"), "{flat}");
    assert!(flat.contains("DTSTART:20261215T133000Z"), "{flat}");
    assert!(flat.contains("DTEND:20261215T141500Z"), "{flat}");
    assert!(
        flat.contains("SUMMARY:Échographie \\; contrôle\\, « suivi » \\\\ annuel"),
        "{flat}"
    );
    assert!(
        flat.contains("LOCATION:Hôpital Bretonneau\\, 2 boulevard Tonnellé\\; bâtiment B"),
        "{flat}"
    );
    assert!(flat.contains("BEGIN:VALARM"), "{flat}");
    assert!(flat.contains("ACTION:DISPLAY"), "{flat}");
}

#[test]
fn it_parses_back() {
    let mut plain = tricky();
    plain.id = 8;
    plain.draft.title = None;
    plain.draft.professional = None;
    plain.draft.with_text = Some("Kiné, M. Dupont".into());
    plain.draft.duration_min = None;
    plain.draft.place = None;
    plain.draft.notes = None;
    plain.draft.reminder = Reminder::None;
    let ics = calendar(&[tricky(), plain], "webmail.example");
    let flat = unfold(&ics);
    let parsed: Calendar = read_calendar(&flat).expect("parse").into();
    let events: Vec<&Event> = parsed.events().collect();
    assert_eq!(events.len(), 2);

    let e = events[0];
    assert_eq!(e.get_uid(), Some("rdv-7@webmail.example"));
    assert_eq!(
        e.get_summary(),
        Some("Échographie ; contrôle, « suivi » \\ annuel")
    );
    assert_eq!(
        e.get_location(),
        Some("Hôpital Bretonneau, 2 boulevard Tonnellé; bâtiment B")
    );
    let desc = e.get_description().expect("description");
    assert!(
        desc.starts_with(
            "Avec : Dr Léa ROUSSEAU (RPPS 10693719556)\nApporter : carte Vitale, ordonnance; \
             résultats\nÀ jeun"
        ),
        "{desc:?}"
    );
    assert!(desc.ends_with("vérifier le pliage"), "{desc:?}");
    assert_eq!(
        e.get_start(),
        Some(utc(1_797_341_400).into()),
        "DTSTART is the UTC instant"
    );
    assert_eq!(e.get_timestamp(), Some(utc(1_796_100_000)));

    let e = events[1];
    assert_eq!(e.get_uid(), Some("rdv-8@webmail.example"));
    assert_eq!(e.get_summary(), Some("Rendez-vous avec Kiné, M. Dupont"));
    assert_eq!(e.get_description(), Some("Avec : Kiné, M. Dupont"));
    assert_eq!(e.get_end(), None);
    // Only the first one has an alarm.
    assert_eq!(flat.matches("BEGIN:VALARM").count(), 1);
}

#[test]
fn the_alarm_matches_the_reminder() {
    let mut a = tricky();
    let day = unfold(&calendar(std::slice::from_ref(&a), "h"));
    assert!(day.contains("TRIGGER;RELATED=START:-PT86400S"), "{day}");
    assert!(day.contains("UID:rdv-7-rappel@h"), "{day}");
    // Same agenda, same bytes (no clock, no random UID in the file).
    assert_eq!(day, unfold(&calendar(std::slice::from_ref(&a), "h")));
    a.draft.reminder = Reminder::TwoHours;
    let two = unfold(&calendar(&[a], "h"));
    assert!(two.contains("TRIGGER;RELATED=START:-PT7200S"), "{two}");
}
