"""What the SMS and phone channels share: Twilio's signed form webhooks.

Every request is checked before anything is done with it:

1. a missing ``X-Twilio-Signature`` is refused at once (403, empty body);
2. the body must be ``application/x-www-form-urlencoded``, at most 64 KiB and
   100 fields, in UTF-8 (else 400/413 with a short French reason);
3. the signature is checked with twilio's ``RequestValidator`` over the
   configured public URL (``PUBLIC_BASE_URL`` + path + query string, never the
   URL the request arrived at, which a proxy rewrites) and the POST parameters
   (403, empty body, when it does not match).

Numbers and texts are never logged in clear: ``mask_phone``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels.text_input import InvalidInput
from policies.phones import is_possible_e164

logger = logging.getLogger(__name__)

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 100
SIGNATURE_HEADER = "X-Twilio-Signature"
TWIML_CONTENT_TYPE = "text/xml; charset=utf-8"

# What Twilio puts in From when the caller hides their number (keypad spellings of
# ANONYMOUS, RESTRICTED, BLOCKED, UNAVAILABLE): look like numbers, are not.
WITHHELD_NUMBERS = frozenset({"+266696687", "+7378742833", "+2562533", "+86282452253"})


class Forbidden(Exception):
    """A request not signed by Twilio with our token: answered 403 with an empty body."""


class MultiValueForm(dict[str, list[str]]):
    """Form fields with all their values, read by RequestValidator through ``getall``."""

    def getall(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str) -> str | None:
        values = self.get(name)
        return values[0] if values else None


def mask_phone(phone: str | None) -> str:
    """ "+33***78": enough to follow a conversation in the logs, not to call anyone."""
    if not phone or len(phone) <= 6:
        return "***"
    return f"{phone[:3]}***{phone[-2:]}"


def public_url(base_url: str, path: str, query_string: str = "") -> str:
    """The URL Twilio was given (and signed): configured base + path + raw query string."""
    url = base_url.rstrip("/") + path
    return f"{url}?{query_string}" if query_string else url


def parse_form(body: bytes, content_type: str | None) -> MultiValueForm:
    """The fields of a urlencoded body, or InvalidInput with a French reason."""
    if (content_type or "").split(";")[0].strip().lower() != FORM_CONTENT_TYPE:
        raise InvalidInput(f"Requête refusée : un formulaire ({FORM_CONTENT_TYPE}) est attendu.")
    if len(body) > MAX_FORM_BYTES:
        raise InvalidInput(
            f"Requête trop grosse : {len(body)} octets, {MAX_FORM_BYTES} au plus.", status=413
        )
    try:
        fields = parse_qs(
            body.decode("ascii"),
            keep_blank_values=True,
            strict_parsing=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidInput("Formulaire illisible : champs mal encodés ou trop nombreux.") from error
    return MultiValueForm(fields)


class SignatureChecker:
    """X-Twilio-Signature over the public URL and the POST parameters."""

    def __init__(self, auth_token: str, base_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self.base_url = base_url.rstrip("/")

    def valid(self, url: str, form: Mapping[str, list[str]], signature: str) -> bool:
        try:
            return bool(self._validator.validate(url, form, signature))
        except Exception:  # a signature we cannot even compare is not ours
            logger.warning("Twilio signature could not be checked", exc_info=True)
            return False

    def read(self, request: Request) -> MultiValueForm:
        """The request's form once signed by Twilio; Forbidden or InvalidInput otherwise."""
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            raise Forbidden("missing signature")
        form = parse_form(request.body or b"", request.headers.get("content-type"))
        url = public_url(self.base_url, request.path, request.query_string)
        if not self.valid(url, form, signature):
            raise Forbidden("wrong signature")
        return form


def required(form: MultiValueForm, name: str) -> str:
    value = form.first(name)
    if value is None:
        raise InvalidInput(f"Champ « {name} » manquant.")
    return value


def check_e164(value: str, field: str = "From") -> str:
    """A caller's number in E.164 that its country's numbering allows, else InvalidInput."""
    if not is_possible_e164(value) or value in WITHHELD_NUMBERS:
        raise InvalidInput(f"Champ « {field} » : un numéro au format international est attendu.")
    return value


def normalise_words(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: "Arrêt !" -> "arret"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


def require_setting(credentials: Mapping[str, Any] | None, key: str, channel: str) -> str:
    """A credentials.yml setting that must be there (fails loudly at start-up)."""
    value = (credentials or {}).get(key)
    if value is None or not str(value).strip():
        raise ValueError(f"{channel}: setting {key!r} is missing in credentials.yml")
    return str(value).strip()


def require_base_url(credentials: Mapping[str, Any] | None, channel: str) -> str:
    url = require_setting(credentials, "public_base_url", channel)
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{channel}: public_base_url must start with http:// or https://")
    return url.rstrip("/")


def twiml(document: str) -> HTTPResponse:
    return response.text(document, content_type=TWIML_CONTENT_TYPE)


def refusal(error: InvalidInput) -> HTTPResponse:
    """400/413 with a short French reason (Twilio logs it in its debugger)."""
    return response.text(error.message_fr, status=error.status)


def forbidden() -> HTTPResponse:
    """403 with nothing in it: a forged request learns nothing."""
    return response.empty(status=403)
