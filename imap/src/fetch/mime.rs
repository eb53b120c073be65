//! Walking a message parsed by mail-parser, the way IMAP numbers parts (RFC 3501 §6.4.5).
//!
//! Everything here works on the raw bytes and the offsets mail-parser records, never on the
//! decoded text it also produces: IMAP serves the octets as stored.

use std::num::NonZeroU32;
use std::sync::OnceLock;

use mail_parser::{Encoding, Header, HeaderName, Message, MessageParser, PartType};

/// Parses the whole MIME structure of a message (headers and bodies).
pub(crate) fn parse_full(raw: &[u8]) -> Option<Message<'_>> {
    MessageParser::default().parse(raw)
}

/// Parses only the top-level header block: cheaper for ENVELOPE and header fetches.
pub(crate) fn parse_headers(raw: &[u8]) -> Option<Message<'_>> {
    MessageParser::default().parse_headers(raw)
}

/// Finds the top-level header fields without interpreting any value (HEADER, HEADER.FIELDS,
/// TEXT only need names and offsets): a non-empty parser table makes mail-parser use its
/// default, raw reader for every field.
pub(crate) fn parse_headers_raw(raw: &[u8]) -> Option<Message<'_>> {
    static RAW: OnceLock<MessageParser> = OnceLock::new();
    RAW.get_or_init(|| MessageParser::new().header_raw(HeaderName::Subject))
        .parse_headers(raw)
}

/// The offset where the top-level body starts. `parse_headers` leaves `offset_body` at the end
/// of the message, so it is recomputed: after the last header line comes the empty line (CRLF
/// or a bare LF, which mail-parser also accepts). A message with no empty line has no body.
pub(crate) fn top_body_offset(msg: Option<&Message<'_>>, raw: &[u8]) -> usize {
    // No header at all: the header is just the empty line, if there is one.
    let blank = if raw.starts_with(b"\r\n") {
        2
    } else {
        usize::from(raw.starts_with(b"\n"))
    };
    let Some(root) = msg.and_then(|m| m.parts.first()) else {
        return blank;
    };
    let end = root
        .headers
        .iter()
        .map(|h| h.offset_end as usize)
        .max()
        .unwrap_or(0)
        .min(raw.len());
    let rest = &raw[end..];
    if rest.starts_with(b"\r\n") {
        end + 2
    } else if rest.starts_with(b"\n") {
        end + 1
    } else {
        end.min(root.offset_body as usize)
    }
}

/// A node of the IMAP part tree: a part of a (possibly encapsulated) message.
#[derive(Clone, Copy)]
pub(crate) struct Node<'m, 'x> {
    pub msg: &'m Message<'x>,
    pub id: usize,
}

impl<'m, 'x> Node<'m, 'x> {
    pub fn root(msg: &'m Message<'x>) -> Self {
        Node { msg, id: 0 }
    }

    pub fn part(&self) -> Option<&'m mail_parser::MessagePart<'x>> {
        self.msg.parts.get(self.id)
    }

