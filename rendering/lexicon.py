"""Words a French text-to-speech voice reads badly, and text instructions made spoken.

Acronyms said letter by letter are written as capitals separated by spaces
("A P A"): Amazon Polly (Léa) and Google fr-FR read a lone capital as the
letter's name. Acronyms said as a word are written the way French reads them
("guir", "é-pade", "carsate").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from types import MappingProxyType

PRONUNCIATIONS: Mapping[str, str] = MappingProxyType(
    {
        # said letter by letter
        "AAH": "A A H", "AJPA": "A J P A", "AMO": "A M O", "APA": "A P A",
        "APL": "A P L", "ARDH": "A R D H", "ARS": "A R S", "ASH": "A S H",
        "CCAS": "C C A S", "CIAS": "C I A S", "CMI": "C M I", "CNSA": "C N S A",
        "DAC": "D A C", "EMS": "E M S", "JCP": "J C P", "MDPH": "M D P H",
        "MJPM": "M J P M", "MSA": "M S A", "PAP": "P A P", "PCH": "P C H",
        "RFR": "R F R", "SAAD": "S A A D", "SAD": "S A D", "SMR": "S M R",
        "SMS": "S M S", "SSIAD": "S S I A D", "USLD": "U S L D", "HT-SH": "H T S H",
        # said as a word
        "GIR": "guir", "AGGIR": "aguir", "EHPAD": "é-pade", "Ehpad": "é-pade",
        "CLIC": "clic", "CAF": "caf", "CARSAT": "carsate", "Carsat": "carsate",
        "CNAV": "cnave", "Cnav": "cnave", "RIB": "rib", "CESU": "césu",
        "ANAH": "ana", "Anah": "ana", "ASPA": "aspa", "PACS": "pacse",
        "CERFA": "cerfa", "Cerfa": "cerfa", "SAMU": "samu", "UDAF": "udaf",
        "OSCAR": "oscar", "FALC": "falc",
        "MaPrimeAdapt'": "Ma Prime Adapte", "MaPrimeAdapt": "Ma Prime Adapte",
        "Rénov'": "Rénove",
    }
)  # fmt: skip
_PRONUNCIATION_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(w) for w in sorted(PRONUNCIATIONS, key=len, reverse=True))
    + r")(?![\w-])"
)

# Text instructions → spoken ones, longest first; the first letter's case is kept.
SPOKEN_INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("répondez par un numéro ou en quelques mots",
     "dites ou tapez un numéro, ou répondez en quelques mots"),
    ("répondez par un numéro", "dites ou tapez un numéro"),
    ("répondez par oui ou par non", "dites oui ou non"),
    ("écrivez-moi", "dites-moi"),
    ("m'écrire", "me rappeler"),
    ("écrivez", "dites"),
    ("cliquez sur", "choisissez"),
)  # fmt: skip
_INSTRUCTION_RES = tuple(
    (re.compile(rf"(?<!\w){re.escape(written)}(?!\w)", re.IGNORECASE), spoken)
    for written, spoken in SPOKEN_INSTRUCTIONS
)


def _replace_keeping_case(spoken: str, match: re.Match[str]) -> str:
    return spoken[0].upper() + spoken[1:] if match.group(0)[:1].isupper() else spoken


def speak_instructions(text: str) -> str:
    """Text instructions said: "Écrivez : menu" → "Dites : menu"."""
    for pattern, spoken in _INSTRUCTION_RES:
        text = pattern.sub(partial(_replace_keeping_case, spoken), text)
    return text


def pronounce(text: str) -> str:
    """Acronyms and brand names written the way the voice should say them."""
    return _PRONUNCIATION_RE.sub(lambda m: PRONUNCIATIONS[m.group(1)], text)
