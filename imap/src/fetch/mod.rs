//! FETCH data items (RFC 3501 §6.4.5 / §7.4.2, RFC 9051 §6.4.5 / §7.5.2, BINARY RFC 3516,
//! MODSEQ RFC 7162) computed from the raw message bytes and mail-parser's offsets.
//!
//! One call parses the message at most once, and only as deep as the items need: FLAGS, UID,
//! sizes, dates and `BODY[]` need no parsing, ENVELOPE and top-level header sections need only
//! the header block, BODYSTRUCTURE and part sections need the MIME tree.

mod bodystructure;
mod envelope;
pub(crate) mod mime;
mod section;
#[cfg(test)]
pub(crate) mod testkit;

use std::borrow::Cow;
use std::num::{NonZeroU32, NonZeroU64};

use imap_codec::imap_types::core::{
    AString, Atom, IString, Literal, LiteralMode, NString, NString8, Quoted, Vec1,
};
use imap_codec::imap_types::datetime::DateTime;
use imap_codec::imap_types::extensions::binary::Literal8;
use imap_codec::imap_types::fetch::{MessageDataItem, MessageDataItemName, Section};
use imap_codec::imap_types::flag::{Flag as ImapFlag, FlagFetch};
use mail_parser::Message;
use store::flags::Flag;

use section::Top;

/// One message as FETCH and SEARCH see it: its metadata and its raw bytes (the blob).
pub struct MessageView<'a> {
    /// Sequence number in the session.
    pub seq: u32,
    pub meta: &'a store::message::MessageMeta,
    /// The message as stored (RFC 5322 octets).
    pub raw: &'a [u8],
    /// Whether the session reports `\Recent` for it.
    pub recent: bool,
}

/// Why a FETCH item could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("message has UID 0")]
    InvalidUid,
    /// RFC 3516 §4.3: answer `NO [UNKNOWN-CTE]`.
    #[error("unknown content transfer encoding")]
    UnknownCte,
    /// The part's base64 or quoted-printable is corrupt (also `NO [UNKNOWN-CTE]`).
    #[error("content transfer encoding cannot be decoded")]
    UndecodableContent,
}

/// How much of the message the items need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    Nothing,
    Headers,
    Full,
}

fn need_of(item: &MessageDataItemName<'_>) -> Need {
    match item {
        MessageDataItemName::Body | MessageDataItemName::BodyStructure => Need::Full,
        MessageDataItemName::Envelope
        | MessageDataItemName::Rfc822Header
        | MessageDataItemName::Rfc822Text => Need::Headers,
        MessageDataItemName::BodyExt { section, .. } => match section {
            None => Need::Nothing,
            Some(
                Section::Header(None)
                | Section::HeaderFields(None, _)
                | Section::HeaderFieldsNot(None, _)
                | Section::Text(None),
            ) => Need::Headers,
            Some(_) => Need::Full,
        },
        MessageDataItemName::Binary { section, .. }
        | MessageDataItemName::BinarySize { section } => {
            if section.is_empty() {
                Need::Nothing
            } else {
                Need::Full
            }
        }
        _ => Need::Nothing,
    }
}

/// Whether these items need the message body (the blob) at all: if not, the caller can skip
/// reading it and pass an empty `raw`.
pub fn items_need_raw(items: &[MessageDataItemName<'_>]) -> bool {
    items.iter().any(|i| {
        need_of(i) > Need::Nothing
            || matches!(
                i,
                MessageDataItemName::BodyExt { .. }
                    | MessageDataItemName::Rfc822
                    | MessageDataItemName::Binary { .. }
                    | MessageDataItemName::BinarySize { .. }
            )
    })
}

/// Where an item's value comes from: the row alone, the top-level header block, a value
/// computed once per blob (kept in `crate::cache`), or the whole message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Row,
    Header,
    Envelope,
    Body,
    BodyStructure,
    Full,
}

pub fn source_of(item: &MessageDataItemName<'_>) -> Source {
    match item {
        MessageDataItemName::Envelope => Source::Envelope,
        MessageDataItemName::Body => Source::Body,
        MessageDataItemName::BodyStructure => Source::BodyStructure,
        MessageDataItemName::Rfc822Header
        | MessageDataItemName::BodyExt {
            section:
                Some(
                    Section::Header(None)
                    | Section::HeaderFields(None, _)
                    | Section::HeaderFieldsNot(None, _),
                ),
            ..
        } => Source::Header,
        other if !items_need_raw(std::slice::from_ref(other)) => Source::Row,
        _ => Source::Full,
    }
}

/// The top-level header block of a message, up to and including the empty line that ends it
/// (the whole message when there is none). Header items and header SEARCH keys give the same
/// answers on it as on the whole message.
pub fn header_block(raw: &[u8]) -> &[u8] {
    let end = mime::top_body_offset(mime::parse_headers_raw(raw).as_ref(), raw).min(raw.len());
    let block = &raw[..end];
    // Only cut at a real empty line: anything odder is kept whole, to be parsed as before.
    if block.ends_with(b"\r\n\r\n") || block.ends_with(b"\n\n") {
        block
    } else {
        raw
    }
}

