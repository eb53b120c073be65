//! The list-row summary of a message (`store::summary`), computed once at delivery so the
//! webmail's folder pages never parse blobs. The webmail calls the same function to fill the
//! summary of older messages lazily, so both paths agree.

use mail_parser::{HeaderName, Message, MessageParser};
use store::summary::{MAX_SNIPPET, Summary};

/// Parses `raw` (RFC 5322 with MIME) and keeps what a list row shows. A message that cannot be
/// parsed gets an empty summary (the list shows "(sans objet)"); it is still delivered.
pub fn summarize(raw: &[u8]) -> Summary {
    match MessageParser::default().parse(raw) {
        Some(msg) => summary_of(&msg),
        None => Summary::default(),
    }
}

/// The summary of an already parsed message.
pub fn summary_of(msg: &Message<'_>) -> Summary {
    let from = msg.from().and_then(|a| a.first());
    let to_text = msg
        .to()
        .map(|list| {
            list.iter()
                .map(|a| match (a.name(), a.address()) {
                    (Some(n), _) if !n.trim().is_empty() => n.trim().to_string(),
                    (_, Some(addr)) => addr.to_string(),
                    _ => String::new(),
                })
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    Summary {
        subject: msg.subject().unwrap_or_default().trim().to_string(),
        from_name: from
            .and_then(|a| a.name())
            .unwrap_or_default()
            .trim()
            .to_string(),
        from_address: from
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_lowercase(),
        to_text,
        sent_at: msg.date().map(|d| d.to_timestamp()),
        has_attachments: msg.attachment_count() > 0,
        end_of_conversation: ends_conversation(msg),
        snippet: snippet(msg),
    }
}

/// `X-MSS-MES: FIN` (MSSanté: the professional expects no answer), case-insensitive.
pub fn ends_conversation(msg: &Message<'_>) -> bool {
    msg.headers().iter().any(|h| {
        matches!(&h.name, HeaderName::Other(n) if n.eq_ignore_ascii_case("X-MSS-MES"))
            && h.value
                .as_text()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("FIN"))
    })
}

/// The first words of the text body (HTML converted to text by mail-parser), whitespace
/// collapsed.
fn snippet(msg: &Message<'_>) -> String {
    let Some(text) = msg.body_text(0) else {
        return String::new();
    };
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > MAX_SNIPPET {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::summarize;

    #[test]
    fn summary_of_a_professional_message() {
        let raw = b"From: \"Dr Camille Martin\" <Camille.Martin@medecin.mssante.example>\r\n\
To: 240013700100130@patient.mssante.example\r\n\
Subject: =?utf-8?q?R=C3=A9sultats?=\r\n\
Date: Tue, 3 Mar 2026 10:00:00 +0000\r\n\
X-MSS-MES: FIN\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n\
Bonjour,\r\n\r\n   vos   r\xc3\xa9sultats sont normaux.\r\n";
        let s = summarize(raw);
        assert_eq!(s.subject, "Résultats");
        assert_eq!(s.from_name, "Dr Camille Martin");
        assert_eq!(s.from_address, "camille.martin@medecin.mssante.example");
        assert_eq!(s.to_text, "240013700100130@patient.mssante.example");
        assert_eq!(s.sent_at, Some(1_772_532_000));
        assert!(s.end_of_conversation);
        assert!(!s.has_attachments);
        assert_eq!(s.snippet, "Bonjour, vos résultats sont normaux.");
    }

    #[test]
    fn garbage_gives_an_empty_summary() {
        let s = summarize(b"");
        assert_eq!(s.subject, "");
        assert!(!s.end_of_conversation);
    }
}
