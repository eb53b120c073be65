//! The synthèse: a PDF summary of the citizen's medical profile ("Ma santé en résumé") that
//! they download, file into their DMP, or attach to a message to a professional.
//!
//! - [`SynthesisInput`]: plain data (administrative block, sections with their lines, latest
//!   measures, generation date); [`render_pdf`] turns it into an A4 PDF, with no I/O.
//! - [`gather`] reads that data from the database: the directory's citizen record, the
//!   médecin traitant (DMP patient settings + the directory's name), the profile entries and
//!   the latest measures.
//!
//! ## Why krilla
//! The PDF is written with [`krilla`] (the PDF back-end of Typst, actively maintained, MSRV
//! 1.92): it embeds a TrueType font as a CID font subset with a `ToUnicode` map, so every
//! French character (é è à ç ô œ « » ’) both displays and copies/extracts correctly, and the
//! file stays small (only the glyphs used), with a small dependency tree (pdf-writer, skrifa,
//! rustybuzz, subsetter). `printpdf` (now 0.12) embeds fonts too, but its text layout pulls in
//! the azul layout engine and font discovery; `genpdf` does layout but its one release (0.2.0)
//! sits on an old printpdf. krilla draws one line at a time, so the layout
//! (wrapping, page breaks, « Page n sur N » footers) is ours, in [`layout`], as pure code
//! tested without a PDF; knowing the whole layout first is what lets the footer say the total.
//!
//! The font is DejaVu Sans (regular and bold), compiled into the binary with `include_bytes!`:
//! the server needs no font installed and every PDF looks the same.

mod gather;
mod layout;
mod pdf;
mod text;

#[cfg(test)]
mod tests;

pub use gather::{MAIN_SECTIONS_ALWAYS_SHOWN, civility_title, gather};
pub use pdf::render_pdf;
pub use text::date_fr;

/// Everything the synthèse shows, already in the words the citizen reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SynthesisInput {
    pub patient: PatientData,
    /// In display order. A block with no line is shown ("Aucune information renseignée") only
    /// when it is [`SectionBlock::always_shown`].
    pub sections: Vec<SectionBlock>,
    /// When the document was made, in French ("6 décembre 2026 à 20:40"), for the header and
    /// every page's footer.
    pub generated_at: String,
}

/// The administrative block: the citizen's identity from the insurer's register, how to reach
/// them, and their médecin traitant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientData {
    /// Nom de naissance.
    pub birth_name: String,
    /// Prénoms, as the register spells them.
    pub first_names: String,
    /// `YYYY-MM-DD` (shown "12 mars 1980"); other text is shown as it is.
    pub birth_date: String,
    /// `M` or `F` as in the register; `None` when unknown.
    pub sex: Option<String>,
    /// The INS (NIR with its key, 15 characters).
    pub ins: String,
    /// The citizen's health messaging address.
    pub mailbox: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    /// "Dr Léa ROUSSEAU (RPPS 10001234567)", or `None` when none is declared.
    pub medecin_traitant: Option<String>,
}

impl PatientData {
    /// "Marie DURAND": the first of the given names and the birth name.
    pub fn display_name(&self) -> String {
        let first = self.first_names.split([' ', ',']).next().unwrap_or("");
        format!("{} {}", text::clean(first), text::clean(&self.birth_name))
            .trim()
            .to_string()
    }

    /// The sex as a word, from the register's `M`/`F`.
    pub fn sex_label(&self) -> Option<&'static str> {
        match self.sex.as_deref().map(str::trim) {
            Some("M") | Some("m") => Some("Masculin"),
            Some("F") | Some("f") => Some("Féminin"),
            _ => None,
        }
    }

    /// The INS grouped as on a carte Vitale ("2 80 03 75 123 456 78"), easier to read aloud.
    pub fn ins_grouped(&self) -> String {
        let s: Vec<char> = self.ins.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() != 15 {
            return self.ins.trim().to_string();
        }
        [0..1, 1..3, 3..5, 5..7, 7..10, 10..13, 13..15]
            .into_iter()
            .map(|r| s[r].iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One part of the synthèse: a section of the profile, or the latest measures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionBlock {
    /// "Allergies", "Dernières mesures"…
    pub title: String,
    /// One line per entry ("Pénicilline — réaction grave, depuis 2010"); long ones wrap.
    pub lines: Vec<String>,
    /// Shown even when empty, so the reader knows nothing was declared rather than wonder
    /// whether the part was left out.
    pub always_shown: bool,
}

impl SectionBlock {
    /// Whether the PDF shows this block.
    pub fn shown(&self) -> bool {
        self.always_shown || !self.lines.is_empty()
    }
}

/// The download's file name: ASCII only (safe in a `Content-Disposition` header and on every
/// file system), with the day it was made, e.g. `synthese-medicale-2026-12-06.pdf`.
pub fn file_name(iso_day: &str) -> String {
    let day: String = iso_day
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .take(10)
        .collect();
    if day.is_empty() {
        "synthese-medicale.pdf".to_string()
    } else {
        format!("synthese-medicale-{day}.pdf")
    }
}
