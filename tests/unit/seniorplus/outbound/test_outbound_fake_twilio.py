"""The fake Twilio API answers like Twilio: checked with Twilio's own Python library."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from devtools.fakes.twilio import FakeTwilioApi

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token"
OUR_NUMBER = "+33757000000"
MOBILE = "+33612345678"


@pytest.fixture
def api() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN) as fake:
        yield fake


def client_for(api: FakeTwilioApi, token: str = AUTH_TOKEN) -> Client:
    client = Client(ACCOUNT_SID, token)
    client.api.base_url = api.url  # instead of https://api.twilio.com
    return client


def test_twilio_library_sends_through_the_fake(api: FakeTwilioApi) -> None:
    message = client_for(api).messages.create(to=MOBILE, from_=OUR_NUMBER, body="Bonjour, ça va ?")

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid or "")
    assert message.status == "queued"
    assert (message.to, message.from_, message.body) == (MOBILE, OUR_NUMBER, "Bonjour, ça va ?")
    assert message.account_sid == ACCOUNT_SID
    assert message.direction == "outbound-api"
    assert message.num_segments == "1"
    assert message.date_created is not None  # parsed from RFC 2822 by the library
    assert api.messages == [{"To": MOBILE, "From": OUR_NUMBER, "Body": "Bonjour, ça va ?"}]


def test_twilio_library_sees_errors_as_twilio_errors(api: FakeTwilioApi) -> None:
    api.fail_next(status=400, code=21610, message="Attempt to send to unsubscribed recipient")
    with pytest.raises(TwilioRestException) as raised:
        client_for(api).messages.create(to=MOBILE, from_=OUR_NUMBER, body="Bonjour")
    assert (raised.value.status, raised.value.code) == (400, 21610)
    assert raised.value.msg.endswith("Attempt to send to unsubscribed recipient")
    assert api.messages == []
    # Only the next request failed.
    client_for(api).messages.create(to=MOBILE, from_=OUR_NUMBER, body="Bonjour")
    assert len(api.messages) == 1


def test_wrong_credentials_get_twilio_401(api: FakeTwilioApi) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client_for(api, token="wrong").messages.create(to=MOBILE, from_=OUR_NUMBER, body="x")
    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert api.messages == []


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"From": OUR_NUMBER, "Body": "x"}, 21604),
        ({"To": MOBILE, "Body": "x"}, 21603),
        ({"To": MOBILE, "From": OUR_NUMBER}, 21602),
        ({"To": "0612345678", "From": OUR_NUMBER, "Body": "x"}, 21211),
        ({"To": MOBILE, "From": OUR_NUMBER, "Body": "x" * 1601}, 21617),
    ],
)
def test_invalid_messages_are_refused_like_twilio(
    api: FakeTwilioApi, form: dict[str, str], code: int
) -> None:
    # Client.request signs in like the library's resources but does not raise on errors.
    response = client_for(api).request(
        "POST", f"{api.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", data=form
    )
    body = json.loads(response.text)
    assert response.status_code == 400
    assert body["code"] == code
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert api.messages == []


def test_unknown_paths_and_other_accounts_are_refused(api: FakeTwilioApi) -> None:
    def status_of(path: str) -> tuple[int, dict[str, object]]:
        request = urllib.request.Request(f"{api.url}{path}", data=b"To=x", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    assert status_of("/2010-04-01/Accounts/AC1/Calls.json")[0] == 404
    # Right path shape, no credentials: 401 like Twilio.
    status, body = status_of(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
    assert (status, body["code"]) == (401, 20003)


def test_dates_are_rfc_2822(api: FakeTwilioApi) -> None:
    response = client_for(api).request(
        "POST",
        f"{api.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        data={"To": MOBILE, "From": OUR_NUMBER, "Body": "é" * 71},
    )
    body = json.loads(response.text)
    assert response.status_code == 201
    assert parsedate_to_datetime(body["date_created"]).tzinfo is not None
    assert body["num_segments"] == "1"  # é is GSM-7: 71 characters fit one SMS
    assert body["uri"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{body['sid']}.json"
