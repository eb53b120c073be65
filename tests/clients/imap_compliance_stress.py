"""Several sessions on one mailbox at once, each response checked against what the client
knows, the way a stress tester (Dovecot's imaptest in its random mode) judges a server.

Each session keeps its view of the mailbox (UID and flags by message number, the keywords
announced by FLAGS, its last RECENT count) and every untagged response is checked against
it: EXISTS never shrinks, EXPUNGE and FETCH numbers are in range, no EXPUNGE while a FETCH,
STORE or SEARCH is running (RFC 9051 §7.5.1), a message's UID never changes and UIDs grow
with the number, UIDVALIDITY stays, UIDNEXT never goes back, a keyword is in FLAGS before a
FETCH shows it and FLAGS never drops one a message still has, PERMANENTFLAGS lists only
announced keywords and `\\*`, `\\Recent` is in one session only, the static data of a UID
(ENVELOPE, BODY, BODYSTRUCTURE, INTERNALDATE, sizes, header fields, sections) is the same
in every fetch by every session, a non-silent STORE answers FETCH FLAGS with the change done,
SEARCH on a flag agrees with the flags known. Each flag and keyword belongs to one session
(only it changes it), so after a checkpoint (CHECK everywhere) every flag a session knows
must be the expected one: a change not reported by a FETCH shows there, as do disagreeing
message counts or UIDs, and RECENT counts that do not add up to the message count.

Commands are pipelined within a session (never a message-number command behind one that may
expunge, as imaptest does) and all sessions write before any is read, so the server runs
them concurrently; one session sometimes IDLEs meanwhile. The random choices come from a
fixed seed: the run is reproducible up to the server's own interleaving, which no check
depends on.
"""
import random

from imap_stress_view import OWNABLE, View, World  # beside this script

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()
FIELDS = ["ENVELOPE", "INTERNALDATE", "BODY", "BODYSTRUCTURE", "RFC822.SIZE"]
HEADERS = ["From", "To", "Cc", "Subject", "References", "In-Reply-To", "Message-ID"]
SECTIONS = ["BODY.PEEK[HEADER]", "RFC822.HEADER", "BODY.PEEK[]", "BODY.PEEK[1]",
            "BODY.PEEK[TEXT]"]
# Commands that carry message numbers: none goes behind one that may expunge.
NUMBERED = {"FETCH", "SECTION", "STORE", "SEARCH", "COPY", "DELETE"}


class Driver:
    """Chooses each session's next commands (a fixed seed) and sends them."""

    def __init__(self, rnd, box, seed):
        self.rnd, self.box, self.seed, self.count = rnd, box, seed, 0

    def message(self, crlf):
        self.count += 1
        r, n = self.rnd, self.count
        body = " ".join(r.choice(WORDS) for _ in range(r.randint(3, 40)))
        day = r.randint(1, 28)
        text = (f"From: a{n}@x.example\nTo: b@y.example\nSubject: {' '.join(r.sample(WORDS, 2))}\n"
                f"Message-ID: <s{n}.{self.seed}@x>\n"
                f"Date: {day} Jan 2024 1{day % 10}:00:00 +0{day % 3}00\n")
        if r.random() < 0.3:
            text += ("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                     f"Content-Type: text/plain\n\n{body}\n--b\nContent-Type: text/html\n\n"
                     f"<p>{body}</p>\n--b--\n")
        else:
            text += f"\n{body}\n"
        return crlf(text)

    def numbers(self, v, k):
        return sorted({self.rnd.randint(1, len(v.uids)) for _ in range(k)})

    def batch(self, v, crlf, may_idle):
        """Sends 1 to 3 pipelined commands to `v`; returns True if it went into IDLE."""
        r, may_expunge = self.rnd, False
        for _ in range(r.randint(1, 3)):
            op = r.choice(["APPEND", "APPEND", "FETCH", "FETCH", "SECTION", "STORE", "STORE",
                           "SEARCH", "NOOP", "CHECK", "COPY", "SORT", "THREAD", "STATUS",
                           "DELETE", "IDLE"])
            if (op in NUMBERED and (not v.uids or may_expunge)) or (op == "DELETE" and v.idx):
                op = "NOOP"  # only session 0 owns \Deleted
            if op == "IDLE" and may_idle and not v.pending:
                v.send("IDLE", "IDLE")
                while not (line := v.c.line()).startswith(b"+"):
                    v.untagged(line, "IDLE")
                return True
            if op == "APPEND":
                flags = [f for f in v.owned if r.random() < 0.4]
                v.send("APPEND", f"APPEND {self.box} ({' '.join(flags)})", self.message(crlf),
                       flags)
            elif op == "FETCH":
                items = ["UID", "FLAGS"] + r.sample(FIELDS, r.randint(1, 3))
                if r.random() < 0.3:
                    items.append("BODY.PEEK[HEADER.FIELDS (%s)]" % " ".join(r.sample(HEADERS, 3)))
                seqs = self.numbers(v, 10)
                v.send("FETCH", f"FETCH {','.join(map(str, seqs))} ({' '.join(items)})")
            elif op == "SECTION":
                v.send("FETCH", f"FETCH {r.randint(1, len(v.uids))} (UID {r.choice(SECTIONS)})")
            elif op == "STORE":
                self.store(v)
            elif op == "DELETE" and v.idx == 0:
                seqs = ",".join(map(str, self.numbers(v, 3)))
                v.send("DELSTORE", f"STORE {seqs} +FLAGS.SILENT (\\Deleted)")
                v.send("EXPUNGE", "EXPUNGE")
                may_expunge = True
            elif op == "SEARCH":
                flag = r.choice(v.owned)
                key = flag[1:].upper() if flag.startswith("\\") else f"KEYWORD {flag}"
                v.send("SEARCH", f"SEARCH {key}", info=flag)
            elif op == "COPY":
                a = r.randint(1, len(v.uids))
                v.send("COPY", f"COPY {a}:{min(len(v.uids), a + 3)} {self.box}-copy")
            elif op == "SORT":
                v.send("SORT", "SORT (REVERSE SUBJECT) US-ASCII ALL")
            elif op == "THREAD":
                v.send("THREAD", "THREAD REFERENCES US-ASCII ALL")
            elif op == "STATUS":
                v.send("STATUS", f"STATUS {self.box} (MESSAGES UNSEEN RECENT)")
            else:
                v.send("NOOP", r.choice(["NOOP", "CHECK"]))
            may_expunge = may_expunge or op in ("APPEND", "COPY", "NOOP", "CHECK", "STATUS",
                                                "SORT", "THREAD", "IDLE")
        return False

    def store(self, v):
        r = self.rnd
        seqs = self.numbers(v, r.randint(1, 5))
        if any(not v.uids[s - 1] for s in seqs):
            v.send("FETCH", f"FETCH {','.join(map(str, seqs))} (UID)")
            v.drain()  # nothing expunges during FETCH: the numbers still hold
        flags = [f for f in v.owned if r.random() < 0.6] or v.owned[:1]
        sign, silent = r.choice("+-"), r.random() < 0.3
        info = {"seqs": seqs, "uids": [v.uids[s - 1] for s in seqs], "flags": flags,
                "sign": sign, "silent": silent, "answered": set()}
        v.send("STORE", f"STORE {','.join(map(str, seqs))} {sign}FLAGS"
               f"{'.SILENT' if silent else ''} ({' '.join(flags)})", info=info)


