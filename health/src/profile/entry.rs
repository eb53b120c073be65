//! A stored entry of the profile and its one-line French summary (the synthesis PDF and the
//! pages use it).

use serde::Serialize;

use super::section::{Choice, EntourageKind, Section, Status};
use super::validate::{EntryData, french_date};
use crate::Author;

/// One entry of the medical profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub section: Section,
    #[serde(flatten)]
    pub data: EntryData,
    /// Who entered it (or changed it last).
    pub author: Author,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl Entry {
    /// The title, or for an untitled entourage entry the name of its kind.
    pub fn display_title(&self) -> String {
        if !self.data.title.is_empty() {
            return self.data.title.clone();
        }
        self.data
            .kind
            .map(|k| k.label().to_string())
            .unwrap_or_else(|| self.section.label().to_string())
    }

    /// One French line: title, then what matters for its section (dose, dates, status…), e.g.
    /// "Metformine — 500 mg, 2 fois par jour — depuis le 01/02/2020 — en cours".
    pub fn summary_line(&self) -> String {
        let d = &self.data;
        let mut parts: Vec<String> = Vec::new();
        let mut title = self.display_title();
        if self.section == Section::Entourage
            && let Some(k) = d.kind.filter(|_| !d.title.is_empty())
        {
            title = format!("{} : {title}", k.label());
        }
        parts.push(title);
        let joined = |xs: &[&str]| {
            xs.iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        };
        let extra = match self.section {
            Section::Treatments => joined(&[&d.dose, &d.frequency]),
            Section::Allergies => {
                let severity = d
                    .severity
                    .map(|s| format!("gravité {}", s.label().to_lowercase()))
                    .unwrap_or_default();
                joined(&[&d.reaction, &severity])
            }
            Section::Vaccinations => {
                let dose = d
                    .dose_number
                    .map(|n| format!("dose {n}"))
                    .unwrap_or_default();
                let lot = if d.lot.is_empty() {
                    String::new()
                } else {
                    format!("lot {}", d.lot)
                };
                joined(&[&dose, &lot])
            }
            Section::FamilyHistory => d
                .relation
                .map(|r| r.label().to_string())
                .unwrap_or_default(),
            Section::Hospitalisations | Section::CareHistory => d.place.clone(),
            Section::Entourage => match d.kind {
                Some(EntourageKind::Person) => joined(&[&d.role, &d.phone]),
                Some(EntourageKind::OrganDonation) => match d.consent {
                    Some(true) => "accepte le don d'organes".to_string(),
                    Some(false) => "refuse le don d'organes".to_string(),
                    None => String::new(),
                },
                _ => String::new(),
            },
            Section::Diseases => String::new(),
        };
        if !extra.is_empty() {
            parts.push(extra);
        }
        let start = d.start_date.as_deref().map(french_date);
        let end = d.end_date.as_deref().map(french_date);
        let dates = match (start, end) {
            (Some(s), Some(e)) if s == e => format!("le {s}"),
            (Some(s), Some(e)) => format!("du {s} au {e}"),
            (Some(s), None) if self.section.has(super::Field::EndDate) => format!("depuis le {s}"),
            (Some(s), None) => format!("le {s}"),
            (None, Some(e)) => format!("jusqu'au {e}"),
            (None, None) => String::new(),
        };
        if !dates.is_empty() {
            parts.push(dates);
        }
        if let Some(s) = d.status {
            parts.push(match s {
                Status::Current => "en cours".to_string(),
                Status::Past => "passé".to_string(),
            });
        }
        parts.join(" — ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuthorKind;
    use crate::profile::section::{Relation, Severity};

    fn entry(section: Section, data: EntryData) -> Entry {
        Entry {
            id: 1,
            section,
            data,
            author: Author {
                kind: AuthorKind::Patient,
                id: "1".into(),
                name: String::new(),
            },
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn summary_lines() {
        let cases = [
            (
                Section::Treatments,
                EntryData {
                    title: "Metformine".into(),
                    dose: "500 mg".into(),
                    frequency: "2 fois par jour".into(),
                    start_date: Some("2020-02-01".into()),
                    status: Some(Status::Current),
                    ..Default::default()
                },
                "Metformine — 500 mg, 2 fois par jour — depuis le 01/02/2020 — en cours",
            ),
            (
                Section::Allergies,
                EntryData {
                    title: "Pénicilline".into(),
                    reaction: "urticaire".into(),
                    severity: Some(Severity::Severe),
                    ..Default::default()
                },
                "Pénicilline — urticaire, gravité sévère",
            ),
            (
                Section::Vaccinations,
                EntryData {
                    title: "DTP".into(),
                    start_date: Some("2024-03-05".into()),
                    dose_number: Some(2),
                    lot: "AB12".into(),
                    ..Default::default()
                },
                "DTP — dose 2, lot AB12 — le 05/03/2024",
            ),
            (
                Section::Diseases,
                EntryData {
                    title: "Asthme".into(),
                    start_date: Some("2010-01-01".into()),
                    end_date: Some("2015-06-30".into()),
                    status: Some(Status::Past),
                    ..Default::default()
                },
                "Asthme — du 01/01/2010 au 30/06/2015 — passé",
            ),
            (
                Section::FamilyHistory,
                EntryData {
                    title: "Diabète".into(),
                    relation: Some(Relation::Mother),
                    ..Default::default()
                },
                "Diabète — Mère",
            ),
            (
                Section::Entourage,
                EntryData {
                    kind: Some(EntourageKind::OrganDonation),
                    consent: Some(true),
                    ..Default::default()
                },
                "Don d'organes — accepte le don d'organes",
            ),
            (
                Section::Entourage,
                EntryData {
                    kind: Some(EntourageKind::Person),
                    title: "Marie Dupont".into(),
                    role: "personne de confiance".into(),
                    phone: "06 12 34 56 78".into(),
                    ..Default::default()
                },
                "Personne de l'entourage : Marie Dupont — personne de confiance, 06 12 34 56 78",
            ),
        ];
        for (section, data, want) in cases {
            assert_eq!(entry(section, data).summary_line(), want);
        }
    }
}
