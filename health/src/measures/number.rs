//! Numbers as the French write them: "37,5" (decimal comma) or "37.5", shown back as "37,5".
//! Values live as integer hundredths ("centi") so comparisons with the ranges are exact.

/// Why a text is not a number we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    NotANumber,
    /// "5,5" where only whole numbers are allowed.
    NotWhole,
}

/// Longest text accepted as a number: no measure needs more than "400,00" or "250.123".
const MAX_LEN: usize = 12;

/// Parses "37,5", "37.5", " 125 " or "0,991" into a non-negative number. No sign, no exponent,
/// no thousands separator: the forms ask for one plain value and a stray character is more
/// likely a typing mistake than something to guess about.
pub fn parse_decimal(text: &str) -> Result<f64, NumberError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    if t.len() > MAX_LEN {
        return Err(NumberError::NotANumber);
    }
    let (int, frac) = match t.find([',', '.']) {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t, ""),
    };
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    // "37," and ",5" are accepted ("37" and "0,5"); "," alone is not a number.
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(NumberError::NotANumber);
    }
    let normal = format!(
        "{}.{}",
        if int.is_empty() { "0" } else { int },
        if frac.is_empty() { "0" } else { frac }
    );
    normal.parse::<f64>().map_err(|_| NumberError::NotANumber)
}

/// Like [`parse_decimal`], refusing any non-zero fractional part ("5,0" is 5; "5,5" is refused).
pub fn parse_whole(text: &str) -> Result<f64, NumberError> {
    let v = parse_decimal(text)?;
    if v.fract() != 0.0 {
        return Err(NumberError::NotWhole);
    }
    Ok(v)
}

/// Rounds a value to `decimals` decimals (half away from zero) and returns it in hundredths.
pub fn to_centi(value: f64, decimals: u8) -> i64 {
    let decimals = decimals.min(2);
    let scale = 10f64.powi(i32::from(decimals));
    // The nudge makes "37,55" round up as a person expects although 37.55 × 10 is
    // 375.4999… in binary floating point; inputs never carry more than a few decimals.
    let rounded = (value * scale + 1e-7).round();
    // Values are bounded by MAX_LEN characters (< 10^12), far inside i64 once scaled.
    (rounded as i64) * 10i64.pow(u32::from(2 - decimals))
}

/// "37,5", "125", "1,05", "72" from hundredths: French decimal comma, trailing zeros dropped.
pub fn format_centi(centi: i64) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let abs = centi.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int},{}", f / 10),
        f => format!("{sign}{int},{f:02}"),
    }
}

/// A value in hundredths as an `f64` of the unit (for charts and JSON).
pub fn centi_to_f64(centi: i64) -> f64 {
    centi as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_french_and_english_decimals() {
        let ok: [(&str, f64); 9] = [
            ("37,5", 37.5),
            ("37.5", 37.5),
            (" 125 ", 125.0),
            ("0,991", 0.991),
            ("37,", 37.0),
            (",5", 0.5),
            ("072", 72.0),
            ("400,00", 400.0),
            ("0", 0.0),
        ];
        for (text, want) in ok {
            assert_eq!(parse_decimal(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_plain_number() {
        let bad: [(&str, NumberError); 12] = [
            ("", NumberError::Empty),
            ("   ", NumberError::Empty),
            (",", NumberError::NotANumber),
            ("abc", NumberError::NotANumber),
            ("-5", NumberError::NotANumber),
            ("+5", NumberError::NotANumber),
            ("1e3", NumberError::NotANumber),
            ("37,5,1", NumberError::NotANumber),
            ("37.5.1", NumberError::NotANumber),
            ("1 000", NumberError::NotANumber),
            ("NaN", NumberError::NotANumber),
            ("1234567890123", NumberError::NotANumber),
        ];
        for (text, want) in bad {
            assert_eq!(parse_decimal(text), Err(want), "{text:?}");
        }
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_whole("5"), Ok(5.0));
        assert_eq!(parse_whole("5,0"), Ok(5.0));
        assert_eq!(parse_whole("5,5"), Err(NumberError::NotWhole));
        assert_eq!(parse_whole("x"), Err(NumberError::NotANumber));
    }

    #[test]
    fn rounds_to_the_kind_decimals() {
        let cases: [(f64, u8, i64); 7] = [
            (37.5, 1, 37_50),
            (37.55, 1, 37_60),
            (1.05, 2, 1_05),
            (0.991, 2, 99),
            (120.4, 0, 120_00),
            (120.5, 0, 121_00),
            (5.5 * 0.18016, 2, 99),
        ];
        for (v, d, want) in cases {
            assert_eq!(to_centi(v, d), want, "{v} to {d} decimals");
        }
    }

    #[test]
    fn formats_the_french_way() {
        let cases: [(i64, &str); 7] = [
            (37_50, "37,5"),
            (125_00, "125"),
            (1_05, "1,05"),
            (99, "0,99"),
            (3_25, "3,25"),
            (43_50, "43,5"),
            (0, "0"),
        ];
        for (centi, want) in cases {
            assert_eq!(format_centi(centi), want);
        }
    }
}
