#!/usr/bin/env python3
"""IMAP load generator for bench/imap.sh: the same load against santemail and Dovecot.

  imap_load.py prefill --port P --users FILE --password PW --messages N
  imap_load.py load    --port P --users FILE --password PW --clients 20 --duration 30 --label NAME
  imap_load.py idle    --port P --users FILE --password PW --conns 1000 --pid PID --hold 30

`users` is a file with one login per line. Everything runs over implicit TLS (IMAPS) on 127.0.0.1,
the certificate checked against --cafile (no host name check: loopback).

load: each client logs in (not timed), then loops over a mix a mail client does: SELECT INBOX,
FETCH 1:* (FLAGS), UID FETCH of 25 headers (alternately Thunderbird's HEADER.FIELDS and
ENVELOPE BODYSTRUCTURE), two UID FETCH BODY.PEEK[], UID STORE ±FLAGS, UID SEARCH (header or flag
criteria), APPEND to Sent (durable), and an IDLE round trip (IDLE, +, DONE, OK). Every command is
timed from send to its tagged OK; prints ops/s and p50/p99 per server and per command.

idle: opens --conns sessions (LOGIN, SELECT INBOX, IDLE) and prints the server's Rss/Pss growth
per connection from /proc/PID/smaps_rollup, read before the first and --hold seconds after the
last IDLE.
"""
import argparse
import asyncio
import base64
import os
import random
import re
import ssl
import subprocess
import sys
import time

LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")


class ImapError(Exception):
    pass


class Imap:
    def __init__(self, reader, writer):
        self.r, self.w, self.n = reader, writer, 0

    @classmethod
    async def connect(cls, port, ctx, host="127.0.0.1"):
        reader, writer = await asyncio.open_connection(host, port, ssl=ctx, limit=1 << 22)
        c = cls(reader, writer)
        greeting = await c.r.readline()
        if not greeting.startswith(b"* OK"):
            raise ImapError(f"greeting: {greeting!r}")
        return c

    async def line(self):
        """One response line, with its literals inlined."""
        data = await self.r.readline()
        if not data:
            raise ImapError("connection closed")
        out = [data]
        while (m := LITERAL.search(data)) is not None:
            out.append(await self.r.readexactly(int(m.group(1))))
            data = await self.r.readline()
            out.append(data)
        return b"".join(out)

    async def until_tagged(self, tag):
        lines = []
        while True:
            data = await self.line()
            if data.startswith(tag + b" "):
                if data[len(tag) + 1:len(tag) + 3] != b"OK":
                    raise ImapError(data.decode(errors="replace").strip())
                return lines
            lines.append(data)

    def tag(self):
        self.n += 1
        return b"A%d" % self.n

    async def cmd(self, text, literal=None):
        tag = self.tag()
        if literal is None:
            self.w.write(tag + b" " + text + b"\r\n")
        else:
            self.w.write(b"%s %s {%d}\r\n" % (tag, text, len(literal)))
            await self.w.drain()
            while True:
                data = await self.line()
                if data.startswith(b"+"):
                    break
                if data.startswith(tag + b" "):
                    raise ImapError(data.decode(errors="replace").strip())
            self.w.write(literal + b"\r\n")
        await self.w.drain()
        return await self.until_tagged(tag)

    async def idle_start(self):
        tag = self.tag()
        self.w.write(tag + b" IDLE\r\n")
        await self.w.drain()
        while True:
            data = await self.line()
            if data.startswith(b"+"):
                return tag
            if data.startswith(tag + b" "):
                raise ImapError(data.decode(errors="replace").strip())

    async def idle_done(self, tag):
        self.w.write(b"DONE\r\n")
        await self.w.drain()
        return await self.until_tagged(tag)

    async def login(self, user, password):
        await self.cmd(b'LOGIN "%s" "%s"' % (user.encode(), password.encode()))

    def close(self):
        try:
            self.w.close()
        except Exception:
            pass


def tls_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False
    return ctx


# ---------------------------------------------------------------------------------------------
# Messages: deterministic per (user index, message index), so both servers hold the same mail.

