//! The profile's forms and lists as the templates show them: one generic list of fields built
//! from the section table (`health::profile::Section::fields`), with the typed values kept and
//! each French error beside its field, so the eight sections share two templates.

use health::profile::{
    Choice, EntourageKind, Entry, EntryForm, Field, FieldErrors, Relation, Section, Severity,
    Status,
};
use health::{Author, AuthorKind};

use crate::views::french_datetime;

/// How a field is typed in.
pub(crate) enum Input {
    Text {
        max: usize,
    },
    Date,
    Number,
    Tel,
    Textarea,
    Select(Vec<Opt>),
    /// Oui / non radio buttons.
    YesNo,
}

pub(crate) struct Opt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// One field of a form.
pub(crate) struct FieldView {
    /// The form name (and JSON key of the API).
    pub name: &'static str,
    /// The HTML id (unique on the page: `prefix-name`).
    pub id: String,
    pub label: String,
    pub hint: &'static str,
    pub required: bool,
    pub input: Input,
    pub value: String,
    pub error: Option<String>,
}

impl FieldView {
    pub fn is_text(&self) -> bool {
        matches!(self.input, Input::Text { .. })
    }
    pub fn max(&self) -> usize {
        match self.input {
            Input::Text { max } => max,
            _ => 0,
        }
    }
    pub fn is_date(&self) -> bool {
        matches!(self.input, Input::Date)
    }
    pub fn is_number(&self) -> bool {
        matches!(self.input, Input::Number)
    }
    pub fn is_tel(&self) -> bool {
        matches!(self.input, Input::Tel)
    }
    pub fn is_textarea(&self) -> bool {
        matches!(self.input, Input::Textarea)
    }
    pub fn is_yes_no(&self) -> bool {
        matches!(self.input, Input::YesNo)
    }
    pub fn options(&self) -> &[Opt] {
        match &self.input {
            Input::Select(o) => o,
            _ => &[],
        }
    }
    pub fn is_select(&self) -> bool {
        matches!(self.input, Input::Select(_))
    }
    /// `aria-describedby`: the hint and the error, when there are.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-aide", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-erreur", self.id));
        }
        ids.join(" ")
    }
}

fn options<C: Choice>(current: &str, with_blank: Option<&'static str>) -> Vec<Opt> {
    let mut out: Vec<Opt> = with_blank
        .map(|label| Opt {
            value: "",
            label,
            selected: current.is_empty(),
        })
        .into_iter()
        .collect();
    out.extend(C::ALL.iter().map(|c| Opt {
        value: c.slug(),
        label: c.label(),
        selected: c.slug() == current,
    }));
    out
}

/// The fields of `section`'s form filled with `form`, errors beside them; ids start `prefix-`.
pub(crate) fn fields(
    section: Section,
    form: &EntryForm,
    errors: &FieldErrors,
    prefix: &str,
) -> Vec<FieldView> {
    section
        .fields()
        .iter()
        .map(|&f| {
            let (label, hint, required, input, value): (String, &str, bool, Input, &str) = match f {
                Field::Kind => (
                    "Type".into(),
                    "",
                    true,
                    Input::Select(options::<EntourageKind>(&form.kind, Some("— Choisir —"))),
                    &form.kind,
                ),
                Field::Title => (
                    section.title_label().into(),
                    if section == Section::Entourage {
                        "Obligatoire pour une personne de l'entourage."
                    } else {
                        ""
                    },
                    section != Section::Entourage,
                    Input::Text { max: 200 },
                    &form.title,
                ),
                Field::StartDate => (
                    section.start_label().into(),
                    "Au format JJ/MM/AAAA, par exemple 05/03/2024.",
                    section == Section::Vaccinations,
                    Input::Date,
                    &form.start_date,
                ),
                Field::EndDate => (
                    if section == Section::Hospitalisations {
                        "Date de sortie".into()
                    } else {
                        "Date de fin".into()
                    },
                    "Au format JJ/MM/AAAA ; laissez vide si ce n'est pas terminé.",
                    false,
                    Input::Date,
                    &form.end_date,
                ),
                Field::Status => (
                    "Statut".into(),
                    "",
                    false,
                    Input::Select(options::<Status>(
                        &form.status,
                        Some("Selon la date de fin"),
                    )),
                    &form.status,
                ),
                Field::Dose => (
                    "Dose".into(),
                    "Par exemple 500 mg.",
                    false,
                    Input::Text { max: 100 },
                    &form.dose,
                ),
                Field::Frequency => (
                    "Fréquence".into(),
                    "Par exemple 2 fois par jour.",
                    false,
                    Input::Text { max: 100 },
                    &form.frequency,
                ),
                Field::Reaction => (
                    "Réaction".into(),
                    "Par exemple urticaire, gêne respiratoire.",
                    false,
                    Input::Text { max: 100 },
                    &form.reaction,
                ),
                Field::Severity => (
                    "Gravité".into(),
                    "",
                    false,
                    Input::Select(options::<Severity>(&form.severity, Some("Non précisée"))),
                    &form.severity,
                ),
                Field::DoseNumber => (
                    "Numéro de dose".into(),
                    "1 pour la première injection, 2 pour le rappel…",
                    false,
                    Input::Number,
                    &form.dose_number,
                ),
                Field::Lot => (
                    "Numéro de lot".into(),
                    "",
                    false,
                    Input::Text { max: 100 },
                    &form.lot,
                ),
                Field::Relation => (
                    "Lien de parenté".into(),
                    "",
                    true,
                    Input::Select(options::<Relation>(&form.relation, Some("— Choisir —"))),
                    &form.relation,
                ),
                Field::Place => (
                    "Lieu ou professionnel".into(),
                    "",
                    false,
                    Input::Text { max: 200 },
                    &form.place,
                ),
                Field::Phone => (
                    "Téléphone".into(),
                    "Pour une personne de l'entourage.",
                    false,
                    Input::Tel,
                    &form.phone,
                ),
                Field::Role => (
                    "Rôle".into(),
                    "Pour une personne de l'entourage : personne de confiance, à prévenir…",
                    false,
                    Input::Text { max: 100 },
                    &form.role,
                ),
                Field::Consent => (
                    "Acceptez-vous le don d'organes ?".into(),
                    "Pour le type « Don d'organes ».",
                    false,
                    Input::YesNo,
                    &form.consent,
                ),
                Field::Notes => ("Remarques".into(), "", false, Input::Textarea, &form.notes),
            };
            FieldView {
                name: f.key(),
                id: format!("{prefix}-{}", f.key().replace('_', "-")),
                label,
                hint,
                required,
                input,
                value: value.to_string(),
                error: errors.get(f.key()).map(str::to_string),
            }
        })
        .collect()
}

