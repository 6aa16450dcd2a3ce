"""Console administration and side pages: accounts (pages and command line), demo seed,
mediators' calendars, callbacks, stepping in, the audit journal. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from devtools.seeds import console as seed
from seniorplus.booking.models import MediatorAbsence, MediatorAvailability
from seniorplus.console import accounts
from seniorplus.console.passwords import verify_password
from seniorplus.db import session_scope
from seniorplus.handoff.models import Handoff
from seniorplus.models import CallbackRequest, utcnow
from seniorplus.settings import get_settings
from seniorplus.staff.models import Agent, AgentSession
from tests.unit.agenda_builders import add_clisson_site, add_mediator, add_openings
from tests.unit.console_helpers import (
    PASSWORD,
    FakeVendors,
    Tracker,
    add_agent,
    add_handoff,
    audit_actions,
    client,
    fresh_throttle,
    log_in,
    post,
    signed_in,
    tracker,
    vendors,
)

pytestmark = pytest.mark.usefixtures("database_url", "fresh_throttle")
_ = (fresh_throttle, tracker, vendors)

NEW_PASSWORD = "un autre mot de passe 2026"


def _agent(login: str) -> Agent:
    with session_scope() as session:
        agent = session.scalar(select(Agent).where(Agent.login == login))
        assert agent is not None
        return agent


# --- accounts: pages --------------------------------------------------------------------------


def test_admin_creates_changes_disables_and_resets_accounts() -> None:
    add_agent("admin", "admin", name="Alice Admin")
    admin = signed_in("admin")
    form = {"login": "Marie.D", "name": "Marie Durand", "role": "agent",
            "password": PASSWORD, "password2": PASSWORD}  # fmt: skip
    assert post(admin, "/console/admin/comptes", form).status_code == 303
    marie = _agent("marie.d")
    assert marie.display_name == "Marie Durand" and marie.role == "agent"
    assert verify_password(PASSWORD, marie.password_hash)
    again = post(admin, "/console/admin/comptes", form)
    assert again.status_code == 400 and "Cet identifiant est déjà pris." in again.text
    short = post(admin, "/console/admin/comptes", {**form, "login": "paul", "password": "court",
                                                    "password2": "court"})  # fmt: skip
    assert short.status_code == 400 and "au moins 12 caractères" in short.text
    assert 'value="paul"' in short.text  # what was typed is kept, not the password
    assert (
        post(admin, f"/console/admin/comptes/{marie.id}/role", {"role": "supervisor"}).status_code
        == 303
    )
    assert _agent("marie.d").role == "supervisor"
    marie_browser = signed_in("marie.d")
    assert (
        post(admin, f"/console/admin/comptes/{marie.id}/actif", {"actif": "non"}).status_code == 303
    )
    assert not _agent("marie.d").active
    assert (
        marie_browser.get("/console/", follow_redirects=False).status_code == 303
    )  # session ended
    assert (
        post(admin, f"/console/admin/comptes/{marie.id}/actif", {"actif": "oui"}).status_code == 303
    )
    reset = post(admin, f"/console/admin/comptes/{marie.id}/mot-de-passe",
                 {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})  # fmt: skip
    assert reset.status_code == 303
    assert log_in(client(), "marie.d").status_code == 401  # the old password
    assert log_in(client(), "marie.d", NEW_PASSWORD).status_code == 303
    assert audit_actions("admin") == [
        "connexion", "compte_cree", "role", "compte_desactive", "compte_reactive", "mot_de_passe",
    ]  # fmt: skip


def test_admin_cannot_lock_themselves_out() -> None:
    add_agent("admin", "admin")
    admin = signed_in("admin")
    me = _agent("admin")
    demoted = post(admin, f"/console/admin/comptes/{me.id}/role", {"role": "agent"})
    assert demoted.status_code == 400 and "votre propre rôle" in demoted.text
    disabled = post(admin, f"/console/admin/comptes/{me.id}/actif", {"actif": "non"})
    assert disabled.status_code == 400 and "votre propre compte" in disabled.text
    assert _agent("admin").role == "admin" and _agent("admin").active


# --- accounts: command line and demo seed -----------------------------------------------------


def test_command_line_create_disable_reset(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONSOLE_PASSWORD", PASSWORD)
    get_settings.cache_clear()
    assert (
        accounts.main(["create", "Sophie", "--name", "Sophie Durand", "--role", "supervisor"]) == 0
    )
    assert "Compte créé : sophie (superviseur)." in capsys.readouterr().out
    sophie = _agent("sophie")
    assert sophie.role == "supervisor" and verify_password(PASSWORD, sophie.password_hash)
    assert accounts.main(["create", "sophie", "--name", "Autre"]) == 2
    assert "Cet identifiant est déjà pris." in capsys.readouterr().err
    assert accounts.main(["disable", "sophie"]) == 0 and not _agent("sophie").active
    monkeypatch.setenv("CONSOLE_PASSWORD", "court")
    get_settings.cache_clear()
    assert accounts.main(["reset-password", "sophie"]) == 2
    assert "au moins 12 caractères" in capsys.readouterr().err
    monkeypatch.setenv("CONSOLE_PASSWORD", NEW_PASSWORD)
    get_settings.cache_clear()
    assert accounts.main(["reset-password", "sophie"]) == 0
    assert verify_password(NEW_PASSWORD, _agent("sophie").password_hash)
    assert accounts.main(["disable", "personne"]) == 2


def test_demo_accounts_only_in_dev(monkeypatch: pytest.MonkeyPatch, database_url: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("RASA_TOKEN", "un-vrai-secret-de-production-7f3a")
    for app_env in ("production", "test"):
        monkeypatch.setenv("APP_ENV", app_env)
        get_settings.cache_clear()
        assert seed.main(["--force-dev-postgres"]) == 2
        assert "Refusé" in capsys.readouterr().err
    with session_scope() as session:
        assert session.scalars(select(Agent)).all() == []
    monkeypatch.setenv("APP_ENV", "dev")
    get_settings.cache_clear()
    assert seed.main(["--force-dev-postgres"]) == 0
    assert seed.main(["--force-dev-postgres"]) == 0  # twice: nothing more
    out = capsys.readouterr().out
    assert "/console/" in out and seed.DEMO_PASSWORD in out
    with session_scope() as session:
        roles = {a.login: a.role for a in session.scalars(select(Agent))}
    assert roles == {"camille": "agent", "sophie": "supervisor", "admin": "admin"}
    assert log_in(client(), "sophie", seed.DEMO_PASSWORD).status_code == 303


# --- mediators' calendars ----------------------------------------------------------------------


def test_admin_edits_a_mediators_week_and_absences() -> None:
    add_agent("admin", "admin")
    with session_scope() as session:
        anne = add_mediator(
            session, add_clisson_site(session), "Anne Test", journeys=["apa_domicile"]
        )
        add_openings(session, anne, [0], time(9, 0), time(12, 0))
        mediator_id = anne.id
    admin = signed_in("admin")
    page = admin.get(f"/console/admin/mediateurs?m={mediator_id}")
    assert page.status_code == 200 and "Anne Test" in page.text and "09:00 – 12:00" in page.text
    added = post(admin, f"/console/admin/mediateurs/{mediator_id}/creneaux",
                 {"jour": "2", "debut": "14:00", "fin": "16:30", "duree": "30",
                  "mode_sur_place": "oui", "mode_telephone": "oui"})  # fmt: skip
    assert added.status_code == 303
    wrong = post(admin, f"/console/admin/mediateurs/{mediator_id}/creneaux",
                 {"jour": "2", "debut": "16:00", "fin": "14:00", "duree": "30",
                  "mode_sur_place": "oui"})  # fmt: skip
    assert wrong.status_code == 400 and "L&#39;heure de fin doit venir après" in wrong.text
    with session_scope() as session:
        rows = session.scalars(
            select(MediatorAvailability).order_by(MediatorAvailability.weekday)
        ).all()
        assert [(r.weekday, r.start_time, r.slot_minutes, r.modes) for r in rows] == [
            (0, time(9, 0), 45, "sur_place"), (2, time(14, 0), 30, "sur_place,telephone"),
        ]  # fmt: skip
        monday = rows[0].id
    assert (
        post(
            admin, f"/console/admin/mediateurs/{mediator_id}/creneaux/{monday}/retirer"
        ).status_code
        == 303
    )
    start = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT09:00")
    end = (utcnow() + timedelta(days=9)).strftime("%Y-%m-%dT18:00")
    absent = post(admin, f"/console/admin/mediateurs/{mediator_id}/absences",
                  {"du": start, "au": end, "motif": "congés"})  # fmt: skip
    assert absent.status_code == 303
    with session_scope() as session:
        assert len(session.scalars(select(MediatorAvailability)).all()) == 1
        absence = session.scalars(select(MediatorAbsence)).one()
        assert absence.reason == "congés"
        assert absence.starts_at.astimezone().utcoffset() is not None
    assert "congés" in admin.get(f"/console/admin/mediateurs?m={mediator_id}").text
    assert audit_actions("admin")[-3:] == ["creneau_ajoute", "creneau_retire", "absence_ajoutee"]


# --- callbacks, stepping in, journal --------------------------------------------------------------


def test_callbacks_show_the_call_summary_and_are_marked_done() -> None:
    add_agent("camille")
    caller = "+33240998877"
    add_handoff(caller, channel="voice", reason="appel", summary="Appel de Mme Leroy\nAPA")
    with session_scope() as session:
        session.add(CallbackRequest(phone=caller, reason="out_of_hours", status="waiting"))
        session.add(CallbackRequest(phone="+33240111111", reason="no_answer", status="done"))
    camille = signed_in("camille")
    page = camille.get("/console/rappels")
    assert "Appeler le 02 40 99 88 77" in page.text and "02 40 11 11 11" not in page.text
    assert "A demandé quelqu&#39;un en dehors des heures d&#39;ouverture" in page.text
    assert "Appel de Mme Leroy" in page.text
    with session_scope() as session:
        request_id = (
            session.scalars(select(CallbackRequest).where(CallbackRequest.status == "waiting"))
            .one()
            .id
        )
    assert post(camille, f"/console/rappels/{request_id}/fait").status_code == 303
    with session_scope() as session:
        done = session.get(CallbackRequest, request_id)
        assert done is not None and done.status == "done" and done.handled_at is not None
    assert "Aucun rappel en attente." in camille.get("/console/rappels").text
    assert audit_actions("camille")[-1] == "rappel"


def test_supervisor_steps_into_a_recent_conversation(
    tracker: Tracker, vendors: FakeVendors
) -> None:
    add_agent("sophie", "supervisor", name="Sophie")
    tracker.say("+33611111111", "user", "je cherche une aide <b>ménagère</b>")
    tracker.say("+33622222222", "user", "bonjour")
    sophie = signed_in("sophie")
    page = sophie.get("/console/intervenir")
    assert page.status_code == 200
    assert page.text.index("+336******22") < page.text.index("+336******11")  # newest first
    assert "je cherche une aide &lt;b&gt;ménagère&lt;/b&gt;" in page.text
    response = post(sophie, "/console/intervenir", {"conversation": "+33611111111"})
    assert response.status_code == 303
    with session_scope() as session:
        handoff = session.scalars(select(Handoff)).one()
        assert (handoff.reason, handoff.status) == ("agent", "prise")
    assert response.headers["location"] == f"/console/conversations/{handoff.id}?fait=prise"
    assert vendors.rasa == [("/conversations/+33611111111/tracker/events", "pause")]
    assert "Prendre la main" in sophie.get("/console/intervenir").text  # for the other one


def test_journal_lists_actions_for_supervisors() -> None:
    add_agent("sophie", "supervisor", name="Sophie")
    log_in(client(), "inconnu", "mauvais mot de passe")
    page = signed_in("sophie").get("/console/journal")
    assert page.status_code == 200
    assert "Échec de connexion" in page.text and "Sophie (sophie)" in page.text
    assert "motif : identifiant_inconnu" in page.text
    filtered = signed_in("sophie").get("/console/journal", params={"action": "deconnexion"})
    assert "Aucune action enregistrée." in filtered.text


def test_sessions_of_a_disabled_account_end() -> None:
    add_agent("camille")
    signed_in("camille")
    with session_scope() as session:
        accounts.set_active(session, None, session.scalars(select(Agent)).one(), False)
    with session_scope() as session:
        assert all(s.revoked_at is not None for s in session.scalars(select(AgentSession)))
