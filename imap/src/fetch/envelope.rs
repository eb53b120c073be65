//! ENVELOPE (RFC 3501 §7.4.2, RFC 9051 §7.5.2) from a header block.
//!
//! Date, Subject, In-Reply-To and Message-ID are the raw, unfolded field values (encoded-words
//! left as they are: the client decodes). Addresses come from mail-parser's address parser;
//! it decodes display names, so each name is looked up again in the raw field to send it as
//! written (as Dovecot does); failing that it is re-encoded as one RFC 2047 encoded-word.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use imap_codec::imap_types::core::NString;
use imap_codec::imap_types::envelope::{Address, Envelope};
use mail_parser::parsers::MessageStream;
use mail_parser::{Addr, Header, HeaderName, HeaderValue};

use super::mime::{first, raw_value};
use super::{nstring, nstring_str};

/// Builds the envelope of the message whose header fields are `headers` (offsets into `raw`).
pub(crate) fn envelope(headers: &[Header<'_>], raw: &[u8]) -> Envelope<'static> {
    let text = |name: HeaderName<'static>| -> NString<'static> {
        first(headers, &name).map_or(NString::NIL, |h| nstring(raw_value(raw, h)))
    };
    let from = addresses(headers, raw, HeaderName::From);
    // RFC 3501 §7.4.2: absent or empty Sender / Reply-To take the value of From.
    let sender = addresses(headers, raw, HeaderName::Sender);
    let sender = if sender.is_empty() {
        from.clone()
    } else {
        sender
    };
    let reply_to = addresses(headers, raw, HeaderName::ReplyTo);
    let reply_to = if reply_to.is_empty() {
        from.clone()
    } else {
        reply_to
    };
    Envelope {
        date: text(HeaderName::Date),
        subject: text(HeaderName::Subject),
        from,
        sender,
        reply_to,
        to: addresses(headers, raw, HeaderName::To),
        cc: addresses(headers, raw, HeaderName::Cc),
        bcc: addresses(headers, raw, HeaderName::Bcc),
        in_reply_to: text(HeaderName::InReplyTo),
        message_id: text(HeaderName::MessageId),
    }
}

/// The display name as written in the raw field (RFC 3501 §7.4.2 wants header strings as
/// they are): the decoded name itself when it appears verbatim (plain or 8-bit), else the run of
/// encoded-words that decodes to it. `None` when neither is found.
fn raw_name(raw_field: &[u8], decoded: &str) -> Option<Vec<u8>> {
    let field = String::from_utf8_lossy(raw_field);
    if field.contains(decoded) {
        return Some(decoded.as_bytes().to_vec());
    }
    let starts: Vec<usize> = field.match_indices("=?").map(|(i, _)| i).collect();
    let ends: Vec<usize> = field.match_indices("?=").map(|(i, _)| i + 2).collect();
    for &s in &starts {
        for &e in ends.iter().filter(|&&e| e > s + 4) {
            let candidate = &field[s..e];
            // mail-parser reads a field up to its line end.
            let line = format!("{candidate}\r\n");
            let decoded_candidate = match MessageStream::new(line.as_bytes()).parse_unstructured() {
                HeaderValue::Text(t) => t.into_owned(),
                _ => continue,
            };
            if decoded_candidate.trim() == decoded.trim() {
                return Some(candidate.as_bytes().to_vec());
            }
        }
    }
    None
}

/// The address list of the first `name` field. Groups are written as RFC 3501 asks: a start
/// marker `(NIL NIL "name" NIL)`, the members, an end marker `(NIL NIL NIL NIL)`.
fn addresses(
    headers: &[Header<'_>],
    raw: &[u8],
    name: HeaderName<'static>,
) -> Vec<Address<'static>> {
    let Some(h) = first(headers, &name) else {
        return Vec::new();
    };
    let field = raw_value(raw, h);
    let address = |a: &Addr<'_>| address(a, &field);
    let mut out = Vec::new();
    match &h.value {
        HeaderValue::Address(mail_parser::Address::List(list)) => {
            out.extend(list.iter().filter_map(address));
        }
        HeaderValue::Address(mail_parser::Address::Group(groups)) => {
            for group in groups {
                match &group.name {
                    Some(gname) => {
                        out.push(Address {
                            name: NString::NIL,
                            adl: NString::NIL,
                            mailbox: nstring(
                                raw_name(&field, gname)
                                    .unwrap_or_else(|| encode_word(gname).into_bytes()),
                            ),
                            host: NString::NIL,
                        });
                        out.extend(group.addresses.iter().filter_map(address));
                        out.push(Address {
                            name: NString::NIL,
                            adl: NString::NIL,
                            mailbox: NString::NIL,
                            host: NString::NIL,
                        });
                    }
                    None => out.extend(group.addresses.iter().filter_map(address)),
                }
            }
        }
        _ => {}
    }
    out
}

/// Host of an address that has none: never NIL, which would mark a group (Dovecot's spelling).
const MISSING_DOMAIN: &str = "MISSING_DOMAIN";

/// One address, mailbox and host split at the last `@`.
fn address(addr: &Addr<'_>, field: &[u8]) -> Option<Address<'static>> {
    let name = addr
        .name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map_or(NString::NIL, |n| {
            nstring(raw_name(field, n).unwrap_or_else(|| encode_word(n).into_bytes()))
        });
    let Some(full) = addr.address.as_deref().filter(|a| !a.is_empty()) else {
        // A bare word (`Bcc: nodomain`) is read by mail-parser as a name with no address:
        // Dovecot makes it the mailbox, with the MISSING_DOMAIN host; so do we.
        let word = addr.name.as_deref().filter(|n| !n.trim().is_empty())?;
        return Some(Address {
            name: NString::NIL,
            adl: NString::NIL,
            mailbox: nstring(word.trim().as_bytes().to_vec()),
            host: nstring_str(MISSING_DOMAIN),
        });
    };
    let (mailbox, host) = match full.rfind('@') {
        Some(at) => (&full[..at], &full[at + 1..]),
        None => (full, MISSING_DOMAIN),
    };
    // An obsolete source route `<@relay,@relay2:user@host>` (RFC 5322 §4.4 obs-route) goes in
    // the at-domain-list field, without its colon (RFC 3501 §7.4.2 `addr-adl`).
    let (adl, mailbox) = match mailbox.strip_prefix('@').and(mailbox.find(':')) {
        Some(colon) => (
            nstring(mailbox.as_bytes()[..colon].to_vec()),
            &mailbox[colon + 1..],
        ),
        None => (NString::NIL, mailbox),
    };
    Some(Address {
        name,
        adl,
        // An internationalised address (RFC 6532) stays as UTF-8: encoded-words are not
        // allowed in an addr-spec.
        mailbox: nstring(mailbox.as_bytes().to_vec()),
        host: nstring(host.as_bytes().to_vec()),
    })
}

/// ASCII text as is; anything else as one RFC 2047 `B` encoded-word in UTF-8.
fn encode_word(text: &str) -> String {
    if text.is_ascii() {
        text.to_string()
    } else {
        format!("=?utf-8?b?{}?=", STANDARD.encode(text.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use crate::fetch::testkit::fetch_wire;

    #[test]
    fn source_route_goes_in_the_adl_field() {
        let raw = b"From: <@relay.example,@r2.example:user@example.org>\r\n\r\nx\r\n";
        let got = fetch_wire(raw, "ENVELOPE");
        assert!(
            got.contains(r#"((NIL "@relay.example,@r2.example" "user" "example.org"))"#),
            "{got}"
        );
    }

    #[test]
    fn comment_names_empty_fields_and_groups() {
        // RFC 3501 §7.4.2: an empty Sender/Reply-To takes From; a group is framed by a
        // `(NIL NIL "name" NIL)` start and a `(NIL NIL NIL NIL)` end.
        let raw = b"From: user@example.org (Real Name)\r\nSender: \r\nReply-To: \r\n\
            To: group: g1@d1.org, g2@d2.org;, other@d3.org\r\n\r\nx\r\n";
        let got = fetch_wire(raw, "ENVELOPE");
        let from = r#"(("Real Name" NIL "user" "example.org"))"#;
        assert_eq!(got.matches(from).count(), 3, "{got}");
        assert!(
            got.contains(
                r#"((NIL NIL "group" NIL)(NIL NIL "g1" "d1.org")(NIL NIL "g2" "d2.org")(NIL NIL NIL NIL)(NIL NIL "other" "d3.org"))"#
            ),
            "{got}"
        );
    }
}
