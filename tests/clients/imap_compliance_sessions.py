"""Compliance checks across sessions: two sessions on one mailbox (expunges, flags, pipelining,
changes hidden by a no-op command), keywords announced in FLAGS and \\Recent in one session only,
and the seeded stress run of imap_compliance_stress.py. Run by imap_compliance.py."""
import imap_compliance_stress
from imap_compliance_lib import (  # beside this script, on sys.path
    Client,
    after_expunges,
    check,
    crlf,
    fresh,
    seqs_of,
    status,
    untagged,
)


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
