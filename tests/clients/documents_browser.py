"""The citizen's DMP in a real headless Chromium (Debian chromium + chromedriver, Selenium).

Usage: /usr/bin/python3 documents_browser.py PLAN.json
The plan (written by tests/webmail_documents_browser.rs) is the one of webmail_browser.py plus
`https_port`. Steps: activation and login; the doctor sends (smtplib, her client certificate) a
message with two PDF attachments; the citizen files both into her record from the message page
(category pre-selected, title edited), hides one from professionals; the doctor lists the record
through the professional API with `curl --cert`; the read shows in "Historique des accès".
Each step prints one JSON line {"step":..., ...}; the last one is {"step": "done"}.
"""
import email
import email.header
import json
import os
import subprocess
import sys
import time
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browserlib import *  # noqa: E402,F401,F403

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def message_with_pdfs(subject, names):
    m = MIMEMultipart()
    m["From"] = PLAN["doctor"]
    m["To"] = PLAN["citizen_address"]
    m["Subject"] = subject
    m.attach(MIMEText("Bonjour, voici vos documents. Dr Martin", "plain", "utf-8"))
    for i, name in enumerate(names):
        part = MIMEApplication(PDF + (b"%% %d\n" % i), "pdf")
        part.add_header("Content-Disposition", "attachment", filename=name)
        m.attach(part)
    return m.as_bytes()


def file_attachment(index, title):
    """From the open message: "Enregistrer dans mon dossier" on attachment `index`."""
    click("dossier-%d" % index)
    shot("classer-%d" % index)
    category = by_id("classer-categorie").get_attribute("value")
    fill("classer-titre", title)
    submit_form("btn-classer")
    if not exists("titre-document"):
        raise AssertionError("no document page after filing: %s" % D.page_source[:1500])
    doc_id = int(D.current_url.split("/documents/")[1].split("?")[0])
    return doc_id, category


def curl_documents():
    port = PLAN["https_port"]
    host = "mx.mssante.example"
    out = subprocess.run(
        ["curl", "--silent", "--show-error", "--max-time", "15",
         "--cacert", PLAN["ca_bundle"],
         "--cert", PLAN["doctor_cert"], "--key", PLAN["doctor_key"],
         "--resolve", "%s:%d:127.0.0.1" % (host, port),
         "--write-out", "\n%{http_code}",
         "https://%s:%d/api/dmp/v1/patients/%s/documents" % (host, port, PLAN["nir"])],
        capture_output=True, text=True, check=False)
    body, _, code = out.stdout.rpartition("\n")
    if code.strip() != "200":
        raise AssertionError("API answered %s: %s %s" % (code, body, out.stderr))
    return json.loads(body)


def wait_dmp_notice(to):
    """The text of the first DMP notification e-mail to `to`."""
    deadline = time.time() + 15
    while time.time() < deadline:
        for m in sink_messages(to):
            subject = str(email.header.make_header(email.header.decode_header(m["Subject"])))
            if "dossier médical" in subject:
                part = m.get_payload(decode=True) or b""
                return part.decode(m.get_content_charset() or "utf-8", "replace")
        time.sleep(0.2)
    raise AssertionError("no DMP notification reached %s" % to)


try:
    c = PLAN
    activate(c)
    report("activated")
    send_as_doctor("Compte rendu et ordonnance", "", raw=message_with_pdfs(
        "Compte rendu et ordonnance", ["compte-rendu_irm.pdf", "ordonnance.pdf"]))
    login(c)
    report("logged_in", url=D.current_url)

    # File both attachments from the message page.
    open_message_with_subject("Compte rendu et ordonnance")
    shot("message-pieces")
    if not exists("dossier-0") or not exists("dossier-1"):
        raise AssertionError("no 'Enregistrer dans mon dossier' on the attachments")
    cr_id, cr_category = file_attachment(0, "IRM du genou")
    open_message_with_subject("Compte rendu et ordonnance")
    rx_id, rx_category = file_attachment(1, "Ordonnance de kinésithérapie")
    report("filed", ids=[cr_id, rx_id], categories=[cr_category, rx_category])

    # Hide the IRM report from professionals.
    go("/documents/%d" % cr_id)
    submit_form("btn-masquer")
    shot("document-masque")
    if not exists("btn-afficher"):
        raise AssertionError("the document does not show as hidden")
    go("/documents")
    shot("documents")
    report("hidden", id=cr_id, badge=exists("masque-%d" % cr_id),
           listed=[exists("document-%d" % cr_id), exists("document-%d" % rx_id)])

    # The doctor lists the record through the API with her personal certificate.
    listing = curl_documents()
    report("api", ids=[d["id"] for d in listing["documents"]])

    # The citizen is told by e-mail at her personal address (who and what, no title).
    report("notified", body=wait_dmp_notice(c["personal_email"]))

    # The read shows in the history.
    time.sleep(0.3)
    go("/documents/historique")
    shot("historique")
    report("history", text=by_id("historique").text if exists("historique") else D.page_source[:2000])
    report("done")
finally:
    try:
        shot("fin")
    except Exception:
        pass
    D.quit()
