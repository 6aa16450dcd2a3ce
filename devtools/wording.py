"""Every sentence the assistant can send to a person, with its home (docs/wording.md).

The SMS report (``scripts/sms_report.py``) and the plain-language test
(``tests/unit/seniorplus/test_plain_language.py``) read ``collect()``: the responses of the
domain, the journeys and the question bank as the actions say them, and each Python home of wording
(`HOMES`), its templates filled with realistic values (the longest relative, incomes, both
sides of the new year…). A home whose sentences are raised as refusals (``CaseError``,
``BookingError``) is also read as written: any of its French literals that no sample shows
is measured on its own, its ``{…}`` values as a ten-letter word.

``tests/unit/devtools/test_wording.py`` holds the collection to the code: a French literal outside a
home fails, and so does a literal of a home that no sample shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from devtools import wording_samples as samples
from devtools.wording_samples import Sample
from devtools.wording_scan import HOLE, SEPARATOR, Literal, french_literals

ROOT = Path(__file__).resolve().parents[1]
_PART = re.compile(r" \(\d+/\d+\)$")  # "… (2/3)": the second part of one answer
FILLER = "xxxxxxxxxx"  # a value of a refusal read as written


@dataclass(frozen=True)
class Home:
    """Where sentences live, what they are, the files that hold them and how to say them."""

    name: str
    what: str  # in French, for docs/wording.md
    files: tuple[str, ...]
    samples: Callable[[], Iterable[Sample]]
    as_written: bool = False  # its French literals that no sample shows are measured alone


HOMES: tuple[Home, ...] = (
    Home("bot/domain/*.yml", "réponses du domaine de Rasa (chaque variante, ses boutons)", (),
         samples.domain),
    Home("data/journeys/*.yml", "démarches pas à pas, dites par seniorplus/journeys/",
         ("seniorplus/journeys/walkthrough.py", "seniorplus/journeys/contacts.py",
          "seniorplus/journeys/figures.py", "seniorplus/journeys/schema.py"),
         samples.journeys),
    Home("data/questions/", "banque de questions, avec la source",
         ("seniorplus/questions/answers.py",), samples.bank),
    Home("seniorplus/dialogue/", "mots du dialogue : qui, tri, estimations, dossiers, "
         "rendez-vous, données, menu", (
             "seniorplus/dialogue/speaker.py", "seniorplus/dialogue/triage.py",
             "seniorplus/dialogue/triage_questions.py", "seniorplus/dialogue/apa_estimate.py",
             "seniorplus/dialogue/ehpad_estimate.py", "seniorplus/dialogue/facts.py",
             "seniorplus/dialogue/labels.py", "seniorplus/dialogue/case_replies.py",
             "seniorplus/dialogue/appointment_replies.py", "seniorplus/dialogue/data_request.py",
             "seniorplus/dialogue/pending.py",
             "seniorplus/estimates/apa.py", "seniorplus/estimates/ehpad.py"),
         samples.dialogue),
    Home("seniorplus/handoff/messages.py", "reprise par une personne, retour de l'assistant",
         ("seniorplus/handoff/messages.py", "seniorplus/handoff/rasa_api.py", "policies/hours.py"),
         samples.handoff),
    Home("seniorplus/scheduler/messages.py", "confirmations, rappels, avis d'annulation (SMS)",
         ("seniorplus/scheduler/messages.py",), samples.notices),
    Home("seniorplus/booking/", "créneaux proposés, dates refusées, rendez-vous refusés",
         ("seniorplus/booking/dates.py", "seniorplus/booking/rules.py",
          "seniorplus/booking/service.py"), samples.booking_samples,
         as_written=True),
    Home("seniorplus/cases/", "dossiers refusés (CaseError)",
         ("seniorplus/cases/audit.py", "seniorplus/cases/cases.py",
          "seniorplus/cases/contacts.py", "seniorplus/cases/documents.py"), samples.nothing,
         as_written=True),
    Home("seniorplus/data_rights/summary.py", "« ce que je sais sur vous »",
         ("seniorplus/data_rights/summary.py",), samples.data_summary),
    Home("safety/lines.py", "numéros d'urgence, question du danger, filet des canaux",
         ("safety/lines.py",), samples.safety),
    Home("channels/wording.py", "phrases des canaux : STOP, Telegram, téléphone, débit",
         ("channels/wording.py",), samples.channels),
    Home("rendering/voice_pages.py", "pages du menu au téléphone",
         ("rendering/voice_pages.py", "rendering/voice.py"), samples.voice_pages),
)  # fmt: skip


# Where a French literal would be a sentence for a person, and so must live in a home.
SCANNED = ("actions", "channels", "policies", "rendering", "safety", "seniorplus")
# Read by the team, not by the people the assistant serves (out of scope: the console's own
# wording, the API's, the team's audit log).
FOR_THE_TEAM = ("seniorplus/console/", "seniorplus/web/", "seniorplus/staff/", "seniorplus/events/")
# French literals that are not sentences sent to a person: "path" (the whole file) or
# "path::name" (the assignment, function or class around the literal), and why.
NOT_SENT: dict[str, str] = {
    "actions/server.py": "HTTP errors of the action server, read by Rasa and developers",
    "actions/estimates.py::income_said_yearly": "words a person writes",
    "channels/rest.py": "HTTP errors of the REST channel (tests, simulator)",
    "channels/text_input.py": "HTTP errors (400) for the REST channel's clients",
    "channels/twilio_webhook.py": "HTTP errors for Twilio",
    "channels/telegram.py::payload": "HTTP errors for Telegram",
    "channels/telegram.py::parse_update": "HTTP errors for Telegram",
    "channels/telegram.py::receive": "HTTP errors for Telegram",
    "channels/safety_net.py::INCIDENT_NOTE": "a note for the team (console)",
    "channels/safety_net.py::URGENT_NOTE": "a note for the team (console)",
    "channels/safety_net.py::WHY": "a note for the team (console)",
    "policies/buttons.py": "words a person writes",
    "policies/questions.py": "words a person writes",
    "policies/phones.py": "phone number errors of the API and the console",
    "policies/hours.py::_span": "errors of TEAM_OPENING_HOURS (setting)",
    "policies/hours.py::parse": "errors of TEAM_OPENING_HOURS (setting)",
    "policies/hours.py::next_opening": "errors of TEAM_OPENING_HOURS (setting)",
    "rendering/gsm.py::GSM7_BASIC": "the GSM-7 alphabet",
    "rendering/sms.py::GSM7_TRANSLITERATION": "a symbol in words, inside measured texts",
    "rendering/voice.py::_SYMBOL_WORDS": "a symbol in words, inside measured texts",
    "rendering/numbers_fr.py": "numbers in words, inside measured texts",
    "rendering/spoken_numbers.py": "numbers in words, inside measured texts",
    "rendering/lexicon.py": "written instructions said on the phone, inside measured texts",
    "rendering/sites.py": "a site named instead of its link on the phone, inside measured texts",
    "safety/text.py": "words a person writes",
    "seniorplus/booking/holidays.py": "holiday names, inside the date refusals (booking)",
    "seniorplus/booking/dates.py::_MINUTE_WORDS": "words a person writes",
    "seniorplus/cases/matching.py": "words a person writes",
    "seniorplus/cases/documents.py::DOCUMENT_STATUS_LABELS": "paper statuses, console and API",
    "seniorplus/data_rights/erasure.py": "the erasure's reason in the case history (team)",
    "seniorplus/data_rights/jobs.py": "job outcomes (console)",
    "seniorplus/dialogue/speaker.py::SELF_WORDS": "words a person writes",
    "seniorplus/dialogue/speaker.py::SOMEONE_ELSE_WORDS": "words a person writes",
    "seniorplus/dialogue/triage_questions.py::_DONT_KNOW": "words a person writes",
    "seniorplus/dialogue/triage_questions.py::_HOME_WORDS": "words a person writes",
    "seniorplus/dialogue/triage_questions.py::_NEED_WORDS": "words a person writes",
    "seniorplus/estimates/apa.py::parameters_for": "ValueError of the calculation (API)",
    "seniorplus/estimates/apa.py::_check_gir": "ValueError of the calculation (API)",
    "seniorplus/estimates/apa.py::_check_amount": "ValueError of the calculation (API)",
    "seniorplus/estimates/apa.py::_band": "ValueError of the calculation (API)",
    "seniorplus/estimates/apa.py::establishment_participation": "ValueError (API)",
    "seniorplus/estimates/apa.py::base": "a label of the establishment estimate (API)",
    "seniorplus/estimates/ehpad.py::estimate_ehpad": "ValueError of the calculation",
    "seniorplus/handoff/operations.py": "what the console tells the adviser",
    "seniorplus/handoff/service.py": "what the console tells the adviser",
    "seniorplus/handoff/summary.py": "the summary for the adviser",
    "seniorplus/outbound/base.py": "delivery outcomes shown in the console",
    "seniorplus/places.py": "commune names a person writes",
    "seniorplus/questions/bank.py": "errors of the question bank file (developers)",
    "seniorplus/questions/retrieval.py::PHRASES": "words a person writes",
    "seniorplus/scheduler/__main__.py": "command line help",
    "seniorplus/scheduler/claim.py": "job outcomes (console)",
    "seniorplus/scheduler/deferred_replies.py": "job outcomes (console)",
    "seniorplus/scheduler/outcome.py": "job outcomes (console)",
    "seniorplus/scheduler/outgoing.py": "job outcomes (console)",
    "seniorplus/scheduler/runner.py": "job outcomes (console)",
    "seniorplus/settings/errors.py": "setting errors (the team, at start)",
    "seniorplus/settings/sections.py": "setting errors (the team, at start)",
    "seniorplus/settings/values.py": "setting errors (the team, at start)",
}


def not_sent(literal: Literal) -> bool:
    return literal.path in NOT_SENT or f"{literal.path}::{literal.owner}" in NOT_SENT


def scanned_files() -> list[str]:
    """The Python files where a French literal must be a home's, or not sent."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for top in SCANNED
        for path in (ROOT / top).rglob("*.py")
        if not path.relative_to(ROOT).as_posix().startswith(FOR_THE_TEAM)
    )


