"""Text as the danger reader sees it: plain words, SMS spellings spelled out, cut in clauses.

Lowercase, no accents, apostrophes and punctuation as spaces (the words "j ai",
"l an dernier"); the few SMS spellings that change what a sentence means
("jveux pu vivre", "jsui tombee", "g mal") written out. Sentences and a few
linking words ("mais", "par contre") cut a message in clauses: a time said in
one sentence ("Il y a deux ans, AVC.") does not reach a danger said in another
("Aujourd'hui il est par terre.").
"""

from __future__ import annotations

import re
import unicodedata

# Whole-word SMS spellings that hide the words the patterns read.
SMS_WORDS = {
    "jveux": "je veux", "jvx": "je veux", "jvoudrais": "je voudrais", "jvoudrai": "je voudrais",
    "jvais": "je vais", "jve": "je vais", "jsui": "je suis", "jsuis": "je suis",
    "chui": "je suis", "chuis": "je suis", "jpeux": "je peux", "jpx": "je peux", "jpe": "je peux",
    "jpeu": "je peux", "jai": "j ai", "lai": "l ai", "g": "j ai", "jme": "je me", "jmen": "je m en",
    "jte": "je te", "jle": "je le", "jla": "je la", "jen": "j en", "jsais": "je sais",
    "jsp": "je sais pas", "jcrois": "je crois", "jarrive": "j arrive", "jaimerais": "j aimerais",
    "jaurais": "j aurais", "jtrouve": "je trouve", "jreste": "je reste", "jpense": "je pense",
    "vx": "veux", "px": "peux", "ke": "que", "k": "que", "koi": "quoi", "pr": "pour",
    "ds": "dans", "tt": "tout", "tte": "toute", "tjs": "toujours", "tjrs": "toujours",
    "mnt": "maintenant", "mtn": "maintenant", "maint": "maintenant", "auj": "aujourd hui",
    "ajd": "aujourd hui", "aujourdhui": "aujourd hui", "ojourdhui": "aujourd hui",
    "pu": "plus", "plu": "plus", "pa": "pas", "ya": "il y a", "yavait": "il y avait",
    "ct": "c etait", "cetait": "c etait", "cest": "c est", "c": "c est", "ns": "nous",
    "vs": "vous", "mm": "meme", "bcp": "beaucoup", "qq": "quelques", "qqs": "quelques",
    "svp": "s il vous plait", "stp": "s il te plait", "ptet": "peut etre",
    "laide": "l aide", "qqn": "quelqu un", "qqun": "quelqu un", "kelkun": "quelqu un",
    "lentends": "l entends", "qd": "quand", "kan": "quand",
    "oskour": "au secours", "ossecour": "au secours", "osecour": "au secours", "lapa": "l apa",
}  # fmt: skip
# Words that turn to another fact: a new clause starts with them. Times ("ce matin") do
# not cut: they belong to the verb before or after them, which the reader measures.
_TURN = re.compile(r" (?=(?:mais|par contre|sauf que|en revanche|cependant|pourtant) )")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """Lowercase words without accents or punctuation, SMS spellings written out."""
    lowered = strip_accents(text.lower().replace("œ", "oe").replace("æ", "ae"))
    words = re.sub(r"[^a-z0-9]+", " ", lowered).split()
    out: list[str] = []
    for index, word in enumerate(words):
        if word == "pa" and index > 0 and words[index - 1] == "la":
            out.append(word)  # "la pa" (l'APA heard on the phone)
            continue
        if word == "c" and index + 1 < len(words) and words[index + 1] in ("est", "etait"):
            out.append(word)
            continue
        out.append(SMS_WORDS.get(word, word))
    return " ".join(out)


def clauses(text: str) -> list[str]:
    """The message in clauses, each in plain words; never empty for a non-empty text.

    Sentence punctuation cuts, and so do "mais", "par contre"…, which stay at the
    head of the clause they open.
    """
    pieces = re.split(r"[.!?;:\n\r]+", text)
    result = [c for piece in pieces for c in _TURN.split(plain(piece)) if c.strip()]
    return result or [plain(text)]
