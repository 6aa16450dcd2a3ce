"""The Telegram channel end to end: real Update payloads posted to the webhook of a Sanic
app registered the way Rasa registers channels, a fake Rasa agent answering with texts and
buttons, the outbound side on a local fake Bot API, and the app's migrated database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import shutil
import subprocess
import types
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic
from sanic.asgi import Lifespan

from channels.store import ChannelStore
from channels.telegram import (
    CONTACT_LINKED,
    CONTACT_NOT_YOURS,
    GROUP_ONLY,
    SECRET_HEADER,
    TOO_LONG,
    TelegramInput,
    parse_update,
    to_e164,
)
from channels.telegram_output import CONTACT_TITLE, mask_id
from channels.text_input import InvalidInput
from devtools.fakes.telegram import FakeTelegramApi
from tests.bot import telegram_payloads as tg

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "1000000000:AAtest-token_for-the-fake"
SECRET = "secret_for-tests_0123456789"
CHAT = 111111111
PHONE = "+33612345678"
WEBHOOK = "/webhooks/telegram/webhook"

MENU = [
    {"title": "Aide à domicile (APA)", "payload": '/ask_apa{"journey": "apa_domicile"}'},
    {"title": "Un conseiller", "payload": "/request_human"},
    {"title": "Oui", "payload": "/affirm"},
    {"title": "Non", "payload": "/deny"},
]
LONG_ANSWER = " ".join(f"Phrase numéro {n} sur les aides à domicile." for n in range(120))


class FakeAgent:
    """Answers like the Rasa agent: bot messages sent through the message's output channel."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.delay = 0.0

    def replies(self, text: str) -> list[dict[str, Any]]:
        if text == "/greet":
            return [
                {"text": "Bonjour, je suis l'assistant Senior Plus. Vos données restent privées."},
                {"text": "Que voulez-vous faire ?", "buttons": MENU},
            ]
        if text == "/help":
            return [{"text": "Je vous aide dans vos démarches. Écrivez « menu »."}]
        if text == "long":
            return [{"text": LONG_ANSWER, "buttons": MENU[2:]}]
        if text == "trois":
            return [{"text": "Un."}, {"text": "Deux."}, {"text": "Trois ?", "buttons": MENU[2:]}]
        if text == "panne":
            raise RuntimeError("the assistant broke")
        return [{"text": "Bien reçu."}]

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        for reply in self.replies(message.text or ""):
            await message.output_channel.send_response(message.sender_id, dict(reply))
        if message.text == "refusé au stockage":  # answered, then the tracker store failed
            raise RuntimeError("tracker store unreachable")


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's schema (Alembic, app environment), migrated once per test session."""
    path = tmp_path_factory.mktemp("telegram") / "template.db"
    alembic = ROOT / ".venv-app" / "bin" / "alembic"
    subprocess.run(
        [str(alembic), "-x", f"url=sqlite:///{path}", "upgrade", "head"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def store(migrated_db: Path, tmp_path: Path) -> ChannelStore:
    database = tmp_path / "app.db"
    shutil.copy(migrated_db, database)
    return ChannelStore(f"sqlite:///{database}")


@pytest.fixture
def api() -> Iterator[FakeTelegramApi]:
    with FakeTelegramApi(TOKEN) as fake:
        yield fake


@pytest.fixture
def channel(api: FakeTelegramApi, store: ChannelStore) -> TelegramInput:
    return TelegramInput(TOKEN, SECRET, api.url, store=store)


@pytest.fixture
def agent() -> FakeAgent:
    return FakeAgent()


_apps = iter(range(1_000_000))


@contextlib.asynccontextmanager
async def running(channel: TelegramInput, agent: FakeAgent) -> AsyncIterator[httpx.AsyncClient]:
    """The channel registered on a Sanic app like `rasa run` does, served over ASGI."""
    Sanic.test_mode = True  # as sanic-testing does: several apps in one process
    app = Sanic(f"telegram_test_{next(_apps)}")
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    # Sanic 21.12 serves ASGI; its lifespan runs the listeners (the channel's shutdown).
    app.asgi = True
    lifespan = Lifespan(types.SimpleNamespace(sanic_app=app))  # type: ignore[arg-type]
    await lifespan.startup()
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://rasa") as client:
            yield client
    finally:
        await lifespan.shutdown()


def run(
    channel: TelegramInput,
    agent: FakeAgent,
    scenario: Callable[[httpx.AsyncClient], Awaitable[None]],
) -> None:
    async def main() -> None:
        async with running(channel, agent) as client:
            await scenario(client)
            await channel.wait_idle(timeout=10)

    asyncio.run(main())


async def post(
    client: httpx.AsyncClient, payload: object, secret: str | None = SECRET
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    return await client.post(WEBHOOK, content=body, headers=headers)


def texts(api: FakeTelegramApi) -> list[str]:
    return [message["text"] for message in api.messages]


def keyboard_titles(message: dict[str, Any]) -> list[list[str]]:
    rows = message["reply_markup"]["keyboard"]
    return [[button["text"] for button in row] for row in rows]


# Authentication.
@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1], SECRET.upper()])
def test_a_forged_or_missing_secret_is_refused_and_nothing_happens(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi, secret: str | None
) -> None:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        response = await post(client, tg.text_update(CHAT, "Bonjour"), secret=secret)
        statuses.append(response.status_code)

    run(channel, agent, scenario)
    assert statuses == [403]
    assert agent.received == []
    assert api.calls == []


