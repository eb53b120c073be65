//! One message as the reading page shows it, from its raw bytes (`mail-parser`): headers for a
//! reader, the HTML body sanitised ([`super::sanitize`]) or the plain text, and the attachments.

use mail_parser::{Message, MessageParser, MimeHeaders};

use super::attachments::{AttachmentInfo, attachment_info};
use super::format::date_fr;
use super::sanitize::sanitize_html;

/// The reading page's view of a message. Every field is text to escape, except `html`, which
/// is sanitised.
#[derive(Debug, Clone, Default)]
pub struct MessageView {
    pub subject: String,
    pub from_name: String,
    pub from_address: String,
    pub to_text: String,
    pub date_text: String,
    /// Sanitised HTML body, when the message has one.
    pub html: Option<String>,
    /// Plain-text body (mail-parser converts HTML-only messages to text).
    pub text: String,
    /// Remote images removed from the HTML.
    pub blocked_images: usize,
    pub attachments: Vec<AttachmentInfo>,
    /// `X-MSS-MES: FIN`: the professional ended the conversation (no answer expected).
    pub end_of_conversation: bool,
    pub message_id: Option<String>,
    /// `References:` of the message, for a reply's `References:` (RFC 5322 §3.6.4).
    pub references: Vec<String>,
}

impl MessageView {
    /// "(sans objet)" when there is none.
    pub fn subject_or_default(&self) -> &str {
        if self.subject.trim().is_empty() {
            "(sans objet)"
        } else {
            &self.subject
        }
    }

    /// The sender as a reader names them: "Dr Camille Martin", or the address.
    pub fn sender(&self) -> &str {
        if self.from_name.trim().is_empty() {
            &self.from_address
        } else {
            &self.from_name
        }
    }
}

/// Builds the view of a raw message; `internal_date` is used when the `Date:` header is absent.
pub fn build(raw: &[u8], internal_date: i64) -> MessageView {
    match MessageParser::default().parse(raw) {
        Some(msg) => from_parsed(&msg, internal_date),
        None => MessageView {
            text: "Ce message ne peut pas être affiché.".into(),
            date_text: date_fr(internal_date),
            ..MessageView::default()
        },
    }
}

fn from_parsed(msg: &Message<'_>, internal_date: i64) -> MessageView {
    let summary = smtp::pipeline::summary::summary_of(msg);
    let has_html = msg.html_body_count() > 0
        && msg.html_part(0).is_some_and(|p| {
            p.content_type()
                .is_some_and(|c| c.subtype() == Some("html"))
        });
    let (html, blocked_images) = if has_html {
        match msg.body_html(0) {
            Some(h) => {
                let s = sanitize_html(&h);
                (Some(s.html), s.blocked_images)
            }
            None => (None, 0),
        }
    } else {
        (None, 0)
    };
    let text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let references = msg
        .references()
        .as_text_list()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .or_else(|| msg.references().as_text().map(|s| vec![s.to_string()]))
        .unwrap_or_default();
    MessageView {
        subject: summary.subject,
        from_name: summary.from_name,
        from_address: summary.from_address,
        to_text: summary.to_text,
        date_text: date_fr(summary.sent_at.unwrap_or(internal_date)),
        html,
        text,
        blocked_images,
        attachments: msg
            .attachments()
            .enumerate()
            .map(|(i, part)| attachment_info(i, part))
            .collect(),
        end_of_conversation: summary.end_of_conversation,
        message_id: msg.message_id().map(str::to_string),
        references,
    }
}

#[cfg(test)]
mod tests {
    use super::build;

    #[test]
    fn html_message_is_sanitised_with_text_fallback() {
        let raw = b"From: \"Dr A\" <a@medecin.mssante.example>\r\nSubject: Test\r\n\
Message-ID: <m1@x>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour texte\r\n--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<p onclick=x()>Bonjour <b>html</b></p>\
<script>alert(1)</script><img src=https://t.example/p.gif>\r\n--b--\r\n";
        let v = build(raw, 0);
        assert_eq!(v.subject, "Test");
        assert_eq!(v.sender(), "Dr A");
        let html = v.html.expect("html");
        assert!(html.contains("<b>html</b>"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert_eq!(v.blocked_images, 1);
        assert!(v.text.contains("Bonjour texte"));
        assert_eq!(v.message_id.as_deref(), Some("m1@x"));
    }

    #[test]
    fn plain_message_has_no_html() {
        let v = build(
            b"From: a@x.example\r\nSubject: s\r\n\r\n<b>pas du html</b>\r\n",
            0,
        );
        assert!(v.html.is_none());
        assert!(v.text.contains("<b>pas du html</b>"));
    }
}
