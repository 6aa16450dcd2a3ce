"""Checking a login and password, with throttling, and auditing every attempt.

Unknown login, disabled account and wrong password get the same French answer
and take the same time (a scrypt verification is always done). After
``CONSOLE_MAX_FAILURES`` (5) wrong passwords in a row an account is locked for
``CONSOLE_LOCK_MINUTES`` (15): a locked account says when to try again. An
address with too many failures is refused for a while (in memory). The caller
commits whatever the outcome: failures are counted and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from policies.hours import PARIS, say_time
from seniorplus.console.accounts import agent_by_login
from seniorplus.console.config import MAX_PASSWORD_CHARS, ConsoleSettings
from seniorplus.console.passwords import burn_time, verify_password
from seniorplus.console.throttle import ADDRESSES, AddressThrottle
from seniorplus.handoff.audit import audit
from seniorplus.handoff.models import Agent

WRONG = "Identifiant ou mot de passe incorrect."
TOO_MANY_FROM_HERE = (
    "Trop de tentatives de connexion depuis ce poste. Patientez quelques minutes avant de "
    "réessayer."
)


def locked_message(until: datetime) -> str:
    """ "… Réessayez après 14 h 32." (Paris time)."""
    return (
        "Ce compte est verrouillé après plusieurs mots de passe incorrects. "
        f"Réessayez après {say_time(until.astimezone(PARIS).time())}."
    )


@dataclass(frozen=True)
class LoginResult:
    """The agent signed in, or the French message to show."""

    agent: Agent | None
    message_fr: str | None = None


def check_credentials(
    session: Session,
    login: str,
    password: str,
    address: str,
    now: datetime,
    settings: ConsoleSettings,
    throttle: AddressThrottle = ADDRESSES,
) -> LoginResult:
    """Check a login form; the result says who signed in or why not."""
    login = login.strip()[:64]
    password = password[: MAX_PASSWORD_CHARS + 1]

    def refuse(agent: Agent | None, reason: str, message: str) -> LoginResult:
        throttle.failed(address, now, settings.ip_window)
        audit(
            session,
            agent,
            "echec_connexion",
            f"agent:{agent.login}" if agent else "",
            {"motif": reason},
            now,
        )
        return LoginResult(None, message)

    if throttle.blocked(address, now, settings.ip_max_failures, settings.ip_window):
        burn_time(password)
        return refuse(None, "trop_de_tentatives_poste", TOO_MANY_FROM_HERE)
    agent = agent_by_login(session, login) if login else None
    if agent is None or not agent.active:
        burn_time(password)
        return refuse(agent, "compte_desactive" if agent else "identifiant_inconnu", WRONG)
    if agent.locked_until is not None and agent.locked_until > now:
        burn_time(password)
        return refuse(agent, "compte_verrouille", locked_message(agent.locked_until))
    if not verify_password(password, agent.password_hash):
        session.execute(
            update(Agent)
            .where(Agent.id == agent.id)
            .values(failed_logins=Agent.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        session.refresh(agent)
        if agent.failed_logins >= settings.max_failures:
            agent.locked_until = now + settings.lock
            agent.failed_logins = 0
            session.flush()
            audit(session, agent, "verrouillage", f"agent:{agent.login}", at=now)
            return refuse(agent, "mot_de_passe", locked_message(agent.locked_until))
        return refuse(agent, "mot_de_passe", WRONG)
    agent.failed_logins = 0
    agent.locked_until = None
    agent.last_login_at = now
    session.flush()
    audit(session, agent, "connexion", f"agent:{agent.login}", at=now)
    return LoginResult(agent)