SUBJECTS = [
    "Ordonnance renouvellement", "Compte rendu de consultation", "Résultats biologie",
    "Demande d'avis", "Courrier de sortie", "Allergie pénicilline", "Suivi post-opératoire",
    "RDV radiologie", "Bilan kinésithérapie", "Vaccination grippe",
]
NAMES = ["Camille Martin", "Léa Rousseau", "Noé Blanc", "Hugo Le Gall", "Inès Perrin",
         "Jules Dubois", "Chloé Bernard", "Gaël Muller", "Anaïs Lefèvre", "Loïc Moreau"]
WORDS = ("patient tension artérielle traitement posologie examen clinique antécédents "
         "allergie biologie créatinine hémoglobine ordonnance suivi contrôle imagerie "
         "douleur thoracique consultation spécialiste rendez-vous semaine").split()


def q_encode(s):
    """RFC 2047 Q-encoding when needed."""
    if s.isascii():
        return s
    out = "".join(c if c.isascii() and c.isalnum() else "".join(f"={b:02X}" for b in c.encode())
                  for c in s)
    return f"=?UTF-8?Q?{out}?="


def body_text(rng, size):
    words, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(12))
        words.append(line)
        n += len(line) + 2
    return "\r\n".join(words)


def message(user, i):
    rng = random.Random(f"{user}/{i}")
    frm = rng.choice(NAMES)
    subject = f"{rng.choice(SUBJECTS)} #{i}"
    day = 1 + i % 28
    headers = (
        f"From: {q_encode(frm)} <{frm.split()[0].lower()}@medecin.mssante.example>\r\n"
        f"To: <{user}>\r\n"
        f"Subject: {q_encode(subject)}\r\n"
        f"Date: Mon, {day:02d} Nov 2026 {8 + i % 10:02d}:{i % 60:02d}:00 +0100\r\n"
        f"Message-ID: <bench.{i}.{user.split('@')[0]}@mssante.example>\r\n"
        "MIME-Version: 1.0\r\n"
    )
    text = body_text(rng, rng.choice([1500, 3000, 6000, 12000]))
    if i % 5 == 0:
        blob = bytes(rng.getrandbits(8) for _ in range(24000))
        b64 = base64.encodebytes(blob).decode().replace("\n", "\r\n")
        msg = (headers + 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
               "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: 8bit\r\n\r\n" + text + "\r\n"
               '--b1\r\nContent-Type: application/pdf; name="cr.pdf"\r\n'
               "Content-Transfer-Encoding: base64\r\n"
               'Content-Disposition: attachment; filename="cr.pdf"\r\n\r\n' + b64 +
               "--b1--\r\n")
    else:
        msg = (headers + "Content-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: 8bit\r\n\r\n" + text + "\r\n")
    return msg.encode()


def read_users(path):
    with open(path) as f:
        return [u.strip() for u in f if u.strip()]


# ---------------------------------------------------------------------------------------------

async def prefill(a):
    ctx = tls_context(a.cafile)
    users = read_users(a.users)

    async def one(user):
        c = await Imap.connect(a.port, ctx)
        await c.login(user, a.password)
        try:
            await c.cmd(b"CREATE Sent")
        except ImapError:
            pass  # santemail makes it at login
        for i in range(a.messages):
            await c.cmd(b"APPEND INBOX", message(user, i))
        await c.cmd(b"LOGOUT")
        c.close()

    t = time.monotonic()
    await asyncio.gather(*(one(u) for u in users))
    print(f"prefill: {len(users)} mailboxes × {a.messages} messages in "
          f"{time.monotonic() - t:.1f} s", file=sys.stderr)


SEARCHES = [b'UID SEARCH SUBJECT "ordonnance"', b"UID SEARCH UNSEEN",
            b'UID SEARCH FROM "martin"', b"UID SEARCH FLAGGED SINCE 10-Nov-2026"]
HEADERS = [b"UID FETCH %d:%d (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS "
           b"(FROM TO CC SUBJECT DATE MESSAGE-ID CONTENT-TYPE)])",
           b"UID FETCH %d:%d (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)"]