    pub fn headers(&self) -> &'m [Header<'x>] {
        self.part().map(|p| p.headers.as_slice()).unwrap_or(&[])
    }

    /// Children of a multipart (in order), `None` for a leaf or a message/rfc822.
    pub fn children(&self) -> Option<Vec<Node<'m, 'x>>> {
        match &self.part()?.body {
            PartType::Multipart(ids) => Some(
                ids.iter()
                    .map(|&id| Node {
                        msg: self.msg,
                        id: id as usize,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The encapsulated message of a message/rfc822 part, when it is stored unencoded and so
    /// shares our raw bytes and offsets. An encoded one (RFC 2046 §5.2.1 forbids it, but it is
    /// seen) was parsed by mail-parser from a decoded copy: we treat it as an opaque leaf, as
    /// Dovecot does.
    pub fn nested(&self) -> Option<&'m Message<'x>> {
        let part = self.part()?;
        match &part.body {
            PartType::Message(inner)
                if part.encoding == Encoding::None
                    && std::ptr::eq(inner.raw_message.as_ptr(), self.msg.raw_message.as_ptr())
                    && !inner.parts.is_empty() =>
            {
                Some(inner)
            }
            _ => None,
        }
    }

    fn content_type(&self) -> Option<&'m mail_parser::ContentType<'x>> {
        first(self.headers(), &HeaderName::ContentType).and_then(|h| h.value.as_content_type())
    }

    /// Declared multipart, whether or not it could be split.
    pub fn is_multipart_type(&self) -> bool {
        self.content_type()
            .is_some_and(|c| c.c_type.eq_ignore_ascii_case("multipart") && c.c_subtype.is_some())
    }

    /// A message/rfc822 part, encapsulated message readable or not.
    pub fn is_message_type(&self) -> bool {
        self.part()
            .is_some_and(|p| matches!(p.body, PartType::Message(_)))
    }

    /// The raw body octets of this part (for a multipart: everything between its header and
    /// its end, boundaries included).
    pub fn body<'r>(&self, raw: &'r [u8]) -> &'r [u8] {
        self.part()
            .map(|p| slice(raw, p.offset_body as usize, p.offset_end as usize))
            .unwrap_or(&[])
    }

    /// The raw header block of this part, with its terminating empty line.
    pub fn header_block<'r>(&self, raw: &'r [u8]) -> &'r [u8] {
        self.part()
            .map(|p| slice(raw, p.offset_header as usize, p.offset_body as usize))
            .unwrap_or(&[])
    }
}

/// `raw[start..end]`, clamped so that bad offsets never panic.
pub(crate) fn slice(raw: &[u8], start: usize, end: usize) -> &[u8] {
    let end = end.min(raw.len());
    let start = start.min(end);
    &raw[start..end]
}

/// Resolves an IMAP part number path (`1.2.3`). The first number applies to the body of the
/// message: a child of its multipart, or `1` for the body of a single-part message. After a
/// message/rfc822 part, the next number applies to the body of the encapsulated message.
pub(crate) fn resolve<'m, 'x>(msg: &'m Message<'x>, path: &[NonZeroU32]) -> Option<Node<'m, 'x>> {
    let mut at: Option<Node<'m, 'x>> = None;
    let mut ctx = msg;
    for n in path {
        let index = (n.get() - 1) as usize;
        if let Some(node) = at {
            if let Some(children) = node.children() {
                at = Some(*children.get(index)?);
                continue;
            }
            match node.nested() {
                Some(inner) => ctx = inner,
                // `n.1` of a leaf inside a multipart is the leaf itself (Dovecot does so); the
                // body of a single-part message has no sub-part.
                None if index == 0 && node.id != 0 && !node.is_message_type() => continue,
                None => return None,
            }
        }
        // Body of message `ctx`.
        let root = Node::root(ctx);
        at = Some(match root.children() {
            Some(children) => *children.get(index)?,
            // A multipart mail-parser could not split has no part at all.
            None if index == 0 && !root.is_multipart_type() => root,
            None => return None,
        });
    }
    at
}

/// The value of a header field as it is in the message: unfolded (RFC 5322 §2.2.3), without
/// the leading and trailing white space, encoded-words left intact.
pub(crate) fn raw_value(raw: &[u8], h: &Header<'_>) -> Vec<u8> {
    let bytes = slice(raw, h.offset_start as usize, h.offset_end as usize);
    let mut out: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|&b| b != b'\r' && b != b'\n')
        .collect();
    let end = out
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    out.truncate(end);
    let start = out
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(out.len());
    out.drain(..start);
    out
}

/// First header with this name.
pub(crate) fn first<'h, 'x>(
    headers: &'h [Header<'x>],
    name: &HeaderName<'_>,
) -> Option<&'h Header<'x>> {
    headers.iter().find(|h| &h.name == name)
}

/// Counts text lines as IMAP does for `body-fld-lines`: the number of line ends.
pub(crate) fn count_lines(body: &[u8]) -> u32 {
    u32::try_from(body.iter().filter(|&&b| b == b'\n').count()).unwrap_or(u32::MAX)
}
