//! Where every line of the synthèse goes (pure): the input becomes A4 pages of positioned text
//! and rules, which `pdf.rs` only draws. Page breaks never leave a heading alone at the bottom
//! of a page, and a section that goes on to the next page repeats its title with « (suite) ».

use super::text::{Measurer, Weight, clean, date_fr};
use super::{SectionBlock, SynthesisInput};

/// A4 in PDF points (1/72 inch).
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// 2 cm margins; the bottom one leaves room for the footer.
pub(crate) const MARGIN_X: f32 = 56.7;
const MARGIN_TOP: f32 = 56.7;
const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 70.0;
/// Baseline of the footer's text, and its rule above.
pub(crate) const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 36.0;
pub(crate) const FOOTER_RULE: f32 = PAGE_HEIGHT - 50.0;
pub(crate) const FOOTER_SIZE: f32 = 8.5;

const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
const BODY: f32 = 10.5;
const HEADING: f32 = 13.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.4;
/// Where the values of the administrative block start.
const LABEL_COLUMN: f32 = 170.0;
/// Where an entry's text starts, right of its bullet.
const BULLET_INDENT: f32 = 14.0;

/// The colour of a piece of text or rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Body text (near black).
    Ink,
    /// Secondary text: subtitle, "nothing declared", footer.
    Muted,
    /// Title and headings (the blue of public French services).
    Accent,
}

/// One thing drawn on a page. `y` is a baseline (text) or a line's height, from the top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Text {
        x: f32,
        y: f32,
        text: String,
        weight: Weight,
        size: f32,
        tone: Tone,
    },
    Rule {
        y: f32,
        tone: Tone,
    },
}

pub(crate) type Page = Vec<Item>;

/// Lays out the whole document. Never returns an empty list.
pub(crate) fn lay_out(input: &SynthesisInput, m: Measurer) -> Vec<Page> {
    let mut flow = Flow {
        m,
        pages: vec![Vec::new()],
        y: MARGIN_TOP,
        continued: None,
    };
    flow.title(input);
    flow.administrative(input);
    for block in input.sections.iter().filter(|b| b.shown()) {
        flow.section(block);
    }
    flow.closing_note();
    flow.pages
}

struct Flow {
    m: Measurer,
    pages: Vec<Page>,
    /// Top of the next line.
    y: f32,
    /// The section being written, repeated at the top of a new page.
    continued: Option<String>,
}

fn line_height(size: f32) -> f32 {
    size * LEADING
}

