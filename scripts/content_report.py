"""make content-report: every dated figure and every contact, for a ten-minute review.

For each figure: its periods (value, validity, source, date checked, confidence), when it
is revalued, and its state on the day of the report (current, or past its revaluation
date). For each contact: status, scope, what is said instead when it is not sayable,
source and date checked. Usage: content_report.py [--day YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seniorplus.clock import conversation_day
from seniorplus.journeys.contacts import ContactBook, load_contacts
from seniorplus.journeys.figures import FigureBook, format_number, load_figures


def figure_lines(book: FigureBook, day: date) -> Iterator[str]:
    yield f"# Chiffres datés ({len(book)}) au {day.isoformat()}"
    late = {reading.figure.key for reading in book.overdue(day)}
    for key, figure in book.items():
        reading = book.on(key, day)
        if key in late:
            state = "EN RETARD : revalorisation passée, pas de nouvelle valeur"
        elif not reading.current and figure.acknowledged is not None:
            state = f"manque connu jusqu'au {figure.acknowledged.until} : {figure.acknowledged.why}"
        elif not reading.current:
            state = "dit avec son année et où vérifier"
        else:
            state = "en vigueur"
        yield f"{key} — {figure.label} ({figure.unit}) — revalorisé : {figure.revalued} — {state}"
        for period in figure.periods:
            until = period.valid_to.isoformat() if period.valid_to else "…"
            yield (
                f"    {format_number(period.value)} du {period.valid_from} au {until} "
                f"[{period.confidence}, vérifié le {period.checked}] {period.source}"
            )


def contact_lines(book: ContactBook) -> Iterator[str]:
    yield f"# Contacts ({len(book.contacts)})"
    for contact in book.contacts.values():
        said = "dit" if contact.sayable else f"JAMAIS dit, remplacé par {book.said(contact.id).id}"
        yield (
            f"{contact.id} — {contact.name} : {contact.how} — {contact.status}, {contact.scope}, "
            f"{said} — vérifié le {contact.checked} — {contact.source}"
        )
    yield f"# Lieux près de chez soi ({len(book.places)}; ailleurs : listes nationales)"
    for place in book.places:
        yield (
            f"{place.commune} — {place.name}, {place.address} — {place.status}, "
            f"vérifié le {place.checked} — {place.source}"
        )


def report(
    day: date, figures: FigureBook | None = None, contacts: ContactBook | None = None
) -> str:
    lines = [
        *figure_lines(figures or load_figures(), day),
        "",
        *contact_lines(contacts or load_contacts()),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    day = args.day or conversation_day()
    sys.stdout.write(report(day))
    return 1 if load_figures().overdue(day) else 0


if __name__ == "__main__":
    raise SystemExit(main())
