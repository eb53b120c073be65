"""The client side of imap_compliance_stress.py: one session's view of the selected mailbox
(UID and flags by message number, keywords announced by FLAGS, last RECENT count) and the
checks every response must pass against it and against what all sessions share (see the
docstring there for the list, and Dovecot's imaptest for where each comes from)."""
import re

SYSTEM = {"\\answered", "\\flagged", "\\deleted", "\\seen", "\\draft", "\\recent"}
LABELS = [f"$label{i}" for i in range(1, 6)]
OWNABLE = ["\\seen", "\\flagged", "\\answered", "\\draft"] + LABELS
# RFC 9051 §7.5.1: no EXPUNGE while one of these runs (numbers would shift under it).
NO_EXPUNGE_DURING = {"FETCH", "STORE", "SEARCH"}


def tokenize(data):
    """One response (literals inline) as nested lists: atoms as bytes, strings as
    ("str", bytes), NIL as None. A section name such as BODY[HEADER.FIELDS (A B)] is one
    atom."""
    out, stack, i, n = [], [], 0, len(data)
    cur = out
    while i < n:
        ch = data[i:i + 1]
        if ch == b" ":
            i += 1
        elif ch == b"(":
            stack.append(cur)
            cur.append([])
            cur = cur[-1]
            i += 1
        elif ch == b")":
            cur = stack.pop() if stack else cur
            i += 1
        elif ch == b'"':
            j, s = i + 1, bytearray()
            while j < n and data[j:j + 1] != b'"':
                if data[j:j + 1] == b"\\":
                    j += 1
                s += data[j:j + 1]
                j += 1
            cur.append(("str", bytes(s)))
            i = j + 1
        elif ch == b"{" and re.match(rb"\{\d+\+?\}\r\n", data[i:]):
            m = re.match(rb"\{(\d+)\+?\}\r\n", data[i:])
            start = i + m.end()
            cur.append(("str", data[start:start + int(m.group(1))]))
            i = start + int(m.group(1))
        else:
            j, depth = i, 0
            while j < n:
                c = data[j:j + 1]
                depth += (c == b"[") - (c == b"]")
                if depth == 0 and c in (b" ", b"(", b")"):
                    break
                j += 1
            atom = data[i:j]
            cur.append(None if atom.upper() == b"NIL" else atom)
            i = j
    return out


def canonical(v):
    """A value as comparable text (atoms case-insensitive, strings exact)."""
    if v is None:
        return "NIL"
    if isinstance(v, tuple):
        return repr(v[1])
    if isinstance(v, list):
        return "(" + " ".join(canonical(x) for x in v) + ")"
    return v.decode(errors="replace").upper()


def item_name(name):
    """RFC822.HEADER is BODY[HEADER], RFC822.TEXT BODY[TEXT], RFC822 BODY[] (RFC 9051 §6.4.5)."""
    return {"RFC822.HEADER": "BODY[HEADER]", "RFC822.TEXT": "BODY[TEXT]",
            "RFC822": "BODY[]"}.get(name, name)


class World:
    """What all sessions share: the errors, the static data seen per UID, who has each UID
    \\Recent, and the expected flags per UID (from the owners' own STOREs and APPENDs)."""

    def __init__(self):
        self.errors = []
        self.static = {}
        self.recent_owner = {}
        self.expected = {}
        self.uidvalidity = None
        self.uidnext = 0
        self.unanswered_stores = []
        self.stats = {"appended": 0, "expunged": 0, "stores_checked": 0, "searches_checked": 0,
                      "fetches": 0, "checkpoints": 0}


