//! Attachments: listed with their size, downloaded with safe headers (issue 6, "Reading"):
//! always `Content-Disposition: attachment` (never shown inline in our origin), a content type
//! from a short allow-list or `application/octet-stream`, `nosniff` and the strict CSP (set on
//! every response by [`crate::router`]), and a file name reduced to harmless characters.

use axum::http::{HeaderMap, HeaderValue, header};
use mail_parser::{MessagePart, MimeHeaders};

use super::format::size_fr;

/// One attachment in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// Position among the message's attachments (the download URL's last segment).
    pub index: usize,
    pub name: String,
    pub size: usize,
    pub size_text: String,
    pub content_type: String,
}

/// Types we let the browser know as such (it still downloads them); anything else is opaque.
const SAFE_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "text/plain",
    "application/zip",
    "application/xml",
    "text/xml",
];

fn declared_type(part: &MessagePart<'_>) -> String {
    part.content_type()
        .map(|c| match c.subtype() {
            Some(sub) => format!("{}/{}", c.ctype(), sub),
            None => c.ctype().to_string(),
        })
        .unwrap_or_else(|| "application/octet-stream".into())
        .to_ascii_lowercase()
}

/// The list entry of attachment number `index`.
pub fn attachment_info(index: usize, part: &MessagePart<'_>) -> AttachmentInfo {
    let size = part.contents().len();
    AttachmentInfo {
        index,
        name: safe_filename(part.attachment_name().unwrap_or("")),
        size,
        size_text: size_fr(size as u64),
        content_type: declared_type(part),
    }
}

/// A file name that cannot escape a folder, hide its extension or break a header: letters and
/// digits (any script), space, `.`, `-`, `_`, `(`, `)`; no leading dot; at most 100 characters.
pub fn safe_filename(name: &str) -> String {
    // Only the last path component: some clients send "C:\\Users\\…\\ordonnance.pdf".
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    while out.starts_with(['.', ' ']) {
        out.remove(0);
    }
    let trimmed = out.trim_end_matches([' ', '.']).to_string();
    if trimmed.is_empty() {
        "piece-jointe".into()
    } else {
        trimmed
    }
}

/// RFC 8187 `ext-value` encoding (UTF-8, percent-encoded outside attr-char) for `filename*`.
fn rfc8187(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Response headers of a download: RFC 6266 `Content-Disposition` with an ASCII fallback and the
/// UTF-8 name, and an allow-listed type.
pub fn download_headers(info: &AttachmentInfo) -> HeaderMap {
    let mut h = HeaderMap::new();
    let ascii: String = info
        .name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*={}",
        rfc8187(&info.name)
    );
    let ctype = if SAFE_TYPES.contains(&info.content_type.as_str()) {
        info.content_type.clone()
    } else {
        "application/octet-stream".into()
    };
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    } else {
        h.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"piece-jointe\""),
        );
    }
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ctype)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_made_harmless() {
        let cases = [
            ("ordonnance.pdf", "ordonnance.pdf"),
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\x\\scan 1.jpg", "scan 1.jpg"),
            (".htaccess", "htaccess"),
            ("a\"b;c\r\nd.pdf", "a_b_c__d.pdf"),
            ("résultat été.pdf", "résultat été.pdf"),
            ("", "piece-jointe"),
            ("...", "piece-jointe"),
            ("x.pdf.   ", "x.pdf"),
        ];
        for (input, want) in cases {
            assert_eq!(safe_filename(input), want, "{input:?}");
        }
    }

    #[test]
    fn download_headers_are_safe() {
        let info = AttachmentInfo {
            index: 0,
            name: "résultat.html".into(),
            size: 3,
            size_text: "3 octets".into(),
            content_type: "text/html".into(),
        };
        let h = download_headers(&info);
        assert_eq!(h[header::CONTENT_TYPE], "application/octet-stream");
        let d = h[header::CONTENT_DISPOSITION].to_str().expect("ascii");
        assert_eq!(
            d,
            "attachment; filename=\"r_sultat.html\"; filename*=UTF-8''r%C3%A9sultat.html"
        );
    }
}
