"""Shared helpers for the browser tests: a headless Chromium driven with Selenium (Debian
chromium + chromium-driver + python3-selenium), the SMTP sink and SMS file readers, and a doctor
sending over SMTP with her client certificate (smtplib)."""
import email
import email.header
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
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

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


def submit_form(i):
    """Click a form's button and wait until the next page has replaced this one: a `go()` issued
    while the POST is still in flight races with its redirect, and either page may win."""
    old = D.find_element(By.TAG_NAME, "html")
    by_id(i).click()

    def replaced(_):
        # Chromium reports a replaced document either as a stale element or as "Node ... does
        # not belong to the document": both mean the old page is gone.
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            pass
        try:
            return D.execute_script("return document.readyState") == "complete"
        except WebDriverException:
            return False

    WebDriverWait(D, 30).until(replaced)


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
    """The code of the first new message to `to` whose subject ends with one ("… : 123456");
    other notices ("Vous avez un nouveau message") may arrive in between."""
    deadline = time.time() + 15
    while time.time() < deadline:
        for msg in sink_messages(to)[before:]:
            subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
            m = re.search(r"(\d{6})\s*$", subject)
            if m:
                return m.group(1)
        time.sleep(0.1)
    raise AssertionError("no e-mail with a code reached %s" % to)


def last_sms_code(number):
    text = open(PLAN["sms_file"], encoding="utf-8").read() if os.path.exists(PLAN["sms_file"]) else ""
    lines = [l for l in text.splitlines() if l.startswith(number + "\t")]
    if not lines:
        raise AssertionError("no SMS to %s" % number)
    return re.findall(r"\b(\d{6})\b", lines[-1])[-1]


def send_as_doctor(subject, body, fin=False, raw=None):
    ctx = ssl.create_default_context(cafile=PLAN["ca_bundle"])
    ctx.check_hostname = False  # loopback: the chain is still verified against the dev root
    ctx.load_cert_chain(PLAN["doctor_cert"], PLAN["doctor_key"])
    doctor, citizen = PLAN["doctor"], PLAN["citizen_address"]
    head = "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n" % (doctor, citizen, subject)
    head += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    if fin:
        head += "X-MSS-MES: FIN\r\n"
    data = raw if raw is not None else (head + "\r\n" + body + "\r\n").encode("utf-8")
    with smtplib.SMTP("127.0.0.1", PLAN["submission_port"], timeout=30) as s:
        s.starttls(context=ctx)
        s.sendmail(doctor, [citizen], data)


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




def activate(c):
    """Activation: identity, then the account (identifier, password, contacts), then both codes."""
    go("/")
    shot("accueil")
    click("lien-activation")
    fill("nir", c["nir"])
    D.execute_script("document.getElementById('date-naissance').value = arguments[0]", c["birth_date"])
    fill("numero-vitale", c["vitale"])
    fill("code-provisoire", c["provisional_code"])
    shot("activation-identite")
    submit_form("btn-activer")
    before = len(sink_messages(c["personal_email"]))
    fill("identifiant", c["identifier"])
    fill("mot-de-passe", c["password"])
    fill("confirmation", c["password"])
    fill("email", c["personal_email"])
    fill("mobile", c["mobile"])
    shot("activation-compte")
    submit_form("btn-compte")
    fill("code-email", wait_code_mail(c["personal_email"], before))
    fill("code-sms", last_sms_code(c["mobile_e164"]))
    shot("activation-codes")
    submit_form("btn-confirmer")
    shot("activation-terminee")


def login(c):
    """Login, every time: identifier + password, then the one-time code sent by e-mail."""
    D.delete_all_cookies()
    go("/connexion")
    before = len(sink_messages(c["personal_email"]))
    fill("identifiant", c["identifier"])
    fill("mot-de-passe", c["password"])
    shot("connexion")
    submit_form("btn-connexion")
    fill("code", wait_code_mail(c["personal_email"], before))
    shot("connexion-code")
    submit_form("btn-code")
