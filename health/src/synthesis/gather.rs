//! Reading what the synthèse shows: the citizen's record in the directory (`dir_citizen`, keyed
//! by the NIR, which with its key *is* the INS the health tables use), their confirmed contact
//! details, the médecin traitant (DMP patient settings, named from the directory's
//! professionals), the profile's entries and the latest measure of each kind.

use sqlx::Row;
use store::Db;

use super::{PatientData, SectionBlock, SynthesisInput};
use crate::error::{HealthError, Result};
use crate::measures::{self, Measure};
use crate::profile::{self, Entry, Section};
use crate::{Author, AuthorKind};

/// The sections shown even when empty (with "Aucune information renseignée"): what a
/// professional looks for first. The others appear only when they have entries.
pub const MAIN_SECTIONS_ALWAYS_SHOWN: [Section; 4] = [
    Section::Diseases,
    Section::Treatments,
    Section::Allergies,
    Section::Vaccinations,
];

/// Title of the block of latest measures, placed right after the main sections.
const MEASURES_TITLE: &str = "Dernières mesures";

/// Everything the synthèse of patient `ins` shows. `generated_at` is the French date and time
/// printed on it (the caller's clock and format). A patient the directory does not know is
/// `NotFound`.
pub async fn gather(db: &Db, ins: &str, generated_at: &str) -> Result<SynthesisInput> {
    let account = directory::accounts::account(db, ins)
        .await
        .map_err(|e| HealthError::Internal(format!("directory: {e}")))?
        .ok_or(HealthError::NotFound)?;
    let contact = directory::contacts::contact(db, &account.address)
        .await
        .map_err(|e| HealthError::Internal(format!("directory: {e}")))?;
    let settings = dmp_bridge::patient::settings(db, ins).await?;
    let medecin_traitant = match settings.medecin_traitant {
        Some(rpps) => Some(professional_name(db, &rpps).await?),
        None => None,
    };
    let patient = PatientData {
        birth_name: account.birth_name,
        first_names: account.first_names,
        birth_date: account.birth_date,
        sex: account.sex,
        ins: account.nir,
        mailbox: account.address,
        email: contact.email,
        mobile: contact.mobile,
        medecin_traitant,
    };
    let entries = profile::entries(db, ins).await?;
    let latest = measures::latest_by_kind(db, ins).await?;
    Ok(SynthesisInput {
        patient,
        sections: blocks(&entries, &latest),
        generated_at: generated_at.to_string(),
    })
}

/// The blocks in reading order: the four main sections, the latest measures, then the other
/// sections (shown only when they have entries). Pure.
pub(crate) fn blocks(entries: &[Entry], latest: &[Measure]) -> Vec<SectionBlock> {
    let section_block = |s: Section| SectionBlock {
        title: s.label().to_string(),
        lines: entries
            .iter()
            .filter(|e| e.section == s)
            .map(entry_line)
            .collect(),
        always_shown: MAIN_SECTIONS_ALWAYS_SHOWN.contains(&s),
    };
    let mut out: Vec<SectionBlock> = MAIN_SECTIONS_ALWAYS_SHOWN
        .into_iter()
        .map(section_block)
        .collect();
    out.push(SectionBlock {
        title: MEASURES_TITLE.to_string(),
        lines: latest.iter().map(measure_line).collect(),
        always_shown: true,
    });
    out.extend(
        Section::ALL
            .into_iter()
            .filter(|s| !MAIN_SECTIONS_ALWAYS_SHOWN.contains(s))
            .map(section_block),
    );
    out
}

/// The entry's summary, and who entered it when it was a professional: the reader should know
/// what the médecin traitant wrote and what the citizen declared.
fn entry_line(e: &Entry) -> String {
    match &e.author {
        Author {
            kind: AuthorKind::Professional,
            name,
            ..
        } if !name.trim().is_empty() => format!("{} (saisi par {})", e.summary_line(), name.trim()),
        _ => e.summary_line(),
    }
}

