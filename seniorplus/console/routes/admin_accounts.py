"""Administration of console accounts: create, change role, disable, reset a password."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from seniorplus.console.accounts import (
    AccountError,
    change_role,
    create_account,
    list_agents,
    reset_password,
    set_active,
)
from seniorplus.console.deps import Admin, Form, PageNotFound
from seniorplus.console.labels import ROLE_LABELS
from seniorplus.console.render import BASE, notice_of, page
from seniorplus.console.sessions import SignedIn
from seniorplus.db import session_scope
from seniorplus.models import utcnow
from seniorplus.staff.models import ROLES, Agent

router = APIRouter(prefix="/admin")
PAGE = f"{BASE}/admin/comptes"


def accounts_page(
    me: SignedIn,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
    draft: dict[str, str] | None = None,
) -> HTMLResponse:
    with session_scope() as session:
        return page(
            "admin_accounts.html",
            me,
            status_code=status_code,
            title="Comptes de la console",
            nav="comptes",
            notice=notice,
            error=error,
            agents=list_agents(session),
            now=utcnow(),
            roles=[(role, ROLE_LABELS[role]) for role in ROLES],
            draft=draft or {},
        )


@router.get("/comptes", response_class=HTMLResponse)
def accounts(me: Admin, fait: str | None = None) -> HTMLResponse:
    return accounts_page(me, notice=notice_of(fait))


def _target(session: Session, agent_id: int) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise PageNotFound("Ce compte n'existe pas.")
    return agent


def _admin(session: Session, me: SignedIn) -> Agent:
    return _target(session, me.agent_id)


@router.post("/comptes")
def create(me: Admin, form: Form) -> Response:
    password = form.get("password", "")
    try:
        if password != form.get("password2", ""):
            raise AccountError("Les deux mots de passe ne sont pas les mêmes.")
        with session_scope() as session:
            create_account(
                session,
                form.get("login", ""),
                form.get("name", ""),
                form.get("role", ""),
                password,
                by=_admin(session, me),
            )
    except AccountError as error:
        draft = {key: form.get(key, "") for key in ("login", "name", "role")}
        return accounts_page(me, error=error.message_fr, status_code=400, draft=draft)
    return RedirectResponse(f"{PAGE}?fait=compte", status_code=303)


@router.post("/comptes/{agent_id}/role")
def role(agent_id: int, me: Admin, form: Form) -> Response:
    try:
        with session_scope() as session:
            change_role(
                session, _admin(session, me), _target(session, agent_id), form.get("role", "")
            )
    except AccountError as error:
        return accounts_page(me, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?fait=compte", status_code=303)


@router.post("/comptes/{agent_id}/actif")
def active(agent_id: int, me: Admin, form: Form) -> Response:
    try:
        with session_scope() as session:
            target = _target(session, agent_id)
            set_active(session, _admin(session, me), target, form.get("actif") == "oui")
    except AccountError as error:
        return accounts_page(me, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?fait=compte", status_code=303)


@router.post("/comptes/{agent_id}/mot-de-passe")
def password(agent_id: int, me: Admin, form: Form) -> Response:
    new = form.get("password", "")
    try:
        if new != form.get("password2", ""):
            raise AccountError("Les deux mots de passe ne sont pas les mêmes.")
        with session_scope() as session:
            reset_password(session, _admin(session, me), _target(session, agent_id), new)
    except AccountError as error:
        return accounts_page(me, error=error.message_fr, status_code=400)
    return RedirectResponse(f"{PAGE}?fait=mot_de_passe", status_code=303)
