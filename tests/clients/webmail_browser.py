"""The citizen's journey in a real headless Chromium (Debian chromium + chromedriver, Selenium).

Usage: /usr/bin/python3 webmail_browser.py PLAN.json
The plan (written by tests/webmail_browser.rs) gives the webmail URL, the citizen's data, where the
SMTP sink and the SMS file are, the doctor's certificate for sending over SMTP with smtplib, and
where to put screenshots and downloads. Each step prints one JSON line {"step":..., ...}; any
surprise raises, and the last line is {"step": "done"}.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browserlib import *  # noqa: E402,F401,F403

try:
    c = PLAN
    # 1. Activation: identity, then account, then both codes.
    activate(c)
    report("activated", url=D.current_url)

    # The doctor writes first (SMTP, her client certificate).
    send_as_doctor("Vos résultats d'analyses", "Bonjour, vos résultats sont normaux. Dr Martin")

    # 2. Login: identifier + password, then the code sent by e-mail.
    login(c)
    report("logged_in", url=D.current_url)

    # 3. Read the doctor's message and answer it: allowed, she wrote first.
    open_message_with_subject("Vos résultats")
    shot("message-medecin")
    if not exists("form-reponse"):
        raise AssertionError("no reply form on the doctor's message")
    fill("reponse-texte", "Merci docteur, bonne journée.")
    submit_form("btn-repondre")
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
    submit_form("btn-rechercher")
    shot("recherche-pharmacie")
    click("ecrire-1")
    fill("message", "Bonjour, voici mon ordonnance. Merci.")
    by_id("piece").send_keys(c["attachment"])
    shot("message-pharmacie")
    submit_form("btn-envoyer")
    shot("pharmacie-envoye")
    report("pharmacy_sent", page=D.find_element(By.TAG_NAME, "body").text[:300])

    # 6. Close the account, after downloading everything.
    go("/fermeture")
    shot("fermeture")
    click("lien-export")
    exported = wait_download(c["downloads"])
    fill("mot-de-passe", c["password"])
    click("confirmation")
    submit_form("btn-fermer")
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
