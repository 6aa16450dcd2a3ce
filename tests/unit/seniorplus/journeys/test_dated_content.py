"""Dated figures, contacts and texts: the value of the day, its year, and what is said."""

from __future__ import annotations

import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from seniorplus.clock import conversation_day, frozen_day
from seniorplus.dialogue import apa_estimate, ehpad_estimate
from seniorplus.errors import ConfigurationError
from seniorplus.estimates import PARAMETERS_BY_YEAR, scale_on
from seniorplus.journeys import load_all
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.contacts import load_contacts
from seniorplus.journeys.figures import FigureError, format_number, load_figures
from seniorplus.journeys.today import check_references, journeys_on

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import content_report

BOOK = load_figures()
CONTACTS = load_contacts()
LAST_2026, FIRST_2027 = date(2026, 12, 31), date(2027, 1, 1)


def test_every_named_figure_and_contact_exists() -> None:
    check_references(load_all(), BOOK, CONTACTS)


def test_a_figure_switches_on_its_revaluation_day() -> None:
    before, after = BOOK.on("apa_plafond_gir1", LAST_2026), BOOK.on("apa_plafond_gir1", FIRST_2027)
    assert (before.value, before.year, before.current) == (Decimal("2080.33"), 2026, True)
    assert before.line == "- Plan d'aide maximal en GIR 1 : 2 080,33 euros par mois (2026)."
    assert (after.value, after.year, after.current) == (Decimal("2080.33"), 2026, False)
    assert after.line.endswith(
        "2 080,33 euros par mois en 2026. Montant 2026, revalorisé chaque année au 1er janvier"
        " : à vérifier sur loire-atlantique.fr/apa."
    )
    assert BOOK.on("apa_plafond_gir1", date(2025, 6, 1)).value == Decimal("2045.56")


def test_the_apa_ceilings_are_the_legal_coefficients_times_the_mtp() -> None:
    for year, parameters in PARAMETERS_BY_YEAR.items():
        day = date(year, 6, 1)
        for gir in (1, 2, 3, 4):
            assert BOOK.on(f"apa_plafond_gir{gir}", day).value == parameters.ceiling(gir)
        assert BOOK.on("apa_seuil_sans_participation", day).value == parameters.home_zero_threshold


def test_overdue_lists_figures_past_revaluation_unless_acknowledged() -> None:
    assert BOOK.overdue(LAST_2026) == []
    late = {reading.figure.key for reading in BOOK.overdue(FIRST_2027)}
    assert "apa_plafond_gir1" in late and "apa_mtp" in late
    assert "mpa_plafond_modestes_1" not in late  # acknowledged until 31 January 2027
    assert "mpa_plafond_modestes_1" in {r.figure.key for r in BOOK.overdue(date(2027, 2, 1))}


def test_numbers_are_written_the_french_way_with_plain_spaces() -> None:
    assert format_number(Decimal("2080.33")) == "2 080,33"
    assert format_number(Decimal("22000")) == "22 000"
    assert format_number(Decimal("0.9")) == "0,90"


def test_a_broken_figures_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "figures.yml"
    path.write_text(
        "figures:\n  - key: x\n    label: X\n    unit: euros\n    revalued: parfois\n"
        "    check_at: ici\n    periods: []\n",
        encoding="utf-8",
    )
    with pytest.raises(FigureError, match=r"figures\[0\]\.revalued: 'parfois'"):
        load_figures(path)


def test_the_frozen_clock_is_read_from_a_value_or_a_file(tmp_path: Path) -> None:
    assert frozen_day({"APP_ENV": "test", "SENIORPLUS_FROZEN_NOW": "2027-01-01"}) == FIRST_2027
    assert (
        frozen_day({"APP_ENV": "test", "SENIORPLUS_FROZEN_NOW": "2026-12-31T23:30:00+00:00"})
        == FIRST_2027
    )
    clock = tmp_path / "clock"
    clock.write_text("2026-12-31\n", encoding="utf-8")
    assert frozen_day({"APP_ENV": "test", "SENIORPLUS_FROZEN_NOW": str(clock)}) == LAST_2026
    assert frozen_day({}) is None
    assert conversation_day() == date(2026, 12, 5)  # frozen by tests/unit/conftest.py


def test_the_frozen_clock_is_refused_in_production() -> None:
    with pytest.raises(ConfigurationError, match="production"):
        frozen_day({"SENIORPLUS_FROZEN_NOW": "2027-01-01", "APP_ENV": "production"})
    with pytest.raises(ConfigurationError, match="production"):
        frozen_day({"SENIORPLUS_FROZEN_NOW": "2027-01-01"})  # APP_ENV unset: production
    with pytest.raises(ConfigurationError, match="neither an ISO date"):
        frozen_day({"APP_ENV": "test", "SENIORPLUS_FROZEN_NOW": "demain"})


def test_cmi_texts_switch_on_the_first_of_january_2027() -> None:
    before = " ".join(r.text for r in walk.step(journeys_on(LAST_2026)["carte_mobilite"], 0))
    after = " ".join(r.text for r in walk.step(journeys_on(FIRST_2027)["carte_mobilite"], 0))
    assert "au plus tard le 31 décembre 2026" in before and "jusqu'à 4 mois" in before
    assert "Depuis le 1er janvier 2027, les anciennes cartes papier ne sont plus" in after
    assert "au plus tard le 31 décembre 2026" not in after


