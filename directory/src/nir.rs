//! The NIR (numéro d'inscription au répertoire, "numéro de sécurité sociale"), which with its key is
//! the INS of a citizen (DESIGN §2). Pure functions.
//!
//! Layout: sex (1), year (2), month (2), department (2, `2A`/`2B` in Corsica), commune (3),
//! order (3), key (2). The key is `97 − (first 13 digits mod 97)`; for Corsica the department is
//! read as `19` (2A) or `18` (2B) for the computation (INSEE rule).
//!
//! Only the key is enforced. The sex digit and the month are not: provisional and foreign-born
//! numbers use values outside 1-2 / 01-12 (sex 3, 4, 7, 8; months 20-42 or 50-99), and refusing
//! them would lock real people out.

use std::fmt;

/// A NIR with a valid key, in canonical form (15 characters, `2A`/`2B` in upper case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nir(String);

/// Why a string is not a NIR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NirError {
    /// Not 15 characters once spaces are removed.
    Length(usize),
    /// A character other than a digit, or `A`/`B` elsewhere than in a Corsican department.
    Characters,
    /// The key does not match the first 13 characters.
    Key { expected: u8, found: String },
}

impl fmt::Display for NirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NirError::Length(n) => write!(f, "a NIR has 15 characters, this one has {n}"),
            NirError::Characters => write!(
                f,
                "a NIR is made of digits (2A or 2B allowed for a Corsican department)"
            ),
            NirError::Key { expected, found } => {
                write!(f, "wrong NIR key {found} (expected {expected:02})")
            }
        }
    }
}

impl std::error::Error for NirError {}

impl Nir {
    /// Parses and checks a NIR; spaces are ignored and `2a`/`2b` accepted in lower case.
    pub fn parse(raw: &str) -> Result<Nir, NirError> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let len = s.chars().count();
        if len != 15 {
            return Err(NirError::Length(len));
        }
        let expected = key_of(&s[..13]).ok_or(NirError::Characters)?;
        let found = &s[13..];
        if !found.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NirError::Characters);
        }
        if found.parse::<u8>().ok() != Some(expected) {
            return Err(NirError::Key {
                expected,
                found: found.to_string(),
            });
        }
        Ok(Nir(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The citizen's mailbox: `<INS>@<citizen domain>`, lower case like every stored address.
    pub fn address(&self, citizen_domain: &str) -> String {
        format!(
            "{}@{}",
            self.0.to_ascii_lowercase(),
            citizen_domain.to_ascii_lowercase()
        )
    }
}

impl fmt::Display for Nir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The key of the first 13 characters of a NIR, or `None` if they are not a NIR body.
pub fn key_of(first13: &str) -> Option<u8> {
    let b = first13.as_bytes();
    if b.len() != 13 {
        return None;
    }
    let mut digits = [0u8; 13];
    for (i, &c) in b.iter().enumerate() {
        digits[i] = match (i, c) {
            (_, b'0'..=b'9') => c - b'0',
            // Department 2A → 19, 2B → 18 (positions 6-7, 0-based 5-6).
            (6, b'A' | b'a') if b[5] == b'2' => 9,
            (6, b'B' | b'b') if b[5] == b'2' => 8,
            _ => return None,
        };
    }
    if matches!(b[6], b'A' | b'a' | b'B' | b'b') {
        digits[5] = 1;
    }
    let n = digits.iter().fold(0u64, |acc, d| acc * 10 + u64::from(*d));
    u8::try_from(97 - n % 97).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_nirs_are_valid() {
        // tests/fixtures/citizens/assures.csv, Corsican ones included.
        let valid = [
            "240013700100130",
            "143024503800277",
            "246037507500312",
            "149046911200449",
            "252052A14900510",
            "155069720900696",
            "258073722300747",
            "161084526000894",
            "264097529700929",
            "167106933401066",
            "270112A37101127",
            "173129720901280",
            "115063726104045",
            "216063726104142",
        ];
        for n in valid {
            assert_eq!(
                Nir::parse(n).map(|x| x.to_string()),
                Ok(n.to_string()),
                "{n}"
            );
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, Result<&str, NirError>)] = &[
            // Spaces and lower-case Corsican letters are accepted and canonicalised.
            ("2 52 05 2a 149 005 10", Ok("252052A14900510")),
            // 2B: body read as 1841218050001, key 97 - n % 97 = 53.
            ("184122B05000153", Ok("184122B05000153")),
            // Provisional / foreign-born values are not refused (sex 7, month 99).
            ("799999912345640", Ok("799999912345640")),
            (
                "240013700100131",
                Err(NirError::Key {
                    expected: 30,
                    found: "31".into(),
                }),
            ),
            ("24001370010013", Err(NirError::Length(14))),
            ("2400137001001300", Err(NirError::Length(16))),
            ("24001370010X130", Err(NirError::Characters)),
            // A/B only in a Corsican department position.
            ("2A0013700100130", Err(NirError::Characters)),
            ("2400137001001AB", Err(NirError::Characters)),
            ("", Err(NirError::Length(0))),
        ];
        for (raw, want) in cases {
            let got = Nir::parse(raw).map(|n| n.to_string());
            assert_eq!(got, want.clone().map(str::to_string), "{raw}");
        }
    }

    #[test]
    fn corsica_uses_19_and_18() {
        // Same body with 2A and with 19 must give the same key.
        assert_eq!(key_of("2520519149005"), key_of("252052A149005"));
        assert_eq!(key_of("2520518149005"), key_of("252052B149005"));
        assert_ne!(key_of("252052A149005"), key_of("252052B149005"));
    }

    #[test]
    fn address_is_lower_case() {
        let nir = Nir::parse("252052A14900510").unwrap();
        assert_eq!(
            nir.address("Patient.MSSante.example"),
            "252052a14900510@patient.mssante.example"
        );
    }
}
