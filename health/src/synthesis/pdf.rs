//! Drawing the laid-out pages with krilla: embedded DejaVu fonts (subset, with a `ToUnicode`
//! map so the text can be searched, copied and read aloud), document metadata in French, and
//! a footer with the generation date and « Page n sur N » on every page.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::SynthesisInput;
use super::layout::{
    FOOTER_BASELINE, FOOTER_RULE, FOOTER_SIZE, Item, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, Tone,
    footer, lay_out,
};
use super::text::{BOLD_TTF, Measurer, REGULAR_TTF, Weight};
use crate::error::{HealthError, Result};

fn color(tone: Tone) -> rgb::Color {
    match tone {
        Tone::Ink => rgb::Color::new(22, 22, 22),
        Tone::Muted => rgb::Color::new(90, 90, 90),
        Tone::Accent => rgb::Color::new(0, 0, 145),
    }
}

struct Fonts {
    regular: Font,
    bold: Font,
}

impl Fonts {
    fn load() -> Result<Fonts> {
        let load = |bytes: &'static [u8]| {
            Font::new(bytes.into(), 0)
                .ok_or_else(|| HealthError::Internal("embedded font unreadable".into()))
        };
        Ok(Fonts {
            regular: load(REGULAR_TTF)?,
            bold: load(BOLD_TTF)?,
        })
    }

    fn get(&self, weight: Weight) -> Font {
        match weight {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        }
    }
}

fn text(
    s: &mut Surface<'_>,
    fonts: &Fonts,
    at: (f32, f32),
    t: &str,
    weight: Weight,
    size: f32,
    tone: Tone,
) {
    if t.is_empty() {
        return;
    }
    s.set_fill(Some(Fill {
        paint: color(tone).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    s.draw_text(
        Point::from_xy(at.0, at.1),
        fonts.get(weight),
        size,
        t,
        false,
        TextDirection::Auto,
    );
}

fn rule(s: &mut Surface<'_>, y: f32, tone: Tone, width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(MARGIN_X, y);
    pb.line_to(PAGE_WIDTH - MARGIN_X, y);
    let Some(path) = pb.finish() else {
        return;
    };
    s.set_fill(None);
    s.set_stroke(Some(Stroke {
        paint: color(tone).into(),
        width,
        ..Default::default()
    }));
    s.draw_path(&path);
    s.set_stroke(None);
}

/// The synthèse as an A4 PDF. Pure: no I/O, the same input gives the same pages. Takes some
/// milliseconds of CPU (font subsetting): async callers run it on a blocking thread.
pub fn render_pdf(input: &SynthesisInput) -> Result<Vec<u8>> {
    let m =
        Measurer::get().ok_or_else(|| HealthError::Internal("embedded font unreadable".into()))?;
    let fonts = Fonts::load()?;
    let pages = lay_out(input, m);
    let total = pages.len();
    let mut doc = Document::new();
    let name = input.patient.display_name();
    let title = if name.is_empty() {
        "Synthèse médicale".to_string()
    } else {
        format!("Synthèse médicale — {name}")
    };
    doc.set_metadata(
        Metadata::new()
            .title(title)
            .description("Ma santé en résumé".into())
            .language("fr-FR".into())
            .creator("santemail".into()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| HealthError::Internal("bad page size".into()))?;
    for (index, items) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut s = page.surface();
        for item in items {
            match item {
                Item::Text {
                    x,
                    y,
                    text: t,
                    weight,
                    size,
                    tone,
                } => text(&mut s, &fonts, (*x, *y), t, *weight, *size, *tone),
                Item::Rule { y, tone } => rule(&mut s, *y, *tone, 1.0),
            }
        }
        let (left, right, right_x) = footer(input, m, index, total);
        rule(&mut s, FOOTER_RULE, Tone::Muted, 0.5);
        text(
            &mut s,
            &fonts,
            (MARGIN_X, FOOTER_BASELINE),
            &left,
            Weight::Regular,
            FOOTER_SIZE,
            Tone::Muted,
        );
        text(
            &mut s,
            &fonts,
            (right_x, FOOTER_BASELINE),
            &right,
            Weight::Regular,
            FOOTER_SIZE,
            Tone::Muted,
        );
        s.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| HealthError::Internal(format!("PDF writing failed: {e:?}")))
}
