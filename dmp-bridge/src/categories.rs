//! The 8 categories a citizen sees in "Mon espace santé", and the one table that maps DMP class
//! codes (JDV XdsClassCode, scheme 1.2.250.1.213.1.1.4.1) and LOINC type codes
//! (2.16.840.1.113883.6.1) to them (DESIGN.md §7). Unknown codes fall into "Autres documents".

use serde::{Deserialize, Serialize};

/// A category of the citizen's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Radio, écho, scanner, IRM.
    Imagerie,
    /// Ma santé en résumé (synthèses, VSM).
    Synthese,
    /// Ordonnances et soins (prescriptions, dispensations, plans de soins).
    Ordonnances,
    /// Comptes rendus (consultation, hospitalisation, opératoire…).
    ComptesRendus,
    /// Résultats de biologie.
    Biologie,
    /// Prévention et dépistage (vaccinations, dépistages).
    Prevention,
    /// Certificats médicaux.
    Certificats,
    /// Autres documents (notably those the patient deposits).
    Autres,
}

impl Category {
    /// All categories, in the order the citizen sees them.
    pub const ALL: [Category; 8] = [
        Category::Imagerie,
        Category::Synthese,
        Category::Ordonnances,
        Category::ComptesRendus,
        Category::Biologie,
        Category::Prevention,
        Category::Certificats,
        Category::Autres,
    ];

    /// The label the citizen reads.
    pub fn label(self) -> &'static str {
        match self {
            Category::Imagerie => "Radio/écho/scanner/IRM",
            Category::Synthese => "Ma santé en résumé",
            Category::Ordonnances => "Ordonnances et soins",
            Category::ComptesRendus => "Comptes rendus",
            Category::Biologie => "Résultats de biologie",
            Category::Prevention => "Prévention et dépistage",
            Category::Certificats => "Certificats médicaux",
            Category::Autres => "Autres documents",
        }
    }

    /// The stable identifier stored in the database and used in URLs and the config.
    pub fn slug(self) -> &'static str {
        match self {
            Category::Imagerie => "imagerie",
            Category::Synthese => "synthese",
            Category::Ordonnances => "ordonnances",
            Category::ComptesRendus => "comptes_rendus",
            Category::Biologie => "biologie",
            Category::Prevention => "prevention",
            Category::Certificats => "certificats",
            Category::Autres => "autres",
        }
    }

    pub fn from_slug(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// The DMP class code written on export when the document has none of its own.
    pub fn default_class_code(self) -> &'static str {
        match self {
            Category::Imagerie => "31",
            Category::Synthese => "11",
            Category::Ordonnances => "42",
            Category::ComptesRendus => "10",
            Category::Biologie => "10",
            Category::Prevention => "60",
            Category::Certificats => "52",
            Category::Autres => "90",
        }
    }
}

/// Which code system a row of [`TABLE`] matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// DMP class code (XdsClassCode).
    Class,
    /// LOINC type code (XdsTypeCode).
    Loinc,
}

/// The one mapping table. A LOINC type code is more specific than a class code (a lab report
/// has class 10 "compte rendu" and type 11502-2), so [`categorize`] tries the type first.
pub const TABLE: &[(CodeKind, &str, Category, &str)] = &[
    // DMP class codes (DESIGN.md §7).
    (
        CodeKind::Class,
        "10",
        Category::ComptesRendus,
        "Compte rendu",
    ),
    (CodeKind::Class, "11", Category::Synthese, "Synthèse"),
    (
        CodeKind::Class,
        "13",
        Category::Certificats,
        "Certificat, déclaration",
    ),
    (CodeKind::Class, "20", Category::Prevention, "Vaccination"),
    (
        CodeKind::Class,
        "31",
        Category::Imagerie,
        "Imagerie médicale",
    ),
    (CodeKind::Class, "42", Category::Ordonnances, "Prescription"),
    (CodeKind::Class, "43", Category::Ordonnances, "Dispensation"),
    (
        CodeKind::Class,
        "44",
        Category::Ordonnances,
        "Plan de soins",
    ),
    (
        CodeKind::Class,
        "45",
        Category::Ordonnances,
        "Traitement administré",
    ),
    (CodeKind::Class, "52", Category::Certificats, "Certificat"),
    (
        CodeKind::Class,
        "60",
        Category::Prevention,
        "Prévention, dépistage",
    ),
    (
        CodeKind::Class,
        "90",
        Category::Autres,
        "Document déposé par le patient",
    ),
    (CodeKind::Class, "95", Category::Autres, "Autre document"),
    // Common LOINC type codes of the CI-SIS.
    (
        CodeKind::Loinc,
        "11502-2",
        Category::Biologie,
        "CR d'examens biologiques",
    ),
    (
        CodeKind::Loinc,
        "26436-6",
        Category::Biologie,
        "Résultats de laboratoire",
    ),
    (
        CodeKind::Loinc,
        "18748-4",
        Category::Imagerie,
        "CR d'imagerie médicale",
    ),
    (CodeKind::Loinc, "18726-0", Category::Imagerie, "Radiologie"),
    (
        CodeKind::Loinc,
        "60591-5",
        Category::Synthese,
        "Synthèse médicale (VSM)",
    ),
    (
        CodeKind::Loinc,
        "34133-9",
        Category::Synthese,
        "Synthèse d'épisode de soins",
    ),
    (
        CodeKind::Loinc,
        "57833-6",
        Category::Ordonnances,
        "Prescription de médicaments",
    ),
    (
        CodeKind::Loinc,
        "60593-1",
        Category::Ordonnances,
        "Dispensation de médicaments",
    ),
    (
        CodeKind::Loinc,
        "18776-5",
        Category::Ordonnances,
        "Plan de soins",
    ),
    (
        CodeKind::Loinc,
        "11488-4",
        Category::ComptesRendus,
        "Note de consultation",
    ),
    (
        CodeKind::Loinc,
        "34112-3",
        Category::ComptesRendus,
        "CR d'hospitalisation",
    ),
    (
        CodeKind::Loinc,
        "11490-0",
        Category::ComptesRendus,
        "Lettre de sortie",
    ),
    (
        CodeKind::Loinc,
        "34874-8",
        Category::ComptesRendus,
        "CR opératoire",
    ),
    (
        CodeKind::Loinc,
        "11526-1",
        Category::ComptesRendus,
        "CR d'anatomopathologie",
    ),
    (
        CodeKind::Loinc,
        "11369-6",
        Category::Prevention,
        "Historique des vaccinations",
    ),
    (
        CodeKind::Loinc,
        "87273-9",
        Category::Prevention,
        "Note de vaccination",
    ),
    (
        CodeKind::Loinc,
        "CERT_DECL",
        Category::Certificats,
        "Certificat, déclaration",
    ),
];

