"""Checking a login and password, and auditing every attempt.

Unknown login, disabled account and wrong password get the same French answer
and take the same path (one Argon2 verification is always done). Nothing locks
an account: the login form answers after a progressive delay, per login and per
address (`seniorplus.console.throttle`), and only an address that tried too often
is refused for a while. A right password whose stored hash is old (scrypt) or made
with other parameters is rehashed. Blocking work (hashing, database): call
`check_credentials` from a worker thread. The caller commits whatever the outcome.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from seniorplus.console.accounts import agent_by_login
from seniorplus.console.config import MAX_PASSWORD_CHARS
from seniorplus.console.passwords import burn_time, hash_password, needs_rehash, verify_password
from seniorplus.staff.audit import audit
from seniorplus.staff.models import Agent

logger = logging.getLogger(__name__)

WRONG = "Identifiant ou mot de passe incorrect."
TOO_MANY_FROM_HERE = (
    "Trop de tentatives de connexion depuis ce poste. Patientez quelques minutes avant de "
    "réessayer."
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
    now: datetime,
    *,
    address_blocked: bool = False,
) -> LoginResult:
    """Check a login form; the result says who signed in or why not.

    ``address_blocked``: the address tried too often (the throttle says so); the
    password is then not checked, but the same time is spent.
    """
    login = login.strip()[:64]
    password = password[: MAX_PASSWORD_CHARS + 1]

    def refuse(agent: Agent | None, reason: str, message: str) -> LoginResult:
        audit(
            session,
            agent,
            "echec_connexion",
            f"agent:{agent.login}" if agent else "",
            {"motif": reason},
            now,
        )
        return LoginResult(None, message)

    if address_blocked:
        burn_time(password)
        return refuse(None, "trop_de_tentatives_poste", TOO_MANY_FROM_HERE)
    agent = agent_by_login(session, login) if login else None
    if agent is None or not agent.active:
        burn_time(password)
        return refuse(agent, "compte_desactive" if agent else "identifiant_inconnu", WRONG)
    if not verify_password(password, agent.password_hash):
        return refuse(agent, "mot_de_passe", WRONG)
    if needs_rehash(agent.password_hash):
        agent.password_hash = hash_password(password)
        logger.info("console: password hash of agent %d upgraded to Argon2id", agent.id)
    agent.failed_logins = 0
    agent.locked_until = None
    agent.last_login_at = now
    session.flush()
    audit(session, agent, "connexion", f"agent:{agent.login}", at=now)
    return LoginResult(agent)
