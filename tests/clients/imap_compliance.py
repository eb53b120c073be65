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
import socket
import ssl

import imap_compliance_stress
from imap_compliance_data import (  # beside this script, on sys.path
    ADDRESSES,
    ATTACHMENT,
    DIGEST_IN_RFC822,
    ENVELOPES,
    MIXED_WITH_RFC822,
    SORT_SUBJECTS,
)

FAIL = []
COUNT = [0]


def check(name, cond, detail=""):
    COUNT[0] += 1
    if not cond:
        FAIL.append(f"{name}: {detail}")


class Client:
    """One IMAP session: sends tagged commands, returns every line up to the tagged one, each
    line with its literals inline (so a FETCH response is one bytes value)."""

    def __init__(self, args):
        ctx = ssl.create_default_context(cafile=args.cafile)
        ctx.check_hostname = False
        raw = socket.create_connection(("127.0.0.1", args.imaps), timeout=20)
        self.sock = ctx.wrap_socket(raw, server_hostname="mx.mssante.example")
        self.buf = b""
        self.n = 0
        self.line()  # greeting
        done = self.cmd(f'LOGIN "{args.user}" "{args.password}"')
        if not done[-1].split()[1] == b"OK":
            raise SystemExit(f"login failed: {done}")

    def line(self):
        while b"\r\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError(self.buf)
            self.buf += data
        head, self.buf = self.buf.split(b"\r\n", 1)
        m = re.search(rb"\{(\d+)\+?\}$", head)
        if not m:
            return head
        size = int(m.group(1))
        while len(self.buf) < size:
            self.buf += self.sock.recv(65536)
        lit, self.buf = self.buf[:size], self.buf[size:]
        return head + b"\r\n" + lit + self.line()

    def send(self, data):
        self.sock.sendall(data)

    def cmd(self, command, literal=None):
        self.n += 1
        tag = b"C%d" % self.n
        if isinstance(command, str):
            command = command.encode()
        if literal is None:
            self.send(tag + b" " + command + b"\r\n")
        else:
            self.send(tag + b" " + command + b" {%d+}\r\n" % len(literal) + literal + b"\r\n")
        out = []
        while True:
            line = self.line()
            out.append(line)
            if line.startswith(tag + b" "):
                return out

    def until(self, tag):
        """Reads lines up to the tagged reply `tag` (for pipelined commands)."""
        out = []
        while True:
            line = self.line()
            out.append(line)
            if line.startswith(tag + b" "):
                return out


def status(lines):
    return lines[-1].split(b" ")[1].decode()


def untagged(lines, word):
    return [l for l in lines if l.startswith(b"* ") and word in l.split(b" ")[:3]]


def after_expunges(numbers, lines):
    """Applies the EXPUNGE responses in `lines` to the list of message numbers `numbers`: any
    order the server chose is fine as long as each number is right when it is sent."""
    left = list(numbers)
    for l in untagged(lines, b"EXPUNGE"):
        n = int(l.split()[1])
        if not 1 <= n <= len(left):
            return None
        del left[n - 1]
    return left


def seqs_of(lines):
    """The distinct message numbers in the FETCH responses of `lines`."""
    return {int(l.split()[1]) for l in untagged(lines, b"FETCH")}


def crlf(text):
    return text.replace("\n", "\r\n").encode()


def fresh(c, name, messages):
    c.cmd(f"DELETE {name}")
    c.cmd(f"CREATE {name}")
    for m in messages:
        c.cmd(f"APPEND {name} ()", m)
    return c.cmd(f"SELECT {name}")


def section(c, seq, spec):
    """The octets of BODY[spec] of message `seq`."""
    lines = c.cmd(f"FETCH {seq} BODY.PEEK[{spec}]")
    for l in lines:
        m = re.match(rb"\* \d+ FETCH \(BODY\[[^\]]*\](?:<\d+>)? \{(\d+)\}\r\n", l)
        if m:
            start = m.end()
            return l[start : start + int(m.group(1))]
    return None


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


