#!/usr/bin/env python3
"""A real IMAP client for santemail's tests: Python's imaplib, which we did not write.

Runs one scenario against the server and prints a JSON object {"failures": [...], ...}; the Rust
test asserts that the list is empty. Exit code 0 whatever the server said.

  imap_scenario.py MODE --imaps P --imap P --cafile CA [--cert C --key K] [--user U --password PW]
                   [--other-user U2 --other-password PW2]

MODE: full (every command), starttls (143: LOGINDISABLED, STARTTLS, LOGIN), negative (bad input),
idle (wait for a new message, print the delay), two (two sessions see each other's changes),
org (shared ORG mailbox, per-user \\Seen), extended (ESEARCH, LIST-EXTENDED, LIST-STATUS),
rev2 (ENABLE IMAP4rev2 next to an IMAP4rev1 session, SEARCHRES, BINARY, STATUS DELETED/SIZE).
"""
import argparse
import imaplib
import json
import re
import socket
import ssl
import sys
import time

# Commands imaplib does not know by name; _simple_command refuses unknown ones.
for _name in ("ID", "ENABLE", "MOVE", "UNSELECT", "NAMESPACE", "SORT", "THREAD"):
    imaplib.Commands.setdefault(_name, ("AUTH", "SELECTED", "NONAUTH"))

FAIL = []
INFO = {}


def check(name, cond, detail=""):
    if not cond:
        FAIL.append(f"{name}: {detail}")


def ctx_for(args, with_cert=True):
    ctx = ssl.create_default_context(cafile=args.cafile)
    # The dev certificate names mx.mssante.example; we dial 127.0.0.1.
    ctx.check_hostname = False
    if with_cert and args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    return ctx


def connect(args, with_cert=True):
    return imaplib.IMAP4_SSL("127.0.0.1", args.imaps, ssl_context=ctx_for(args, with_cert))


def login(args, m, user=None, password=None):
    user = user or args.user
    password = password or args.password
    if password:
        return m.login(user, password)
    return m.authenticate("EXTERNAL", lambda _: b"")


def text(data):
    out = []
    for d in data:
        if isinstance(d, tuple):
            out.append(d[0].decode(errors="replace") + " " + d[1].decode(errors="replace"))
        elif d is not None:
            out.append(d.decode(errors="replace"))
    return "\n".join(out)


MSG = (
    b"From: Camille Martin <camille.martin@medecin.mssante.example>\r\n"
    b"To: Lea Rousseau <lea.rousseau@medecin.mssante.example>\r\n"
    b"Subject: =?UTF-8?Q?R=C3=A9sultats_d=27analyse?=\r\n"
    b"Message-ID: <r1@medecin.mssante.example>\r\n"
    b"Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
    b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    b"R\xc3\xa9sultats normaux, bien cordialement.\r\n"
    b"--b1\r\nContent-Type: application/pdf; name=cr.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"JVBERi0xLjQK\r\n--b1--\r\n"
)


