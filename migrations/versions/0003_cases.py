"""Contacts, caregiver links, cases with their checklist and history, mediators and
their agenda, appointments, and persisted jobs (reminders, retention).

Two partial unique indexes carry the concurrency rules: one non-closed case per
person and journey, and one reserved appointment per mediator and start time.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_CASE = sa.text("status <> 'clos'")
RESERVED = sa.text("status = 'reserve'")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, cascade: bool = False) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns), unique=False)


def upgrade() -> None:
    op.create_table(
        "contacts",
        _id(),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("telegram_chat_id", sa.String(length=32), nullable=True),
        sa.Column("conversation_id", sa.String(length=128), nullable=True),
        sa.Column("display_name", sa.String(length=80), nullable=True),
        sa.Column("preferred_channel", sa.String(length=16), nullable=True),
        _when("consent_at", nullable=True),
        sa.Column("notice_version", sa.String(length=16), nullable=True),
        _when("created_at"),
        _when("erased_at", nullable=True),
        sa.CheckConstraint(
            "preferred_channel IN ('sms', 'voice', 'telegram', 'rest')",
            name=op.f("ck_contacts_preferred_channel"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("phone", name=op.f("uq_contacts_phone")),
        sa.UniqueConstraint("telegram_chat_id", name=op.f("uq_contacts_telegram_chat_id")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_contacts_conversation_id")),
    )
    op.create_table(
        "caregiver_links",
        _id(),
        sa.Column("caregiver_id", sa.Integer(), nullable=False),
        sa.Column("senior_id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(length=32), nullable=False),
        _when("senior_consent_at", nullable=True),
        _when("created_at"),
        sa.CheckConstraint("caregiver_id <> senior_id", name=op.f("ck_caregiver_links_not_self")),
        _fk("caregiver_links", "caregiver_id", "contacts"),
        _fk("caregiver_links", "senior_id", "contacts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caregiver_links")),
        sa.UniqueConstraint(
            "caregiver_id", "senior_id", name=op.f("uq_caregiver_links_caregiver_id_senior_id")
        ),
    )
    _index("caregiver_links", "caregiver_id")
    _index("caregiver_links", "senior_id")
    op.create_table(
        "case_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "cases",
        _id(),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("journey", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("for_id", sa.Integer(), nullable=False),
        _when("opened_at"),
        _when("updated_at"),
        _when("closed_at", nullable=True),
        sa.CheckConstraint(
            "status IN ('ouvert', 'en_cours', 'en_attente', 'complet', 'clos')",
            name=op.f("ck_cases_status"),
        ),
        _fk("cases", "opened_by_id", "contacts"),
        _fk("cases", "for_id", "contacts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    for column in ("journey", "status", "opened_by_id", "for_id"):
        _index("cases", column)
    op.create_index(
        op.f("uq_cases_open_per_journey"),
        "cases",
        ["for_id", "journey"],
        unique=True,
        sqlite_where=OPEN_CASE,
        postgresql_where=OPEN_CASE,
    )
    op.create_table(
        "case_documents",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("updated_at"),
        sa.CheckConstraint(
            "status IN ('a_fournir', 'recu', 'non_concerne')",
            name=op.f("ck_case_documents_status"),
        ),
        _fk("case_documents", "case_id", "cases", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_documents")),
        sa.UniqueConstraint(
            "case_id", "document_id", name=op.f("uq_case_documents_case_id_document_id")
        ),
    )
    op.create_table(
        "case_events",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        _when("at"),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        _fk("case_events", "case_id", "cases", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    _index("case_events", "case_id")
    _upgrade_agenda()


def _upgrade_agenda() -> None:
    op.create_table(
        "sites",
        _id(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("commune", sa.String(length=80), nullable=False),
        sa.Column("postcode", sa.String(length=5), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
    )
    _index("sites", "commune")
    op.create_table(
        "mediators",
        _id(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("modes", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _fk("mediators", "site_id", "sites"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediators")),
    )
    _index("mediators", "site_id")
    op.create_table(
        "mediator_skills",
        _id(),
        sa.Column("mediator_id", sa.Integer(), nullable=False),
        sa.Column("journey", sa.String(length=64), nullable=False),
        _fk("mediator_skills", "mediator_id", "mediators", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediator_skills")),
        sa.UniqueConstraint(
            "mediator_id", "journey", name=op.f("uq_mediator_skills_mediator_id_journey")
        ),
    )
    _index("mediator_skills", "journey")
    op.create_table(
        "mediator_availabilities",
        _id(),
        sa.Column("mediator_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("modes", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_mediator_availabilities_weekday")
        ),
        sa.CheckConstraint(
            "start_time < end_time", name=op.f("ck_mediator_availabilities_time_order")
        ),
        sa.CheckConstraint(
            "slot_minutes > 0", name=op.f("ck_mediator_availabilities_slot_minutes")
        ),
        _fk("mediator_availabilities", "mediator_id", "mediators", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediator_availabilities")),
    )
    _index("mediator_availabilities", "mediator_id")
    op.create_table(
        "mediator_absences",
        _id(),
        sa.Column("mediator_id", sa.Integer(), nullable=False),
        _when("starts_at"),
        _when("ends_at"),
        sa.Column("reason", sa.String(length=120), nullable=True),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_mediator_absences_time_order")),
        _fk("mediator_absences", "mediator_id", "mediators", cascade=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediator_absences")),
    )
    _index("mediator_absences", "mediator_id")
    op.create_table(
        "appointments",
        _id(),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("mediator_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        _when("starts_at"),
        _when("ends_at"),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("booked_by", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("cancelled_at", nullable=True),
        sa.CheckConstraint(
            "status IN ('reserve', 'annule', 'effectue')", name=op.f("ck_appointments_status")
        ),
        sa.CheckConstraint(
            "mode IN ('sur_place', 'telephone', 'domicile')", name=op.f("ck_appointments_mode")
        ),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_appointments_time_order")),
        _fk("appointments", "mediator_id", "mediators"),
        _fk("appointments", "contact_id", "contacts"),
        _fk("appointments", "case_id", "cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("reference", name=op.f("uq_appointments_reference")),
    )
    for column in ("mediator_id", "contact_id", "case_id"):
        _index("appointments", column)
    op.create_index(
        op.f("uq_appointments_reserved_slot"),
        "appointments",
        ["mediator_id", "starts_at"],
        unique=True,
        sqlite_where=RESERVED,
        postgresql_where=RESERVED,
    )
    op.create_table(
        "scheduled_jobs",
        _id(),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        _when("run_at"),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("created_at"),
        _when("locked_at", nullable=True),
        _when("done_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('en_attente', 'en_cours', 'fait', 'echec', 'annule')",
            name=op.f("ck_scheduled_jobs_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_jobs")),
        sa.UniqueConstraint("key", name=op.f("uq_scheduled_jobs_key")),
    )
    _index("scheduled_jobs", "status", "run_at")


def downgrade() -> None:
    # Tables dropped children first; their indexes go with them.
    for table in (
        "scheduled_jobs",
        "appointments",
        "mediator_absences",
        "mediator_availabilities",
        "mediator_skills",
        "mediators",
        "sites",
        "case_events",
        "case_documents",
        "cases",
        "case_counters",
        "caregiver_links",
        "contacts",
    ):
        op.drop_table(table)
