//! Message flags (RFC 9051 §2.3.2): the system flags as a bit mask, keywords as a list.
//!
//! Stored as two columns, `system_flags` (bit mask) and `keywords` (space-separated), so that SQL can
//! test a system flag with `system_flags & n` on both backends (e.g. `\Deleted` for EXPUNGE,
//! `\Seen` for the unseen count) without string matching.

use crate::StoreError;

/// One flag. `\Recent` is not one: it is session state (and gone from IMAP4rev2), see
/// `Db::claim_recent`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Flag {
    Seen,
    Answered,
    Flagged,
    Deleted,
    Draft,
    Keyword(String),
}

const SEEN: i64 = 1;
const ANSWERED: i64 = 2;
const FLAGGED: i64 = 4;
const DELETED: i64 = 8;
const DRAFT: i64 = 16;

/// Bit of `\Seen` in `system_flags`.
pub(crate) const SEEN_BIT: i64 = SEEN;
/// Bit of `\Deleted` in `system_flags`.
pub(crate) const DELETED_BIT: i64 = DELETED;

const SYSTEM: [(Flag, i64, &str); 5] = [
    (Flag::Seen, SEEN, "\\Seen"),
    (Flag::Answered, ANSWERED, "\\Answered"),
    (Flag::Flagged, FLAGGED, "\\Flagged"),
    (Flag::Deleted, DELETED, "\\Deleted"),
    (Flag::Draft, DRAFT, "\\Draft"),
];

impl Flag {
    /// Parses an IMAP flag (`\Seen`, `$Forwarded`, `NonJunk`…). System flags are matched without
    /// regard to case (RFC 9051 §9: "all alphabetic characters are case-insensitive").
    pub fn parse(text: &str) -> Result<Flag, StoreError> {
        if let Some(rest) = text.strip_prefix('\\') {
            for (flag, _, name) in SYSTEM.iter() {
                if name[1..].eq_ignore_ascii_case(rest) {
                    return Ok(flag.clone());
                }
            }
            return Err(StoreError::Invalid(format!(
                "flag `{text}` cannot be stored: only \\Seen \\Answered \\Flagged \\Deleted \\Draft and keywords"
            )));
        }
        // A keyword is an IMAP atom (RFC 9051 §9 `flag-keyword`): no space, control, or specials.
        let valid = !text.is_empty()
            && text.len() <= 128
            && text.chars().all(|c| {
                c.is_ascii_graphic() && !matches!(c, '(' | ')' | '{' | '%' | '*' | '"' | '\\' | ']')
            });
        if valid {
            Ok(Flag::Keyword(text.to_string()))
        } else {
            Err(StoreError::Invalid(format!(
                "`{text}` is not a valid IMAP keyword (printable ASCII atom, at most 128 characters)"
            )))
        }
    }

    fn bit(&self) -> i64 {
        SYSTEM
            .iter()
            .find(|(f, _, _)| f == self)
            .map(|(_, b, _)| *b)
            .unwrap_or(0)
    }
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Flag::Keyword(k) => f.write_str(k),
            other => {
                let name = SYSTEM
                    .iter()
                    .find(|(flag, _, _)| flag == other)
                    .map(|(_, _, n)| *n)
                    .unwrap_or("");
                f.write_str(name)
            }
        }
    }
}

/// A set of flags. Keywords compare without regard to ASCII case and keep the case first given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    system: i64,
    keywords: Vec<String>,
}

/// How `store_flags` combines the given flags with the current ones (IMAP STORE `+FLAGS`,
/// `-FLAGS`, `FLAGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagMode {
    Add,
    Remove,
    Replace,
}

impl Flags {
    pub fn new() -> Flags {
        Flags::default()
    }