async def client(a, ctx, user, k, stats, start_evt, deadline, errors, ready):
    rng = random.Random(k)
    c = await Imap.connect(a.port, ctx)
    await c.login(user, a.password)
    await c.cmd(b"SELECT INBOX")
    found = await c.cmd(b"UID SEARCH ALL")
    uids = [int(x) for ln in found if ln.startswith(b"* SEARCH") for x in ln.split()[2:]]
    if not uids:
        raise ImapError(f"{user}: empty INBOX")
    appended = message(user, 10_000 + k)
    ready.set_result(None)
    await start_evt.wait()
    stop_at = deadline[0]
    it = 0

    async def timed(name, coro):
        if a.ops and name not in a.ops:
            coro.close()
            return
        t = time.perf_counter()
        try:
            await coro
        except ImapError as e:
            errors.append(f"{name}: {e}")
            return
        stats.setdefault(name, []).append(time.perf_counter() - t)

    while time.monotonic() < stop_at:
        it += 1
        await timed("SELECT", c.cmd(b"SELECT INBOX"))
        await timed("FETCH 1:* FLAGS", c.cmd(b"FETCH 1:* (FLAGS)"))
        lo = rng.randrange(0, max(1, len(uids) - 25))
        await timed("UID FETCH headers",
                    c.cmd(HEADERS[it % 2] % (uids[lo], uids[min(lo + 24, len(uids) - 1)])))
        for _ in range(2):
            await timed("UID FETCH BODY[]", c.cmd(b"UID FETCH %d BODY.PEEK[]" % rng.choice(uids)))
        sign = b"+" if it % 2 else b"-"
        await timed("UID STORE", c.cmd(b"UID STORE %d %sFLAGS (\\Flagged \\Seen)"
                                       % (rng.choice(uids), sign)))
        await timed("UID SEARCH", c.cmd(SEARCHES[it % len(SEARCHES)]))
        await timed("APPEND", c.cmd(b"APPEND Sent (\\Seen)", appended))

        async def idle():
            tag = await c.idle_start()
            await c.idle_done(tag)
        await timed("IDLE+DONE", idle())
    await c.cmd(b"LOGOUT")
    c.close()


