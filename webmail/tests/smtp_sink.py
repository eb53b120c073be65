"""A real SMTP sink for the webmail tests: every message received on 127.0.0.1:PORT is written
to DIR as one .eml file (written to a temp name, then renamed, so a reader never sees half).
Usage: /usr/bin/python3 smtp_sink.py PORT DIR (needs Debian's python3-aiosmtpd)."""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(sys.argv[2], "%d.eml" % time.time_ns())
        with open(name + ".tmp", "wb") as f:
            for rcpt in envelope.rcpt_tos:
                f.write(b"X-Sink-Rcpt: " + rcpt.encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK"


controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
try:
    sys.stdin.read()  # ends when the test process closes our stdin (or dies)
finally:
    controller.stop()
