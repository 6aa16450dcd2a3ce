"""Which papers of a checklist a sentence names ("j'ai le rib", "la carte d'identité c'est bon").

Pure. Text and keywords are compared lowercased, without accents or punctuation,
word by word, with a final "s" or "x" dropped (plurals). Each journey document
id has keywords below; a document without keywords falls back on its label's
head ("Le livret de famille" → "livret de famille"). When two documents match
on overlapping words, the longer match wins: "relevé d'identité bancaire" is the
RIB, not the identity card. A clause with a negation ("je n'ai pas le rib", "il
manque la taxe foncière") names a missing paper, not a received one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from policies.questions import normalise

# Keywords per journey document id (data/journeys/*.yml), as people say them.
KEYWORDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "identite": ("carte d'identité", "pièce d'identité", "identité", "passeport", "cni",
                 "livret de famille", "acte de naissance"),
    "identite_personne": ("sa carte d'identité", "sa pièce d'identité", "son passeport",
                          "identité de mon proche", "identité de ma mère",
                          "identité de mon père", "identité de mon mari",
                          "identité de ma femme", "identité de la personne"),
    "identite_demandeur": ("ma carte d'identité", "ma pièce d'identité", "mon passeport",
                           "mon identité"),
    "titre_sejour": ("titre de séjour", "carte de séjour", "carte de résident"),
    "avis_imposition": ("avis d'imposition", "avis d'impôt", "non-imposition", "impôts",
                        "feuille d'impôt", "déclaration de revenus"),
    "taxe_fonciere": ("taxe foncière", "foncière", "foncier"),
    "rib": ("rib", "relevé d'identité bancaire", "coordonnées bancaires"),
    "jugement": ("jugement", "tutelle", "curatelle"),
    "jugement_protection": ("jugement", "tutelle", "curatelle", "protection"),
    "justificatif_autonomie": ("gir", "évaluation", "taux d'incapacité", "pch"),
    "titre_propriete": ("titre de propriété", "acte de propriété", "justificatif de propriété",
                        "acte notarié"),
    "accord_proprietaire": ("accord du propriétaire", "accord de mon propriétaire",
                            "autorisation du propriétaire", "accord écrit"),
    "devis": ("devis",),
    "factures": ("factures",),
    "formulaire_apa": ("16301", "formulaire d'aides à l'autonomie", "formulaire apa",
                       "formulaire de l'apa", "formulaire pour l'apa"),
    "formulaire_mdph": ("15692", "formulaire mdph", "formulaire de la mdph",
                        "formulaire pour la mdph"),
    "certificat_mdph": ("15695", "certificat médical", "certificat mdph",
                        "certificat du médecin"),
    "domicile": ("justificatif de domicile", "facture d'électricité", "facture de gaz",
                 "quittance de loyer", "preuve d'adresse"),
    "lettre_employeur": ("lettre à mon employeur", "lettre à l'employeur",
                         "lettre pour mon employeur", "courrier à mon employeur",
                         "demande de congé"),
    "certificat_urgence": ("certificat médical", "certificat d'urgence",
                           "attestation de l'établissement"),
    "accord_employeur": ("accord de mon employeur", "accord de l'employeur",
                         "réponse de mon employeur", "accord pour le congé"),
    "justificatif_aide": ("décision d'apa", "notification d'apa", "gir", "taux d'incapacité",
                          "preuve du besoin d'aide"),
    "livret_famille": ("livret de famille",),
    "carte_vitale": ("carte vitale", "attestation vitale", "sécurité sociale"),
    "mutuelle": ("mutuelle", "complémentaire santé"),
    "pensions": ("relevés de retraite", "pensions", "retraite"),
    "decisions_aides": ("décision d'apa", "notification d'apa", "aide sociale"),
    "assurance": ("assurance", "responsabilité civile"),
    "liste_famille": ("liste des enfants", "liste de la famille", "adresses des enfants"),
    "revenus_biens": ("épargne", "relevés bancaires", "relevés de compte", "patrimoine",
                      "papiers sur les revenus"),
    "formulaire_mandat": ("13592", "mandat de protection future", "formulaire de mandat",
                          "mandat"),
    "certificat_medical": ("certificat médical", "certificat circonstancié", "certificat"),
    "formulaire_15891": ("15891", "formulaire de demande au juge", "formulaire du juge",
                         "formulaire pour le juge"),
    "acte_naissance": ("acte de naissance", "extrait de naissance", "copie intégrale"),
    "expose_faits": ("texte court", "exposé", "explication de la situation",
                     "texte qui explique"),
    "coordonnees_famille": ("noms et adresses", "adresses de la famille",
                            "coordonnées de la famille"),
    "formulaire_14919": ("14919", "formulaire de renouvellement", "renouvellement",
                         "révision"),
    "decision_apa": ("décision d'apa", "notification d'apa", "décision du département"),
    "dossier_admission": ("dossier d'admission", "14732", "dossier unique"),
})  # fmt: skip

# A clause with one of these words says a paper is missing: "je n'ai pas le rib",
# "il me manque la taxe foncière", "je cherche encore mon passeport".
_NEGATIONS = frozenset(
    {"pas", "manque", "manquent", "perdu", "jamais", "aucun", "aucune", "ni", "plus", "reste",
     "cherche", "attends", "attend"}
)  # fmt: skip
# Clauses: "j'ai le rib, mais pas l'avis d'impôt" tells two things.
_CLAUSE_BREAK = re.compile(r"[,;.!?\n]+|\b(?:mais|sauf|par contre|en revanche)\b", re.IGNORECASE)
_LABEL_HEAD = re.compile(r"^(?:le|la|les|l|un|une|des|votre|vos)\s+")


def words(text: str) -> tuple[str, ...]:
    """Lowercased, accent-free words, plural "s"/"x" dropped from words of 4+ letters."""
    return tuple(
        word[:-1] if len(word) > 3 and word[-1] in "sx" else word
        for word in normalise(text).split()
    )


def keywords_for(document_id: str, label: str) -> tuple[str, ...]:
    """Keywords of a document: the table's, else the head of its label."""
    if document_id in KEYWORDS:
        return KEYWORDS[document_id]
    head = re.split(r"[:,(]", label, maxsplit=1)[0]
    return (_LABEL_HEAD.sub("", normalise(head)),)


