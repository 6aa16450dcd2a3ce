"""The interface every outbound sender offers, and what a send attempt gives back.

A sender never raises for a vendor error or an outage: it returns a
:class:`Delivery` whose ``reason_fr`` an agent can read as is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Kind = Literal["reply", "reminder", "code"]
"""``reply``: an answer to the person (agent); ``reminder``: a message they did not ask for now;
``code``: a one-time code the person asked for this very minute (sent even in quiet hours)."""

DeliveryStatus = Literal["sent", "deferred", "refused", "failed", "callback"]
"""
- ``sent``: the vendor accepted the message (``vendor_id`` is its id);
- ``deferred``: quiet hours, nothing sent; send again at ``not_before``;
- ``refused``: the person asked for no more messages (STOP): never retry;
- ``failed``: not sent; ``retryable`` says whether trying again later may work;
- ``callback``: the number cannot get an SMS (landline); a callback request was
  recorded for the agents instead (``callback_requests``).
"""

Buttons = Sequence[Mapping[str, object]]


@dataclass(frozen=True)
class Delivery:
    """The outcome of one send attempt."""

    status: DeliveryStatus
    channel: str  # the channel actually used: "sms", "telegram", "voice"
    vendor_id: str | None = None  # Twilio Message sid, Telegram message_id
    not_before: datetime | None = None  # deferred: when quiet hours end; failed: retry after
    reason_fr: str | None = None  # plain French, for the agent console
    retryable: bool = False
    error_code: int | None = None  # the vendor's error code (Twilio 21610, Telegram 403…)

    @property
    def delivered(self) -> bool:
        """True when the vendor took the message."""
        return self.status == "sent"


class Sender(Protocol):
    """One small interface per channel."""

    channel: str

    async def send(self, address: str, text: str, buttons: Buttons = (), *, kind: Kind) -> Delivery:
        """Send ``text`` (and its choices) to the conversation ``address``."""
        ...


# Reasons shown to agents (plain French, no jargon).
REASON_STOP = "La personne a demandé l'arrêt des SMS (STOP)."
REASON_STOP_TELEGRAM = "La personne a demandé l'arrêt des messages sur Telegram."
REASON_QUIET = "Heures de repos (20 h - 8 h) : envoi prévu à 8 h."
REASON_INVALID_NUMBER = "Numéro invalide."
REASON_LANDLINE = "Ce numéro est une ligne fixe : il ne reçoit pas les SMS."
REASON_NOT_A_MOBILE = "Ce numéro n'est pas un portable : il ne reçoit pas les SMS."
REASON_CALLBACK = (
    "Ce numéro est une ligne fixe : il ne reçoit pas les SMS. "
    "Un rappel a été ajouté à la liste des rappels."
)
REASON_SMS_DOWN = "Service SMS indisponible, nouvel essai plus tard."
REASON_SMS_CONFIG = "Service SMS mal configuré (accès refusé) : prévenez l'équipe technique."
REASON_SMS_REJECTED = "Le SMS a été refusé par le service d'envoi."
REASON_SMS_TOO_LONG = "Message trop long pour un SMS (1 600 caractères au plus)."
REASON_EMPTY = "Message vide : rien à envoyer."
REASON_DB_DOWN = "Vérification impossible pour le moment (base de données), nouvel essai plus tard."
REASON_TELEGRAM_BLOCKED = "La personne a bloqué l'assistant sur Telegram."
REASON_TELEGRAM_UNREACHABLE = (
    "La personne n'est plus joignable sur Telegram (compte fermé ou conversation jamais ouverte)."
)
REASON_TELEGRAM_NO_CHAT = "Conversation Telegram introuvable."
REASON_TELEGRAM_NOT_LINKED = "Aucun compte Telegram n'est relié à ce numéro."
REASON_TELEGRAM_DOWN = "Service Telegram indisponible, nouvel essai plus tard."
REASON_TELEGRAM_CONFIG = (
    "Service Telegram mal configuré (accès refusé) : prévenez l'équipe technique."
)
REASON_TELEGRAM_REJECTED = "Le message a été refusé par Telegram."
REASON_NO_CHANNEL = "Pas de moyen d'écrire à cette personne (ni SMS ni Telegram)."
