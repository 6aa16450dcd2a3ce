"""Retention periods and where the conversation history lives, from the environment.

- ``TRACKER_STORE_URL``: Rasa's tracker store (the conversation history). Empty:
  history is neither exported nor erased from here (the REST tests without it).
- ``CONVERSATION_RETENTION_DAYS`` (default 180): messages older than this are deleted.
- ``CASE_RETENTION_DAYS`` (default 730): a person whose cases are all closed and
  who has not been in touch for this long is anonymised. Two years after the
  last contact is the CNIL's reference for social support records
  (référentiel "durées de conservation", secteur social et médico-social, 2023).
- ``ERASURE_DELAY_S`` (default 120): the history of a person who asked for
  erasure is deleted this long after, once the conversation turn is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from seniorplus.errors import ConfigurationError
from seniorplus.history.transcripts import tracker_store_url
from seniorplus.settings import environment

DEFAULT_CONVERSATION_DAYS = 180
DEFAULT_CASE_DAYS = 730
DEFAULT_ERASURE_DELAY_S = 120


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} doit être un nombre entier (reçu : {raw!r}).") from None
    if value < 1:
        raise ConfigurationError(f"{name} doit être supérieur à zéro.")
    return value


@dataclass(frozen=True)
class DataRightsSettings:
    """Retention and erasure settings."""

    tracker_store_url: str | None = field(default=None, repr=False)  # may hold a password
    conversation_retention_days: int = DEFAULT_CONVERSATION_DAYS
    case_retention_days: int = DEFAULT_CASE_DAYS
    erasure_delay_s: int = DEFAULT_ERASURE_DELAY_S

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DataRightsSettings:
        """Read the settings; raises ConfigurationError on a malformed value."""
        env = environment() if environ is None else environ
        return cls(
            tracker_store_url=tracker_store_url(env),
            conversation_retention_days=_positive_int(
                env, "CONVERSATION_RETENTION_DAYS", DEFAULT_CONVERSATION_DAYS
            ),
            case_retention_days=_positive_int(env, "CASE_RETENTION_DAYS", DEFAULT_CASE_DAYS),
            erasure_delay_s=_positive_int(env, "ERASURE_DELAY_S", DEFAULT_ERASURE_DELAY_S),
        )