@dataclass(frozen=True)
class Mentions:
    """Document ids a sentence names, as received or as still missing (journey order)."""

    received: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Hit:
    document_id: str
    start: int
    end: int  # word positions, end excluded
    in_label: bool  # the keyword is also in the document's own label

    @property
    def size(self) -> int:
        return self.end - self.start


def _find(said: tuple[str, ...], phrase: tuple[str, ...]) -> tuple[int, int] | None:
    size = len(phrase)
    for start in range(len(said) - size + 1):
        if said[start : start + size] == phrase:
            return start, start + size
    return None


def _hits(said: tuple[str, ...], documents: list[tuple[str, str]]) -> list[_Hit]:
    hits: list[_Hit] = []
    for document_id, label in documents:
        best: _Hit | None = None
        label_words = words(label)
        for keyword in keywords_for(document_id, label):
            phrase = words(keyword)
            span = _find(said, phrase) if phrase else None
            if span and (best is None or span[1] - span[0] > best.size):
                best = _Hit(document_id, *span, in_label=_find(label_words, phrase) is not None)
        if best is not None:
            hits.append(best)

    def beaten(hit: _Hit) -> bool:
        # A longer overlapping match wins; on the same words, the document whose own
        # label holds them ("livret de famille" is the livret, not any identity paper).
        for other in hits:
            if other is hit or other.end <= hit.start or hit.end <= other.start:
                continue
            if other.start <= hit.start and hit.end <= other.end and other.size > hit.size:
                return True
            if (other.start, other.end) == (hit.start, hit.end) and other.in_label > hit.in_label:
                return True
        return False

    return [hit for hit in hits if not beaten(hit)]


def mentioned_documents(text: str, documents: Iterable[tuple[str, str]]) -> Mentions:
    """Which of the ``(document_id, label)`` pairs ``text`` names, received or missing.

    An exact document id ("avis_imposition") names that document as received.
    """
    pairs = list(documents)
    order = {document_id: index for index, (document_id, _) in enumerate(pairs)}
    if text.strip() in order:
        return Mentions(received=(text.strip(),))
    received: set[str] = set()
    missing: set[str] = set()
    for clause in _CLAUSE_BREAK.split(text):
        if not clause or not clause.strip():
            continue
        said = words(clause)
        named = {hit.document_id for hit in _hits(said, pairs)}
        (missing if set(normalise(clause).split()) & _NEGATIONS else received).update(named)
    received -= missing  # said both ways: not ticked
    return Mentions(
        received=tuple(sorted(received, key=order.__getitem__)),
        missing=tuple(sorted(missing, key=order.__getitem__)),
    )
