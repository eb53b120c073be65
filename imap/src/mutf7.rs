//! Modified UTF-7 mailbox names (RFC 3501 §5.1.3).
//!
//! Printable US-ASCII (0x20–0x7E) stands for itself, except `&`, written `&-`. Any other run of
//! characters is UTF-16BE, base64 with the alphabet of RFC 2152 where `,` replaces `/`, without
//! padding, between `&` and `-`. The RFC also says what a name must NOT look like: printable ASCII
//! inside a shifted run, two adjacent shifted runs, "&" not followed by base64 or "-". We refuse
//! any such non-canonical spelling (so that one mailbox has exactly one name), by checking that
//! decoding then encoding gives the input back byte for byte.

use base64::Engine;
use base64::alphabet::Alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Why a mailbox name is not valid modified UTF-7.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Mutf7Error {
    #[error("mailbox name contains a byte outside printable US-ASCII")]
    NotAscii,
    #[error("`&` shift sequence is not terminated by `-`")]
    Unterminated,
    #[error("invalid base64 in a `&…-` shift sequence")]
    BadBase64,
    #[error("shift sequence is not valid UTF-16")]
    BadUtf16,
    #[error("mailbox name is not in canonical modified UTF-7")]
    NotCanonical,
}

/// The base64 engine of RFC 3501 §5.1.3: `+` and `,`, no padding, no stray trailing bits.
fn engine() -> Result<GeneralPurpose, Mutf7Error> {
    let alphabet =
        Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")
            .map_err(|_| Mutf7Error::BadBase64)?;
    let config = GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false);
    Ok(GeneralPurpose::new(&alphabet, config))
}

/// Decodes a modified UTF-7 mailbox name into UTF-8, refusing non-canonical input.
pub fn decode(name: &str) -> Result<String, Mutf7Error> {
    let engine = engine()?;
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if !(' '..='~').contains(&c) {
            return Err(Mutf7Error::NotAscii);
        }
        if c != '&' {
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        let Some(end) = rest.find('-') else {
            return Err(Mutf7Error::Unterminated);
        };
        let b64 = &rest[1..end];
        rest = &rest[end + 1..];
        if b64.is_empty() {
            out.push('&');
            continue;
        }
        let bytes = engine.decode(b64).map_err(|_| Mutf7Error::BadBase64)?;
        if bytes.len() % 2 != 0 {
            return Err(Mutf7Error::BadUtf16);
        }
        let units = bytes
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]));
        for ch in char::decode_utf16(units) {
            out.push(ch.map_err(|_| Mutf7Error::BadUtf16)?);
        }
    }
    // Canonical form check: "&AGE-" (an encoded "a"), "&AOk-&AOk-" (two runs), "&-" handled
    // above; anything that does not round-trip had another spelling.
    if encode(&out) != name {
        return Err(Mutf7Error::NotCanonical);
    }
    Ok(out)
}

/// Encodes a UTF-8 mailbox name into modified UTF-7.
pub fn encode(name: &str) -> String {
    let Ok(engine) = engine() else {
        // The alphabet is a constant: this cannot happen, but never panic on a name.
        return name.to_string();
    };
    let mut out = String::with_capacity(name.len() + 8);
    let mut pending: Vec<u8> = Vec::new();
    let flush = |pending: &mut Vec<u8>, out: &mut String| {
        if !pending.is_empty() {
            out.push('&');
            out.push_str(&engine.encode(&pending[..]));
            out.push('-');
            pending.clear();
        }
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                pending.extend_from_slice(&unit.to_be_bytes());
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let cases = [
            ("INBOX", "INBOX"),
            ("Entwürfe", "Entw&APw-rfe"),
            ("&", "&-"),
            ("A&B", "A&-B"),
            ("Reçus/Été", "Re&AOc-us/&AMk-t&AOk-"),
            ("台北", "&U,BTFw-"),
            ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            ("😀", "&2D3eAA-"),
            ("é&", "&AOk-&-"),
            ("éé", "&AOkA6Q-"),
            ("", ""),
        ];
        for (utf8, wire) in cases {
            assert_eq!(encode(utf8), wire, "encode {utf8}");
            assert_eq!(decode(wire).as_deref(), Ok(utf8), "decode {wire}");
        }
    }

    #[test]
    fn refuses_non_canonical_or_broken() {
        let cases = [
            ("&AGE-", Mutf7Error::NotCanonical),      // "a" must be literal
            ("&AOk-&AOk-", Mutf7Error::NotCanonical), // two adjacent runs
            ("&AOk", Mutf7Error::Unterminated),
            ("&AO=-", Mutf7Error::BadBase64),
            ("&AOl-", Mutf7Error::BadBase64), // non-zero trailing bits
            ("&AA-", Mutf7Error::BadUtf16),   // odd number of bytes
            ("&2D0-", Mutf7Error::BadUtf16),  // lone high surrogate
            ("&U/BTFw-", Mutf7Error::BadBase64), // `/` is not in the alphabet
            ("Reçus", Mutf7Error::NotAscii),
            ("tab\there", Mutf7Error::NotAscii),
        ];
        for (wire, want) in cases {
            assert_eq!(decode(wire), Err(want), "{wire}");
        }
    }
}
