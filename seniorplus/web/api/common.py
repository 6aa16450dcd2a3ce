"""What every API route shares: the French error body, phone numbers, Paris time, log masking.

Errors: every answer that is not a success is ``{"erreur": "<French sentence>"}``,
plus ``"champs"`` (field, message) when the request itself is invalid. Pydantic's
English validation messages are translated here, so a 422 reads like the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from observability.mask import mask_identifier, mask_url
from policies.hours import PARIS
from policies.phones import to_e164

logger = logging.getLogger(__name__)


WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MODE_LABELS = {"sur_place": "sur place", "telephone": "par téléphone", "domicile": "à domicile"}
APPOINTMENT_STATUS_LABELS = {"reserve": "réservé", "annule": "annulé", "effectue": "effectué"}


class FieldProblem(BaseModel):
    """One invalid field of a request."""

    champ: str = Field(description="Le paramètre ou le champ du corps, par exemple `status`.")
    message: str = Field(description="Ce qui ne va pas, en français.")


class ErrorBody(BaseModel):
    """Body of every error answer."""

    erreur: str = Field(description="Le problème, en une phrase en français.")
    champs: list[FieldProblem] | None = Field(
        default=None, description="Les champs invalides (erreurs 422 seulement)."
    )


class ApiError(Exception):
    """An answer other than success: HTTP status and a French message."""

    def __init__(
        self,
        status_code: int,
        message_fr: str,
        *,
        fields: Sequence[FieldProblem] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_fr)
        self.status_code = status_code
        self.message_fr = message_fr
        self.fields = list(fields)
        self.headers = headers

    @classmethod
    def invalid(cls, field: str, message_fr: str) -> ApiError:
        """A 422 about one field."""
        return cls(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            f"Requête invalide : {field} : {message_fr}.",
            fields=[FieldProblem(champ=field, message=message_fr)],
        )

    def response(self) -> JSONResponse:
        return error_response(self.status_code, self.message_fr, self.fields, self.headers)


def error_response(
    status_code: int,
    message_fr: str,
    fields: Sequence[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """``{"erreur": ..., "champs": [...]}`` (``champs`` only when there are some)."""
    body = ErrorBody(erreur=message_fr, champs=list(fields) or None)
    return JSONResponse(
        jsonable_encoder(body, exclude_none=True), status_code=status_code, headers=headers
    )


# Framework errors (no route, wrong method...) carry English details: replace them.
HTTP_MESSAGES_FR = {
    400: "Requête mal formée.",
    401: "Authentification requise : jeton absent ou invalide.",
    403: "Accès refusé.",
    404: "Adresse inconnue de l'API.",
    405: "Méthode non autorisée sur cette adresse.",
    413: "Requête trop volumineuse.",
    415: "Type de contenu non pris en charge : envoyez du JSON.",
    429: "Trop de requêtes : réessayez dans un moment.",
}
INTERNAL_ERROR_FR = "Erreur interne du serveur : la demande n'a pas abouti. Réessayez plus tard."

# --- validation errors in French ----------------------------------------------------------

_TYPE_MESSAGES = {
    "missing": "champ obligatoire",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "bool_parsing": "valeur true ou false attendue",
    "bool_type": "valeur true ou false attendue",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "dict_type": "objet JSON attendu",
    "model_type": "objet JSON attendu",
    "model_attributes_type": "objet JSON attendu",
    "extra_forbidden": "champ inconnu",
    "json_invalid": "JSON invalide",
    "json_type": "JSON invalide",
    "date_parsing": "date invalide (format AAAA-MM-JJ, par exemple 2026-12-03)",
    "date_from_datetime_parsing": "date invalide (format AAAA-MM-JJ, par exemple 2026-12-03)",
    "date_from_datetime_inexact": "date attendue sans heure (format AAAA-MM-JJ)",
    "date_type": "date invalide (format AAAA-MM-JJ)",
    "datetime_parsing": "date et heure invalides (format AAAA-MM-JJTHH:MM)",
    "datetime_from_date_parsing": "date et heure invalides (format AAAA-MM-JJTHH:MM)",
    "datetime_type": "date et heure invalides (format AAAA-MM-JJTHH:MM)",
    "time_parsing": "heure invalide (format HH:MM, par exemple 09:30)",
    "time_type": "heure invalide (format HH:MM)",
}
_CTX_MESSAGES = {
    "string_too_short": "texte trop court (au moins {min_length} caractère(s))",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "format non reconnu",
    "too_short": "il faut au moins {min_length} élément(s)",
    "too_long": "au plus {max_length} éléments",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "less_than": "doit être inférieur à {lt}",
    "literal_error": "valeur non reconnue ; valeurs possibles : {expected}",
    "enum": "valeur non reconnue ; valeurs possibles : {expected}",
}


def _field_name(loc: Sequence[str | int]) -> str:
    """``("body", "weekly", 0, "end")`` → ``"weekly[0].end"``; the body itself → ``"corps"``."""
    parts = list(loc)
    if parts and parts[0] in ("query", "path", "header", "body", "cookie"):
        parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "corps"


def _french(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"]).removeprefix("Assertion failed, ")
    if kind in _CTX_MESSAGES:
        values = {key: str(value).replace(" or ", " ou ") for key, value in ctx.items()}
        try:
            return _CTX_MESSAGES[kind].format(**values)
        except KeyError:
            pass
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    if kind.startswith("date_"):
        return _TYPE_MESSAGES["date_parsing"]
    if kind.startswith("datetime_"):
        return _TYPE_MESSAGES["datetime_parsing"]
    if kind.startswith("time_"):
        return _TYPE_MESSAGES["time_parsing"]
    return "valeur invalide"


def validation_problems(exc: RequestValidationError) -> list[FieldProblem]:
    """The request's invalid fields, in French."""
    return [
        FieldProblem(champ=_field_name(error.get("loc", ())), message=_french(error))
        for error in exc.errors()
    ]


