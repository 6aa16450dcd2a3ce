"""The sections of the app's settings, one per concern; each field is one variable.

A field's ``validation_alias`` is the name of its environment variable (the names of
``.env.example``, never renamed). Every section is a frozen pydantic model: built from
the same flat mapping by :class:`seniorplus.settings.Settings`, or alone with
``Section.from_env(mapping)``. A malformed value raises :class:`ConfigurationError`
naming the variable, never repeating the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationError,
    model_validator,
)

from seniorplus.errors import ConfigurationError
from seniorplus.settings.errors import configuration_error
from seniorplus.settings.values import (
    AppEnv,
    Network,
    app_env_value,
    flag,
    is_placeholder,
    normalize_database_url,
    parse_api_tokens,
    parse_trusted_proxies,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'app.db'}"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
DEFAULT_ACTION_SERVER_URL = "http://127.0.0.1:5055/webhook"
DEFAULT_PRIVACY_NOTICE_VERSION = "2026-11"
DEFAULT_SCHEDULER_INTERVAL_S = 30.0
DEFAULT_CONVERSATION_DAYS = 180
DEFAULT_CASE_DAYS = 730
DEFAULT_ERASURE_DELAY_S = 120
DEFAULT_TWILIO_API_URL = "https://api.twilio.com"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
PIKA = "pika"
# Variables whose empty value means something (``FORWARDED_ALLOW_IPS=""``: no proxy);
# every other empty or blank variable counts as unset.
KEEP_EMPTY = frozenset({"FORWARDED_ALLOW_IPS"})

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S*$")
_HTTP_URL_RE = re.compile(r"^https?://(\[[0-9A-Fa-f:.]+\]|[^/\s:@\[\]]+)(:\d{1,5})?(/\S*)?$")
S = TypeVar("S", bound="Section")


def cleaned(environ: Mapping[str, str]) -> dict[str, str]:
    """Values stripped; empty ones dropped (unset), except those of :data:`KEEP_EMPTY`."""
    values = {name: value.strip() for name, value in environ.items()}
    return {name: value for name, value in values.items() if value or name in KEEP_EMPTY}


def _app_env_in(data: Mapping[str, Any]) -> AppEnv:
    """APP_ENV of a raw mapping, production when unreadable (the field reports it)."""
    try:
        return app_env_value(str(data.get("APP_ENV", "")))
    except ConfigurationError:
        return "production"


def _checked(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """A value reader whose ConfigurationError becomes a pydantic error (collected)."""

    def validate(value: str) -> Any:
        try:
            return check(value)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from None

    return validate


def _url(name: str, pattern: re.Pattern[str] = _URL_RE) -> Callable[[str | None], Any]:
    def validate(value: str | None) -> str | None:
        if value is not None and not pattern.fullmatch(value):
            what = "une adresse http(s)" if pattern is _HTTP_URL_RE else "une adresse (schéma://…)"
            raise ValueError(f"{name} doit être {what}.")  # the value may hold a password
        return value

    return validate


def _http_url(name: str) -> Any:
    return AfterValidator(_url(name, _HTTP_URL_RE))


EnvName = Annotated[AppEnv, BeforeValidator(_checked(app_env_value))]


def _app_env() -> Any:
    return Field("production", validation_alias="APP_ENV")  # unset: production


class Section(BaseModel):
    """Frozen, built from a flat mapping of variables; unknown variables are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", validate_by_name=True)

    @classmethod
    def from_env(cls: type[S], environ: Mapping[str, str]) -> S:
        """This section alone, from a mapping of environment variables.

        Raises:
            ConfigurationError: every malformed value, each naming its variable.
        """
        try:
            return cls.model_validate(cleaned(environ))
        except ValidationError as exc:
            raise configuration_error(exc) from None