/// Produces the requested data items for one message, in the order asked. `\Seen` for
/// non-PEEK body items is the caller's business (one STORE for the whole set).
pub fn fetch_items(
    view: &MessageView<'_>,
    items: &[MessageDataItemName<'_>],
) -> Result<Vec<MessageDataItem<'static>>, FetchError> {
    let need = items.iter().map(need_of).max().unwrap_or(Need::Nothing);
    let raw = view.raw;
    let parsed: Option<Message<'_>> = match need {
        Need::Nothing => None,
        Need::Headers if items.contains(&MessageDataItemName::Envelope) => mime::parse_headers(raw),
        Need::Headers => mime::parse_headers_raw(raw),
        Need::Full => mime::parse_full(raw),
    };
    let body_offset = match (need, parsed.as_ref()) {
        (Need::Full, Some(m)) => m.parts.first().map_or(0, |p| p.offset_body as usize),
        (_, m) => mime::top_body_offset(m, raw),
    };
    let top = Top {
        msg: parsed.as_ref(),
        body_offset,
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(one_item(view, &top, item)?);
    }
    Ok(out)
}

fn one_item(
    view: &MessageView<'_>,
    top: &Top<'_, '_>,
    item: &MessageDataItemName<'_>,
) -> Result<MessageDataItem<'static>, FetchError> {
    let raw = view.raw;
    Ok(match item {
        MessageDataItemName::Uid => {
            MessageDataItem::Uid(NonZeroU32::new(view.meta.uid).ok_or(FetchError::InvalidUid)?)
        }
        MessageDataItemName::Flags => {
            MessageDataItem::Flags(flags_to_imap(&view.meta.flags, view.recent))
        }
        MessageDataItemName::InternalDate => {
            MessageDataItem::InternalDate(internal_date(view.meta.internal_date))
        }
        MessageDataItemName::Rfc822Size => {
            MessageDataItem::Rfc822Size(u32::try_from(view.meta.size).unwrap_or(u32::MAX))
        }
        MessageDataItemName::ModSeq => MessageDataItem::ModSeq(modseq(view.meta.modseq)),
        MessageDataItemName::Rfc822 => MessageDataItem::Rfc822(nliteral(raw.to_vec())),
        MessageDataItemName::Rfc822Header => {
            MessageDataItem::Rfc822Header(nliteral(mime::slice(raw, 0, top.body_offset).to_vec()))
        }
        MessageDataItemName::Rfc822Text => MessageDataItem::Rfc822Text(nliteral(
            mime::slice(raw, top.body_offset, raw.len()).to_vec(),
        )),
        MessageDataItemName::Envelope => MessageDataItem::Envelope(match top.msg {
            Some(m) => envelope::envelope(mime::Node::root(m).headers(), raw),
            None => envelope::envelope(&[], raw),
        }),
        MessageDataItemName::Body => MessageDataItem::Body(structure(top, raw, false)),
        MessageDataItemName::BodyStructure => {
            MessageDataItem::BodyStructure(structure(top, raw, true))
        }
        MessageDataItemName::BodyExt {
            section, partial, ..
        } => {
            let data = section::body_section(top, raw, section.as_ref())
                .map(|d| section::partial(d, *partial));
            MessageDataItem::BodyExt {
                section: section.as_ref().map(section_static),
                origin: partial.map(|(o, _)| o),
                // A section that does not exist is the empty string, as Dovecot answers.
                data: nliteral(data.map_or_else(Vec::new, Cow::into_owned)),
            }
        }
        MessageDataItemName::Binary {
            section, partial, ..
        } => {
            let data =
                section::binary_section(top, raw, section)?.map(|d| section::partial(d, *partial));
            MessageDataItem::Binary {
                section: section.clone(),
                origin: partial.map(|(o, _)| o),
                // A missing part is the empty string, as for BODY[].
                value: nstring8(data.unwrap_or(Cow::Borrowed(&[]))),
            }
        }
        MessageDataItemName::BinarySize { section } => {
            let size = section::binary_section(top, raw, section)?.map_or(0, |d| d.len());
            MessageDataItem::BinarySize {
                section: section.clone(),
                size: u32::try_from(size).unwrap_or(u32::MAX),
            }
        }
    })
}

fn structure(
    top: &Top<'_, '_>,
    raw: &[u8],
    ext: bool,
) -> imap_codec::imap_types::body::BodyStructure<'static> {
    match top.msg {
        Some(m) => bodystructure::structure(mime::Node::root(m), raw, ext),
        None => bodystructure::unparsed(raw, ext),
    }
}

