#!/usr/bin/env python3
"""A real SMTP client for santemail's tests: Python's smtplib, which we did not write.

Runs one transaction and prints a JSON object with every reply code, so the Rust test can assert
on the server's answers. Exit code 0 whatever the server said; 3 if the connection itself failed
(TLS refused, connection closed), with the error in the JSON.

  smtp_client.py --port P [--implicit-tls] [--cafile CA] [--cert C --key K] [--login U --password P]
                 [--external] --from A --to B [--to C…] (--file MSG | --text "...") [--bdat]
"""
import argparse
import json
import smtplib
import socket
import ssl
import sys


class NamedSMTPSSL(smtplib.SMTP_SSL):
    """SMTP_SSL that checks the certificate against `servername`, not the address we dial."""

    def __init__(self, host, port, servername, **kw):
        self._servername = servername
        super().__init__(host, port, **kw)

    def _get_socket(self, host, port, timeout):
        sock = socket.create_connection((host, port), timeout, self.source_address)
        return self.context.wrap_socket(sock, server_hostname=self._servername)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--implicit-tls", action="store_true")
    ap.add_argument("--no-tls", action="store_true")
    ap.add_argument("--cafile")
    ap.add_argument("--servername", default="mx.mssante.example")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--login")
    ap.add_argument("--password")
    ap.add_argument("--external", action="store_true")
    ap.add_argument("--from", dest="sender", required=True)
    ap.add_argument("--to", action="append", default=[])
    ap.add_argument("--rcpt-option", action="append", default=[], help="e.g. NOTIFY=NEVER")
    ap.add_argument("--file")
    ap.add_argument("--text")
    args = ap.parse_args()

    out = {"rcpt": {}}
    ctx = ssl.create_default_context(cafile=args.cafile)
    ctx.check_hostname = True
    if args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    try:
        if args.implicit_tls:
            s = NamedSMTPSSL(args.host, args.port, args.servername, context=ctx, timeout=30)
        else:
            s = smtplib.SMTP(args.host, args.port, timeout=30)
            s._host = args.servername  # SNI / hostname check for starttls
        code, _ = s.ehlo("client.test")
        out["ehlo"] = code
        out["features"] = sorted(s.esmtp_features.keys())
        if not args.implicit_tls and not args.no_tls:
            code, _ = s.starttls(context=ctx)
            out["starttls"] = code
            s.ehlo("client.test")
            out["features_tls"] = sorted(s.esmtp_features.keys())
        if args.external:
            code, msg = s.docmd("AUTH", "EXTERNAL =")
            out["auth"] = code
        elif args.login:
            try:
                code, msg = s.login(args.login, args.password)
                out["auth"] = code
            except smtplib.SMTPAuthenticationError as e:
                out["auth"] = e.smtp_code
        code, msg = s.mail(args.sender)
        out["mail"] = code
        out["mail_text"] = msg.decode(errors="replace")
        ok = 0
        for rcpt in args.to:
            code, msg = s.rcpt(rcpt, options=args.rcpt_option)
            out["rcpt"][rcpt] = [code, msg.decode(errors="replace")]
            ok += code < 300
        if out["mail"] < 300 and ok:
            if args.file:
                with open(args.file, "rb") as f:
                    body = f.read()
            else:
                body = (args.text or "Subject: test\r\n\r\nbody\r\n").encode()
            code, msg = s.data(body)
            out["data"] = code
            out["data_text"] = msg.decode(errors="replace")
        try:
            s.quit()
        except smtplib.SMTPServerDisconnected:
            pass
    except (ssl.SSLError, smtplib.SMTPException, OSError) as e:
        out["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(out))
        sys.exit(3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
