//! Decoded text for SEARCH, SORT and THREAD: header values with RFC 2047 decoded, bodies with
//! their transfer encoding and charset decoded (mail-parser does both), and case folding.
//!
//! Matching is a substring match after folding both sides as RFC 5051 i;unicode-casemap does
//! (the comparator RFC 9051 §6.4.4 asks for): case mapping, then canonical decomposition, so
//! "é" finds "É", a precomposed "é" finds a decomposed one, and "ORDONNANCE" "ordonnance".

use mail_parser::parsers::MessageStream;
use mail_parser::{Address, Header, HeaderName, HeaderValue, Message, PartType};
use unicode_normalization::UnicodeNormalization;

use crate::fetch::mime::{first, slice};

/// Folds text for comparison (RFC 5051 §2: case map each character, then NFD). Lower case
/// rather than title case: both sides get the same map, which is what matters for equality.
pub(crate) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().flat_map(char::to_lowercase).nfd().collect()
}

/// Whether `haystack` (already folded) contains `needle` (already folded).
pub(crate) fn contains_folded(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || haystack.contains(needle)
}

/// A header field value, unfolded and RFC 2047-decoded (whatever parser mail-parser used for
/// it, we re-read the raw octets as unstructured text, so addresses keep their `<…>` part).
pub(crate) fn decoded_value(raw: &[u8], h: &Header<'_>) -> String {
    let bytes = slice(raw, h.offset_start as usize, h.offset_end as usize);
    match MessageStream::new(bytes).parse_unstructured() {
        HeaderValue::Text(t) => t.into_owned(),
        HeaderValue::TextList(l) => l.join(" "),
        _ => String::new(),
    }
}