def test_the_right_secret_reaches_the_assistant(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    update = tg.text_update(CHAT, "  Bonjour\x00 ma\x07dame  ")
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        statuses.append((await post(client, update)).status_code)

    run(channel, agent, scenario)
    assert statuses == [200]
    [message] = agent.received
    assert message.text == "Bonjour  ma dame"  # control characters removed, words kept
    assert message.sender_id == f"tg{CHAT}"
    assert message.input_channel == "telegram"
    assert message.message_id == str(update["update_id"])
    assert message.metadata == {"telegram_chat_id": CHAT}
    assert api.methods() == ["sendChatAction", "sendMessage"]
    assert api.messages == [{"chat_id": CHAT, "text": "Bien reçu.", "parse_mode": "HTML"}]


# Bad input.
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"",
        b"[]",
        b'"bonjour"',
        b"42",
        b'{"message": {"text": "sans numero"}}',
        b'{"update_id": true, "message": {}}',
        b'{"update_id": "12", "message": {}}',
    ],
)
def test_malformed_updates_get_400_in_french(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi, body: bytes
) -> None:
    answers: list[httpx.Response] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        answers.append(await post(client, body))

    run(channel, agent, scenario)
    [answer] = answers
    assert answer.status_code == 400
    assert re.search(r"[Rr]equête|Mise à jour", answer.json()["error"])
    assert agent.received == []
    assert api.calls == []


@pytest.mark.parametrize(
    "update",
    [
        tg.edited_message_update(CHAT, "Bonjour (modifié)"),
        tg.my_chat_member_update(CHAT),
        tg.callback_query_update(CHAT),
        tg.channel_post_update(),
        {"update_id": 99, "poll_answer": {"poll_id": "1", "option_ids": [0]}},  # no "user"
        {"update_id": 101, "some_future_update": {"x": 1}},
        {"update_id": 100},
    ],
)
def test_an_update_without_a_message_is_accepted_and_ignored(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi, update: dict[str, Any]
) -> None:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        statuses.append((await post(client, update)).status_code)

    run(channel, agent, scenario)
    assert statuses == [200]
    assert agent.received == []
    assert api.calls == []


def test_an_update_sent_twice_is_handled_once(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    update = tg.text_update(CHAT, "Bonjour")
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        statuses.append((await post(client, update)).status_code)
        statuses.append((await post(client, update)).status_code)  # Telegram's retry

    run(channel, agent, scenario)
    assert statuses == [200, 200]
    assert [message.text for message in agent.received] == ["Bonjour"]
    assert texts(api) == ["Bien reçu."]


def test_an_over_long_text_is_answered_without_the_assistant(
    api: FakeTelegramApi, store: ChannelStore, agent: FakeAgent
) -> None:
    channel = TelegramInput(TOKEN, SECRET, api.url, store=store, max_message_chars=50)

    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "x" * 51))
        await post(client, tg.text_update(CHAT, "x" * 50))

    run(channel, agent, scenario)
    assert [message.text for message in agent.received] == ["x" * 50]
    assert texts(api) == [TOO_LONG, "Bien reçu."]


