"""Read a monthly amount of money as people write or say it.

"1200", "1 200 €", "1.200,50 euros", "environ 950", "mille deux cents",
"neuf cent cinquante euros par mois", "15 000 par an" (divided by 12).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from policies.questions import normalise

UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90,
}  # fmt: skip
FILLERS = {"et", "euros", "euro", "eur", "environ", "a", "peu", "pres", "par",
           "mois", "de", "retraite", "pension", "elle", "il", "touche", "gagne", "j", "ai",
           "on", "nous", "avons", "au", "total", "net", "brut", "mensuel", "mensuels",
           "autour", "dans", "les", "la", "le", "ca", "fait", "c", "est", "en", "tout", "euh",
           "ben", "bah", "moins", "plus", "ou", "donc", "an", "annee", "revenus"}  # fmt: skip
MAX_MONTHLY = Decimal(100_000)


def _digits(text: str) -> Decimal | None:
    match = re.search(r"\d[\d  .,']*", text)
    if not match:
        return None
    raw = match.group(0).strip().replace(" ", "").replace(" ", "").replace("'", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", raw):  # 1.200,50
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", raw):  # 1200,50
        raw = raw.replace(",", ".")
    else:
        raw = raw.replace(",", "").rstrip(".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def number_from_words(text: str) -> Decimal | None:
    """A number written in French words ("mille deux cent cinquante"), or None."""
    words = [w for w in re.split(r"[ -]+", normalise(text)) if w]
    total, group, seen = 0, 0, False
    for word in words:
        if word in UNITS:
            group += UNITS[word]
            if word in {"vingt", "vingts"} and group > 20:  # quatre-vingt(s)
                group = (group - 20) * 20
            seen = True
        elif word in {"cent", "cents"}:
            group = max(group, 1) * 100
            seen = True
        elif word == "mille":
            total += max(group, 1) * 1000
            group, seen = 0, True
        elif word not in FILLERS:
            return None
    return Decimal(total + group) if seen else None


def parse_monthly_amount(text: str) -> Decimal | None:
    """A monthly amount in euros, or None when the text holds no plausible amount."""
    plain = normalise(text)
    amount = _digits(text)
    if amount is None:
        amount = number_from_words(text)
    if amount is None:
        return None
    if re.search(r"\b(par an|l an|annuel|annuels|par annee)\b", plain):
        amount = (amount / 12).quantize(Decimal("0.01"))
    if amount < 0 or amount > MAX_MONTHLY:
        return None
    return amount
