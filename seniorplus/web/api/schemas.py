"""Request and response bodies of the JSON API (pydantic 2), described in French for /api/docs.

Times: every moment is returned in Europe/Paris time with its offset
("2026-12-03T09:45:00+01:00"); a moment sent without offset is read as Paris
time. Weekly hours are Paris wall-clock "HH:MM". Validation messages are French
(they reach the client through ``seniorplus.web.api.common``).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from policies.phones import PhoneError, parse_phone
from seniorplus.web.api.common import WEEKDAYS_FR, assume_paris, hhmm

CaseStatus = Literal["ouvert", "en_cours", "en_attente", "complet", "clos"]
DocumentStatus = Literal["a_fournir", "recu", "non_concerne"]
Mode = Literal["sur_place", "telephone", "domicile"]
AppointmentStatus = Literal["reserve", "annule", "effectue"]


def as_case_status(value: str) -> CaseStatus:
    """A status read from the database (its check constraint holds the same values)."""
    assert value in get_args(CaseStatus), value
    return cast(CaseStatus, value)


def as_document_status(value: str) -> DocumentStatus:
    assert value in get_args(DocumentStatus), value
    return cast(DocumentStatus, value)


def as_mode(value: str) -> Mode:
    assert value in get_args(Mode), value
    return cast(Mode, value)


def as_appointment_status(value: str) -> AppointmentStatus:
    assert value in get_args(AppointmentStatus), value
    return cast(AppointmentStatus, value)


MIN_SLOT_MINUTES = 10
MAX_SLOT_MINUTES = 240
MAX_WEEKLY_RANGES = 50
MAX_ABSENCES = 200


def _clean_phone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_phone(value).e164
    except PhoneError:  # impossible numbers too: "+33 7 00 00 00 00"
        raise ValueError(
            "numéro de téléphone non reconnu (ex. : +33240000000 ou 02 40 00 00 00)"
        ) from None


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("heure sans fuseau attendue (heure de Paris, HH:MM)")
    if value.second or value.microsecond:
        raise ValueError("heure à la minute attendue (HH:MM)")
    return value


PhoneIn = Annotated[str | None, AfterValidator(_clean_phone)]
WallClock = Annotated[time, AfterValidator(_wall_clock)]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- people --------------------------------------------------------------------------


class PersonBrief(_Out):
    """A person, shown in a list: name and masked phone only."""

    contact_id: int
    display_name: str | None = Field(description="Le nom donné, s'il est connu.")
    phone_masked: str | None = Field(description="Le téléphone masqué (+336******78).")


class Person(PersonBrief):
    """A person, shown to an agent handling their case or meeting them."""

    phone: str | None = Field(description="Le téléphone (E.164), pour rappeler la personne.")
    preferred_channel: str | None = Field(description="sms, voice, telegram ou rest.")
    erased: bool = Field(description="Données effacées à sa demande (RGPD).")


# --- cases ---------------------------------------------------------------------------


class CaseBase(_Out):
    reference: str = Field(examples=["SP-2026-000123"])
    journey: str = Field(description="Identifiant de la démarche.", examples=["apa_domicile"])
    journey_title: str = Field(description="Titre de la démarche.")
    status: CaseStatus
    status_label: str = Field(description="Le statut en toutes lettres.")
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class CaseItem(CaseBase):
    """A case in a list."""

    person: PersonBrief = Field(description="La personne pour qui le dossier est ouvert.")
    missing_documents: int = Field(description="Nombre de pièces encore à fournir.")


class CaseList(_Out):
    total: int = Field(description="Nombre de dossiers correspondant aux filtres.")
    limit: int
    offset: int
    items: list[CaseItem]


class DocumentOut(_Out):
    """One paper of the checklist."""

    id: str = Field(description="Identifiant de la pièce dans la démarche.")
    label: str
    status: DocumentStatus
    status_label: str
    updated_at: datetime


class EventOut(_Out):
    """One change of the case (audit history)."""

    at: datetime
    actor: str = Field(description='"contact:12", "agent:<nom>" ou "system".')
    action: str = Field(description="ouverture, statut, piece, rdv…")
    detail: dict[str, Any]


class StepRef(_Out):
    id: str
    title: str


class MediatorBrief(_Out):
    id: int
    name: str


class SiteBrief(_Out):
    id: int
    name: str
    commune: str


class AppointmentOut(_Out):
    """A meeting with a mediator."""

    reference: str = Field(examples=["RDV-7KQ4MX"])
    starts_at: datetime
    ends_at: datetime
    mode: Mode
    mode_label: str
    status: AppointmentStatus
    status_label: str
    mediator: MediatorBrief
    site: SiteBrief
    person: Person
    case_reference: str | None
    booked_by: str = Field(description='"contact:12" ou "agent:<nom>".')
    created_at: datetime
    cancelled_at: datetime | None


class CaseDetail(CaseBase):
    """One case with its checklist, history and appointments."""

    person: Person = Field(description="La personne pour qui le dossier est ouvert.")
    opened_by: Person = Field(description="Qui l'a ouvert (la personne ou un aidant).")
    next_step: StepRef | None = Field(description="La prochaine étape de la démarche.")
    documents: list[DocumentOut]
    history: list[EventOut]
    appointments: list[AppointmentOut]


class DocumentUpdate(_In):
    id: str = Field(min_length=1, max_length=64, description="Identifiant de la pièce.")
    status: DocumentStatus


class CaseUpdate(_In):
    """Changes to a case: its status, the status of some papers, or both."""

    status: CaseStatus | None = Field(default=None, description="Nouveau statut du dossier.")
    documents: list[DocumentUpdate] | None = Field(
        default=None, min_length=1, max_length=50, description="Pièces à changer."
    )

    @model_validator(mode="after")
    def _something(self) -> CaseUpdate:
        if self.status is None and not self.documents:
            raise ValueError("rien à modifier : indiquez status, documents ou les deux")
        if self.documents:
            ids = [document.id for document in self.documents]
            if len(set(ids)) != len(ids):
                raise ValueError("une même pièce est donnée deux fois")
        return self


# --- sites and mediators -------------------------------------------------------------


class SiteOut(_Out):
    id: int
    name: str
    kind: str = Field(description="France Services, CLIC, Département…")
    commune: str
    postcode: str
    address: str
    phone: str | None


class MediatorOut(_Out):
    id: int
    name: str
    site: SiteBrief
    phone: str | None
    modes: list[Mode] = Field(description="Modes de rendez-vous proposés.")
    journeys: list[str] = Field(description="Démarches qu'il ou elle accompagne.")
    active: bool


def _unique(values: list[str], what: str) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError(f"{what} en double")
    return values


class MediatorCreate(_In):
    name: str = Field(min_length=1, max_length=120, description="Nom affiché.")
    site_id: int = Field(gt=0, description="Le site où il ou elle reçoit (voir GET /sites).")
    phone: PhoneIn = Field(default=None, description="Téléphone (E.164 ou national).")
    modes: list[Mode] = Field(default=["sur_place"], min_length=1, max_length=3)
    journeys: list[str] = Field(default=[], max_length=20, description="Démarches accompagnées.")
    active: bool = True

    @field_validator("modes")
    @classmethod
    def _modes(cls, value: list[str]) -> list[str]:
        return _unique(value, "mode")

    @field_validator("journeys")
    @classmethod
    def _journeys(cls, value: list[str]) -> list[str]:
        return _unique(value, "démarche")


class MediatorUpdate(_In):
    """Only the fields given change; ``phone: null`` removes the phone."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    site_id: int | None = Field(default=None, gt=0)
    phone: PhoneIn = None
    modes: list[Mode] | None = Field(default=None, min_length=1, max_length=3)
    journeys: list[str] | None = Field(default=None, max_length=20)
    active: bool | None = None

    @field_validator("modes")
    @classmethod
    def _modes(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _unique(value, "mode")

    @field_validator("journeys")
    @classmethod
    def _journeys(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _unique(value, "démarche")

    @model_validator(mode="after")
    def _not_null(self) -> MediatorUpdate:
        for name in ("name", "site_id", "modes", "journeys", "active"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} ne peut pas être vide")
        if not self.model_fields_set:
            raise ValueError("rien à modifier")
        return self


# --- weekly availability and absences --------------------------------------------------


class WeeklyRange(_In):
    """A weekly opening, cut into slots of ``slot_minutes``."""

    weekday: int = Field(ge=0, le=6, description="Jour : 0 = lundi … 6 = dimanche.")
    start: WallClock = Field(description="Début, heure de Paris (HH:MM).", examples=["09:00"])
    end: WallClock = Field(description="Fin, heure de Paris (HH:MM).", examples=["12:00"])
    slot_minutes: int = Field(
        default=45, ge=MIN_SLOT_MINUTES, le=MAX_SLOT_MINUTES, description="Durée d'un créneau."
    )
    modes: list[Mode] = Field(default=["sur_place"], min_length=1, max_length=3)

    @field_validator("modes")
    @classmethod
    def _modes(cls, value: list[str]) -> list[str]:
        return _unique(value, "mode")

    @model_validator(mode="after")
    def _order(self) -> WeeklyRange:
        if self.end <= self.start:
            raise ValueError(
                f"{WEEKDAYS_FR[self.weekday]} : l'heure de fin ({hhmm(self.end)}) doit être "
                f"après l'heure de début ({hhmm(self.start)})"
            )
        minutes = self.end.hour * 60 + self.end.minute - self.start.hour * 60 - self.start.minute
        if minutes < self.slot_minutes:
            raise ValueError(
                f"{WEEKDAYS_FR[self.weekday]} {hhmm(self.start)}–{hhmm(self.end)} : la plage "
                f"est plus courte qu'un créneau de {self.slot_minutes} minutes"
            )
        return self

    def describe(self) -> str:
        return f"{WEEKDAYS_FR[self.weekday]} {hhmm(self.start)}–{hhmm(self.end)}"


class WeeklyRangeOut(_Out):
    weekday: int
    weekday_label: str
    start: time
    end: time
    slot_minutes: int
    modes: list[Mode]

    @field_serializer("start", "end")
    def _hhmm(self, value: time) -> str:
        return hhmm(value)


class AbsenceIn(_In):
    starts_at: datetime = Field(description="Début (sans fuseau : heure de Paris).")
    ends_at: datetime = Field(description="Fin (sans fuseau : heure de Paris).")
    reason: str | None = Field(default=None, max_length=120, description="Motif (congés…).")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _paris(cls, value: datetime) -> datetime:
        return assume_paris(value)

    @model_validator(mode="after")
    def _order(self) -> AbsenceIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("la fin de l'absence doit être après son début")
        return self


class AbsenceOut(_Out):
    id: int
    starts_at: datetime
    ends_at: datetime
    reason: str | None


class AvailabilityIn(_In):
    """The whole weekly calendar (it replaces the previous one), and optionally the absences."""

    weekly: list[WeeklyRange] = Field(max_length=MAX_WEEKLY_RANGES)
    absences: list[AbsenceIn] | None = Field(
        default=None,
        max_length=MAX_ABSENCES,
        description="Absences (remplacent les précédentes) ; omis : inchangées.",
    )

    @model_validator(mode="after")
    def _no_overlap(self) -> AvailabilityIn:
        ordered = sorted(self.weekly, key=lambda r: (r.weekday, r.start, r.end))
        for before, after in itertools.pairwise(ordered):
            if before.weekday == after.weekday and after.start < before.end:
                raise ValueError(
                    f"les plages {before.describe()} et {hhmm(after.start)}–{hhmm(after.end)} "
                    "se chevauchent"
                )
        return self


class AvailabilityOut(_Out):
    mediator_id: int
    weekly: list[WeeklyRangeOut]
    absences: list[AbsenceOut]
    appointments_to_review: list[str] = Field(
        description=(
            "Références des rendez-vous à venir qui ne tombent plus dans une plage du "
            "calendrier, ou tombent pendant une absence : à déplacer ou confirmer."
        )
    )


# --- appointments and slots ------------------------------------------------------------


class AppointmentList(_Out):
    day: date
    mediator_id: int | None
    items: list[AppointmentOut]


class SlotOut(_Out):
    key: str = Field(description="Identifiant du créneau (médiateur.AAAAMMJJHHMM UTC.mode).")
    starts_at: datetime
    ends_at: datetime
    mode: Mode
    mode_label: str
    mediator: MediatorBrief
    site: SiteBrief
    site_address: str
    label: str = Field(description="Le créneau dit en français, comme à la personne.")


class PlaceOut(_Out):
    name: str
    postcode: str


class SlotList(_Out):
    journey: str
    reason: Literal["ok", "unknown_place", "no_site_near", "no_free_slot_near", "none_free"] = (
        Field(description="Comment les créneaux ont été choisis (ok, ou pourquoi par téléphone).")
    )
    matched: bool
    message: str = Field(description="La phrase d'introduction, en français.")
    place: PlaceOut | None = Field(description="La commune reconnue, sinon null.")
    slots: list[SlotOut]
