//! BODY and BODYSTRUCTURE (RFC 3501 §7.4.2, RFC 9051 §7.5.2) from the raw MIME tree.
//!
//! Sizes are the encoded octet counts of the bodies as stored, lines count the line ends in
//! them. Defaults follow RFC 2045 §5.2 / RFC 2046 §5.1.5: no Content-Type is `text/plain;
//! charset=us-ascii` (`message/rfc822` inside multipart/digest), no Content-Transfer-Encoding
//! is `7BIT`. A Content-Type with no subtype is treated as absent, as Dovecot does.

use imap_codec::imap_types::body::{
    BasicFields, Body, BodyStructure, Disposition, Language, Location, MultiPartExtensionData,
    SinglePartExtensionData, SpecificFields,
};
use imap_codec::imap_types::core::{IString, NString, Vec1};
use mail_parser::{ContentType, HeaderName, HeaderValue};

use super::envelope::envelope;
use super::mime::{Node, count_lines, first, raw_value};
use super::{istring, nstring};

/// Deepest nesting we describe; deeper parts become opaque leaves (bounded recursion on
/// hostile input).
const MAX_DEPTH: usize = 32;

/// The structure of `node` and everything under it. `ext` adds the extension data
/// (BODYSTRUCTURE); without it this is the BODY item.
pub(crate) fn structure(node: Node<'_, '_>, raw: &[u8], ext: bool) -> BodyStructure<'static> {
    build(node, raw, ext, false, 0)
}

fn build(
    node: Node<'_, '_>,
    raw: &[u8],
    ext: bool,
    in_digest: bool,
    depth: usize,
) -> BodyStructure<'static> {
    let headers = node.headers();
    let ct = first(headers, &HeaderName::ContentType)
        .and_then(|h| h.value.as_content_type())
        .filter(|ct| ct.c_subtype.is_some());
    let ct_raw = first(headers, &HeaderName::ContentType)
        .map(|h| raw_value(raw, h))
        .unwrap_or_default();

    if depth < MAX_DEPTH
        && let Some(children) = node.children()
    {
        let subtype = ct
            .and_then(|c| c.c_subtype.as_deref())
            .unwrap_or("mixed")
            .to_string();
        let digest = subtype.eq_ignore_ascii_case("digest");
        let mut bodies: Vec<BodyStructure<'static>> = children
            .into_iter()
            .map(|child| build(child, raw, ext, digest, depth + 1))
            .collect();
        if bodies.is_empty() {
            // A multipart with no part at all still needs one body in IMAP syntax.
            bodies.push(empty_text_part(ext));
        }
        let extension_data = ext.then(|| MultiPartExtensionData {
            parameter_list: params(ct, &ct_raw),
            tail: Some(disposition_tail(node, raw)),
        });
        return BodyStructure::Multi {
            bodies: Vec1::try_from(bodies).unwrap_or_else(|_| Vec1::from(empty_text_part(ext))),
            subtype: istring(subtype),
            extension_data,
        };
    }

    // A multipart that mail-parser could not split (no boundary parameter, or no part found):
    // IMAP still shows a multipart, with one empty text/plain part, as Dovecot does.
    if let Some(c) = ct.filter(|c| c.c_type.eq_ignore_ascii_case("multipart")) {
        let extension_data = ext.then(|| MultiPartExtensionData {
            parameter_list: params(Some(c), &ct_raw),
            tail: Some(disposition_tail(node, raw)),
        });
        return BodyStructure::Multi {
            bodies: Vec1::from(empty_text_part(ext)),
            subtype: istring(c.c_subtype.as_deref().unwrap_or("mixed").to_string()),
            extension_data,
        };
    }

    let body_bytes = node.body(raw);
    let size = u32::try_from(body_bytes.len()).unwrap_or(u32::MAX);
    let (ctype, csubtype, mut parameter_list) = match ct {
        Some(c) => (
            c.c_type.to_string(),
            c.c_subtype.as_deref().unwrap_or_default().to_string(),
            params(Some(c), &ct_raw),
        ),
        None if in_digest => ("message".into(), "rfc822".into(), Vec::new()),
        None => ("text".into(), "plain".into(), Vec::new()),
    };
    // RFC 2045 §5.2: text without a charset is us-ascii; Dovecot writes it out, so do we.
    let has_charset = ct
        .and_then(|c| c.attributes.as_ref())
        .is_some_and(|a| a.iter().any(|a| a.name.eq_ignore_ascii_case("charset")));
    if ctype.eq_ignore_ascii_case("text") && !has_charset {
        parameter_list.insert(0, (istring("charset".into()), istring("us-ascii".into())));
    }
    let cte = first(headers, &HeaderName::ContentTransferEncoding)
        .map(|h| raw_value(raw, h))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| b"7bit".to_vec());
    let basic = BasicFields {
        parameter_list,
        id: field(node, raw, HeaderName::ContentId),
        description: field(node, raw, HeaderName::ContentDescription),
        content_transfer_encoding: istring_bytes(cte),
        size,
    };
    let nested = if depth < MAX_DEPTH {
        node.nested()
    } else {
        None
    };
    let specific = if let Some(inner) = nested {
        let inner_root = Node::root(inner);
        SpecificFields::Message {
            envelope: Box::new(envelope(inner_root.headers(), raw)),
            body_structure: Box::new(build(inner_root, raw, ext, false, depth + 1)),
            number_of_lines: count_lines(body_bytes),
        }
    } else if ctype.eq_ignore_ascii_case("message") && csubtype.eq_ignore_ascii_case("rfc822") {
        // An encoded (or too deep) message/rfc822: the syntax still requires an envelope and a
        // body; like Dovecot, give empty ones rather than a shape clients cannot parse.
        SpecificFields::Message {
            envelope: Box::new(envelope(&[], raw)),
            body_structure: Box::new(empty_text_part(ext)),
            number_of_lines: count_lines(body_bytes),
        }
    } else if ctype.eq_ignore_ascii_case("text") {
        SpecificFields::Text {
            subtype: istring(csubtype),
            number_of_lines: count_lines(body_bytes),
        }
    } else {
        SpecificFields::Basic {
            r#type: istring(ctype),
            subtype: istring(csubtype),
        }
    };
    let extension_data = ext.then(|| SinglePartExtensionData {
        md5: field(node, raw, HeaderName::ContentMd5),
        tail: Some(disposition_tail(node, raw)),
    });
    BodyStructure::Single {
        body: Body { basic, specific },
        extension_data,
    }
}

