"""What the person is told when a person takes over: honest about when, short, in French."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from policies.hours import PARIS, HoursError
from rendering import render_sms, sms_segments
from safety import Danger
from safety.lines import ALARM
from seniorplus.handoff.messages import (
    CLOSED,
    EMERGENCY,
    HAND_BACK,
    URGENT_OPEN,
    hand_back_notice,
    handoff_notice,
    say_opening,
    team_hours,
)

TEAM = team_hours(None)  # lun-ven 09:00-12:30 13:30-17:00
MONDAY = datetime(2026, 11, 30, tzinfo=PARIS)  # 30 November 2026 is a Monday


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Monday + ``day`` days at hour:minute, Paris time."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def notice(when: datetime, reason: str = "demande", given: bool = False) -> list[str]:
    return handoff_notice(reason, when, TEAM, emergency_given=given)


def test_the_emergency_text_is_the_general_line_of_safety() -> None:
    assert ALARM[Danger.GENERAL] == EMERGENCY
    assert all(number in EMERGENCY for number in ("15", "112", "17"))


def test_in_opening_hours_within_the_hour_and_the_hours_said() -> None:
    assert notice(at(0, 10)) == [
        "Je transmets votre demande à un conseiller de l'équipe. Il vous répond ici, en général "
        "dans l'heure (l'équipe est là du lundi au vendredi, de 9 h à 12 h 30 et de 13 h 30 à "
        "17 h). Vos messages lui sont transmis."
    ]


@pytest.mark.parametrize(
    ("when", "later"),
    [
        (at(0, 12, 0), "sinon aujourd'hui à partir de 13 h 30"),  # lunch break soon
        (at(1, 16, 30), "sinon demain à partir de 9 h"),  # Tuesday, closing at 17:00
        (at(4, 16, 15), "sinon lundi à partir de 9 h"),  # Friday afternoon
    ],
)
def test_less_than_an_hour_before_closing_no_promise_of_the_hour(
    when: datetime, later: str
) -> None:
    (text,) = notice(when)
    assert "dès que possible" in text and later in text and "dans l'heure" not in text


@pytest.mark.parametrize(
    ("when", "opening"),
    [
        (at(0, 7), "aujourd'hui à partir de 9 h"),
        (at(0, 12, 45), "aujourd'hui à partir de 13 h 30"),
        (at(1, 19), "demain à partir de 9 h"),
        (at(4, 18), "lundi à partir de 9 h"),  # Friday evening
        (at(5, 10), "lundi à partir de 9 h"),  # Saturday
        (at(6, 23, 30), "demain à partir de 9 h"),  # Sunday night
    ],
)
def test_out_of_hours_the_real_next_opening_and_the_emergency_numbers(
    when: datetime, opening: str
) -> None:
    assert notice(when) == [CLOSED.format(when=opening)]
    assert "15 (SAMU) ou 112" in notice(when)[0]


def test_next_week_is_said_so() -> None:
    mondays = team_hours("lun 09:00-12:00")
    assert (
        say_opening(mondays.next_opening(at(0, 13)), at(0, 13)) == "lundi prochain à partir de 9 h"
    )


def test_emergency_numbers_are_not_repeated_after_the_emergency_answer() -> None:
    assert notice(at(0, 10), "urgence", given=True) == [URGENT_OPEN]
    assert notice(at(0, 10), "urgence", given=False) == [EMERGENCY, URGENT_OPEN]
    (closed,) = notice(at(5, 10), "urgence", given=True)
    assert "lundi à partir de 9 h" in closed and "je reste là" in closed  # never silent
    assert EMERGENCY not in closed


def test_every_text_fits_two_sms_at_every_half_hour_of_the_week() -> None:
    texts = {HAND_BACK}
    saturday_too = team_hours("lun-ven 09:00-12:30 13:30-17:00; sam 09:00-12:00")
    for step in range(7 * 48):
        when = MONDAY + timedelta(minutes=30 * step)
        for hours in (TEAM, saturday_too):
            for reason in ("demande", "incomprehension", "urgence"):
                for given in (True, False):
                    texts.update(handoff_notice(reason, when, hours, emergency_given=given))
    assert len(texts) > 10
    for text in texts:
        info = sms_segments(render_sms(text))
        assert info.encoding == "GSM-7" and info.segments <= 2, text
        assert "tu " not in f" {text.lower()} "  # vous, always


def test_hand_back_says_who_answers_and_how_to_reach_a_person_again() -> None:
    assert hand_back_notice() == (
        "C'est de nouveau l'assistant Senior Plus qui vous répond. Écrivez « menu » pour voir "
        "ce que je peux faire, ou « conseiller » pour reparler à quelqu'un."
    )


def test_team_hours_setting() -> None:
    assert team_hours("") == TEAM and team_hours("  ") == TEAM
    assert team_hours("lun-dim 00:00-23:59").is_open(at(6, 3))
    with pytest.raises(HoursError):
        team_hours("tous les jours")