def pct(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000


async def load(a):
    ctx = tls_context(a.cafile)
    users = read_users(a.users)
    stats, errors = {}, []
    start_evt = asyncio.Event()
    # Every client connects and logs in first (not timed); all start together, for --duration.
    deadline = [0.0]
    loop = asyncio.get_running_loop()
    ready = [loop.create_future() for _ in range(a.clients)]
    tasks = [asyncio.create_task(client(a, ctx, users[k % len(users)], k, stats, start_evt,
                                        deadline, errors, ready[k])) for k in range(a.clients)]
    while not all(f.done() for f in ready) and not any(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    deadline[0] = time.monotonic() + a.duration
    cpu0 = cpu_ticks(a.pid) if a.pid else {}
    own0 = time.process_time()
    start_evt.set()
    t0 = time.monotonic()
    # Server CPU over the duration, read before the clients log out (Dovecot's imap processes
    # exit at LOGOUT and take their counters with them).
    await asyncio.sleep(max(0.0, deadline[0] - time.monotonic()))
    cpu = cpu_delta(cpu0, cpu_ticks(a.pid)) / a.duration if a.pid else 0.0
    results = await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - t0
    own = time.process_time() - own0
    failed = [r for r in results if isinstance(r, BaseException)]
    for f in failed:
        print(f"{a.label}: client failed: {f!r}", file=sys.stderr)
    all_lat = [x for xs in stats.values() for x in xs]
    ops = len(all_lat)
    print(f"{a.label}: {ops / elapsed:.0f} ops/s, p50 {pct(all_lat, 50):.2f} ms, "
          f"p99 {pct(all_lat, 99):.2f} ms ({ops} ops in {elapsed:.1f} s, {a.clients} clients, "
          f"{len(errors)} errors, {len(failed)} failed clients)")
    if a.pid:
        print(f"  {a.label:>10} server CPU {cpu * 100:.0f}% of a core "
              f"({cpu * elapsed / max(ops, 1) * 1e6:.0f} µs/op); load generator CPU "
              f"{own / elapsed * 100:.0f}% of a core")
    for name, xs in stats.items():
        print(f"  {a.label:>10} {name:<18} {len(xs):>7} ops  p50 {pct(xs, 50):7.2f} ms"
              f"  p99 {pct(xs, 99):7.2f} ms")
    for e in errors[:5]:
        print(f"  error: {e}", file=sys.stderr)
    return 1 if failed or errors else 0


def family(pid):
    pids = [pid]
    if a_children:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    return pids


def cpu_ticks(pid):
    """utime+stime per process: the server (and its live children, with --children)."""
    out = {}
    for p in family(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[p] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return out


def cpu_delta(before, after):
    """CPU seconds between two samples (processes that ended in between are not counted)."""
    return sum(t - before.get(p, 0) for p, t in after.items()) / os.sysconf("SC_CLK_TCK")


def smaps(pid):
    """Rss and Pss in KiB of the process and its children (Dovecot is many processes)."""
    rss = pss = 0
    for p in family(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for ln in f:
                    if ln.startswith("Rss:"):
                        rss += int(ln.split()[1])
                    elif ln.startswith("Pss:"):
                        pss += int(ln.split()[1])
        except OSError:
            pass
    return rss, pss


a_children = False


async def idle(a):
    ctx = tls_context(a.cafile)
    users = read_users(a.users)
    # Warm-up: one-time costs (database pool, Argon2's buffer, TLS caches) are not per connection.
    for u in users[:5]:
        c = await Imap.connect(a.port, ctx)
        await c.login(u, a.password)
        await c.cmd(b"SELECT INBOX")
        await c.cmd(b"LOGOUT")
        c.close()
    await asyncio.sleep(2)
    before = smaps(a.pid)
    conns = []
    sem = asyncio.Semaphore(20)
    t = time.monotonic()

    async def open_one(k):
        async with sem:
            c = await Imap.connect(a.port, ctx)
            await c.login(users[k % len(users)], a.password)
            await c.cmd(b"SELECT INBOX")
            tag = await c.idle_start()
            conns.append((c, tag))

    results = await asyncio.gather(*(open_one(k) for k in range(a.conns)), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    opened = time.monotonic() - t
    await asyncio.sleep(a.hold)
    after = smaps(a.pid)
    n = len(conns)
    for f in failed[:3]:
        print(f"{a.label}: idle connection failed: {f!r}", file=sys.stderr)
    if n:
        print(f"{a.label}: {n} idle IDLE sessions (opened in {opened:.1f} s, {len(failed)} failed): "
              f"Rss {before[0]} -> {after[0]} KiB = {(after[0] - before[0]) / n:.1f} KiB/conn, "
              f"Pss {before[1]} -> {after[1]} KiB = {(after[1] - before[1]) / n:.1f} KiB/conn "
              f"(read {a.hold:.0f} s after the last IDLE)")
    # Still alive? One DONE per session proves they were really idling.
    alive = 0
    for c, tag in conns:
        try:
            await asyncio.wait_for(c.idle_done(tag), 10)
            alive += 1
        except Exception:
            pass
        c.close()
    print(f"{a.label}: {alive}/{n} sessions answered DONE", file=sys.stderr)
    return 0 if n == a.conns and alive == n else 1


def main():
    global a_children
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["prefill", "load", "idle"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--cafile", required=True)
    p.add_argument("--label", default="server")
    p.add_argument("--messages", type=int, default=200)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--duration", type=float, default=30)
    p.add_argument("--conns", type=int, default=1000)
    p.add_argument("--pid", type=int, default=0)
    p.add_argument("--children", action="store_true", help="idle: add the children's memory")
    p.add_argument("--hold", type=float, default=30)
    p.add_argument("--ops", type=lambda v: [x.strip() for x in v.split(",")], default=[],
                   help="load: only these commands (names as printed), for a per-command profile")
    a = p.parse_args()
    a_children = a.children
    run = {"prefill": prefill, "load": load, "idle": idle}[a.mode]
    sys.exit(asyncio.run(run(a)) or 0)


if __name__ == "__main__":
    main()
