"""Days and hours read from French, checked against the calendar: clear answers."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from seniorplus.booking.dates import DateProblem, WantedTime, read_when, say_day, say_slot

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)  # a Monday


def _wanted(text: str, now: datetime = NOW) -> WantedTime:
    result = read_when(text, now)
    assert isinstance(result, WantedTime), result
    return result


def _problem(text: str, now: datetime = NOW) -> DateProblem:
    result = read_when(text, now)
    assert isinstance(result, DateProblem), result
    return result


@pytest.mark.parametrize(
    ("text", "day", "part", "at"),
    [
        ("demain", date(2026, 12, 1), None, None),
        ("Après-demain", date(2026, 12, 2), None, None),
        ("mardi", date(2026, 12, 1), None, None),
        ("mardi matin", date(2026, 12, 1), "matin", None),
        ("Mardi après-midi", date(2026, 12, 1), "apres-midi", None),
        ("mercredi aprem", date(2026, 12, 2), "apres-midi", None),
        ("jeudi 14h", date(2026, 12, 3), None, time(14, 0)),
        ("jeudi 14 h 30", date(2026, 12, 3), None, time(14, 30)),
        ("jeudi à 14:30", date(2026, 12, 3), None, time(14, 30)),
        ("jeudi à 2h de l'après-midi", date(2026, 12, 3), "apres-midi", time(14, 0)),
        ("lundi", date(2026, 12, 7), None, None),  # today is Monday: the next one
        ("le 3 décembre", date(2026, 12, 3), None, None),
        ("3 dec", date(2026, 12, 3), None, None),
        ("03/12", date(2026, 12, 3), None, None),
        ("3/12/2026", date(2026, 12, 3), None, None),
        ("le 1er décembre", date(2026, 12, 1), None, None),
        ("le premier décembre", date(2026, 12, 1), None, None),
        ("le trois décembre à dix heures", date(2026, 12, 3), None, time(10, 0)),
        ("le 4", date(2026, 12, 4), None, None),
        ("le 1er mars", date(2027, 3, 1), None, None),  # passed long ago: next year's
        ("2027-01-15", date(2027, 1, 15), None, None),
        ("mardi 1er décembre vers 10 h", date(2026, 12, 1), None, time(10, 0)),
        ("quatorze heures", None, None, time(14, 0)),
        ("neuf heures et demie", None, None, time(9, 30)),
        ("le matin", None, "matin", None),
    ],
)
def test_readable_days_and_hours(
    text: str, day: date | None, part: str | None, at: time | None
) -> None:
    wanted = _wanted(text)
    assert (wanted.day, wanted.part, wanted.at) == (day, part, at)


def test_next_week_spans_monday_to_friday() -> None:
    wanted = _wanted("la semaine prochaine")
    assert (wanted.day, wanted.span_days) == (date(2026, 12, 7), 5)
    assert wanted.matches(datetime(2026, 12, 11, 9, 0, tzinfo=PARIS))
    assert not wanted.matches(datetime(2026, 12, 14, 9, 0, tzinfo=PARIS))


def test_thirty_first_of_february_is_explained() -> None:
    problem = _problem("le 31 février")
    assert problem.kind == "impossible"
    assert problem.message.startswith("Le 31 février n'existe pas : en 2027, février n'a que 28")
    assert _problem("31/02").kind == "impossible"
    assert _problem("le trente et un fevrier").kind == "impossible"


def test_leap_years_have_a_twenty_ninth_of_february() -> None:
    in_2028 = datetime(2028, 2, 1, 10, 0, tzinfo=PARIS)
    assert _wanted("le 29 février", in_2028).day == date(2028, 2, 29)
    assert "28 jours" in _problem("29/02/2027").message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("le 31 avril", "Le 31 avril n'existe pas : le mois d'avril a 30 jours."),
        ("31/06", "Le 31 juin n'existe pas : le mois de juin a 30 jours."),
        ("le 32 mars", "Le 32 mars n'existe pas : le mois de mars a 31 jours."),
        ("13/13", "Il n'y a que 12 mois dans l'année"),
    ],
)
def test_other_impossible_dates(text: str, message: str) -> None:
    problem = _problem(text)
    assert problem.kind == "impossible"
    assert problem.message.startswith(message)


def test_a_weekday_that_does_not_fit_the_date_is_pointed_out() -> None:
    problem = _problem("mardi 4 décembre")
    assert problem.message.startswith("Le 4 décembre est un vendredi, pas un mardi.")


@pytest.mark.parametrize(
    "text", ["hier", "avant-hier", "le 20 novembre", "le 3 mars 2025", "15/11/2026"]
)
def test_past_dates_are_refused_in_plain_french(text: str) -> None:
    problem = _problem(text)
    assert problem.kind == "past"
    assert "déjà passé" in problem.message
    assert "à partir de demain" in problem.message


def test_today_is_too_soon_the_first_day_is_named() -> None:
    problem = _problem("aujourd'hui")
    assert problem.kind == "too_soon"
    assert "mardi 1er décembre" in problem.message


def test_sunday_and_saturday_sites_are_closed() -> None:
    sunday = _problem("dimanche")
    assert sunday.kind == "closed_day"
    assert sunday.message.startswith("Le dimanche 6 décembre, les points d'accueil sont fermés.")
    assert "du lundi au vendredi, de 9 h à 12 h 30 et de 13 h 30 à 17 h" in sunday.message
    assert _problem("le 5 décembre").kind == "closed_day"  # a Saturday


@pytest.mark.parametrize("text", ["jeudi 3h", "3h du matin", "jeudi à trois heures", "mardi 22h"])
def test_night_hours_are_outside_opening_hours(text: str) -> None:
    problem = _problem(text)
    assert problem.kind == "closed_hours"
    assert "les points d'accueil sont fermés" in problem.message


def test_evening_is_closed() -> None:
    assert _problem("mardi soir").kind == "closed_hours"


@pytest.mark.parametrize(
    ("text", "name"),
    [("le 25 décembre", "Noël"), ("le 1er janvier", "jour de l'An"), ("11/11/2026", None)],
)
def test_public_holidays_are_closed(text: str, name: str | None) -> None:
    problem = _problem(text)
    if name is None:  # 11 November 2026 has passed on 30 November
        assert problem.kind == "past"
        return
    assert problem.kind == "holiday"
    assert f"jour férié ({name})" in problem.message


def test_easter_monday_is_a_holiday() -> None:
    march = datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)
    problem = _problem("le 29 mars", march)  # Easter 2027: 28 March
    assert problem.kind == "holiday"
    assert "lundi de Pâques" in problem.message


def test_too_far_ahead() -> None:
    problem = _problem("le 3 juin 2027")
    assert problem.kind == "too_far"
    assert "trois mois" in problem.message


@pytest.mark.parametrize("text", ["", "n'importe quand", "bonjour", "???"])
def test_unreadable_asks_for_an_example(text: str) -> None:
    problem = _problem(text)
    assert problem.kind == "unreadable"
    assert "mardi matin" in problem.message


def test_matches_part_of_day_and_hour() -> None:
    morning = _wanted("mardi matin")
    assert morning.matches(datetime(2026, 12, 1, 11, 15, tzinfo=PARIS))
    assert not morning.matches(datetime(2026, 12, 1, 13, 30, tzinfo=PARIS))
    assert not morning.matches(datetime(2026, 12, 2, 9, 0, tzinfo=PARIS))
    two_pm = _wanted("jeudi 14h")
    assert two_pm.matches(datetime(2026, 12, 3, 14, 15, tzinfo=PARIS))
    assert two_pm.matches(datetime(2026, 12, 3, 13, 0, tzinfo=PARIS))
    assert not two_pm.matches(datetime(2026, 12, 3, 9, 0, tzinfo=PARIS))
    # A UTC time is compared in Paris time: 13:00 UTC is 14:00 in Paris in winter.
    assert two_pm.matches(datetime(2026, 12, 3, 13, 0, tzinfo=ZoneInfo("UTC")))


def test_search_starts_on_the_day_asked() -> None:
    assert _wanted("jeudi").search_from(NOW) == datetime(2026, 12, 3, 0, 0, tzinfo=PARIS)
    assert _wanted("le matin").search_from(NOW) == NOW


def test_describe_in_french() -> None:
    assert _wanted("mardi matin").describe() == "mardi 1er décembre au matin"
    assert _wanted("jeudi 14h").describe() == "jeudi 3 décembre vers 14 h"
    assert _wanted("le matin").describe() == "le matin"


def test_say_day_and_slot() -> None:
    assert say_day(date(2026, 12, 1)) == "mardi 1er décembre"
    assert say_day(date(2027, 1, 4), today=date(2026, 11, 30)) == "lundi 4 janvier 2027"
    start = datetime(2026, 12, 3, 8, 45, tzinfo=ZoneInfo("UTC"))
    assert say_slot(start, NOW) == "jeudi 3 décembre à 9 h 45"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        read_when("demain", datetime(2026, 11, 30, 10, 0))