def two_sessions(args, c):
    msgs = [crlf(f"Subject: m{i}\nMessage-ID: <m{i}@x>\n\nbody {i}\n") for i in range(1, 8)]
    fresh(c, "cmp-two", msgs)
    d = Client(args)
    d.cmd("SELECT cmp-two")
    # Session 1 expunges 1 and 3; session 2 still addresses by its old numbers, then learns.
    c.cmd("STORE 1,3 +FLAGS.SILENT (\\Deleted)")
    lines = c.cmd("EXPUNGE")
    left = [2, 4, 5, 6, 7]
    check("own EXPUNGE", after_expunges(range(1, 8), lines) == left, lines)
    lines = d.cmd("FETCH 2 UID")
    check("no EXPUNGE during FETCH", not untagged(lines, b"EXPUNGE"), lines)
    lines = d.cmd("NOOP")
    check("EXPUNGE reaches the other session", after_expunges(range(1, 8), lines) == left, lines)
    # Flags set by one session are echoed to the other (RFC 9051 §7.5.2 unilateral FETCH).
    c.cmd("STORE 1 +FLAGS.SILENT (\\Flagged)")
    lines = d.cmd("NOOP")
    check("flag change echoed", any(b"\\Flagged" in l for l in untagged(lines, b"FETCH")), lines)
    lines = c.cmd("STORE 2 +FLAGS.SILENT (\\Seen)")
    check(".SILENT sends no FETCH", not untagged(lines, b"FETCH"), lines)
    # Two sessions changing different flags of one message do not lose each other's change.
    c.cmd("STORE 3 +FLAGS.SILENT (\\Draft)")
    d.cmd("STORE 3 +FLAGS.SILENT (\\Answered)")
    c.cmd("CHECK")
    lines = d.cmd("FETCH 3 FLAGS")
    flags = b" ".join(untagged(lines, b"FETCH"))
    check("atomic flag updates", b"\\Draft" in flags and b"\\Answered" in flags, lines)
    # Pipelined: STORE, EXPUNGE, FETCH in one write; the FETCH sees the new numbering.
    c.send(b"P1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\nP2 EXPUNGE\r\nP3 FETCH 1:* UID\r\n")
    c.until(b"P1")
    lines = c.until(b"P2")
    check("pipelined EXPUNGE", untagged(lines, b"EXPUNGE") == [b"* 1 EXPUNGE"], lines)
    lines = c.until(b"P3")
    seqs = [int(l.split()[1]) for l in untagged(lines, b"FETCH")]
    check("pipelined FETCH after EXPUNGE", seqs == [1, 2, 3, 4], lines)
    lines = d.cmd("NOOP")
    check("other session catches up", untagged(lines, b"EXPUNGE") == [b"* 1 EXPUNGE"], lines)
    lines = d.cmd("FETCH 1:* UID")
    check("same numbering in both sessions", len(untagged(lines, b"FETCH")) == 4, lines)
    # A command of ours that changes nothing must not hide a change made meanwhile by the
    # other session (the store then answers the other session's MODSEQ).
    for noop_change in ["EXPUNGE", "STORE 1 +FLAGS (\\Flagged)", "UID EXPUNGE 1:*"]:
        c.cmd("STORE 1 +FLAGS.SILENT (\\Flagged)")
        before = len(seqs_of(d.cmd("FETCH 1:* UID")))
        c.cmd("APPEND cmp-two ()", crlf("Subject: meanwhile\n\nx\n"))
        d.cmd(noop_change)
        lines = d.cmd("NOOP")
        count = len(seqs_of(d.cmd("FETCH 1:* UID")))
        check(f"change seen after a no-op {noop_change}", count == before + 1, lines)
    c.cmd("NOOP")
    c.cmd("STORE 5:* +FLAGS.SILENT (\\Deleted)")
    c.cmd("EXPUNGE")
    d.cmd("NOOP")
    # New mail seen by both; a read-only EXAMINE refuses STORE.
    d.cmd("APPEND cmp-two ()", crlf("Subject: new\n\nx\n"))
    lines = c.cmd("NOOP")
    check("EXISTS reaches the other session", b"* 5 EXISTS" in lines, lines)
    lines = d.cmd("EXAMINE cmp-two")
    check("EXAMINE is read-only", b"[READ-ONLY]" in lines[-1], lines)
    lines = d.cmd("STORE 1 +FLAGS (\\Seen)")
    check("STORE refused in EXAMINE", status(lines) == "NO", lines)
    # RFC 3501 §7.2.6 FLAGS lists the flags that apply in the mailbox: a keyword must be
    # announced by an untagged FLAGS before a FETCH shows it, in both sessions (imaptest:
    # "Keyword used without being in FLAGS").
    lines = c.cmd("STORE 1 +FLAGS ($NewKeyword)")
    flags = [l for l in lines if l.startswith(b"* FLAGS ")]
    check("FLAGS announces a new keyword", flags and b"$NewKeyword" in flags[0] and
          lines.index(flags[0]) < lines.index(untagged(lines, b"FETCH")[0]), lines)
    lines = d.cmd("NOOP")
    flags = [l for l in lines if l.startswith(b"* FLAGS ")]
    check("FLAGS announced to the other session", flags and b"$NewKeyword" in flags[0] and
          lines.index(flags[0]) < lines.index(untagged(lines, b"FETCH")[0]), lines)
    lines = d.cmd("SELECT cmp-two")
    check("SELECT lists the keywords in use", b"$NewKeyword" in lines[0], lines)
    # imaptest: "\Recent flag for a message exists in only one session". Both sessions
    # have the mailbox selected when the message arrives.
    c.cmd("SELECT cmp-two")
    d.cmd("APPEND cmp-two ()", crlf("Subject: recent\n\nx\n"))
    c.cmd("NOOP")
    d.cmd("NOOP")
    in_c = b" ".join(untagged(c.cmd("FETCH * FLAGS"), b"FETCH"))
    in_d = b" ".join(untagged(d.cmd("FETCH * FLAGS"), b"FETCH"))
    check("\\Recent in one session only",
          (b"\\Recent" in in_c) != (b"\\Recent" in in_d), (in_c, in_d))
    # Once a session has been told of the new message, it is no longer recent for STATUS.
    lines = c.cmd("STATUS cmp-two (RECENT)")
    check("STATUS RECENT after a session took it", b"(RECENT 0)" in lines[0], lines)


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


