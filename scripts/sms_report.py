"""SMS segments of every message the bot can send, as the SMS channel renders it.

Collects the responses of bot/domain/*.yml (each variation, with its buttons)
and the messages the actions build from the journeys, the triage and the APA
estimate; renders each with `rendering.render_sms`; prints a table sorted by
segments and a summary. Exit code 1 when the budget is broken: median above
2 segments, or one message above 4. `make sms-report`; `--json PATH` writes
the figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from rendering import SmsInfo, is_gsm7, render_sms, sms_segments  # noqa: E402
from rendering.sms import numbered_choices  # noqa: E402
from safety import lines as safety_lines  # noqa: E402
from seniorplus.dialogue import (  # noqa: E402
    apa_estimate,
    ehpad_estimate,
    speaker,
    triage_questions,
)
from seniorplus.dialogue.labels import TOPIC_LABELS, clarification_buttons  # noqa: E402
from seniorplus.dialogue.triage import Home, Need  # noqa: E402
from seniorplus.estimates import PARAMETERS_BY_YEAR  # noqa: E402
from seniorplus.journeys import Journey  # noqa: E402
from seniorplus.journeys import walkthrough as walk  # noqa: E402
from seniorplus.journeys.today import journeys_on  # noqa: E402

DOMAIN_DIR = ROOT / "bot" / "domain"
MEDIAN_BUDGET = 2
MAX_SEGMENTS = 4
LONGEST_RELATIVE = "votre grand-mère"  # the longest way the texts name the senior
SPEAKERS = (
    speaker.Speaker(speaker.SELF),
    speaker.Speaker(speaker.RELATIVE),
    speaker.Speaker(speaker.RELATIVE, "grand-mère"),
)
# Before and after the new year: figures and dated texts switch on 1 January 2027.
SAMPLE_DAYS = (date(2026, 12, 5), date(2027, 1, 5))
SAMPLE_INCOMES = (None, Decimal(0), Decimal(800), Decimal(1200), Decimal("1955.60"),
                  Decimal(3000), Decimal(6000))  # fmt: skip
Buttons = tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Sample:
    """One message the bot can send, and where it comes from."""

    source: str
    text: str | None
    buttons: Buttons = ()


@dataclass(frozen=True)
class Measure:
    """The SMS sent, its figures, and the figures it would have without transliteration."""

    source: str
    sms: str
    info: SmsInfo
    untransliterated: SmsInfo


def _buttons(raw: object) -> Buttons:
    items = raw if isinstance(raw, list) else []
    return tuple(
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in items
        if isinstance(b, dict)
    )


def domain_samples(directory: Path = DOMAIN_DIR) -> Iterator[Sample]:
    """Every variation of every response of the domain files."""
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            for index, variation in enumerate(variations or []):
                if isinstance(variation, dict) and (
                    variation.get("text") or variation.get("buttons")
                ):
                    source = f"domain {path.name}: {name}[{index}]"
                    yield Sample(source, variation.get("text"), _buttons(variation.get("buttons")))


def _replies(source: str, replies: Sequence[walk.Reply]) -> Iterator[Sample]:
    for index, reply in enumerate(replies, 1):
        part = f" ({index}/{len(replies)})" if len(replies) > 1 else ""
        yield Sample(source + part, reply.text, tuple(dict(b) for b in reply.buttons))


def journey_samples(journeys: dict[str, Journey]) -> Iterator[Sample]:
    """Overview, every step, papers and amounts at every index (-1 too), edges, resume
    offers, definitions; said to the senior and to a caregiver."""
    longest_title = max((j.title for j in journeys.values()), key=len)
    for journey in journeys.values():
        others = [
            j for j in walk.journeys_for_intent(journeys, journey.intent) if j.id != journey.id
        ]
        name = f"journey {journey.id}"
        last = len(journey.steps) - 1
        for relative in (None, LONGEST_RELATIVE):
            who = " (relative)" if relative else ""
            for saved in (walk.NOT_STARTED, last):
                where = f" saved {saved + 1}" if saved >= 0 else ""
                replies = walk.overview(journey, others, relative=relative, saved_index=saved)
                yield from _replies(f"{name}: overview{who}{where}", replies)
                menu = replies[-1]
                way_back = {"title": f"Reprendre : {longest_title}", "payload": "/next_step"}
                yield from _replies(
                    f"{name}: overview menu + way back{who}{where}",
                    [walk.Reply(menu.text, (*menu.buttons[:-1], way_back, walk.MENU))],
                )
            for index in range(len(journey.steps)):
                yield from _replies(
                    f"{name}: step {index + 1}{who}", walk.step(journey, index, relative)
                )
            yield from _replies(f"{name}: eligibility{who}", walk.eligibility(journey, relative))
            near = "Près de chez vous : " + "x" * 150  # the longest place line (data/contacts.yml)
            yield from _replies(
                f"{name}: after last step{who}", walk.after_last_step(journey, relative, near)
            )
            yield from _replies(
                f"{name}: before first step{who}", walk.before_first_step(journey, relative)
            )
        for index in range(walk.NOT_STARTED, len(journey.steps)):
            yield from _replies(f"{name}: documents {index + 1}", walk.documents(journey, index))
            yield from _replies(f"{name}: amounts {index + 1}", walk.amounts(journey, index))
        for index in range(len(journey.steps)):
            yield from _replies(f"{name}: resume {index + 1}", walk.resume_offer(journey, index))
        for acronym, meaning in journey.acronyms.items():
            replies = walk.definition(journey, last, acronym, meaning)
            yield from _replies(f"{name}: definition {acronym}", replies)


def speaker_samples() -> Iterator[Sample]:
    """Who is it for: the question, each acknowledgement, the caregiver's rights offer."""
    yield from _replies("speaker: question", [speaker.question()])
    for who in SPEAKERS:
        label = f"{who.for_whom}/{who.relationship or '-'}"
        yield Sample(f"speaker: acknowledgement {label}", speaker.acknowledgement(who))
    yield Sample("speaker: caregiver rights offer", speaker.CAREGIVER_RIGHTS_OFFER)