impl Flow {
    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height <= CONTENT_BOTTOM {
            return;
        }
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
        if let Some(title) = self.continued.clone() {
            self.heading_line(&format!("{title} (suite)"));
        }
    }

    /// Writes one line at `x` and moves down; the caller has ensured it fits.
    fn line(&mut self, x: f32, text: String, weight: Weight, size: f32, tone: Tone) {
        let y = self.y + size;
        self.page().push(Item::Text {
            x,
            y,
            text,
            weight,
            size,
            tone,
        });
        self.y += line_height(size);
    }

    fn rule(&mut self, tone: Tone) {
        let y = self.y + 4.0;
        self.page().push(Item::Rule { y, tone });
        self.y += 12.0;
    }

    fn heading_line(&mut self, title: &str) {
        self.y += 6.0;
        for l in self.m.wrap(title, Weight::Bold, HEADING, CONTENT_WIDTH) {
            self.line(MARGIN_X, l, Weight::Bold, HEADING, Tone::Accent);
        }
        self.y += 3.0;
    }

    /// A heading, kept on the same page as the first line below it.
    fn heading(&mut self, title: &str) {
        self.continued = None;
        self.ensure(6.0 + line_height(HEADING) + 3.0 + line_height(BODY));
        self.heading_line(title);
    }

    fn title(&mut self, input: &SynthesisInput) {
        self.line(
            MARGIN_X,
            "Synthèse médicale".into(),
            Weight::Bold,
            20.0,
            Tone::Accent,
        );
        let name = input.patient.display_name();
        let subtitle = if name.is_empty() {
            "Ma santé en résumé".to_string()
        } else {
            format!("Ma santé en résumé — {name}")
        };
        for l in self.m.wrap(&subtitle, Weight::Regular, 12.0, CONTENT_WIDTH) {
            self.line(MARGIN_X, l, Weight::Regular, 12.0, Tone::Muted);
        }
        let made = format!("Document établi le {}.", clean(&input.generated_at));
        self.line(MARGIN_X, made, Weight::Regular, 9.0, Tone::Muted);
        self.rule(Tone::Accent);
    }

    /// "Label : value" rows, the value wrapped in its own column.
    fn field(&mut self, label: &str, value: &str) {
        let value = clean(value);
        let width = CONTENT_WIDTH - LABEL_COLUMN;
        let lines = self.m.wrap(&value, Weight::Regular, BODY, width);
        self.ensure(line_height(BODY));
        let label_y = self.y + BODY;
        self.page().push(Item::Text {
            x: MARGIN_X,
            y: label_y,
            text: label.to_string(),
            weight: Weight::Bold,
            size: BODY,
            tone: Tone::Ink,
        });
        for l in lines {
            self.ensure(line_height(BODY));
            self.line(MARGIN_X + LABEL_COLUMN, l, Weight::Regular, BODY, Tone::Ink);
        }
    }

    fn administrative(&mut self, input: &SynthesisInput) {
        let p = &input.patient;
        self.heading("Données administratives");
        self.continued = Some("Données administratives".into());
        let or_none = |v: &Option<String>| -> String {
            match v.as_deref().map(str::trim) {
                Some(s) if !s.is_empty() => s.to_string(),
                _ => "Non renseigné".to_string(),
            }
        };
        self.field("Nom de naissance", &p.birth_name);
        self.field("Prénoms", &p.first_names);
        self.field("Date de naissance", &date_fr(&p.birth_date));
        self.field("Sexe", p.sex_label().unwrap_or("Non renseigné"));
        self.field("INS (matricule)", &p.ins_grouped());
        self.field("Messagerie santé", &p.mailbox);
        self.field("Courriel personnel", &or_none(&p.email));
        self.field("Téléphone mobile", &or_none(&p.mobile));
        let medecin = match p.medecin_traitant.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => "Aucun médecin traitant déclaré".to_string(),
        };
        self.field("Médecin traitant", &medecin);
        self.continued = None;
    }

    fn section(&mut self, block: &SectionBlock) {
        let title = clean(&block.title);
        self.heading(&title);
        self.continued = Some(title);
        if block.lines.is_empty() {
            self.line(
                MARGIN_X,
                "Aucune information renseignée.".into(),
                Weight::Regular,
                BODY,
                Tone::Muted,
            );
        }
        let width = CONTENT_WIDTH - BULLET_INDENT;
        for entry in &block.lines {
            let lines = self.m.wrap(&clean(entry), Weight::Regular, BODY, width);
            // An entry that fits on a page is not split across two.
            let whole = line_height(BODY) * lines.len() as f32;
            if whole <= CONTENT_BOTTOM - MARGIN_TOP - 2.0 * line_height(HEADING) {
                self.ensure(whole);
            }
            for (i, l) in lines.into_iter().enumerate() {
                self.ensure(line_height(BODY));
                if i == 0 {
                    let y = self.y + BODY;
                    self.page().push(Item::Text {
                        x: MARGIN_X + 3.0,
                        y,
                        text: "•".into(),
                        weight: Weight::Regular,
                        size: BODY,
                        tone: Tone::Accent,
                    });
                }
                self.line(
                    MARGIN_X + BULLET_INDENT,
                    l,
                    Weight::Regular,
                    BODY,
                    Tone::Ink,
                );
            }
            self.y += 2.0;
        }
        self.continued = None;
    }

    fn closing_note(&mut self) {
        let note = "Ce document reprend les informations de votre profil médical à la date \
                    indiquée, telles que vous ou votre médecin traitant les avez saisies. Il ne \
                    remplace pas l’avis d’un professionnel de santé.";
        let lines = self.m.wrap(note, Weight::Regular, 9.0, CONTENT_WIDTH);
        self.ensure(12.0 + line_height(9.0) * lines.len() as f32);
        self.y += 12.0;
        for l in lines {
            self.line(MARGIN_X, l, Weight::Regular, 9.0, Tone::Muted);
        }
    }
}

/// The footer of page `index` (from 0) of `total`: who and when on the left, the page on the
/// right. Returns the left text, the right text and the right text's x.
pub(crate) fn footer(
    input: &SynthesisInput,
    m: Measurer,
    index: usize,
    total: usize,
) -> (String, String, f32) {
    let right = format!("Page {} sur {}", index + 1, total);
    let x = PAGE_WIDTH - MARGIN_X - m.width(&right, Weight::Regular, FOOTER_SIZE);
    let name = input.patient.display_name();
    let when = clean(&input.generated_at);
    let short = format!("Synthèse médicale — {when}");
    let left = format!("Synthèse médicale de {name} — {when}");
    // A very long name would run into the page number: the footer then drops it.
    let fits = m.width(&left, Weight::Regular, FOOTER_SIZE) <= x - MARGIN_X - 12.0;
    let left = if name.is_empty() || !fits {
        short
    } else {
        left
    };
    (left, right, x)
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
