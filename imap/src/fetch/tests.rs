//! FETCH tests: the odd-MIME corpus in `testdata/` (answers checked against Dovecot, see its
//! README), and table-driven checks of the simple items.

use std::num::NonZeroU32;

use imap_codec::imap_types::fetch::MessageDataItem;
use imap_codec::imap_types::flag::{Flag as ImapFlag, FlagFetch};
use store::flags::Flags;

use super::testkit::{fetch_wire, fetch_wire_bytes, items, meta};
use super::*;

const CORPUS_ITEMS: &str = "(ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER] BODY.PEEK[TEXT] \
    BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] \
    BODY.PEEK[2.1] BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[HEADER.FIELDS.NOT (FROM)] \
    BODY.PEEK[]<4.10> BINARY.PEEK[1] BINARY.SIZE[1])";

macro_rules! corpus {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_bytes!(concat!("testdata/", $name, ".eml")).as_slice(),
            include_bytes!(concat!("testdata/", $name, ".fetch")).as_slice(),
        )),*]
    };
}

#[test]
fn odd_mime_corpus_matches_reference() {
    let corpus: &[(&str, &[u8], &[u8])] = corpus!(
        "8bit-headers",
        "digest",
        "empty-multipart",
        "encoded-rfc822",
        "lf-only",
        "nested",
        "no-body",
        "no-boundary",
        "no-content-type",
        "nul",
        "rfc2231",
        "top-rfc822",
        "params",
        "no-subtype",
        "nested-qp",
    );
    for (name, eml, want) in corpus {
        let got = fetch_wire_bytes(eml, CORPUS_ITEMS);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(want),
            "{name}"
        );
    }
}

const SIMPLE: &[u8] = b"From: a@example.org\r\nSubject: s\r\n\r\nhello\r\n";

#[test]
fn simple_items_table() {
    let cases: &[(&[u8], &str, &str)] = &[
        (
            SIMPLE,
            "(UID RFC822.SIZE MODSEQ)",
            "* 1 FETCH (UID 1 RFC822.SIZE 42 MODSEQ (101))\r\n",
        ),
        (
            SIMPLE,
            "INTERNALDATE",
            "* 1 FETCH (INTERNALDATE \"14-Nov-2023 22:13:20 +0000\")\r\n",
        ),
        (
            SIMPLE,
            "BODY.PEEK[]<0.2048>",
            "* 1 FETCH (BODY[]<0> {42}\r\nFrom: a@example.org\r\nSubject: s\r\n\r\nhello\r\n)\r\n",
        ),
        (
            SIMPLE,
            "BODY.PEEK[]<100.5>",
            "* 1 FETCH (BODY[]<100> {0}\r\n)\r\n",
        ),
        (
            SIMPLE,
            "BODY.PEEK[TEXT]<1.3>",
            "* 1 FETCH (BODY[TEXT]<1> {3}\r\nell)\r\n",
        ),
        (
            SIMPLE,
            "RFC822.HEADER",
            "* 1 FETCH (RFC822.HEADER {35}\r\nFrom: a@example.org\r\nSubject: s\r\n\r\n)\r\n",
        ),
        (
            SIMPLE,
            "RFC822.TEXT",
            "* 1 FETCH (RFC822.TEXT {7}\r\nhello\r\n)\r\n",
        ),
        (SIMPLE, "BODY[3]", "* 1 FETCH (BODY[3] {0}\r\n)\r\n"),
        (
            SIMPLE,
            "BODY",
            "* 1 FETCH (BODY (\"TEXT\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 7 1))\r\n",
        ),
        (SIMPLE, "BINARY.SIZE[]", "* 1 FETCH (BINARY.SIZE[] 42)\r\n"),
        (
            b"",
            "(BODYSTRUCTURE ENVELOPE)",
            "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n",
        ),
    ];
    for (raw, items, want) in cases {
        assert_eq!(fetch_wire(raw, items), *want, "{items}");
    }
}

#[test]
fn unknown_transfer_encoding_is_refused_for_binary() {
    let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: x-uue\r\n\r\nbegin\r\n--b--\r\n";
    let m = meta(1, raw, &[], 0);
    let view = MessageView {
        seq: 1,
        meta: &m,
        raw,
        recent: false,
    };
    let err = fetch_items(&view, &items("BINARY[1]")).err();
    assert!(matches!(err, Some(FetchError::UnknownCte)), "{err:?}");
    // BODY[1] still works: the octets as stored.
    assert!(fetch_items(&view, &items("BODY.PEEK[1]")).is_ok());
}

#[test]
fn macros_expand_and_flags_map() {
    let m = meta(7, SIMPLE, &["\\Seen", "\\Answered", "$Label1"], 0);
    let view = MessageView {
        seq: 3,
        meta: &m,
        raw: SIMPLE,
        recent: true,
    };
    let out = fetch_items(&view, &items("FAST")).expect("fetch");
    assert_eq!(out.len(), 3);
    let flags = flags_to_imap(&m.flags, true);
    assert_eq!(
        flags,
        vec![
            FlagFetch::Flag(ImapFlag::Seen),
            FlagFetch::Flag(ImapFlag::Answered),
            FlagFetch::Flag(ImapFlag::Keyword(Atom::try_from("$Label1").expect("atom"))),
            FlagFetch::Recent,
        ]
    );
    assert!(flags_to_imap(&Flags::new(), false).is_empty());
    assert!(matches!(
        fetch_items(&view, &items("UID")).expect("uid")[0],
        MessageDataItem::Uid(u) if u == NonZeroU32::new(7).expect("7")
    ));
}

#[test]
fn only_content_items_need_the_blob() {
    assert!(!items_need_raw(&items(
        "(UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ)"
    )));
    assert!(items_need_raw(&items(
        "(UID BODY.PEEK[HEADER.FIELDS (DATE)])"
    )));
    assert!(items_need_raw(&items("ENVELOPE")));
    assert!(items_need_raw(&items("RFC822")));
    assert!(items_need_raw(&items("BINARY.SIZE[]")));
}

/// 200 nested multiparts: the structure stops describing at a fixed depth instead of
/// recursing without bound, and deep part numbers still resolve.
#[test]
fn deep_nesting_is_bounded() {
    let depth = 200;
    let mut raw = String::from("From: a@example.org\r\n");
    for i in 0..depth {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\ndeep\r\n");
    for i in (0..depth).rev() {
        raw.push_str(&format!("--b{i}--\r\n"));
    }
    let wire = fetch_wire(raw.as_bytes(), "BODYSTRUCTURE");
    assert!(wire.starts_with("* 1 FETCH (BODYSTRUCTURE ("), "{wire}");
    let path = vec!["1"; depth].join(".");
    let wire = fetch_wire(raw.as_bytes(), &format!("BODY.PEEK[{path}]"));
    assert!(wire.ends_with("{4}\r\ndeep)\r\n"), "{wire}");
}

#[test]
fn message_without_header_fields() {
    let raw = b"\r\njust a body\r\n";
    assert_eq!(
        fetch_wire(raw, "(BODY.PEEK[HEADER] BODY.PEEK[TEXT])"),
        "* 1 FETCH (BODY[HEADER] {2}\r\n\r\n BODY[TEXT] {13}\r\njust a body\r\n)\r\n"
    );
}
