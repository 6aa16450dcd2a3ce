"""SMS channel: signed Twilio webhooks in, TwiML out; STOP/START/AIDE; retries answered once."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from channels.sms import HELP, STOP_NOT_SAVED, STOPPED, Keyword, SmsInput, keyword, sms
from channels.store import ChannelStore
from rendering import sms_segments
from safety.lines import NOT_STORED
from tests.bot.twilio_payloads import (
    AUTH_TOKEN,
    HUMAN,
    HUMAN_EXAMPLE,
    MENU,
    PUBLIC_BASE_URL,
    ChannelClient,
    FakeAssistant,
    Posted,
    migrated_database,
    sms_params,
    twilio_signature,
)

PATH = "/webhooks/sms/webhook"
SENDER = "+33612345678"


@pytest.fixture
def store(tmp_path: Path) -> ChannelStore:
    return ChannelStore(migrated_database(tmp_path))


@pytest.fixture
def assistant() -> FakeAssistant:
    return FakeAssistant()


@pytest.fixture
def client(store: ChannelStore, assistant: FakeAssistant) -> ChannelClient:
    channel = SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=store)
    return ChannelClient(channel, assistant)


def messages(posted: Posted) -> list[str]:
    """The texts of the TwiML <Message> elements, in order."""
    assert posted.status == 200, posted.text
    assert posted.content_type.startswith("text/xml")
    root = ET.fromstring(posted.text)
    assert root.tag == "Response"
    assert all(child.tag == "Message" for child in root)
    return [child.text or "" for child in root]


def say(client: ChannelClient, body: str, sender: str = SENDER) -> list[str]:
    return messages(client.post(PATH, sms_params(body, sender)))


# Signatures.


def test_the_signing_helper_agrees_with_twilio_library() -> None:
    params = sms_params("Bonjour é & ü", SENDER)
    url = PUBLIC_BASE_URL + PATH
    assert twilio_signature(url, params) == RequestValidator(AUTH_TOKEN).compute_signature(
        url, params
    )


def test_a_signed_message_goes_to_the_assistant_as_the_sender(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    params = sms_params("Bonjour", SENDER)
    texts = messages(client.post(PATH, params))
    [received] = assistant.received
    assert (received.text, received.sender_id, received.input_channel) == (
        "Bonjour",
        SENDER,
        "sms",
    )
    assert received.message_id == params["MessageSid"]
    assert received.metadata == {"channel": "sms"}
    assert len(texts) == 1 and texts[0].startswith("Pardon, je n'ai pas bien compris.")


@pytest.mark.parametrize(
    "signature",
    [
        None,  # no header at all
        "",
        "bm90IGEgc2lnbmF0dXJl",
        twilio_signature(PUBLIC_BASE_URL + PATH, sms_params("x"), "another-token"),
    ],
)
def test_unsigned_or_forged_requests_get_403_and_nothing_else(
    client: ChannelClient, assistant: FakeAssistant, store: ChannelStore, signature: str | None
) -> None:
    params = sms_params("STOP", SENDER)
    refused = client.post(PATH, params, signature=signature)
    assert (refused.status, refused.text) == (403, "")
    assert assistant.received == []
    assert not store.is_opted_out("sms", SENDER)
    # Nothing was recorded either: Twilio's genuine request is still answered.
    assert messages(client.post(PATH, params)) == [sms(STOPPED)]


def test_the_signature_covers_the_public_url_and_every_field(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    params = sms_params("Bonjour", SENDER)
    local_url = "http://127.0.0.1:5005" + PATH  # where the request really arrives
    assert client.post(PATH, params, signature=twilio_signature(local_url, params)).status == 403
    signed = twilio_signature(PUBLIC_BASE_URL + PATH, params)
    tampered = {**params, "Body": "STOP"}
    assert client.post(PATH, tampered, signature=signed).status == 403
    with_query = twilio_signature(PUBLIC_BASE_URL + PATH + "?x=1", params)
    assert client.post(PATH + "?x=1", params, signature=with_query).status == 200
    assert assistant.texts == ["Bonjour"]


# Malformed requests: a short French reason, nothing passed on.


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({k: v for k, v in sms_params("Bonjour").items() if k != "From"}, 400),
        ({k: v for k, v in sms_params("Bonjour").items() if k != "Body"}, 400),
        (
            {
                k: v
                for k, v in sms_params("Bonjour").items()
                if k not in ("MessageSid", "SmsSid", "SmsMessageSid")
            },
            400,
        ),
        (sms_params("Bonjour", "0612345678"), 400),
        (sms_params("Bonjour", "anonymous"), 400),
        (sms_params("Bonjour", "+33 6 12 34 56 78"), 400),
        (sms_params("Bonjour", "+3361234567"), 400),  # impossible: a French number too short
        (sms_params("Bonjour", "+1234"), 400),
        ({**sms_params("Bonjour"), **{f"Extra{i}": "x" for i in range(120)}}, 400),
        (sms_params("x" * 70_000), 413),
    ],
)
def test_malformed_form_data_is_refused_in_french(
    client: ChannelClient, assistant: FakeAssistant, params: dict[str, str], status: int
) -> None:
    refused = client.post(PATH, params)
    assert refused.status == status
    assert any(word in refused.text for word in ("Champ", "Formulaire", "Requête"))
    assert assistant.received == []


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b'{"From": "+33612345678", "Body": "Bonjour"}', "application/json"),
        (b"From=%2B33612345678&Body=%FF%FE", "application/x-www-form-urlencoded"),
        (b"From=%2B33612345678&Body", "application/x-www-form-urlencoded"),
        ("From=+33612345678&Body=été".encode(), "application/x-www-form-urlencoded"),
    ],
)
def test_unreadable_bodies_are_refused(
    client: ChannelClient, assistant: FakeAssistant, raw: bytes, content_type: str
) -> None:
    refused = client.post(PATH, {}, signature="c2lnbmU=", raw=raw, content_type=content_type)
    assert refused.status == 400
    assert "Requête refusée" in refused.text or "Formulaire illisible" in refused.text
    assert assistant.received == []


# Retries.


def test_a_retried_webhook_is_answered_once(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    params = sms_params("Bonjour", SENDER)
    assert messages(client.post(PATH, params))
    assert messages(client.post(PATH, params)) == []
    assert messages(client.post(PATH, params)) == []
    assert assistant.texts == ["Bonjour"]
    assert messages(client.post(PATH, sms_params("Bonjour", SENDER)))  # a new message is answered
    assert assistant.texts == ["Bonjour", "Bonjour"]


# STOP, START, AIDE.


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("STOP", Keyword.STOP),
        ("stop", Keyword.STOP),
        (" Stop. ", Keyword.STOP),
        ("ARRET", Keyword.STOP),
        ("Arrêt !", Keyword.STOP),
        ("ARRÊT", Keyword.STOP),
        ("STOP SMS", Keyword.STOP),
        ("start", Keyword.START),
        ("Start !", Keyword.START),
        ("AIDE", Keyword.HELP),
        ("aide ?", Keyword.HELP),
        ("stop, merci pour votre aide", None),
        ("arrêtez l'étape", None),
        ("j'ai besoin d'aide", None),
        ("", None),
    ],
)
def test_keywords_are_whole_messages(text: str, word: Keyword | None) -> None:
    assert keyword(text) is word


def test_stop_is_confirmed_once_then_silence_until_start(
    client: ChannelClient, assistant: FakeAssistant, store: ChannelStore
) -> None:
    assert say(client, "Arrêt !") == [
        "Vous ne recevrez plus de SMS de Senior Plus. Pour reprendre, écrivez START."
    ]
    assert store.is_opted_out("sms", SENDER)  # in the app database: reminders honour it too
    assert say(client, "STOP") == []  # never confirmed again while stopped
    assert say(client, "Bonjour") == []
    assert say(client, "1") == []
    assert assistant.received == []  # neither the keywords nor the rest reached the assistant

    help_text = say(client, "aide")
    assert help_text == [sms(HELP)]
    assert "15" in help_text[0] and "112" in help_text[0] and "urgence" in help_text[0]
    assert "STOP" in help_text[0] and "START" in help_text[0]
    assert sms_segments(help_text[0]).segments <= 2

    [resumed] = say(client, "START")
    assert "à nouveau" in resumed
    assert not store.is_opted_out("sms", SENDER)
    assert say(client, "Bonjour")  # the conversation goes on
    assert assistant.texts == ["Bonjour"]


def test_stop_of_one_number_leaves_the_others(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    assert say(client, "STOP", "+33611111111")
    assert say(client, "Bonjour", "+33622222222")
    assert assistant.texts == ["Bonjour"]


def test_aide_without_stop_does_not_reach_the_assistant(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    assert say(client, "AIDE") == [sms(HELP)]
    assert assistant.received == []


# What the person sends, whatever it is.


def test_a_10_kb_body_is_kept_up_to_the_limit_and_answered_politely(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    body = ("Bonjour, je voudrais des informations sur l'APA. " * 220)[:10_240]
    texts = say(client, body)
    [received] = assistant.received
    assert len(received.text) <= 1600 and body.startswith(received.text)
    assert received.metadata == {"channel": "sms", "original_length": 10_240}
    assert texts[0].startswith("Votre message est très long")
    assert "1600 premiers caractères" in texts[0]
    assert len(texts) == 2  # then the assistant's answer


def test_control_characters_are_removed(client: ChannelClient, assistant: FakeAssistant) -> None:
    assert say(client, "bon\x00jour\x07 \x1b[31mça va\x7f")
    assert assistant.texts == ["bon jour   [31mça va"]


def test_an_mms_without_text_reaches_the_assistant_with_its_media_count(
    client: ChannelClient, assistant: FakeAssistant
) -> None:
    params = sms_params("", SENDER, num_media=1)
    params["MediaUrl0"] = "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME"
    params["MediaContentType0"] = "image/jpeg"
    assert messages(client.post(PATH, params))
    assert assistant.received[0].text == ""
    assert assistant.received[0].metadata == {"channel": "sms", "num_media": 1}


# What the person gets.


def test_numbered_choices_are_in_the_same_sms(client: ChannelClient) -> None:
    [text] = say(client, "n'importe quoi")
    lines = text.splitlines()
    assert lines[0] == "Pardon, je n'ai pas bien compris. Dites-le autrement, en quelques mots."
    assert lines[1:] == [
        "Répondez :",
        "1 = L'APA à domicile",
        "2 = Entrer en EHPAD",
        "3 = Parler à une personne",
    ]
    assert len(MENU) == 3
    info = sms_segments(text)
    assert info.encoding == "GSM-7" and info.segments <= 2


def test_several_bot_messages_become_several_sms_in_order(store: ChannelStore) -> None:
    assistant = FakeAssistant(
        script=lambda _sender, _text: [
            {"text": "Premier : « l'APA » < 3 & plus…"},
            {"image": "https://example.org/carte.png"},
            {"custom": {"handoff": "human"}},
            {"text": "Deuxième 😀", "buttons": [{"title": "Oui", "payload": "/affirm"}]},
        ]
    )
    client = ChannelClient(SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=store), assistant)
    assert say(client, "Bonjour") == [
        'Premier : "l\'APA" < 3 & plus...',  # escaped in the XML, GSM-7 once read
        "https://example.org/carte.png",
        "Deuxième\nRépondez :\n1 = Oui",
    ]


def test_the_person_contact_answer_is_written_in_full_by_sms(client: ChannelClient) -> None:
    assert say(client, "3") == [sms(HUMAN), sms(HUMAN_EXAMPLE)]  # no handoff marker by SMS


def test_an_assistant_failure_gets_an_apology_that_asks_to_write_again(
    store: ChannelStore,
) -> None:
    client = ChannelClient(
        SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=store), FakeAssistant(fail=True)
    )
    assert say(client, "Bonjour") == [sms(NOT_STORED)]  # never "bien reçu": it was not stored


def test_a_database_failure_never_crashes(tmp_path: Path) -> None:
    broken = ChannelStore(f"sqlite:///{tmp_path / 'missing' / 'app.db'}")
    assistant = FakeAssistant()
    client = ChannelClient(SmsInput(AUTH_TOKEN, PUBLIC_BASE_URL, store=broken), assistant)
    assert say(client, "Bonjour") == [sms(NOT_STORED)]
    assert say(client, "STOP") == [sms(STOP_NOT_SAVED)]
    assert assistant.received == []


def test_from_credentials_fails_loudly() -> None:
    channel = SmsInput.from_credentials(
        {"auth_token": "t", "public_base_url": "https://x.example/"}
    )
    assert channel.signatures.base_url == "https://x.example"
    assert channel.max_message_chars == 1600
    for broken in (
        {"public_base_url": "https://x.example"},
        {"auth_token": "t"},
        {"auth_token": " ", "public_base_url": "https://x.example"},
        {"auth_token": "t", "public_base_url": "x.example"},
        {"auth_token": "t", "public_base_url": "https://x.example", "max_message_chars": "long"},
    ):
        with pytest.raises(ValueError):
            SmsInput.from_credentials(broken)
