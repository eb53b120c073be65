//! BODY[section]<partial> (RFC 3501 §6.4.5, RFC 9051 §6.4.5) and BINARY[section] (RFC 3516).
//!
//! Sections are cut from the raw message with mail-parser's offsets. HEADER, HEADER.FIELDS,
//! HEADER.FIELDS.NOT and TEXT with a part prefix apply to an encapsulated message/rfc822; MIME
//! is the part's own header block.

use std::borrow::Cow;
use std::num::NonZeroU32;

use imap_codec::imap_types::core::AString;
use imap_codec::imap_types::fetch::{Part, Section};
use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Header, HeaderName, Message};

use super::FetchError;
use super::mime::{Node, first, raw_value, resolve, slice};

/// The top-level message as far as sections need it.
pub(crate) struct Top<'m, 'x> {
    /// Parsed message; `None` when mail-parser found no header at all.
    pub msg: Option<&'m Message<'x>>,
    /// Where the top-level body starts.
    pub body_offset: usize,
}

/// The octets of `section`, or `None` when the section does not exist (answered `NIL`).
pub(crate) fn body_section<'r>(
    top: &Top<'_, '_>,
    raw: &'r [u8],
    section: Option<&Section<'_>>,
) -> Option<Cow<'r, [u8]>> {
    let Some(section) = section else {
        return Some(Cow::Borrowed(raw));
    };
    match section {
        Section::Part(Part(path)) => {
            let node = resolve(top.msg?, path.as_ref())?;
            Some(Cow::Borrowed(node.body(raw)))
        }
        Section::Header(None) => Some(Cow::Borrowed(slice(raw, 0, top.body_offset))),
        Section::Header(Some(part)) => {
            let inner = encapsulated(top, part)?;
            Some(Cow::Borrowed(inner.header_block(raw)))
        }
        Section::Text(None) => Some(Cow::Borrowed(slice(raw, top.body_offset, raw.len()))),
        Section::Text(Some(part)) => {
            // The text of the encapsulated message runs to the end of the message/rfc822 part
            // that holds it (RFC 3501 §6.4.5: "the text body of the message"). mail-parser ends
            // a multipart root at its close delimiter, which would drop the epilogue.
            let holder = resolve(top.msg?, part.0.as_ref())?;
            let inner = Node::root(holder.nested()?);
            let start = inner.part().map_or(0, |p| p.offset_body as usize);
            let end = holder.part().map_or(0, |p| p.offset_end as usize);
            Some(Cow::Borrowed(slice(raw, start, end)))
        }
        Section::Mime(Part(path)) => {
            let node = resolve(top.msg?, path.as_ref())?;
            Some(Cow::Borrowed(node.header_block(raw)))
        }
        Section::HeaderFields(part, names) => {
            header_subset(top, raw, part.as_ref(), names.as_ref(), true)
        }
        Section::HeaderFieldsNot(part, names) => {
            header_subset(top, raw, part.as_ref(), names.as_ref(), false)
        }
    }
}

/// The root of the message encapsulated in the message/rfc822 part `part`.
fn encapsulated<'m, 'x>(top: &Top<'m, 'x>, part: &Part) -> Option<Node<'m, 'x>> {
    let node = resolve(top.msg?, part.0.as_ref())?;
    Some(Node::root(node.nested()?))
}

