"""The whole space, end to end (issue 8), with clients we did not write: smtplib with client
certificates, imaplib, curl for the professional DMP API, and a headless Chromium for the citizen.

Usage: /usr/bin/python3 journey.py PLAN.json   (the plan is written by tests/journey.rs)
Each step prints one JSON line {"step": ..., ...}; any surprise raises; the last line is
{"step": "done"}.
"""
import imaplib
import json
import os
import smtplib
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browserlib import *  # noqa: E402,F401,F403

c = PLAN


def tls_context(cert, key):
    ctx = ssl.create_default_context(cafile=c["ca_bundle"])
    ctx.check_hostname = False  # loopback: the chain is still verified against the dev root
    ctx.load_cert_chain(cert, key)
    return ctx


def submit(identity, to, data):
    """SMTP submission (587, STARTTLS) authenticated by the client certificate."""
    who = c["identities"][identity]
    with smtplib.SMTP("127.0.0.1", c["submission_port"], timeout=30) as s:
        s.starttls(context=tls_context(who["cert"], who["key"]))
        return s.sendmail(who["address"], to, data)


def imap_subjects(identity, mailbox="INBOX"):
    """Subjects in a mailbox, over IMAPS with AUTHENTICATE EXTERNAL (client certificate)."""
    who = c["identities"][identity]
    m = imaplib.IMAP4_SSL("127.0.0.1", c["imaps_port"], ssl_context=tls_context(who["cert"], who["key"]))
    m.authenticate("EXTERNAL", lambda _: b"")
    typ, _ = m.select('"%s"' % mailbox, readonly=True)
    if typ != "OK":
        raise AssertionError("%s cannot select %s" % (identity, mailbox))
    typ, data = m.uid("SEARCH", None, "ALL")
    out = []
    for uid in data[0].split():
        typ, msg = m.uid("FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        raw = msg[0][1].decode("utf-8", "replace")
        subject = raw.split(":", 1)[1].strip() if ":" in raw else ""
        out.append(str(email.header.make_header(email.header.decode_header(subject))))
    m.logout()
    return out


def api(identity, path):
    """The professional DMP API over HTTPS with the personal certificate (curl)."""
    who = c["identities"][identity]
    out = subprocess.run(
        ["curl", "-sS", "--cacert", c["ca_bundle"], "--cert", who["cert"], "--key", who["key"],
         "--resolve", "mssante.example:%d:127.0.0.1" % c["https_port"],
         "-w", "\n%{http_code}", "https://mssante.example:%d%s" % (c["https_port"], path)],
        capture_output=True, text=True, timeout=30)
    body, _, status = out.stdout.rpartition("\n")
    return int(status or 0), body


def wait_for(what, f, limit=10):
    deadline = time.time() + limit
    while time.time() < deadline:
        v = f()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


try:
    citizen = c["citizen_address"]
    # 1. The lab's software (APP certificate) sends a result to the doctor; the doctor sends the
    #    citizen an IHE XDM package.
    lab = c["identities"]["lab"]["address"]
    doctor = c["identities"]["doctor"]["address"]
    submit("lab", [doctor], (
        "From: %s\r\nTo: %s\r\nSubject: Résultat de biologie\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Glycémie : 5,1 mmol/L.\r\n" % (lab, doctor)).encode("utf-8"))
    wait_for("the lab result in the doctor's INBOX",
             lambda: any("biologie" in s for s in imap_subjects("doctor")))
    # The citizen activates her account (a pending account receives nothing), then the doctor
    # writes.
    activate(c)
    submit("doctor", [citizen], open(c["xdm_message"], "rb").read())
    report("smtp_sent")

    # 2. The citizen logs in (password + code), reads and answers.
    login(c)
    open_message_with_subject("Vos résultats")
    shot("journey-message-xdm")
    if not exists("form-reponse"):
        raise AssertionError("no reply form on the doctor's message")
    fill("reponse-texte", "Merci docteur, c'est bien reçu.")
    submit_form("btn-repondre")
    shot("journey-reponse")
    # File the XDM package into the DMP.
    open_message_with_subject("Vos résultats")
    xdm = D.find_elements(By.CSS_SELECTOR, "button[id^='btn-xdm-']")
    if not xdm:
        raise AssertionError("no XDM filing button on the message")
    xdm[0].click()
    shot("journey-xdm-classe")
    report("xdm_filed", page=D.find_element(By.TAG_NAME, "body").text[:400])
    # A message to the nurse, who never wrote, is not offered: only pharmacies can be found.
    go("/ecrire")
    fill("recherche", "LE GALL")
    submit_form("btn-rechercher")
    shot("journey-recherche-infirmier")
    report("nurse_not_offered", no_result=exists("aucun-resultat"), results=exists("resultats"))

    # 3. The doctor reads the reply over IMAP, then ends the conversation.
    wait_for("the reply in the doctor's INBOX",
             lambda: any(s.startswith("Re:") for s in imap_subjects("doctor")))
    send_as_doctor("Fin du suivi", "Votre suivi est terminé.", fin=True)
    time.sleep(0.5)
    open_message_with_subject("Fin du suivi")
    shot("journey-fin")
    report("fin", reply_form=exists("form-reponse"), refused=exists("reponse-impossible"))

    # 4. A prescription photo to the pharmacy; the pharmacist reads it in the shared ORG mailbox.
    go("/ecrire")
    fill("recherche", "37000")
    submit_form("btn-rechercher")
    click("ecrire-1")
    fill("message", "Bonjour, voici mon ordonnance.")
    by_id("piece").send_keys(c["attachment"])
    submit_form("btn-envoyer")
    shot("journey-pharmacie")
    shared = "Shared/%s/INBOX" % c["identities"]["pharmacy"]["address"]
    subjects = wait_for("the prescription in the pharmacy's shared mailbox",
                        lambda: [s for s in imap_subjects("pharmacist", shared) if "Ordonnance" in s])
    report("pharmacist_read", subjects=subjects)

    # 5. The citizen hides one document; the nurse reads the DMP through the API.
    go("/documents")
    shot("journey-documents")
    links = D.find_elements(By.CSS_SELECTOR, "a[id^='lien-document-']")
    if len(links) < 2:
        raise AssertionError("the XDM package's two documents are not listed: "
                             + D.find_element(By.TAG_NAME, "body").text[:500])
    hidden_id = links[0].get_attribute("id").rsplit("-", 1)[1]
    links[0].click()
    submit_form("btn-masquer")
    shot("journey-document-masque")
    before = len(sink_messages(c["personal_email"]))
    status, body = api("nurse", "/api/dmp/v1/patients/%s/documents" % c["ins"])
    docs = json.loads(body) if status == 200 else body
    report("nurse_api", status=status, documents=docs, hidden_id=hidden_id)
    notified = wait_for("a notification e-mail", lambda: len(sink_messages(c["personal_email"])) > before)
    go("/documents/historique")
    shot("journey-historique")
    report("history", text=D.find_element(By.TAG_NAME, "body").text[:2000], notified=bool(notified))

    # 6. The parent switches to a child's profile: the child's mailbox, not hers.
    go("/profils")
    shot("journey-profils")
    submit_form("btn-profil-2")
    go("/messages")
    shot("journey-profil-enfant")
    child_page = D.find_element(By.TAG_NAME, "body").text
    report("child_profile", sees_parent_mail=("Vos résultats" in child_page), page=child_page[:300])
    go("/profils")
    submit_form("btn-profil-1")

    # 7. Closing with the export: then mail is refused; reactivation brings everything back.
    go("/fermeture")
    click("lien-export")
    export = wait_download(c["downloads"])
    fill("mot-de-passe", c["password"])
    click("confirmation")
    submit_form("btn-fermer")
    shot("journey-ferme")
    try:
        submit("doctor", [citizen], b"Subject: encore\r\n\r\nBonjour\r\n")
        refused = None
    except smtplib.SMTPRecipientsRefused as e:
        refused = e.recipients[citizen][0]
    report("closed", export=export, refused_code=refused)
    report("done")
finally:
    try:
        shot("journey-fin-du-test")
    except Exception:
        pass
    D.quit()
