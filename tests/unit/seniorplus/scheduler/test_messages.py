"""The French texts of appointment notices: exact wording, relative days, two SMS at most."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from devtools.seeds.booking import MEDIATORS, SITES
from rendering.gsm import sms_segments
from rendering.sms import render_sms
from seniorplus.scheduler.messages import (
    EVENTS,
    AppointmentFacts,
    cancelled_text,
    confirmation_text,
    message_for,
    moved_text,
    reminder_text,
)

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
START = datetime(2026, 11, 24, 14, 30, tzinfo=PARIS)  # Tuesday
FACTS = AppointmentFacts(
    reference="RDV-7KQ4MX",
    starts_at=START,
    mode="sur_place",
    mediator="Claire Morvan",
    site_name="CCAS de Nozay",
    site_address="2 rue de l'Église",
    site_postcode="44170",
    site_commune="Nozay",
)


def segments(text: str) -> int:
    return sms_segments(render_sms(text)).segments


def test_confirmation_on_site() -> None:
    assert confirmation_text(FACTS, MONDAY) == (
        "Senior Plus : votre rendez-vous est confirmé le mardi 24 novembre à 14 h 30, avec "
        "Claire Morvan. Lieu : CCAS de Nozay, 2 rue de l'Église, 44170 Nozay. "
        "Référence RDV-7KQ4MX. Pour annuler ou déplacer, écrivez-nous."
    )


def test_confirmation_by_phone_and_at_home() -> None:
    assert confirmation_text(replace(FACTS, mode="telephone"), MONDAY) == (
        "Senior Plus : votre rendez-vous téléphonique est confirmé le mardi 24 novembre à "
        "14 h 30 : Claire Morvan vous appellera. Référence RDV-7KQ4MX. Pour annuler ou "
        "déplacer, écrivez-nous."
    )
    home = confirmation_text(replace(FACTS, mode="domicile"), MONDAY)
    assert "votre rendez-vous à domicile est confirmé" in home
    assert ": Claire Morvan viendra chez vous." in home
    assert "CCAS" not in home  # the site is not where it happens


def test_moved_gives_the_old_and_new_references() -> None:
    later = replace(FACTS, reference="RDV-NEW234", starts_at=START.replace(hour=9, minute=45))
    assert moved_text(later, MONDAY, "RDV-7KQ4MX") == (
        "Senior Plus : votre rendez-vous RDV-7KQ4MX est déplacé. Nouveau rendez-vous le mardi "
        "24 novembre à 9 h 45, avec Claire Morvan. Lieu : CCAS de Nozay, 2 rue de l'Église, "
        "44170 Nozay. Nouvelle référence RDV-NEW234. Pour annuler ou déplacer, écrivez-nous."
    )


def test_reminder_says_tomorrow() -> None:
    assert reminder_text(FACTS, MONDAY) == (
        "Rappel Senior Plus : vous avez un rendez-vous demain mardi 24 novembre à 14 h 30, "
        "avec Claire Morvan. Lieu : CCAS de Nozay, 2 rue de l'Église, 44170 Nozay. "
        "Référence RDV-7KQ4MX. Pour annuler ou déplacer, écrivez-nous."
    )
    phone = reminder_text(replace(FACTS, mode="telephone"), MONDAY)
    assert phone.startswith(
        "Rappel Senior Plus : vous avez un rendez-vous téléphonique demain mardi 24 novembre "
        "à 14 h 30 : Claire Morvan vous appellera."
    )


def test_reminder_sent_late_says_today_or_the_date() -> None:
    same_day = datetime(2026, 11, 24, 8, 0, tzinfo=PARIS)  # deferred by quiet hours
    assert "rendez-vous aujourd'hui mardi 24 novembre à 14 h 30" in reminder_text(FACTS, same_day)
    two_days_before = datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)
    assert "rendez-vous le mardi 24 novembre à 14 h 30" in reminder_text(FACTS, two_days_before)


def test_paris_time_is_said_whatever_the_stored_zone() -> None:
    utc = START.astimezone(ZoneInfo("UTC"))  # 13:30 UTC in winter
    assert "à 14 h 30" in reminder_text(replace(FACTS, starts_at=utc), MONDAY)
    summer = datetime(2027, 6, 8, 7, 0, tzinfo=ZoneInfo("UTC"))  # 9:00 in Paris
    assert "mardi 8 juin 2027 à 9 h" in confirmation_text(replace(FACTS, starts_at=summer), MONDAY)


def test_cancellation() -> None:
    assert cancelled_text(FACTS, MONDAY) == (
        "Senior Plus : votre rendez-vous du mardi 24 novembre à 14 h 30 (référence "
        "RDV-7KQ4MX) est annulé. Pour en prendre un autre, écrivez-nous."
    )


def test_message_for_each_event() -> None:
    assert message_for("reserve", FACTS, MONDAY) == confirmation_text(FACTS, MONDAY)
    assert message_for("deplace", FACTS, MONDAY, "RDV-OLD234") == moved_text(
        FACTS, MONDAY, "RDV-OLD234"
    )
    assert message_for("rappel", FACTS, MONDAY) == reminder_text(FACTS, MONDAY)
    assert message_for("annule", FACTS, MONDAY) == cancelled_text(FACTS, MONDAY)


@pytest.mark.parametrize("mode", ["sur_place", "telephone", "domicile"])
def test_every_demo_site_and_mediator_fits_two_sms(mode: str) -> None:
    sites = {site.name: site for site in SITES}
    for mediator in MEDIATORS:
        site = sites[mediator.site]
        facts = AppointmentFacts(
            "RDV-7KQ4MX", START, mode, mediator.name, site.name, site.address, site.postcode,
            site.commune,
        )  # fmt: skip
        for event in EVENTS:
            text = message_for(event, facts, MONDAY, "RDV-ABCDEF")
            assert segments(text) <= 2, (event, mediator.name, text)
            assert "RDV-7KQ4MX" in text


def test_the_longest_real_site_keeps_its_address_in_a_confirmation() -> None:
    ancenis = next(site for site in SITES if site.name.startswith("CLIC du Pays d'Ancenis"))
    facts = replace(
        FACTS,
        mediator="Jean-Marc Perraud (démo)",
        site_name=ancenis.name,
        site_address=ancenis.address,
        site_postcode=ancenis.postcode,
        site_commune=ancenis.commune,
    )
    text = confirmation_text(facts, MONDAY)
    assert "Espace Corail, 30 place Francis Robert, 44150 Ancenis-Saint-Géréon" in text
    assert segments(text) == 2


@pytest.mark.parametrize("mode", ["sur_place", "telephone", "domicile"])
def test_columns_at_their_longest_still_fit_by_leaving_details_out(mode: str) -> None:
    """Site name 120, mediator 80, address 200 characters (the column sizes)."""
    facts = replace(
        FACTS, mode=mode, mediator="M" * 80, site_name="S" * 120, site_address="A" * 200
    )
    for event in EVENTS:
        text = message_for(event, facts, MONDAY, "RDV-ABCDEF")
        assert segments(text) <= 2, (event, text)
        assert "A" * 200 not in text
        assert "RDV-7KQ4MX" in text and "14 h 30" in text


def test_a_name_too_long_for_two_sms_gives_way_to_un_conseiller() -> None:
    facts = replace(FACTS, mode="telephone", mediator="M" * 250)
    text = confirmation_text(facts, MONDAY)
    assert ": un conseiller vous appellera." in text
    assert segments(text) <= 2


def test_uncommon_letters_are_transliterated_not_ucs2() -> None:
    facts = replace(FACTS, mediator="Chloé Lefèvre-Hervé", site_commune="Saint-Père-en-Retz")
    rendered = render_sms(confirmation_text(facts, MONDAY))
    assert sms_segments(rendered).encoding == "GSM-7"
