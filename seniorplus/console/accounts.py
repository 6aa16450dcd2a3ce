"""Console accounts: create, change role, disable, reset a password; and a command line.

Functions take a session; the caller owns the transaction. Every change is
written to the audit log (never a password). ``by`` is the administrator who
acts, or None for the command line (recorded as the system).

Command line::

    python -m seniorplus.console.accounts create <login> --name "Sophie Durand" --role supervisor
    python -m seniorplus.console.accounts disable <login>
    python -m seniorplus.console.accounts enable <login>
    python -m seniorplus.console.accounts reset-password <login>

The password is asked twice on the terminal, or read from ``CONSOLE_PASSWORD``
(scripts). It must have at least 12 characters.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seniorplus.console.passwords import hash_password, password_problem
from seniorplus.console.sessions import revoke_all_of
from seniorplus.db import session_scope
from seniorplus.errors import SeniorPlusError
from seniorplus.models import utcnow
from seniorplus.settings import get_settings
from seniorplus.staff.audit import audit
from seniorplus.staff.models import ROLES, Agent

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,49}$")
ROLE_LABELS = {"agent": "conseiller", "supervisor": "superviseur", "admin": "administrateur"}
MAX_NAME_CHARS = 80


class AccountError(SeniorPlusError):
    """A refused account change; ``message_fr`` can be shown as is."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


def normalise_login(text: str) -> str:
    """The login as stored: stripped, lower case."""
    return text.strip().lower()


def check_login(text: str) -> str:
    """The normalised login, or AccountError (letters, digits, ``. _ @ -``; 2 to 50)."""
    login = normalise_login(text)
    if not LOGIN_RE.fullmatch(login):
        raise AccountError(
            "Identifiant invalide : de 2 à 50 lettres sans accent, chiffres, « . », « _ », "
            "« @ » ou « - », en commençant par une lettre ou un chiffre."
        )
    return login


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError("Ce rôle n'existe pas (conseiller, superviseur ou administrateur).")
    return role


def _check_password(password: str) -> str:
    problem = password_problem(password)
    if problem is not None:
        raise AccountError(problem)
    return password


def agent_by_login(session: Session, login: str) -> Agent | None:
    return session.scalar(select(Agent).where(Agent.login == normalise_login(login)))


def list_agents(session: Session) -> list[Agent]:
    """Every account, active ones first, by name."""
    agents = session.scalars(select(Agent).order_by(Agent.display_name, Agent.login))
    return sorted(agents, key=lambda agent: not agent.active)


def create_account(
    session: Session,
    login: str,
    display_name: str,
    role: str,
    password: str,
    *,
    by: Agent | None = None,
    now: datetime | None = None,
) -> Agent:
    """A new active account.

    Raises:
        AccountError: invalid login, name, role or password, or a login already taken.
    """
    login = check_login(login)
    name = " ".join(display_name.split())
    if not name or len(name) > MAX_NAME_CHARS:
        raise AccountError(f"Indiquez un nom de 1 à {MAX_NAME_CHARS} caractères.")
    _check_role(role)
    _check_password(password)
    now = now or utcnow()
    agent = Agent(
        login=login,
        display_name=name,
        password_hash=hash_password(password),
        role=role,
        active=True,
        failed_logins=0,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(agent)
    except IntegrityError:
        raise AccountError("Cet identifiant est déjà pris.") from None
    audit(session, by, "compte_cree", f"agent:{login}", {"role": role}, now)
    return agent


def _not_self(by: Agent | None, target: Agent, message_fr: str) -> None:
    if by is not None and by.id == target.id:
        raise AccountError(message_fr)


def change_role(
    session: Session, by: Agent | None, target: Agent, role: str, now: datetime | None = None
) -> bool:
    """Give ``target`` another role; False when it already had it.

    Raises:
        AccountError: unknown role, or an administrator demoting themselves.
    """
    _check_role(role)
    if target.role == role:
        return False
    _not_self(by, target, "Vous ne pouvez pas changer votre propre rôle.")
    previous, target.role = target.role, role
    session.flush()
    audit(session, by, "role", f"agent:{target.login}", {"de": previous, "a": role}, now)
    return True


def set_active(
    session: Session, by: Agent | None, target: Agent, active: bool, now: datetime | None = None
) -> bool:
    """Disable (its sessions end at once) or enable an account; False if nothing changed.

    Raises:
        AccountError: an administrator disabling themselves.
    """
    if target.active == active:
        return False
    _not_self(by, target, "Vous ne pouvez pas désactiver votre propre compte.")
    now = now or utcnow()
    target.active = active
    session.flush()
    if not active:
        revoke_all_of(session, target.id, now)
    action = "compte_reactive" if active else "compte_desactive"
    audit(session, by, action, f"agent:{target.login}", at=now)
    return True


def reset_password(
    session: Session, by: Agent | None, target: Agent, password: str, now: datetime | None = None
) -> None:
    """Set a new password, unlock the account and end its sessions.

    Raises:
        AccountError: the password is too short or too long.
    """
    _check_password(password)
    now = now or utcnow()
    target.password_hash = hash_password(password)
    target.failed_logins = 0
    target.locked_until = None
    session.flush()
    revoke_all_of(session, target.id, now)
    audit(session, by, "mot_de_passe", f"agent:{target.login}", at=now)


# --- command line ----------------------------------------------------------------------


def _password_from_terminal() -> str:
    from_env = get_settings().console.password  # CONSOLE_PASSWORD
    if from_env:
        return from_env
    first = getpass.getpass("Mot de passe (12 caractères au moins) : ")
    if getpass.getpass("Le même mot de passe, encore : ") != first:
        raise AccountError("Les deux mots de passe ne sont pas les mêmes.")
    return first


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m seniorplus.console.accounts",
        description="Comptes de la console des conseillers.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="créer un compte")
    create.add_argument("login")
    create.add_argument("--name", required=True, help="nom affiché (« Sophie Durand »)")
    create.add_argument("--role", choices=ROLES, default="agent")
    for name, text in (
        ("disable", "désactiver un compte"),
        ("enable", "réactiver un compte"),
        ("reset-password", "changer le mot de passe"),
    ):
        commands.add_parser(name, help=text).add_argument("login")
    return parser


def _run(args: argparse.Namespace) -> str:
    with session_scope() as session:
        if args.command == "create":
            agent = create_account(
                session, args.login, args.name, args.role, _password_from_terminal()
            )
            return f"Compte créé : {agent.login} ({ROLE_LABELS[agent.role]})."
        target = agent_by_login(session, args.login)
        if target is None:
            raise AccountError("Aucun compte n'a cet identifiant.")
        if args.command == "reset-password":
            reset_password(session, None, target, _password_from_terminal())
            return f"Mot de passe changé pour {target.login} ; ses sessions sont fermées."
        changed = set_active(session, None, target, args.command == "enable")
        state = "actif" if target.active else "désactivé"
        return f"Compte {target.login} {state}." if changed else f"Rien à faire : déjà {state}."


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; 0 on success, 2 on a refused change."""
    args = _parser().parse_args(argv)
    try:
        print(_run(args))
    except AccountError as error:
        print(error.message_fr, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
