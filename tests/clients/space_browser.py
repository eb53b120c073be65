"""The rest of the citizen space in a real headless Chromium (issue 9): medical profile, a measure
and its chart, the PDF synthesis downloaded and filed into the DMP, an appointment and its
iCalendar export, the service catalogue, and the installable-app manifest.

Usage: /usr/bin/python3 space_browser.py PLAN.json   (plan written by tests/space_browser.rs)
Each step prints one JSON line {"step": ...}; the last one is {"step": "done"}.
"""
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browserlib import *  # noqa: E402,F401,F403
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def set_value(i, value):
    """Date and time inputs take their value through the DOM (the typing format is the locale's)."""
    D.execute_script("document.getElementById(arguments[0]).value = arguments[1]", i, value)


def wait_file(suffix, seen):
    """A finished download ending with `suffix` that was not in `seen`."""
    deadline = time.time() + 30
    folder = PLAN["downloads"]
    while time.time() < deadline:
        names = [n for n in os.listdir(folder) if n.endswith(suffix) and n not in seen]
        partial = [n for n in os.listdir(folder) if n.endswith((".crdownload", ".tmp"))]
        if names and not partial:
            path = os.path.join(folder, names[0])
            if os.path.getsize(path) > 0:
                time.sleep(0.3)
                return path
        time.sleep(0.2)
    raise AssertionError("no %s download in %r" % (suffix, os.listdir(folder)))


def add_entry(section, fields):
    go("/profil/" + section)
    for key, value in fields.items():
        el = by_id("ajout-" + key)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        else:
            fill("ajout-" + key, value)
    shot("profil-" + section)
    submit_form("btn-ajouter")
    return by_id("entrees").text if exists("entrees") else D.page_source[:1500]


def add_measure(kind, value, date):
    go("/profil/mesures/" + kind)
    fill("valeur", value)
    set_value("date-mesure", date)
    set_value("heure-mesure", "08:30")
    submit_form("btn-ajouter-mesure")
    if exists("erreurs") or D.find_elements(By.CSS_SELECTOR, ".champ-erreur"):
        raise AssertionError("measure refused: %s" % D.page_source[:2000])


try:
    c = PLAN
    activate(c)
    login(c)
    report("logged_in", url=D.current_url)

    # The home page: tiles for the four parts of the space, and the app manifest.
    go("/")
    shot("accueil-tuiles")
    manifest = D.find_elements(By.CSS_SELECTOR, "link[rel=manifest]")
    report("home", tiles=[exists(t) for t in ["tuile-messages", "tuile-documents", "tuile-profil", "tuile-agenda"]],
           manifest=manifest[0].get_attribute("href") if manifest else None)

    # 1. The medical profile: a disease, a treatment, an allergy.
    go("/profil")
    shot("profil")
    sections = by_id("sections").text
    maladies = add_entry("maladies", {"title": "Asthme allergique", "start-date": "01/03/2010"})
    traitements = add_entry("traitements", {"title": "Salbutamol", "dose": "100 µg, 2 bouffées"})
    allergies = add_entry("allergies", {"title": "Pénicilline", "reaction": "Urticaire"})
    report("profile", sections=sections, maladies=maladies, traitements=traitements, allergies=allergies)

    # 2. Measures: two temperatures, then the chart is drawn (an SVG image the browser loaded).
    today = datetime.date.today()
    add_measure("temperature", "37,2", (today - datetime.timedelta(days=2)).isoformat())
    add_measure("temperature", "38,5", (today - datetime.timedelta(days=1)).isoformat())
    shot("mesures-temperature")
    img = by_id("graphique-temperature")
    loaded = D.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
    history = by_id("historique").text if exists("historique") else ""
    report("chart", width=loaded, alt=img.get_attribute("alt"), history=history)
    go("/profil/mesures")
    shot("mesures")

    # 3. The synthesis: downloaded as a PDF, then filed into the DMP.
    go("/profil/synthese")
    shot("synthese")
    seen = set(os.listdir(PLAN["downloads"]))
    click("telecharger")
    pdf = wait_file(".pdf", seen)
    report("synthesis_pdf", path=pdf)
    go("/profil/synthese")
    submit_form("btn-classer")
    shot("synthese-classee")
    notice = by_id("avis").text if exists("avis") else D.page_source[:1500]
    go("/documents")
    shot("documents-synthese")
    report("synthesis_filed", notice=notice, documents=D.find_element(By.TAG_NAME, "main").text)

    # 4. The agenda: an appointment, then the .ics export.
    go("/agenda")
    fill("rdv-avec", "Cabinet de pneumologie du Parc")
    fill("rdv-objet", "Bilan respiratoire ; contrôle")
    set_value("rdv-date", (today + datetime.timedelta(days=7)).isoformat())
    set_value("rdv-heure", "14:30")
    fill("rdv-lieu", "12, rue des Lilas, Lyon")
    shot("agenda-ajout")
    submit_form("btn-enregistrer")
    shot("agenda")
    upcoming = by_id("a-venir").text
    prevention = by_id("prevention").text
    seen = set(os.listdir(PLAN["downloads"]))
    click("lien-ics")
    ics = wait_file(".ics", seen)
    report("agenda", upcoming=upcoming, prevention=prevention, ics=ics)

    # 5. The catalogue: a search by a word with an accent, then a category.
    go("/catalogue")
    shot("catalogue")
    total = by_id("resultats").text
    fill("recherche-texte", "depistage")
    submit_form("btn-rechercher")
    shot("catalogue-recherche")
    found = by_id("resultats").text
    report("catalogue", total=total, found=found)
    report("done")
finally:
    try:
        shot("fin")
    except Exception:
        pass
    D.quit()
