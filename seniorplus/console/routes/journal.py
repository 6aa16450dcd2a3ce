"""The audit log, newest first (supervisors and administrators)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from seniorplus.console.deps import Supervisor
from seniorplus.console.render import page
from seniorplus.db import session_scope
from seniorplus.staff.audit import recent_entries
from seniorplus.staff.models import Agent
from seniorplus.staff.read_audit import READ_LABELS

router = APIRouter()

SHOWN = 300
ACTION_LABELS = {
    "connexion": "Connexion",
    "echec_connexion": "Échec de connexion",
    "deconnexion": "Déconnexion",
    "verrouillage": "Compte verrouillé (mots de passe incorrects)",
    "prise": "Conversation prise",
    "reattribution": "Conversation réattribuée",
    "reponse": "Réponse envoyée",
    "rendue_assistant": "Conversation rendue à l'assistant",
    "cloture": "Conversation close",
    "intervention": "Intervention dans une conversation",
    "piece": "Pièce du dossier mise à jour",
    "statut_dossier": "Statut du dossier changé",
    "rdv_pris": "Rendez-vous pris",
    "rdv_deplace": "Rendez-vous déplacé",
    "rdv_annule": "Rendez-vous annulé",
    "rappel": "Rappel fait",
    "compte_cree": "Compte créé",
    "role": "Rôle changé",
    "compte_desactive": "Compte désactivé",
    "compte_reactive": "Compte réactivé",
    "mot_de_passe": "Mot de passe changé",
    "creneau_ajoute": "Créneau ajouté au calendrier",
    "creneau_retire": "Créneau retiré du calendrier",
    "absence_ajoutee": "Absence ajoutée",
    "absence_retiree": "Absence retirée",
    **READ_LABELS,
}


@dataclass(frozen=True)
class JournalRow:
    at: datetime
    who: str
    action: str
    target: str
    detail: str


def _detail(raw: str) -> str:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return ""
    if not isinstance(value, dict):
        return ""
    return ", ".join(f"{key} : {item}" for key, item in value.items())


@router.get("/journal", response_class=HTMLResponse)
def journal(me: Supervisor, action: str | None = None) -> HTMLResponse:
    with session_scope() as session:
        entries = recent_entries(session, SHOWN)
        if action:
            entries = [entry for entry in entries if entry.action == action]
        ids = {entry.agent_id for entry in entries if entry.agent_id is not None}
        names = (
            {
                agent.id: f"{agent.display_name} ({agent.login})"
                for agent in session.scalars(select(Agent).where(Agent.id.in_(ids)))
            }
            if ids
            else {}
        )
        rows = [
            JournalRow(
                at=entry.at,
                who=names.get(entry.agent_id, "—") if entry.agent_id is not None else "système",
                action=ACTION_LABELS.get(entry.action, entry.action),
                target=entry.target,
                detail=_detail(entry.detail),
            )
            for entry in entries
        ]
    return page(
        "journal.html",
        me,
        title="Journal des actions",
        nav="journal",
        rows=rows,
        actions=sorted(ACTION_LABELS.items(), key=lambda item: item[1]),
        chosen=action or "",
    )
