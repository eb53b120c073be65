//! SORT (RFC 5256 §3) and THREAD=REFERENCES (RFC 5256 §4) tests.

use imap_codec::ResponseCodec;
use imap_codec::encode::Encoder;
use imap_codec::imap_types::command::CommandBody;
use imap_codec::imap_types::response::{Data, Response};
use store::message::MessageMeta;

use super::{Mailbox, command};
use crate::fetch::testkit::meta;
use crate::search::{sort, thread_references};

fn sorted(mb: &Mailbox, criteria: &str) -> Vec<u32> {
    let crit = match command(&format!("t SORT {criteria} UTF-8 ALL")) {
        CommandBody::Sort { sort_criteria, .. } => sort_criteria.into_inner(),
        other => panic!("{other:?}"),
    };
    let views = mb.views();
    sort(&crit, &views)
        .into_iter()
        .map(|i| views[i].seq)
        .collect()
}

#[test]
fn sort_table() {
    let mb = Mailbox::new(&[
        (
            "From: b@x\nTo: z@x\nSubject: Re: beta\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n\nx\n",
            &[],
            300,
            false,
        ),
        (
            "From: A@x\nTo: y@x\nCc: c@x\nSubject: alpha\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nxxxx\n",
            &[],
            100,
            false,
        ),
        (
            "From: c@x\nSubject: [list] Fwd: Beta (fwd)\n\nxx\n",
            &[],
            200,
            false,
        ),
        (
            "From: a@x\nTo: y@x\nSubject: gamma\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n\nx\n",
            &[],
            50,
            false,
        ),
    ]);
    let cases: &[(&str, &[u32])] = &[
        ("(ARRIVAL)", &[4, 2, 3, 1]),
        ("(REVERSE ARRIVAL)", &[1, 3, 2, 4]),
        // Message 3 has no Date: its internal date (200 s after the epoch) sorts first.
        ("(DATE)", &[3, 2, 1, 4]),
        ("(SUBJECT)", &[2, 1, 3, 4]),
        ("(SUBJECT REVERSE DATE)", &[2, 1, 3, 4]),
        ("(FROM)", &[2, 4, 1, 3]),
        ("(TO)", &[3, 2, 4, 1]),
        ("(CC)", &[1, 3, 4, 2]),
    ];
    for (criteria, want) in cases {
        assert_eq!(sorted(&mb, criteria), *want, "SORT {criteria}");
    }
    let mut by_size: Vec<(u64, u32)> = mb.metas.iter().zip(1..).map(|(m, s)| (m.size, s)).collect();
    by_size.sort();
    let want: Vec<u32> = by_size.iter().map(|x| x.1).collect();
    assert_eq!(sorted(&mb, "(SIZE)"), want);
    let reversed: Vec<u32> = want.iter().rev().copied().collect();
    assert_eq!(sorted(&mb, "(REVERSE SIZE)"), reversed);
}

fn threads_wire(mb: &Mailbox, uid: bool) -> String {
    let t = thread_references(&mb.views(), uid);
    let resp = Response::Data(Data::Thread(t));
    String::from_utf8_lossy(&ResponseCodec::default().encode(&resp).dump()).into_owned()
}

/// The RFC 5256 §4 example response, `(2)(3 6 (4 23)(44 7 96))`, rebuilt from messages whose
/// UIDs are those numbers, plus the dummy example `((3)(5))`.
#[test]
fn thread_rfc5256_example() {
    let msg = |id: &str, refs: &str, subject: &str, day: u32| {
        format!(
            "Message-ID: <{id}@x>\n{refs}Subject: {subject}\nDate: {day} Jan 2024 10:00:00 +0000\n\nbody\n"
        )
    };
    let spec = [
        (2, msg("2", "", "lonely", 1)),
        (3, msg("3", "", "topic", 2)),
        (6, msg("6", "In-Reply-To: <3@x>\n", "Re: topic", 3)),
        (4, msg("4", "References: <3@x> <6@x>\n", "Re: topic", 4)),
        (
            23,
            msg("23", "References: <3@x> <6@x> <4@x>\n", "Re: topic", 5),
        ),
        (44, msg("44", "References: <3@x> <6@x>\n", "Re: topic", 6)),
        (
            7,
            msg("7", "References: <3@x> <6@x> <44@x>\n", "Re: topic", 7),
        ),
        (
            96,
            msg("96", "References: <6@x> <44@x> <7@x>\n", "Re: topic", 8),
        ),
    ];
    let raws: Vec<Vec<u8>> = spec
        .iter()
        .map(|(_, m)| m.replace('\n', "\r\n").into_bytes())
        .collect();
    let metas: Vec<MessageMeta> = spec
        .iter()
        .zip(&raws)
        .map(|((uid, _), raw)| meta(*uid, raw, &[], 0))
        .collect();
    let mb = Mailbox {
        raws,
        metas,
        recent: vec![false; spec.len()],
    };
    assert_eq!(
        threads_wire(&mb, true),
        "* THREAD (2)(3 6 (4 23)(44 7 96))\r\n"
    );
    assert_eq!(
        threads_wire(&mb, false),
        "* THREAD (1)(2 3 (4 5)(6 7 8))\r\n"
    );

    // Two answers to a message we do not have: a dummy root with two children.
    let mb = Mailbox::new(&[
        (&msg("a", "", "one", 1), &[], 0, false),
        (
            &msg("b", "In-Reply-To: <gone@x>\n", "Re: two", 2),
            &[],
            0,
            false,
        ),
        (
            &msg("c", "References: <gone@x>\n", "Re: two", 3),
            &[],
            0,
            false,
        ),
    ]);
    assert_eq!(threads_wire(&mb, false), "* THREAD (1)((2)(3))\r\n");
}