def test_amounts_inside_steps_carry_their_year_when_unsure_or_stale() -> None:
    aidant = journeys_on(LAST_2026)["droits_aidant"]
    repit = next(s for s in aidant.steps if s.id == "repit").text
    assert "jusqu'à 583,52 euros par an." in repit
    stale = next(s for s in journeys_on(FIRST_2027)["droits_aidant"].steps if s.id == "repit")
    assert (
        "583,52 euros par an (montant 2026, à vérifier sur loire-atlantique.fr/apa)" in stale.text
    )


UNSAID = [c for c in CONTACTS.contacts.values() if not c.sayable]
PHONE = re.compile(r"\b0 ?\d(?:[ .]?\d\d){4}\b")


@pytest.mark.parametrize("day", [LAST_2026, FIRST_2027])
def test_no_unconfirmed_contact_is_ever_said(day: date) -> None:
    said = []
    for journey in journeys_on(day).values():
        for index in range(len(journey.steps)):
            said += [r.text for r in walk.step(journey, index, "votre mère")]
        said += [r.text for r in walk.after_last_step(journey, None, CONTACTS.near_line("Ancenis"))]
        said += [r.text for r in walk.amounts(journey)]
        said += list(journey.contact_lines)
    text = " ".join(said)
    assert UNSAID, "the unconfirmed numbers stay on record"
    for contact in UNSAID:
        for number in PHONE.findall(contact.how):
            assert number not in text, contact.id
    assert "02 40 96 12 51" not in text and "02 49 77 41 40" not in text


def test_unconfirmed_contacts_give_their_confirmed_entry_point() -> None:
    assert CONTACTS.said("clic_ancenis").id == "portail_personnes_agees"
    assert CONTACTS.said("delegation_saint_nazaire").id == "departement_apa"
    assert CONTACTS.line("mdph_telephone").startswith(
        "Contact : MDPH de Loire-Atlantique, à Saint-Herblain"
    )


def test_the_nearest_place_comes_from_the_file_or_the_national_list() -> None:
    assert "Guérande" in CONTACTS.near_line("Guérande")
    assert "France services de Rezé" in CONTACTS.near_line("44400")
    assert "cohesion-territoires.gouv.fr/france-services" in CONTACTS.near_line("Ancenis")
    assert "cohesion-territoires.gouv.fr/france-services" in CONTACTS.near_line(None)


def test_the_apa_estimate_says_when_its_scale_is_last_years() -> None:
    assert scale_on(LAST_2026).current and scale_on(LAST_2026).parameters.year == 2026
    assert not scale_on(FIRST_2027).current and apa_estimate.estimate_year(FIRST_2027) == 2026
    replies = apa_estimate.result("3-4", Decimal(1200), 2026, FIRST_2027)
    assert replies[0].text.startswith("Attention : le barème 2027 de l'allocation personnalisée")
    assert "pour 2026" in replies[1].text
    assert not apa_estimate.result("3-4", Decimal(1200), 2026, LAST_2026)[0].text.startswith(
        "Attention"
    )


def test_the_ehpad_estimate_gives_the_gap_the_ash_and_the_family_rules() -> None:
    text = " ".join(r.text for r in ehpad_estimate.result(Decimal(1400), LAST_2026))
    # 63,50 and 95,60 euros a day over 365/12 days: 1 931 and 2 908 euros a month.
    assert "environ 1 931 euros par mois dans un EHPAD habilité" in text
    assert "environ 2 908 euros dans les autres" in text
    assert "il manquerait environ 531 à 1 508 euros par mois" in text
    assert "verse alors environ 1 260 euros par mois et garde environ 140 euros" in text
    assert "au moins environ 125,23 euros par mois (montant 2026" in text  # secondary figure
    assert "obligation alimentaire" in text and "reprise sur l'héritage" in text
    assert all(len(r.text) <= walk.MAX_CHARS for r in ehpad_estimate.result(None, LAST_2026))
    poor = " ".join(r.text for r in ehpad_estimate.result(Decimal(800), LAST_2026))
    assert "garde environ 125 euros" in poor  # 10 % would be 80 euros: the floor applies


def test_the_content_report_lists_figures_and_contacts() -> None:
    text = content_report.report(FIRST_2027)
    assert "apa_plafond_gir1 — Plan d'aide maximal en GIR 1" in text
    assert "EN RETARD" in text and "manque connu jusqu'au 2027-01-31" in text
    assert "clic_ancenis — CLIC du Pays d'Ancenis" in text and "JAMAIS dit" in text
    assert content_report.main(["--day", "2026-12-05"]) == 0
    assert content_report.main(["--day", "2027-01-02"]) == 1


def test_the_action_server_refuses_a_frozen_clock_in_production() -> None:
    import os
    import subprocess

    env = {**os.environ, "APP_ENV": "production", "SENIORPLUS_FROZEN_NOW": "2027-01-01"}
    done = subprocess.run(
        [sys.executable, "-c", "import actions"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "unset it in production" in done.stderr
