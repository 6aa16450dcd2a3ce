"""Where the consumer reads: the ``events`` section of the settings (EVENT_BROKER_*, which
Rasa reads too, bot/endpoints.yml), turned into the consumer's connection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from seniorplus.errors import ConfigurationError
from seniorplus.settings import EventsSettings, get_settings

DEAD_LETTER_SUFFIX = ".dead"


def broker_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether Rasa publishes its events (``EVENT_BROKER_TYPE=pika``) for the consumer to read.

    The console's live view trusts ``conversation_activity`` only then; otherwise it
    reads the tracker store as before (dev, where the broker is off).
    """
    return _events(env).enabled


def amqp_url(host: str, port: int, username: str, password: str) -> str:
    """The AMQP URL Rasa's PikaEventBroker connects to: ``host`` or ``amqp(s)://host[/vhost]``."""
    credentials = f"{quote(username, safe='')}:{quote(password, safe='')}"
    if not host.startswith("amqp"):
        return f"amqp://{credentials}@{host}:{port}/"
    parts = urlsplit(host)
    hostname = parts.netloc.rpartition("@")[2]
    if ":" not in hostname:
        hostname = f"{hostname}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{credentials}@{hostname}{parts.path or '/'}{query}"


@dataclass(frozen=True)
class ConsumerSettings:
    """The consumer's connection, exchange, queues and batch size."""

    url: str
    exchange: str
    queue: str
    prefetch: int = 200
    batch: int = 100

    @property
    def dead_letter_queue(self) -> str:
        return self.queue + DEAD_LETTER_SUFFIX

    def __repr__(self) -> str:  # never the password
        return f"ConsumerSettings(exchange={self.exchange!r}, queue={self.queue!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ConsumerSettings:
        """Read the settings; `ConfigurationError` when the broker is off or incomplete."""
        events = _events(env)
        if not events.enabled:
            raise ConfigurationError(
                "EVENT_BROKER_TYPE n'est pas « pika » : Rasa ne publie aucun événement, "
                "le consommateur n'a rien à lire (voir .env.example)."
            )
        missing = events.missing()
        if missing or events.port is None:
            raise ConfigurationError(f"Variables manquantes : {', '.join(missing)}")
        url = amqp_url(events.host, events.port, events.username, events.password)
        return cls(url=url, exchange=events.exchange, queue=events.queue)


def _events(env: Mapping[str, str] | None) -> EventsSettings:
    """The section of this process, or of ``env`` when given (tests)."""
    return get_settings().events if env is None else EventsSettings.from_env(env)
