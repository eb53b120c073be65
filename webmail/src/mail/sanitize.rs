//! HTML mail made inert before it is shown (issue 6, "Reading"), with `ammonia` (html5ever
//! parsing, an allow-list of tags and attributes): scripts and styles go with their content,
//! event handlers and `style` attributes are not on the list (so no CSS `expression()` either),
//! forms, iframes, objects and embeds are not on the list, and only `http`, `https` and `mailto`
//! links survive (no `javascript:`, `data:` or relative ones). Remote images are blocked (a
//! tracking pixel would tell the sender when and where the citizen read the message): their
//! `src` is dropped and the page shows a notice; small `data:` images (not SVG) are kept.
//! The page is also served with the strict CSP of [`crate::CSP`], so even a sanitizer bug could
//! not run a script or load a remote resource.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ammonia::{Builder, UrlRelative};

/// Sanitised HTML and what was removed that the citizen should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    pub html: String,
    /// Number of remote (or otherwise refused) images whose source was removed.
    pub blocked_images: usize,
}

/// Raster images a browser may show from a `data:` URL. SVG is left out: it is a document that
/// can carry scripts.
fn is_safe_data_image(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    [
        "data:image/png",
        "data:image/jpeg",
        "data:image/gif",
        "data:image/webp",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// An absolute `http:`, `https:` or `mailto:` URL.
fn is_web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Sanitises the HTML body of a message.
pub fn sanitize_html(html: &str) -> Sanitized {
    let blocked = Arc::new(AtomicUsize::new(0));
    let counter = blocked.clone();
    let mut builder = Builder::default();
    // `cid:` and relative URLs pass ammonia's scheme check only so that the filter below sees
    // (and counts) every image; the filter then keeps what is safe.
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto", "data", "cid"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["area", "map"])
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                ("img", "src") => {
                    if is_safe_data_image(value) {
                        Some(Cow::Borrowed(value))
                    } else {
                        counter.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                }
                // Links and citations: absolute http(s) and mailto only.
                (_, "href" | "cite") if !is_web_link(value) => None,
                _ => Some(Cow::Borrowed(value)),
            },
        );
    let html = builder.clean(html).to_string();
    Sanitized {
        html,
        blocked_images: blocked.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_html;

    fn clean(s: &str) -> String {
        sanitize_html(s).html.to_lowercase()
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let out = clean(
            "<p onclick=\"alert(1)\">Bonjour</p><script>alert('x')</script>\
             <img src=x onerror=alert(1)><svg onload=alert(1)></svg><body onload=alert(1)>",
        );
        assert!(out.contains("bonjour"));
        for bad in ["<script", "alert", "onclick", "onerror", "onload", "<svg"] {
            assert!(!out.contains(bad), "{bad} survived in {out}");
        }
    }

    #[test]
    fn javascript_links_are_removed() {
        for link in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
        ] {
            let out = clean(link);
            assert!(!out.contains("href"), "{link} -> {out}");
        }
        assert!(!clean("<a href=\"/compte\">x</a>").contains("href"));
        assert!(!clean("<a href=\"//evil.example/\">x</a>").contains("href"));
        let ok = clean("<a href=\"https://ameli.fr/\">ameli</a>");
        assert!(ok.contains("href=\"https://ameli.fr/\""), "{ok}");
        assert!(ok.contains("noopener"), "{ok}");
    }

    #[test]
    fn css_is_removed() {
        let out = clean(
            "<div style=\"width: expression(alert(1)); background:url(javascript:alert(1))\">t</div>\
             <style>body{behavior:url(x.htc)} p{background:url(https://pixel.example/t.gif)}</style>\
             <link rel=stylesheet href=https://evil.example/x.css>",
        );
        for bad in ["style", "expression", "behavior", "<link", "pixel.example"] {
            assert!(!out.contains(bad), "{bad} survived in {out}");
        }
    }

    #[test]
    fn forms_frames_and_objects_are_removed() {
        let out = clean(
            "<form action=https://evil.example><input name=p type=password><button>Go</button></form>\
             <iframe src=https://evil.example></iframe><object data=x></object><embed src=x>\
             <meta http-equiv=refresh content=\"0;url=https://evil.example\"><base href=https://evil.example/>",
        );
        for bad in [
            "<form", "<input", "<iframe", "<object", "<embed", "<meta", "<base", "evil",
        ] {
            assert!(!out.contains(bad), "{bad} survived in {out}");
        }
    }

    #[test]
    fn remote_images_are_blocked() {
        let s = sanitize_html(
            "<img src=\"https://tracker.example/p.gif\" alt=\"logo\"><img src=\"//cdn.example/a.png\">\
             <img src=\"cid:part1\"><img src=\"data:image/png;base64,iVBORw0KGgo=\">\
             <img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
        );
        assert_eq!(s.blocked_images, 4, "{}", s.html);
        assert!(!s.html.contains("tracker.example"));
        assert!(!s.html.contains("cdn.example"));
        assert!(!s.html.contains("svg"));
        assert!(s.html.contains("data:image/png;base64"));
        assert!(s.html.contains("alt=\"logo\""));
    }
}
