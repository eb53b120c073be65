//! Building responses: tagged/untagged statuses with texts that always validate, RFC 5530 codes.

use imap_next::imap_types::core::{Tag, Text};
use imap_next::imap_types::response::{Code, CodeOther, Status, StatusBody, StatusKind, Tagged};

/// A text for a status line; our texts are constants or formatted numbers, but a mailbox name
/// could bring a CR/LF, so anything invalid becomes a fixed word rather than a panic.
pub fn text(s: impl Into<String>) -> Text<'static> {
    let s: String = s.into();
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    Text::try_from(clean).unwrap_or_else(|_| Text::unvalidated("done"))
}

/// An RFC 5530 response code (`AUTHENTICATIONFAILED`, `NONEXISTENT`…) or another atom.
pub fn code(atom: &'static str) -> Code<'static> {
    Code::Other(CodeOther::unvalidated(atom.as_bytes()))
}

fn status(
    tag: Option<Tag<'static>>,
    kind: StatusKind,
    code: Option<Code<'static>>,
    t: impl Into<String>,
) -> Status<'static> {
    let body = StatusBody {
        kind,
        code,
        text: text(t),
    };
    match tag {
        Some(tag) => Status::Tagged(Tagged { tag, body }),
        None => Status::Untagged(body),
    }
}

pub fn ok(
    tag: &Tag<'static>,
    code: Option<Code<'static>>,
    t: impl Into<String>,
) -> Status<'static> {
    status(Some(tag.clone()), StatusKind::Ok, code, t)
}

pub fn no(
    tag: &Tag<'static>,
    code: Option<Code<'static>>,
    t: impl Into<String>,
) -> Status<'static> {
    status(Some(tag.clone()), StatusKind::No, code, t)
}

pub fn bad(tag: &Tag<'static>, t: impl Into<String>) -> Status<'static> {
    status(Some(tag.clone()), StatusKind::Bad, None, t)
}

/// `* BAD …` when no tag could be read from a malformed line.
pub fn bad_untagged(t: impl Into<String>) -> Status<'static> {
    status(None, StatusKind::Bad, None, t)
}

pub fn untagged_ok(code: Option<Code<'static>>, t: impl Into<String>) -> Status<'static> {
    status(None, StatusKind::Ok, code, t)
}

pub fn bye(t: impl Into<String>) -> Status<'static> {
    Status::Bye(imap_next::imap_types::response::Bye {
        code: None,
        text: text(t),
    })
}

/// The tag of a line imap-codec could not parse: the bytes before the first space, when they
/// form a valid tag (RFC 9051 §2.2.1: a BAD answer carries the tag if it can be identified).
pub fn tag_of(line: &[u8]) -> Option<Tag<'static>> {
    let end = line.iter().position(|b| *b == b' ')?;
    Tag::try_from(line[..end].to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_texts() {
        assert_eq!(
            tag_of(b"a1 FOO\r\n").map(|t| t.as_ref().to_string()),
            Some("a1".into())
        );
        assert!(tag_of(b"garbage").is_none());
        assert!(tag_of(b"{x 1").is_none());
        assert_eq!(text("a\r\nb").as_ref(), "a  b");
    }
}
