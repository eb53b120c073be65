#!/usr/bin/env python3
"""IMAP compliance checks on the wire, the way an independent compliance suite probes a server.

A raw TLS client (no IMAP library between us and the octets) loads messages with APPEND, then
compares exact responses with what RFC 3501 / RFC 9051 and their extensions require: FETCH
sections of nested and odd MIME, ENVELOPE encoding, SEARCH on address fields, SORT, THREAD,
sequence-number bookkeeping across two sessions (also pipelined), COPY/MOVE with UIDPLUS codes,
CREATE of nested names, subscriptions, keywords announced in FLAGS, \Recent in one session
only. Prints one JSON object {"failures": [...], "checks": N}; exit code 0.

  imap_compliance.py --imaps P --cafile CA --user U --password PW
"""
import argparse
import json
import re

from imap_compliance_data import (  # beside this script, on sys.path
    ADDRESSES,
    ATTACHMENT,
    DIGEST_IN_RFC822,
    ENVELOPES,
    MIXED_WITH_RFC822,
    SORT_SUBJECTS,
)
from imap_compliance_lib import (  # noqa: F401
    COUNT,
    FAIL,
    Client,
    check,
    crlf,
    fresh,
    section,
    status,
    untagged,
)
from imap_compliance_sessions import recent_and_keywords, stress_state, two_sessions


def fetch_sections(c):
    fresh(c, "cmp-mime", [crlf(MIXED_WITH_RFC822), crlf(DIGEST_IN_RFC822)])
    want = {
        "1": "hello\n",
        "1.MIME": "Content-Type: text/x-myown; charset=us-ascii\n\n",
        "2.MIME": "Content-Type: message/rfc822\n\n",
        "2.HEADER.FIELDS (from subject X-foo)": "From: sub@domain.org\nSubject: submsg\n\n",
        "2.HEADER.FIELDS.NOT (from subject X-foo)": "Date: Sun, 12 Aug 2012 12:34:56 +0300\n"
        'Content-Type: multipart/alternative; boundary="sub1"\n\n',
        "2.1": "<p>Hello world</p>\n",
        "2.2.MIME": "Content-Type: text/plain\n\n",
        "2.TEXT": "Sub MIME prologue\n--sub1\nContent-Type: text/html\n\n<p>Hello world</p>\n\n"
        "--sub1\nContent-Type: text/plain\n\nHello another world\n\n--sub1--\nSub MIME epilogue\n",
    }
    for spec, text in want.items():
        got = section(c, 1, spec)
        check(f"BODY[{spec}] of a mixed message", got == crlf(text), got)
    # The text of an encapsulated multipart runs to the end of the part: epilogue included.
    want3 = {
        "1.TEXT": DIGEST_IN_RFC822.split("boundary=\"foo\"\n\n", 1)[1],
        "1.1": "From: m1@example.com\nSubject: m1\n\nm1 body\n",
        "1.1.MIME": "\n",
        "1.2.MIME": "X-Mime: m2 header\n\n",
        "1.2.TEXT": "m2 body\n",
    }
    for spec, text in want3.items():
        got = section(c, 2, spec)
        check(f"BODY[{spec}] of a digest in message/rfc822", got == crlf(text), got)
    lines = c.cmd("FETCH 1 BODY")
    got = lines[0].decode().lower()
    # A boundary folded over two lines; text without charset is us-ascii (RFC 2045 §5.2).
    check("BODY of a folded boundary", got.startswith(
        '* 1 fetch (body (("text" "x-myown" ("charset" "us-ascii") nil nil "7bit" 7 1)'
        '("message" "rfc822" nil nil nil "7bit" ') and got.endswith(' "mixed"))'), got)
    c.cmd("APPEND cmp-mime ()", crlf(ATTACHMENT))
    lines = c.cmd("FETCH 3 BODYSTRUCTURE")
    got = lines[0].decode()
    for expected in [
        '("name" "=?UTF-8?Q?r=C3=A9sultat.pdf?=")',
        '"<cid@x>" "=?UTF-8?Q?d=C3=A9scription?=" "quoted-printable" 9 0 '
        '"Q2hlY2sgSW50ZWdyaXR5IQ==" ("inline" NIL) ("fr") NIL)',
        '"mixed" ("boundary" "XX") NIL ("fr" "en") "http://x/y")',
    ]:
        check("BODYSTRUCTURE " + expected, expected in got, got)
    # TEXT is "header or body": the headers of an attached message are in the body octets.
    for query, want in [("TEXT submsg", [b"* SEARCH 1 2"]), ("BODY submsg", [b"* SEARCH"]),
                        ('BODY "Hello another"', [b"* SEARCH 1"])]:
        lines = c.cmd("SEARCH " + query)
        check("SEARCH " + query, untagged(lines, b"SEARCH") == want, lines)
    lines = c.cmd("FETCH 1 (BODY.PEEK[TEXT]<5.7> BODY.PEEK[]<100000.3>)")
    check("partial fetch", b"BODY[TEXT]<5> {7}\r\nMIME pr" in lines[0], lines)
    check("partial beyond the end is empty", b"BODY[]<100000> {0}" in lines[0], lines)


