//! Who may read what (DESIGN.md §7), as pure functions over plain data.
//!
//! Rules, in order, for a professional:
//! 1. a professional the patient blocked reads nothing, in any mode;
//! 2. break-glass needs a written justification and is refused if the patient opposed it; SAMU
//!    regulation is for physicians (the régulateur) and is refused if the patient opposed it;
//! 3. the author of a document and the médecin traitant always read it;
//! 4. otherwise the profession's row of the access matrix must allow the document's category;
//! 5. a document hidden from professionals (by the patient, or MASQUE_PS) is read only by the
//!    author, the médecin traitant, and in an emergency (break-glass or SAMU regulation).
//!
//! For the patient: INVISIBLE_PATIENT hides a document from the patient and their legal
//! representatives until the announcement consultation; INVISIBLE_REP_LEGAUX hides it from the
//! legal representatives of a minor (a parent acting for the child).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::categories::Category;
use crate::document::{AuthorKind, Document, Visibility};

/// RPPS profession codes (nomenclature TRE_G15) with a row in the default matrix.
pub mod profession {
    pub const MEDECIN: &str = "10";
    pub const PHARMACIEN: &str = "21";
    pub const CHIRURGIEN_DENTISTE: &str = "40";
    pub const SAGE_FEMME: &str = "50";
    pub const INFIRMIER: &str = "60";
    pub const MASSEUR_KINE: &str = "70";
    pub const PEDICURE_PODOLOGUE: &str = "80";
}

/// A professional making a request (RPPS from the personal certificate, the rest from the
/// directory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Professional {
    pub rpps: String,
    pub name: Option<String>,
    /// RPPS profession code (`10` médecin, `21` pharmacien…), from the directory.
    pub profession_code: Option<String>,
    pub structure: Option<String>,
}

/// How a professional opens the patient's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// "Accès en mode bris de glace": emergency, with a mandatory justification.
    BreakGlass {
        justification: String,
    },
    /// Access by the SAMU regulation centre (centre 15).
    Samu,
}

impl Mode {
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::BreakGlass { .. } => "break_glass",
            Mode::Samu => "samu",
        }
    }
    pub fn is_emergency(&self) -> bool {
        !matches!(self, Mode::Normal)
    }
    pub fn reason(&self) -> Option<&str> {
        match self {
            Mode::BreakGlass { justification } => Some(justification),
            _ => None,
        }
    }
}

/// What the patient decided about access to their record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PatientSettings {
    pub medecin_traitant: Option<String>,
    pub oppose_break_glass: bool,
    pub oppose_samu: bool,
    pub blocked: BTreeSet<String>,
}

/// The shortest justification accepted for break-glass: a few words, not a blank.
pub const MIN_JUSTIFICATION_CHARS: usize = 10;

/// Why a professional may not open the record at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Blocked,
    JustificationMissing,
    BreakGlassOpposed,
    SamuOpposed,
    SamuNotPhysician,
}

impl Refusal {
    pub fn text(self) -> &'static str {
        match self {
            Refusal::Blocked => "Le patient a bloqué votre accès à son dossier.",
            Refusal::JustificationMissing => {
                "L'accès en mode bris de glace exige une justification écrite."
            }
            Refusal::BreakGlassOpposed => {
                "Le patient s'est opposé à l'accès en mode bris de glace."
            }
            Refusal::SamuOpposed => {
                "Le patient s'est opposé à l'accès par le centre de régulation (SAMU)."
            }
            Refusal::SamuNotPhysician => {
                "L'accès en mode régulation est réservé aux médecins régulateurs."
            }
        }
    }
}

/// The access matrix: profession code → categories it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessMatrix {
    rows: BTreeMap<String, BTreeSet<Category>>,
}

