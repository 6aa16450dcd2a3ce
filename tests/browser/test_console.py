"""The agents' console in a real browser (Debian Chromium): log in, queue refreshed without
reload, transcript refreshed with user HTML shown as text, reply, case and admin pages, and
axe-core on every page (no "serious" or "critical" violation). The last test runs the whole
assistant: a handoff asked for by SMS in the simulator, answered from the console, handed back.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from devtools.seeds.console import DEMO_PASSWORD
from policies.hours import in_quiet_hours
from seniorplus.cases import contact_for_conversation, open_case
from seniorplus.db import make_engine
from seniorplus.handoff.service import request_handoff
from seniorplus.history.transcripts import EVENTS
from seniorplus.models import CallbackRequest, utcnow
from tests.browser.conftest import ROOT, TIMEOUT_MS

AXE = Axe()
SENT_OR_DEFERRED = re.compile(r"^(Envoyé\.|Envoi différé \(heures calmes\) : .+)$")
SENT_OR_DEFERRED_LINE = re.compile(r"^(Envoyé|Envoi différé \(heures calmes\) : .+)$")
BLOCKING = ("serious", "critical")
HTML_ATTACK = (
    '<img src=x onerror="document.title=\'piraté\'"><script>document.title="piraté"</script>'
)


# --- helpers ---------------------------------------------------------------------------------


@contextmanager
def database(site: dict[str, str]) -> Iterator[Session]:
    engine = make_engine(site["DATABASE_URL"], pooled=False)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    finally:
        session.close()
        engine.dispose()


def person_says(site: dict[str, str], sender: str, text: str) -> None:
    """A user event in the tracker store, as Rasa writes it."""
    at = utcnow().timestamp()
    data = {"event": "user", "text": text, "timestamp": at, "input_channel": "twilio"}
    engine = create_engine(site["TRACKER_STORE_URL"])
    with engine.begin() as connection:
        connection.execute(
            EVENTS.insert().values(
                sender_id=sender, type_name="user", timestamp=at, data=json.dumps(data)
            )
        )
    engine.dispose()


def waiting_handoff(site: dict[str, str], phone: str, summary: str, reason: str = "demande") -> int:
    with database(site) as session:
        contact = contact_for_conversation(session, phone, "sms")
        contact.display_name = "Marcel Dupont"
        open_case(session, contact, contact, "apa_domicile", contact.actor)
        handoff, _ = request_handoff(session, phone, "sms", reason, summary, contact_id=contact.id)
        return handoff.id


def assert_accessible(page: Page, what: str) -> None:
    results = AXE.run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == [], f"{what} : {blocking}"


def log_in(page: Page, login: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/console/login")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1, name="File d'attente")).to_be_visible()


@pytest.fixture
def console(chromium: Browser, console_site: dict[str, str]) -> Iterator[Page]:
    """A fresh browser context on the console; no JavaScript error (CSP included) allowed."""
    context = chromium.new_context(
        locale="fr-FR", base_url=f"http://127.0.0.1:{console_site['WEB_PORT']}"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        yield page
    finally:
        context.close()
    # A wrong password answers 401: the browser logs that load, it is no script error.
    assert [e for e in errors if "401" not in e] == [], f"erreurs JavaScript : {errors}"


# --- the console alone -----------------------------------------------------------------------


def test_login_page_is_accessible_and_refuses_a_wrong_password(console: Page) -> None:
    console.goto("/console/login")
    expect(console).to_have_title("Connexion — Console Senior Plus")
    assert console.locator("html").get_attribute("lang") == "fr"
    assert_accessible(console, "connexion")
    console.get_by_label("Identifiant").fill("camille")
    console.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    console.get_by_role("button", name="Se connecter").click()
    expect(console.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    assert_accessible(console, "connexion refusée")


def test_agent_queue_conversation_and_case(console: Page, console_site: dict[str, str]) -> None:
    phone = "+33611223301"
    log_in(console, "camille")
    assert_accessible(console, "file d'attente")
    # A new handoff appears without reloading the page.
    handoff_id = waiting_handoff(console_site, phone, f"Marcel, pour lui-même {HTML_ATTACK}\nAPA")
    waiting = console.locator("#liste-attente")
    expect(waiting).to_contain_text(f"Conversation n° {handoff_id} — SMS", timeout=15_000)
    expect(waiting).to_contain_text("A demandé à parler à quelqu'un")
    expect(waiting).to_contain_text("En attente depuis")
    console.get_by_role("link", name=f"Conversation n° {handoff_id} — SMS").click()
    expect(console.get_by_role("heading", level=1)).to_have_text(f"Conversation n° {handoff_id}")
    expect(console.locator(".resume-complet")).to_contain_text("<img src=x onerror=")
    assert_accessible(console, "conversation en attente")
    console.get_by_role("button", name="Prendre la conversation").click()
    expect(console.get_by_role("status").first).to_contain_text("Vous avez pris la conversation")
    # What the person writes appears by itself, as text.
    person_says(console_site, phone, HTML_ATTACK)
    log = console.get_by_role("log", name="Fil de la conversation")
    expect(log.locator(".ligne.personne .texte").last).to_have_text(HTML_ATTACK, timeout=15_000)
    assert log.locator("img, script").count() == 0
    assert console.title() != "piraté"
    # Reply: the counter, then the delivery status.
    console.get_by_label("Votre réponse").fill("Bonjour Marcel, je regarde votre dossier.")
    expect(console.locator("#texte-compteur")).to_have_text("41 caractères sur 1600")
    assert_accessible(console, "conversation prise")
    console.get_by_role("button", name="Répondre").click()
    # Sent, or kept for 8 h when it is night in Paris (no SMS from 20 h to 8 h).
    expect(console.locator("p.avis")).to_have_text(SENT_OR_DEFERRED)
    expect(log.locator(".ligne.conseiller .envoi").last).to_have_text(SENT_OR_DEFERRED_LINE)
    # The person's case, editable.
    console.get_by_role("link", name=re.compile(r"^SP-\d{4}-\d{6}$")).first.click()
    expect(console.get_by_role("heading", level=2, name="Pièces du dossier")).to_be_visible()
    assert_accessible(console, "dossier")
    console.get_by_role("combobox").first.select_option("recu")
    console.get_by_role("button", name=re.compile("^Enregistrer")).first.click()
    expect(console.locator("p.avis")).to_have_text("La liste des pièces est à jour.")
    expect(console.locator(".historique")).to_contain_text("camille (conseiller)")
    console.get_by_label("Commune ou code postal").fill("Clisson")
    console.get_by_role("button", name="Voir les créneaux libres").click()
    expect(console.get_by_role("heading", level=1)).to_have_text("Prendre rendez-vous")
    assert_accessible(console, "créneaux")


def test_supervisor_and_admin_pages_are_accessible(
    console: Page, console_site: dict[str, str]
) -> None:
    with database(console_site) as session:
        session.add(CallbackRequest(phone="+33240998877", reason="out_of_hours", status="waiting"))
    person_says(console_site, "+33611223302", "bonjour")
    log_in(console, "sophie")
    for path, title in (
        ("/console/rappels", "Rappels à faire"),
        ("/console/intervenir", "Intervenir dans une conversation"),
        ("/console/journal", "Journal des actions"),
    ):
        console.goto(path)
        expect(console.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(console, title)
    console.get_by_role("button", name="Se déconnecter").click()
    expect(console.get_by_role("status")).to_have_text("Vous êtes déconnecté.")
    log_in(console, "admin")
    for path, title in (
        ("/console/admin/comptes", "Comptes de la console"),
        ("/console/admin/mediateurs", "Calendriers des médiateurs"),
    ):
        console.goto(path)
        expect(console.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(console, title)
    console.goto("/console/admin/comptes")
    console.get_by_label("Identifiant").fill("nina")
    console.get_by_label("Nom affiché").fill("Nina Test")
    console.get_by_label("Mot de passe", exact=True).fill("mot de passe de Nina 1")
    console.get_by_label("Le même mot de passe, encore").fill("mot de passe de Nina 1")
    console.get_by_role("button", name="Créer le compte").click()
    expect(console.locator("p.avis")).to_have_text("Le compte est enregistré.")
    expect(console.get_by_role("heading", level=3, name="Nina Test (nina)")).to_be_visible()


# --- the whole assistant: SMS → console → SMS → assistant again -------------------------------


@pytest.fixture(scope="session")
def stack_accounts(stack: str, stack_env: dict[str, str]) -> str:
    subprocess.run(
        [str(ROOT / ".venv-app" / "bin" / "python"), "-m", "devtools.seeds.console"],
        cwd=ROOT, env=stack_env, check=True, capture_output=True,
    )  # fmt: skip
    return stack


def test_sms_handoff_answered_from_the_console_then_back_to_the_assistant(
    page: Page, browser: Browser, stack_accounts: str
) -> None:
    quiet = in_quiet_hours(utcnow())
    sms = page.get_by_role("log", name="Conversation SMS")
    page.get_by_label("Votre SMS").fill("je veux parler à quelqu'un")
    page.get_by_role("button", name="Envoyer le SMS").click()
    expect(sms.locator("li.out .bubble").first).to_be_visible()
    context = browser.new_context(locale="fr-FR", base_url=stack_accounts)
    context.set_default_timeout(TIMEOUT_MS)
    agent = context.new_page()
    try:
        log_in(agent, "camille")
        item = agent.locator("#liste-attente li.attente").filter(has_text="SMS").first
        expect(item).to_contain_text("A demandé à parler à quelqu'un", timeout=15_000)
        item.get_by_role("button", name=re.compile("^Prendre")).click()
        transcript = agent.get_by_role("log", name="Fil de la conversation")
        expect(transcript.locator(".ligne.personne").first).to_contain_text("parler à quelqu'un")
        answered = sms.locator("li.out").count()
        agent.get_by_label("Votre réponse").fill("Bonjour, ici Camille de l'équipe Senior Plus.")
        agent.get_by_role("button", name="Répondre").click()
        if quiet:  # no SMS from 20 h to 8 h (Paris): the console says when it will go
            expect(agent.locator("p.avis")).to_contain_text("Envoi différé (heures calmes)")
        else:
            expect(agent.locator("p.avis")).to_have_text("Envoyé.")
            expect(sms.locator("li.out .bubble").last).to_have_text(
                "Bonjour, ici Camille de l'équipe Senior Plus.", timeout=15_000
            )
        # While the agent holds it, what the person writes reaches the console, not the bot.
        page.get_by_label("Votre SMS").fill("merci, j'attends")
        page.get_by_role("button", name="Envoyer le SMS").click()
        expect(transcript.locator(".ligne.personne .texte").last).to_have_text(
            "merci, j'attends", timeout=15_000
        )
        assert sms.locator("li.out").count() == answered + (0 if quiet else 1)
        agent.get_by_role("button", name="Rendre la main à l'assistant").click()
        expect(agent.locator("p.avis").first).to_contain_text("rendue à l'assistant")
        if not quiet:
            expect(sms.locator("li.out .bubble").last).to_contain_text(
                "de nouveau l'assistant", timeout=15_000
            )
        before = sms.locator("li.out").count()
        page.get_by_label("Votre SMS").fill("bonjour")
        page.get_by_role("button", name="Envoyer le SMS").click()
        expect(sms.locator("li.out")).not_to_have_count(before, timeout=30_000)
        # the assistant answers again: its greeting, then the menu, each in its own SMS
        expect(sms.locator("li.out .bubble").nth(before)).to_contain_text("Bonjour")
        expect(sms.locator("li.out .bubble").last).to_contain_text("Que puis-je faire")
    finally:
        context.close()
