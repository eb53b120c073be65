"""IMAP scenarios of the extensions: ESEARCH, LIST-EXTENDED, LIST-STATUS (`extended`), and
IMAP4rev2 next to an IMAP4rev1 session with SEARCHRES, BINARY, STATUS DELETED/SIZE (`rev2`).
Run through imap_scenario.py (MODE extended / rev2)."""
import re

from imap_scenario_lib import INFO, MSG, check, connect, login, text, wire, wire8  # noqa: F401


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
    tag, lines, done = wire8(v2, "UID FETCH %d (BINARY.PEEK[2]<1.3>)" % new_uid)
    check("binary partial has its origin", any(b"BINARY[2]<1> ~{3}\r\nPDF" in l for l in lines),
          lines)
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
