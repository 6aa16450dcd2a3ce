"""Plain language over every text the assistant sends: short sentences, acronyms explained.

Target (docs/performance.md): 15 words per sentence on average, no acronym left
unexplained where a person first meets it. The texts are the collection of every sentence
and its home (devtools/wording.py), the one the SMS report measures.
"""

from __future__ import annotations

from devtools.wording import collect, conversations
from devtools.wording_samples import SAMPLE_DAYS
from seniorplus.journeys.today import journeys_on
from seniorplus.plain_language import report

JOURNEYS = journeys_on(SAMPLE_DAYS[0])
GLOSSARY = {k: v for j in JOURNEYS.values() for k, v in j.acronyms.items()}


def test_sentences_are_short_on_average() -> None:
    result = report(conversations(collect()), GLOSSARY)
    print(f"\n{result.sentences} phrases, {result.average_words:.1f} mots en moyenne")
    assert result.sentences > 300
    assert result.average_words <= 15


# Found when every home of wording was collected (issue 16), left to the content's owners
# (docs/wording.md, « Ce que la mesure a trouvé »): (where the message comes from, acronym).
# A new one fails, and so does one that is fixed (remove it here).
KNOWN_UNEXPLAINED = {
    ("data rights: summary", "APA"),  # "dossier SP-…, L'APA à domicile : …" (journey titles)
}


def _known(where: str, acronym: str) -> bool:
    return any(where.startswith(w) and acronym == a for w, a in KNOWN_UNEXPLAINED)


def test_no_acronym_is_left_unexplained() -> None:
    unexplained = report(conversations(collect()), GLOSSARY).unexplained
    new = [(where, acronym) for where, acronym in unexplained if not _known(where, acronym)]
    still = {(w, a) for w, a in KNOWN_UNEXPLAINED for where, acronym in unexplained
             if where.startswith(w) and acronym == a}  # fmt: skip
    assert new == []
    assert still == KNOWN_UNEXPLAINED  # one fixed: remove it from the list


def test_the_check_finds_an_unexplained_acronym() -> None:
    texts = [[("a", "Demandez l'ARDH tout de suite.")], [("b", "Le CCAS (à la mairie) aide.")]]
    assert report(texts, {}).unexplained == [("a", "ARDH")]
    glossary = {"ARDH": "l'aide au retour à domicile après hospitalisation"}
    explained = [[("a", "Demandez l'aide au retour à domicile après hospitalisation (ARDH).")]]
    assert report(explained, glossary).unexplained == []
