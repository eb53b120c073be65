"""Test messages for imap_compliance.py, written for it (LF line ends; the client sends CRLF)."""

# Messages with the MIME oddities compliance suites like: a boundary folded over two lines,
# prologue and epilogue text, message/rfc822 holding a multipart, a digest whose parts have no
# header, source routes, groups, comments, encoded words, quotes in unstructured fields.
MIXED_WITH_RFC822 = """From: user@domain.org
Date: Sat, 24 Mar 2007 23:00:00 +0200
Mime-Version: 1.0
Content-Type: multipart/mixed; boundary="foo
 bar"

Root MIME prologue

--foo bar
Content-Type: text/x-myown; charset=us-ascii

hello

--foo bar
Content-Type: message/rfc822

From: sub@domain.org
Date: Sun, 12 Aug 2012 12:34:56 +0300
Subject: submsg
Content-Type: multipart/alternative; boundary="sub1"

Sub MIME prologue
--sub1
Content-Type: text/html

<p>Hello world</p>

--sub1
Content-Type: text/plain

Hello another world

--sub1--
Sub MIME epilogue

--foo bar--
Root MIME epilogue
"""

DIGEST_IN_RFC822 = """From: user@domain.org
Content-Type: message/rfc822

From: sub@domain.org
Subject: submsg
Content-Type: multipart/digest; boundary="foo"

prologue

--foo

From: m1@example.com
Subject: m1

m1 body

--foo
X-Mime: m2 header

From: m2@example.com
Subject: m2

m2 body

--foo--

epilogue
"""

ATTACHMENT = """From: a@b.c
Content-Type: multipart/mixed; boundary="XX"
Content-Language: fr, en
Content-Location: http://x/y

--XX
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable
Content-ID: <cid@x>
Content-Description: =?UTF-8?Q?d=C3=A9scription?=
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
Content-Disposition: inline
Content-Language: fr

caf=C3=A9
--XX
Content-Type: application/pdf; name="=?UTF-8?Q?r=C3=A9sultat.pdf?="
Content-Transfer-Encoding: base64

JVBERi0K
--XX--
"""

_DATE = "Date: Sat, 01 Feb 2007 01:02:03 +0200\n"
ENVELOPES = [
    _DATE + "From: <@route:user@domain>\n\nbody\n",
    _DATE + "From: user@domain (Real Name)\nSender: \nReply-To: \n\nbody\n",
    _DATE + "From: a@b.c\nTo: group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;\n\nbody\n",
    _DATE + 'Subject: =?ISO-8859-1?Q?caf=E9?= "quoted" back\\slash\n'
    "From: =?UTF-8?B?w6lsw6k=?= <e@x.org>\n\nbody\n",
]

ADDRESSES = [
    "From: user-from@domain.org\nTo: user-to@domain.org\nCc: user-cc@domain.org\n\nb\n",
    "From: RealFrom <user-from@domain.org>\nCc: RealCc <user-cc@domain.org>\n\nb\n",
    "From: <user-from (comment)@ (comment) domain.org>\nCc: <user-cc@domain.org>\n\nb\n",
    "From: user-from@domain.org (RealFrom)\nCc: user-cc@domain.org (RealCc)\n\nb\n",
    "From: user-from1@domain.org, user-from2@domain.org\nCc: user-cc@domain.org\n\nb\n",
    "To: groupname: groupuser1@domain.org, groupuser2@domain.org;,\n"
    "  groupname2: groupuser3@domain.org;\n\nb\n",
]

SORT_SUBJECTS = [
    f"Subject: {s}\n\n{body}\n" if s is not None else f"X-No-Subject: 1\n\n{body}\n"
    for s, body in [
        ("a", "1"), ("C", "2"), ("b", "3"), ("_", "4"),
        ("[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "55"), ("b (a)", "66"),
        ("Re: [FWD: c]", "77"), ("[xyz]", "88"), (None, "9"),
    ]
]