# Commands.
@pytest.mark.parametrize("command", ["/start", "/start parrainage_42", "/start@SeniorPlusBot"])
def test_start_greets_then_offers_to_share_the_phone_number(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi, command: str
) -> None:
    run(channel, agent, lambda client: post(client, tg.text_update(CHAT, command)))
    assert [message.text for message in agent.received] == ["/greet"]
    greeting, question, offer = api.messages
    assert greeting["text"].startswith("Bonjour, je suis l'assistant")
    assert "reply_markup" not in greeting
    assert keyboard_titles(question) == [
        ["Aide à domicile (APA)"],
        ["Un conseiller", "Oui"],
        ["Non"],
    ]
    assert question["reply_markup"]["resize_keyboard"] is True
    assert question["reply_markup"]["one_time_keyboard"] is True
    # The offer keeps the menu and adds the contact button, with the reason in one sentence.
    assert "par SMS et au téléphone" in offer["text"]
    assert keyboard_titles(offer)[:-1] == keyboard_titles(question)
    assert offer["reply_markup"]["keyboard"][-1] == [
        {"text": CONTACT_TITLE, "request_contact": True}
    ]


def test_help_command_and_unknown_commands(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "/aide"))
        await post(client, tg.text_update(CHAT, "/help"))
        await post(client, tg.text_update(CHAT, "/un_conseiller"))  # never read as an intent
        await post(client, tg.text_update(CHAT, '/ask_apa{"journey": "apa_domicile"}'))

    run(channel, agent, scenario)
    received = [message.text for message in agent.received]
    assert received == ["/help", "/help", "un conseiller", 'ask apa{"journey": "apa domicile"}']


# Replies.
def test_replies_are_sent_in_order_with_the_keyboard_on_the_question(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    run(channel, agent, lambda client: post(client, tg.text_update(CHAT, "trois")))
    assert texts(api) == ["Un.", "Deux.", "Trois ?"]
    first, second, third = api.messages
    assert "reply_markup" not in first and "reply_markup" not in second
    assert keyboard_titles(third) == [["Oui", "Non"]]
    assert all(message["parse_mode"] == "HTML" for message in api.messages)


def test_a_5000_character_answer_is_split_under_the_telegram_limit(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    assert len(LONG_ANSWER) > 5000
    run(channel, agent, lambda client: post(client, tg.text_update(CHAT, "long")))
    parts = texts(api)
    assert len(parts) == 2
    assert all(len(part) <= 4096 for part in parts)
    assert " ".join(parts) == LONG_ANSWER  # cut between sentences, nothing lost
    assert "reply_markup" not in api.messages[0]
    assert keyboard_titles(api.messages[1]) == [["Oui", "Non"]]  # the keyboard goes last


def test_a_tapped_title_goes_back_as_its_payload_until_the_keyboard_is_gone(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "/start"))
        await post(client, tg.text_update(CHAT, "Aide à domicile (APA)"))
        await post(client, tg.text_update(CHAT, "Aide à domicile (APA)"))

    run(channel, agent, scenario)
    received = [message.text for message in agent.received]
    assert received == ["/greet", '/ask_apa{"journey": "apa_domicile"}', "Aide à domicile (APA)"]
    # The answer to the tapped choice had no buttons: the old keyboard was removed with it,
    # so the third message (typed by hand) goes through as words.
    answer = api.messages[3]
    assert answer["text"] == "Bien reçu."
    assert answer["reply_markup"] == {"remove_keyboard": True}
    assert "reply_markup" not in api.messages[4]  # removed once, not on every message


def test_titles_are_remembered_per_chat(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    other = 222222222

    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "trois"))
        await post(client, tg.text_update(other, "Oui"))
        await post(client, tg.text_update(CHAT, "Oui"))

    run(channel, agent, scenario)
    assert [message.text for message in agent.received] == ["trois", "Oui", "/affirm"]


# What the assistant cannot read yet.
@pytest.mark.parametrize(
    ("make_update", "expected"),
    [
        (tg.voice_update, "écouter les messages vocaux"),
        (tg.audio_update, "écouter les messages vocaux"),
        (tg.photo_update, "lire les photos"),
        (tg.document_update, "lire les documents"),
        (tg.sticker_update, "seulement les messages écrits"),
        (tg.video_update, "regarder les vidéos"),
        (tg.location_update, "code postal"),
    ],
)
def test_media_get_a_useful_french_answer(
    channel: TelegramInput,
    agent: FakeAgent,
    api: FakeTelegramApi,
    make_update: Callable[[int], dict[str, Any]],
    expected: str,
) -> None:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        statuses.append((await post(client, make_update(CHAT))).status_code)

    run(channel, agent, scenario)
    assert statuses == [200]
    assert agent.received == []  # nothing for the language model to misread
    [answer] = texts(api)
    assert expected in answer
    assert "Dites-moi en quelques mots" in answer
    assert not re.search(r"\d{2} \d{2} \d{2}", answer)  # no phone number when none is set


