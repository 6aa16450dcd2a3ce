"""Short French names of what a user may want, for "did you mean…" choices."""

from __future__ import annotations

TOPIC_LABELS: dict[str, str] = {
    "ask_apa": "L'aide à l'autonomie (APA)",
    "ask_nursing_home": "Une maison de retraite (EHPAD)",
    "ask_retirement_fund_help": "L'aide de la caisse de retraite",
    "ask_home_adaptation": "Adapter le logement",
    "ask_home_services": "Les services à domicile",
    "ask_caregiver_support": "Les droits de l'aidant",
    "ask_legal_protection": "Tutelle, curatelle",
    "ask_mobility_card": "Carte de stationnement",
    "report_autonomy_loss": "Un proche perd son autonomie",
    "ask_documents": "Les papiers à fournir",
    "ask_cost": "Les montants",
    "start_application": "Faire une demande",
    "check_case_status": "Où en est mon dossier",
    "book_appointment": "Rencontrer un conseiller",
    "cancel_appointment": "Annuler un rendez-vous",
    "reschedule_appointment": "Déplacer un rendez-vous",
    "delete_my_data": "Mes données personnelles",
}

MENU_BUTTON = {"title": "Le menu", "payload": "/help"}
HUMAN_BUTTON = {"title": "Parler à une personne", "payload": "/request_human"}


def clarification_buttons(
    ranking: list[dict[str, object]], limit: int = 2, min_confidence: float = 0.15
) -> list[dict[str, str]]:
    """The likeliest topics from the NLU ranking, then the menu and a person."""
    buttons: list[dict[str, str]] = []
    for candidate in ranking:
        name = str(candidate.get("name", ""))
        confidence = candidate.get("confidence", 0.0)
        score = float(confidence) if isinstance(confidence, int | float) else 0.0
        if name in TOPIC_LABELS and score >= min_confidence:
            buttons.append({"title": TOPIC_LABELS[name], "payload": f"/{name}"})
        if len(buttons) == limit:
            break
    return [*buttons, MENU_BUTTON, HUMAN_BUTTON]


def also_about(title: str) -> str:
    """Said after the answer to a message that names a second need (its journey's title)."""
    return f"Vous parlez aussi de : {title}. Choisissez-le quand vous voulez."