def envelopes(c):
    fresh(c, "cmp-env", [crlf(m) for m in ENVELOPES])
    lines = c.cmd("FETCH 1:* ENVELOPE")
    got = b"\n".join(untagged(lines, b"FETCH")).decode(errors="replace")
    for expected in [
        # An obsolete source route goes in the at-domain-list (RFC 3501 §7.4.2).
        '((NIL "@route" "user" "domain"))',
        # A trailing comment names the address; empty Sender/Reply-To take From.
        '(("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) '
        '(("Real Name" NIL "user" "domain"))',
        # Group syntax: start and end markers.
        '((NIL NIL "group" NIL)(NIL NIL "g1" "d1.org")(NIL NIL "g2" "d2.org")(NIL NIL NIL NIL)'
        '(NIL NIL "group2" NIL)(NIL NIL "g3" "d3.org")(NIL NIL NIL NIL))',
        # Encoded words are sent as written, quoted specials escaped.
        '"=?ISO-8859-1?Q?caf=E9?= \\"quoted\\" back\\\\slash"',
        '("=?UTF-8?B?w6lsw6k=?=" NIL "e" "x.org")',
    ]:
        check("ENVELOPE " + expected, expected in got, got)


def search_addresses(c):
    fresh(c, "cmp-addr", [crlf(m) for m in ADDRESSES])
    for query, want in [
        ("FROM user-from@domain.org", "1 2 3 4"),
        ("FROM realfrom", "2 4"),
        ("FROM ealfro", "2 4"),
        ("TO groupname2", "6"),
        ("TO groupuser3", "6"),
        ("TO groupuser4", ""),
        ('HEADER CC ""', "1 2 3 4 5"),
        ("CC user-cc@domain.org", "1 2 3 4 5"),
        ("SUBJECT NIL", ""),
    ]:
        lines = c.cmd("SEARCH " + query)
        found = untagged(lines, b"SEARCH")
        got = found[0].decode()[len("* SEARCH") :].split() if found else None
        check("SEARCH " + query, got == want.split() and status(lines) == "OK", lines)


def search_sets_and_sort(c):
    fresh(c, "cmp-sort", [crlf(s) for s in SORT_SUBJECTS])
    for query, want in [
        ("(SUBJECT)", "9 1 3 5 6 2 7 8 4"),
        ("(REVERSE SUBJECT)", "4 8 2 7 6 3 5 1 9"),
        ("(SUBJECT REVERSE SIZE)", "9 1 5 3 6 7 2 8 4"),
    ]:
        lines = c.cmd(f"SORT {query} US-ASCII ALL")
        got = untagged(lines, b"SORT")
        check("SORT " + query, got == [b"* SORT " + want.encode()], lines)
    c.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)")
    c.cmd("EXPUNGE")
    uids = untagged(c.cmd("UID SEARCH ALL"), b"SEARCH")[0].split()[2:]
    for query, want in [
        ("4:2", "2 3 4"),
        (f"UID {uids[0].decode()}:{uids[2].decode()}", "1 2 3"),
        ("*:6", "6 7 8"),
        ("1,4,*", "1 4 8"),
        ("NOT 2:7", "1 8"),
    ]:
        lines = c.cmd("SEARCH " + query)
        got = untagged(lines, b"SEARCH")
        check("SEARCH " + query, got == [b"* SEARCH " + want.encode()], lines)


def thread(c):
    ids = [
        ("<1@x>", "", "first", "10:00"),
        ("<2@x>", "<1@x>", "Re: first", "11:00"),
        ("<3@x>", "<1@x> <2@x>", "Re: first", "12:00"),
        ("<4@x>", "<1@x>", "Re: first", "09:30"),
        ("<5@x>", "", "other", "08:00"),
        ("<6@x>", "<gone@x>", "orphan", "13:00"),
        ("<7@x>", "<gone@x>", "orphan2", "14:00"),
    ]
    msgs = []
    for mid, refs, subject, hour in ids:
        refs = f"References: {refs}\n" if refs else ""
        msgs.append(crlf(f"Message-ID: {mid}\n{refs}Subject: {subject}\n"
                         f"Date: Mon, 1 Jan 2024 {hour}:00 +0000\n\nx\n"))
    msgs.append(crlf("Subject: Re: other\nDate: Mon, 1 Jan 2024 15:00:00 +0000\n\nx\n"))
    fresh(c, "cmp-thread", msgs)
    lines = c.cmd("THREAD REFERENCES UTF-8 ALL")
    # RFC 5256 §4: children by date, a dummy parent for the two replies to a lost message,
    # "Re: other" joined to "other" by base subject.
    check("THREAD REFERENCES", untagged(lines, b"THREAD") ==
          [b"* THREAD (5 8)(1 (4)(2 3))((6)(7))"], lines)
    c.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)")
    c.cmd("EXPUNGE")
    lines = c.cmd("THREAD REFERENCES UTF-8 ALL")
    check("THREAD after EXPUNGE", untagged(lines, b"THREAD") ==
          [b"* THREAD (4 7)(1 (3)(2))((5)(6))"], lines)