def triage_samples(journeys: dict[str, Journey]) -> Iterator[Sample]:
    """Every question (self, relative), the "not understood" ones, plans for many answers."""
    for stage in triage_questions.STAGES:
        for for_self, relative in ((True, None), (False, None), (False, LONGEST_RELATIVE)):
            who = "self" if for_self else f"relative {relative or ''}".strip()
            yield from _replies(
                f"triage: question {stage} ({who})",
                triage_questions.question(stage, for_self, relative),
            )
    for stage in ("age", "postcode"):
        yield from _replies(
            f"triage: not understood {stage}", triage_questions.not_understood(stage)
        )
    skipped = triage_questions.SKIPPED
    for for_whom, age, home, need, postcode in itertools.product(
        ("self", "relative"),
        (82, 55, skipped),
        [h.value for h in Home],
        [n.value for n in Need],
        ("44000", "75001", skipped),
    ):
        answers = {"for_whom": for_whom, "age": age, "home": home, "need": need,
                   "postcode": postcode}  # fmt: skip
        label = f"{for_whom}/{age}/{home}/{need}/{postcode}"
        yield from _replies(f"triage: plan {label}", triage_questions.plan(answers, journeys))


def estimate_samples() -> Iterator[Sample]:
    """The APA estimate's questions and results for every band, sample incomes, every year."""
    for who in SPEAKERS:
        label = f"{who.for_whom}/{who.relationship or '-'}"
        yield from _replies(f"apa estimate: gir question {label}", apa_estimate.gir_question(who))
        yield from _replies(
            f"apa estimate: income question {label}", apa_estimate.income_question(who)
        )
        yield from _replies(
            f"apa estimate: household question {label}", apa_estimate.household_question(who)
        )
        yield from _replies(
            f"apa estimate: household not understood {label}",
            apa_estimate.household_not_understood(who),
        )
    yield from _replies("apa estimate: income not understood", apa_estimate.income_not_understood())
    for band, income, year in itertools.product(
        apa_estimate.BANDS, SAMPLE_INCOMES, sorted(PARAMETERS_BY_YEAR)
    ):
        source = f"apa estimate: result {band}/{income}/{year}"
        yield from _replies(source, apa_estimate.result(band, income, year))
        if income is not None:  # the longest said-back line: per year, as a couple
            said = apa_estimate.situation(income, True, apa_estimate.COUPLE, "votre grand-mère")
            couple = apa_estimate.result(band, income, year, couple=True, said=said)
            yield from _replies(f"{source} couple, per year", couple)
    late = SAMPLE_DAYS[-1]
    yield from _replies("apa estimate: older scale", apa_estimate.stale_notice(late.year - 1, late))
    for income, day in itertools.product(SAMPLE_INCOMES, SAMPLE_DAYS):
        yield from _replies(f"ehpad estimate: {income}/{day}", ehpad_estimate.result(income, day))


def action_samples() -> Iterator[Sample]:
    """Messages the actions compose themselves (actions/conversation.py, actions/journeys.py)."""
    longest = sorted(TOPIC_LABELS, key=lambda intent: len(TOPIC_LABELS[intent]), reverse=True)
    ranking: list[dict[str, object]] = [{"name": i, "confidence": 0.4} for i in longest[:2]]
    fallback = next(s for s in domain_samples() if "utter_fallback_rephrase" in s.source)
    yield Sample(
        "action_fallback: rephrase + likeliest topics",
        fallback.text,
        tuple(clarification_buttons(ranking)),
    )
    offer = {"title": "Faire une estimation", "payload": apa_estimate.START_PAYLOAD}
    yield Sample(
        "action_journey_cost: estimate offer",
        "Voulez-vous une estimation pour votre cas ?",
        (offer, dict(walk.MENU)),
    )


