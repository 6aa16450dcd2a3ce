"""Papers named in a sentence, against the real journeys' checklists (pure)."""

from __future__ import annotations

import pytest

from seniorplus.cases.matching import KEYWORDS, Mentions, mentioned_documents, words
from seniorplus.journeys import load_all

JOURNEYS = load_all()


def _docs(journey_id: str) -> list[tuple[str, str]]:
    return [(document.id, document.label) for document in JOURNEYS[journey_id].documents]


def test_every_journey_document_has_keywords() -> None:
    """A paper added to a journey without keywords would only match its label's head."""
    missing = sorted(
        f"{journey.id}:{document.id}"
        for journey in JOURNEYS.values()
        for document in journey.documents
        if document.id not in KEYWORDS
    )
    assert missing == []


def test_each_document_is_found_by_its_own_keywords() -> None:
    """Each keyword names its paper, unless another paper of the journey shares it and
    holds it in its own label (the EHPAD "livret de famille" is the livret)."""
    for journey in JOURNEYS.values():
        for document in journey.documents:
            for keyword in KEYWORDS[document.id]:
                received = mentioned_documents(f"j'ai {keyword}", _docs(journey.id)).received
                if document.id in received:
                    continue
                assert len(received) == 1, (journey.id, keyword)
                owner = JOURNEYS[journey.id].document(received[0])
                assert keyword in KEYWORDS[owner.id], (journey.id, keyword)
                assert " ".join(words(keyword)) in " ".join(words(owner.label))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("j'ai l'avis d'imposition", ("avis_imposition",)),
        ("J'AI LE RIB", ("rib",)),
        ("la carte d'identité c'est bon", ("identite",)),
        ("la carte d identite cest bon", ("identite",)),
        ("j'ai mes impôts de l'an dernier", ("avis_imposition",)),
        ("le relevé d'identité bancaire", ("rib",)),  # not the identity card
        ("j'ai le rib et la taxe foncière", ("taxe_fonciere", "rib")),
        ("rib", ("rib",)),
        ("avis_imposition", ("avis_imposition",)),  # a document id
        ("le livret de famille", ("identite",)),  # in the APA label of the identity paper
        ("bonjour", ()),
        ("j'ai le permis de conduire", ()),
    ],
)
def test_sentences_for_apa_domicile(sentence: str, expected: tuple[str, ...]) -> None:
    assert mentioned_documents(sentence, _docs("apa_domicile")).received == expected


def test_same_words_go_to_the_document_whose_label_holds_them() -> None:
    mentions = mentioned_documents("j'ai le livret de famille", _docs("ehpad"))
    assert mentions.received == ("livret_famille",)


@pytest.mark.parametrize(
    ("sentence", "received", "missing"),
    [
        ("je n'ai pas le rib", (), ("rib",)),
        ("il me manque la taxe foncière", (), ("taxe_fonciere",)),
        ("j'ai le rib, mais pas l'avis d'imposition", ("rib",), ("avis_imposition",)),
        ("le passeport c'est bon sauf le rib que je cherche", ("identite",), ("rib",)),
        ("j'ai plus le rib", (), ("rib",)),
    ],
)
def test_negative_clauses_name_missing_papers(
    sentence: str, received: tuple[str, ...], missing: tuple[str, ...]
) -> None:
    assert mentioned_documents(sentence, _docs("apa_domicile")) == Mentions(received, missing)


def test_possessive_tells_whose_identity_paper() -> None:
    docs = _docs("protection_juridique")
    assert mentioned_documents("j'ai sa carte d'identité", docs).received == ("identite_personne",)
    assert mentioned_documents("j'ai ma carte d'identité", docs).received == ("identite_demandeur",)


def test_words_fold_case_accents_punctuation_and_plurals() -> None:
    assert words("Les Impôts, l'Avis!") == ("les", "impot", "l", "avi")
    assert words("RIB") == ("rib",)
