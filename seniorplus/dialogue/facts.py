"""Facts a person gives in passing, read from any message (pure).

"Ma mère a quatre-vingt-sept ans, elle vit seule à Clisson avec 1 300 € de retraite"
gives: the relationship, the age, the household, the income per month. Numbers said
in words are read by text2num (``alpha2digit``), so "neuf cent vingt euros" is 920,
not a guess. A fact is kept once heard (slots, ``actions``), shown back when used
(:func:`say_back`) and never asked again; a correction ("non, elle a 87 ans, pas
78") replaces it, the first number being the one meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from text_to_num import alpha2digit

from policies.questions import normalise
from safety.text import strip_accents

MIN_AGE, MAX_AGE = 50, 115
MAX_MONTHLY = Decimal(20_000)
YEARLY_ABOVE = Decimal(8_000)  # a "retraite de 15 000 €" with no period is a year's

RELATIONSHIPS = {
    "mere": "mère", "maman": "mère", "pere": "père", "papa": "père", "mari": "mari",
    "epoux": "mari", "femme": "épouse", "epouse": "épouse", "conjoint": "conjoint",
    "conjointe": "conjoint", "compagnon": "conjoint", "compagne": "conjoint",
    "grand mere": "grand-mère", "mamie": "grand-mère", "grand pere": "grand-père",
    "papi": "grand-père", "papy": "grand-père", "beau pere": "beau-père",
    "belle mere": "belle-mère", "oncle": "oncle", "tante": "tante", "frere": "frère",
    "soeur": "sœur", "fils": "fils", "fille": "fille", "voisin": "voisin", "voisine": "voisine",
}  # fmt: skip
_RELATION = re.compile(
    r"\b(?:ma|mon|notre|a ma|a mon|de ma|de mon|pour ma|pour mon)\s+("
    + "|".join(sorted(RELATIONSHIPS, key=len, reverse=True))
    + r")\b"
)
# A relative said to be gone: after the name ("mon mari est décédé", "… nous a quittés") or
# before it ("depuis la mort de mon mari", "le décès de ma femme").
_GONE = re.compile(
    r"\s+(?:est |etait |s est )?(?:(?:parti|partie)(?!\s+(?:a|au|aux|en|chez|pour|de|dans)\b)"
    r"|decede|decedee|mort|morte|disparu|disparue|en allee?|nous a quitte|m a quitte)s?\b"
)
_LOST = re.compile(r"\b(?:mort|deces|depart|disparition|perte)\s*$")
_AGE = re.compile(r"\b(\d{2,3})\s*(?:ans|an)\b")
_NOT_AN_AGE = re.compile(
    r"(?:il y a|depuis|pendant|dans|voila|bientot|apres|plus de|mariee?s? depuis|de mariage"
    r"|ans de|tous les)\s*$"
)
# Relatives who help rather than are helped, named by a senior telling their own life ("j'ai
# 91 ans, ma fille habite loin"): their naming leaves "j'ai 91 ans" the senior's age.
_HELPERS = ("fils", "fille", "voisin", "voisine")
_SPEAKER_AGE = re.compile(r"\b(?:j ai|je suis agee? de|moi)\s*$")
_GIR = re.compile(r"\bgir\s*(?:de\s*|niveau\s*)?([1-6]|un|deux|trois|quatre|cinq|six)\b")
_SMALL = {"un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}  # text2num leaves them
_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(?:euros?|eur)\b"
)
_PER_YEAR = re.compile(r"^\s*(?:par an|l an|annuels?|par annee|/an|a l annee|de revenus? annuel)")
_PER_MONTH = re.compile(r"^\s*(?:par mois|mensuels?|/mois|net par mois|le mois|chaque mois)")
_COST_BEFORE = re.compile(
    r"(?:coute|coutent|tarif|prix|facture|reste a charge|payer|paie|paye|loyer|a payer"
    r"|frais|devis|aide de|aide a|apa de|plafond)\s*(?:\w+\s+){0,3}$"
)
_ESTABLISHMENT = re.compile(
    r"\b(?:(?:vit|est|habite|reside|se trouve|vivent|sont|hebergee?|placee?|resident)"
    r"\s+(?:\w+\s+){0,2}(?:en|dans un|dans une|dans l|a l|dans (?:sa|son|leur|une|la))\s*"
    r"(?:ehpad|maison de retraite"
    r"|etablissement|usld|residence autonomie|foyer logement|unite alzheimer))"
)
_HOME = re.compile(
    r"\b(?:(?:vit|vis|vivons|habite|habitons|reste|restons|vivent|est|sont)\s+(?:\w+\s+){0,3}"
    r"(?:chez (?:elle|lui|eux|moi|nous|soi)|a domicile|a la maison|en appartement"
    r"|dans (?:sa|son|notre|leur|ma|mon) (?:maison|appartement|logement|pavillon)"
    r"(?! de retraite))"
    r"|(?:maintien|rester) a domicile|toujours chez (?:elle|lui|eux)"
    # "elle vit seule à Clisson": living alone is living at home (an establishment said in
    # the same message wins, _ESTABLISHMENT being read first)
    r"|(?:vit|vis|habite|habites|vivant|vivent) seule?s?)\b"
)
_ALONE = re.compile(
    r"\b(?:vit seule?|vis seule?|habite seule?|seule? (?:chez (?:elle|lui|moi)|a la maison"
    r"|depuis)|toute seule|tout seul|est veuve?|suis veuve?|veuve depuis|veuf depuis"
    r"|vivant seule?|celibataire|divorcee?|personne seule)\b"
)
_COUPLE = re.compile(
    r"\b(?:en couple|avec (?:son|sa|mon|ma) (?:mari|femme|epoux|epouse|conjoint|conjointe"
    r"|compagnon|compagne)|mes parents (?:vivent|habitent|sont)|ils vivent (?:ensemble|a deux)"
    r"|tous les deux|toutes les deux|a deux a la maison|mariee?s?|nous vivons a deux"
    r"|vivons ensemble|vivent ensemble"
    # "ma femme et moi on a 2 300 € à nous deux": the speaker lives with their spouse
    r"|(?:ma femme|mon mari|mon epouse|mon epoux|ma conjointe|mon conjoint|ma compagne"
    r"|mon compagnon) et moi|moi et (?:ma femme|mon mari|mon epouse|mon epoux)"
    # (text2num may have made "deux" a digit when an amount in words follows it)
    r"|(?:a|pour) (?:nous|eux) (?:deux|2)|nos (?:deux|2) (?:retraites|pensions))\b"
)
# The help needed, said in words: only the heavy needs the APA is for (GIR 1 to 4), in words
# that say them plainly; a light need ("un coup de main", "le ménage") is asked, not guessed.
# The values are triage.Need's (not imported: the triage reads these facts).
NEED_CONSTANT, NEED_DAILY_CARE = "constant", "daily_care"
_CARE = (
    r"(?:faire )?(?:sa |ma |la )?(?:toilette|douche|(?:se |s |me |m |le |la |l )"
    r"(?:laver|doucher|habiller|lever|coucher)"
    r"(?! (?:le linge|les vitres|la vaisselle|le sol|les sols|de table)))"
)  # "se laver", "l'habiller", "la toilette"; not "laver le linge"
_NEED_CONSTANT = re.compile(
    r"\b(?:alitee?|grabataire|clouee? au lit|ne quitte plus (?:son|le) lit"
    r"|ne peut plus rien faire|n arrive plus a rien faire"
    r"|(?:aide|aider|besoin d aide|assistance|surveillance|quelqu un)\s+(?:\w+\s+){0,3}"
    r"(?:tout le temps|jour et nuit|en permanence|24 ?h ?(?:sur|/) ?24|pour tout\b(?! le monde)))"
)
_NEED_DAILY_CARE = re.compile(
    r"\b(?:(?:aide|aider|aidee?|besoin|quelqu un|aide soignante?|infirmiere?)\s+(?:\w+\s+){0,4}"
    r"(?:pour |a )?"
    + _CARE
    + r"|(?:ne (?:peut|peux|sait|sais|parvient|parviens)|n arrive) plus (?:\w+\s+)?(?:a )?"
    + _CARE
    + r")\b"
)
_NO_NEED = re.compile(r"\b(?:pas|plus) (?:besoin|d aide)\b|\bsans aide\b|\bencore seule?\b")
_CORRECTION = re.compile(r"\b(?:non|pardon|erreur|je me suis trompee?|plutot|pas)\b")


@dataclass(frozen=True)
class Facts:
    """What is known of the senior's situation; None: not said."""

    relationship: str | None = None
    age: int | None = None
    residence: str | None = None  # "domicile" | "etablissement"
    household: str | None = None  # "seul" | "couple"
    gir: int | None = None
    income: Decimal | None = None  # per month
    income_yearly: bool = False  # said per year (shown back as said)
    need: str | None = None  # the help needed said in words: NEED_CONSTANT | NEED_DAILY_CARE

    def merged(self, newer: Facts) -> Facts:
        """These facts, with what `newer` says replacing them (a correction wins)."""
        changes = {
            f.name: getattr(newer, f.name)
            for f in fields(self)
            if getattr(newer, f.name) not in (None, False)
        }
        if newer.income is not None:
            changes["income_yearly"] = newer.income_yearly
        return replace(self, **changes)

    def as_slots(self) -> dict[str, Any]:
        """For the ``facts`` slot (plain JSON)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["income"] = str(self.income) if self.income is not None else None
        return {k: v for k, v in data.items() if v not in (None, False)}

    @classmethod
    def from_slots(cls, data: Any) -> Facts:
        if not isinstance(data, dict):
            return cls()
        try:
            income = Decimal(str(data["income"])) if data.get("income") else None
        except InvalidOperation:
            income = None
        age, gir = data.get("age"), data.get("gir")
        return cls(
            relationship=data.get("relationship") or None,
            age=int(age) if isinstance(age, int | str) and str(age).isdigit() else None,
            residence=data.get("residence") if data.get("residence") in _RESIDENCES else None,
            household=data.get("household") if data.get("household") in _HOUSEHOLDS else None,
            gir=int(gir) if isinstance(gir, int | str) and str(gir).isdigit() else None,
            need=data.get("need") if data.get("need") in _NEEDS else None,
            income=income,
            income_yearly=bool(data.get("income_yearly")),
        )


_RESIDENCES = ("domicile", "etablissement")
_HOUSEHOLDS = ("seul", "couple")
_NEEDS = (NEED_CONSTANT, NEED_DAILY_CARE)


def with_digits(text: str) -> str:
    """Lowercase, no accents, numbers said in words written in digits; punctuation kept
    (so that "1.250,50 €" keeps its decimals)."""
    lowered = strip_accents(text.lower()).replace("k€", "000 €").replace("€", " euros ")
    lowered = re.sub(r"['’`\-]", " ", lowered)
    try:
        return str(alpha2digit(lowered, "fr"))
    except Exception:  # text2num refuses odd inputs: the words stay as they are
        return lowered


def read_facts(text: str) -> Facts:
    """Every fact of the situation that `text` gives."""
    numeric = with_digits(text)
    plain = normalise(numeric)
    relationship = _relationship(plain)
    return Facts(
        relationship=relationship,
        age=_age(plain, relative_named=relationship not in (None, *_HELPERS)),
        residence=_residence(plain),
        household=_household(plain),
        gir=_gir(plain),
        need=_need(plain),
        **_income(numeric),
    )


def tells_a_situation(text: str) -> bool:
    """Whether a message tells someone's situation: several words, and at least two facts
    of it ("ma femme a eu un AVC… on est tous les deux à la maison… moi j'ai 84 ans")."""
    facts = read_facts(text)
    told = (facts.relationship, facts.age, facts.residence, facts.household, facts.gir, facts.need)
    return len(text.split()) >= 8 and sum(fact is not None for fact in told) >= 2


def _relationship(plain: str) -> str | None:
    """The relative the message is about; not one said to be gone ("depuis que mon mari est
    parti, je vis seule": the widow speaks of herself)."""
    for match in _RELATION.finditer(plain):
        if not _is_gone(plain, match):
            return RELATIONSHIPS[match.group(1)]
    return None


def _is_gone(plain: str, match: re.Match[str]) -> bool:
    """ "mon mari est décédé", "depuis la mort de mon mari" (not "il est mort, ma mère…")."""
    if _GONE.match(plain, match.end()):
        return True
    return match.group(0).startswith("de ") and bool(_LOST.search(plain[: match.start()]))


def gone_relatives(text: str) -> set[str]:
    """The relatives `text` names only as gone ("depuis que mon mari est parti"): a reader of
    names (the model's ``relationship`` entity) must not take them for the person helped."""
    plain = normalise(with_digits(text))
    gone: set[str] = set()
    alive: set[str] = set()
    for match in _RELATION.finditer(plain):
        (gone if _is_gone(plain, match) else alive).add(RELATIONSHIPS[match.group(1)])
    return gone - alive


def _age(plain: str, relative_named: bool = False) -> int | None:
    ages = []
    for match in _AGE.finditer(plain):
        if _NOT_AN_AGE.search(plain[: match.start()]):
            continue
        if relative_named and _SPEAKER_AGE.search(plain[: match.start()]):
            continue  # "c'est pour ma femme… moi j'ai 84 ans": the caregiver's own age
        value = int(match.group(1))
        if MIN_AGE <= value <= MAX_AGE:
            ages.append(value)
    if not ages:
        return None
    if _CORRECTION.search(plain) and len(ages) > 1:
        return ages[0]  # "non, elle a 87 ans, pas 78": the first said is the one meant
    return max(ages)  # the senior is the oldest person named


def _gir(plain: str) -> int | None:
    match = _GIR.search(plain)
    if not match:
        return None
    value = match.group(1)
    return _SMALL[value] if value in _SMALL else int(value)


def _need(plain: str) -> str | None:
    """ "Elle est alitée", "il faut l'aider pour sa toilette chaque matin"; not "elle n'a pas
    besoin d'aide pour se laver" (a negation just before or within the words)."""
    for pattern, need in ((_NEED_CONSTANT, NEED_CONSTANT), (_NEED_DAILY_CARE, NEED_DAILY_CARE)):
        for match in pattern.finditer(plain):
            if not _NO_NEED.search(plain[max(0, match.start() - 12) : match.end()]):
                return need
    return None


def _residence(plain: str) -> str | None:
    if _ESTABLISHMENT.search(plain):
        return "etablissement"
    if _HOME.search(plain):
        return "domicile"
    return None


def _household(plain: str) -> str | None:
    if _COUPLE.search(plain):
        return "couple"
    if _ALONE.search(plain):
        return "seul"
    return None


def _income(numeric: str) -> dict[str, Any]:
    for match in _AMOUNT.finditer(numeric):
        if _COST_BEFORE.search(normalise(numeric[: match.start()])):
            continue  # "l'ehpad coûte 2 500 €" is a price, not an income
        whole = re.sub(r"[ .\u00a0\u202f]", "", match.group(1))
        amount = Decimal(f"{whole}.{match.group(2) or '0'}")
        after = normalise(numeric[match.end() :])
        yearly = bool(_PER_YEAR.search(after)) or (
            not _PER_MONTH.search(after) and amount > YEARLY_ABOVE
        )
        monthly = (amount / 12).quantize(Decimal("0.01")) if yearly else amount
        if 0 < monthly <= MAX_MONTHLY:
            return {"income": monthly, "income_yearly": yearly}
    return {}


def euros(amount: Decimal) -> str:
    """ "1 300 euros", "920 euros", "1 083,33 euros" (a plain space, as every text here)."""
    whole, cents = divmod(amount.quantize(Decimal("0.01")), 1)
    text = f"{int(whole):,}".replace(",", " ")
    return f"{text},{int(cents * 100):02d} euros" if cents else f"{text} euros"


def say_back(facts: Facts, relative: str | None = None) -> str:
    """The facts as they will be used: "votre mère, 87 ans, seule, 1 300 euros par mois"."""
    parts = []
    if relative:
        parts.append(relative)
    if facts.age:
        parts.append(f"{facts.age} ans")
    if facts.household == "couple":
        parts.append("en couple")
    elif facts.household == "seul":
        if relative is None:
            parts.append("personne seule")  # the person's own gender is not known
        else:
            parts.append("seule" if relative.split()[-1] in FEMININE else "seul")
    if facts.residence:
        parts.append("à domicile" if facts.residence == "domicile" else "en établissement")
    if facts.gir:
        parts.append(f"GIR {facts.gir}")
    elif facts.need == NEED_CONSTANT:
        parts.append("besoin d'aide tout le temps")
    elif facts.need == NEED_DAILY_CARE:
        parts.append("besoin d'aide chaque jour (toilette, habillage)")
    if facts.income is not None:
        if facts.income_yearly:
            yearly = (facts.income * 12).quantize(Decimal(1))  # as it was said, not + cents
            parts.append(f"{euros(yearly)} par an, soit {euros(facts.income)} par mois")
        else:
            parts.append(f"{euros(facts.income)} par mois")
    return ", ".join(parts)


FEMININE = frozenset({"mère", "épouse", "grand-mère", "belle-mère", "tante", "sœur", "fille",
                       "voisine"})  # fmt: skip
