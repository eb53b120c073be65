//! What the pipeline reads from a message's headers, and the trace header it adds.

use mail_parser::{HeaderName, MessageParser};

use super::{Envelope, Received};
use crate::reply::Reply;

/// What the pipeline needs from the headers.
#[derive(Debug, Default)]
pub(super) struct HeaderFacts {
    pub from: Vec<String>,
    pub sender: Option<String>,
    pub message_id: Option<String>,
    /// `X-MSS-MES: FIN`: the professional ends the conversation.
    pub end_of_conversation: bool,
}

pub(super) fn inspect_headers(body: &[u8]) -> Result<HeaderFacts, Reply> {
    let Some(msg) = MessageParser::new().parse_headers(body) else {
        return Err(Reply::new(
            550,
            [5, 6, 0],
            "Message headers cannot be parsed",
        ));
    };
    let mut facts = HeaderFacts::default();
    if let Some(from) = msg.from() {
        facts.from = from
            .iter()
            .filter_map(|a| a.address())
            .map(|a| a.to_lowercase())
            .collect();
    }
    facts.sender = msg
        .sender()
        .and_then(|s| s.first())
        .and_then(|a| a.address())
        .map(|a| a.to_lowercase());
    facts.message_id = msg.message_id().map(|s| s.to_string());
    facts.end_of_conversation = msg.headers().iter().any(|h| {
        matches!(&h.name, HeaderName::Other(n) if n.eq_ignore_ascii_case("X-MSS-MES"))
            && h.value
                .as_text()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("FIN"))
    });
    Ok(facts)
}

pub(super) fn received_header(hostname: &str, env: &Envelope, hop: &Received) -> String {
    let with = match (hop.tls.is_some(), hop.authenticated) {
        (true, true) => "ESMTPSA",
        (true, false) => "ESMTPS",
        (false, true) => "ESMTPA",
        (false, false) => "ESMTP",
    };
    let tls = hop
        .tls
        .as_ref()
        .map(|t| format!(" ({} {})", t.version, t.cipher))
        .unwrap_or_default();
    let for_clause = match env.recipients.as_slice() {
        [one] => format!("\r\n\tfor <{}>", one.address),
        _ => String::new(),
    };
    let now = mail_parser::DateTime::from_timestamp(store::db::now_unix()).to_rfc822();
    format!(
        "Received: from {} ({})\r\n\tby {hostname} (santemail) with {with}{tls}{for_clause};\r\n\t{now}\r\n",
        hop.helo,
        hop.peer.ip(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_facts_table() {
        let cases: &[(&str, &[&str], Option<&str>, bool)] = &[
            (
                "From: A@X.example\r\nSubject: s\r\n\r\nbody",
                &["a@x.example"],
                None,
                false,
            ),
            (
                "From: a@x.example\r\nX-MSS-MES: FIN\r\n\r\n",
                &["a@x.example"],
                None,
                true,
            ),
            (
                "From: a@x.example\r\nx-mss-mes:  fin \r\n\r\n",
                &["a@x.example"],
                None,
                true,
            ),
            (
                "From: a@x.example\r\nX-MSS-MES: SUITE\r\n\r\n",
                &["a@x.example"],
                None,
                false,
            ),
            (
                "From: \"Dr A\" <a@x.example>, b@x.example\r\nSender: s@x.example\r\n\r\n",
                &["a@x.example", "b@x.example"],
                Some("s@x.example"),
                false,
            ),
        ];
        for (raw, from, sender, fin) in cases {
            let facts = inspect_headers(raw.as_bytes()).expect("parses");
            assert_eq!(&facts.from, from, "{raw}");
            assert_eq!(facts.sender.as_deref(), *sender, "{raw}");
            assert_eq!(facts.end_of_conversation, *fin, "{raw}");
        }
    }
}