/// The category of a document from its LOINC type code and DMP class code.
pub fn categorize(type_code: Option<&str>, class_code: Option<&str>) -> Category {
    let find = |kind: CodeKind, code: Option<&str>| {
        let code = code?.trim();
        TABLE
            .iter()
            .find(|(k, c, _, _)| *k == kind && *c == code)
            .map(|row| row.2)
    };
    find(CodeKind::Loinc, type_code)
        .or_else(|| find(CodeKind::Class, class_code))
        .unwrap_or(Category::Autres)
}

/// A category suggested for a file the citizen files from a mail attachment, from its MIME type
/// and name (the citizen confirms or changes it).
pub fn suggest_for_attachment(mime_type: &str, file_name: &str) -> Category {
    let mime = mime_type.to_ascii_lowercase();
    let name = file_name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if mime == "application/dicom" || has(&["irm", "scanner", "radio", "echo", "écho"]) {
        Category::Imagerie
    } else if has(&["ordonnance", "prescription"]) {
        Category::Ordonnances
    } else if has(&["biolog", "analyse", "laboratoire", "labo"]) {
        Category::Biologie
    } else if has(&["certificat"]) {
        Category::Certificats
    } else if has(&["vaccin", "depistage", "dépistage"]) {
        Category::Prevention
    } else if has(&["compte-rendu", "compte_rendu", "compte rendu", "cr_"]) {
        Category::ComptesRendus
    } else {
        Category::Autres
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_table() {
        let cases: &[(Option<&str>, Option<&str>, Category)] = &[
            (None, Some("10"), Category::ComptesRendus),
            (None, Some("11"), Category::Synthese),
            (None, Some("31"), Category::Imagerie),
            (None, Some("42"), Category::Ordonnances),
            (None, Some("43"), Category::Ordonnances),
            (None, Some("44"), Category::Ordonnances),
            (None, Some("45"), Category::Ordonnances),
            (None, Some("52"), Category::Certificats),
            (None, Some("60"), Category::Prevention),
            (None, Some("90"), Category::Autres),
            (None, Some("95"), Category::Autres),
            (Some("11502-2"), Some("10"), Category::Biologie),
            (Some("18748-4"), Some("10"), Category::Imagerie),
            (Some("60591-5"), None, Category::Synthese),
            (Some("57833-6"), None, Category::Ordonnances),
            (Some("99999-9"), Some("42"), Category::Ordonnances),
            (Some("99999-9"), Some("77"), Category::Autres),
            (None, None, Category::Autres),
            (Some(" 11502-2 "), None, Category::Biologie),
        ];
        for (t, c, want) in cases {
            assert_eq!(categorize(*t, *c), *want, "type {t:?} class {c:?}");
        }
    }

    #[test]
    fn slugs_round_trip_and_table_is_unique() {
        for c in Category::ALL {
            assert_eq!(Category::from_slug(c.slug()), Some(c));
            assert_eq!(
                categorize(None, Some(c.default_class_code())),
                match c {
                    Category::Biologie => Category::ComptesRendus,
                    other => other,
                }
            );
        }
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert!(!(a.0 == b.0 && a.1 == b.1), "duplicate row {}", a.1);
            }
        }
    }

    #[test]
    fn attachment_suggestions() {
        let cases = [
            (
                "application/pdf",
                "Ordonnance_2026.pdf",
                Category::Ordonnances,
            ),
            (
                "application/pdf",
                "resultats-laboratoire.pdf",
                Category::Biologie,
            ),
            ("application/dicom", "x.dcm", Category::Imagerie),
            ("image/jpeg", "IRM genou.jpg", Category::Imagerie),
            (
                "application/pdf",
                "certificat sport.pdf",
                Category::Certificats,
            ),
            ("application/pdf", "facture.pdf", Category::Autres),
        ];
        for (mime, name, want) in cases {
            assert_eq!(suggest_for_attachment(mime, name), want, "{name}");
        }
    }
}