def checkpoint(views, w, final):
    """imaptest's checkpoint: every session finishes, sends CHECK, then all must agree."""
    w.stats["checkpoints"] += 1
    for v in views:
        v.send("NOOP", "CHECK")
    for v in views:
        v.drain()
    counts = [len(v.uids) for v in views]
    if len(set(counts)) != 1:
        w.errors.append(f"checkpoint: message counts {counts}")
        return
    for v in views[1:]:
        for seq, (a, b) in enumerate(zip(views[0].uids, v.uids), 1):
            if a and b and a != b:
                w.errors.append(f"checkpoint: message {seq} is UID {a} and {b} (session {v.idx})")
    for v in views:
        for uid, fl in zip(v.uids, v.flags):
            if uid in w.expected and fl is not None and fl - {"\\recent"} != w.expected[uid]:
                w.errors.append(f"checkpoint: session {v.idx} UID {uid} has {sorted(fl)}, "
                                f"expected {sorted(w.expected[uid])}")
    recent = [v.recent_count for v in views]
    if sum(recent) != counts[0]:
        w.errors.append(f"checkpoint: RECENT counts {recent} for {counts[0]} messages")
    if final:
        for v in views:
            v.send("FETCH", "FETCH 1:* (UID FLAGS)")
            v.drain()
        for seq, uid in enumerate(views[0].uids, 1):
            have = [v.idx for v in views if "\\recent" in (v.flags[seq - 1] or ())]
            if len(have) != 1:
                w.errors.append(f"checkpoint: UID {uid} \\Recent in sessions {have}")


def run(connect, crlf, box, seed=5, sessions=4, rounds=40):
    """Runs the stress on mailbox `box` (recreated); `connect()` gives a logged-in client.
    Returns the World: its errors and what was exercised."""
    w, rnd = World(), random.Random(seed)
    admin = connect()
    for name in (box, f"{box}-copy"):
        admin.cmd(f"DELETE {name}")
        admin.cmd(f"CREATE {name}")
    owned = [OWNABLE[i::sessions] for i in range(sessions)]
    views = [View(connect(), i, w, owned[i]) for i in range(sessions)]
    for v in views:
        v.send("SELECT", f"SELECT {box}")
        v.drain()
    driver = Driver(rnd, box, seed)
    for r in range(rounds):
        idle = None
        for v in views:
            if driver.batch(v, crlf, idle is None):
                idle = v
        for v in views:
            if v is not idle:
                v.drain()
        if idle is not None:
            idle.c.send(b"DONE\r\n")
            idle.drain()
        for idx, uid, line in w.unanswered_stores:
            admin.cmd(f"EXAMINE {box}")
            found = [l for l in admin.cmd(f"UID SEARCH UID {uid}") if l.startswith(b"* SEARCH")]
            if found and found[0].split()[2:]:  # still there: it had to be answered
                w.errors.append(f"session {idx}: STORE gave no FETCH FLAGS for UID {uid}: "
                                f"{line!r}")
        w.unanswered_stores.clear()
        if r % 10 == 9:
            checkpoint(views, w, final=r == rounds - 1)
    for v in views:
        v.send("LOGOUT", "LOGOUT")
        v.drain()
        if not v.saw_bye:
            w.errors.append(f"session {v.idx}: LOGOUT without BYE")
    return w