def full(args):
    m = connect(args)
    typ, caps = m.capability()
    caps = text(caps)
    check("capability pre-auth", "AUTH=EXTERNAL" in caps and "AUTH=PLAIN" in caps, caps)
    typ, data = login(args, m)
    check("login", typ == "OK", data)
    typ, caps = m.capability()
    caps = text(caps)
    for c in ["IDLE", "UIDPLUS", "MOVE", "CONDSTORE", "QRESYNC", "SPECIAL-USE", "APPENDLIMIT="]:
        check("capability " + c, c in caps, caps)
    typ, data = m.namespace()
    check("namespace", typ == "OK" and '(("" "/"))' in text(data), text(data))
    typ, data = m._simple_command("ID", '("name" "imaplib")')
    check("id", typ == "OK", data)
    typ, data = m._simple_command("ENABLE", "CONDSTORE QRESYNC")
    check("enable", typ == "OK" and "QRESYNC" in text(m.untagged_responses.pop("ENABLED", [])), data)
    typ, data = m.list()
    listing = text(data)
    check("list sent", '(\\HasNoChildren \\Sent) "/" Sent' in listing, listing)
    check("list inbox", "INBOX" in listing, listing)
    # Modified UTF-7 (RFC 3501 §5.1.3): "Résultats" is R&AOk-sultats.
    typ, data = m.create('"Patients/R&AOk-sultats"')
    check("create utf7", typ == "OK", data)
    typ, data = m.list('""', '"Patients/*"')
    check("list utf7", "R&AOk-sultats" in text(data), text(data))
    typ, data = m.list('""', "%")
    # RFC 9051 §6.3.4: CREATE makes the missing superior names, as real mailboxes.
    check("children", '(\\HasChildren) "/" Patients' in text(data), text(data))
    typ, data = m.rename('"Patients/R&AOk-sultats"', "Archives2026")
    check("rename", typ == "OK", data)
    typ, data = m.subscribe("Archives2026")
    check("subscribe", typ == "OK", data)
    typ, data = m.unsubscribe("Archives2026")
    typ, data = m.lsub('""', "*")
    check("lsub", "Archives2026" not in text(data) and "INBOX" in text(data), text(data))
    typ, data = m.delete("Archives2026")
    check("delete", typ == "OK", data)
    typ, data = m.delete("Archives2026")
    check("delete missing", typ == "NO" and "NONEXISTENT" in text(data), data)
    typ, data = m.create("INBOX")
    check("create inbox refused", typ == "NO", data)

    # APPEND is durable before OK, and says where it went (APPENDUID, RFC 4315).
    typ, data = m.append("INBOX", "(\\Flagged)", imaplib.Time2Internaldate(time.time()), MSG)
    check("append", typ == "OK" and "APPENDUID" in text(data), data)
    typ, data = m.append("INBOX", None, None, b"Subject: second\r\nFrom: a@b.example\r\n\r\nbonjour\r\n")
    uid2 = int(re.search(r"APPENDUID \d+ (\d+)", text(data)).group(1))
    typ, data = m.append("Nowhere", None, None, b"Subject: x\r\n\r\nx\r\n")
    check("append trycreate", typ == "NO" and "TRYCREATE" in text(data), data)

    typ, data = m.status("INBOX", "(MESSAGES UNSEEN UIDNEXT UIDVALIDITY HIGHESTMODSEQ)")
    check("status", typ == "OK" and "MESSAGES 2" in text(data), text(data))

    typ, data = m._simple_command("SELECT", "INBOX (CONDSTORE)")
    typ, data = m._untagged_response(typ, data, "SELECT")
    check("select", typ == "OK", data)
    m.state = "SELECTED"  # imaplib only tracks its own select()
    check("select exists", m.untagged_responses.get("EXISTS", [b"0"])[-1] == b"2", m.untagged_responses)
    ok_codes = text(m.untagged_responses.get("OK", []))
    check("select highestmodseq", "HIGHESTMODSEQ" in ok_codes and "UIDVALIDITY" in ok_codes, ok_codes)

    typ, data = m.fetch("1", "(UID FLAGS RFC822.SIZE INTERNALDATE)")
    check("fetch flags", typ == "OK" and "\\Flagged" in text(data), text(data))
    typ, data = m.fetch("1", "(BODY.PEEK[1])")
    check("fetch part", typ == "OK" and "sultats normaux" in text(data), text(data))
    typ, data = m.fetch("1", "(FLAGS)")
    check("peek leaves unseen", "\\Seen" not in text(data), text(data))
    typ, data = m.fetch("1", "(BODY[])")
    check("body fetch", typ == "OK" and b"multipart/mixed" in data[0][1], text(data))
    typ, data = m.fetch("1", "(FLAGS)")
    check("body sets seen", "\\Seen" in text(data), text(data))

    typ, data = m.store("1:2", "+FLAGS", "(\\Answered $Forwarded)")
    check("store", typ == "OK" and "$Forwarded" in text(data), text(data))
    typ, data = m._simple_command("STORE", "2 (UNCHANGEDSINCE 1) +FLAGS (\\Flagged)")
    check("unchangedsince", typ == "OK" and "MODIFIED" in text(data), data)
    typ, data = m.uid("STORE", str(uid2), "+FLAGS.SILENT", "(\\Draft)")
    check("uid store silent", typ == "OK", data)

    # 8-bit text goes in a literal (RFC 9051 §4.3), which imaplib sends from `literal`.
    m.literal = "résultats".encode()
    typ, data = m.search("UTF-8", "SUBJECT")
    check("search utf8", typ == "OK" and text(data).split() == ["1"], text(data))
    typ, data = m.search(None, "FLAGGED")
    check("search flagged", text(data).split() == ["1"], text(data))
    typ, data = m.search("KOI8-R", "ALL")
    check("badcharset", typ == "NO", data)
    typ, data = m.uid("SEARCH", "ALL")
    check("uid search", str(uid2) in text(data).split(), text(data))
    typ, data = m.sort("(SUBJECT)", "UTF-8", "ALL")
    check("sort", typ == "OK", data)
    typ, data = m.thread("REFERENCES", "UTF-8", "ALL")
    check("thread", typ == "OK", data)

    typ, data = m.copy("1", "Archive")
    check("copy", typ == "OK" and "COPYUID" in text(data), data)
    typ, data = m._simple_command("MOVE", "2 Trash")
    check("move", typ == "OK", data)
    typ, data = m.status("Trash", "(MESSAGES)")
    check("moved", "MESSAGES 1" in text(data), text(data))
    typ, data = m.store("1", "+FLAGS", "(\\Deleted)")
    typ, data = m.expunge()
    check("expunge", typ == "OK" and (data == [b"1"] or "VANISHED" in m.untagged_responses), data)
    typ, data = m.select("Archive")
    typ, data = m.uid("STORE", "1:*", "+FLAGS", "(\\Deleted)")
    typ, data = m.uid("EXPUNGE", "1:*")
    check("uid expunge", typ == "OK", data)
    typ, data = m._simple_command("UNSELECT")
    check("unselect", typ == "OK", data)
    m.select("INBOX", readonly=True)
    typ, data = m.store("1", "+FLAGS", "(\\Seen)")
    check("examine read-only", typ == "NO", data)
    typ, data = m.close()
    check("close", typ == "OK", data)
    typ, data = m.logout()
    check("logout", typ == "BYE", data)


