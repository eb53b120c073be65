//! What a referenced service is: the fixed lists (categories, audiences) and the validated
//! [`Service`]. The lists are code, not data: the pages group and filter by them, and an operator's
//! file that names anything else is refused with the list of what is expected.

use serde::Serialize;

use super::search::fold;

/// The categories of the catalogue, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Prevention,
    SuiviMaladieChronique,
    SanteMentale,
    Teleconsultation,
    PriseDeRendezVous,
    ActivitePhysique,
    Nutrition,
    Parentalite,
    Pharmacie,
    Autre,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Prevention,
        Category::SuiviMaladieChronique,
        Category::SanteMentale,
        Category::Teleconsultation,
        Category::PriseDeRendezVous,
        Category::ActivitePhysique,
        Category::Nutrition,
        Category::Parentalite,
        Category::Pharmacie,
        Category::Autre,
    ];

    /// The slug used in the database, the page's `categorie=` parameter and the files.
    pub fn slug(self) -> &'static str {
        match self {
            Category::Prevention => "prevention",
            Category::SuiviMaladieChronique => "suivi-maladie-chronique",
            Category::SanteMentale => "sante-mentale",
            Category::Teleconsultation => "teleconsultation",
            Category::PriseDeRendezVous => "prise-de-rendez-vous",
            Category::ActivitePhysique => "activite-physique",
            Category::Nutrition => "nutrition",
            Category::Parentalite => "parentalite",
            Category::Pharmacie => "pharmacie",
            Category::Autre => "autre",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Prevention => "Prévention",
            Category::SuiviMaladieChronique => "Suivi de maladie chronique",
            Category::SanteMentale => "Santé mentale",
            Category::Teleconsultation => "Téléconsultation",
            Category::PriseDeRendezVous => "Prise de rendez-vous",
            Category::ActivitePhysique => "Activité physique",
            Category::Nutrition => "Nutrition",
            Category::Parentalite => "Parentalité",
            Category::Pharmacie => "Pharmacie",
            Category::Autre => "Autre",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// What an operator may write in a file: the slug or the label, whatever the case, accents,
    /// spaces or hyphens ("Santé mentale", "sante-mentale", "SANTE MENTALE").
    pub fn parse(text: &str) -> Option<Category> {
        let wanted = loose(text);
        Category::ALL
            .into_iter()
            .find(|c| loose(c.slug()) == wanted || loose(c.label()) == wanted)
    }
}

/// Who a service is meant for. A service names one or more audiences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Tous,
    Adultes,
    Jeunes,
    Parents,
    Seniors,
    Aidants,
    Professionnels,
}

impl Audience {
    pub const ALL: [Audience; 7] = [
        Audience::Tous,
        Audience::Adultes,
        Audience::Jeunes,
        Audience::Parents,
        Audience::Seniors,
        Audience::Aidants,
        Audience::Professionnels,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Audience::Tous => "tous",
            Audience::Adultes => "adultes",
            Audience::Jeunes => "jeunes",
            Audience::Parents => "parents",
            Audience::Seniors => "seniors",
            Audience::Aidants => "aidants",
            Audience::Professionnels => "professionnels",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Tous => "Tout public",
            Audience::Adultes => "Adultes",
            Audience::Jeunes => "Jeunes",
            Audience::Parents => "Parents",
            Audience::Seniors => "Seniors",
            Audience::Aidants => "Aidants",
            Audience::Professionnels => "Professionnels de santé",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// The slug or the label, loosely (as [`Category::parse`]).
    pub fn parse(text: &str) -> Option<Audience> {
        let wanted = loose(text);
        Audience::ALL
            .into_iter()
            .find(|a| loose(a.slug()) == wanted || loose(a.label()) == wanted)
    }
}

/// Case, accents, hyphens and repeated spaces don't count when matching a name from a file.
fn loose(text: &str) -> String {
    fold(text)
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One referenced service, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    /// Stable key: the file's `identifiant`, or else the URL. A re-import updates the service with
    /// the same key instead of adding a second one.
    pub key: String,
    pub name: String,
    /// The éditeur: who runs the service.
    pub publisher: String,
    pub category: Category,
    pub description: String,
    /// Always `https://`, checked at import.
    pub url: String,
    /// Gratuit (true) or payant (false).
    pub free: bool,
    /// At least one; "tous" stands alone.
    pub audience: Vec<Audience>,
}

impl Service {
    /// "Gratuit" or "Payant".
    pub fn pricing_label(&self) -> &'static str {
        if self.free { "Gratuit" } else { "Payant" }
    }

    /// "Parents, Seniors".
    pub fn audience_label(&self) -> String {
        self.audience
            .iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_parse_loosely_and_round_trip() {
        let cases = [
            ("Santé mentale", Some(Category::SanteMentale)),
            ("sante-mentale", Some(Category::SanteMentale)),
            ("  SANTE   MENTALE ", Some(Category::SanteMentale)),
            ("Prise de rendez-vous", Some(Category::PriseDeRendezVous)),
            ("téléconsultation", Some(Category::Teleconsultation)),
            ("Parentalité", Some(Category::Parentalite)),
            ("Sport", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(Category::parse(text), want, "{text:?}");
        }
        for c in Category::ALL {
            assert_eq!(Category::from_slug(c.slug()), Some(c));
            assert_eq!(Category::parse(c.label()), Some(c));
        }
    }

    #[test]
    fn audiences_parse_loosely_and_round_trip() {
        let cases = [
            ("tous", Some(Audience::Tous)),
            ("Tout public", Some(Audience::Tous)),
            ("SENIORS", Some(Audience::Seniors)),
            ("professionnels de santé", Some(Audience::Professionnels)),
            ("enfants", None),
        ];
        for (text, want) in cases {
            assert_eq!(Audience::parse(text), want, "{text:?}");
        }
        for a in Audience::ALL {
            assert_eq!(Audience::from_slug(a.slug()), Some(a));
        }
    }
}
