"""The REST channel refuses malformed requests in French and keeps every readable message."""

import json

import pytest

from channels.rest import SeniorRestInput
from channels.text_input import InvalidInput, check_sender, clean_text

CHANNEL = SeniorRestInput(max_message_chars=100)


def body(payload: object) -> bytes:
    return json.dumps(payload).encode()


def test_a_normal_message() -> None:
    sender, text, metadata = CHANNEL.parse(body({"sender": "+33612345678", "message": " Bonjour "}))
    assert (sender, text, metadata) == ("rest:+33612345678", "Bonjour", None)


def test_numeric_sender_and_metadata_are_kept() -> None:
    payload = {"sender": 123456, "message": "oui", "metadata": {"channel": "test"}}
    assert CHANNEL.parse(body(payload)) == ("rest:123456", "oui", {"channel": "test"})


@pytest.mark.parametrize("message", [None, "", "😀🙏"])
def test_empty_or_emoji_messages_are_accepted(message: object) -> None:
    assert CHANNEL.parse(body({"sender": "a", "message": message}))[0] == "rest:a"


def test_control_characters_are_removed_but_text_kept() -> None:
    assert clean_text("bon\x00jour\x07 ça va\n") == "bon jour  ça va"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b"[]", 400),
        (b'"texte"', 400),
        (body({"message": "bonjour"}), 400),
        (body({"sender": True, "message": "x"}), 400),
        (body({"sender": "a b", "message": "x"}), 400),
        (body({"sender": "a" * 129, "message": "x"}), 400),
        (body({"sender": "a" * 124, "message": "x"}), 400),  # rest: + 124 > 128
        (body({"sender": "a", "message": ["x"]}), 400),
        (body({"sender": "a", "message": "x" * 101}), 413),
    ],
)
def test_malformed_requests(raw: bytes, status: int) -> None:
    with pytest.raises(InvalidInput) as error:
        CHANNEL.parse(raw)
    assert error.value.status == status
    assert error.value.message_fr  # a French explanation for the caller


def test_from_credentials_reads_the_limit_and_fails_loudly() -> None:
    assert SeniorRestInput.from_credentials({"max_message_chars": "5000"}).max_message_chars == 5000
    assert SeniorRestInput.from_credentials(None).max_message_chars == 8000
    with pytest.raises(ValueError, match="max_message_chars"):
        SeniorRestInput.from_credentials({"max_message_chars": "beaucoup"})


def test_sender_check() -> None:
    assert check_sender("telegram:42") == "telegram:42"