/// One entry in a section's list.
pub(crate) struct EntryRow {
    pub id: i64,
    pub summary: String,
    pub notes: String,
    pub author: String,
    pub updated: String,
}

/// "Saisi par vous", "Saisi par Dr … (médecin traitant)"…, seen from `viewer` (the INS or NIR
/// of whoever reads the page).
pub(crate) fn author_words(author: &Author, viewer_ids: &[&str]) -> String {
    let me = viewer_ids.contains(&author.id.as_str());
    match author.kind {
        _ if me => "Saisi par vous".to_string(),
        AuthorKind::Patient => "Saisi par la personne elle-même".to_string(),
        AuthorKind::Guardian if author.name.is_empty() => {
            "Saisi par un représentant légal".to_string()
        }
        AuthorKind::Guardian => format!("Saisi par {} (représentant légal)", author.name),
        AuthorKind::Professional => format!("Saisi par {} (médecin traitant)", author.name),
    }
}

impl EntryRow {
    pub(crate) fn of(e: &Entry, viewer_ids: &[&str]) -> EntryRow {
        EntryRow {
            id: e.id,
            summary: e.summary_line(),
            notes: e.data.notes.clone(),
            author: author_words(&e.author, viewer_ids),
            updated: french_datetime(e.updated_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_lines() {
        let a = |kind, id: &str, name: &str| Author {
            kind,
            id: id.into(),
            name: name.into(),
        };
        let cases = [
            (a(AuthorKind::Patient, "1", ""), "Saisi par vous"),
            (
                a(AuthorKind::Patient, "9", ""),
                "Saisi par la personne elle-même",
            ),
            (
                a(AuthorKind::Guardian, "2", "Marie Durand"),
                "Saisi par vous",
            ),
            (
                a(AuthorKind::Guardian, "3", "Paul Durand"),
                "Saisi par Paul Durand (représentant légal)",
            ),
            (
                a(AuthorKind::Professional, "10284642892", "Camille MARTIN"),
                "Saisi par Camille MARTIN (médecin traitant)",
            ),
        ];
        for (author, want) in cases {
            assert_eq!(author_words(&author, &["1", "2"]), want);
        }
    }

    #[test]
    fn fields_keep_values_and_errors() {
        let form = EntryForm {
            title: "Metformine".into(),
            start_date: "32/01/2020".into(),
            ..Default::default()
        };
        let errors =
            health::profile::validate(Section::Treatments, &form, health::profile::today())
                .expect_err("bad date");
        let views = fields(Section::Treatments, &form, &errors, "ajout");
        let title = views.iter().find(|v| v.name == "title").expect("title");
        assert_eq!(title.value, "Metformine");
        assert_eq!(title.id, "ajout-title");
        let start = views
            .iter()
            .find(|v| v.name == "start_date")
            .expect("start");
        assert_eq!(
            start.error.as_deref(),
            Some("La date de début doit être au format JJ/MM/AAAA.")
        );
        assert_eq!(
            start.described_by(),
            "ajout-start-date-aide ajout-start-date-erreur"
        );
        assert!(views.iter().all(|v| v.name != "relation"));
    }
}
