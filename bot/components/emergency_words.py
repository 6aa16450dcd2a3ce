"""Words that mean danger now: they must reach the emergency answer whatever the model says.

A statistical classifier can miss "je veux mourir" once in a while; a person in
danger must never get a menu instead of the 15, 112 and 3977 numbers. These
patterns are deliberately narrow (danger happening now, abuse, suicidal words)
and are matched on text without accents or case.
"""

from __future__ import annotations

import re
import unicodedata

_PATTERNS = [
    # Suicidal words, of the senior or of an exhausted caregiver.
    r"\b(?:envie de|veux|vais|voudrais|prefere(?:rais)?) (?:mourir|en finir|me tuer|disparaitre)\b",
    r"\bsuicid",
    r"\bme (?:tuer|suicider|foutre en l air|jeter (?:sous|par))\b",
    r"\bfaire une betise\b",
    r"\ben finir avec (?:la vie|tout)\b",
    # Someone on the floor who cannot get up, unconscious, not breathing.
    r"\b(?:par terre|au sol)\b.*\b(?:relever|lever|bouge)",
    r"\b(?:peut|arrive) (?:pas|plus) a se relever\b",
    r"\binconscient",
    r"\bevanoui",
    r"\bne (?:respire|repond|bouge) (?:plus|pas)\b",
    r"\brespire (?:mal|plus)\b",
    r"\bdu mal a respirer\b",
    r"\bs etouffe\b",
    r"\bmal (?:a|dans) la poitrine\b",
    r"\bdouleur (?:a|dans) la poitrine\b",
    r"\bavc\b",
    r"\bsaigne\b",
    r"\bodeur de gaz\b",
    r"\bau feu\b",
    r"\bincendie\b",
    # Violence, abuse, neglect happening now.
    r"\bmaltrait",
    r"\b(?:le|la|me|nous) (?:frappe|bat|battent|frappent)\b",
    r"\b(?:coups|violence|violent)\b",
    r"\bbouscule\b",
    r"\b(?:me|nous) menac",  # "il me menace si je parle", "ils nous menacent"
    r"\b(?:me|nous|lui) (?:prend|prennent|vole|volent) (?:tout )?(?:mon|notre|son) argent\b",
    # A person with dementia lost right now.
    r"\b(?:a|est) (?:disparu|introuvable)\b",
    r"\bs est perdu(?:e)?\b",
]
_EMERGENCY = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def simplify(text: str) -> str:
    """Lowercase, no accents, apostrophes and punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def sounds_like_emergency(text: str) -> bool:
    """True when the message holds words of danger now, abuse or suicide."""
    return bool(_EMERGENCY.search(simplify(text)))
