"""Bodies of the routes that book, cancel and move an appointment (pydantic 2, French docs).

Kept apart from ``schemas.py`` (cases, mediators, calendars, read-only agenda), which
they extend: an answer is an `AppointmentOut` plus what a booking adds; a refused slot
is an `ErrorBody` plus the free slots to offer instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from seniorplus.booking.slots import Slot, parse_slot_key
from seniorplus.web.api.common import ErrorBody, assume_paris
from seniorplus.web.api.schemas import AppointmentOut, Mode, SlotOut

MAX_REASON_CHARS = 500
DEFAULT_MODE = "sur_place"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


@dataclass(frozen=True)
class SlotTarget:
    """The slot asked for: mediator, start (UTC, to the minute) and mode."""

    mediator_id: int
    starts_at: datetime
    mode: str

    @property
    def key(self) -> str:
        """The slot's ``key``, as the booking service reads it."""
        return Slot(self.starts_at, self.starts_at, self.mediator_id, 0, self.mode).key


class SlotRef(_In):
    """A slot: its `key` from `GET /slots`, or a mediator and a start."""

    key: str | None = Field(
        default=None,
        max_length=64,
        description="La clé d'un créneau de `GET /slots` (médiateur.AAAAMMJJHHMM UTC.mode).",
        examples=["6.202612030800.sur_place"],
    )
    mediator_id: int | None = Field(default=None, gt=0, description="Le médiateur.")
    starts_at: datetime | None = Field(
        default=None,
        description="Début du créneau, à la minute (sans fuseau : heure de Paris).",
        examples=["2026-12-03T09:00"],
    )

    @field_validator("key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = parse_slot_key(value)
        if parsed is None:
            raise ValueError("créneau non reconnu (format médiateur.AAAAMMJJHHMM.mode)")
        if parsed[2] not in get_args(Mode):
            raise ValueError(f"mode « {parsed[2]} » inconnu dans la clé du créneau")
        return value

    @field_validator("starts_at")
    @classmethod
    def _starts_at(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.second or value.microsecond:
            raise ValueError("heure à la minute attendue (AAAA-MM-JJTHH:MM)")
        return assume_paris(value)

    @model_validator(mode="after")
    def _one_way(self) -> SlotRef:
        by_key = self.key is not None
        by_time = self.mediator_id is not None or self.starts_at is not None
        if by_key == by_time:
            raise ValueError("indiquez soit key, soit mediator_id et starts_at")
        if by_time and (self.mediator_id is None or self.starts_at is None):
            raise ValueError("indiquez mediator_id et starts_at ensemble")
        return self

    def target(self, mode: str | None, default_mode: str = DEFAULT_MODE) -> SlotTarget:
        """The slot asked; ``mode`` (the body's) wins over the key's, else ``default_mode``."""
        if self.key is not None:
            parsed = parse_slot_key(self.key)
            assert parsed is not None  # checked by the validator
            return SlotTarget(parsed[0], parsed[1], mode or parsed[2])
        assert self.mediator_id is not None and self.starts_at is not None
        start = self.starts_at.astimezone(timezone.utc)
        return SlotTarget(self.mediator_id, start, mode or default_mode)


class BookingIn(_In):
    """Book a slot for a person, possibly for one of their cases."""

    contact_id: int = Field(gt=0, description="La personne qui aura le rendez-vous.")
    slot: SlotRef
    mode: Mode | None = Field(
        default=None, description="sur_place, telephone ou domicile (défaut : celui du créneau)."
    )
    journey: str = Field(
        min_length=1, max_length=64, description="La démarche.", examples=["apa_domicile"]
    )
    case_reference: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="Le dossier concerné (de la personne, ou d'un proche dont elle est l'aidante).",
        examples=["SP-2026-000123"],
    )


class CancelIn(_In):
    reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_REASON_CHARS,
        description="Motif, inscrit à l'historique du dossier lié (500 caractères au plus).",
    )


class MoveIn(_In):
    slot: SlotRef = Field(description="Le nouveau créneau.")
    mode: Mode | None = Field(
        default=None,
        description="Défaut : celui de la clé du créneau, sinon celui du rendez-vous déplacé.",
    )


class BookedAppointment(AppointmentOut):
    """An appointment booked, cancelled or moved."""

    label: str = Field(
        description="Le rendez-vous dit à la personne, en français (jour, heure, lieu).",
        examples=["jeudi 3 décembre à 9 h, France Services Clisson, 1 rue …, 44190 Clisson"],
    )
    replaces: str | None = Field(
        default=None, description="Après un déplacement : la référence de l'ancien rendez-vous."
    )


class SlotProblem(ErrorBody):
    """A slot refused (taken, or outside the calendar), with free slots to offer instead."""

    alternatives: list[SlotOut] | None = Field(
        default=None,
        description=(
            "Quand le créneau est refusé : jusqu'à 3 créneaux libres du même genre (même site, "
            "ou par téléphone), peut-être aucun."
        ),
    )
