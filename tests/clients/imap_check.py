"""Looks for a message by subject over IMAPS with a client certificate (AUTHENTICATE EXTERNAL),
with Python's imaplib — a client we did not write. Prints one JSON object:
{"found": bool, "has_attachment": bool, "subjects": [...]}."""
import argparse
import email
import imaplib
import json
import ssl

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--ca", required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--subject", required=True)
ap.add_argument("--mailbox", default="INBOX")
a = ap.parse_args()

ctx = ssl.create_default_context(cafile=a.ca)
ctx.check_hostname = False
ctx.load_cert_chain(a.cert, a.key)
m = imaplib.IMAP4_SSL("127.0.0.1", a.port, ssl_context=ctx)
m.authenticate("EXTERNAL", lambda _: b"")
m.select(a.mailbox, readonly=True)
typ, data = m.uid("SEARCH", None, "ALL")
out = {"found": False, "has_attachment": False, "subjects": []}
for uid in data[0].split():
    typ, msg = m.uid("FETCH", uid, "(BODY.PEEK[])")
    parsed = email.message_from_bytes(msg[0][1])
    subject = str(email.header.make_header(email.header.decode_header(parsed.get("Subject", ""))))
    out["subjects"].append(subject)
    if a.subject in subject:
        out["found"] = True
        out["has_attachment"] = any(p.get_filename() for p in parsed.walk())
m.logout()
print(json.dumps(out, ensure_ascii=False))