/// HEADER.FIELDS / HEADER.FIELDS.NOT: the matching lines in message order, then the empty line
/// that ends the header, "except in the case of a message which has no body and no blank line"
/// (RFC 3501 §6.4.5). The match is on the field name, case-insensitive but otherwise exact.
fn header_subset<'r>(
    top: &Top<'_, '_>,
    raw: &'r [u8],
    part: Option<&Part>,
    names: &[AString<'_>],
    keep_matching: bool,
) -> Option<Cow<'r, [u8]>> {
    let (headers, block_end): (&[Header<'_>], usize) = match part {
        None => match top.msg {
            Some(msg) => (
                msg.parts
                    .first()
                    .map(|p| p.headers.as_slice())
                    .unwrap_or(&[]),
                top.body_offset,
            ),
            None => (&[], top.body_offset),
        },
        Some(part) => {
            let inner = encapsulated(top, part)?;
            let end = inner.part().map_or(0, |p| p.offset_body as usize);
            (inner.headers(), end)
        }
    };
    let mut out = Vec::new();
    let mut last_end = 0usize;
    for h in headers {
        last_end = last_end.max(h.offset_end as usize);
        let name = h.name.as_str().as_bytes();
        let hit = names.iter().any(|n| n.as_ref().eq_ignore_ascii_case(name));
        if hit == keep_matching {
            let line = slice(raw, h.offset_field as usize, h.offset_end as usize);
            out.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    if block_end > last_end || headers.is_empty() && block_end > 0 {
        out.extend_from_slice(b"\r\n");
    }
    Some(Cow::Owned(out))
}

/// Applies `<origin.length>`: "If the starting octet is beyond the end of the text, an empty
/// string is returned", and a read beyond the end is truncated.
pub(crate) fn partial(data: Cow<'_, [u8]>, partial: Option<(u32, NonZeroU32)>) -> Cow<'_, [u8]> {
    let Some((origin, len)) = partial else {
        return data;
    };
    let start = (origin as usize).min(data.len());
    let end = start.saturating_add(len.get() as usize).min(data.len());
    match data {
        Cow::Borrowed(b) => Cow::Borrowed(&b[start..end]),
        Cow::Owned(v) => Cow::Owned(v[start..end].to_vec()),
    }
}

/// BINARY[section]: the part with its Content-Transfer-Encoding removed (RFC 3516 §4.1).
/// An empty section is the whole message, unchanged.
pub(crate) fn binary_section<'r>(
    top: &Top<'_, '_>,
    raw: &'r [u8],
    path: &[NonZeroU32],
) -> Result<Option<Cow<'r, [u8]>>, FetchError> {
    if path.is_empty() {
        return Ok(Some(Cow::Borrowed(raw)));
    }
    let Some(node) = top.msg.and_then(|m| resolve(m, path)) else {
        return Ok(None);
    };
    let body = node.body(raw);
    let cte = first(node.headers(), &HeaderName::ContentTransferEncoding)
        .map(|h| raw_value(raw, h).to_ascii_lowercase())
        .unwrap_or_default();
    match cte.as_slice() {
        b"" | b"7bit" | b"8bit" | b"binary" => Ok(Some(Cow::Borrowed(body))),
        b"base64" => base64_decode(body)
            .map(|d| Some(Cow::Owned(d)))
            .ok_or(FetchError::UndecodableContent),
        b"quoted-printable" => quoted_printable_decode(body)
            .map(|d| Some(Cow::Owned(d)))
            .ok_or(FetchError::UndecodableContent),
        _ => Err(FetchError::UnknownCte),
    }
}

#[cfg(test)]
mod tests {
    use crate::fetch::testkit::fetch_wire;

    /// A message/rfc822 whose message is a multipart with an epilogue.
    const DIGEST_IN_RFC822: &[u8] = b"From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\n\
        Subject: inner\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        prologue\r\n--b\r\n\r\npart one\r\n--b--\r\nepilogue\r\n";

    #[test]
    fn text_of_an_encapsulated_multipart_keeps_its_epilogue() {
        // RFC 3501 §6.4.5: `1.TEXT` is the whole body of the encapsulated message.
        let got = fetch_wire(DIGEST_IN_RFC822, "BODY.PEEK[1.TEXT]");
        let want = "prologue\r\n--b\r\n\r\npart one\r\n--b--\r\nepilogue\r\n";
        assert_eq!(
            got,
            format!("* 1 FETCH (BODY[1.TEXT] {{{}}}\r\n{want})\r\n", want.len())
        );
        // The same octets as `1` minus the encapsulated header.
        let whole = fetch_wire(DIGEST_IN_RFC822, "BODY.PEEK[1]");
        assert!(whole.ends_with(&format!("{want})\r\n")), "{whole}");
    }

    #[test]
    fn mime_header_of_a_digest_part_without_header_is_the_empty_line() {
        let raw = b"Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\n\
            From: x@example.org\r\n\r\nbody\r\n--d--\r\n";
        assert_eq!(
            fetch_wire(raw, "BODY.PEEK[1.MIME]"),
            "* 1 FETCH (BODY[1.MIME] {2}\r\n\r\n)\r\n"
        );
        assert_eq!(
            fetch_wire(raw, "BODY.PEEK[1.TEXT]"),
            "* 1 FETCH (BODY[1.TEXT] {4}\r\nbody)\r\n"
        );
    }
}
