"""The error of the cases services: its message is French and can be shown to the user."""

from __future__ import annotations

from seniorplus.errors import SeniorPlusError


class CaseError(SeniorPlusError):
    """Invalid input or a refused change; ``message_fr`` is short, polite, plain French."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
