//! The evolution of one kind of measure as an SVG line chart, drawn on the server so it shows
//! without JavaScript (served as an `<img>`, so the strict CSP of the pages does not apply to its
//! attributes). Hand-written SVG rather than a plotting crate: a line chart is a few hundred lines,
//! the text is laid out by the browser with its own fonts (French accents included, no font
//! metrics needed on our side), and every element stays under our control (titles, legend,
//! accessible description).

use std::fmt::Write as _;

use super::number::format_centi;
use super::{Kind, Measure, date_fr, date_short, format_value};
use crate::{HealthError, Result};

/// The drawing's own size, close to a phone's width in CSS pixels: shown at 100 % width on a
/// 360 px screen, the 14-unit text stays about 12 px high. It scales up on larger screens
/// through `viewBox`.
const W: f64 = 420.0;
const H: f64 = 300.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 14.0;
/// Room for the title and, for blood pressure, the legend under it.
const TOP: f64 = 64.0;
const BOTTOM: f64 = 52.0;
/// Space between the axes and the first and last points, so end labels are not cut.
const PAD: f64 = 22.0;
/// Colours with a contrast ratio above 4.5:1 on white (WCAG AA), told apart by shape too
/// (circles and squares) for colour-blind readers.
const FIRST_COLOUR: &str = "#b3261e";
const SECOND_COLOUR: &str = "#1d4ed8";
const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// The chart of `measures` (any order; they are sorted by date) of `kind`. With no measure the
/// SVG says so in a sentence; the pages show the chart from two measures on.
pub fn chart_svg(kind: Kind, measures: &[Measure]) -> Result<String> {
    let mut points: Vec<&Measure> = measures.iter().filter(|m| m.kind == kind).collect();
    // The storage's order: by day, then time (noon when not given), then entry.
    points.sort_by(|a, b| {
        day_position(a)
            .total_cmp(&day_position(b))
            .then(a.id.cmp(&b.id))
    });
    let mut svg = String::new();
    write_chart(&mut svg, kind, &points)
        .map_err(|_| HealthError::Internal("chart: formatting".into()))?;
    Ok(svg)
}

/// The sentence for the `alt` text and the SVG's description: what the chart shows in words.
pub fn chart_alt(kind: Kind, measures: &[Measure]) -> String {
    let points: Vec<&Measure> = measures.iter().filter(|m| m.kind == kind).collect();
    let label = kind.label().to_lowercase();
    let (Some(first), Some(last)) = (
        points.iter().map(|m| m.date).min(),
        points.iter().map(|m| m.date).max(),
    ) else {
        return format!("Aucune mesure de {label} pour l’instant.");
    };
    let n = points.len();
    let count = if n == 1 {
        "1 mesure".to_string()
    } else {
        format!("{n} mesures")
    };
    let span = if first == last {
        format!("le {}", date_fr(first))
    } else {
        format!("du {} au {}", date_fr(first), date_fr(last))
    };
    let range = |get: fn(&Measure) -> Option<i64>| {
        let vals: Vec<i64> = points.iter().filter_map(|m| get(m)).collect();
        let (lo, hi) = (vals.iter().min().copied()?, vals.iter().max().copied()?);
        Some(if lo == hi {
            format_value(kind, lo, None)
        } else {
            format!("de {} à {}", format_centi(lo), format_value(kind, hi, None))
        })
    };
    let values = if kind.has_second_value() {
        format!(
            "systolique {}, diastolique {}",
            range(|m| Some(m.value_centi)).unwrap_or_default(),
            range(|m| m.value2_centi).unwrap_or_default()
        )
    } else {
        range(|m| Some(m.value_centi)).unwrap_or_default()
    };
    format!("Courbe de {label} : {count} {span}, {values}.")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A step of 1, 2 or 5 times a power of ten giving about `ticks` intervals over `span`.
fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(0.01);
    let mag = 10f64.powf(raw.log10().floor());
    let unit = raw / mag;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Position on the time axis: days since the Julian epoch, plus the time of day when known
/// (several measures on one day spread out in their order).
fn day_position(m: &Measure) -> f64 {
    let minutes = m
        .time
        .as_deref()
        .and_then(|t| t.split_once(':'))
        .and_then(|(h, mi)| Some(h.parse::<f64>().ok()? * 60.0 + mi.parse::<f64>().ok()?))
        .unwrap_or(720.0);
    f64::from(m.date.to_julian_day()) + minutes / 1440.0
}

/// A point of a series: position on the time axis, value in hundredths, its measure.
type Point<'a> = (f64, i64, &'a Measure);