def validation_response(exc: RequestValidationError) -> JSONResponse:
    """422 with every invalid field, the first three in the sentence."""
    problems = validation_problems(exc)
    said = "; ".join(f"{p.champ} : {p.message}" for p in problems[:3])
    more = f" (et {len(problems) - 3} autre(s))" if len(problems) > 3 else ""
    return error_response(
        status.HTTP_422_UNPROCESSABLE_ENTITY, f"Requête invalide : {said}{more}.", problems
    )


# --- phone numbers ---------------------------------------------------------------------------


def normalise_phone(text: str) -> str | None:
    """A phone number as people and URLs write it → E.164, or None (`policies.phones`)."""
    return to_e164(text)


def masked_phone(phone: str | None) -> str | None:
    """``"+33612345678"`` → ``"+336******78"``."""
    return mask_identifier(phone) if phone else None


# --- time ------------------------------------------------------------------------------------


def paris(at: datetime) -> datetime:
    """A stored (UTC) moment as Paris wall-clock time, offset included."""
    return at.astimezone(PARIS)


def paris_or_none(at: datetime | None) -> datetime | None:
    return at.astimezone(PARIS) if at is not None else None


def assume_paris(at: datetime) -> datetime:
    """A moment given without offset is Paris time; one with an offset is kept."""
    if at.tzinfo is None or at.utcoffset() is None:
        return at.replace(tzinfo=PARIS)
    return at


def paris_day(day: date) -> tuple[datetime, datetime]:
    """[midnight, next midnight) of ``day`` in Paris (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0, 0), tzinfo=PARIS)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=PARIS)
    return start, end


def hhmm(value: time) -> str:
    """``time(9, 30)`` → ``"09:30"``."""
    return value.strftime("%H:%M")


# --- logs ------------------------------------------------------------------------------------


class AccessLogMask(logging.Filter):
    """Masks phone numbers in uvicorn's access log lines (``GET /api/cases?phone=...``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask_url(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def install_access_log_mask() -> None:
    """Add the mask to uvicorn's access logger once (the server may log every request)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, AccessLogMask) for existing in access.filters):
        access.addFilter(AccessLogMask())
