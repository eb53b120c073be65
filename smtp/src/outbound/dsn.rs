//! Delivery status notifications (RFC 3464 multipart/report, RFC 3461 semantics), written in
//! French then English, sent to the original sender when a recipient fails for good or expires.

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;

/// One recipient that could not be reached.
#[derive(Debug, Clone)]
pub struct FailedRecipient {
    pub address: String,
    /// ORCPT as the client gave it (`rfc822;addr`), if any.
    pub original: Option<String>,
    /// The remote server's reply, or our own explanation (e.g. "no route", "expired").
    pub diagnostic: String,
    /// RFC 3463 status, e.g. `5.1.1`.
    pub status: String,
    pub remote_mta: Option<String>,
}

/// Builds the bounce. `original_headers` is the header block of the failed message.
pub fn build(
    reporting_mta: &str,
    postmaster: &str,
    sender: &str,
    failed: &[FailedRecipient],
    original_headers: &[u8],
    arrival_unix: i64,
) -> Vec<u8> {
    let mut fr = String::from(
        "Bonjour,\n\nVotre message n'a pas pu être remis aux destinataires suivants :\n\n",
    );
    let mut en =
        String::from("Your message could not be delivered to the following recipients:\n\n");
    for f in failed {
        fr.push_str(&format!("  {}\n    raison : {}\n", f.address, f.diagnostic));
        en.push_str(&format!("  {}\n    reason: {}\n", f.address, f.diagnostic));
    }
    fr.push_str("\nLes en-têtes du message d'origine sont joints.\n\n--- English ---\n\n");
    let human = format!("{fr}{en}\nThe headers of the original message are attached.\n");

    let arrival = mail_parser::DateTime::from_timestamp(arrival_unix).to_rfc822();
    let mut status = format!("Reporting-MTA: dns; {reporting_mta}\r\nArrival-Date: {arrival}\r\n");
    for f in failed {
        status.push_str("\r\n");
        if let Some(orcpt) = &f.original {
            let orcpt = orcpt.replace(['\r', '\n'], "");
            match orcpt.split_once(';') {
                Some((kind, addr)) => status.push_str(&format!(
                    "Original-Recipient: {}; {}\r\n",
                    kind.trim(),
                    addr.trim()
                )),
                None => status.push_str(&format!("Original-Recipient: rfc822; {orcpt}\r\n")),
            }
        }
        status.push_str(&format!(
            "Final-Recipient: rfc822; {}\r\nAction: failed\r\nStatus: {}\r\n",
            f.address, f.status
        ));
        if let Some(mta) = &f.remote_mta {
            status.push_str(&format!("Remote-MTA: dns; {mta}\r\n"));
        }
        status.push_str(&format!(
            "Diagnostic-Code: smtp; {}\r\n",
            f.diagnostic.replace(['\r', '\n'], " ")
        ));
    }

    let report = MimePart::new(
        ContentType::new("multipart/report").attribute("report-type", "delivery-status"),
        vec![
            MimePart::new("text/plain", human),
            MimePart::new(
                ContentType::new("message/delivery-status"),
                status.into_bytes(),
            )
            .transfer_encoding("7bit"),
            MimePart::new(
                ContentType::new("text/rfc822-headers"),
                original_headers.to_vec(),
            )
            .transfer_encoding("8bit"),
        ],
    );
    MessageBuilder::new()
        .from(("Service de messagerie", postmaster))
        .to(sender)
        .subject("Non remis / Undelivered Mail Returned to Sender")
        .header(
            "Auto-Submitted",
            mail_builder::headers::raw::Raw::new("auto-replied"),
        )
        .body(report)
        .write_to_vec()
        .unwrap_or_default()
}

/// The header block of a message (up to the first empty line).
pub fn header_block(message: &[u8]) -> &[u8] {
    let end = message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 2)
        .or_else(|| message.windows(2).position(|w| w == b"\n\n").map(|p| p + 1))
        .unwrap_or(message.len());
    &message[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MimeHeaders;

    #[test]
    fn report_is_parseable_and_names_the_recipient() {
        let original = b"From: a@x.example\r\nSubject: hi\r\n\r\nbody";
        let dsn = build(
            "mx.mssante.example",
            "postmaster@mssante.example",
            "a@x.example",
            &[FailedRecipient {
                address: "b@y.example".into(),
                original: Some("rfc822;B@y.example".into()),
                diagnostic: "550 5.1.1 unknown user".into(),
                status: "5.1.1".into(),
                remote_mta: Some("mx.y.example".into()),
            }],
            header_block(original),
            0,
        );
        let msg = mail_parser::MessageParser::new()
            .parse(&dsn)
            .expect("parses");
        let ct = msg.content_type().expect("content type");
        assert_eq!(ct.ctype(), "multipart");
        assert_eq!(ct.subtype(), Some("report"));
        let text = String::from_utf8_lossy(&dsn);
        assert!(text.contains("Final-Recipient: rfc822; b@y.example"));
        assert!(text.contains("Original-Recipient: rfc822; B@y.example"));
        assert!(text.contains("Status: 5.1.1"));
        assert!(text.contains("Subject: hi"));
        assert_eq!(
            header_block(original),
            b"From: a@x.example\r\nSubject: hi\r\n"
        );
    }
}