class DatabaseSettings(Section):
    """The app database; production writes to PostgreSQL unless SQLite is said on purpose."""

    url: Annotated[str, AfterValidator(_url("DATABASE_URL"))] = Field(
        DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL", repr=False
    )  # may hold a password
    # Whether DATABASE_URL was set (False: the SQLite default): where the URL came from.
    given: bool = Field(False, exclude=True)
    allow_sqlite_in_production: bool = Field(False, validation_alias="ALLOW_SQLITE_IN_PRODUCTION")

    @model_validator(mode="before")
    @classmethod
    def _where_from(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "DATABASE_URL" in data:
            data = {**data, "given": True}
        if isinstance(data, Mapping) and "ALLOW_SQLITE_IN_PRODUCTION" in data:
            # Only "1" allows it (the documented value): anything else keeps the rule.
            data = {**data, "ALLOW_SQLITE_IN_PRODUCTION": data["ALLOW_SQLITE_IN_PRODUCTION"] == "1"}
        return data

    @model_validator(mode="after")
    def _psycopg3(self) -> DatabaseSettings:
        object.__setattr__(self, "url", normalize_database_url(self.url))
        return self

    @property
    def is_sqlite(self) -> bool:
        """True when the app database is an embedded SQLite file."""
        return self.url.startswith("sqlite")

    def problems(self, app_env: AppEnv) -> list[str]:
        """Production writes to PostgreSQL: SQLite (or no DATABASE_URL) only if said on purpose."""
        if app_env != "production" or not self.is_sqlite or self.allow_sqlite_in_production:
            return []
        what = "désigne SQLite" if self.given else "manque"
        return [
            f"DATABASE_URL {what} : en production, la base est PostgreSQL "
            "(ALLOW_SQLITE_IN_PRODUCTION=1 pour un essai sur une seule machine)."
        ]


class RasaSettings(Section):
    """The Rasa server (handoff pauses, health) and the action server it calls."""

    app_env: EnvName = _app_env()
    url: Annotated[str, _http_url("RASA_URL")] = Field(
        DEFAULT_RASA_URL, validation_alias="RASA_URL"
    )
    token: str | None = Field(None, validation_alias="RASA_TOKEN", repr=False)
    action_server_url: Annotated[str, _http_url("ACTION_SERVER_URL")] = Field(
        DEFAULT_ACTION_SERVER_URL, validation_alias="ACTION_SERVER_URL"
    )

    @model_validator(mode="after")
    def _real_token_in_production(self) -> RasaSettings:
        if self.app_env == "production" and (self.token is None or is_placeholder(self.token)):
            raise ValueError(
                "RASA_TOKEN manque : en production (APP_ENV=production, ou APP_ENV non "
                "défini) il faut un vrai secret ; une valeur vide ou d'exemple comme "
                "« change-me » est refusée. En développement, APP_ENV=dev."
            )
        return self


class ApiSettings(Section):
    """The JSON API's machine tokens: (name, SHA-256 hex of the token); empty = none accepted."""

    app_env: EnvName = _app_env()
    tokens: tuple[tuple[str, str], ...] = Field((), validation_alias="API_TOKENS", repr=False)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("API_TOKENS"), str):
            production = _app_env_in(data) == "production"
            tokens = _checked(lambda v: parse_api_tokens(v, production=production))
            data = {**data, "API_TOKENS": tokens(data["API_TOKENS"])}
        return data


Proxies = Annotated[
    tuple[Network, ...],
    BeforeValidator(lambda v: _checked(parse_trusted_proxies)(v) if isinstance(v, str) else v),
]


class ConsoleSettings(Section):
    """Session lifetimes, login delays (seniorplus.console.throttle) and trusted proxies."""

    app_env: EnvName = _app_env()
    idle_minutes: PositiveInt = Field(30, validation_alias="CONSOLE_IDLE_MINUTES")
    absolute_hours: PositiveInt = Field(10, validation_alias="CONSOLE_ABSOLUTE_HOURS")
    # Attempts (per login, per address) answered without delay.
    free_attempts: PositiveInt = Field(3, validation_alias="CONSOLE_FREE_ATTEMPTS")
    # The longest wait before an answer: never a lockout.
    max_delay_s: PositiveInt = Field(10, validation_alias="CONSOLE_MAX_DELAY_SECONDS")
    # Attempts from one address within ``ip_window``, then refused.
    ip_max_failures: PositiveInt = Field(30, validation_alias="CONSOLE_IP_MAX_FAILURES")
    ip_window_minutes: PositiveInt = Field(15, validation_alias="CONSOLE_IP_WINDOW_MINUTES")
    # X-Forwarded-For believed only from these; uvicorn's list must be the same.
    trusted_proxies: Proxies = Field((), validation_alias="TRUSTED_PROXIES")
    forwarded_allow_ips: str | None = Field(None, validation_alias="FORWARDED_ALLOW_IPS")
    # The first password of ``python -m seniorplus.console.accounts`` (else asked).
    password: str | None = Field(None, validation_alias="CONSOLE_PASSWORD", repr=False)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def absolute(self) -> timedelta:
        return timedelta(hours=self.absolute_hours)

    @property
    def ip_window(self) -> timedelta:
        """Also the memory of the delays."""
        return timedelta(minutes=self.ip_window_minutes)

    @property
    def secure_cookie(self) -> bool:
        """HTTPS only: everywhere but dev and test (APP_ENV unset: production)."""
        return self.app_env == "production"

    def proxy_problems(self) -> list[str]:
        """Uvicorn must trust exactly the proxies we trust (its default trusts 127.0.0.1)."""
        if self.forwarded_allow_ips is None:
            return [
                "FORWARDED_ALLOW_IPS manque : sans lui, uvicorn croit l'en-tête X-Forwarded-For "
                "venu de 127.0.0.1. Donnez-lui la même liste que TRUSTED_PROXIES (vide sans proxy)."
            ]
        same = "FORWARDED_ALLOW_IPS doit être la même liste que TRUSTED_PROXIES."
        try:
            uvicorn_trusts = parse_trusted_proxies(self.forwarded_allow_ips, "FORWARDED_ALLOW_IPS")
        except ConfigurationError:
            return [same]
        return [] if set(uvicorn_trusts) == set(self.trusted_proxies) else [same]