/// Subject grouping, a reference loop, a duplicate and a missing Message-ID, and a subject
/// with a list tag; the expected answer is Dovecot 2.3.19's on the same messages.
#[test]
fn thread_subject_grouping_and_loops_like_dovecot() {
    let m = |text: &'static str, internal: i64| (text, &[][..], internal, false);
    let mb = Mailbox::new(&[
        m(
            "Message-ID: <1@x>\nSubject: Ordonnance\nDate: 1 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        m(
            "Message-ID: <2@x>\nSubject: Re: Ordonnance\nDate: 2 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        m(
            "Message-ID: <3@x>\nSubject: Bilan\nDate: 3 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        m(
            "Message-ID: <4@x>\nSubject: Bilan\nDate: 4 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        m(
            "Message-ID: <5@x>\nReferences: <6@x>\nSubject: loop\nDate: 5 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        m(
            "Message-ID: <6@x>\nReferences: <5@x>\nSubject: Re: loop\nDate: 6 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        m(
            "Message-ID: <1@x>\nSubject: dup\nDate: 7 Jan 2024 10:00:00 +0000\n\nx\n",
            0,
        ),
        // No Date: the internal date (later than all the others) is used.
        m("Subject: no id\n\nx\n", 2_000_000_000),
        m(
            "Message-ID: <a@x>\nSubject: one\nDate: 8 Jan 2024 10:00:00 +0000\n\nbody\n",
            0,
        ),
        m(
            "Message-ID: <b@x>\nIn-Reply-To: <gone@x>\nSubject: Re: two\nDate: 9 Jan 2024 10:00:00 +0000\n\nbody\n",
            0,
        ),
        m(
            "Message-ID: <c@x>\nReferences: <gone@x>\nSubject: Re: two\nDate: 10 Jan 2024 10:00:00 +0000\n\nbody\n",
            0,
        ),
        m(
            "Message-ID: <d@x>\nSubject: [list] Re: Ordonnance\nDate: 11 Jan 2024 10:00:00 +0000\n\nbody\n",
            0,
        ),
    ]);
    assert_eq!(
        threads_wire(&mb, false),
        "* THREAD (1 (2)(12))((3)(4))(6 5)(7)(9)((10)(11))(8)\r\n"
    );
}

/// A hostile reply tree (each message answered twice, 3,000 levels deep) must neither
/// overflow the stack nor lose a message.
#[test]
fn thread_deep_tree_keeps_every_message() {
    let n = 3_000u32;
    let texts: Vec<String> = (1..=n)
        .map(|i| {
            let parent = if i > 2 {
                format!("In-Reply-To: <{}@x>\n", (i - 1) / 2 * 2 - 1)
            } else {
                String::new()
            };
            format!("Message-ID: <{i}@x>\n{parent}Subject: s{i}\n\nx\n")
        })
        .collect();
    let specs: Vec<(&str, &[&str], i64, bool)> = texts
        .iter()
        .map(|t| (t.as_str(), &[][..], 0, false))
        .collect();
    let mb = Mailbox::new(&specs);
    let wire = threads_wire(&mb, false);
    let mut seen: Vec<u32> = wire
        .trim_start_matches("* THREAD ")
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|t| t.parse().ok())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=n).collect::<Vec<_>>());
}
