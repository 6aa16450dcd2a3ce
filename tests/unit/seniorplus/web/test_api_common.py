"""JSON API helpers, pure: phone numbers, Paris days, masked access logs, French validation
messages, response vocabularies kept in step with the database's."""

from __future__ import annotations

import logging
from datetime import date, timedelta, timezone
from typing import get_args

import pytest
from fastapi.exceptions import RequestValidationError

from seniorplus.booking.models import APPOINTMENT_STATUSES, MODES
from seniorplus.cases import STATUS_LABELS
from seniorplus.cases.documents import DOCUMENT_STATUS_LABELS
from seniorplus.cases.models import CASE_STATUSES, DOCUMENT_STATUSES
from seniorplus.web.api import common, schemas


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("0033612345678", "+33612345678"),
        (" 33612345678", "+33612345678"),  # "?phone=+336..." unencoded: the "+" became a space
        ("02 40 00 00 00", "+33240000000"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+33 06 12 34 56 78", "+33612345678"),  # phonenumbers drops the national 0
        ("06 12 34 56", None),
        ("6 12 34 56 78", "+33612345678"),  # a French national number without its 0
        ("+33 7 00 00 00 00", None),  # the right length, but no such number (07 00…)
        ("+33 1 00 00 00 00 00", None),  # too long
        ("00 12", None),
        ("bonjour", None),
        ("", None),
        ("+0612345678", None),
    ],
)
def test_normalise_phone(typed: str, expected: str | None) -> None:
    assert common.normalise_phone(typed) == expected


def test_paris_days_follow_daylight_saving_time() -> None:
    def hours(day: date) -> timedelta:
        start, end = (moment.astimezone(timezone.utc) for moment in common.paris_day(day))
        return end - start

    assert hours(date(2026, 10, 25)) == timedelta(hours=25)  # clocks go back
    assert hours(date(2026, 3, 29)) == timedelta(hours=23)  # clocks go forward
    assert common.paris_day(date(2026, 10, 25))[0].isoformat() == "2026-10-25T00:00:00+02:00"


@pytest.mark.parametrize(
    "path",
    [
        "/api/cases?phone=%2B33612345678&status=ouvert",
        "/api/cases?phone=+33612345678",
        "/api/cases?status=ouvert&phone=06%2012%2034%2056%2078",
        "/api/cases?phone=06+12+34+56+78",
        "/api/cases/0612345678",
        "/api/cases/%2B33612345678",
    ],
)
def test_access_log_lines_never_show_a_phone(path: str) -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )
    assert common.AccessLogMask().filter(record)
    line = record.getMessage()
    for fragment in ("12345678", "12 34 56 78", "12%2034", "12+34"):
        assert fragment not in line, line
    assert line.startswith('127.0.0.1:5000 - "GET /api/cases')


def test_the_access_log_mask_is_installed_once() -> None:
    common.install_access_log_mask()
    common.install_access_log_mask()
    access = logging.getLogger("uvicorn.access")
    assert sum(isinstance(f, common.AccessLogMask) for f in access.filters) == 1


def test_validation_errors_are_translated_with_a_fallback() -> None:
    error = RequestValidationError(
        [
            {"type": "missing", "loc": ("query", "day"), "msg": "Field required"},
            {
                "type": "literal_error",
                "loc": ("body", "documents", 0, "status"),
                "msg": "Input should be 'a' or 'b'",
                "ctx": {"expected": "'a' or 'b'"},
            },
            {"type": "something_new", "loc": ("body",), "msg": "?"},
            {"type": "int_parsing", "loc": ("path", "mediator_id"), "msg": "?"},
        ]
    )
    response = common.validation_response(error)
    assert response.status_code == 422
    problems = [(p.champ, p.message) for p in common.validation_problems(error)]
    assert problems == [
        ("day", "champ obligatoire"),
        ("documents[0].status", "valeur non reconnue ; valeurs possibles : 'a' ou 'b'"),
        ("corps", "valeur invalide"),
        ("mediator_id", "nombre entier attendu"),
    ]
    assert response.body.decode().startswith(
        '{"erreur":"Requête invalide : day : champ obligatoire; documents[0].status : '
    )
    assert "(et 1 autre(s))" in response.body.decode()


def test_response_vocabularies_match_the_database() -> None:
    assert get_args(schemas.CaseStatus) == CASE_STATUSES
    assert get_args(schemas.DocumentStatus) == DOCUMENT_STATUSES
    assert get_args(schemas.Mode) == MODES
    assert get_args(schemas.AppointmentStatus) == APPOINTMENT_STATUSES
    assert set(STATUS_LABELS) == set(CASE_STATUSES)
    assert set(DOCUMENT_STATUS_LABELS) == set(DOCUMENT_STATUSES)
    assert set(common.MODE_LABELS) == set(MODES)
    assert set(common.APPOINTMENT_STATUS_LABELS) == set(APPOINTMENT_STATUSES)
    with pytest.raises(AssertionError):
        schemas.as_case_status("fermé")
