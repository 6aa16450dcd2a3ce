"""The channel simulator in a real browser: a person talks to Senior Plus by SMS, on
Telegram and on the phone, through the real channel code (signed requests)."""

from __future__ import annotations

import base64
import re

import httpx
from playwright.sync_api import Page, expect

BOT_BUBBLES = "li.out .bubble"


def test_sms_greeting_with_segments_and_encoding(page: Page) -> None:
    expect(page.get_by_role("tab", name="SMS")).to_have_attribute("aria-selected", "true")
    log = page.get_by_role("log", name="Conversation SMS")
    page.get_by_label("Votre SMS").fill("bonjour")
    page.get_by_role("button", name="Envoyer le SMS").click()
    expect(log.locator("li.in .bubble")).to_have_text(["bonjour"])
    first = log.locator("li.out").first
    expect(first.locator(".bubble")).to_contain_text("Bonjour")
    expect(first.locator(".meta")).to_have_text(
        re.compile(r"^\d SMS · (GSM-7|UCS-2) · \d+ caractères? · réponse TwiML$")
    )
    # The menu: numbered choices in the same SMS, answered by their number.
    menu = log.locator("li.out").last
    expect(menu.locator(".bubble")).to_contain_text("1 = ")
    expect(menu.locator("details pre")).to_contain_text("<Message>")
    before = log.locator("li.out").count()
    page.get_by_label("Votre SMS").fill("1")
    page.keyboard.press("Enter")
    expect(log.locator("li.in .bubble")).to_have_text(["bonjour", "1"])
    expect(log.locator("li.out")).not_to_have_count(before)
    expect(page.locator("#sms-status")).to_have_text("")


def test_sms_sent_by_the_app_appear_for_that_number(page: Page, stack_env: dict[str, str]) -> None:
    phone = page.get_by_label("Votre numéro de portable").input_value()
    sid, token = stack_env["TWILIO_ACCOUNT_SID"], stack_env["TWILIO_AUTH_TOKEN"]
    auth = base64.b64encode(f"{sid}:{token}".encode()).decode()
    response = httpx.post(
        f"{stack_env['TWILIO_API_URL']}/2010-04-01/Accounts/{sid}/Messages.json",
        data={"To": phone, "From": "+33757000000", "Body": "Rappel : rendez-vous demain à 10h."},
        headers={"Authorization": f"Basic {auth}"},
    )
    assert response.status_code == 201, response.text
    item = page.get_by_role("log", name="Conversation SMS").locator("li.out")
    expect(item.locator(".bubble")).to_have_text("Rappel : rendez-vous demain à 10h.")
    expect(item.locator(".meta")).to_contain_text("envoyé par l'API Twilio")


def test_telegram_greeting_keyboard_and_button(page: Page) -> None:
    page.get_by_role("tab", name="Telegram").click()
    expect(page.get_by_role("tabpanel", name="Telegram")).to_be_visible()
    log = page.get_by_role("log", name="Conversation Telegram")
    page.get_by_label("Votre message").fill("bonjour")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(log.locator(BOT_BUBBLES).first).to_contain_text("Bonjour")
    keyboard = page.get_by_role("group", name="Clavier proposé par le bot")
    expect(keyboard).to_be_visible()
    buttons = keyboard.get_by_role("button")
    expect(buttons.first).to_be_visible()
    choice = buttons.first.inner_text()
    answered = log.locator(BOT_BUBBLES).count()
    buttons.first.click()
    expect(log.locator("li.in .bubble").last).to_have_text(choice)  # the title, as Telegram sends
    expect(log.locator(BOT_BUBBLES)).not_to_have_count(answered)
    expect(page.locator("#tg-status")).to_have_text("")


def test_telegram_media_and_shared_number_get_answers(page: Page) -> None:
    page.get_by_role("tab", name="Telegram").click()
    log = page.get_by_role("log", name="Conversation Telegram")
    for name, shown in (
        ("/start", "/start"),
        ("Envoyer un message vocal", "Message vocal"),
        ("Envoyer une photo", "Photo"),
        ("Partager mon numéro", "Numéro partagé"),
    ):
        answered = log.locator(BOT_BUBBLES).count()
        page.get_by_role("button", name=name, exact=True).click()
        expect(log.locator("li.in .bubble").last).to_contain_text(shown)
        expect(log.locator(BOT_BUBBLES)).not_to_have_count(answered)
    expect(log.locator(BOT_BUBBLES).last).to_contain_text("numéro")


