//! The sections of the medical profile and the small closed lists their forms offer (sub-kinds of
//! "Entourage et volontés", status, severity, family relation), each as one table in code: the
//! slug in URLs and in the database, the French label, and which fields a section asks for.

use serde::{Deserialize, Serialize};

/// A field of an entry. Which ones a section shows is [`Section::fields`]; the names are the
/// form's and the API's JSON keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Kind,
    Title,
    StartDate,
    EndDate,
    Status,
    Dose,
    Frequency,
    Reaction,
    Severity,
    DoseNumber,
    Lot,
    Relation,
    Place,
    Phone,
    Role,
    Consent,
    Notes,
}

impl Field {
    /// The key in forms and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Title => "title",
            Field::StartDate => "start_date",
            Field::EndDate => "end_date",
            Field::Status => "status",
            Field::Dose => "dose",
            Field::Frequency => "frequency",
            Field::Reaction => "reaction",
            Field::Severity => "severity",
            Field::DoseNumber => "dose_number",
            Field::Lot => "lot",
            Field::Relation => "relation",
            Field::Place => "place",
            Field::Phone => "phone",
            Field::Role => "role",
            Field::Consent => "consent",
            Field::Notes => "notes",
        }
    }
}

/// The eight sections kept as entries (the ninth, "Mesures", is `crate::measures`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Section {
    #[serde(rename = "maladies")]
    Diseases,
    #[serde(rename = "traitements")]
    Treatments,
    #[serde(rename = "allergies")]
    Allergies,
    #[serde(rename = "vaccinations")]
    Vaccinations,
    #[serde(rename = "hospitalisations")]
    Hospitalisations,
    #[serde(rename = "antecedents-familiaux")]
    FamilyHistory,
    #[serde(rename = "entourage")]
    Entourage,
    #[serde(rename = "historique-soins")]
    CareHistory,
}

use Field::*;

/// One row of the section table.
struct Row {
    section: Section,
    slug: &'static str,
    label: &'static str,
    /// What the title field is called in this section's form.
    title_label: &'static str,
    /// What the start date is called ("Date de début", "Date de l'injection"…).
    start_label: &'static str,
    fields: &'static [Field],
}

const TABLE: [Row; 8] = [
    Row {
        section: Section::Diseases,
        slug: "maladies",
        label: "Maladies et sujets de santé",
        title_label: "Maladie ou sujet de santé",
        start_label: "Date de début",
        fields: &[Title, StartDate, EndDate, Status, Notes],
    },
    Row {
        section: Section::Treatments,
        slug: "traitements",
        label: "Traitements",
        title_label: "Médicament ou traitement",
        start_label: "Date de début",
        fields: &[Title, Dose, Frequency, StartDate, EndDate, Status, Notes],
    },
    Row {
        section: Section::Allergies,
        slug: "allergies",
        label: "Allergies",
        title_label: "Allergie à (substance, aliment, médicament…)",
        start_label: "Date de découverte",
        fields: &[Title, Reaction, Severity, StartDate, Status, Notes],
    },
    Row {
        section: Section::Vaccinations,
        slug: "vaccinations",
        label: "Vaccinations",
        title_label: "Vaccin",
        start_label: "Date de l'injection",
        fields: &[Title, StartDate, DoseNumber, Lot, Notes],
    },
    Row {
        section: Section::Hospitalisations,
        slug: "hospitalisations",
        label: "Hospitalisations et chirurgies",
        title_label: "Motif ou intervention",
        start_label: "Date d'entrée",
        fields: &[Title, Place, StartDate, EndDate, Notes],
    },
    Row {
        section: Section::FamilyHistory,
        slug: "antecedents-familiaux",
        label: "Antécédents familiaux",
        title_label: "Maladie",
        start_label: "Date",
        fields: &[Title, Relation, Notes],
    },
    Row {
        section: Section::Entourage,
        slug: "entourage",
        label: "Entourage et volontés",
        title_label: "Nom ou intitulé",
        start_label: "Date de rédaction",
        fields: &[Kind, Title, Phone, Role, Consent, StartDate, Notes],
    },
    Row {
        section: Section::CareHistory,
        slug: "historique-soins",
        label: "Historique de soins",
        title_label: "Soin ou consultation",
        start_label: "Date",
        fields: &[Title, Place, StartDate, Notes],
    },
];

impl Section {
    /// All sections, in the order of the profile page.
    pub const ALL: [Section; 8] = [
        Section::Diseases,
        Section::Treatments,
        Section::Allergies,
        Section::Vaccinations,
        Section::Hospitalisations,
        Section::FamilyHistory,
        Section::Entourage,
        Section::CareHistory,
    ];

