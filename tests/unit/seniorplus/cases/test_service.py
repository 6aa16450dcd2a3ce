"""Case services on SQLite and PostgreSQL: opening, checklist, ticking, access, status, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from seniorplus.cases import (
    CaseError,
    case_by_reference,
    case_history,
    case_summary,
    cases_of_contact,
    contact_for_conversation,
    link_caregiver,
    mark_document,
    open_case,
    set_status,
)
from seniorplus.cases.models import Case, CaseDocument, CaseEvent, Contact
from seniorplus.db import session_scope
from seniorplus.journeys import load_all

pytestmark = pytest.mark.usefixtures("database_url")
SENIOR = "+33612345678"
OTHER = "+33698765432"
APA_DOCUMENTS = [document.id for document in load_all()["apa_domicile"].documents]


def _open(conversation_id: str = SENIOR, journey: str = "apa_domicile") -> tuple[int, str]:
    with session_scope() as session:
        person = contact_for_conversation(session, conversation_id, "sms")
        case, created = open_case(session, person, person, journey, person.actor)
        assert created
        return case.id, case.reference


def _events(case_id: int, action: str | None = None) -> list[CaseEvent]:
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    if action is not None:
        query = query.where(CaseEvent.action == action)
    with session_scope() as session:
        return list(session.scalars(query))


def test_open_case_builds_the_checklist_and_an_audit_event() -> None:
    case_id, reference = _open()
    assert reference.startswith("SP-20") and len(reference) == len("SP-2026-000001")
    assert reference.endswith("-000001")
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert [d.document_id for d in case.documents] == APA_DOCUMENTS
        assert {d.status for d in case.documents} == {"a_fournir"}
        assert case.status == "ouvert"
        assert case.opened_by_id == case.for_id
    [event] = _events(case_id)
    assert event.action == "ouverture"
    assert event.actor.startswith("contact:")
    assert event.details == {"journey": "apa_domicile", "reference": reference}


def test_opening_twice_returns_the_same_case() -> None:
    case_id, reference = _open()
    with session_scope() as session:
        person = contact_for_conversation(session, SENIOR, "sms")
        again, created = open_case(session, person, person, "apa_domicile", person.actor)
        assert (again.id, again.reference, created) == (case_id, reference, False)
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(CaseDocument)) == len(APA_DOCUMENTS)
    assert len(_events(case_id)) == 1  # no second "ouverture"


def test_references_follow_each_other_and_another_journey_is_another_case() -> None:
    _, first = _open()
    _, second = _open(journey="ehpad")
    _, third = _open(OTHER)
    assert [r[-6:] for r in (first, second, third)] == ["000001", "000002", "000003"]


def test_a_closed_case_lets_the_journey_start_again() -> None:
    case_id, _ = _open()
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert set_status(session, case, "clos", "agent:3")
        assert case.closed_at is not None
    new_id, new_reference = _open()
    assert new_id != case_id and new_reference.endswith("000002")


def test_unknown_journey_is_refused_in_french() -> None:
    with session_scope() as session:
        person = contact_for_conversation(session, SENIOR, "sms")
        with pytest.raises(CaseError, match="démarche"):
            open_case(session, person, person, "inconnue", person.actor)


def test_caregiver_opens_for_a_linked_senior_only() -> None:
    with session_scope() as session:
        daughter = contact_for_conversation(session, "tg4242", "telegram")
        assert daughter.telegram_chat_id == "4242" and daughter.phone is None
        stranger = contact_for_conversation(session, OTHER, "sms")
        with pytest.raises(CaseError):
            open_case(session, daughter, stranger, "apa_domicile", daughter.actor)
        link = link_caregiver(session, daughter, None, "Mère")
        assert link.relationship == "mère"
        assert link_caregiver(session, daughter, "", "mère").id == link.id  # same "ma mère"
        mother = session.get(Contact, link.senior_id)
        assert mother is not None and mother.conversation_id is None
        case, created = open_case(session, daughter, mother, "apa_domicile", daughter.actor)
        assert created and case.opened_by_id == daughter.id and case.for_id == mother.id
        assert [c.id for c in cases_of_contact(session, daughter)] == [case.id]
        assert cases_of_contact(session, stranger) == []


def test_someone_elses_case_and_an_unknown_reference_look_the_same() -> None:
    _, reference = _open()
    with session_scope() as session:
        owner = contact_for_conversation(session, SENIOR, "sms")
        stranger = contact_for_conversation(session, OTHER, "sms")
        typed = reference.lower().replace("-", " ")
        found = case_by_reference(session, typed, owner)
        assert found is not None and found.reference == reference
        assert case_by_reference(session, reference, stranger) is None
        assert case_by_reference(session, "SP-2026-999999", owner) is None
        assert case_by_reference(session, "n'importe quoi", owner) is None
        # Once linked as a caregiver, the stranger may see it.
        link_caregiver(session, stranger, owner, "père")
        assert case_by_reference(session, reference, stranger) is not None


def test_ticking_documents_by_words_is_idempotent() -> None:
    case_id, _ = _open()
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        said = "j'ai l'avis d'imposition et le RIB"
        marked = mark_document(session, case, said, "recu", "contact:1")
        assert [(m.document_id, m.changed) for m in marked] == [
            ("avis_imposition", True),
            ("rib", True),
        ]
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        again = mark_document(session, case, "j'ai le rib", "recu", "contact:1")
        assert [(m.document_id, m.status, m.changed) for m in again] == [("rib", "recu", False)]
        assert mark_document(session, case, "j'ai la recette du gâteau", "recu", "system") == []
        with pytest.raises(CaseError, match="manque"):
            mark_document(session, case, "je n'ai pas la taxe foncière", "recu", "system")
        summary = case_summary(case)
    events = _events(case_id, "piece")
    assert [e.details for e in events] == [
        {"document": "avis_imposition", "from": "a_fournir", "to": "recu"},
        {"document": "rib", "from": "a_fournir", "to": "recu"},
    ]
    assert [d["id"] for d in summary["missing_documents"]] == [
        "identite",
        "titre_sejour",
        "taxe_fonciere",
        "jugement",
    ]
    assert [d["id"] for d in summary["received_documents"]] == ["avis_imposition", "rib"]


def test_summary_in_french_with_the_next_step() -> None:
    case_id, reference = _open()
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        summary = case_summary(case)
        assert summary["reference"] == reference
        assert summary["journey_title"] == "L'APA à domicile"
        assert summary["status_label"] == "ouvert"
        assert summary["next_step"] == {"id": "papiers", "title": "Joindre les papiers"}
        for document_id in APA_DOCUMENTS:
            mark_document(session, case, document_id, "recu", "agent:3")
        set_status(session, case, "en_cours", "agent:3")
        summary = case_summary(case)
    assert summary["missing_documents"] == []
    assert summary["status_label"] == "en cours de traitement"
    assert summary["next_step"] == {"id": "envoi", "title": "Envoyer le dossier"}


def test_status_transitions_valid_and_refused() -> None:
    case_id, _ = _open()
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        with pytest.raises(CaseError, match="ne peut pas passer"):
            set_status(session, case, "complet", "agent:3")  # ouvert → complet skips en_cours
        with pytest.raises(CaseError, match="n'existe pas"):
            set_status(session, case, "perdu", "agent:3")
        assert set_status(session, case, "en_cours", "agent:3")
        assert not set_status(session, case, "en_cours", "agent:3")  # already: no event
        assert set_status(session, case, "en_attente", "agent:3")
        assert set_status(session, case, "complet", "agent:3")
        assert set_status(session, case, "clos", "agent:3")
        with pytest.raises(CaseError, match="clos"):
            set_status(session, case, "en_cours", "agent:3")
        with pytest.raises(CaseError, match="clos"):
            mark_document(session, case, "rib", "recu", "agent:3")
        assert case_summary(case)["next_step"] is None
        history = [(e.action, e.details.get("to")) for e in case_history(session, case)]
    assert history == [
        ("ouverture", None),
        ("statut", "en_cours"),
        ("statut", "en_attente"),
        ("statut", "complet"),
        ("statut", "clos"),
    ]


def test_a_refused_change_leaves_nothing_behind() -> None:
    """An action catches the CaseError and its transaction commits: nothing half-done."""
    case_id, _ = _open()
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None
        with pytest.raises(CaseError):
            set_status(session, case, "en_cours", "pirate")  # actor badly formed
        with pytest.raises(CaseError):
            mark_document(session, case, "rib", "recu", "")
        person = contact_for_conversation(session, OTHER, "sms")
        with pytest.raises(CaseError):
            open_case(session, person, person, "ehpad", "quelqu'un")
    with session_scope() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.status == "ouvert"
        assert {d.status for d in case.documents} == {"a_fournir"}
        assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert len(_events(case_id)) == 1


def test_contact_for_conversation_finds_by_phone_and_checks_input() -> None:
    with session_scope() as session:
        first = contact_for_conversation(session, SENIOR, "voice")
        assert first.phone == SENIOR and first.preferred_channel == "voice"
        assert contact_for_conversation(session, f" {SENIOR} ", "sms").id == first.id
        web = contact_for_conversation(session, "a1b2c3", "rest")
        assert web.phone is None and web.telegram_chat_id is None
        with pytest.raises(CaseError):
            contact_for_conversation(session, SENIOR, "fax")
        with pytest.raises(CaseError):
            contact_for_conversation(session, "  ", "sms")
        with pytest.raises(CaseError):
            link_caregiver(session, first, first, "mère")