def test_papers_are_for_an_appointment_with_a_counsellor(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    run(channel, agent, lambda client: post(client, tg.photo_update(CHAT)))
    assert "un conseiller pourra le regarder avec vous lors d'un rendez-vous" in texts(api)[0]


def test_a_voice_note_names_the_configured_line(
    api: FakeTelegramApi, store: ChannelStore, agent: FakeAgent
) -> None:
    channel = TelegramInput(TOKEN, SECRET, api.url, store=store, phone_number="+33240000000")
    run(channel, agent, lambda client: post(client, tg.voice_update(CHAT)))
    assert "appeler Senior Plus au 02 40 00 00 00" in texts(api)[0]


def test_the_words_under_a_photo_go_to_the_assistant(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    update = tg.photo_update(CHAT, caption="Mon avis d'imposition")
    run(channel, agent, lambda client: post(client, update))
    assert [message.text for message in agent.received] == ["Mon avis d'imposition"]
    notice, reply = texts(api)
    assert "lire les photos" in notice and "Dites-moi" not in notice
    assert reply == "Bien reçu."


def test_group_chats_are_not_served(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.group_text_update("/start@SeniorPlusBot"))
        await post(client, tg.group_text_update("Bonjour à tous"))
        await post(client, tg.new_members_update())

    run(channel, agent, scenario)
    assert agent.received == []
    assert texts(api) == [GROUP_ONLY]
    assert api.messages[0]["chat_id"] == -4000000001


# Linking the chat to the person's phone number.
@pytest.mark.parametrize("shared", ["33612345678", "+33612345678", "+33 6 12 34 56 78"])
def test_sharing_ones_own_number_links_the_chat_to_the_phone_identity(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi, store: ChannelStore, shared: str
) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "/start"))
        await post(client, tg.contact_update(CHAT, shared, contact_user_id=CHAT))
        await post(client, tg.text_update(CHAT, "Bonjour"))
        await post(client, tg.text_update(CHAT, "/start"))

    run(channel, agent, scenario)
    assert store.linked_phone("telegram", str(CHAT)) == PHONE
    assert [message.sender_id for message in agent.received] == [f"tg{CHAT}", PHONE, PHONE]
    linked = api.messages[3]
    assert linked["text"] == CONTACT_LINKED
    # The contact button is gone; the menu shown before stays.
    assert keyboard_titles(linked) == [["Aide à domicile (APA)"], ["Un conseiller", "Oui"], ["Non"]]
    # Once linked, /start does not offer the button again.
    assert all(CONTACT_TITLE not in json.dumps(m, ensure_ascii=False) for m in api.messages[4:])


@pytest.mark.parametrize("contact_user_id", [999999999, None])
def test_someone_elses_contact_is_refused(
    channel: TelegramInput,
    agent: FakeAgent,
    api: FakeTelegramApi,
    store: ChannelStore,
    contact_user_id: int | None,
) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.contact_update(CHAT, "33699999999", contact_user_id))
        await post(client, tg.text_update(CHAT, "Bonjour"))

    run(channel, agent, scenario)
    assert store.linked_phone("telegram", str(CHAT)) is None
    assert texts(api)[0] == CONTACT_NOT_YOURS
    assert api.messages[0]["reply_markup"]["keyboard"][-1][0]["request_contact"] is True
    assert [message.sender_id for message in agent.received] == [f"tg{CHAT}"]


def test_the_numero_command_offers_the_button_again(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    run(channel, agent, lambda client: post(client, tg.text_update(CHAT, "/numero")))
    assert agent.received == []
    assert api.messages[0]["reply_markup"]["keyboard"] == [
        [{"text": CONTACT_TITLE, "request_contact": True}]
    ]


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("33612345678", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+330612345678", "+33612345678"),
        ("447911123456", "+447911123456"),
        ("262692123456", "+262692123456"),
        ("", None),
        ("123", None),
        ("3361234567", None),  # a French number one digit short
        ("+33 6 12 34 56 78 9", None),
        ("numéro", None),
        ("0" * 20, None),
    ],
)
def test_shared_numbers_are_normalised_to_e164(raw: str, e164: str | None) -> None:
    assert to_e164(raw) == e164


