"""SMS segments of every message the assistant can send, as the SMS channel renders it.

Reads the collection of every sentence and its home (``devtools/wording.py``: the domain's
responses, the journeys, the question bank, the dialogue's wording, the channels' own
sentences, the safety lines, the notices…); renders each with `rendering.render_sms`;
prints a table sorted by segments, the messages of each home, and a summary. Exit code 1
when the budget is broken: median above 2 segments, or one message above 4.
`make sms-report`; `--json PATH` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devtools.wording import HOMES, collect  # noqa: E402
from devtools.wording_samples import Sample  # noqa: E402
from rendering import SmsInfo, is_gsm7, render_sms, sms_segments  # noqa: E402
from rendering.sms import numbered_choices  # noqa: E402

MEDIAN_BUDGET = 2
MAX_SEGMENTS = 4
__all__ = ["Sample", "collect", "main", "measure", "summarize", "within_budget"]


@dataclass(frozen=True)
class Measure:
    """The SMS sent, its figures, and the figures it would have without transliteration."""

    source: str
    sms: str
    info: SmsInfo
    untransliterated: SmsInfo
    home: str = ""


def measure(samples: Iterable[Sample]) -> list[Measure]:
    """Each distinct SMS once (first source kept), sorted by segments then size."""
    seen: dict[str, Measure] = {}
    for sample in (s for s in samples if s.sms):
        sms = render_sms(sample.text, sample.buttons)
        if sms not in seen:
            raw = "\n".join(
                filter(None, [sample.text, *numbered_choices(sample.buttons, sample.text or "")])
            )
            seen[sms] = Measure(
                sample.source, sms, sms_segments(sms), sms_segments(raw), sample.home
            )
    return sorted(seen.values(), key=lambda m: (m.info.segments, m.info.characters, m.source))


def summarize(measures: Sequence[Measure]) -> dict[str, Any]:
    segments = [m.info.segments for m in measures]
    gsm7 = sum(1 for m in measures if m.info.encoding == "GSM-7" and is_gsm7(m.sms))
    raw_gsm7 = sum(1 for m in measures if m.untransliterated.encoding == "GSM-7")
    raw_segments = [m.untransliterated.segments for m in measures]
    homes = Counter(m.home for m in measures)
    return {
        "count": len(measures),
        "by_home": {home.name: homes[home.name] for home in HOMES},
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
    print("Messages distincts par lieu des textes :")
    for home, count in summary["by_home"].items():
        print(f"  {count:>5}  {home}")
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
            {"source": m.source, "home": m.home, "segments": m.info.segments,
             "encoding": m.info.encoding, "characters": m.info.characters, "text": m.sms}
            for m in measures
        ]  # fmt: skip
        document = {"summary": summary, "messages": rows}
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if within_budget(summary) else 1


if __name__ == "__main__":
    sys.exit(main())
