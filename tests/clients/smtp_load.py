#!/usr/bin/env python3
"""Bounded SMTP load for the crash-safety test: THREADS connections each send messages with a unique
token until SECONDS pass, MAX messages are sent, or the server goes away. Every message that got a
250 is written to ACKED_DIR/<token>.eml (the exact bytes sent) before the next one starts.

  smtp_load.py --port P --cafile CA --cert C --key K --from A --to B --acked DIR
               [--threads 20] [--seconds 5] [--max 100]
"""
import argparse
import os
import smtplib
import ssl
import threading
import time
import uuid


def worker(args, ctx, deadline, n):
    try:
        s = smtplib.SMTP("127.0.0.1", args.port, timeout=10)
        s._host = args.servername
        s.ehlo("load.test")
        s.starttls(context=ctx)
        s.ehlo("load.test")
    except (OSError, smtplib.SMTPException):
        return
    for i in range(args.max):
        if time.time() > deadline:
            break
        token = f"{n:02d}-{i:04d}-{uuid.uuid4().hex}"
        body = (
            f"From: {args.sender}\r\nTo: {args.to}\r\nSubject: charge {token}\r\n"
            f"Message-ID: <{token}@load.test>\r\n\r\n"
            + "".join(f"ligne {k} du message {token}\r\n" for k in range(40))
        ).encode()
        try:
            s.sendmail(args.sender, [args.to], body)
        except (OSError, smtplib.SMTPException):
            return
        path = os.path.join(args.acked, token + ".eml")
        with open(path, "wb") as f:
            f.write(body)
            f.flush()
    try:
        s.quit()
    except (OSError, smtplib.SMTPException):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cafile", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--servername", default="mx.mssante.example")
    ap.add_argument("--from", dest="sender", required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--acked", required=True)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--max", type=int, default=100)
    args = ap.parse_args()
    os.makedirs(args.acked, exist_ok=True)
    ctx = ssl.create_default_context(cafile=args.cafile)
    ctx.load_cert_chain(args.cert, args.key)
    deadline = time.time() + args.seconds
    threads = [threading.Thread(target=worker, args=(args, ctx, deadline, n)) for n in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
