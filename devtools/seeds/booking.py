"""Demo data for Loire-Atlantique: sites, mediators, weekly calendars, a few absences.

`python -m devtools.seeds.booking` (or `make seed`) loads it into the embedded
SQLite database, after the migrations. It refuses production (``APP_ENV=production``)
and a PostgreSQL database unless ``--force-dev-postgres`` is given (a developer's
own PostgreSQL, never production). Running it twice adds nothing.

Sources: the addresses of the Ancenis CLIC and the Saint-Nazaire delegation are
those of /work/shared/domain/autonomy-journeys.md (section
"Loire-Atlantique contacts", 🟡 to verify before real use); their phone numbers
are left out, as no current source shows them (docs/content.md). Every other site is
FICTITIOUS: its name ends with "(démo)" and its address says so. Every mediator
is fictitious (name followed by "(démo)"), without a phone number.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from policies.hours import PARIS
from seniorplus.booking.models import (
    Mediator,
    MediatorAbsence,
    MediatorAvailability,
    MediatorSkill,
    Site,
)
from seniorplus.db import get_engine, session_scope
from seniorplus.errors import SeniorPlusError
from seniorplus.settings import Settings, get_settings

SLOT_MINUTES = 45
MORNING = (time(9, 0), time(12, 0))  # four slots: 9:00, 9:45, 10:30, 11:15
AFTERNOON = (time(13, 30), time(16, 30))  # four slots: 13:30, 14:15, 15:00, 15:45
DEMO_ADDRESS = "Adresse fictive (démo)"


@dataclass(frozen=True)
class SiteSeed:
    name: str
    kind: str
    commune: str
    postcode: str
    address: str
    phone: str | None
    latitude: float
    longitude: float


@dataclass(frozen=True)
class MediatorSeed:
    name: str
    site: str  # SiteSeed.name
    modes: str
    skills: tuple[str, ...]
    # (weekday, part, modes): part "matin" or "apres-midi"
    week: tuple[tuple[int, str, str], ...]


SITES: tuple[SiteSeed, ...] = (
    # Real, from autonomy-journeys.md (2020 sample content of the Département, to verify).
    SiteSeed(
        "CLIC du Pays d'Ancenis – Bureau Info Aînés",
        "CLIC",
        "Ancenis-Saint-Géréon",
        "44150",
        "Espace Corail, 30 place Francis Robert",
        None,  # no current source shows its number (data/contacts.yml: clic_ancenis)
        47.366,
        -1.177,
    ),
    SiteSeed(
        "Délégation de Saint-Nazaire – Unité personnes âgées",
        "Département",
        "Saint-Nazaire",
        "44600",
        "12 place Pierre Sémard",
        None,  # idem (data/contacts.yml: delegation_saint_nazaire)
        47.274,
        -2.214,
    ),
    # Fictitious: no address in the domain notes. Town centre coordinates.
    SiteSeed(
        "France Services Nantes (démo)",
        "France Services",
        "Nantes",
        "44000",
        DEMO_ADDRESS,
        None,
        47.218,
        -1.554,
    ),
    SiteSeed(
        "France Services Châteaubriant (démo)",
        "France Services",
        "Châteaubriant",
        "44110",
        DEMO_ADDRESS,
        None,
        47.717,
        -1.376,
    ),
    SiteSeed(
        "France Services Clisson (démo)",
        "France Services",
        "Clisson",
        "44190",
        DEMO_ADDRESS,
        None,
        47.087,
        -1.282,
    ),
    SiteSeed(
        "France Services Pornic (démo)",
        "France Services",
        "Pornic",
        "44210",
        DEMO_ADDRESS,
        None,
        47.115,
        -2.102,
    ),
    SiteSeed(
        "CLIC de la région de Blain (démo)",
        "CLIC",
        "Blain",
        "44130",
        DEMO_ADDRESS,
        None,
        47.477,
        -1.763,
    ),
)

_ON_SITE = "sur_place"
_ON_SITE_PHONE = "sur_place,telephone"


def _days(
    days: Sequence[int], part: str, modes: str = _ON_SITE
) -> tuple[tuple[int, str, str], ...]:
    return tuple((d, part, modes) for d in days)


MEDIATORS: tuple[MediatorSeed, ...] = (
    MediatorSeed(
        "Claire Morvan (démo)",
        "France Services Nantes (démo)",
        "sur_place,telephone",
        ("apa_domicile", "apa_etablissement", "ehpad", "services_domicile", "droits_aidant"),
        _days(range(5), "matin") + _days((1, 3), "apres-midi", _ON_SITE_PHONE),
    ),
    MediatorSeed(
        "Karim Benali (démo)",
        "France Services Nantes (démo)",
        "sur_place,telephone,domicile",
        (
            "protection_juridique",
            "carte_mobilite",
            "caisse_retraite",
            "amenagement_logement",
            "apa_domicile",
        ),
        _days((0, 2, 4), "matin")
        + _days((0, 4), "apres-midi", _ON_SITE_PHONE)
        + _days((2,), "apres-midi", "domicile"),
    ),
    MediatorSeed(
        "Sophie Le Gall (démo)",
        "Délégation de Saint-Nazaire – Unité personnes âgées",
        "sur_place,telephone",
        ("apa_domicile", "apa_etablissement", "ehpad", "droits_aidant", "carte_mobilite"),
        _days(range(4), "matin") + _days((0, 3), "apres-midi", "telephone"),
    ),
    MediatorSeed(
        "Jean-Marc Perraud (démo)",
        "CLIC du Pays d'Ancenis – Bureau Info Aînés",
        "sur_place,telephone",
        (
            "apa_domicile",
            "services_domicile",
            "caisse_retraite",
            "amenagement_logement",
            "droits_aidant",
        ),
        _days(range(1, 5), "matin") + _days((1,), "apres-midi", _ON_SITE_PHONE),
    ),
    MediatorSeed(
        "Nathalie Guérin (démo)",
        "France Services Châteaubriant (démo)",
        "sur_place,telephone",
        ("apa_domicile", "apa_etablissement", "ehpad", "protection_juridique", "services_domicile"),
        _days((0, 1, 3), "matin") + _days((0, 1, 3), "apres-midi", _ON_SITE_PHONE),
    ),
    MediatorSeed(
        "Élodie Rousseau (démo)",
        "France Services Clisson (démo)",
        "sur_place",
        (
            "apa_domicile",
            "caisse_retraite",
            "carte_mobilite",
            "amenagement_logement",
            "droits_aidant",
        ),
        _days(range(5), "matin"),
    ),
    MediatorSeed(
        "Thomas Briand (démo)",
        "France Services Pornic (démo)",
        "sur_place,telephone,domicile",
        ("apa_domicile", "ehpad", "services_domicile", "protection_juridique", "carte_mobilite"),
        _days((1, 2, 4), "matin") + _days((1, 4), "apres-midi", "domicile,telephone"),
    ),
    MediatorSeed(
        "Anne Cadiou (démo)",
        "CLIC de la région de Blain (démo)",
        "sur_place,telephone",
        (
            "apa_domicile",
            "apa_etablissement",
            "caisse_retraite",
            "droits_aidant",
            "amenagement_logement",
        ),
        _days((0, 3), "matin") + _days((3,), "apres-midi", "telephone"),
    ),
)


def _absences(today: date) -> tuple[tuple[str, datetime, datetime, str], ...]:
    """A few absences, dated from the day of seeding: (mediator, start, end, reason)."""

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, 0), tzinfo=PARIS)

    next_monday = today + timedelta(days=7 - today.weekday())
    return (
        (
            "Claire Morvan (démo)",
            at(next_monday + timedelta(days=2), 0),
            at(next_monday + timedelta(days=3), 0),
            "Formation (démo)",
        ),
        (
            "Sophie Le Gall (démo)",
            at(next_monday + timedelta(days=7), 0),
            at(next_monday + timedelta(days=12), 0),
            "Congés (démo)",
        ),
        (
            "Nathalie Guérin (démo)",
            at(next_monday + timedelta(days=1), 8),
            at(next_monday + timedelta(days=1), 13),
            "Réunion de réseau (démo)",
        ),
    )


@dataclass
class SeedReport:
    """How many rows were added (all zero on a second run)."""

    sites: int = 0
    mediators: int = 0
    skills: int = 0
    openings: int = 0
    absences: int = 0

    def describe(self) -> str:
        return (
            f"{self.sites} site(s), {self.mediators} conseiller(s), {self.skills} compétence(s), "
            f"{self.openings} plage(s) horaire(s), {self.absences} absence(s) ajouté(s)"
        )


class SeedRefused(SeniorPlusError):
    """The seed data must not go into this database."""


def check_target(settings: Settings, force_dev_postgres: bool = False) -> None:
    """Refuse production, and PostgreSQL without ``--force-dev-postgres``.

    Raises:
        SeedRefused: with the reason, in French.
    """
    if settings.app_env == "production":
        raise SeedRefused("Refusé : APP_ENV=production. Les données de démonstration n'y vont pas.")
    if not settings.database.is_sqlite and not force_dev_postgres:
        raise SeedRefused(
            "Refusé : la base n'est pas la base SQLite embarquée. Pour une base PostgreSQL "
            "de développement, ajoutez --force-dev-postgres."
        )


def seed(session: Session, today: date) -> SeedReport:
    """Add whatever of the demo data is missing (idempotent); the caller commits."""
    report = SeedReport()
    sites: dict[str, Site] = {s.name: s for s in session.scalars(select(Site))}
    for data in SITES:
        if data.name not in sites:
            site = Site(
                name=data.name,
                kind=data.kind,
                commune=data.commune,
                postcode=data.postcode,
                address=data.address,
                phone=data.phone,
                latitude=data.latitude,
                longitude=data.longitude,
            )
            session.add(site)
            sites[data.name] = site
            report.sites += 1
    session.flush()
    mediators: dict[str, Mediator] = {m.name: m for m in session.scalars(select(Mediator))}
    for person in MEDIATORS:
        mediator = mediators.get(person.name)
        if mediator is None:
            mediator = Mediator(name=person.name, site_id=sites[person.site].id, modes=person.modes)
            session.add(mediator)
            session.flush()
            mediators[person.name] = mediator
            report.mediators += 1
        known = set(
            session.scalars(
                select(MediatorSkill.journey).where(MediatorSkill.mediator_id == mediator.id)
            )
        )
        for journey in person.skills:
            if journey not in known:
                session.add(MediatorSkill(mediator_id=mediator.id, journey=journey))
                report.skills += 1
        opened = {
            (a.weekday, a.start_time)
            for a in session.scalars(
                select(MediatorAvailability).where(MediatorAvailability.mediator_id == mediator.id)
            )
        }
        for weekday, part, modes in person.week:
            start, end = MORNING if part == "matin" else AFTERNOON
            if (weekday, start) not in opened:
                session.add(
                    MediatorAvailability(
                        mediator_id=mediator.id,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        slot_minutes=SLOT_MINUTES,
                        modes=modes,
                    )
                )
                report.openings += 1
    session.flush()
    for name, starts_at, ends_at, reason in _absences(today):
        mediator = mediators[name]
        exists = session.scalar(
            select(MediatorAbsence.id).where(
                MediatorAbsence.mediator_id == mediator.id, MediatorAbsence.reason == reason
            )
        )
        if exists is None:
            session.add(
                MediatorAbsence(
                    mediator_id=mediator.id, starts_at=starts_at, ends_at=ends_at, reason=reason
                )
            )
            report.absences += 1
    session.flush()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: load the demo data into the configured database."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.seeds.booking",
        description="Charge les sites et conseillers de démonstration (Loire-Atlantique).",
    )
    parser.add_argument(
        "--force-dev-postgres",
        action="store_true",
        help="accepter une base PostgreSQL de développement (jamais en production)",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        check_target(settings, args.force_dev_postgres)
    except SeedRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    if not inspect(get_engine()).has_table("mediators"):
        print("La base n'a pas les tables des rendez-vous : lancez d'abord « make migrate ».")
        return 1
    with session_scope() as session:
        report = seed(session, datetime.now(PARIS).date())
    print(f"Données de démonstration : {report.describe()}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
