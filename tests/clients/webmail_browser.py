"""The citizen's journey in a real headless Chromium (Debian chromium + chromedriver, Selenium).

Usage: /usr/bin/python3 webmail_browser.py PLAN.json
The plan (written by tests/webmail_browser.rs) gives the webmail URL, the citizen's data, where the
SMTP sink and the SMS file are, the doctor's certificate for sending over SMTP with smtplib, and
where to put screenshots and downloads. Each step prints one JSON line {"step":..., ...}; any
surprise raises, and the last line is {"step": "done"}.
"""
import email
import json
import os
import re
import smtplib
import ssl
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

PLAN = json.load(open(sys.argv[1]))
BASE = PLAN["base_url"].rstrip("/")
SHOTS = PLAN["screenshots"]
os.makedirs(SHOTS, exist_ok=True)
os.makedirs(PLAN["downloads"], exist_ok=True)
SHOT_N = [0]


def report(step, **kv):
    kv["step"] = step
    print(json.dumps(kv, ensure_ascii=False), flush=True)


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--window-size=412,915",
              "--lang=fr-FR", "--user-data-dir=" + PLAN["profile_dir"]]:
        o.add_argument(a)
    # The dev PKI's root is not in Chromium's store: trust it by its SPKI hash only, so the
    # certificate is still checked (name, dates, chain to that root).
    o.add_argument("--ignore-certificate-errors-spki-list=" + PLAN["server_spki"])
    o.add_experimental_option("prefs", {
        "download.default_directory": PLAN["downloads"],
        "download.prompt_for_download": False,
    })
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


D = browser()
D.implicitly_wait(2)


def shot(name):
    SHOT_N[0] += 1
    D.save_screenshot(os.path.join(SHOTS, "%02d-%s.png" % (SHOT_N[0], name)))


def go(path):
    D.get(BASE + path)


def by_id(i):
    return D.find_element(By.ID, i)


def exists(i):
    return len(D.find_elements(By.ID, i)) > 0


def fill(i, value):
    el = by_id(i)
    el.clear()
    el.send_keys(value)


def click(i):
    by_id(i).click()


def sink_messages(to):
    out = []
    d = PLAN["sink_dir"]
    for name in sorted(os.listdir(d)):
        if not name.endswith(".eml"):
            continue
        raw = open(os.path.join(d, name), "rb").read()
        if ("X-Sink-Rcpt: " + to).encode() in raw.split(b"\r\n\r\n", 1)[0]:
            out.append(email.message_from_bytes(raw))
    return out


def wait_code_mail(to, before):
    """The code in the subject of the first new message to `to` ("… : 123456")."""
    deadline = time.time() + 15
    while time.time() < deadline:
        msgs = sink_messages(to)
        if len(msgs) > before:
            subject = str(email.header.make_header(email.header.decode_header(msgs[before]["Subject"])))
            m = re.search(r"(\d{6})\s*$", subject)
            if not m:
                raise AssertionError("no code in subject %r" % subject)
            return m.group(1)
        time.sleep(0.1)
    raise AssertionError("no e-mail with a code reached %s" % to)


def last_sms_code(number):
    text = open(PLAN["sms_file"], encoding="utf-8").read() if os.path.exists(PLAN["sms_file"]) else ""
    lines = [l for l in text.splitlines() if l.startswith(number + "\t")]
    if not lines:
        raise AssertionError("no SMS to %s" % number)
    return re.findall(r"\b(\d{6})\b", lines[-1])[-1]


def send_as_doctor(subject, body, fin=False):
    ctx = ssl.create_default_context(cafile=PLAN["ca_bundle"])
    ctx.check_hostname = False  # loopback: the chain is still verified against the dev root
    ctx.load_cert_chain(PLAN["doctor_cert"], PLAN["doctor_key"])
    doctor, citizen = PLAN["doctor"], PLAN["citizen_address"]
    head = "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n" % (doctor, citizen, subject)
    head += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    if fin:
        head += "X-MSS-MES: FIN\r\n"
    with smtplib.SMTP("127.0.0.1", PLAN["submission_port"], timeout=30) as s:
        s.starttls(context=ctx)
        s.sendmail(doctor, [citizen], (head + "\r\n" + body + "\r\n").encode("utf-8"))