def starttls(args):
    m = imaplib.IMAP4("127.0.0.1", args.imap)
    caps = text(m.capability()[1])
    check("plain caps", "STARTTLS" in caps and "LOGINDISABLED" in caps, caps)
    try:
        typ, data = m._simple_command("LOGIN", args.user, args.password)
        check("login refused before TLS", typ == "NO", data)
    except imaplib.IMAP4.error as e:
        check("login refused before TLS", "PRIVACYREQUIRED" in str(e) or "STARTTLS" in str(e), str(e))
    typ, data = m.starttls(ssl_context=ctx_for(args, with_cert=False))
    check("starttls", typ == "OK", data)
    caps = text(m.capability()[1])
    check("caps after tls", "AUTH=PLAIN" in caps and "LOGINDISABLED" not in caps, caps)
    typ, data = m.login(args.user, args.password)
    check("login after tls", typ == "OK", data)
    typ, data = m.select("INBOX")
    check("select after tls", typ == "OK", data)
    m.logout()


def raw_session(args, lines, wait=0.5):
    """Sends raw lines over TLS and returns everything the server said."""
    sock = socket.create_connection(("127.0.0.1", args.imaps), timeout=10)
    s = ctx_for(args, with_cert=False).wrap_socket(sock, server_hostname="mx.mssante.example")
    out = b""
    s.settimeout(wait)
    def read():
        nonlocal out
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (socket.timeout, ssl.SSLError, ConnectionResetError):
            pass
    read()
    for line in lines:
        try:
            s.sendall(line)
        except OSError:
            break
        read()
    s.close()
    return out.decode(errors="replace")


def negative(args):
    out = raw_session(args, [b"a1 SELECT INBOX\r\n", b"a2 FETCH 1 (FLAGS)\r\n", b"a3 NOOP\r\n"])
    check("unauth select", "a1 BAD" in out, out)
    check("unauth fetch", "a2 BAD" in out, out)
    check("session goes on", "a3 OK" in out, out)
    out = raw_session(args, [b"b1 LOGIN x\r\n", b"b2 FROB\r\n", b"b3 NOOP\r\n"])
    check("malformed bad", "b1 BAD" in out and "b2 BAD" in out, out)
    check("malformed continues", "b3 OK" in out, out)
    out = raw_session(args, [b"c1 APPEND INBOX {999999999}\r\n", b"c2 NOOP\r\n"])
    check("oversize literal refused", "c1 BAD" in out and "+ " not in out.split("c1")[0][-5:], out)
    check("no continuation for oversize", "\r\n+ " not in out, out)
    check("after oversize", "c2 OK" in out, out)
    login = ["d%d LOGIN %s wrongpass\r\n" % (i, args.user) for i in range(1, 5)]
    out = raw_session(args, [l.encode() for l in login], wait=3)
    check("bad passwords", out.count("NO [AUTHENTICATIONFAILED]") == 3, out)
    check("bye after 3", "* BYE" in out, out)


def idle(args):
    m = connect(args)
    login(args, m)
    m.select("INBOX")
    tag = m._new_tag().decode()
    m.send(f"{tag} IDLE\r\n".encode())
    line = m.readline()
    check("idle continuation", line.startswith(b"+"), line)
    print("IDLING", flush=True)
    sys.stderr.write("IDLING\n")
    sys.stderr.flush()
    start = time.time()
    m.sock.settimeout(args.timeout)
    got = b""
    try:
        while b"EXISTS" not in got:
            got += m.readline()
    except (socket.timeout, TimeoutError):
        pass
    INFO["idle_seconds"] = round(time.time() - start, 3)
    INFO["exists_at"] = time.time()  # wall clock, compared with the end of the SMTP delivery
    check("exists while idling", b"EXISTS" in got, got)
    m.send(b"DONE\r\n")
    done = m.readline()
    while done.startswith(b"*"):
        done = m.readline()
    check("idle done", done.startswith(tag.encode() + b" OK"), done)
    m.logout()