class DataRightsSettings(Section):
    """Retention, erasure, the privacy notice, and where the conversation history lives.

    ``TRACKER_STORE_URL`` empty: history is neither exported nor erased from here. Two
    years after the last contact (``CASE_RETENTION_DAYS``) is the CNIL's reference for
    social support records (référentiel "durées de conservation", secteur social et
    médico-social, 2023). ``ERASURE_DELAY_S``: the history of a person who asked for
    erasure is deleted this long after, once the conversation turn is saved.
    """

    tracker_store_url: Annotated[str | None, AfterValidator(_url("TRACKER_STORE_URL"))] = Field(
        None, validation_alias="TRACKER_STORE_URL", repr=False
    )  # may hold a password
    conversation_retention_days: PositiveInt = Field(
        DEFAULT_CONVERSATION_DAYS, validation_alias="CONVERSATION_RETENTION_DAYS"
    )
    case_retention_days: PositiveInt = Field(
        DEFAULT_CASE_DAYS, validation_alias="CASE_RETENTION_DAYS"
    )
    erasure_delay_s: PositiveInt = Field(
        DEFAULT_ERASURE_DELAY_S, validation_alias="ERASURE_DELAY_S"
    )
    privacy_notice_version: str = Field(
        DEFAULT_PRIVACY_NOTICE_VERSION, validation_alias="PRIVACY_NOTICE_VERSION"
    )