# Vendor failures.
def test_a_blocked_bot_does_not_crash_the_webhook(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        api.fail_next(403, "Forbidden: bot was blocked by the user")
        statuses.append((await post(client, tg.text_update(CHAT, "trois"))).status_code)
        statuses.append((await post(client, tg.text_update(CHAT, "Bonjour"))).status_code)

    run(channel, agent, scenario)
    assert statuses == [200, 200]
    assert [message.text for message in agent.received] == ["trois", "Bonjour"]
    # The first refusal ends that turn (no "Deux." without "Un."); the next turn is sent.
    assert [method for method in api.methods() if method == "sendMessage"] == ["sendMessage"] * 2
    assert texts(api) == ["Bien reçu."]


def test_network_errors_and_rate_limits(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        api.fail_next(disconnect=True)
        statuses.append((await post(client, tg.text_update(CHAT, "Un"))).status_code)
        api.fail_next(429, "Too Many Requests: retry after 1", retry_after=1)
        statuses.append((await post(client, tg.text_update(CHAT, "Deux"))).status_code)
        api.fail_next(429, "Too Many Requests: retry after 60", retry_after=60)
        statuses.append((await post(client, tg.text_update(CHAT, "Trois"))).status_code)

    run(channel, agent, scenario)
    assert statuses == [200, 200, 200]
    assert len(agent.received) == 3
    assert texts(api) == ["Bien reçu."]  # retried after 1 s; dropped when asked to wait 60 s


def test_a_failure_in_the_assistant_gets_a_french_apology(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    statuses: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        statuses.append((await post(client, tg.text_update(CHAT, "panne"))).status_code)

    run(channel, agent, scenario)
    assert statuses == [200]
    assert texts(api)[0].startswith("Désolé, un problème technique")


def test_a_turn_the_database_refuses_sends_no_answer_only_the_apology(
    channel: TelegramInput, agent: FakeAgent, api: FakeTelegramApi
) -> None:
    """Answers wait for the turn to be stored: never an answer, then "renvoyez-le"."""

    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "refusé au stockage"))
        await post(client, tg.text_update(CHAT, "trois", update_id=2))

    run(channel, agent, scenario)
    said = texts(api)
    assert "Bien reçu." not in said
    assert said[0].startswith("Désolé, un problème technique")
    assert said[-3:] == ["Un.", "Deux.", "Trois ?"]  # a stored turn: its answers, in order


def test_a_database_failure_gets_an_apology(
    api: FakeTelegramApi, agent: FakeAgent, tmp_path: Path
) -> None:
    broken = ChannelStore(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables
    channel = TelegramInput(TOKEN, SECRET, api.url, store=broken)
    run(channel, agent, lambda client: post(client, tg.text_update(CHAT, "Bonjour")))
    assert agent.received == []
    assert texts(api)[0].startswith("Désolé, un problème technique")


def test_a_slow_turn_is_acknowledged_and_finished_in_the_background(
    api: FakeTelegramApi, store: ChannelStore, agent: FakeAgent
) -> None:
    channel = TelegramInput(TOKEN, SECRET, api.url, store=store, answer_within=0.05)
    agent.delay = 0.5
    sent_when_acknowledged: list[int] = []

    async def scenario(client: httpx.AsyncClient) -> None:
        response = await post(client, tg.text_update(CHAT, "Bonjour"))
        assert response.status_code == 200
        sent_when_acknowledged.append(len(api.messages))

    run(channel, agent, scenario)  # waits for the channel to be idle
    assert sent_when_acknowledged == [0]
    assert texts(api) == ["Bien reçu."]


def test_messages_of_one_chat_are_handled_in_arrival_order(
    api: FakeTelegramApi, store: ChannelStore, agent: FakeAgent
) -> None:
    channel = TelegramInput(TOKEN, SECRET, api.url, store=store, answer_within=0)
    agent.delay = 0.05

    async def scenario(client: httpx.AsyncClient) -> None:
        for word in ("un", "deux", "trois", "quatre"):
            await post(client, tg.text_update(CHAT, word))

    run(channel, agent, scenario)
    assert [message.text for message in agent.received] == ["un", "deux", "trois", "quatre"]


# Rasa's own output channel (reminders, trigger_intent): the chat found from the id.
def test_rasas_output_channel_finds_the_chat(
    channel: TelegramInput, api: FakeTelegramApi, store: ChannelStore
) -> None:
    store.link_identity("telegram", str(CHAT), PHONE)

    async def scenario() -> None:
        await channel.get_output_channel().send_response(PHONE, {"text": "Rappel : rendez-vous"})
        await channel.get_output_channel().send_response("tg42", {"text": "Bonjour"})
        await channel.get_output_channel().send_response("+33699999999", {"text": "Perdu"})
        await channel.sender.close()

    asyncio.run(scenario())
    assert [(m["chat_id"], m["text"]) for m in api.messages] == [
        (CHAT, "Rappel : rendez-vous"),
        (42, "Bonjour"),
    ]


# Logs.
def test_logs_show_no_chat_id_phone_text_or_token(
    channel: TelegramInput,
    agent: FakeAgent,
    api: FakeTelegramApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario(client: httpx.AsyncClient) -> None:
        await post(client, tg.text_update(CHAT, "/start"))
        await post(client, tg.text_update(CHAT, "Ma fille Sophie"))
        await post(client, tg.contact_update(CHAT, "33612345678", contact_user_id=CHAT))
        await post(client, tg.voice_update(CHAT))
        await post(client, tg.text_update(CHAT, "Bonjour"), secret="forged")
        api.fail_next(403, "Forbidden: bot was blocked by the user")
        await post(client, tg.text_update(CHAT, "panne"))

    run(channel, agent, scenario)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert mask_id(CHAT) in logged  # the channel did log, masked
    for secret in (str(CHAT), "612345678", "Sophie", TOKEN, TOKEN.split(":")[1], SECRET):
        assert secret not in logged


# Configuration.
def test_from_credentials_fails_loudly_on_missing_settings() -> None:
    with pytest.raises(ValueError, match="bot_token, secret_token"):
        TelegramInput.from_credentials(None)
    with pytest.raises(ValueError, match="secret_token"):
        TelegramInput.from_credentials({"bot_token": TOKEN, "secret_token": ""})
    with pytest.raises(ValueError, match="secret token"):
        TelegramInput.from_credentials({"bot_token": TOKEN, "secret_token": "a b"})


def test_from_credentials_points_the_bot_at_the_configured_api() -> None:
    channel = TelegramInput.from_credentials(
        {"bot_token": TOKEN, "secret_token": SECRET, "api_url": "http://127.0.0.1:8000/sim/"}
    )
    assert channel.sender.bot.base_url == f"http://127.0.0.1:8000/sim/bot{TOKEN}"
    official = TelegramInput.from_credentials({"bot_token": TOKEN, "secret_token": SECRET})
    assert official.sender.bot.base_url == f"https://api.telegram.org/bot{TOKEN}"


def test_parse_update_reads_the_real_format() -> None:
    update = parse_update(json.dumps(tg.contact_update(CHAT, "33612345678", CHAT)).encode())
    assert update.message is not None and update.message.contact is not None
    assert update.message.contact.user_id == CHAT
    with pytest.raises(InvalidInput):
        parse_update(b"[]")


# The fake Bot API itself refuses what Telegram refuses.
def test_the_fake_api_checks_like_telegram(api: FakeTelegramApi) -> None:
    base = f"{api.url}/bot{TOKEN}"
    too_long = httpx.post(f"{base}/sendMessage", json={"chat_id": 1, "text": "é" * 4097})
    assert too_long.status_code == 400 and too_long.json()["description"].endswith("too long")
    bad_html = httpx.post(
        f"{base}/sendMessage", data={"chat_id": "1", "text": "<div>x</div>", "parse_mode": "HTML"}
    )
    assert bad_html.status_code == 400 and "Unsupported start tag" in bad_html.json()["description"]
    wrong_token = httpx.post(f"{api.url}/bot1:other/getMe")
    assert wrong_token.status_code == 401 and wrong_token.json()["ok"] is False
    me = httpx.get(f"{base}/getMe").json()
    assert me["ok"] is True and me["result"]["is_bot"] is True
    hook = httpx.post(
        f"{base}/setWebhook", data={"url": "https://exemple.fr/webhooks/telegram/webhook"}
    )
    assert hook.json() == {"ok": True, "result": True}
    api.delay_next(0.3)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{base}/sendMessage", json={"chat_id": 1, "text": "Lent"}, timeout=0.1)
    fast = httpx.post(f"{base}/sendMessage", json={"chat_id": 1, "text": "Bonjour"}, timeout=0.1)
    assert fast.json()["result"]["text"] == "Bonjour"
    assert (
        api.methods()
        == ["sendMessage", "sendMessage", "getMe", "getMe", "setWebhook"] + ["sendMessage"] * 2
    )