def two(args):
    a = connect(args)
    login(args, a)
    b = connect(args)
    login(args, b)
    a.select("INBOX")
    b.select("INBOX")
    n = int(a.untagged_responses.get("EXISTS", [b"0"])[-1])
    typ, data = a.append("INBOX", None, None, b"Subject: shared view\r\n\r\nhello\r\n")
    typ, data = b.noop()
    exists = b.untagged_responses.get("EXISTS", [b"0"])[-1]
    check("b sees append", int(exists) == n + 1, (exists, n))
    b.store(str(n + 1), "+FLAGS", "(\\Deleted)")
    typ, data = a.noop()
    check("a sees flags", "\\Deleted" in text(a.untagged_responses.get("FETCH", [])), a.untagged_responses)
    b.expunge()
    a.untagged_responses.clear()
    typ, data = a.noop()
    check("a sees expunge", a.untagged_responses.get("EXPUNGE") == [str(n + 1).encode()], a.untagged_responses)
    # The selected mailbox deleted by another session: that session ends with BYE.
    a.create("Ephemere")
    a.select("Ephemere")
    b.delete("Ephemere")
    try:
        a.noop()
        check("deleted mailbox ends the session", False, "no BYE")
    except imaplib.IMAP4.abort:
        pass
    b.logout()


def org(args):
    """Two members of an ORG mailbox: \\Seen is per user (the store keeps a row per reader)."""
    a = connect(args, with_cert=False)
    login(args, a)
    b = connect(args, with_cert=False)
    login(args, b, args.other_user, args.other_password)
    typ, data = a.namespace()
    check("shared namespace", '"Shared/"' in text(data), text(data))
    typ, data = a.list('""', "Shared/*")
    check("org listed", args.other_user in text(data), text(data))
    box = f'"Shared/{args.other_user}/INBOX"'
    typ, data = a.append(box, None, None, b"Subject: ordonnance\r\n\r\nPrescription\r\n")
    check("append shared", typ == "OK", data)
    typ, data = a.select(box)
    check("select shared", typ == "OK", data)
    a.fetch("1", "(BODY[])")
    typ, data = a.fetch("1", "(FLAGS)")
    check("a has seen", "\\Seen" in text(data), text(data))
    typ, data = b.select("INBOX")
    typ, data = b.fetch("1", "(FLAGS)")
    check("org login has not seen", "\\Seen" not in text(data), text(data))
    # Subscriptions to shared folders are per member (RFC 9051 §6.3.7).
    typ, data = a.unsubscribe(f'"Shared/{args.other_user}/Sent"')
    check("unsubscribe shared", typ == "OK", data)
    typ, data = a.lsub('""', "Shared/*")
    check("member lsub", "Sent" not in text(data) and "INBOX" in text(data), text(data))
    typ, data = b.lsub('""', "*")
    check("owner still subscribed", "Sent" in text(data), text(data))
    # LIST-EXTENDED / LIST-STATUS in the shared namespace: the member's own subscriptions, and
    # the same counts as STATUS (RFC 5819 §2).
    tag, lines, done = wire(a, 'LIST (SUBSCRIBED) "" "Shared/*" RETURN (STATUS (MESSAGES UNSEEN))')
    inbox_line = f'* LIST (\\HasNoChildren \\Subscribed) "/" Shared/{args.other_user}/INBOX'
    typ, st = a.status(box, "(MESSAGES UNSEEN)")
    want = "* STATUS " + text(st).replace('"', "")
    after = lines[lines.index(inbox_line) + 1] if inbox_line in lines else None
    check("org list-status", done.startswith(tag + " OK") and after == want, (lines, want))
    check("org list-status unsubscribed", not any(l.endswith("/Sent") for l in lines), lines)
    typ, data = a.select('"Shared/nobody@pharmacie.mssante.example/INBOX"')
    check("foreign org refused", typ == "NO", data)
    a.logout()
    b.logout()


def wire(m, command):
    """Sends one raw command on an imaplib connection; returns (tag, untagged lines in order,
    tagged line), so exact wire forms and their order can be checked."""
    tag = m._new_tag().decode()
    m.send(f"{tag} {command}\r\n".encode())
    lines = []
    while True:
        line = m.readline().decode(errors="replace").rstrip("\r\n")
        if line.startswith(tag + " "):
            return tag, lines, line
        lines.append(line)


