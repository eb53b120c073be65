//! The seven kinds of measures as one table: slug (used in URLs and the database), French label,
//! unit, plausible range, decimals. Values are kept as integer hundredths of the unit
//! ("centi"), so ranges and comparisons are exact and the database stores integers only
//! (docs/decisions.md: no floating point columns).
//!
//! The ranges are *plausibility* bounds, not normal values: they refuse typing mistakes (a
//! temperature of 375 °C, a weight in grams) while accepting every value a living patient, from
//! a premature newborn to an adult in intensive care, can really show. Each bound says why.

use serde::Serialize;

/// A kind of measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Tension,
    Glycemie,
    FrequenceCardiaque,
    Douleur,
    Poids,
    Taille,
    Temperature,
}

/// Bounds of one value, in hundredths of the kind's unit, with the words to name it in a sentence.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// "la température", "le poids", "la tension systolique": the value named inside a sentence.
    pub subject: &'static str,
    /// Feminine subject: "comprise" rather than "compris".
    pub feminine: bool,
    pub min_centi: i64,
    pub max_centi: i64,
    /// A typical value, shown in the "not a number" message ("par exemple 37,5").
    pub example: &'static str,
}

/// A unit the citizen or a professional may give instead of the kind's own unit, converted on
/// entry: we store one unit per kind so the chart and the history stay comparable.
#[derive(Debug, Clone, Copy)]
pub struct OtherUnit {
    pub unit: &'static str,
    /// Multiply a value in this unit by `factor` to get the kind's unit.
    pub factor: f64,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    pub kind: Kind,
    pub slug: &'static str,
    /// "Tension artérielle": headings and PDF.
    pub label: &'static str,
    /// The unit values are stored and shown in.
    pub unit: &'static str,
    /// The first (or only) value.
    pub first: Bounds,
    /// The diastolic pressure, for blood pressure only.
    pub second: Option<Bounds>,
    /// Decimals kept and shown (values are rounded to this on entry, conversions included).
    pub decimals: u8,
    /// A fractional value is refused rather than rounded (the pain scale is a whole-number scale).
    pub integer_only: bool,
    pub other_units: &'static [OtherUnit],
}

const fn b(
    subject: &'static str,
    feminine: bool,
    min_centi: i64,
    max_centi: i64,
    example: &'static str,
) -> Bounds {
    Bounds {
        subject,
        feminine,
        min_centi,
        max_centi,
        example,
    }
}

/// The table. Order is the order of the overview page and of the PDF synthesis.
pub const KINDS: [KindSpec; 7] = [
    KindSpec {
        kind: Kind::Tension,
        slug: "tension",
        label: "Tension artérielle",
        unit: "mmHg",
        // Systolic 50–260: below 50 a cuff does not read a pressure (shock); above 260 is beyond
        // what automatic home monitors display (most stop at 260–280) and beyond recorded crises.
        first: b("la tension systolique", true, 50_00, 260_00, "125"),
        // Diastolic 30–160: the same monitors' lower and upper display limits for diastolic.
        second: Some(b("la tension diastolique", true, 30_00, 160_00, "80")),
        decimals: 0,
        integer_only: false,
        other_units: &[],
    },
    KindSpec {
        kind: Kind::Glycemie,
        slug: "glycemie",
        label: "Glycémie",
        // g/L is how French laboratories and most glucometers sold in France report glucose;
        // mmol/L (international) and mg/dL (some imported meters) are converted on entry.
        unit: "g/L",
        // 0.20–6.00 g/L: the measuring range of home glucometers (20–600 mg/dL); outside it the
        // meter itself shows "LO"/"HI" instead of a number.
        first: b("la glycémie", true, 20, 6_00, "1,05"),
        second: None,
        decimals: 2,
        integer_only: false,
        other_units: &[
            // Glucose molar mass 180.16 g/mol: 1 mmol/L = 0.18016 g/L.
            OtherUnit {
                unit: "mmol/L",
                factor: 0.18016,
            },
            // 1 mg/dL = 10 mg/L = 0.01 g/L.
            OtherUnit {
                unit: "mg/dL",
                factor: 0.01,
            },
        ],
    },
    KindSpec {
        kind: Kind::FrequenceCardiaque,
        slug: "frequence-cardiaque",
        label: "Fréquence cardiaque",
        unit: "bpm",
        // 25–250 bpm: from a severe bradycardia (complete heart block, athletes asleep reach 30)
        // to a newborn's or an arrhythmia's fastest rates; pulse oximeters display 25–250.
        first: b("la fréquence cardiaque", true, 25_00, 250_00, "72"),
        second: None,
        decimals: 0,
        integer_only: false,
        other_units: &[],
    },
    KindSpec {
        kind: Kind::Douleur,
        slug: "douleur",
        label: "Niveau de douleur",
        unit: "/10",
        // The numeric rating scale (EN, échelle numérique) used in French hospitals: 0 = no pain,
        // 10 = worst imaginable, whole numbers only.
        first: b("le niveau de douleur", false, 0, 10_00, "3"),
        second: None,
        decimals: 0,
        integer_only: true,
        other_units: &[],
    },
    KindSpec {
        kind: Kind::Poids,
        slug: "poids",
        label: "Poids",
        unit: "kg",
        // 0.5–400 kg: from an extremely premature newborn (about 500 g) to severe obesity (the
        // heaviest patients weighed on hospital scales stay under 400 kg; a higher entry is
        // almost surely grams typed as kilograms). Two decimals for babies' weights (3,25 kg).
        first: b("le poids", false, 50, 400_00, "72,5"),
        second: None,
        decimals: 2,
        integer_only: false,
        other_units: &[],
    },
    KindSpec {
        kind: Kind::Taille,
        slug: "taille",
        label: "Taille",
        unit: "cm",
        // 20–250 cm: an extremely premature newborn measures about 25–30 cm; the tallest living
        // people are under 250 cm. One decimal, as measured on a height gauge.
        first: b("la taille", true, 20_00, 250_00, "172"),
        second: None,
        decimals: 1,
        integer_only: false,
        other_units: &[OtherUnit {
            unit: "m",
            factor: 100.0,
        }],
    },
    KindSpec {
        kind: Kind::Temperature,
        slug: "temperature",
        label: "Température",
        unit: "°C",
        // 32–43.5 °C: below 32 °C is a severe hypothermia that home thermometers do not read
        // (most display from 32 °C); above 43.5 °C is beyond survivable hyperthermia. One
        // decimal, as thermometers show.
        first: b("la température", true, 32_00, 43_50, "37,5"),
        second: None,
        decimals: 1,
        integer_only: false,
        other_units: &[],
    },
];

