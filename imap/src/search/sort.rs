//! SORT (RFC 5256 §3, DISPLAYFROM/DISPLAYTO RFC 5957).
//!
//! Each message is parsed once (headers only) into the keys the criteria need; strings
//! compare with i;ascii-casemap (ASCII letters folded), the comparator RFC 5256 names; ties
//! end in sequence order.

use std::cmp::Ordering;

use imap_codec::imap_types::extensions::sort::{SortCriterion, SortKey};
use mail_parser::HeaderName;

use super::base_subject::base_subject;
use super::text;
use crate::fetch::MessageView;
use crate::fetch::mime::parse_headers;

/// The sort keys of one message.
#[derive(Default)]
struct Keys {
    seq: u32,
    arrival: i64,
    size: u64,
    date: i64,
    subject: String,
    from: String,
    to: String,
    cc: String,
    display_from: String,
    display_to: String,
}

fn needs_headers(criteria: &[SortCriterion]) -> bool {
    criteria
        .iter()
        .any(|c| !matches!(c.key, SortKey::Arrival | SortKey::Size))
}

/// `a@b` → "a" (RFC 5256 §3: FROM/TO/CC sort on the addr-mailbox of the first address).
fn mailbox_key(first: Option<(String, String, String)>) -> String {
    first
        .map(|(_, local, _)| local.to_ascii_uppercase())
        .unwrap_or_default()
}

/// RFC 5957 §3: the display name, else the address.
fn display_key(first: Option<(String, String, String)>) -> String {
    first
        .map(|(display, _, full)| if display.is_empty() { full } else { display })
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn keys(view: &MessageView<'_>, with_headers: bool) -> Keys {
    let mut k = Keys {
        seq: view.seq,
        arrival: view.meta.internal_date,
        size: view.meta.size,
        // RFC 5256 §3 DATE: "If the sent date cannot be determined, the internal date".
        date: view.meta.internal_date,
        ..Keys::default()
    };
    if !with_headers {
        return k;
    }
    let Some(msg) = parse_headers(view.raw) else {
        return k;
    };
    if let Some(ts) = text::sent_timestamp(&msg) {
        k.date = ts;
    }
    k.subject = base_subject(&text::subject(&msg, view.raw))
        .0
        .to_ascii_uppercase();
    k.from = mailbox_key(text::first_address(&msg, HeaderName::From));
    k.to = mailbox_key(text::first_address(&msg, HeaderName::To));
    k.cc = mailbox_key(text::first_address(&msg, HeaderName::Cc));
    k.display_from = display_key(text::first_address(&msg, HeaderName::From));
    k.display_to = display_key(text::first_address(&msg, HeaderName::To));
    k
}

fn compare(a: &Keys, b: &Keys, key: &SortKey) -> Ordering {
    match key {
        SortKey::Arrival => a.arrival.cmp(&b.arrival),
        SortKey::Cc => a.cc.cmp(&b.cc),
        SortKey::Date => a.date.cmp(&b.date),
        SortKey::From => a.from.cmp(&b.from),
        SortKey::Size => a.size.cmp(&b.size),
        SortKey::Subject => a.subject.cmp(&b.subject),
        SortKey::To => a.to.cmp(&b.to),
        SortKey::DisplayFrom => a.display_from.cmp(&b.display_from),
        SortKey::DisplayTo => a.display_to.cmp(&b.display_to),
    }
}

pub(crate) fn sort(criteria: &[SortCriterion], views: &[MessageView<'_>]) -> Vec<usize> {
    let with_headers = needs_headers(criteria);
    let all: Vec<Keys> = views.iter().map(|v| keys(v, with_headers)).collect();
    let mut order: Vec<usize> = (0..views.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&all[i], &all[j]);
        for c in criteria {
            let o = compare(a, b, &c.key);
            let o = if c.reverse { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        // RFC 5256 §3: "the order of messages with the same sort key is the sequence order".
        a.seq.cmp(&b.seq)
    });
    order
}
