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

from imap_scenario_ext import extended, rev2  # beside this script, on sys.path
from imap_scenario_lib import (  # noqa: F401
    FAIL, INFO, MSG, check, connect, ctx_for, login, text, wire,
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