def copy_move(c):
    fresh(c, "cmp-dst", [])
    fresh(c, "cmp-src", [crlf(f"Subject: c{i}\n\nx\n") for i in range(1, 4)])
    c.cmd("STORE 1 FLAGS (\\Seen $Label1)")
    dst = c.cmd("STATUS cmp-dst (UIDVALIDITY UIDNEXT)")[0].decode()
    validity = re.search(r"UIDVALIDITY (\d+)", dst).group(1)
    lines = c.cmd("COPY 1:2 cmp-dst")
    check("COPYUID", re.search(rf"\[COPYUID {validity} 1:2 1:2\]|\[COPYUID {validity} 1,2 1,2\]",
                               lines[-1].decode()), lines)
    lines = c.cmd("MOVE 1 cmp-dst")
    text = b"\n".join(lines).decode()
    check("MOVE: untagged COPYUID then EXPUNGE",
          re.search(rf"\* OK \[COPYUID {validity} 1 3\].*\n\* 1 EXPUNGE", text), text)
    lines = c.cmd("UID MOVE 99 cmp-dst")
    check("UID MOVE of nothing is OK", status(lines) == "OK", lines)
    lines = c.cmd("COPY 1 cmp-nowhere")
    check("COPY to a missing mailbox: TRYCREATE", b"[TRYCREATE]" in lines[-1], lines)
    c.cmd("SELECT cmp-dst")
    lines = c.cmd("FETCH 1 FLAGS")
    check("COPY keeps flags and keywords", b"\\Seen" in lines[0] and b"$Label1" in lines[0], lines)


def mailboxes(c):
    for name in ["cmp-a/b/c", "cmp-a/b", "cmp-a", "cmp-t/x", "cmp-t"]:
        c.cmd(f"DELETE {name}")
    lines = c.cmd("CREATE cmp-a/b/c")
    check("CREATE a nested name", status(lines) == "OK", lines)
    lines = c.cmd('LIST "" cmp-a*')
    # RFC 9051 §6.3.4: the superiors are created too, as real mailboxes.
    check("superiors created", lines[:3] == [
        b'* LIST (\\HasChildren) "/" cmp-a', b'* LIST (\\HasChildren) "/" cmp-a/b',
        b'* LIST (\\HasNoChildren) "/" cmp-a/b/c'], lines)
    check("superior selectable", status(c.cmd("EXAMINE cmp-a/b")) == "OK")
    lines = c.cmd("CREATE cmp-t/")
    check("CREATE with a trailing separator", status(lines) == "OK", lines)
    lines = c.cmd('LIST "" cmp-t')
    check("trailing separator dropped", b'* LIST (\\HasNoChildren) "/" cmp-t' in lines, lines)
    lines = c.cmd('LSUB "" cmp-*')
    check("CREATE does not subscribe", not untagged(lines, b"LSUB"), lines)
    c.cmd("SUBSCRIBE cmp-a/b/c")
    lines = c.cmd('LSUB "" cmp-a/*')
    check("LSUB lists subscribed names only",
          untagged(lines, b"LSUB") == [b'* LSUB () "/" cmp-a/b/c'], lines)
    lines = c.cmd('LSUB "" cmp-a/%')
    # RFC 3501 §6.3.9: an unsubscribed superior of a subscribed name matched by % is
    # returned with \Noselect.
    check("LSUB % returns \\Noselect superiors",
          untagged(lines, b"LSUB") == [b'* LSUB (\\Noselect) "/" cmp-a/b'], lines)
    c.cmd("UNSUBSCRIBE cmp-a/b/c")
    # RFC 9051 §6.3.7: DELETE does not remove the subscription; LSUB shows the name \Noselect,
    # LIST (SUBSCRIBED) \NonExistent, plain LIST nothing; CREATE again finds it subscribed.
    c.cmd("CREATE cmp-gone")
    c.cmd("SUBSCRIBE cmp-gone")
    c.cmd("DELETE cmp-gone")
    lines = c.cmd('LSUB "" cmp-gone')
    check("deleted mailbox stays subscribed",
          untagged(lines, b"LSUB") == [b'* LSUB (\\Noselect) "/" cmp-gone'], lines)
    lines = c.cmd('LIST (SUBSCRIBED) "" cmp-gone')
    check("kept subscription is \\NonExistent",
          untagged(lines, b"LIST") == [b'* LIST (\\NonExistent \\HasNoChildren \\Subscribed) "/" cmp-gone'],
          lines)
    check("plain LIST hides it", not untagged(c.cmd('LIST "" cmp-gone'), b"LIST"))
    c.cmd("CREATE cmp-gone")
    lines = c.cmd('LSUB "" cmp-gone')
    check("recreated mailbox subscribed again",
          untagged(lines, b"LSUB") == [b'* LSUB () "/" cmp-gone'], lines)
    c.cmd("DELETE cmp-gone")
    check("UNSUBSCRIBE of a kept name", status(c.cmd("UNSUBSCRIBE cmp-gone")) == "OK")
    check("then it is gone", not untagged(c.cmd('LSUB "" cmp-gone'), b"LSUB"))
    lines = c.cmd('LIST "" ""')
    check("LIST reference root", lines[0] == b'* LIST (\\Noselect) "/" ""', lines)