/// `("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0)`.
fn empty_text_part(ext: bool) -> BodyStructure<'static> {
    BodyStructure::Single {
        body: Body {
            basic: BasicFields {
                parameter_list: vec![(istring("charset".into()), istring("us-ascii".into()))],
                id: NString::NIL,
                description: NString::NIL,
                content_transfer_encoding: istring("7bit".into()),
                size: 0,
            },
            specific: SpecificFields::Text {
                subtype: istring("plain".into()),
                number_of_lines: 0,
            },
        },
        extension_data: ext.then(|| SinglePartExtensionData {
            md5: NString::NIL,
            tail: Some(Disposition {
                disposition: None,
                tail: Some(Language {
                    language: Vec::new(),
                    tail: Some(Location {
                        location: NString::NIL,
                        extensions: Vec::new(),
                    }),
                }),
            }),
        }),
    }
}

/// The raw value of a field, or NIL.
fn field(node: Node<'_, '_>, raw: &[u8], name: HeaderName<'static>) -> NString<'static> {
    first(node.headers(), &name).map_or(NString::NIL, |h| nstring(raw_value(raw, h)))
}

/// Disposition, language and location (RFC 2183, RFC 3282, RFC 2557).
fn disposition_tail(node: Node<'_, '_>, raw: &[u8]) -> Disposition<'static> {
    let headers = node.headers();
    let disposition = first(headers, &HeaderName::ContentDisposition).and_then(|h| {
        let d = h.value.as_content_type()?;
        Some((
            istring(d.c_type.to_string()),
            params(Some(d), &raw_value(raw, h)),
        ))
    });
    let language: Vec<IString<'static>> = match first(headers, &HeaderName::ContentLanguage)
        .map(|h| &h.value)
    {
        Some(HeaderValue::TextList(list)) => list.iter().map(|l| istring(l.to_string())).collect(),
        Some(HeaderValue::Text(t)) => vec![istring(t.to_string())],
        _ => Vec::new(),
    };
    let location = first(headers, &HeaderName::ContentLocation)
        .map(|h| raw_value(raw, h))
        .map_or(NString::NIL, nstring);
    Disposition {
        disposition,
        tail: Some(Language {
            language,
            tail: Some(Location {
                location,
                extensions: Vec::new(),
            }),
        }),
    }
}