def bank_samples(journeys: dict[str, Journey]) -> Iterator[Sample]:
    """Each answer of the question bank, with its source line; the person asked the question
    in its canonical words (the acronyms they used are not explained again)."""
    from seniorplus.questions import load_bank
    from seniorplus.questions.answers import answered

    for question in load_bank():
        journey = journeys[question.journey]
        replies = answered(question, journey, SAMPLE_DAYS[0], asked=question.question)
        yield from _replies(f"bank: {question.id}", replies)


def safety_samples() -> Iterator[Sample]:
    """The lines of each danger, the question and the channels' own failure texts (safety/)."""
    for text in safety_lines.every_text():
        yield Sample("safety/lines.py", text, ())


def collect() -> list[Sample]:
    """Every message the bot can send (samples for the ones built from answers)."""
    journeys = journeys_on(SAMPLE_DAYS[0])
    return [
        *domain_samples(),
        *action_samples(),
        *journey_samples(journeys),
        *(s for day in SAMPLE_DAYS[1:] for s in journey_samples(journeys_on(day))),
        *speaker_samples(),
        *triage_samples(journeys),
        *estimate_samples(),
        *bank_samples(journeys),
        *safety_samples(),
    ]


def measure(samples: Iterable[Sample]) -> list[Measure]:
    """Each distinct SMS once (first source kept), sorted by segments then size."""
    seen: dict[str, Measure] = {}
    for sample in samples:
        sms = render_sms(sample.text, sample.buttons)
        if sms not in seen:
            raw = "\n".join(
                filter(None, [sample.text, *numbered_choices(sample.buttons, sample.text or "")])
            )
            seen[sms] = Measure(sample.source, sms, sms_segments(sms), sms_segments(raw))
    return sorted(seen.values(), key=lambda m: (m.info.segments, m.info.characters, m.source))


def summarize(measures: Sequence[Measure]) -> dict[str, Any]:
    segments = [m.info.segments for m in measures]
    gsm7 = sum(1 for m in measures if m.info.encoding == "GSM-7" and is_gsm7(m.sms))
    raw_gsm7 = sum(1 for m in measures if m.untransliterated.encoding == "GSM-7")
    raw_segments = [m.untransliterated.segments for m in measures]
    return {
        "count": len(measures),
        "median_segments": statistics.median(segments) if segments else 0,
        "max_segments": max(segments, default=0),
        "above_budget": sum(1 for s in segments if s > MAX_SEGMENTS),
        "share_gsm7": round(gsm7 / len(measures), 4) if measures else 1.0,
        "by_segments": {str(n): segments.count(n) for n in sorted(set(segments))},
        "without_transliteration": {
            "share_gsm7": round(raw_gsm7 / len(measures), 4) if measures else 1.0,
            "median_segments": statistics.median(raw_segments) if raw_segments else 0,
            "max_segments": max(raw_segments, default=0),
            "above_budget": sum(1 for s in raw_segments if s > MAX_SEGMENTS),
        },
    }


def within_budget(summary: dict[str, Any]) -> bool:
    return bool(
        summary["median_segments"] <= MEDIAN_BUDGET and summary["max_segments"] <= MAX_SEGMENTS
    )


def print_report(measures: Sequence[Measure], summary: dict[str, Any]) -> None:
    print(f"{'segments':>8}  {'encoding':<8}  {'chars':>5}  source")
    for m in measures:
        print(f"{m.info.segments:>8}  {m.info.encoding:<8}  {m.info.characters:>5}  {m.source}")
    print()
    print(f"Messages distincts : {summary['count']}")
    print(f"Segments (médiane) : {summary['median_segments']}")
    print(f"Segments (maximum) : {summary['max_segments']}")
    print(f"Au-delà de {MAX_SEGMENTS} segments : {summary['above_budget']}")
    print(f"Part en GSM-7 : {summary['share_gsm7']:.1%}")
    spread = ", ".join(f"{n} : {c}" for n, c in summary["by_segments"].items())
    print(f"Répartition (segments : messages) : {spread}")
    raw = summary["without_transliteration"]
    print(
        f"Sans translittération : {raw['share_gsm7']:.1%} en GSM-7, médiane "
        f"{raw['median_segments']}, maximum {raw['max_segments']}, "
        f"{raw['above_budget']} au-delà de {MAX_SEGMENTS} segments"
    )
    verdict = "respecté" if within_budget(summary) else "DÉPASSÉ"
    print(f"Budget (médiane <= {MEDIAN_BUDGET}, aucun > {MAX_SEGMENTS}) : {verdict}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the figures to PATH")
    args = parser.parse_args(argv)
    measures = measure(collect())
    summary = summarize(measures)
    print_report(measures, summary)
    if args.json:
        rows = [
            {"source": m.source, "segments": m.info.segments, "encoding": m.info.encoding,
             "characters": m.info.characters, "text": m.sms}
            for m in measures
        ]  # fmt: skip
        document = {"summary": summary, "messages": rows}
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if within_budget(summary) else 1


if __name__ == "__main__":
    sys.exit(main())