def wait_download(folder):
    """The finished download: no partial file left and the size stable for half a second."""
    deadline = time.time() + 30
    last = None
    while time.time() < deadline:
        names = os.listdir(folder)
        done = [n for n in names if not n.endswith((".crdownload", ".tmp")) and not n.startswith(".")]
        partial = [n for n in names if n not in done]
        if done and not partial:
            path = os.path.join(folder, done[0])
            size = os.path.getsize(path)
            if last == (path, size) and size > 0:
                return path
            last = (path, size)
        time.sleep(0.5)
    raise AssertionError("the export was not downloaded: %r" % os.listdir(folder))


def open_message_with_subject(subject):
    go("/messages")
    shot("messages")
    links = [a for a in D.find_elements(By.CSS_SELECTOR, "#liste-messages a") if subject in a.text]
    if not links:
        raise AssertionError("no message %r in the inbox: %s" % (subject, D.page_source[:2000]))
    links[0].click()
    if subject not in by_id("objet").text:
        raise AssertionError("the message page shows %r" % by_id("objet").text)


try:
    c = PLAN
    # 1. Activation: identity, then account, then both codes.
    go("/")
    shot("accueil")
    click("lien-activation")
    fill("nir", c["nir"])
    D.execute_script("document.getElementById('date-naissance').value = arguments[0]", c["birth_date"])
    fill("numero-vitale", c["vitale"])
    fill("code-provisoire", c["provisional_code"])
    shot("activation-identite")
    click("btn-activer")
    before = len(sink_messages(c["personal_email"]))
    fill("identifiant", c["identifier"])
    fill("mot-de-passe", c["password"])
    fill("confirmation", c["password"])
    fill("email", c["personal_email"])
    fill("mobile", c["mobile"])
    shot("activation-compte")
    click("btn-compte")
    fill("code-email", wait_code_mail(c["personal_email"], before))
    fill("code-sms", last_sms_code(c["mobile_e164"]))
    shot("activation-codes")
    click("btn-confirmer")
    shot("activation-terminee")
    report("activated", url=D.current_url)

    # The doctor writes first (SMTP, her client certificate).
    send_as_doctor("Vos résultats d'analyses", "Bonjour, vos résultats sont normaux. Dr Martin")

    # 2. Login: identifier + password, then the code sent by e-mail.
    D.delete_all_cookies()
    go("/connexion")
    before = len(sink_messages(c["personal_email"]))
    fill("identifiant", c["identifier"])
    fill("mot-de-passe", c["password"])
    shot("connexion")
    click("btn-connexion")
    fill("code", wait_code_mail(c["personal_email"], before))
    shot("connexion-code")
    click("btn-code")
    report("logged_in", url=D.current_url)

    # 3. Read the doctor's message and answer it: allowed, she wrote first.
    open_message_with_subject("Vos résultats")
    shot("message-medecin")
    if not exists("form-reponse"):
        raise AssertionError("no reply form on the doctor's message")
    fill("reponse-texte", "Merci docteur, bonne journée.")
    click("btn-repondre")
    shot("reponse-envoyee")
    report("replied", page=D.find_element(By.TAG_NAME, "body").text[:300])

    # 4. The doctor ends the conversation: the citizen can no longer answer.
    send_as_doctor("Fin du suivi", "Votre suivi est terminé.", fin=True)
    time.sleep(0.5)
    open_message_with_subject("Fin du suivi")
    shot("message-fin")
    if exists("form-reponse"):
        raise AssertionError("a reply form is offered on a FIN message")
    report("fin", notice=exists("avis-fin"), refused=exists("reponse-impossible"),
           text=by_id("reponse-impossible").text if exists("reponse-impossible") else "")

    # 5. Write to a pharmacy with a prescription photo.
    go("/ecrire")
    fill("recherche", c["pharmacy_query"])
    click("btn-rechercher")
    shot("recherche-pharmacie")
    click("ecrire-1")
    fill("message", "Bonjour, voici mon ordonnance. Merci.")
    by_id("piece").send_keys(c["attachment"])
    shot("message-pharmacie")
    click("btn-envoyer")
    shot("pharmacie-envoye")
    report("pharmacy_sent", page=D.find_element(By.TAG_NAME, "body").text[:300])

    # 6. Close the account, after downloading everything.
    go("/fermeture")
    shot("fermeture")
    click("lien-export")
    exported = wait_download(c["downloads"])
    fill("mot-de-passe", c["password"])
    click("confirmation")
    click("btn-fermer")
    shot("compte-ferme")
    report("closed", export=exported,
           page=D.find_element(By.TAG_NAME, "body").text[:300])
    report("done")
finally:
    try:
        shot("fin")
    except Exception:
        pass
    D.quit()
