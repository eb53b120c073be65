//! Table-driven tests of SEARCH keys, SORT and THREAD=REFERENCES, with commands parsed by
//! imap-codec exactly as a client sends them.

use imap_codec::CommandCodec;
use imap_codec::decode::Decoder;
use imap_codec::imap_types::command::CommandBody;
use imap_codec::imap_types::core::Vec1;
use imap_codec::imap_types::search::SearchKey;
use store::message::MessageMeta;

use super::*;
use crate::fetch::testkit::meta;

pub(super) fn command(line: &str) -> CommandBody<'static> {
    let full = format!("{line}\r\n");
    let bytes: &'static [u8] = Box::leak(full.into_bytes().into_boxed_slice());
    match CommandCodec::default().decode(bytes) {
        Ok((_, cmd)) => cmd.body,
        Err(e) => panic!("cannot parse {line:?}: {e:?}"),
    }
}

/// Turns each `"…"` holding non-ASCII into a non-synchronizing literal, as a client must send
/// 8-bit strings (RFC 9051 §4.3, RFC 7888).
fn literalize(keys: &str) -> String {
    let mut out = String::new();
    for (i, part) in keys.split('"').enumerate() {
        if i % 2 == 1 {
            if part.is_ascii() {
                out.push_str(&format!("\"{part}\""));
            } else {
                out.push_str(&format!("{{{}+}}\r\n{part}", part.len()));
            }
        } else {
            out.push_str(part);
        }
    }
    out
}

fn search_key(keys: &str) -> SearchKey<'static> {
    match command(&format!("t SEARCH CHARSET UTF-8 {}", literalize(keys))) {
        CommandBody::Search { criteria, .. } => {
            let mut v = criteria.into_inner();
            if v.len() == 1 {
                v.remove(0)
            } else {
                SearchKey::And(Vec1::try_from(v).expect("keys"))
            }
        }
        other => panic!("{other:?}"),
    }
}

/// A mailbox of (raw, flags, internal date, recent).
pub(super) struct Mailbox {
    pub(super) raws: Vec<Vec<u8>>,
    pub(super) metas: Vec<MessageMeta>,
    pub(super) recent: Vec<bool>,
}

impl Mailbox {
    pub(super) fn new(msgs: &[(&str, &[&str], i64, bool)]) -> Mailbox {
        let raws: Vec<Vec<u8>> = msgs
            .iter()
            .map(|m| m.0.replace('\n', "\r\n").into_bytes())
            .collect();
        let metas = msgs
            .iter()
            .zip(&raws)
            .enumerate()
            .map(|(i, (m, raw))| meta(10 * (i as u32 + 1), raw, m.1, m.2))
            .collect();
        Mailbox {
            raws,
            metas,
            recent: msgs.iter().map(|m| m.3).collect(),
        }
    }

    pub(super) fn views(&self) -> Vec<MessageView<'_>> {
        (0..self.raws.len())
            .map(|i| MessageView {
                seq: i as u32 + 1,
                meta: &self.metas[i],
                raw: &self.raws[i],
                recent: self.recent[i],
            })
            .collect()
    }

    fn search(&self, keys: &str) -> Vec<u32> {
        let key = search_key(keys);
        let ctx = SearchContext {
            max_seq: self.raws.len() as u32,
            max_uid: self.metas.last().map_or(0, |m| m.uid),
        };
        self.views()
            .iter()
            .filter(|v| matches(&key, v, &ctx).expect("search"))
            .map(|v| v.seq)
            .collect()
    }
}

const DAY: i64 = 86_400;
const T0: i64 = 1_763_856_000; // 2025-11-23 00:00:00 UTC

fn corpus() -> Mailbox {
    Mailbox::new(&[
        (
            "From: =?utf-8?q?Dr_=C3=89lodie_M=C3=BCller?= <elodie.muller@medecin.mssante.example>\n\
             To: Patient <123@patient.mssante.example>\n\
             Subject: =?utf-8?q?R=C3=A9sultats_d=27analyse?=\n\
             Date: Sat, 22 Nov 2025 23:30:00 -0500\n\
             Message-ID: <a@x>\n\
             Content-Type: text/plain; charset=utf-8\n\
             Content-Transfer-Encoding: quoted-printable\n\
             \n\
             Votre h=C3=A9moglobine est normale. =C3=89TAT stable.\n",
            &["\\Seen", "$Important"],
            T0 + 3600,
            false,
        ),
        (
            "From: pharmacie@officine.mssante.example\n\
             To: 123@patient.mssante.example\n\
             Cc: Dr House <house@medecin.mssante.example>\n\
             Subject: Re: Ordonnance\n\
             Date: Mon, 24 Nov 2025 08:00:00 +0100\n\
             X-Priority: 1 (Highest)\n\
             \n\
             Ordonnance prete.\n",
            &["\\Answered", "\\Flagged"],
            T0 + DAY + 10,
            true,
        ),
        (
            "From: labo@app.mssante.example\n\
             Subject: CR\n\
             Content-Type: multipart/mixed; boundary=b\n\
             \n\
             --b\n\
             Content-Type: text/plain; charset=iso-8859-1\n\
             Content-Transfer-Encoding: base64\n\
             \n\
             Q29tcHRlIHJlbmR1IGQn6WNob2dyYXBoaWU=\n\
             --b--\n",
            &["\\Deleted", "\\Draft"],
            T0 + 2 * DAY,
            true,
        ),
    ])
}

