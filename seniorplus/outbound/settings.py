"""Vendor settings of outbound sending, read from the environment.

Kept apart from :mod:`seniorplus.settings` so that the action server and the
web app start without vendor credentials; a sender asks for what it needs when
it is built, and fails loudly then (``ConfigurationError``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from seniorplus.errors import ConfigurationError
from seniorplus.settings import _is_placeholder, environment

DEFAULT_TWILIO_API_URL = "https://api.twilio.com"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class OutboundSettings:
    """Twilio (SMS) and Telegram Bot API access. Tokens are kept out of ``repr``."""

    app_env: str = "production"
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    twilio_sms_number: str = ""
    twilio_api_url: str = DEFAULT_TWILIO_API_URL
    telegram_bot_token: str = field(default="", repr=False)
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> OutboundSettings:
        def get(name: str, default: str = "") -> str:
            return environ.get(name, "").strip() or default

        return cls(
            app_env=get("APP_ENV", "production").lower(),  # unset: production
            twilio_account_sid=get("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=get("TWILIO_AUTH_TOKEN"),
            twilio_sms_number=get("TWILIO_SMS_NUMBER"),
            twilio_api_url=get("TWILIO_API_URL", DEFAULT_TWILIO_API_URL).rstrip("/"),
            telegram_bot_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_api_url=get("TELEGRAM_API_URL", DEFAULT_TELEGRAM_API_URL).rstrip("/"),
        )

    def _require(self, values: Mapping[str, str], secrets: tuple[str, ...], url: str) -> None:
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ConfigurationError(f"L'envoi de messages demande {', '.join(missing)}.")
        if self.app_env != "production":
            return
        placeholders = [name for name in secrets if _is_placeholder(values[name])]
        if placeholders:
            raise ConfigurationError(
                f"{', '.join(placeholders)} doit être un vrai secret en production "
                "(une valeur d'exemple est refusée)."
            )
        if not url.startswith("https://"):
            raise ConfigurationError(
                "En production, les adresses des API des fournisseurs doivent être en https."
            )

    def require_twilio(self) -> None:
        """Raises ConfigurationError when SMS cannot be sent with these settings."""
        self._require(
            {
                "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
                "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
                "TWILIO_SMS_NUMBER": self.twilio_sms_number,
            },
            ("TWILIO_AUTH_TOKEN",),
            self.twilio_api_url,
        )

    def require_telegram(self) -> None:
        """Raises ConfigurationError when Telegram messages cannot be sent."""
        self._require(
            {"TELEGRAM_BOT_TOKEN": self.telegram_bot_token},
            ("TELEGRAM_BOT_TOKEN",),
            self.telegram_api_url,
        )


@lru_cache(maxsize=1)
def get_outbound_settings() -> OutboundSettings:
    """Settings of this process, read from the environment on first call."""
    return OutboundSettings.from_env(environment())