def home_files() -> dict[str, Home]:
    return {path: home for home in HOMES for path in home.files}


def _texts(sample: Sample) -> Iterator[str]:
    if sample.text:
        yield sample.text
    yield from (b.get("title", "") for b in sample.buttons)


def as_written(home: Home, shown: Sequence[Sample]) -> list[Sample]:
    """The French literals of ``home`` that no sample shows, each measured on its own.

    Only sentences (a capital first): a lower-case piece is a part of a sentence said
    elsewhere ("en attente d'une réponse" in "Dossier SP-…, APA : en attente…").
    """
    texts = SEPARATOR.join(t for s in shown for t in _texts(s))
    found = []
    for path in home.files:
        for literal in french_literals(ROOT / path, ROOT):
            if not_sent(literal) or not literal.text[:1].isupper():
                continue
            if not literal.found_in(texts):
                text = literal.text.replace(HOLE, FILLER)
                found.append(Sample(f"{path}:{literal.line} (tel quel)", text, home=home.name))
    return found


@cache
def _collected() -> tuple[Sample, ...]:
    found: list[Sample] = []
    for home in HOMES:
        shown = [replace(s, home=home.name) for s in home.samples()]
        found += shown
        if home.as_written:
            found += as_written(home, shown)
    return tuple(found)