def test_telegram_html_is_sanitized(page: Page, stack_env: dict[str, str]) -> None:
    page.get_by_role("tab", name="Telegram").click()
    chat = page.get_by_label("Numéro de la conversation (chat id)").input_value()
    html = (
        '<b>Gras</b> <i>penché</i> <a href="https://www.service-public.fr">lien</a> '
        '<a href="http://exemple.fr">pas sûr</a> <code>&lt;img src=x onerror=alert(1)&gt;</code>'
    )
    url = f"{stack_env['TELEGRAM_API_URL']}/bot{stack_env['TELEGRAM_BOT_TOKEN']}/sendMessage"
    sent = httpx.post(url, json={"chat_id": int(chat), "text": html, "parse_mode": "HTML"})
    assert sent.json()["ok"] is True, sent.text
    bubble = page.get_by_role("log", name="Conversation Telegram").locator(BOT_BUBBLES).last
    expect(bubble).to_have_text("Gras penché lien pas sûr <img src=x onerror=alert(1)>")
    expect(bubble.locator("b")).to_have_text("Gras")
    expect(bubble.locator("i")).to_have_text("penché")
    links = bubble.locator("a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://www.service-public.fr")
    expect(bubble.locator("img, code, script")).to_have_count(0)


def test_phone_call_keypad_silences_and_transfer(page: Page) -> None:
    page.get_by_role("tab", name="Téléphone").click()
    log = page.get_by_role("log", name="Déroulement de l'appel")
    page.get_by_role("button", name="Appeler").click()
    expect(log.locator(".spoken").first).to_contain_text("Bonjour")
    expect(log.locator("details pre").first).to_contain_text('language="fr-FR"')
    expect(page.locator("#voice-state")).to_have_text(
        "Appel en cours : Senior Plus attend votre réponse."
    )
    keypad = page.get_by_role("group", name="Clavier du téléphone")
    expect(keypad.get_by_role("button")).to_have_count(12)
    steps = log.locator("li.out").count()
    keypad.get_by_role("button", name="Touche 1").click()
    expect(log.locator("li.in .bubble").last).to_have_text("Touche 1")
    expect(log.locator("li.out")).to_have_count(steps + 1)
    expect(log.locator("li.out").last.locator(".spoken")).not_to_be_empty()

    silence = page.get_by_role("button", name="Ne rien dire")
    silence.click()
    expect(log.locator(".spoken").last).to_contain_text("rien entendu")
    silence.click()
    expect(log.locator(".spoken").last).to_contain_text("toujours rien")
    silence.click()  # then a person: the team is open all day in these tests…
    offer = log.locator("li.out").last
    expect(offer).to_contain_text(re.compile("Transfert vers le 02 40 00 00 00|vous rappellera"))
    if "Transfert" in offer.inner_text():  # …except in the minute before midnight
        expect(page.locator("#voice-state")).to_have_text("Transfert en cours vers un conseiller.")
        expect(keypad.get_by_role("button", name="Touche 1")).to_be_disabled()
        page.get_by_role("button", name="Le conseiller ne répond pas").click()
        expect(log.locator(".spoken").last).to_contain_text("vous rappellera")
    expect(page.locator("#voice-state")).to_have_text("Appel terminé.")
    expect(page.get_by_role("button", name="Raccrocher")).to_be_disabled()
    expect(log.locator(".event").last).to_contain_text(
        "Fin d'appel signalée à l'assistant (HTTP 204)"
    )
    expect(page.locator("#voice-status")).to_have_text("")


def test_phone_speech_and_hang_up(page: Page) -> None:
    page.get_by_role("tab", name="Téléphone").click()
    log = page.get_by_role("log", name="Déroulement de l'appel")
    page.get_by_role("button", name="Appeler").click()
    expect(log.locator(".spoken").first).to_be_visible()
    page.get_by_label("Dire…").fill("répéter")
    page.get_by_role("button", name="Dire", exact=True).click()
    expect(log.locator("li.in .bubble").last).to_have_text("« répéter »")
    page.get_by_role("button", name="Raccrocher").click()
    expect(page.locator("#voice-state")).to_have_text("Appel terminé.")
    expect(page.get_by_role("button", name="Appeler")).to_be_enabled()


def test_tabs_work_with_the_keyboard(page: Page) -> None:
    sms_tab = page.get_by_role("tab", name="SMS")
    sms_tab.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Telegram")).to_be_focused()
    expect(page.get_by_role("tab", name="Telegram")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Telegram")).to_be_visible()
    expect(page.get_by_role("tabpanel", name="SMS")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Téléphone")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(sms_tab).to_be_focused()