def extended(args):
    """ESEARCH (RFC 4731), LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819), SPECIAL-USE
    selection (RFC 6154 §3): exact wire lines, in order."""
    m = connect(args, with_cert=False)
    login(args, m)
    caps = text(m.capability()[1]).split()
    for c in ["ESEARCH", "LIST-EXTENDED", "LIST-STATUS"]:
        check("capability " + c, c in caps, caps)
    check("SEARCHRES", "SEARCHRES" in caps, caps)
    for box in ["Ext/Sub/Leaf", "Ext/Sub", "Ext"]:
        m.delete(box)  # leftovers of an earlier run
    for box in ["Ext", "Ext/Sub", "Ext/Sub/Leaf"]:
        typ, data = m.create(box)
        check("create " + box, typ == "OK", data)
    m.subscribe("Ext/Sub/Leaf")
    m.unsubscribe("Ext/Sub")
    m.unsubscribe("Ext")
    flags = ["(\\Seen)", "(\\Seen)", "(\\Flagged)", None, "(\\Flagged \\Seen)"]
    uids = []
    for i, f in enumerate(flags):
        typ, data = m.append("Ext", f, None, b"Subject: ext %d\r\n\r\nbody\r\n" % i)
        uids.append(int(re.search(r"APPENDUID \d+ (\d+)", text(data)).group(1)))
    INFO["ext_uids"] = uids

    # LIST-STATUS with SUBSCRIBED selection: only the subscribed name, then its STATUS.
    tag, lines, done = wire(m, 'LIST (SUBSCRIBED) "" "Ext*" RETURN (STATUS (MESSAGES UNSEEN))')
    check("list subscribed status", done.startswith(tag + " OK") and lines == [
        '* LIST (\\HasNoChildren \\Subscribed) "/" Ext/Sub/Leaf',
        "* STATUS Ext/Sub/Leaf (MESSAGES 0 UNSEEN 0)",
    ], lines)
    # RECURSIVEMATCH: the unsubscribed parent comes back with CHILDINFO (RFC 5258 §3.5).
    tag, lines, done = wire(m, 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "Ext/%"')
    check("recursivematch childinfo", lines == [
        '* LIST (\\HasChildren) "/" Ext/Sub ("CHILDINFO" ("SUBSCRIBED"))',
    ], lines)
    tag, lines, done = wire(m, 'LIST (RECURSIVEMATCH) "" "*"')
    check("recursivematch alone is BAD", done.startswith(tag + " BAD") and lines == [], done)
    tag, lines, done = wire(m, 'LIST "" "*" RETURN (FROB)')
    check("unknown return option is BAD", done.startswith(tag + " BAD") and lines == [], done)
    # STATUS follows each selectable mailbox, with the counts STATUS itself gives.
    tag, lines, done = wire(m, 'LIST "" "Ext" RETURN (STATUS (MESSAGES UNSEEN UIDNEXT))')
    check("list-status values", lines == [
        '* LIST (\\HasChildren) "/" Ext',
        "* STATUS Ext (MESSAGES 5 UNSEEN 2 UIDNEXT %d)" % (uids[-1] + 1),
    ], lines)
    # Several patterns, RETURN (SUBSCRIBED CHILDREN).
    tag, lines, done = wire(m, 'LIST "" ("Ext" "Ext/Sub/%") RETURN (SUBSCRIBED CHILDREN)')
    check("multiple patterns", lines == [
        '* LIST (\\HasChildren) "/" Ext',
        '* LIST (\\HasNoChildren \\Subscribed) "/" Ext/Sub/Leaf',
    ], lines)
    # SPECIAL-USE selection: only mailboxes with a special use.
    tag, lines, done = wire(m, 'LIST (SPECIAL-USE) "" "*" RETURN (SPECIAL-USE)')
    uses = ["\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged"]
    check("special-use selection", done.startswith(tag + " OK") and lines and all(
        any(u in l for u in uses) for l in lines) and any(l.endswith(" Sent") for l in lines), lines)
    # The RFC 3501 form is unchanged.
    tag, lines, done = wire(m, 'LIST "" Ext/Sub')
    check("plain list", lines == ['* LIST (\\HasChildren) "/" Ext/Sub'], lines)

    m.select("Ext")
    tag, lines, done = wire(m, "UID SEARCH RETURN (MIN MAX COUNT) ALL")
    check("uid esearch", lines == ['* ESEARCH (TAG "%s") UID MIN %d MAX %d COUNT 5'
                                   % (tag, uids[0], uids[-1])], lines)
    tag, lines, done = wire(m, "SEARCH RETURN () FLAGGED")
    check("esearch return () is ALL", lines == ['* ESEARCH (TAG "%s") ALL 3,5' % tag], lines)
    tag, lines, done = wire(m, "SEARCH RETURN (ALL COUNT) UNSEEN")
    check("esearch all range", lines == ['* ESEARCH (TAG "%s") ALL 3:4 COUNT 2' % tag], lines)
    tag, lines, done = wire(m, "SEARCH RETURN (MIN MAX ALL) DELETED")
    check("esearch no match", lines == ['* ESEARCH (TAG "%s")' % tag], lines)
    tag, lines, done = wire(m, "UID SEARCH RETURN (COUNT) DELETED")
    check("esearch count 0", lines == ['* ESEARCH (TAG "%s") UID COUNT 0' % tag], lines)
    tag, lines, done = wire(m, "SEARCH RETURN (SAVE) ALL")
    check("save alone answers nothing", done.startswith(tag + " OK") and lines == [], (lines, done))
    tag, lines, done = wire(m, "SEARCH RETURN (PARTIAL 1:5) ALL")
    check("unknown search return option is BAD", done.startswith(tag + " BAD"), done)
    tag, lines, done = wire(m, "SEARCH FLAGGED")
    check("plain search unchanged", lines == ["* SEARCH 3 5"], lines)
    # CONDSTORE: MODSEQ is the highest mod-sequence of the matches (RFC 7162 §3.1.5).
    typ, data = m.fetch("1:*", "(MODSEQ)")
    modseqs = [int(x) for x in re.findall(r"MODSEQ \((\d+)\)", text(data))]
    tag, lines, done = wire(m, "SEARCH RETURN (COUNT) MODSEQ 1")
    check("esearch modseq", len(modseqs) == 5 and lines == [
        '* ESEARCH (TAG "%s") COUNT 5 MODSEQ %d' % (tag, max(modseqs or [0]))], (lines, modseqs))
    tag, lines, done = wire(m, "SEARCH RETURN (MIN) MODSEQ 1")
    check("esearch min modseq", lines == [
        '* ESEARCH (TAG "%s") MIN 1 MODSEQ %d' % (tag, (modseqs or [0])[0])], (lines, modseqs))
    m.close()
    for box in ["Ext/Sub/Leaf", "Ext/Sub", "Ext"]:
        typ, data = m.delete(box)
        check("cleanup " + box, typ == "OK", data)
    m.logout()


def wire8(m, command, literal=None):
    """Like `wire`, on bytes: literals in responses (`{n}`, `~{n}`) are read whole and kept in
    their line; `literal` is sent after the server's `+` (the command ends with `{n}`/`~{n}`)."""
    tag = m._new_tag().decode()
    m.send(f"{tag} {command}\r\n".encode())
    if literal is not None:
        cont = m.readline()
        if not cont.startswith(b"+"):
            return tag, [], cont.decode(errors="replace").rstrip("\r\n")
        m.send(literal + b"\r\n")
    lines = []
    while True:
        line = m.readline()
        while True:
            found = re.search(rb"~?\{(\d+)\}\r\n$", line)
            if not found:
                break
            line += m.read(int(found.group(1)))
            line += m.readline()
        line = line.rstrip(b"\r\n")
        if line.startswith(tag.encode() + b" "):
            return tag, lines, line.decode(errors="replace")
        lines.append(line)


def rev2(args):
    """IMAP4rev2 (RFC 9051) taken with ENABLE, next to an IMAP4rev1 session of the same user:
    ESEARCH answers, no RECENT, UTF-8 names (modified UTF-7 for the rev1 session), SELECT's LIST,
    STATUS DELETED/SIZE, SEARCHRES (RFC 5182) `$` in FETCH/STORE/SEARCH/MOVE and after EXPUNGE,
    BINARY (RFC 3516) FETCH of a base64 part and APPEND of a literal8."""
    v1 = connect(args, with_cert=False)
    login(args, v1)
    v2 = connect(args, with_cert=False)
    login(args, v2)
    caps = text(v2.capability()[1]).upper().split()
    for c in ["IMAP4REV1", "IMAP4REV2", "SEARCHRES", "BINARY", "STATUS=SIZE", "ESEARCH",
              "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "ENABLE", "LITERAL+"]:
        check("capability " + c, c in caps, caps)
    for box in ["R&AOk-sultats/Vu", "R&AOk-sultats"]:
        v1.delete(box)  # leftovers of an earlier run
    typ, data = v1.create("R&AOk-sultats")
    check("rev1 create mutf7", typ == "OK", data)
    bodies = [MSG, b"Subject: deux\r\n\r\nsecond\r\n", b"Subject: trois\r\n\r\ntroisieme\r\n"]
    flags = ["(\\Flagged)", None, "(\\Flagged)"]
    uids = []
    for body, f in zip(bodies, flags):
        typ, data = v1.append("R&AOk-sultats", f, None, body)
        uids.append(int(re.search(r"APPENDUID \d+ (\d+)", text(data)).group(1)))

    tag, lines, done = wire8(v2, "ENABLE IMAP4rev2")
    check("enable rev2", done.startswith(tag + " OK") and lines == [b"* ENABLED IMAP4rev2"], lines)
    tag, lines, done = wire8(v2, "ENABLE IMAP4rev2")
    check("enable rev2 twice", done.startswith(tag + " OK") and lines == [b"* ENABLED"], lines)
    # RFC 9051 §5.1: UTF-8 names for rev2, modified UTF-7 still for rev1, in the same run.
    tag, lines, done = wire8(v2, 'LIST "" "Résultats"')
    check("rev2 list utf8", lines == ['* LIST (\\HasNoChildren) "/" "Résultats"'.encode()], lines)
    tag, lines, done = wire8(v1, 'LIST "" "R&AOk-sultats"')
    check("rev1 list mutf7", lines == [b'* LIST (\\HasNoChildren) "/" R&AOk-sultats'], lines)
    tag, lines, done = wire8(v2, 'STATUS "Résultats" (MESSAGES DELETED SIZE)')
    size = sum(len(b) for b in bodies)
    check("rev2 status deleted size", lines == [
        ('* STATUS "Résultats" (MESSAGES 3 DELETED 0 SIZE %d)' % size).encode()], lines)

    # RFC 9051 §6.3.2: LIST of the mailbox, no RECENT, no UNSEEN.
    tag, lines, done = wire8(v2, 'SELECT "Résultats"')
    check("rev2 select", done.startswith(tag + " OK") and b"* 3 EXISTS" in lines
          and '* LIST (\\HasNoChildren) "/" "Résultats"'.encode() in lines
          and not any(b"RECENT" in l or b"UNSEEN" in l for l in lines), lines)
    tag, lines, done = wire8(v2, "FETCH 1:* (FLAGS)")
    check("rev2 no \\Recent", len(lines) == 3 and not any(b"Recent" in l for l in lines), lines)
    tag, lines, done = wire8(v2, "SEARCH ALL")
    check("rev2 search is esearch", lines == [('* ESEARCH (TAG "%s") ALL 1:3' % tag).encode()], lines)
    tag, lines, done = wire8(v2, "UID SEARCH DELETED")
    check("rev2 empty uid esearch", lines == [('* ESEARCH (TAG "%s") UID' % tag).encode()], lines)

    # SEARCHRES: SAVE alone answers nothing; `$` in FETCH, UID STORE, SEARCH.
    tag, lines, done = wire8(v2, "SEARCH RETURN (SAVE) FLAGGED")
    check("save", done.startswith(tag + " OK") and lines == [], (lines, done))
    tag, lines, done = wire8(v2, "FETCH $ (UID)")
    check("fetch $", lines == [b"* 1 FETCH (UID %d)" % uids[0], b"* 3 FETCH (UID %d)" % uids[2]],
          lines)
    tag, lines, done = wire8(v2, "UID STORE $ +FLAGS.SILENT (\\Seen)")
    check("uid store $", done.startswith(tag + " OK") and lines == [], (lines, done))
    tag, lines, done = wire8(v2, "SEARCH SEEN")
    check("store $ applied", lines == [('* ESEARCH (TAG "%s") ALL 1,3' % tag).encode()], lines)
    tag, lines, done = wire8(v2, "UID SEARCH RETURN (COUNT) UID $")
    check("search uid $", lines == [('* ESEARCH (TAG "%s") UID COUNT 2' % tag).encode()], lines)
    # SAVE with MIN keeps only the MIN message (RFC 5182 §2.1).
    tag, lines, done = wire8(v2, "SEARCH RETURN (MIN SAVE) FLAGGED")
    check("save min", lines == [('* ESEARCH (TAG "%s") MIN 1' % tag).encode()], lines)
    tag, lines, done = wire8(v2, "FETCH $ (UID)")
    check("fetch $ min", lines == [b"* 1 FETCH (UID %d)" % uids[0]], lines)
    # SAVE with COUNT keeps every match; `$` as a sequence-number key.
    tag, lines, done = wire8(v2, "SEARCH RETURN (SAVE COUNT) FLAGGED")
    check("save count", lines == [('* ESEARCH (TAG "%s") COUNT 2' % tag).encode()], lines)
    tag, lines, done = wire8(v2, "SEARCH $")
    check("search $", lines == [('* ESEARCH (TAG "%s") ALL 1,3' % tag).encode()], lines)
    # A SAVE that fails empties `$` and says NOTSAVED or the error's own code (RFC 5182 §2.1).
    tag, lines, done = wire8(v2, "SEARCH RETURN (SAVE) CHARSET KOI8-R ALL")
    check("failed save", done.startswith(tag + " NO") and lines == [], (lines, done))
    tag, lines, done = wire8(v2, "FETCH $ (UID)")
    check("$ empty after failed save", done.startswith(tag + " OK") and lines == [], lines)
    # `$` after EXPUNGE: the expunged message leaves the saved result.
    wire8(v2, "SEARCH RETURN (SAVE) FLAGGED")
    tag, lines, done = wire8(v2, "STORE 1 +FLAGS.SILENT (\\Deleted)")
    tag, lines, done = wire8(v2, 'STATUS "Résultats" (DELETED)')
    check("status deleted", lines == [b'* STATUS "R\xc3\xa9sultats" (DELETED 1)'], lines)
    tag, lines, done = wire8(v2, "EXPUNGE")
    check("expunge", lines == [b"* 1 EXPUNGE"], lines)
    tag, lines, done = wire8(v2, "FETCH $ (UID)")
    check("fetch $ after expunge", lines == [b"* 2 FETCH (UID %d)" % uids[2]], lines)

    # BINARY (RFC 3516): the base64 PDF part decoded; APPEND of a literal8.
    tag, lines, done = wire8(v2, "UID FETCH %d (BINARY.PEEK[2] BINARY.SIZE[2])" % uids[0])
    check("binary of expunged is nothing", lines == [], lines)
    typ, data = v1.append("R&AOk-sultats", None, None, MSG)
    new_uid = int(re.search(r"APPENDUID \d+ (\d+)", text(data)).group(1))
    tag, lines, done = wire8(v2, "NOOP")
    check("noop exists", lines == [b"* 3 EXISTS"], lines)
    tag, lines, done = wire8(v2, "UID FETCH %d (BINARY.PEEK[2] BINARY.SIZE[2])" % new_uid)
    got = [l for l in lines if b"BINARY" in l]
    check("binary fetch", len(got) == 1 and b"BINARY[2] ~{9}\r\n%PDF-1.4\n" in got[0]
          and b"BINARY.SIZE[2] 9" in got[0], lines)
    eight = b"Subject: huit\r\n\r\nR\xc3\xa9sultat binaire\r\n"
    tag, lines, done = wire8(v2, 'APPEND "Résultats" ~{%d}' % len(eight), eight)
    check("append literal8", done.startswith(tag + " OK [APPENDUID"), done)

    # MOVE $ into a child created with a UTF-8 name; `$` is then empty.
    tag, lines, done = wire8(v2, 'CREATE "Résultats/Vu"')
    check("rev2 create utf8", done.startswith(tag + " OK"), done)
    tag, lines, done = wire8(v2, "SEARCH RETURN (SAVE) FLAGGED")
    tag, lines, done = wire8(v2, 'MOVE $ "Résultats/Vu"')
    check("move $", done.startswith(tag + " OK") and any(b"COPYUID" in l for l in lines)
          and b"* 2 EXPUNGE" in lines, (lines, done))
    tag, lines, done = wire8(v2, "FETCH $ (UID)")
    check("fetch $ after move", done.startswith(tag + " OK") and lines == [], (lines, done))
    # A new SELECT resets `$` (RFC 5182 §2.1) and says [CLOSED] first (RFC 9051 §7.1).
    wire8(v2, "SEARCH RETURN (SAVE) ALL")
    tag, lines, done = wire8(v2, 'EXAMINE "Résultats/Vu"')
    check("closed", lines[:1] == [b"* OK [CLOSED] Previous mailbox closed"], lines)
    tag, lines, done = wire8(v2, "FETCH $ (UID)")
    check("$ reset by select", done.startswith(tag + " OK") and lines == [], (lines, done))

    # The rev1 session: modified UTF-7 for the child, RECENT still there.
    tag, lines, done = wire8(v1, 'LIST "" "R&AOk-sultats/*"')
    check("rev1 child mutf7", lines == [b'* LIST (\\HasNoChildren) "/" R&AOk-sultats/Vu'], lines)
    tag, lines, done = wire8(v1, "SELECT R&AOk-sultats")
    check("rev1 select recent", any(l.endswith(b" RECENT") for l in lines)
          and not any(l.startswith(b"* LIST") for l in lines), lines)
    wire8(v1, "CLOSE")
    v2.logout()
    for box in ["R&AOk-sultats/Vu", "R&AOk-sultats"]:
        typ, data = v1.delete(box)
        check("cleanup " + box, typ == "OK", data)
    v1.logout()


def count(args):
    """Reports INBOX's MESSAGES, UNSEEN and HIGHESTMODSEQ (for the mbsync test)."""
    m = connect(args, with_cert=False)
    login(args, m)
    typ, data = m.status("INBOX", "(MESSAGES UNSEEN HIGHESTMODSEQ)")
    for key in ("MESSAGES", "UNSEEN", "HIGHESTMODSEQ"):
        found = re.search(key + r" (\d+)", text(data))
        INFO[key.lower()] = int(found.group(1)) if found else -1
    m.logout()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("--imaps", type=int)
    ap.add_argument("--imap", type=int)
    ap.add_argument("--cafile")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--other-user")
    ap.add_argument("--other-password")
    ap.add_argument("--timeout", type=float, default=5)
    args = ap.parse_args()
    try:
        {"full": full, "starttls": starttls, "negative": negative, "idle": idle, "two": two,
         "org": org, "count": count, "extended": extended, "rev2": rev2}[args.mode](args)
    except Exception as e:  # the test wants the failure in the JSON, not a traceback
        FAIL.append(f"exception: {type(e).__name__}: {e}")
    print(json.dumps({"failures": FAIL, **INFO}), flush=True)


if __name__ == "__main__":
    main()
