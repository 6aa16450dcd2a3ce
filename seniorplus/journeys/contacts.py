"""Contacts people can trust (``data/contacts.yml``): status, date checked, what is said.

An unconfirmed contact is never said: :meth:`ContactBook.said` gives the confirmed entry
point named by its ``instead``. A local number is said only when confirmed. The nearest
France services / CLIC comes from the same file, by commune or postcode (coverage: only
the places a source names; docs/content.md). Pure: PyYAML and the communes table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from seniorplus.journeys.schema import JourneyError, load_yaml, parse_date
from seniorplus.places import distance_km, locate

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "contacts.yml"
Status = Literal["confirmed", "secondary", "unconfirmed"]
STATUSES: tuple[Status, ...] = ("confirmed", "secondary", "unconfirmed")
SCOPES = ("national", "departement", "local")
NEAREST_MAX_KM = 30.0  # farther than that, the national lists are more useful


class ContactError(JourneyError):
    """The contacts file breaks its schema."""


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    how: str
    scope: str
    status: Status
    source: str
    checked: date
    instead: str | None = None

    @property
    def sayable(self) -> bool:
        """Confirmed, or a national line read in a reputable secondary source."""
        if self.status == "confirmed":
            return True
        return self.status == "secondary" and self.scope != "local"


@dataclass(frozen=True)
class Place:
    """A France services, CLIC or MDPH reception place, with its source."""

    name: str
    kind: str
    commune: str
    address: str
    status: Status
    source: str
    checked: date


@dataclass(frozen=True)
class ContactBook:
    contacts: dict[str, Contact]
    places: tuple[Place, ...]

    def said(self, contact_id: str) -> Contact:
        """The contact to give for ``contact_id``: itself, or its confirmed replacement."""
        contact = self.contacts[contact_id]
        seen = {contact.id}
        while not contact.sayable and contact.instead:
            contact = self.contacts[contact.instead]
            if contact.id in seen:
                break
            seen.add(contact.id)
        if not contact.sayable:
            raise ContactError(f"{contact_id}: no sayable contact (check `instead`)")
        return contact

    def line(self, contact_id: str) -> str:
        """``Contact : Département de Loire-Atlantique, loire-atlantique.fr/apa.``"""
        contact = self.said(contact_id)
        return f"Contact : {contact.name}, {contact.how}."

    def nearest(
        self, where: str | None, kinds: tuple[str, ...] = ("france_services", "clic")
    ) -> Place | None:
        """The nearest listed place of those kinds to a commune or postcode, within 30 km."""
        home = locate(where) if where else None
        if home is None:
            return None
        best: tuple[float, Place] | None = None
        for place in self.places:
            spot = locate(place.commune)
            if place.kind not in kinds or spot is None:
                continue
            km = distance_km(home.latitude, home.longitude, spot.latitude, spot.longitude)
            if km <= NEAREST_MAX_KM and (best is None or km < best[0]):
                best = (km, place)
        return best[1] if best else None

    def near_line(self, where: str | None) -> str:
        """Where to go near the person; the national list when no listed place is near."""
        place = self.nearest(where)
        if place is None:
            return f"Près de chez vous : {self.said('france_services').how}."
        return f"Près de chez vous : {place.name}, {place.address} (à vérifier sur place)."


@lru_cache(maxsize=4)
def load_contacts(path: Path | str | None = None) -> ContactBook:
    """Read and validate the contacts file (default: data/contacts.yml), once per path."""
    file = Path(path) if path is not None else DEFAULT_PATH
    data = load_yaml(file, ContactError)
    if not isinstance(data, dict) or not isinstance(data.get("contacts"), list):
        raise ContactError(f"{file}: expected a mapping with a 'contacts' list")
    contacts: dict[str, Contact] = {}
    for index, item in enumerate(data["contacts"]):
        contact = _contact(file, item, f"contacts[{index}]")
        if contact.id in contacts:
            raise ContactError(f"{file}: contacts[{index}].id: duplicate id {contact.id!r}")
        contacts[contact.id] = contact
    places = tuple(_place(file, p, f"places[{i}]") for i, p in enumerate(data.get("places") or []))
    book = ContactBook(contacts, places)
    for contact in contacts.values():
        if contact.instead is not None and contact.instead not in contacts:
            raise ContactError(f"{file}: {contact.id}.instead: unknown contact {contact.instead!r}")
        if not contact.sayable and contact.instead is None:
            raise ContactError(f"{file}: {contact.id}: not sayable, so `instead` is required")
        book.said(contact.id)
    return book


def _fields(
    file: Path, item: object, field: str, required: set[str], optional: set[str]
) -> dict[str, object]:
    if not isinstance(item, dict):
        raise ContactError(f"{file}: {field}: must be a mapping")
    missing = sorted(required - item.keys())
    unknown = sorted(item.keys() - required - optional)
    if missing:
        raise ContactError(f"{file}: {field}.{missing[0]}: required field is missing")
    if unknown:
        raise ContactError(f"{file}: {field}.{unknown[0]}: unknown field")
    for key, value in item.items():
        if key != "checked" and (not isinstance(value, str) or not value.strip()):
            raise ContactError(f"{file}: {field}.{key}: must be a non-empty text")
    if item["status"] not in STATUSES:
        raise ContactError(f"{file}: {field}.status: {item['status']!r} not in {STATUSES}")
    if not str(item["source"]).startswith(("https://", "http://")):
        raise ContactError(f"{file}: {field}.source: not a URL")
    return item


def _contact(file: Path, item: object, field: str) -> Contact:
    data = _fields(
        file,
        item,
        field,
        {"id", "name", "how", "scope", "status", "source", "checked"},
        {"instead"},
    )
    if data["scope"] not in SCOPES:
        raise ContactError(f"{file}: {field}.scope: {data['scope']!r} not in {SCOPES}")
    return Contact(
        id=str(data["id"]),
        name=str(data["name"]),
        how=str(data["how"]),
        scope=str(data["scope"]),
        status=data["status"],  # type: ignore[arg-type]
        source=str(data["source"]),
        checked=parse_date(data["checked"], f"{file}: {field}.checked", ContactError),
        instead=str(data["instead"]) if "instead" in data else None,
    )


def _place(file: Path, item: object, field: str) -> Place:
    data = _fields(
        file,
        item,
        field,
        {"name", "kind", "commune", "address", "status", "source", "checked"},
        set(),
    )
    if locate(str(data["commune"])) is None:
        raise ContactError(
            f"{file}: {field}.commune: {data['commune']!r} not in the communes table"
        )
    return Place(
        name=str(data["name"]),
        kind=str(data["kind"]),
        commune=str(data["commune"]),
        address=str(data["address"]),
        status=data["status"],  # type: ignore[arg-type]
        source=str(data["source"]),
        checked=parse_date(data["checked"], f"{file}: {field}.checked", ContactError),
    )