impl Default for AccessMatrix {
    /// Defaults after the DMP's matrice d'habilitation (Code de la santé publique): physicians and
    /// midwives read everything; the other professions read the types useful to their practice.
    fn default() -> Self {
        use Category::*;
        use profession::*;
        let rows: [(&str, &[Category]); 7] = [
            (MEDECIN, &Category::ALL),
            (SAGE_FEMME, &Category::ALL),
            (
                CHIRURGIEN_DENTISTE,
                &[
                    Imagerie,
                    Synthese,
                    Ordonnances,
                    ComptesRendus,
                    Biologie,
                    Prevention,
                ],
            ),
            (PHARMACIEN, &[Synthese, Ordonnances, Biologie, Prevention]),
            (
                INFIRMIER,
                &[Synthese, Ordonnances, ComptesRendus, Biologie, Prevention],
            ),
            (
                MASSEUR_KINE,
                &[Synthese, Ordonnances, ComptesRendus, Imagerie],
            ),
            (PEDICURE_PODOLOGUE, &[Synthese, Ordonnances, Imagerie]),
        ];
        AccessMatrix {
            rows: rows
                .into_iter()
                .map(|(p, cats)| (p.to_string(), cats.iter().copied().collect()))
                .collect(),
        }
    }
}

impl AccessMatrix {
    /// The defaults with rows replaced by `overrides` (the `[dmp.matrix]` config section).
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<Category>>) -> AccessMatrix {
        let mut m = AccessMatrix::default();
        for (p, cats) in overrides {
            m.rows.insert(p.clone(), cats.iter().copied().collect());
        }
        m
    }

    pub fn allows(&self, profession_code: Option<&str>, category: Category) -> bool {
        profession_code
            .and_then(|p| self.rows.get(p))
            .is_some_and(|row| row.contains(&category))
    }

    pub fn rows(&self) -> &BTreeMap<String, BTreeSet<Category>> {
        &self.rows
    }
}

/// May `pro` open the record at all in `mode`?
pub fn check_entry(
    pro: &Professional,
    settings: &PatientSettings,
    mode: &Mode,
) -> Result<(), Refusal> {
    if settings.blocked.contains(&pro.rpps) {
        return Err(Refusal::Blocked);
    }
    match mode {
        Mode::Normal => Ok(()),
        Mode::BreakGlass { justification } => {
            if justification.trim().chars().count() < MIN_JUSTIFICATION_CHARS {
                Err(Refusal::JustificationMissing)
            } else if settings.oppose_break_glass {
                Err(Refusal::BreakGlassOpposed)
            } else {
                Ok(())
            }
        }
        Mode::Samu => {
            if pro.profession_code.as_deref() != Some(profession::MEDECIN) {
                Err(Refusal::SamuNotPhysician)
            } else if settings.oppose_samu {
                Err(Refusal::SamuOpposed)
            } else {
                Ok(())
            }
        }
    }
}

/// The facts about a document that access depends on.
#[derive(Debug, Clone, Copy)]
pub struct DocFacts<'a> {
    pub category: Category,
    pub author_rpps: Option<&'a str>,
    pub visibility: Visibility,
}

impl<'a> From<&'a Document> for DocFacts<'a> {
    fn from(d: &'a Document) -> Self {
        DocFacts {
            category: d.meta.category,
            author_rpps: match d.meta.author_kind {
                AuthorKind::Professional => d.meta.author_id.as_deref(),
                _ => None,
            },
            visibility: d.meta.visibility,
        }
    }
}

/// May `pro`, already past [`check_entry`], read this document?
pub fn can_read(
    matrix: &AccessMatrix,
    pro: &Professional,
    settings: &PatientSettings,
    mode: &Mode,
    doc: DocFacts<'_>,
) -> bool {
    if doc.author_rpps == Some(pro.rpps.as_str()) {
        return true;
    }
    if settings.medecin_traitant.as_deref() == Some(pro.rpps.as_str()) {
        return true;
    }
    if !matrix.allows(pro.profession_code.as_deref(), doc.category) {
        return false;
    }
    !doc.visibility.hidden_from_professionals() || mode.is_emergency()
}

/// Who looks at the record from the citizen side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The patient themself.
    Patient,
    /// A legal representative acting for a minor.
    Guardian,
}

/// Does the citizen-side viewer see this document?
pub fn visible_to(viewer: Viewer, v: &Visibility) -> bool {
    let hidden_from_guardian = viewer == Viewer::Guardian && v.invisible_rep_legaux;
    !(v.invisible_patient || hidden_from_guardian)
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