/// An owned copy of a section (imap-types' own `IntoBoundedStatic` is not re-exported).
fn section_static(s: &Section<'_>) -> Section<'static> {
    let names = |v: &Vec1<AString<'_>>| -> Vec1<AString<'static>> {
        let owned: Vec<AString<'static>> = v
            .as_ref()
            .iter()
            .map(|a| {
                AString::try_from(a.as_ref().to_vec())
                    .unwrap_or_else(|_| AString::from(Atom::unvalidated("X")))
            })
            .collect();
        Vec1::try_from(owned).unwrap_or_else(|_| Vec1::from(AString::from(Atom::unvalidated("X"))))
    };
    match s {
        Section::Part(p) => Section::Part(p.clone()),
        Section::Header(p) => Section::Header(p.clone()),
        Section::HeaderFields(p, n) => Section::HeaderFields(p.clone(), names(n)),
        Section::HeaderFieldsNot(p, n) => Section::HeaderFieldsNot(p.clone(), names(n)),
        Section::Text(p) => Section::Text(p.clone()),
        Section::Mime(p) => Section::Mime(p.clone()),
    }
}

fn modseq(value: u64) -> NonZeroU64 {
    // MODSEQ starts at 1 in the store (RFC 7162 §3.1.6: a MODSEQ is never 0).
    NonZeroU64::new(value).unwrap_or(NonZeroU64::MIN)
}

/// INTERNALDATE from Unix seconds, written in UTC.
pub(crate) fn internal_date(unix: i64) -> DateTime {
    let utc = chrono::DateTime::from_timestamp(unix, 0)
        .or_else(|| chrono::DateTime::from_timestamp(0, 0))
        .unwrap_or_default()
        .fixed_offset();
    DateTime::try_from(utc)
        .unwrap_or_else(|_| DateTime::unvalidated(chrono::DateTime::UNIX_EPOCH.fixed_offset()))
}

/// The FLAGS of a message as IMAP sends them (`\Recent` is session state, RFC 3501 §2.3.2).
pub fn flags_to_imap(flags: &store::flags::Flags, recent: bool) -> Vec<FlagFetch<'static>> {
    let mut out: Vec<FlagFetch<'static>> = flags
        .iter()
        .filter_map(|f| {
            Some(FlagFetch::Flag(match f {
                Flag::Seen => ImapFlag::Seen,
                Flag::Answered => ImapFlag::Answered,
                Flag::Flagged => ImapFlag::Flagged,
                Flag::Deleted => ImapFlag::Deleted,
                Flag::Draft => ImapFlag::Draft,
                // The store only keeps valid atoms; skip anything else rather than fail.
                Flag::Keyword(k) => ImapFlag::Keyword(Atom::try_from(k).ok()?),
            }))
        })
        .collect();
    if recent {
        out.push(FlagFetch::Recent);
    }
    out
}

/// An nstring for octets we send: quoted when possible, else a literal. NUL cannot travel in a
/// literal (RFC 9051 §4.3: CHAR8 excludes it), so it becomes 0x80, as Dovecot does; BINARY
/// uses literal8 instead.
pub(crate) fn nstring(mut bytes: Vec<u8>) -> NString<'static> {
    for b in bytes.iter_mut() {
        if *b == 0 {
            *b = 0x80;
        }
    }
    NString(IString::try_from(bytes).ok())
}

/// Message content always goes out as a literal (as Dovecot does): no quoting to escape, and
/// the length is known up front. NUL becomes 0x80 as in `nstring`.
fn nliteral(mut bytes: Vec<u8>) -> NString<'static> {
    for b in bytes.iter_mut() {
        if *b == 0 {
            *b = 0x80;
        }
    }
    match Literal::try_from(bytes) {
        Ok(l) => NString(Some(IString::Literal(l))),
        Err(_) => NString(Some(IString::Quoted(Quoted::unvalidated("")))),
    }
}

pub(crate) fn nstring_str(text: &str) -> NString<'static> {
    nstring(text.as_bytes().to_vec())
}

pub(crate) fn istring(text: String) -> IString<'static> {
    match nstring(text.into_bytes()).0 {
        Some(s) => s,
        None => IString::Quoted(Quoted::unvalidated("")),
    }
}

/// BINARY content (RFC 3516 §4.2): literal8 when it was decoded from base64 or
/// quoted-printable or holds NUL, a plain literal for content served as stored; the same
/// choice as Dovecot (the reference corpus in `fetch/tests`). A partial answer carries its
/// origin, `BINARY[1]<0>` (patched imap-types).
fn nstring8(data: Cow<'_, [u8]>) -> NString8<'static> {
    let decoded = matches!(data, Cow::Owned(_));
    if decoded || data.contains(&0) {
        NString8::Literal8(Literal8 {
            data: Cow::Owned(data.into_owned()),
            mode: LiteralMode::Sync,
        })
    } else {
        NString8::NString(nliteral(data.into_owned()))
    }
}

#[cfg(test)]
mod tests;
