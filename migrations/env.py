"""Alembic environment: the URL comes from `-x url=...`, else from the app settings."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

# Each import registers its tables on Base.metadata.
import seniorplus.booking.models  # sites, mediators, agenda, appointments (0003)
import seniorplus.cases.models  # cases, contacts (0003)
import seniorplus.data_rights.identity  # one-time codes (0006)
import seniorplus.events.models  # event consumer (0007)
import seniorplus.handoff.models  # handoffs, replies (0004)
import seniorplus.jobs.models  # the job queue (0003)
import seniorplus.models  # privacy notices, channel state (0001, 0002)
import seniorplus.staff.models  # noqa: F401  agents, sessions, audit log (0004)
from seniorplus.db import Base, make_engine
from seniorplus.settings import get_settings, normalize_database_url

config = context.config

# Programmatic callers (tests) set this to False to keep their own logging.
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def database_url() -> str:
    """`-x url=...` wins over DATABASE_URL from the settings."""
    override = context.get_x_argument(as_dictionary=True).get("url")
    return normalize_database_url(override or get_settings().database.url)


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`)."""
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against a live connection."""
    url = database_url()
    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
