"""What the IMAP scenarios share (imap_scenario.py, imap_scenario_ext.py): the failure list, TLS
contexts, connecting and logging in with imaplib, and raw exchanges (`wire`, `wire8`) for checks
of exact wire forms."""
import imaplib
import re
import ssl

# Commands imaplib does not know by name; _simple_command refuses unknown ones.
for _name in ("ID", "ENABLE", "MOVE", "UNSELECT", "NAMESPACE", "SORT", "THREAD"):
    imaplib.Commands.setdefault(_name, ("AUTH", "SELECTED", "NONAUTH"))

FAIL = []
INFO = {}

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
