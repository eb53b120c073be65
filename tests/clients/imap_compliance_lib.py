"""What the compliance checks share (imap_compliance.py, imap_compliance_sessions.py): the
failure list and check counter, a raw TLS IMAP client, and small helpers over its lines."""
import re
import socket
import ssl

FAIL = []
COUNT = [0]


def check(name, cond, detail=""):
    COUNT[0] += 1
    if not cond:
        FAIL.append(f"{name}: {detail}")


class Client:
    """One IMAP session: sends tagged commands, returns every line up to the tagged one, each
    line with its literals inline (so a FETCH response is one bytes value)."""

    def __init__(self, args):
        ctx = ssl.create_default_context(cafile=args.cafile)
        ctx.check_hostname = False
        raw = socket.create_connection(("127.0.0.1", args.imaps), timeout=20)
        self.sock = ctx.wrap_socket(raw, server_hostname="mx.mssante.example")
        self.buf = b""
        self.n = 0
        self.line()  # greeting
        done = self.cmd(f'LOGIN "{args.user}" "{args.password}"')
        if not done[-1].split()[1] == b"OK":
            raise SystemExit(f"login failed: {done}")

    def line(self):
        while b"\r\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError(self.buf)
            self.buf += data
        head, self.buf = self.buf.split(b"\r\n", 1)
        m = re.search(rb"\{(\d+)\+?\}$", head)
        if not m:
            return head
        size = int(m.group(1))
        while len(self.buf) < size:
            self.buf += self.sock.recv(65536)
        lit, self.buf = self.buf[:size], self.buf[size:]
        return head + b"\r\n" + lit + self.line()

    def send(self, data):
        self.sock.sendall(data)

    def cmd(self, command, literal=None):
        self.n += 1
        tag = b"C%d" % self.n
        if isinstance(command, str):
            command = command.encode()
        if literal is None:
            self.send(tag + b" " + command + b"\r\n")
        else:
            self.send(tag + b" " + command + b" {%d+}\r\n" % len(literal) + literal + b"\r\n")
        out = []
        while True:
            line = self.line()
            out.append(line)
            if line.startswith(tag + b" "):
                return out

    def until(self, tag):
        """Reads lines up to the tagged reply `tag` (for pipelined commands)."""
        out = []
        while True:
            line = self.line()
            out.append(line)
            if line.startswith(tag + b" "):
                return out


def status(lines):
    return lines[-1].split(b" ")[1].decode()


def untagged(lines, word):
    return [l for l in lines if l.startswith(b"* ") and word in l.split(b" ")[:3]]


def after_expunges(numbers, lines):
    """Applies the EXPUNGE responses in `lines` to the list of message numbers `numbers`: any
    order the server chose is fine as long as each number is right when it is sent."""
    left = list(numbers)
    for l in untagged(lines, b"EXPUNGE"):
        n = int(l.split()[1])
        if not 1 <= n <= len(left):
            return None
        del left[n - 1]
    return left


def seqs_of(lines):
    """The distinct message numbers in the FETCH responses of `lines`."""
    return {int(l.split()[1]) for l in untagged(lines, b"FETCH")}


def crlf(text):
    return text.replace("\n", "\r\n").encode()


def fresh(c, name, messages):
    c.cmd(f"DELETE {name}")
    c.cmd(f"CREATE {name}")
    for m in messages:
        c.cmd(f"APPEND {name} ()", m)
    return c.cmd(f"SELECT {name}")


def section(c, seq, spec):
    """The octets of BODY[spec] of message `seq`."""
    lines = c.cmd(f"FETCH {seq} BODY.PEEK[{spec}]")
    for l in lines:
        m = re.match(rb"\* \d+ FETCH \(BODY\[[^\]]*\](?:<\d+>)? \{(\d+)\}\r\n", l)
        if m:
            start = m.end()
            return l[start : start + int(m.group(1))]
    return None
