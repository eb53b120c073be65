//! The two embedded fonts, text measurement and line wrapping (pure).
//!
//! krilla draws one line of text at a time and leaves layout to us, so the synthèse measures
//! its words with the fonts' own advance widths (read by `skrifa`, the font reader krilla is
//! built on) and wraps greedily. Kerning is ignored here: it only ever narrows Latin text set in
//! DejaVu, so a measured line is never shorter than the drawn one and never overflows.

use std::sync::LazyLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans (free licence, `assets/DejaVu-LICENSE.txt`): it has every glyph of written
/// French — accents, « », ’, œ, the narrow no-break space — so no character ever falls back.
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

/// Which of the two fonts a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// Advance widths of one font, in em (font units divided by units-per-em).
pub(crate) struct FontMetrics {
    font: FontRef<'static>,
    glyphs: GlyphMetrics<'static>,
    units_per_em: f32,
}

impl FontMetrics {
    fn load(bytes: &'static [u8]) -> Option<FontMetrics> {
        let font = FontRef::new(bytes).ok()?;
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        if units_per_em <= 0.0 {
            return None;
        }
        let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        Some(FontMetrics {
            font,
            glyphs,
            units_per_em,
        })
    }

    /// Width of `text` at `size` points. A character the font lacks counts as the width of
    /// its `.notdef` box, which is what would be drawn.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.font.charmap();
        let units: f32 = text
            .chars()
            .map(|c| {
                let gid = charmap.map(c).unwrap_or_default();
                self.glyphs.advance_width(gid).unwrap_or(0.0)
            })
            .sum();
        units / self.units_per_em * size
    }

    /// Whether the font has a glyph of its own for `c`.
    #[cfg(test)]
    pub(crate) fn covers(&self, c: char) -> bool {
        self.font.charmap().map(c).is_some()
    }
}

/// The metrics of both fonts, read once. `None` only if an embedded font were corrupt, which
/// the unit tests rule out.
static METRICS: LazyLock<Option<(FontMetrics, FontMetrics)>> = LazyLock::new(|| {
    Some((
        FontMetrics::load(REGULAR_TTF)?,
        FontMetrics::load(BOLD_TTF)?,
    ))
});

/// Measures text in the embedded fonts.
#[derive(Clone, Copy)]
pub(crate) struct Measurer {
    regular: &'static FontMetrics,
    bold: &'static FontMetrics,
}

impl Measurer {
    pub(crate) fn get() -> Option<Measurer> {
        let (regular, bold) = METRICS.as_ref()?;
        Some(Measurer { regular, bold })
    }

    pub(crate) fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        match weight {
            Weight::Regular => self.regular.width(text, size),
            Weight::Bold => self.bold.width(text, size),
        }
    }

    /// Splits `text` into lines no wider than `max_width` points: greedy on spaces, and a word
    /// longer than a whole line (a long address, an unbroken code) is cut between characters.
    /// Always at least one line, possibly empty.
    pub(crate) fn wrap(
        &self,
        text: &str,
        weight: Weight,
        size: f32,
        max_width: f32,
    ) -> Vec<String> {
        let fits = |s: &str| self.width(s, weight, size) <= max_width;
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if fits(&candidate) {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            if fits(word) {
                current = word.to_string();
                continue;
            }
            for c in word.chars() {
                let mut longer = current.clone();
                longer.push(c);
                if !current.is_empty() && !fits(&longer) {
                    lines.push(std::mem::take(&mut current));
                    current.push(c);
                } else {
                    current = longer;
                }
            }
        }
        lines.push(current);
        lines
    }
}

/// Text from the database made safe to set on one line: control characters (new lines, tabs)
/// become spaces and runs of spaces collapse, so no entry can break the layout.
pub(crate) fn clean(text: &str) -> String {
    text.split(|c: char| c.is_control() || (c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An ISO date (`1980-03-12`) as the citizen reads it ("12 mars 1980"; "1er" for the first).
/// Anything else is returned as it is, so a partial date still shows.
pub fn date_fr(iso: &str) -> String {
    let parts: Vec<&str> = iso.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return iso.trim().to_string();
    };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>())
    else {
        return iso.trim().to_string();
    };
    match time::Month::try_from(month)
        .ok()
        .and_then(|month| time::Date::from_calendar_date(year, month, day).ok())
    {
        Some(date) => crate::french::date_fr(date),
        None => iso.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Measurer, Weight, clean, date_fr};

    fn m() -> Measurer {
        Measurer::get().expect("embedded fonts load")
    }

    #[test]
    fn fonts_have_french_glyphs() {
        let m = m();
        // Each of these must have a glyph of its own in both fonts, never the .notdef box.
        for c in "éèàçôœŒ«»’ÉïûÀ€\u{202f}\u{a0}".chars() {
            assert!(m.regular.covers(c) && m.bold.covers(c), "{c:?}");
            assert!(
                m.width(&c.to_string(), Weight::Regular, 10.0) > 0.0,
                "{c:?}"
            );
        }
        assert!(
            m.width("Synthèse", Weight::Bold, 12.0) > m.width("Synthèse", Weight::Regular, 12.0)
        );
        assert!(
            (m.width("abc", Weight::Regular, 20.0) - 2.0 * m.width("abc", Weight::Regular, 10.0))
                .abs()
                < 0.01
        );
    }

    #[test]
    fn wrapping() {
        let m = m();
        let text =
            "Hypertension artérielle essentielle, traitée depuis 2019, suivie par le cardiologue";
        let lines = m.wrap(text, Weight::Regular, 10.0, 150.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(m.width(l, Weight::Regular, 10.0) <= 150.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);

        let cases: [(&str, f32, Vec<&str>); 3] = [
            ("", 100.0, vec![""]),
            ("court", 100.0, vec!["court"]),
            ("a  b", 100.0, vec!["a b"]),
        ];
        for (text, width, want) in cases {
            assert_eq!(m.wrap(text, Weight::Regular, 10.0, width), want, "{text:?}");
        }
        // A word longer than a line is cut, and nothing is lost.
        let long = "x".repeat(200);
        let lines = m.wrap(&long, Weight::Regular, 10.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn cleaning_and_dates() {
        let cases = [
            ("  Asthme\n\tallergique  ", "Asthme allergique"),
            ("a\r\nb", "a b"),
            ("5\u{202f}mg", "5\u{202f}mg"),
        ];
        for (given, want) in cases {
            assert_eq!(clean(given), want, "{given:?}");
        }
        let dates = [
            ("1980-03-12", "12 mars 1980"),
            ("2026-12-01", "1er décembre 2026"),
            ("2026-08-15", "15 août 2026"),
            ("2026-13-01", "2026-13-01"),
            ("2019", "2019"),
            ("", ""),
        ];
        for (given, want) in dates {
            assert_eq!(date_fr(given), want, "{given:?}");
        }
    }
}