def recent_and_keywords(args, c):
    """Two exchanges the stress found wrong, pinned down deterministically."""
    fresh(c, "cmp-rk", [crlf("Subject: old\n\nx\n")])
    d = Client(args)
    d.cmd("SELECT cmp-rk")
    c.cmd("UNSELECT")
    c.cmd("APPEND cmp-rk ()", crlf("Subject: new\n\nx\n"))
    # RFC 3501 §2.3.2: a read-only session sees \Recent without taking it away.
    e = Client(args)
    lines = e.cmd("EXAMINE cmp-rk")
    check("EXAMINE counts the recent message", b"* 1 RECENT" in lines, lines)
    lines = e.cmd("FETCH 2 FLAGS")
    check("EXAMINE shows it \\Recent", b"\\Recent" in lines[0], lines)
    e.cmd("LOGOUT")
    lines = d.cmd("NOOP")
    check("new message recent here", b"* 1 RECENT" in lines, lines)
    c.cmd("SELECT cmp-rk")
    c.cmd("STORE 2 +FLAGS.SILENT (\\Deleted)")
    c.cmd("EXPUNGE")
    # RFC 3501 §7.3.2: the size changed, and with it this session's recent count; imaptest's
    # checkpoint adds up the last RECENT of every session against the message count.
    lines = d.cmd("NOOP")
    check("RECENT follows an EXPUNGE of a recent message",
          lines[:2] == [b"* 2 EXPUNGE", b"* 0 RECENT"], lines)
    # A STORE that changes nothing reads the message afresh: a keyword another session set
    # meanwhile must be announced by FLAGS before the FETCH shows it.
    c.cmd("STORE 1 +FLAGS.SILENT (\\Seen $Fresh)")
    lines = d.cmd("STORE 1 +FLAGS (\\Seen)")
    flags = [l for l in lines if l.startswith(b"* FLAGS ")]
    fetches = untagged(lines, b"FETCH")
    check("STORE announces a keyword it shows", flags and fetches and b"$Fresh" in flags[0]
          and lines.index(flags[0]) < lines.index(fetches[0]), lines)
    d.cmd("LOGOUT")
    c.cmd("DELETE cmp-rk")


def stress_state(args, c):
    """Four sessions on one mailbox, pipelined and concurrent, every response checked
    against what each session knows (imaptest's stress-mode state checks, see
    imap_compliance_stress.py). A fixed seed: the same commands every run."""
    w = imap_compliance_stress.run(lambda: Client(args), crlf, "cmp-stress", seed=5)
    for e in w.errors[:20]:
        check("stress state", False, e)
    check("stress state: no error", not w.errors, f"{len(w.errors)} errors")
    # The run must have exercised what it judges.
    for what, least in [("appended", 20), ("expunged", 3), ("stores_checked", 10),
                        ("searches_checked", 5), ("fetches", 50), ("checkpoints", 4)]:
        check(f"stress exercised {what}", w.stats[what] >= least, w.stats)
    c.cmd("DELETE cmp-stress")
    c.cmd("DELETE cmp-stress-copy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imaps", type=int, required=True)
    ap.add_argument("--cafile", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    args = ap.parse_args()
    c = Client(args)
    for step in [fetch_sections, envelopes, search_addresses, search_sets_and_sort, thread,
                 copy_move, mailboxes]:
        try:
            step(c)
        except Exception as e:  # a crash is a failure of that step, not of the run
            FAIL.append(f"{step.__name__}: {type(e).__name__}: {e}")
    for step in [two_sessions, recent_and_keywords, stress_state]:
        try:
            step(args, c)
        except Exception as e:
            FAIL.append(f"{step.__name__}: {type(e).__name__}: {e}")
    print(json.dumps({"failures": FAIL, "checks": COUNT[0]}))


if __name__ == "__main__":
    main()