impl Kind {
    /// Every kind, in the table's order.
    pub fn all() -> impl Iterator<Item = Kind> {
        KINDS.iter().map(|s| s.kind)
    }

    pub fn spec(self) -> &'static KindSpec {
        // The table holds every variant once (tested), in declaration order.
        &KINDS[self as usize]
    }

    /// The URL and database slug ("frequence-cardiaque").
    pub fn slug(self) -> &'static str {
        self.spec().slug
    }

    /// The French label ("Fréquence cardiaque").
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// The unit values are stored and shown in ("mmHg", "°C").
    pub fn unit(self) -> &'static str {
        self.spec().unit
    }

    pub fn parse(slug: &str) -> Option<Kind> {
        KINDS.iter().find(|s| s.slug == slug).map(|s| s.kind)
    }

    /// Whether values of this kind come in pairs (systolic/diastolic).
    pub fn has_second_value(self) -> bool {
        self.spec().second.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_holds_each_kind_once_in_order() {
        for (i, spec) in KINDS.iter().enumerate() {
            assert_eq!(spec.kind as usize, i, "{} out of order", spec.slug);
            assert_eq!(Kind::parse(spec.slug), Some(spec.kind));
            assert_eq!(spec.kind.spec().slug, spec.slug);
        }
        assert_eq!(Kind::all().count(), 7);
    }

    #[test]
    fn slugs_follow_the_url_plan() {
        let slugs: Vec<&str> = Kind::all().map(Kind::slug).collect();
        assert_eq!(
            slugs,
            [
                "tension",
                "glycemie",
                "frequence-cardiaque",
                "douleur",
                "poids",
                "taille",
                "temperature"
            ]
        );
        assert_eq!(Kind::parse("Tension"), None);
        assert_eq!(Kind::parse(""), None);
    }

    /// Kind, first range, second range, unit.
    type Row = (Kind, i64, i64, Option<(i64, i64)>, &'static str);

    #[test]
    fn ranges_are_the_documented_ones() {
        let cases: [Row; 7] = [
            (Kind::Tension, 50_00, 260_00, Some((30_00, 160_00)), "mmHg"),
            (Kind::Glycemie, 20, 6_00, None, "g/L"),
            (Kind::FrequenceCardiaque, 25_00, 250_00, None, "bpm"),
            (Kind::Douleur, 0, 10_00, None, "/10"),
            (Kind::Poids, 50, 400_00, None, "kg"),
            (Kind::Taille, 20_00, 250_00, None, "cm"),
            (Kind::Temperature, 32_00, 43_50, None, "°C"),
        ];
        for (kind, min, max, second, unit) in cases {
            let s = kind.spec();
            assert_eq!(
                (s.first.min_centi, s.first.max_centi),
                (min, max),
                "{kind:?}"
            );
            assert_eq!(s.second.map(|b| (b.min_centi, b.max_centi)), second);
            assert_eq!(s.unit, unit);
            assert!(s.first.min_centi < s.first.max_centi);
        }
    }

    #[test]
    fn labels_are_french() {
        assert_eq!(Kind::Tension.label(), "Tension artérielle");
        assert_eq!(Kind::Temperature.label(), "Température");
        assert_eq!(Kind::FrequenceCardiaque.label(), "Fréquence cardiaque");
        assert!(Kind::Tension.has_second_value());
        assert!(!Kind::Poids.has_second_value());
    }
}