/// Parameters of a Content-Type or Content-Disposition (`field` is its raw value). mail-parser
/// has already joined RFC 2231 continuations and decoded charsets; a value that is not ASCII
/// goes back out in RFC 2231 form (`name*` = `utf-8''%XX…`), which keeps the structure 7-bit,
/// as Dovecot does. A value written as an RFC 2047 encoded-word (not allowed there by RFC 2047
/// §5, but common in `name=`) was decoded by mail-parser: it goes out as written, since IMAP
/// sends header data raw and leaves decoding to the client.
fn params(ct: Option<&ContentType<'_>>, field: &[u8]) -> Vec<(IString<'static>, IString<'static>)> {
    let Some(attrs) = ct.and_then(|c| c.attributes.as_ref()) else {
        return Vec::new();
    };
    let values: Vec<(&str, String)> = attrs
        .iter()
        .map(|a| {
            let value = if a.value.is_ascii() {
                a.value.to_string()
            } else {
                raw_encoded_word(field, &a.name).unwrap_or_else(|| a.value.to_string())
            };
            (a.name.as_ref(), value)
        })
        .collect();
    // Plain parameters first, then the RFC 2231 extended ones: the order Dovecot gives.
    let (plain, extended): (Vec<_>, Vec<_>) = values.into_iter().partition(|(_, v)| v.is_ascii());
    plain
        .into_iter()
        .chain(extended)
        .map(|(name, value)| param(name, &value))
        .collect()
}

/// The raw value of parameter `name` in `field` when it is an encoded-word (`name="=?…?="` or
/// unquoted), without its quotes.
fn raw_encoded_word(field: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(field);
    let lower = text.to_ascii_lowercase();
    let key = format!("{}=", name.to_ascii_lowercase());
    let mut from = 0;
    while let Some(found) = lower[from..].find(&key) {
        let at = from + found;
        from = at + key.len();
        // Only a whole parameter name: preceded by `;` and white space.
        let before = lower[..at].trim_end_matches([' ', '\t']);
        if !before.ends_with(';') {
            continue;
        }
        let rest = text[from..].trim_start();
        let value = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or_default(),
            None => rest.split([';', ' ', '\t']).next().unwrap_or_default(),
        };
        let value = value.trim();
        return (value.starts_with("=?") && value.ends_with("?=")).then(|| value.to_string());
    }
    None
}

fn param(name: &str, value: &str) -> (IString<'static>, IString<'static>) {
    if value.is_ascii() {
        return (istring(name.to_string()), istring(value.to_string()));
    }
    let mut encoded = String::from("utf-8''");
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    (istring(format!("{name}*")), istring(encoded))
}

fn istring_bytes(bytes: Vec<u8>) -> IString<'static> {
    match nstring(bytes).0 {
        Some(s) => s,
        None => istring(String::new()),
    }
}

/// The structure of something mail-parser could not parse at all (no header): a plain text
/// body of `raw`.
pub(crate) fn unparsed(raw: &[u8], ext: bool) -> BodyStructure<'static> {
    let mut s = empty_text_part(ext);
    if let BodyStructure::Single { body, .. } = &mut s {
        body.basic.size = u32::try_from(raw.len()).unwrap_or(u32::MAX);
        body.specific = SpecificFields::Text {
            subtype: istring("plain".into()),
            number_of_lines: count_lines(raw),
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::raw_encoded_word;
    use crate::fetch::testkit::fetch_wire;

    #[test]
    fn encoded_word_parameters_are_sent_as_written() {
        let raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
            Content-Type: application/pdf; name=\"=?UTF-8?Q?r=C3=A9sultat.pdf?=\"\r\n\
            Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sultat.pdf\r\n\r\n\
            x\r\n--b--\r\n";
        let got = fetch_wire(raw.as_bytes(), "BODYSTRUCTURE");
        assert!(
            got.contains(r#"("name" "=?UTF-8?Q?r=C3=A9sultat.pdf?=")"#),
            "{got}"
        );
        // RFC 2231 values stay in RFC 2231 form.
        assert!(
            got.contains(r#"("attachment" ("filename*" "utf-8''r%C3%A9sultat.pdf"))"#),
            "{got}"
        );
    }

    #[test]
    fn raw_encoded_word_matches_whole_parameter_names_only() {
        let field = b"application/pdf; xname=\"=?a?Q?b?=\"; name==?UTF-8?B?w6k=?=";
        assert_eq!(
            raw_encoded_word(field, "name").as_deref(),
            Some("=?UTF-8?B?w6k=?=")
        );
        assert_eq!(raw_encoded_word(b"text/plain; name=plain", "name"), None);
    }
}