/// All the decoded values of the fields called `name` (case-insensitive), folded.
pub(crate) fn folded_fields(msg: &Message<'_>, raw: &[u8], name: &str) -> Vec<String> {
    msg.parts
        .first()
        .map(|root| {
            root.headers
                .iter()
                .filter(|h| h.name.as_str().eq_ignore_ascii_case(name))
                .map(|h| {
                    let mut text = decoded_value(raw, h);
                    append_addresses(&mut text, &h.value);
                    fold(&text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// For an address field, appends each address in its canonical `name <local@domain>` form:
/// SEARCH FROM/TO/CC/BCC look for a substring of the address (RFC 9051 §6.4.4), which the raw
/// text may spell with comments or folding inside the addr-spec (RFC 5322 §3.4.1 CFWS), as in
/// `<user (c)@ (c) example.org>`.
fn append_addresses(text: &mut String, value: &HeaderValue<'_>) {
    let mut push = |a: &mail_parser::Addr<'_>| {
        text.push('\n');
        if let Some(name) = a.name.as_deref() {
            text.push_str(name);
            text.push(' ');
        }
        if let Some(address) = a.address.as_deref() {
            text.push('<');
            text.push_str(address);
            text.push('>');
        }
    };
    match value {
        HeaderValue::Address(Address::List(list)) => list.iter().for_each(&mut push),
        HeaderValue::Address(Address::Group(groups)) => groups
            .iter()
            .flat_map(|g| g.addresses.iter())
            .for_each(&mut push),
        _ => {}
    }
}

/// Every header of the message, decoded and folded ("Name: value" lines), for SEARCH TEXT
/// ("header or body", RFC 9051 §6.4.4): the top-level header, and also the MIME headers of the
/// parts and the headers of attached messages (message/rfc822), which are part of the body
/// octets; BODY, which searches the decoded texts, does not see them.
pub(crate) fn folded_header(msg: &Message<'_>, _raw: &[u8]) -> String {
    let mut out = String::new();
    push_headers(&mut out, msg, 0);
    fold(&out)
}

fn push_headers(out: &mut String, msg: &Message<'_>, depth: usize) {
    let raw = msg.raw_message.as_ref();
    for part in &msg.parts {
        for h in &part.headers {
            out.push_str(h.name.as_str());
            out.push_str(": ");
            out.push_str(&decoded_value(raw, h));
            out.push('\n');
        }
        if let PartType::Message(inner) = &part.body
            && depth < 8
        {
            push_headers(out, inner, depth + 1);
        }
    }
}

/// Whether any text part of the message (nested messages included) contains `needle`
/// (folded). Bodies are decoded by mail-parser from their transfer encoding and charset.
pub(crate) fn body_contains(msg: &Message<'_>, needle: &str, depth: usize) -> bool {
    msg.parts.iter().any(|part| match &part.body {
        PartType::Text(t) | PartType::Html(t) => contains_folded(&fold(t), needle),
        PartType::Message(inner) if depth < 8 => body_contains(inner, needle, depth + 1),
        _ => false,
    })
}

/// The first address of an address field, as (display name, mailbox local part, full
/// address), for SORT (RFC 5256 §3 uses the mailbox; RFC 5957 the display name).
pub(crate) fn first_address(
    msg: &Message<'_>,
    name: HeaderName<'static>,
) -> Option<(String, String, String)> {
    let root = msg.parts.first()?;
    let h = first(&root.headers, &name)?;
    let addr = match &h.value {
        HeaderValue::Address(Address::List(list)) => list.first()?,
        HeaderValue::Address(Address::Group(groups)) => {
            groups.iter().find_map(|g| g.addresses.first())?
        }
        _ => return None,
    };
    let full = addr.address.as_deref().unwrap_or_default().to_string();
    let local = full
        .rsplit_once('@')
        .map_or(full.as_str(), |(l, _)| l)
        .to_string();
    let display = addr.name.as_deref().unwrap_or_default().to_string();
    Some((display, local, full))
}

/// The sent date (Date header) as Unix seconds, if present and valid.
pub(crate) fn sent_timestamp(msg: &Message<'_>) -> Option<i64> {
    let root = msg.parts.first()?;
    let dt = first(&root.headers, &HeaderName::Date)?
        .value
        .as_datetime()?;
    dt.is_valid().then(|| dt.to_timestamp())
}

/// The sent date as a calendar date in the header's own zone ("disregarding time and
/// timezone", RFC 9051 §6.4.4 SENTBEFORE/SENTON/SENTSINCE).
pub(crate) fn sent_date(msg: &Message<'_>) -> Option<chrono::NaiveDate> {
    let root = msg.parts.first()?;
    let dt = first(&root.headers, &HeaderName::Date)?
        .value
        .as_datetime()?;
    if !dt.is_valid() {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(i32::from(dt.year), u32::from(dt.month), u32::from(dt.day))
}

/// The decoded Subject (RFC 2047), or empty.
pub(crate) fn subject(msg: &Message<'_>, raw: &[u8]) -> String {
    msg.parts
        .first()
        .and_then(|root| first(&root.headers, &HeaderName::Subject))
        .map(|h| decoded_value(raw, h))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{fold, folded_fields, folded_header};
    use crate::fetch::mime::parse_full;

    #[test]
    fn address_fields_are_searchable_in_canonical_form() {
        // Comments inside the addr-spec (RFC 5322 §3.4.1 CFWS) must not hide the address from
        // SEARCH FROM, nor the display name from a substring search.
        let raw = b"From: <user-from (comment)@ (comment) domain.org>\r\n\
            To: Real To <user-to@domain.org>, grp: g1@d1.org;\r\n\r\nbody\r\n";
        let Some(msg) = parse_full(raw) else {
            panic!("parse");
        };
        let from = folded_fields(&msg, raw, "from");
        assert!(
            from.iter().any(|v| v.contains("user-from@domain.org")),
            "{from:?}"
        );
        let to = folded_fields(&msg, raw, "TO");
        for needle in ["real to <user-to@domain.org>", "eal t", "grp", "g1@d1.org"] {
            assert!(
                to.iter().any(|v| v.contains(&fold(needle))),
                "{needle}: {to:?}"
            );
        }
        assert!(folded_fields(&msg, raw, "cc").is_empty());
    }

    #[test]
    fn text_headers_include_parts_and_attached_messages() {
        let raw = b"Subject: outer\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
            --b\r\nContent-Type: text/x-own\r\n\r\nhello\r\n\
            --b\r\nContent-Type: message/rfc822\r\n\r\n\
            Subject: =?UTF-8?Q?pi=C3=A8ce_jointe?=\r\n\r\ninner\r\n--b--\r\n";
        let Some(msg) = parse_full(raw) else {
            panic!("parse");
        };
        let headers = folded_header(&msg, raw);
        for needle in ["subject: outer", "text/x-own", "pièce jointe"] {
            assert!(headers.contains(&fold(needle)), "{needle}: {headers}");
        }
    }
}