/// Every key; the header, body and SENT* answers were checked against Dovecot 2.3.19 on the
/// same three messages.
#[test]
fn search_keys_table() {
    let mb = corpus();
    let cases: &[(&str, &[u32])] = &[
        ("ALL", &[1, 2, 3]),
        ("SEEN", &[1]),
        ("UNSEEN", &[2, 3]),
        ("ANSWERED", &[2]),
        ("UNANSWERED", &[1, 3]),
        ("FLAGGED", &[2]),
        ("DELETED", &[3]),
        ("UNDELETED", &[1, 2]),
        ("DRAFT", &[3]),
        ("UNDRAFT", &[1, 2]),
        ("KEYWORD $important", &[1]),
        ("UNKEYWORD $Important", &[2, 3]),
        ("RECENT", &[2, 3]),
        ("OLD", &[1]),
        ("NEW", &[2, 3]),
        ("1:2", &[1, 2]),
        ("2:*", &[2, 3]),
        ("*", &[3]),
        ("5:*", &[3]),
        ("3:1", &[1, 2, 3]),
        ("UID 20", &[2]),
        ("UID 25:*", &[3]),
        ("UID 1:15,30", &[1, 3]),
        ("NOT 2", &[1, 3]),
        ("OR 1 3", &[1, 3]),
        ("OR SEEN NOT DELETED", &[1, 2]),
        ("SEEN FLAGGED", &[]),
        ("(ANSWERED FLAGGED) OR 1 2", &[2]),
        // INTERNALDATE, UTC date.
        ("ON 23-Nov-2025", &[1]),
        ("BEFORE 24-Nov-2025", &[1]),
        ("SINCE 24-Nov-2025", &[2, 3]),
        // Date header, in its own zone: message 1 was sent on the 22nd (-0500). Message 3 has
        // no Date: it counts as sent on 1970-01-01, as in Dovecot.
        ("SENTON 22-Nov-2025", &[1]),
        ("SENTBEFORE 23-Nov-2025", &[1, 3]),
        ("SENTSINCE 24-Nov-2025", &[2]),
        ("SENTON 1-Jan-1970", &[3]),
        ("LARGER 300", &[1]),
        ("SMALLER 260", &[2, 3]),
        // Headers: RFC 2047 decoded, case folded, non-ASCII.
        ("FROM \"élodie\"", &[1]),
        ("FROM \"ÉLODIE MÜLLER\"", &[1]),
        // "É" written decomposed (E + U+0301) still finds the precomposed one.
        ("FROM \"E\u{301}lodie\"", &[1]),
        ("FROM muller@MEDECIN", &[1]),
        ("FROM officine", &[2]),
        ("TO 123@patient", &[1, 2]),
        ("CC house", &[2]),
        ("BCC house", &[]),
        ("SUBJECT \"résultats d'analyse\"", &[1]),
        ("SUBJECT ordonnance", &[2]),
        ("HEADER X-Priority highest", &[2]),
        ("HEADER x-priority \"\"", &[2]),
        ("HEADER Message-ID \"\"", &[1]),
        // Bodies: transfer encoding and charset decoded.
        ("BODY \"hémoglobine\"", &[1]),
        ("BODY \"état STABLE\"", &[1]),
        ("BODY \"échographie\"", &[3]),
        ("BODY ordonnance", &[2]),
        ("TEXT ordonnance", &[2]),
        ("TEXT house", &[2]),
        ("TEXT \"échographie\"", &[3]),
        ("BODY absent", &[]),
        ("MODSEQ 120", &[2, 3]),
    ];
    for (keys, want) in cases {
        assert_eq!(mb.search(keys), *want, "SEARCH {keys}");
    }
    // The top-level list of a SEARCH command, evaluated with one parse.
    let ctx = SearchContext {
        max_seq: 3,
        max_uid: 30,
    };
    let criteria = [
        search_key("FROM officine"),
        search_key("BODY ordonnance"),
        search_key("2"),
    ];
    let hits: Vec<u32> = mb
        .views()
        .iter()
        .filter(|v| matches_all(&criteria, v, &ctx).expect("search"))
        .map(|v| v.seq)
        .collect();
    assert_eq!(hits, [2]);
}

#[test]
fn charset_check() {
    use imap_codec::imap_types::core::{Atom, Charset};
    assert_eq!(check_charset(None), Ok(()));
    for ok in ["UTF-8", "utf-8", "US-ASCII"] {
        let c = Charset::Atom(Atom::try_from(ok).expect("atom"));
        assert_eq!(check_charset(Some(&c)), Ok(()), "{ok}");
    }
    let c = Charset::Atom(Atom::try_from("ISO-8859-1").expect("atom"));
    assert_eq!(check_charset(Some(&c)), Err(SearchError::BadCharset));
}

#[test]
fn only_content_keys_need_the_blob() {
    assert!(!key_needs_raw(&search_key(
        "SEEN UID 1:* LARGER 10 SINCE 1-Jan-2020"
    )));
    assert!(key_needs_raw(&search_key("OR SEEN SUBJECT x")));
    assert!(key_needs_raw(&search_key("NOT BODY x")));
}

mod order;
