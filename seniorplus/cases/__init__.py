"""Cases, contacts and their checklist: the service layer (no Rasa import).

Functions take a SQLAlchemy session; the caller owns the transaction
(``seniorplus.db.session_scope``). Invalid input raises :class:`CaseError`,
whose ``message_fr`` can be shown to the user as is. Models are in
:mod:`seniorplus.cases.models`; the schema is migration 0003.
"""

from seniorplus.cases.audit import SYSTEM, case_history, check_actor, record_event
from seniorplus.cases.cases import (
    STATUS_LABELS,
    TRANSITIONS,
    can_see,
    case_by_reference,
    cases_of_contact,
    open_case,
    set_status,
)
from seniorplus.cases.contacts import (
    contact_for_conversation,
    contacts_by_phone,
    is_caregiver_of,
    link_caregiver,
    record_consent,
    record_senior_consent,
    seniors_of,
)
from seniorplus.cases.documents import (
    MarkedDocument,
    case_summary,
    mark_document,
    missing_documents,
)
from seniorplus.cases.errors import CaseError
from seniorplus.cases.references import (
    find_case_reference,
    format_case_reference,
    new_appointment_reference,
    parse_appointment_reference,
    parse_case_reference,
)

__all__ = [
    "STATUS_LABELS",
    "SYSTEM",
    "TRANSITIONS",
    "CaseError",
    "MarkedDocument",
    "can_see",
    "case_by_reference",
    "case_history",
    "case_summary",
    "cases_of_contact",
    "check_actor",
    "contact_for_conversation",
    "contacts_by_phone",
    "find_case_reference",
    "format_case_reference",
    "is_caregiver_of",
    "link_caregiver",
    "mark_document",
    "missing_documents",
    "new_appointment_reference",
    "open_case",
    "parse_appointment_reference",
    "parse_case_reference",
    "record_consent",
    "record_event",
    "record_senior_consent",
    "seniors_of",
    "set_status",
]
