"""Step-by-step rendering of the real journeys: order, bounds, papers, amounts, resume."""

from __future__ import annotations

from datetime import date

import pytest

from seniorplus.journeys import Journey
from seniorplus.journeys import walkthrough as walk
from seniorplus.journeys.today import journeys_on

DAY = date(2026, 12, 5)  # a frozen day: the journeys as said then
JOURNEYS = journeys_on(DAY)
APA = JOURNEYS["apa_domicile"]


def titles(replies: list[walk.Reply]) -> list[str]:
    return [b["title"] for r in replies for b in r.buttons]


def test_every_contract_topic_leads_to_a_journey() -> None:
    for intent in ("ask_apa", "ask_retirement_fund_help", "ask_nursing_home",
                   "ask_home_adaptation", "ask_caregiver_support", "ask_legal_protection",
                   "ask_mobility_card", "ask_home_services"):  # fmt: skip
        assert walk.journeys_for_intent(JOURNEYS, intent), intent


def test_overview_explains_acronyms_and_offers_the_ways_in() -> None:
    others = walk.journeys_for_intent(JOURNEYS, "ask_apa")[1:]
    replies = walk.overview(APA, others)
    assert "APA : l'allocation personnalisée d'autonomie" in replies[0].text
    assert titles(replies)[:3] == ["Voir les étapes", "Quels papiers ?", "Combien ?"]
    assert '/ask_apa{"journey": "apa_etablissement"}' in [
        b["payload"] for r in replies for b in r.buttons
    ]


@pytest.mark.parametrize("journey", JOURNEYS.values(), ids=list(JOURNEYS))
def test_steps_are_numbered_and_bounded(journey: Journey) -> None:
    total = len(journey.steps)
    first = walk.step(journey, 0)
    assert first[0].text.startswith(f"Étape 1 sur {total} : ")
    assert "Étape précédente" not in titles(first)
    last = walk.step(journey, total - 1)
    assert last[0].text.startswith(f"Étape {total} sur {total} : ")
    assert "Étape suivante" not in titles(last) and "Rencontrer un conseiller" in titles(last)


@pytest.mark.parametrize("journey", JOURNEYS.values(), ids=list(JOURNEYS))
def test_papers_and_amounts_fit_in_messages(journey: Journey) -> None:
    for reply in walk.documents(journey, -1) + walk.amounts(journey):
        assert len(reply.text) <= walk.MAX_CHARS or "\n" not in reply.text
    assert all(d.label in "".join(r.text for r in walk.documents(journey, -1))
               for d in journey.documents)  # fmt: skip


def test_step_papers_are_those_of_the_step() -> None:
    index = next(i for i, s in enumerate(APA.steps) if s.documents)
    text = " ".join(r.text for r in walk.documents(APA, index))
    assert text.startswith(f"Pour l'étape {index + 1}, il faut")
    for doc in APA.step_documents(APA.steps[index]):
        assert doc.label in text


def test_unsure_amounts_say_about_and_where_to_check() -> None:
    text = " ".join(r.text for r in walk.amounts(JOURNEYS["services_domicile"]))
    assert (
        "environ 10,15 euros par mois en 2024. À vérifier sur loire-atlantique.fr/teleassistance."
        in text
    )
    assert "€" not in text


def test_eligibility_states_the_conditions_without_asking() -> None:
    replies = walk.eligibility(APA)
    assert replies[0].text.startswith("Les conditions à remplir :\n- Avoir 60 ans ou plus.")
    assert "?" not in replies[0].text.splitlines()[0]  # step 1 follows: nothing to answer
    assert all(len(r.text) <= walk.MAX_CHARS for r in replies)


def test_a_step_tells_its_pitfalls_and_its_contact() -> None:
    index = next(i for i, s in enumerate(APA.steps) if s.id == "envoi")
    text = " ".join(r.text for r in walk.step(APA, index))
    assert "Attention : en cas de crise, chute ou aidant hospitalisé" in text
    assert "Contact : Département de Loire-Atlantique, loire-atlantique.fr/apa." in text
    other = " ".join(r.text for r in walk.step(APA, 0))
    assert "en cas de crise" not in other


def test_pitfalls_tied_to_no_step_come_after_the_last_one() -> None:
    text = " ".join(r.text for r in walk.after_last_step(APA, None, "Près de chez vous : ici."))
    assert "À retenir : Gardez les factures et les CESU" in text
    assert "Près de chez vous : ici." in text


def test_resume_offer_names_the_step() -> None:
    reply = walk.resume_offer(APA, 2)[0]
    assert f"à l'étape 3 sur {len(APA.steps)}" in reply.text
    assert [b["payload"] for b in reply.buttons] == ["/next_step", "/help"]


def test_clamp_keeps_a_stored_index_inside_the_journey() -> None:
    assert walk.clamp(APA, 99) == len(APA.steps) - 1
    assert walk.clamp(APA, -5) == walk.NOT_STARTED


def test_a_caregiver_is_answered_about_their_relative_and_offered_their_rights() -> None:
    replies = walk.overview(APA, [], relative="votre mère")
    assert replies[0].text.startswith("Pour votre mère : L'APA")
    assert "Vos droits d'aidant" in titles(replies)
    assert "Vos droits d'aidant" not in titles(walk.overview(APA, []))
    caregiver = JOURNEYS[walk.CAREGIVER_JOURNEY]
    assert "Vos droits d'aidant" not in titles(walk.overview(caregiver, [], relative="votre mère"))
