"""Demo console accounts for development: ``python -m devtools.seeds.console``.

Three accounts, all with the documented password `DEMO_PASSWORD`: ``camille``
(agent), ``sophie`` (supervisor), ``admin`` (administrator). Only with
``APP_ENV=dev`` — never in production or tests — and on the embedded SQLite
database unless ``--force-dev-postgres`` is given. Running it again creates only
what is missing (a changed password is kept). It prints the console's address
and the accounts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from seniorplus.console.accounts import agent_by_login, create_account
from seniorplus.db import get_engine, session_scope
from seniorplus.settings import Settings, get_settings

DEMO_PASSWORD = "console-demo-2026"
DEMO_ACCOUNTS = (
    ("camille", "Camille Martin (démo)", "agent"),
    ("sophie", "Sophie Durand (démo)", "supervisor"),
    ("admin", "Administratrice (démo)", "admin"),
)


class SeedRefused(Exception):
    """Not a development database: the demo accounts do not go there."""


def check_target(settings: Settings, force_dev_postgres: bool = False) -> None:
    """Raises SeedRefused (French) outside dev, or on PostgreSQL without the flag."""
    if settings.app_env != "dev":
        raise SeedRefused(
            f"Refusé : APP_ENV={settings.app_env}. Les comptes de démonstration (mot de passe "
            "connu) ne sont créés qu'en développement."
        )
    if not settings.database.is_sqlite and not force_dev_postgres:
        raise SeedRefused(
            "Refusé : la base n'est pas la base SQLite embarquée. Pour une base PostgreSQL "
            "de développement, ajoutez --force-dev-postgres."
        )


def seed(session: Session) -> list[str]:
    """Create the missing demo accounts; the logins created."""
    created = []
    for login, name, role in DEMO_ACCOUNTS:
        if agent_by_login(session, login) is None:
            create_account(session, login, name, role, DEMO_PASSWORD)
            created.append(login)
    return created


def banner(web_port: str) -> str:
    accounts = ", ".join(f"{login} ({role})" for login, _, role in DEMO_ACCOUNTS)
    return (
        f"Console des conseillers : http://127.0.0.1:{web_port}/console/\n"
        f"  comptes de démonstration : {accounts} ; mot de passe : {DEMO_PASSWORD}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.seeds.console",
        description="Crée les comptes de démonstration de la console (développement seulement).",
    )
    parser.add_argument(
        "--force-dev-postgres",
        action="store_true",
        help="accepter une base PostgreSQL de développement (jamais en production)",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        check_target(settings, args.force_dev_postgres)
    except SeedRefused as exc:
        print(exc, file=sys.stderr)
        return 2
    if not inspect(get_engine()).has_table("agents"):
        print("La base n'a pas les tables de la console : lancez d'abord « make migrate ».")
        return 1
    with session_scope() as session:
        seed(session)
    print(banner(os.environ.get("WEB_PORT", "8000")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