    /// Parses a list of IMAP flags.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Flags, StoreError> {
        let mut flags = Flags::new();
        for item in items {
            flags.insert(Flag::parse(item.as_ref())?);
        }
        Ok(flags)
    }

    pub fn contains(&self, flag: &Flag) -> bool {
        match flag {
            Flag::Keyword(k) => self.keywords.iter().any(|x| x.eq_ignore_ascii_case(k)),
            system => self.system & system.bit() != 0,
        }
    }

    pub fn insert(&mut self, flag: Flag) {
        match flag {
            Flag::Keyword(k) => {
                if !self.keywords.iter().any(|x| x.eq_ignore_ascii_case(&k)) {
                    self.keywords.push(k);
                    self.keywords.sort_by_key(|k| k.to_ascii_lowercase());
                }
            }
            system => self.system |= system.bit(),
        }
    }

    pub fn remove(&mut self, flag: &Flag) {
        match flag {
            Flag::Keyword(k) => self.keywords.retain(|x| !x.eq_ignore_ascii_case(k)),
            system => self.system &= !system.bit(),
        }
    }

    /// The flags, system flags first, in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        SYSTEM
            .iter()
            .filter(|(_, bit, _)| self.system & bit != 0)
            .map(|(f, _, _)| f.clone())
            .chain(self.keywords.iter().cloned().map(Flag::Keyword))
    }

    pub fn is_empty(&self) -> bool {
        self.system == 0 && self.keywords.is_empty()
    }

    /// The result of applying `given` to `self` with `mode`.
    pub fn apply(&self, mode: FlagMode, given: &Flags) -> Flags {
        match mode {
            FlagMode::Replace => given.clone(),
            FlagMode::Add => {
                let mut out = self.clone();
                for f in given.iter() {
                    out.insert(f);
                }
                out
            }
            FlagMode::Remove => {
                let mut out = self.clone();
                for f in given.iter() {
                    out.remove(&f);
                }
                out
            }
        }
    }

    pub(crate) fn from_columns(system: i64, keywords: &str) -> Flags {
        Flags {
            system,
            keywords: keywords
                .split(' ')
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect(),
        }
    }

    pub(crate) fn system_bits(&self) -> i64 {
        self.system
    }

    pub(crate) fn keywords_column(&self) -> String {
        self.keywords.join(" ")
    }
}

impl std::fmt::Display for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|x| x.to_string()).collect();
        write!(f, "({})", parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Option<Flag>)] = &[
            ("\\Seen", Some(Flag::Seen)),
            ("\\SEEN", Some(Flag::Seen)),
            ("\\answered", Some(Flag::Answered)),
            ("\\Flagged", Some(Flag::Flagged)),
            ("\\Deleted", Some(Flag::Deleted)),
            ("\\Draft", Some(Flag::Draft)),
            ("$Forwarded", Some(Flag::Keyword("$Forwarded".into()))),
            ("NonJunk", Some(Flag::Keyword("NonJunk".into()))),
            ("\\Recent", None),
            ("\\Whatever", None),
            ("", None),
            ("two words", None),
            ("par(en", None),
            ("é", None),
        ];
        for (text, want) in cases {
            assert_eq!(Flag::parse(text).ok(), *want, "{text}");
        }
    }

    #[test]
    fn apply_modes() {
        let cur = Flags::parse(&["\\Seen", "$Label1"]).unwrap();
        let given = Flags::parse(&["\\Flagged", "$label1"]).unwrap();
        let cases = [
            (FlagMode::Add, "(\\Seen \\Flagged $Label1)"),
            (FlagMode::Remove, "(\\Seen)"),
            (FlagMode::Replace, "(\\Flagged $label1)"),
        ];
        for (mode, want) in cases {
            assert_eq!(cur.apply(mode, &given).to_string(), want, "{mode:?}");
        }
    }

    #[test]
    fn columns_round_trip() {
        let f = Flags::parse(&["\\Deleted", "b", "A", "\\Seen"]).unwrap();
        let back = Flags::from_columns(f.system_bits(), &f.keywords_column());
        assert_eq!(back, f);
        assert_eq!(f.to_string(), "(\\Seen \\Deleted A b)");
        assert!(Flags::from_columns(0, "").is_empty());
    }
}