def binary(c):
    """RFC 3516: BINARY decodes the transfer encoding; decoded content goes as a literal8 (as
    Dovecot), a part stored as is as a plain literal; a partial answer names its origin."""
    with_nul = crlf("Subject: nul\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=z\n"
                    "\n--z\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
                    "aGVsbG8gd29ybGQ=\n--z\nContent-Type: application/octet-stream\n"
                    "Content-Transfer-Encoding: base64\n\nYWIAY2Q=\n--z\nContent-Type: text/plain\n\n"
                    "plain\n--z--\n")
    fresh(c, "cmp-bin", [with_nul])
    lines = c.cmd("FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])")
    check("BINARY of base64 text is decoded",
          any(b"BINARY[1] ~{11}\r\nhello world" in l and b"BINARY.SIZE[1] 11" in l for l in lines),
          lines)
    lines = c.cmd("FETCH 1 (BINARY.PEEK[2])")
    check("BINARY with NUL is a literal8", any(b"BINARY[2] ~{5}\r\nab\x00cd" in l for l in lines),
          lines)
    lines = c.cmd("FETCH 1 (BINARY.PEEK[1]<6.10>)")
    check("partial BINARY has its origin", any(b"BINARY[1]<6> ~{5}\r\nworld" in l for l in lines),
          lines)
    lines = c.cmd("FETCH 1 (BINARY.PEEK[3])")
    check("BINARY of a part stored as is is a plain literal",
          any(b"BINARY[3] {5}\r\nplain" in l for l in lines), lines)


def condstore_enabling(args, c):
    """RFC 7162 §3.1: FETCH MODSEQ is a CONDSTORE enabling command: in a selected mailbox it
    brings `* OK [HIGHESTMODSEQ n]`, and later untagged FETCHes carry MODSEQ."""
    fresh(c, "cmp-cs", [crlf(f"Subject: cs{i}\n\nx\n") for i in range(1, 4)])
    d = Client(args)
    d.cmd("SELECT cmp-cs")
    lines = d.cmd("FETCH 1 (MODSEQ)")
    check("FETCH MODSEQ enables CONDSTORE",
          any(l.startswith(b"* OK [HIGHESTMODSEQ ") for l in lines), lines)
    lines = d.cmd("FETCH 1 (MODSEQ)")
    check("HIGHESTMODSEQ only once", not any(b"HIGHESTMODSEQ" in l for l in lines), lines)
    lines = d.cmd("STORE 2 +FLAGS (\\Seen)")
    check("STORE echo carries MODSEQ after enabling",
          any(b"MODSEQ (" in l for l in untagged(lines, b"FETCH")), lines)
    d.cmd("LOGOUT")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imaps", type=int, required=True)
    ap.add_argument("--cafile", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    args = ap.parse_args()
    c = Client(args)
    for step in [fetch_sections, envelopes, search_addresses, search_sets_and_sort, thread,
                 copy_move, mailboxes, binary]:
        try:
            step(c)
        except Exception as e:  # a crash is a failure of that step, not of the run
            FAIL.append(f"{step.__name__}: {type(e).__name__}: {e}")
    for step in [two_sessions, recent_and_keywords, stress_state, condstore_enabling]:
        try:
            step(args, c)
        except Exception as e:
            FAIL.append(f"{step.__name__}: {type(e).__name__}: {e}")
    print(json.dumps({"failures": FAIL, "checks": COUNT[0]}))


if __name__ == "__main__":
    main()