def collect() -> list[Sample]:
    """Every message the assistant can send, each with its home (samples for templates)."""
    return list(_collected())


def unshown(home: Home, collected: Sequence[Sample]) -> list[Literal]:
    """French literals of ``home`` that no collected text holds (must be empty)."""
    texts = SEPARATOR.join(t for s in collected for t in _texts(s))
    return [
        literal
        for path in home.files
        for literal in french_literals(ROOT / path, ROOT)
        if not not_sent(literal) and not literal.found_in(texts)
    ]


def conversations(collected: Sequence[Sample]) -> list[list[tuple[str, str]]]:
    """The texts in the order a person reads them (plain-language test): the parts of one
    answer ("… (1/3)", "… (2/3)") as one message, the messages of one conversation together,
    every other message on its own; quoted texts left out."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    alone = 0
    for sample in collected:
        if not sample.text or sample.quoted:
            continue
        source, part = _PART.sub("", sample.source), _PART.search(sample.source)
        follows = part is not None and not part.group(0).startswith(" (1/")
        if sample.conversation is None and not follows:
            alone += 1
        messages = grouped.setdefault(sample.conversation or f"{alone}", [])
        if follows and messages and messages[-1][0] == source:
            messages[-1] = (source, f"{messages[-1][1]}\n{sample.text}")
        else:
            messages.append((source, sample.text))
    return list(grouped.values())
