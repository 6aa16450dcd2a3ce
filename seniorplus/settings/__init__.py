"""The app environment's one settings object: read once, validated at start, in sections.

:class:`Settings` (pydantic-settings) holds a section per concern (``settings.database``,
``settings.rasa``, ``settings.console``, ``settings.outbound``…, see
:mod:`seniorplus.settings.sections`); each field is one environment variable, named as in
``.env.example``. :func:`environment` is the only reader of ``os.environ`` in
``seniorplus/`` and ``actions/`` (``tests/unit/seniorplus/test_settings_reads.py`` walks the
sources).

- ``get_settings()``: this process's settings, read on first call and cached; tests that
  change the environment call ``get_settings.cache_clear()``.
- ``Settings.from_env(mapping)``: settings built from a mapping, nothing cached (tests,
  the start check of the web app).

A malformed value raises :class:`ConfigurationError` naming each variable at fault and
never repeating a value. Production rules: a real ``RASA_TOKEN`` always;
``start_problems()`` adds what the web app needs to serve (PostgreSQL unless
``ALLOW_SQLITE_IN_PRODUCTION=1``, vendor secrets, uvicorn's proxies).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from seniorplus.errors import ConfigurationError
from seniorplus.settings.errors import SettingsError, configuration_error
from seniorplus.settings.sections import (
    DEFAULT_DATABASE_URL,
    REPO_ROOT,
    ActionServerSettings,
    ApiSettings,
    ClockSettings,
    ConsoleSettings,
    DatabaseSettings,
    DataRightsSettings,
    EnvName,
    EventsSettings,
    HandoffSettings,
    ObservabilitySettings,
    OutboundSettings,
    RasaSettings,
    RedisSettings,
    SchedulerSettings,
    Section,
    cleaned,
)
from seniorplus.settings.values import (
    AppEnv,
    app_env_of,
    is_placeholder,
    normalize_database_url,
    parse_api_tokens,
)

__all__ = [
    "DEFAULT_DATABASE_URL",
    "REPO_ROOT",
    "ActionServerSettings",
    "ApiSettings",
    "AppEnv",
    "ClockSettings",
    "ConfigurationError",
    "ConsoleSettings",
    "DataRightsSettings",
    "DatabaseSettings",
    "EventsSettings",
    "HandoffSettings",
    "ObservabilitySettings",
    "OutboundSettings",
    "RasaSettings",
    "RedisSettings",
    "SchedulerSettings",
    "Settings",
    "SettingsError",
    "app_env_of",
    "environment",
    "get_settings",
    "is_placeholder",
    "normalize_database_url",
    "parse_api_tokens",
]


def environment() -> Mapping[str, str]:
    """The process environment: the one place ``os.environ`` is read (issue 16, point 4)."""
    return os.environ


class _Environment(PydanticBaseSettingsSource):
    """pydantic-settings source: the process environment as one flat mapping of variables.

    The sections pick their variables by name (``validation_alias``); the variables are
    flat (``DATABASE_URL``, not ``DATABASE__URL``), so the stock source, which reads
    only the root's fields, does not fit.
    """

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything is returned by __call__

    def __call__(self) -> dict[str, Any]:
        if "environ" in self.current_state:  # Settings.from_env(mapping): that mapping only
            return {}
        return {"environ": dict(environment())}


def section_names(settings_cls: type[BaseSettings]) -> list[str]:
    """The fields of ``settings_cls`` that are sections."""
    return [
        name
        for name, field in settings_cls.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, Section)
    ]


class Settings(BaseSettings):
    """Configuration of the app environment (action server, web app, workers, migrations)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    app_env: EnvName = Field("production")  # APP_ENV; unset: production
    database: DatabaseSettings
    rasa: RasaSettings
    api: ApiSettings
    console: ConsoleSettings
    data_rights: DataRightsSettings
    outbound: OutboundSettings
    events: EventsSettings
    scheduler: SchedulerSettings
    redis: RedisSettings
    handoff: HandoffSettings
    action_server: ActionServerSettings
    observability: ObservabilitySettings
    clock: ClockSettings

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # No .env file nor secrets directory read here: scripts/env.sh and the
        # deployment fill the environment (docs/deployment.md).
        return (init_settings, _Environment(settings_cls))

    @model_validator(mode="before")
    @classmethod
    def _sections_from_one_environment(cls, data: Any) -> Any:
        """A flat mapping of variables (under ``environ``) → each section reads its own."""
        if not isinstance(data, Mapping) or "environ" not in data:
            return data
        environ = cleaned(data["environ"])
        sections = {name: environ for name in section_names(cls)}
        return {**sections, "app_env": environ.get("APP_ENV", "production")}

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build and validate settings from a mapping of environment variables.

        Raises:
            ConfigurationError: every malformed value, each naming its variable; an
                unknown ``APP_ENV`` (unset means production); a missing or placeholder
                ``RASA_TOKEN`` in production.
        """
        try:
            return cls.model_validate({"environ": environ})
        except ValidationError as exc:
            raise configuration_error(exc) from None

    def start_problems(self) -> list[str]:
        """Every reason, in French, why the web app cannot serve (empty: all good)."""
        if self.app_env != "production":
            return []
        problems = self.console.proxy_problems() + self.database.problems(self.app_env)
        for check in (self.outbound.require_twilio, self.outbound.require_telegram):
            try:
                check()
            except ConfigurationError as exc:
                problems.append(str(exc))
        return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read from the environment on first call.

    Raises:
        ConfigurationError: a malformed value (see :meth:`Settings.from_env`).
    """
    try:
        return Settings()  # type: ignore[call-arg]  # the sections come from _Environment
    except ValidationError as exc:
        raise configuration_error(exc) from None