class OutboundSettings(Section):
    """Twilio (SMS) and Telegram Bot API access. Tokens are kept out of ``repr``.

    Required only when a sender is built (``require_twilio``, ``require_telegram``),
    so that the action server starts without vendor credentials; the web app's start
    asks for both in production (``Settings.start_problems``).
    """

    app_env: EnvName = _app_env()
    twilio_account_sid: str = Field("", validation_alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: str = Field("", validation_alias="TWILIO_AUTH_TOKEN", repr=False)
    twilio_sms_number: str = Field("", validation_alias="TWILIO_SMS_NUMBER")
    twilio_api_url: Annotated[str, _http_url("TWILIO_API_URL")] = Field(
        DEFAULT_TWILIO_API_URL, validation_alias="TWILIO_API_URL"
    )
    telegram_bot_token: str = Field("", validation_alias="TELEGRAM_BOT_TOKEN", repr=False)
    telegram_api_url: Annotated[str, _http_url("TELEGRAM_API_URL")] = Field(
        DEFAULT_TELEGRAM_API_URL, validation_alias="TELEGRAM_API_URL"
    )

    @model_validator(mode="after")
    def _no_trailing_slash(self) -> OutboundSettings:
        for name in ("twilio_api_url", "telegram_api_url"):
            object.__setattr__(self, name, getattr(self, name).rstrip("/"))
        return self

    def _require(self, values: Mapping[str, str], secrets: tuple[str, ...], url: str) -> None:
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ConfigurationError(f"L'envoi de messages demande {', '.join(missing)}.")
        if self.app_env != "production":
            return
        placeholders = [name for name in secrets if is_placeholder(values[name])]
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


class EventsSettings(Section):
    """The EVENT_BROKER_* variables Rasa reads too (bot/endpoints.yml), for the consumer."""

    type: str = Field("", validation_alias="EVENT_BROKER_TYPE")
    host: str = Field("", validation_alias="EVENT_BROKER_URL")
    port: PositiveInt | None = Field(None, validation_alias="EVENT_BROKER_PORT")
    username: str = Field("", validation_alias="EVENT_BROKER_USERNAME")
    password: str = Field("", validation_alias="EVENT_BROKER_PASSWORD", repr=False)
    exchange: str = Field("", validation_alias="EVENT_BROKER_EXCHANGE")
    queue: str = Field("", validation_alias="EVENT_BROKER_QUEUE")

    @property
    def enabled(self) -> bool:
        """Whether Rasa publishes its events (``EVENT_BROKER_TYPE=pika``) for the consumer.

        The console's live view trusts ``conversation_activity`` only then; otherwise it
        reads the tracker store as before (dev, where the broker is off).
        """
        return self.type.lower() == PIKA

    def missing(self) -> list[str]:
        """The variables the consumer still needs, by name."""
        values = {
            "URL": self.host,
            "PORT": self.port,
            "USERNAME": self.username,
            "PASSWORD": self.password,
            "EXCHANGE": self.exchange,
            "QUEUE": self.queue,
        }
        return [f"EVENT_BROKER_{name}" for name, value in values.items() if not value]


class SchedulerSettings(Section):
    """Appointment notices (seniorplus/scheduler): run by the web app, every N seconds."""

    app_env: EnvName = _app_env()
    enabled: bool = Field(True, validation_alias="SCHEDULER_ENABLED")  # default: not in tests
    interval_s: float = Field(DEFAULT_SCHEDULER_INTERVAL_S, validation_alias="SCHEDULER_INTERVAL_S")

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or "enabled" in data or "interval_s" in data:
            return data  # built by field name
        data = dict(data)
        raw = data.get("SCHEDULER_ENABLED")
        if raw is None:
            data["SCHEDULER_ENABLED"] = _app_env_in(data) != "test"
        else:
            data["SCHEDULER_ENABLED"] = _checked(lambda v: flag("SCHEDULER_ENABLED", v))(raw)
        if "SCHEDULER_INTERVAL_S" in data:
            data["SCHEDULER_INTERVAL_S"] = _seconds(data["SCHEDULER_INTERVAL_S"])
        return data


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 86400:
        raise ValueError("SCHEDULER_INTERVAL_S must be a number of seconds (0 < s <= 86400).")
    return seconds


class RedisSettings(Section):
    """Redis, shared by the web processes (login delays) and checked by readiness."""

    url: Annotated[str | None, AfterValidator(_url("REDIS_URL"))] = Field(
        None, validation_alias="REDIS_URL", repr=False
    )  # may hold a password


class HandoffSettings(Section):
    """The team's opening hours, read at use (an unreadable value means the default hours)."""

    team_opening_hours: str | None = Field(None, validation_alias="TEAM_OPENING_HOURS")


class ActionServerSettings(Section):
    """The action server: its shared secret with Rasa, its address and port."""

    app_env: EnvName = _app_env()
    token: str = Field("", validation_alias="ACTION_SERVER_TOKEN", repr=False)
    host: str = Field("127.0.0.1", validation_alias="SANIC_HOST")
    port: Annotated[int, Field(gt=0, le=65535)] = Field(5055, validation_alias="ACTIONS_PORT")


class ObservabilitySettings(Section):
    """Logs: level, and format (``json`` or ``text``; unset, chosen from APP_ENV)."""

    app_env: EnvName = _app_env()
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    log_format: str | None = Field(None, validation_alias="LOG_FORMAT")

    def as_environ(self) -> dict[str, str]:
        """The variables `observability.logs` reads, shared with the bot environment."""
        values = {"APP_ENV": self.app_env, "LOG_FORMAT": self.log_format}
        return {name: value for name, value in values.items() if value is not None}


class ClockSettings(Section):
    """``SENIORPLUS_FROZEN_NOW``: a day (or a file holding one) in dev and tests."""

    app_env: EnvName = _app_env()
    frozen_now: str | None = Field(None, validation_alias="SENIORPLUS_FROZEN_NOW")