class View:
    """One session and its idea of the selected mailbox."""

    def __init__(self, client, idx, world, owned):
        self.c, self.idx, self.w, self.owned = client, idx, world, owned
        self.uids, self.flags, self.keywords = [], [], set()
        self.recent_count, self.pending, self.n = 0, [], 0
        self.last_search = []
        self.saw_bye = False

    def err(self, what, line=b""):
        self.w.errors.append(f"session {self.idx}: {what}: {line[:200]!r}")

    def send(self, kind, command, literal=None, info=None):
        self.n += 1
        tag = b"T%d.%d" % (self.idx, self.n)
        data = tag + b" " + command.encode()
        if literal is not None:
            data += b" {%d+}\r\n" % len(literal) + literal
        self.c.send(data + b"\r\n")
        self.pending.append((tag, kind, info))

    def drain(self):
        while self.pending:
            self.read_one()

    def read_one(self):
        line = self.c.line()
        if line.startswith(b"* "):
            self.untagged(line, self.pending[0][1] if self.pending else "IDLE")
            return
        if line.startswith(b"+"):
            return
        tag, kind, info = self.pending.pop(0)
        if not line.startswith(tag + b" "):
            self.err("tagged reply out of order", line)
            return
        status = line.split(b" ")[1]
        # COPY may fail (imaptest tolerates NO there); nothing else here may.
        if status == b"BAD" or (status == b"NO" and kind != "COPY"):
            self.err(f"{kind} answered {status.decode()}", line)
        if status == b"OK":
            self.tagged(line, kind, info)

    def untagged(self, line, kind):
        toks = tokenize(line[2:])
        head = toks[0] if toks else b""
        if isinstance(head, bytes) and head.isdigit():
            self.numbered(int(head), toks[1].upper(), toks, kind, line)
            return
        word = head.upper() if isinstance(head, bytes) else b""
        if word == b"FLAGS":
            new = set()
            for f in toks[1]:
                name = f.decode().lower()
                if name.startswith("\\") and name not in SYSTEM:
                    self.err("unknown system flag in FLAGS", line)
                elif not name.startswith("\\"):
                    new.add(name)
            for seq, fl in enumerate(self.flags, 1):
                gone = {k for k in fl or () if not k.startswith("\\")} - new
                if gone:
                    self.err(f"FLAGS dropped {sorted(gone)} still set on {seq}", line)
            self.keywords = new
        elif word == b"OK":
            m = re.match(rb"\* OK \[(\S+)(?: ([^\]]*))?\]", line)
            if m:
                self.code(m.group(1).upper(), m.group(2) or b"", line)
        elif word == b"BAD" or (word == b"BYE" and kind != "LOGOUT"):
            self.err(f"untagged {word.decode()}", line)
        elif word == b"BYE":
            self.saw_bye = True
        elif word in (b"SEARCH", b"SORT"):
            nums = [t for t in toks[1:] if isinstance(t, bytes)]
            if any(not t.isdigit() or not 1 <= int(t) <= len(self.uids) for t in nums):
                self.err(f"{word.decode()} number beyond {len(self.uids)} messages", line)
            self.last_search = [int(t) for t in nums if t.isdigit()]

    def code(self, code, value, line):
        if code == b"PERMANENTFLAGS":
            flags = [f.decode().lower() for f in value.strip(b"()").split()]
            if "\\*" not in flags:
                self.err("PERMANENTFLAGS without \\*", line)
            for f in flags:
                if not f.startswith("\\") and f not in self.keywords:
                    self.err(f"PERMANENTFLAGS keyword {f} not in FLAGS", line)
        elif code == b"UIDVALIDITY":
            if self.w.uidvalidity not in (None, int(value)):
                self.err("UIDVALIDITY changed", line)
            self.w.uidvalidity = int(value)
        elif code == b"UIDNEXT":
            if int(value) < self.w.uidnext:
                self.err(f"UIDNEXT went back from {self.w.uidnext}", line)
            self.w.uidnext = int(value)

    def numbered(self, num, what, toks, kind, line):
        if what == b"EXISTS":
            if num < len(self.uids):
                self.err(f"EXISTS shrank from {len(self.uids)}", line)
                del self.uids[num:], self.flags[num:]
            grow = num - len(self.uids)
            self.uids += [0] * grow
            self.flags += [None] * grow
            return
        if what == b"RECENT":
            self.recent_count = num
            return
        if not 1 <= num <= len(self.uids):
            self.err(f"message {num} of {len(self.uids)}", line)
            return
        if what == b"EXPUNGE":
            if kind in NO_EXPUNGE_DURING:
                self.err(f"EXPUNGE during {kind}", line)
            uid = self.uids[num - 1]
            if self.idx == 0 and uid:  # session 0 alone expunges: the others learn later
                self.w.expected.pop(uid, None)
                self.w.stats["expunged"] += 1
            del self.uids[num - 1], self.flags[num - 1]
        elif what == b"FETCH":
            self.fetch(num, toks[2] if len(toks) > 2 else None, line)

    def fetch(self, seq, items, line):
        if not isinstance(items, list):
            self.err("FETCH without a list", line)
            return
        d = {items[k].decode().upper(): items[k + 1] for k in range(0, len(items) - 1, 2)
             if isinstance(items[k], bytes)}
        uid = self.uids[seq - 1]
        if "UID" in d:
            new = int(d["UID"])
            if uid and uid != new:
                self.err(f"UID of {seq} changed {uid} -> {new}", line)
            before = [u for u in self.uids[:seq - 1] if u]
            after = [u for u in self.uids[seq:] if u]
            if (before and before[-1] >= new) or (after and after[0] <= new):
                self.err(f"UID {new} out of order at {seq}", line)
            uid = self.uids[seq - 1] = new
        if "FLAGS" in d:
            self.set_flags(seq, uid, d["FLAGS"], line)
        if not uid:
            return
        self.w.stats["fetches"] += 1
        seen = self.w.static.setdefault(uid, {})
        for name, value in d.items():
            if name in ("UID", "FLAGS", "MODSEQ"):
                continue
            name, text = item_name(name), canonical(value)
            if seen.setdefault(name, text) != text:
                self.err(f"UID {uid} {name} changed", line)

    def set_flags(self, seq, uid, flags, line):
        fl = set()
        for f in flags if isinstance(flags, list) else ():
            if not isinstance(f, bytes):
                self.err("FLAGS holds a non-atom", line)
                continue
            name = f.decode().lower()
            if name.startswith("\\") and name not in SYSTEM:
                self.err(f"invalid system flag {name}", line)
            elif not name.startswith("\\") and name not in self.keywords:
                self.err(f"keyword {name} used without being in FLAGS", line)
            fl.add(name)
        self.flags[seq - 1] = fl
        if self.pending and self.pending[0][1] == "STORE":
            self.pending[0][2]["answered"].add(seq)
        if "\\recent" in fl and uid:
            owner = self.w.recent_owner.setdefault(uid, self.idx)
            if owner != self.idx:
                self.err(f"UID {uid} \\Recent in sessions {owner} and {self.idx}", line)

    def tagged(self, line, kind, info):
        if kind == "STORE":
            self.store_done(line, info)
        elif kind == "APPEND":
            m = re.search(rb"\[APPENDUID \d+ (\d+)\]", line)
            if not m:
                self.err("APPEND without APPENDUID", line)
            else:
                self.w.expected[int(m.group(1))] = set(info)
                self.w.stats["appended"] += 1
        elif kind == "SEARCH":
            known = {s for s, fl in enumerate(self.flags, 1) if fl is not None}
            want = {s for s in known if info in self.flags[s - 1]}
            got = set(self.last_search) & known
            if b"[EXPUNGEISSUED]" in line:
                want &= got  # messages expunged elsewhere match nothing (RFC 5530 §3)
            if got != want:
                self.err(f"SEARCH {info}: {sorted(got)}, flags known say {sorted(want)}", line)
            self.w.stats["searches_checked"] += 1

    def store_done(self, line, info):
        sign, flags = info["sign"], info["flags"]
        for seq, uid in zip(info["seqs"], info["uids"]):
            fl = self.flags[seq - 1]
            if info["silent"]:
                if fl is not None:
                    (fl.update if sign == "+" else fl.difference_update)(flags)
            elif seq not in info["answered"]:
                # Judged after the round: a message another session expunged meanwhile
                # may go unanswered (imaptest's own-flags mode wants it anyway).
                self.w.unanswered_stores.append((self.idx, uid, line))
            elif any((f in fl) != (sign == "+") for f in flags):
                self.err(f"STORE {sign}{flags} not done on {seq}: {sorted(fl)}", line)
            else:
                self.w.stats["stores_checked"] += 1
            if uid in self.w.expected and "\\deleted" not in flags:
                e = self.w.expected[uid]
                (e.update if sign == "+" else e.difference_update)(flags)
