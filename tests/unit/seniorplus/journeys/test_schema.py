"""Journey files (data/journeys/*.yml) and their strict schema (docs/journeys.md)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from seniorplus.errors import SeniorPlusError
from seniorplus.journeys import (
    CONTRACT_INTENTS,
    DEFAULT_DIRECTORY,
    Journey,
    JourneyError,
    load_all,
    load_journey,
)

JOURNEY_FILES = sorted(DEFAULT_DIRECTORY.glob("*.yml"))
INTENTS_SPEC = Path(__file__).resolve().parents[5] / "shared" / "spec" / "intents.md"
# A copy of the contract kept in the repository, so that a clone alone checks it too.
INTENTS_COPY = Path(__file__).resolve().parents[3] / "contract" / "intents.md"

VALID: dict[str, Any] = {
    "id": "sample",
    "title": "Un parcours d'essai",
    "intent": "ask_apa",
    "last_checked": date(2026, 11, 22),
    "overview": "L'APA aide à payer l'aide à domicile. Elle vient du Département.",
    "acronyms": {
        "APA": "l'allocation personnalisée d'autonomie",
        "GIR": "le niveau de besoin d'aide",
    },
    "eligibility": ["Avoir 60 ans ou plus."],
    "questions": [{"id": "age", "text": "Quel âge a la personne ?", "why": "Pour savoir."}],
    "steps": [
        {
            "id": "demande",
            "title": "Faire la demande",
            "text": "Remplissez le formulaire. Envoyez-le au Département.",
            "where": "Département de Loire-Atlantique",
            "documents": ["identite"],
        },
        {"id": "visite", "title": "La visite", "text": "Une personne vient chez vous."},
        {
            "id": "decision",
            "title": "La décision",
            "text": "Le Département répond sous 2 mois.",
            "deadline": "2 mois",
        },
    ],
    "documents": [{"id": "identite", "label": "Une pièce d'identité", "when": "Toujours"}],
    "amounts": ["apa_plafond_gir1"],  # keys of data/figures.yml
    "contacts": ["departement_apa"],  # ids of data/contacts.yml
    "pitfalls": ["Un papier manquant retarde tout.", {"step": "visite", "text": "Soyez là."}],
    "sources": ["https://www.loire-atlantique.fr/apa"],
}


def write_journey(directory: Path, data: dict[str, Any], stem: str = "sample") -> Path:
    path = directory / f"{stem}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def variant(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    change(data)
    return data


def test_the_journey_directory_is_not_empty() -> None:
    assert JOURNEY_FILES, f"no journey file in {DEFAULT_DIRECTORY}"


@pytest.mark.parametrize("path", JOURNEY_FILES, ids=lambda path: path.stem)
def test_every_journey_file_loads(path: Path) -> None:
    journey = load_journey(path)

    assert journey.id == path.stem
    assert journey.intent in CONTRACT_INTENTS
    for step in journey.steps:
        assert len(journey.step_documents(step)) == len(step.documents)


def test_load_all_reads_the_default_directory() -> None:
    journeys = load_all()

    assert set(journeys) == {path.stem for path in JOURNEY_FILES}
    assert {"apa_domicile", "apa_etablissement", "caisse_retraite", "ehpad"} <= set(journeys)
    assert all(isinstance(journey, Journey) for journey in journeys.values())


def test_apa_domicile_content() -> None:
    journey = load_journey(DEFAULT_DIRECTORY / "apa_domicile.yml")

    assert journey.intent == "ask_apa"
    assert journey.amounts[:2] == ("apa_plafond_gir1", "apa_plafond_gir2")
    assert "apa_seuil_sans_participation" in journey.amounts
    assert "APA" in journey.acronyms


def test_caisse_retraite_warns_to_ask_ardh_before_discharge() -> None:
    journey = load_journey(DEFAULT_DIRECTORY / "caisse_retraite.yml")

    assert journey.intent == "ask_retirement_fund_help"
    assert journey.steps[0].deadline == "Avant la sortie de l'hôpital"
    hospital = journey.step_pitfalls(journey.steps[0])
    assert any("avant la sortie" in pitfall for pitfall in hospital)
    assert "ardh_plafond" in journey.amounts


def test_contract_intents_has_the_31_names() -> None:
    assert len(CONTRACT_INTENTS) == 31
    assert {"ask_apa", "ask_retirement_fund_help", "ask_nursing_home"} <= CONTRACT_INTENTS


def contract_names(spec: Path) -> set[str]:
    table = re.findall(r"^\| ([a-z_]+) \|", spec.read_text(encoding="utf-8"), re.M)
    return set(table) - {"intent"}


def test_contract_intents_match_the_spec() -> None:
    """The code's names against the repository's copy, and the shared spec when mounted."""
    specs = [INTENTS_COPY, *([INTENTS_SPEC] if INTENTS_SPEC.exists() else [])]
    for spec in specs:
        assert contract_names(spec) == CONTRACT_INTENTS, spec


def test_the_valid_sample_loads(tmp_path: Path) -> None:
    journey = load_journey(write_journey(tmp_path, VALID))

    assert journey.last_checked == date(2026, 11, 22)
    assert journey.step_documents(journey.steps[0])[0].label == "Une pièce d'identité"
    assert journey.steps[1].where is None
    assert journey.amounts == ("apa_plafond_gir1",)
    assert journey.step_pitfalls(journey.steps[1]) == ("Soyez là.",)
    assert journey.closing_pitfalls == ("Un papier manquant retarde tout.",)
    assert load_all(tmp_path) == {"sample": journey}


def _drop_overview(data: dict[str, Any]) -> None:
    del data["overview"]


def _unknown_intent(data: dict[str, Any]) -> None:
    data["intent"] = "ask_pizza"


def _unknown_document(data: dict[str, Any]) -> None:
    data["steps"][0]["documents"] = ["passeport"]


def _duplicate_step_id(data: dict[str, Any]) -> None:
    data["steps"][1]["id"] = "demande"


def _two_steps(data: dict[str, Any]) -> None:
    data["steps"] = data["steps"][:2]


def _euro_sign(data: dict[str, Any]) -> None:
    data["steps"][0]["text"] = "Cela coûte 10 €."


def _long_title(data: dict[str, Any]) -> None:
    data["title"] = "Un titre beaucoup trop long pour tenir dans un menu"


def _wrong_id(data: dict[str, Any]) -> None:
    data["id"] = "autre"


def _bad_date(data: dict[str, Any]) -> None:
    data["last_checked"] = "bientôt"


def _amount_as_a_record(data: dict[str, Any]) -> None:
    data["amounts"] = [{"id": "plafond", "value": "2 080,33 euros"}]


def _pitfall_of_an_unknown_step(data: dict[str, Any]) -> None:
    data["pitfalls"] = [{"step": "envoi", "text": "Gardez une copie."}]


def _change_of_an_unknown_step(data: dict[str, Any]) -> None:
    data["changes"] = [{"from": date(2027, 1, 1), "steps": {"envoi": {"text": "Autre."}}}]


def _change_without_a_day(data: dict[str, Any]) -> None:
    data["changes"] = [{"overview": "Autre chose."}]


def _typographic_apostrophe(data: dict[str, Any]) -> None:
    data["pitfalls"] = ["Un papier manquant retarde tout. C’est long."]


def _guillemets(data: dict[str, Any]) -> None:
    data["overview"] = "L'APA est une « aide » du Département."


def _ellipsis(data: dict[str, Any]) -> None:
    data["eligibility"] = ["Avoir 60 ans…"]


def _long_overview(data: dict[str, Any]) -> None:
    data["overview"] = "Une phrase courte. " * 20


def _long_sentences(data: dict[str, Any]) -> None:
    data["steps"][2]["text"] = (
        "Le Département vous répond dans les deux mois qui suivent la date à laquelle "
        "votre dossier complet est arrivé dans ses services."
    )


def _unexplained_acronym(data: dict[str, Any]) -> None:
    data["steps"][1]["text"] = "Une personne du CCAS vient chez vous."


def _unknown_field(data: dict[str, Any]) -> None:
    data["ammounts"] = []


def _duplicate_document_id(data: dict[str, Any]) -> None:
    data["documents"].append({"id": "identite", "label": "Un passeport"})


def _nine_steps(data: dict[str, Any]) -> None:
    data["steps"] = [
        {"id": f"etape_{n}", "title": "Une étape", "text": "Faites ceci."} for n in range(9)
    ]


def _relative_text_without_placeholder(data: dict[str, Any]) -> None:
    data["steps"][1]["for_relative"] = "Une personne vient chez elle."


def _relative_text_other_placeholder(data: dict[str, Any]) -> None:
    data["steps"][1]["for_relative"] = "Une personne vient chez {proche}. Restez avec {elle}."


def _relative_text_too_long_once_filled(data: dict[str, Any]) -> None:
    data["steps"][1]["for_relative"] = "Parlez à {proche}. " * 12


def _relative_text_unexplained_acronym(data: dict[str, Any]) -> None:
    data["steps"][1]["for_relative"] = "Le CCAS vient chez {proche}."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_drop_overview, "overview: required field is missing"),
        (_unknown_intent, "intent: 'ask_pizza'"),
        (_unknown_document, "steps[0].documents[0]: unknown document 'passeport'"),
        (_duplicate_step_id, "steps[1].id: duplicate id 'demande'"),
        (_two_steps, "steps: 2 steps"),
        (_euro_sign, "steps[0].text: forbidden character '€'"),
        (_long_title, "title: 51 characters, at most 40"),
        (_amount_as_a_record, "amounts[0]: {"),
        (_pitfall_of_an_unknown_step, "pitfalls[0].step: unknown step 'envoi'"),
        (_change_of_an_unknown_step, "changes[0].steps.envoi: unknown step 'envoi'"),
        (_change_without_a_day, "changes[0].from: required field is missing"),
        (_wrong_id, "id: 'autre' must equal the file name 'sample'"),
        (_bad_date, "last_checked: 'bientôt' is not a date"),
        (_typographic_apostrophe, "pitfalls[0]: forbidden character '’'"),
        (_guillemets, "overview: forbidden character '«'"),
        (_ellipsis, "eligibility[0]: forbidden character '…'"),
        (_long_overview, "overview: 379 characters, at most 300"),
        (_long_sentences, "steps[2].text: sentences average"),
        (_unexplained_acronym, "steps[1].text: acronym 'CCAS'"),
        (_unknown_field, "ammounts: unknown field"),
        (_duplicate_document_id, "documents[1].id: duplicate id 'identite'"),
        (_nine_steps, "steps: 9 steps, 3 to 8 expected"),
        (_relative_text_without_placeholder, "steps[1].for_relative: must name the person"),
        (_relative_text_other_placeholder, "steps[1].for_relative: only the {proche}"),
        (_relative_text_too_long_once_filled, "steps[1].for_relative: 323 characters once"),
        (_relative_text_unexplained_acronym, "steps[1].for_relative: acronym 'CCAS'"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_invalid_journey_is_refused(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], field: str
) -> None:
    path = write_journey(tmp_path, variant(change))

    with pytest.raises(JourneyError) as caught:
        load_journey(path)

    assert str(caught.value).startswith(f"{path}: ")
    assert field in str(caught.value)
    assert isinstance(caught.value, SeniorPlusError)


def test_step_told_to_a_caregiver_names_the_person_helped(tmp_path: Path) -> None:
    data = variant(lambda d: d["steps"][1].update(for_relative="On vient chez {proche}."))
    step = load_journey(write_journey(tmp_path, data)).steps[1]

    assert step.text_for("votre mère") == "On vient chez votre mère."
    assert step.text_for(None) == step.text
    assert load_journey(write_journey(tmp_path, VALID)).steps[0].text_for("votre père") == (
        VALID["steps"][0]["text"].strip()
    )


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    path = write_journey(tmp_path, VALID)
    path.write_text(path.read_text(encoding="utf-8") + "title: Un autre titre\n", encoding="utf-8")

    with pytest.raises(JourneyError, match="duplicate key 'title'"):
        load_journey(path)


def test_invalid_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("id: broken\nsteps: [\n", encoding="utf-8")

    with pytest.raises(JourneyError, match=r"broken\.yml: invalid YAML"):
        load_journey(path)


def test_a_list_at_top_level_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liste.yml"
    path.write_text("- id: liste\n", encoding="utf-8")

    with pytest.raises(JourneyError, match="top level: must be a mapping, got list"):
        load_journey(path)


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(JourneyError, match="cannot read the file"):
        load_journey(tmp_path / "absent.yml")
    with pytest.raises(JourneyError, match="journey directory not found"):
        load_all(tmp_path / "absent")


def test_load_all_stops_on_the_first_invalid_file(tmp_path: Path) -> None:
    write_journey(tmp_path, VALID)
    broken = variant(_two_steps)
    broken["id"] = "sample_bis"
    write_journey(tmp_path, broken, stem="sample_bis")

    with pytest.raises(JourneyError, match=r"sample_bis\.yml: steps: 2 steps"):
        load_all(tmp_path)