    fn row(self) -> &'static Row {
        // The table is in `ALL` order; the test below keeps it so.
        &TABLE[self as usize]
    }
    pub fn slug(self) -> &'static str {
        self.row().slug
    }
    /// The French name of the section.
    pub fn label(self) -> &'static str {
        self.row().label
    }
    pub fn title_label(self) -> &'static str {
        self.row().title_label
    }
    pub fn start_label(self) -> &'static str {
        self.row().start_label
    }
    /// The fields this section's form asks for, in order.
    pub fn fields(self) -> &'static [Field] {
        self.row().fields
    }
    pub fn has(self, field: Field) -> bool {
        self.fields().contains(&field)
    }
    pub fn from_slug(slug: &str) -> Option<Section> {
        TABLE.iter().find(|r| r.slug == slug).map(|r| r.section)
    }
}

/// A closed list of choices: slug (form value, stored) and French label.
pub trait Choice: Copy + Sized + 'static {
    const ALL: &'static [Self];
    fn slug(self) -> &'static str;
    fn label(self) -> &'static str;
    fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.slug() == slug)
    }
}

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($variant:ident => ($slug:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $slug)] $variant),+ }
        impl Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn slug(self) -> &'static str { match self { $($name::$variant => $slug),+ } }
            fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
        }
    };
}

choice!(
    /// The four kinds of "Entourage et volontés".
    EntourageKind {
        Wishes => ("volontes", "Volontés et droits"),
        OrganDonation => ("don-organes", "Don d'organes"),
        Directives => ("directives", "Directives anticipées"),
        Person => ("personne", "Personne de l'entourage"),
    }
);

choice!(
    /// Whether a disease, treatment or allergy is current.
    Status {
        Current => ("en-cours", "En cours"),
        Past => ("passe", "Passé"),
    }
);

choice!(
    /// How severe an allergic reaction is.
    Severity {
        Mild => ("legere", "Légère"),
        Moderate => ("moderee", "Modérée"),
        Severe => ("severe", "Sévère"),
    }
);

choice!(
    /// Who in the family had the disease.
    Relation {
        Father => ("pere", "Père"),
        Mother => ("mere", "Mère"),
        Brother => ("frere", "Frère"),
        Sister => ("soeur", "Sœur"),
        Grandfather => ("grand-pere", "Grand-père"),
        Grandmother => ("grand-mere", "Grand-mère"),
        Uncle => ("oncle", "Oncle"),
        Aunt => ("tante", "Tante"),
        Child => ("enfant", "Enfant"),
        Other => ("autre", "Autre membre de la famille"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_table() {
        let cases: [(Section, &str, &str); 8] = [
            (Section::Diseases, "maladies", "Maladies et sujets de santé"),
            (Section::Treatments, "traitements", "Traitements"),
            (Section::Allergies, "allergies", "Allergies"),
            (Section::Vaccinations, "vaccinations", "Vaccinations"),
            (
                Section::Hospitalisations,
                "hospitalisations",
                "Hospitalisations et chirurgies",
            ),
            (
                Section::FamilyHistory,
                "antecedents-familiaux",
                "Antécédents familiaux",
            ),
            (Section::Entourage, "entourage", "Entourage et volontés"),
            (
                Section::CareHistory,
                "historique-soins",
                "Historique de soins",
            ),
        ];
        for (i, (s, slug, label)) in cases.into_iter().enumerate() {
            assert_eq!(Section::ALL[i], s);
            assert_eq!(TABLE[i].section, s, "table out of ALL order");
            assert_eq!(s.slug(), slug);
            assert_eq!(s.label(), label);
            assert_eq!(Section::from_slug(slug), Some(s));
            assert!(s.has(Field::Title), "{slug} has a title");
            // The serde name is the slug, so the API and the URLs agree.
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{slug}\""));
        }
        assert_eq!(Section::from_slug("mesures"), None);
    }

    #[test]
    fn fields_per_section() {
        let cases = [
            (Section::Treatments, Field::Dose, true),
            (Section::Treatments, Field::Frequency, true),
            (Section::Diseases, Field::Dose, false),
            (Section::Allergies, Field::Reaction, true),
            (Section::Allergies, Field::Severity, true),
            (Section::Vaccinations, Field::Lot, true),
            (Section::Vaccinations, Field::DoseNumber, true),
            (Section::Vaccinations, Field::EndDate, false),
            (Section::FamilyHistory, Field::Relation, true),
            (Section::FamilyHistory, Field::StartDate, false),
            (Section::Entourage, Field::Kind, true),
            (Section::Entourage, Field::Phone, true),
            (Section::Entourage, Field::Consent, true),
            (Section::CareHistory, Field::Place, true),
        ];
        for (s, f, want) in cases {
            assert_eq!(s.has(f), want, "{:?} {:?}", s, f);
        }
    }

    #[test]
    fn choices() {
        assert_eq!(Relation::from_slug("soeur"), Some(Relation::Sister));
        assert_eq!(Relation::Sister.label(), "Sœur");
        assert_eq!(
            EntourageKind::from_slug("don-organes"),
            Some(EntourageKind::OrganDonation)
        );
        assert_eq!(Status::from_slug("passe").map(Status::label), Some("Passé"));
        assert_eq!(Severity::from_slug("grave"), None);
        for s in Severity::ALL {
            assert_eq!(Severity::from_slug(s.slug()), Some(*s));
        }
    }
}
