//! The agenda as an iCalendar file (RFC 5545) for any calendar application. The `icalendar` crate
//! writes the lines: text escaping (`\,` `\;` `\n` `\\`) and folding at 75 octets on character
//! boundaries (accents stay whole). Times are in UTC (`…Z`): a `TZID=Europe/Paris` would need a
//! VTIMEZONE block the crate does not write, and every client shows UTC in the user's own zone.

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};

use super::Appointment;

/// `PRODID` of the files we write.
pub const PRODID: &str = "-//santemail//Agenda santé//FR";

fn utc(ts: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(ts, 0).unwrap_or_default()
}

/// The stable UID of an appointment: the same event in every export, so a calendar application
/// updates it instead of adding a copy. `host` is the webmail's host name.
pub fn uid(id: i64, host: &str) -> String {
    format!("rdv-{id}@{host}")
}

/// The DESCRIPTION: with whom (and their RPPS), then the notes.
fn description(a: &Appointment) -> Option<String> {
    let mut parts = Vec::new();
    match (&a.draft.professional, &a.draft.with_text) {
        (Some(p), _) => parts.push(format!("Avec : {} (RPPS {})", p.name, p.rpps)),
        (None, Some(w)) => parts.push(format!("Avec : {w}")),
        (None, None) => {}
    }
    if let Some(n) = &a.draft.notes {
        parts.push(n.clone());
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

fn event(a: &Appointment, host: &str) -> Event {
    let mut e = Event::new();
    e.uid(&uid(a.id, host))
        .timestamp(utc(a.updated_at))
        .last_modified(utc(a.updated_at))
        .created(utc(a.created_at))
        .summary(&a.summary())
        .starts(utc(a.draft.starts_at));
    if let Some(m) = a.draft.duration_min {
        e.ends(utc(a.draft.starts_at + m * 60));
    }
    if let Some(p) = &a.draft.place {
        e.location(p);
    }
    if let Some(d) = description(a) {
        e.description(&d);
    }
    if let Some(lead) = a.draft.reminder.lead_secs() {
        let mut alarm = Alarm::display(
            &format!("Rappel : {}", a.summary()),
            Trigger::before_start(TimeDelta::seconds(lead)),
        );
        // The crate would otherwise stamp the alarm with the current time and a random UID:
        // the same agenda must give the same file.
        alarm
            .uid(&format!("rdv-{}-rappel@{host}", a.id))
            .timestamp(utc(a.updated_at));
        e.alarm(alarm.done());
    }
    e.done()
}

/// The calendar of `appointments` (already chosen by the caller).
pub fn calendar(appointments: &[Appointment], host: &str) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name("Mon agenda santé");
    for a in appointments {
        cal.push(event(a, host));
    }
    cal.done().to_string()
}

#[cfg(test)]
#[path = "ics_tests.rs"]
mod tests;