fn write_chart(svg: &mut String, kind: Kind, points: &[&Measure]) -> std::fmt::Result {
    let title = format!("{} ({})", kind.label(), kind.unit().trim_start_matches('/'));
    let title = if kind == Kind::Douleur {
        format!("{} (sur 10)", kind.label())
    } else {
        title
    };
    let owned: Vec<Measure> = points.iter().map(|m| (*m).clone()).collect();
    let desc = chart_alt(kind, &owned);
    write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="t d" font-family="{FONT}" font-size="14">"#
    )?;
    write!(
        svg,
        r##"<title id="t">{}</title><desc id="d">{}</desc><rect width="{W}" height="{H}" fill="#ffffff"/>"##,
        esc(&title),
        esc(&desc)
    )?;
    write!(
        svg,
        r##"<text x="{LEFT}" y="24" font-size="16" font-weight="bold" fill="#1b1b1b">{}</text>"##,
        esc(&title)
    )?;
    if points.is_empty() {
        write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#3a3a3a">Aucune mesure pour l’instant.</text></svg>"##,
            W / 2.0,
            H / 2.0
        )?;
        return Ok(());
    }

    // Value axis: every value of both series, padded to round ticks.
    let mut values: Vec<f64> = points.iter().map(|m| m.value_centi as f64).collect();
    values.extend(
        points
            .iter()
            .filter_map(|m| m.value2_centi)
            .map(|v| v as f64),
    );
    let (vmin, vmax) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let spread = (vmax - vmin).max(if kind.spec().decimals == 0 {
        200.0
    } else {
        20.0
    });
    let step = nice_step(spread, 4.0);
    // A tick of room below and above when a value falls on one, so no point sits on an edge.
    let mut lo = (vmin / step).floor() * step;
    if vmin - lo < step / 4.0 {
        lo -= step;
    }
    let lo = lo.max(0.0);
    let mut hi = (vmax / step).ceil() * step;
    if hi - vmax < step / 4.0 {
        hi += step;
    }
    if hi - lo < step * 2.0 {
        hi = lo + step * 2.0;
    }
    let plot_w = W - LEFT - RIGHT - 2.0 * PAD;
    let plot_h = H - TOP - BOTTOM;
    let y_of = |v: f64| TOP + plot_h - (v - lo) / (hi - lo) * plot_h;

    // Time axis.
    let days: Vec<f64> = points.iter().map(|m| day_position(m)).collect();
    let (dmin, dmax) = (days[0], days[days.len() - 1]);
    let x_of = |d: f64| {
        if dmax - dmin < 1e-9 {
            LEFT + PAD + plot_w / 2.0
        } else {
            LEFT + PAD + (d - dmin) / (dmax - dmin) * plot_w
        }
    };

    // Grid and value labels.
    let mut tick = lo;
    while tick <= hi + step / 2.0 {
        let y = y_of(tick);
        write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#d9d9d9" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" fill="#3a3a3a">{}</text>"##,
            W - RIGHT,
            LEFT - 8.0,
            y + 5.0,
            format_centi(tick.round() as i64)
        )?;
        tick += step;
    }
    write!(
        svg,
        r##"<line x1="{LEFT}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#3a3a3a" stroke-width="1"/>"##,
        TOP + plot_h,
        W - RIGHT,
        TOP + plot_h
    )?;

    // Date labels: the first and last measure and up to three evenly spaced between.
    let first = points[0].date;
    let last = points[points.len() - 1].date;
    let mut label_dates = vec![first];
    let span_days = last.to_julian_day() - first.to_julian_day();
    // Four labels at most: "12/03" is about 40 units wide at this size.
    if span_days >= 3 {
        for k in 1..3 {
            let jd = first.to_julian_day() + span_days * k / 3;
            if let Ok(d) = time::Date::from_julian_day(jd) {
                label_dates.push(d);
            }
        }
    }
    if last != first {
        label_dates.push(last);
    }
    for d in label_dates {
        let x = x_of(f64::from(d.to_julian_day()) + 0.5).clamp(LEFT, W - RIGHT);
        write!(
            svg,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#3a3a3a" stroke-width="1"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#3a3a3a">{}</text>"##,
            TOP + plot_h,
            TOP + plot_h + 5.0,
            TOP + plot_h + 22.0,
            date_short(d)
        )?;
    }
    let years = if first.year() == last.year() {
        first.year().to_string()
    } else {
        format!("{}–{}", first.year(), last.year())
    };
    write!(
        svg,
        r##"<text x="{}" y="{}" text-anchor="middle" fill="#3a3a3a">Date ({years})</text>"##,
        LEFT + PAD + plot_w / 2.0,
        H - 10.0
    )?;

    // Series: systolic (or the only value) with circles, diastolic with squares.
    let series: Vec<(&str, &str, Vec<Point>)> = {
        let one: Vec<Point> = points
            .iter()
            .zip(&days)
            .map(|(m, d)| (*d, m.value_centi, *m))
            .collect();
        let two: Vec<Point> = points
            .iter()
            .zip(&days)
            .filter_map(|(m, d)| m.value2_centi.map(|v| (*d, v, *m)))
            .collect();
        if kind.has_second_value() {
            vec![
                ("Systolique", FIRST_COLOUR, one),
                ("Diastolique", SECOND_COLOUR, two),
            ]
        } else {
            vec![("", FIRST_COLOUR, one)]
        }
    };
    for (i, (name, colour, pts)) in series.iter().enumerate() {
        let path: Vec<String> = pts
            .iter()
            .map(|(d, v, _)| format!("{:.1},{:.1}", x_of(*d), y_of(*v as f64)))
            .collect();
        if pts.len() > 1 {
            write!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>"#,
                path.join(" ")
            )?;
        }
        for (d, v, m) in pts {
            let (x, y) = (x_of(*d), y_of(*v as f64));
            let tip = format!("{} : {}", m.display_date(), format_value(kind, *v, None));
            let tip = if name.is_empty() {
                tip
            } else {
                format!("{name} — {tip}")
            };
            if i == 0 {
                write!(
                    svg,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{colour}"><title>{}</title></circle>"#,
                    esc(&tip)
                )?;
            } else {
                write!(
                    svg,
                    r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{colour}"><title>{}</title></rect>"#,
                    x - 4.0,
                    y - 4.0,
                    esc(&tip)
                )?;
            }
        }
        // Legend, top right, only when there are two series.
        if !name.is_empty() {
            let lx = LEFT + 6.0 + 130.0 * i as f64;
            let marker = if i == 0 {
                format!(r#"<circle cx="{lx}" cy="43" r="5" fill="{colour}"/>"#)
            } else {
                format!(
                    r#"<rect x="{}" y="38" width="10" height="10" fill="{colour}"/>"#,
                    lx - 5.0
                )
            };
            write!(
                svg,
                r##"{marker}<text x="{}" y="48" fill="#1b1b1b">{name}</text>"##,
                lx + 10.0
            )?;
        }
    }
    svg.push_str("</svg>");
    Ok(())
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