/// "Tension artérielle : 125/80 mmHg, le 12 mars 2026 à 08:30".
fn measure_line(m: &Measure) -> String {
    format!(
        "{} : {}, le {}",
        m.kind.label(),
        m.display_value(),
        m.display_date()
    )
}

/// "Dr Léa ROUSSEAU (RPPS 10001234567)" from the directory's professionals (PS_LibreAcces), or
/// the bare number when the directory does not know them (any more).
async fn professional_name(db: &Db, rpps: &str) -> Result<String> {
    let row = sqlx::query(
        "SELECT civility, first_name, last_name FROM dir_professional \
         WHERE id_type = '8' AND pp_id = $1",
    )
    .bind(rpps.to_string())
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else {
        return Ok(format!("Professionnel RPPS {rpps}"));
    };
    let get =
        |c: &str| -> Result<String> { Ok(r.try_get::<Option<String>, _>(c)?.unwrap_or_default()) };
    let title = civility_title(&get("civility")?);
    let name = format!("{title}{} {}", get("first_name")?, get("last_name")?);
    Ok(format!("{} (RPPS {rpps})", name.trim()))
}

/// "Dr " or "Pr " from the directory's civility, given as a code (`DR`, MSSanté extract) or a
/// label (`Docteur`, PS_LibreAcces); nothing for "Monsieur", "Madame" or an empty field.
pub fn civility_title(civility: &str) -> &'static str {
    match civility.trim().to_lowercase().as_str() {
        "dr" | "docteur" => "Dr ",
        "pr" | "professeur" => "Pr ",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::{MEASURES_TITLE, blocks, civility_title, entry_line};
    use crate::profile::validate::EntryData;
    use crate::profile::{Entry, Section};
    use crate::{Author, AuthorKind};

    fn entry(section: Section, title: &str, author: AuthorKind, name: &str) -> Entry {
        Entry {
            id: 1,
            section,
            data: EntryData {
                title: title.into(),
                ..Default::default()
            },
            author: Author {
                kind: author,
                id: "x".into(),
                name: name.into(),
            },
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn block_order_and_visibility() {
        let entries = vec![
            entry(Section::Allergies, "Pollen", AuthorKind::Patient, ""),
            entry(
                Section::CareHistory,
                "Kinésithérapie",
                AuthorKind::Patient,
                "",
            ),
        ];
        let b = blocks(&entries, &[]);
        let titles: Vec<(&str, bool)> = b.iter().map(|b| (b.title.as_str(), b.shown())).collect();
        assert_eq!(
            titles,
            vec![
                ("Maladies et sujets de santé", true),
                ("Traitements", true),
                ("Allergies", true),
                ("Vaccinations", true),
                (MEASURES_TITLE, true),
                ("Hospitalisations et chirurgies", false),
                ("Antécédents familiaux", false),
                ("Entourage et volontés", false),
                ("Historique de soins", true),
            ]
        );
        assert_eq!(b[2].lines, vec!["Pollen".to_string()]);
    }

    #[test]
    fn titles_from_civility() {
        let cases = [
            ("DR", "Dr "),
            ("Docteur", "Dr "),
            (" PR ", "Pr "),
            ("Professeur", "Pr "),
            ("Monsieur", ""),
            ("MME", ""),
            ("", ""),
        ];
        for (given, want) in cases {
            assert_eq!(civility_title(given), want, "{given:?}");
        }
    }

    #[test]
    fn professional_entries_name_their_author() {
        let cases = [
            (AuthorKind::Patient, "", "Asthme"),
            (AuthorKind::Guardian, "", "Asthme"),
            (
                AuthorKind::Professional,
                "Dr Léa ROUSSEAU",
                "Asthme (saisi par Dr Léa ROUSSEAU)",
            ),
            (AuthorKind::Professional, " ", "Asthme"),
        ];
        for (kind, name, want) in cases {
            let e = entry(Section::Diseases, "Asthme", kind, name);
            assert_eq!(entry_line(&e), want);
        }
    }
}
