"""Read a monthly amount of money as people write or say it.

"1200", "1 200 €", "1.200,50 euros", "environ 950", "mille deux cents",
"neuf cent vingt euros par mois", "15 000 par an" (divided by 12). Numbers said in
words are read by text2num (seniorplus/dialogue/facts.py): an answer is an amount
only when what is around the number is the way people say amounts.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from policies.questions import normalise
from seniorplus.dialogue.facts import with_digits

FILLERS = {"et", "euros", "euro", "eur", "environ", "a", "peu", "pres", "par",
           "mois", "de", "retraite", "pension", "elle", "il", "touche", "gagne", "j", "ai",
           "on", "nous", "avons", "au", "total", "net", "brut", "mensuel", "mensuels",
           "autour", "dans", "les", "la", "le", "ca", "fait", "c", "est", "en", "tout", "euh",
           "ben", "bah", "moins", "plus", "ou", "donc", "an", "annee", "revenus", "annuel",
           "annuels", "mensuelle", "je", "touchons", "gagnons", "nos", "mes", "ses", "sa",
           "son", "ma", "mon", "voila", "alors", "hein", "quelque", "chose", "comme"}  # fmt: skip
MAX_MONTHLY = Decimal(100_000)
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)")


def number_in(text: str) -> Decimal | None:
    """The first number of `text`, in digits or in words, or None."""
    numeric = with_digits(text)
    match = _NUMBER.search(numeric)
    if not match:
        return None
    whole = re.sub(r"[ .\u00a0\u202f]", "", match.group(1))
    try:
        return Decimal(f"{whole}.{match.group(2)}") if match.group(2) else Decimal(whole)
    except InvalidOperation:
        return None


def parse_monthly_amount(text: str) -> Decimal | None:
    """A monthly amount in euros, or None when the text holds no plausible amount."""
    amount = number_in(text)
    if amount is None:
        return None
    words = [w for w in normalise(with_digits(text)).split() if not w.isdigit()]
    if any(w not in FILLERS for w in words):
        return None  # "mille bananes", "le 2 mars": not an amount of money
    if re.search(r"\b(par an|l an|annuel|annuels|par annee)\b", normalise(text)):
        amount = (amount / 12).quantize(Decimal("0.01"))
    if amount < 0 or amount > MAX_MONTHLY:
        return None
    return amount
