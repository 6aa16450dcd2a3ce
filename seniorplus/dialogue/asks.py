"""What a message about a topic asks of it, besides the topic itself (pure).

"je voudrais faire la demande d'APA pour ma mère" wants the application opened;
"quelles sont les étapes pour la curatelle ?" wants step 1. Other questions ("est-ce
récupérable ?", "combien ça coûte ?") are answered from the question bank
(seniorplus/questions/); a message that asks nothing gets the topic's overview.
"""

from __future__ import annotations

import re

from policies.questions import normalise

APPLY, STEPS = "apply", "steps"
_STEPS = re.compile(
    r"\b(?:etapes?|demarches? a suivre|par (?:ou|quoi) (?:on )?commence[rz]?|comment (?:on )?"
    r"(?:fait|faire|proceder|s y prend(?:re)?)(?! pour (?:payer|financer|avoir|obtenir|garder"
    r"|changer|recuperer|trouver|savoir))|comment (?:faire|deposer|monter|remplir) (?:la|le|une"
    r"|un) (?:demande|dossier)|comment (?:on )?(?:peut )?demander (?:une|un|la|le|l)\b"
    r"|marche a suivre|procedure)\b"
)
_APPLY = re.compile(
    r"\b(?:(?:veux|voudrais|voudrait|voudrions|souhaite|souhaiterais|souhaitons|aimerais"
    r"|aimerait|aimerions|vais|allons|va|dois|faut|peux|pouvez|on peut|pourriez|besoin de)"
    r" (?:m aider a |nous aider a |l aider a )?(?:faire|deposer|commencer|lancer|remplir|monter"
    r"|ouvrir|demarrer|envoyer) (?:la|une|le|un|sa|son|ma|mon|notre|cette) ?(?:demande|dossier)"
    r"|(?:veux|voudrais|voulons|voudrions|souhaite|souhaiterais|souhaitons|aimerais|aimerions)"
    r" (?:demander|obtenir) (?:l|la|le|une|un)|aide[rz]? a (?:faire|remplir|monter) (?:la|le)"
    r" (?:demande|dossier)"
    r"\b|on commence (?:le|la) (?:dossier|demande)|je fais la demande|c est parti pour la"
    r" demande)"
)


_AMOUNT = re.compile(r"\b(?:combien|montant|toucher|touchera|toucherait|coute|couterait|payer)\b")


_QUESTION = re.compile(
    r"\?|\b(?:combien|quand|qui|quel|quelle|quels|quelles|pourquoi|comment|est ce que?"
    r"|peut on|peut elle|peut il|faut il|a t on|a t elle|a t il|doit on|ou"
    r"|(?:puis|ai|aurai|serai|dois|pourrai|pourrais) je)\b"
)


def is_question(text: str) -> bool:
    """ "l'AJPA c'est combien par jour ?" asks; "je suis épuisée" tells (a close call of the
    question bank is for a question only)."""
    return "?" in text or bool(_QUESTION.search(normalise(text)))


# Words that ask, whatever the punctuation: "est-ce que", "combien", "faut-il", "l'APA
# est-elle reprise". Not "qui" alone ("ma mère, qui vit seule"), nor "ou" ("à domicile ou
# en EHPAD"), nor a question mark alone ("à domicile ?" answers "où vit-elle ?").
_ASKING = re.compile(
    r"\b(?:combien|quand|quel|quelle|quels|quelles|pourquoi|comment|est ce que?|c est quoi"
    r"|c est qui|qui c est|qui est ce|qui (?:decide|fixe|paie|paye|verse|evalue|peut|doit"
    r"|remplit|signe|s occupe)|ou (?:est|sont|faut|se|on|je|il|elle|doit|peut)"
    r"|(?:droit|sert|servir|correspond) a quoi"
    r"|(?:est|sont|sera|seront|peut|peuvent|doit|doivent|faut|faudra|va|vont|devra|ai|puis"
    r"|dois|aurai|aura|a) (?:t )?(?:elle|il|ils|elles|on|je)(?! y a))\b"
)


def asks_outright(text: str) -> bool:
    """ "et qui décide combien je touche", "l'APA est-elle reprise ?" ask in words; "à domicile
    ?", "pour ma mère ?" or "ma mère, qui vit seule" do not."""
    return bool(_ASKING.search(normalise(text)))


_AMOUNT_WORDS = re.compile(
    r"\b(?:(?:quel|quelle|quels|quelles) (?:est|sont|serait|seront) (?:le |la |les )?)?"
    r"(?:combien|cout\w*|prix|tarifs?|montants?)\b"
)


# "combien de temps", "en combien de jours": a delay, not an amount.
_DURATION = re.compile(
    r"\b(?:en |dans |pendant |depuis )?combien de (?:temps|jours?|semaines?|mois|annees?|ans)\b"
)


def asks_beyond_amount(text: str) -> bool:
    """ "et qui décide combien je touche ?" asks who; "combien ça coûte ?" only how much;
    "combien de temps ça prend ?" asks how long."""
    plain = normalise(text)
    return bool(_DURATION.search(plain)) or asks_outright(_AMOUNT_WORDS.sub(" ", plain))


def asks_amount(text: str) -> bool:
    """ "combien d'APA il pourrait toucher", "ça coûterait combien" (not "combien de temps")."""
    return bool(_AMOUNT.search(_DURATION.sub(" ", normalise(text))))


def aspect(text: str) -> str | None:
    """``APPLY``, ``STEPS``, or None when the message asks for neither."""
    plain = normalise(text)
    if _STEPS.search(plain):
        return STEPS
    if _APPLY.search(plain):
        return APPLY
    return None


# The topic a message names by its words: for "je veux faire la demande d'APA" heard as
# start_application, whose case must be opened for the journey named.
_TOPIC_WORDS = (
    ("ask_nursing_home", r"ehpad|maison de retraite|aide sociale a l hebergement|\bash\b"),
    ("ask_apa", r"\bapa\b|allocation (?:personnalisee d )?autonomie|l a p a"),
    ("ask_legal_protection", r"tutelle|curatelle|curat(?:eur|rice)|tut(?:eur|rice)"
     r"|habilitation familiale|mandat de protection"),
    ("ask_mobility_card", r"carte (?:mobilite|d invalidite|de stationnement|handicape)|\bcmi\b"),
    ("ask_retirement_fund_help", r"carsat|caisse de retraite|\bmsa\b|\bardh\b"),
    ("ask_home_adaptation", r"maprimeadapt|prime adapt|adapter (?:le|son|la) (?:logement|maison)"),
    ("ask_home_services", r"teleassistance|portage de repas|accueil de jour"),
    ("ask_caregiver_support", r"conge (?:de )?proche aidant|\bajpa\b|droit au repit"
     r"|allocation journaliere"),
)  # fmt: skip
# Words that name a topic less surely (an APA message often speaks of "l'aide à domicile"):
# enough to route a cost or papers question that names no other topic, never to offer a topic.
_LOOSER_WORDS = (
    ("ask_home_adaptation", r"monte ?escaliers?|baignoire"),
    ("ask_home_services", r"credit d impot|services? a la personne|aides? a domicile"
     r"|aides? menageres?|auxiliaires? de vie|\bimpots?\b|\bmenage\b"),
)  # fmt: skip


def wants_to_apply(text: str) -> bool:
    """ "je veux faire la demande", even with "comment on fait ?" after it."""
    return bool(_APPLY.search(normalise(text)))


def named_topic(text: str) -> str | None:
    """The topic intent whose words the message uses, or None."""
    plain = normalise(text)
    return next(
        (topic for topic, words in (*_TOPIC_WORDS, *_LOOSER_WORDS) if re.search(words, plain)),
        None,
    )


def named_topics(text: str) -> list[str]:
    """Every topic the message names surely, in the order it names them ("la curatelle de
    ma mère, et l'EHPAD ?" → legal protection, then the EHPAD)."""
    plain = normalise(text)
    found = [(m.start(), topic) for topic, words in _TOPIC_WORDS if (m := re.search(words, plain))]
    return [topic for _, topic in sorted(found)]


def other_topic(text: str, answered: str) -> str | None:
    """A second topic the message asks about, besides the one answered, to offer after it.

    The APA is named by most messages as a fact ("elle a l'APA, et pour la curatelle ?"), and
    an EHPAD by APA questions ("garde-t-on l'APA en EHPAD ?"): neither is offered for that.
    """
    for topic in named_topics(text):
        if topic == answered or topic == "ask_apa":
            continue
        if answered == "ask_apa" and topic == "ask_nursing_home":
            continue
        return topic
    return None


LONG_MESSAGE_WORDS = 20  # a longer message tells its story first: its question is at the end
TAIL_WORDS = 15  # the end of a long message without punctuation


def question_part(text: str) -> str | None:
    """The end of a long message, where its question is; None for a short message.

    The last sentence with a question mark, else the last sentence, else (no punctuation,
    as in many SMS and voice transcripts) the last ``TAIL_WORDS`` words.
    """
    if len(text.split()) < LONG_MESSAGE_WORDS:
        return None
    sentences = [s.strip() for s in re.split(r"(?<=[.?!\n])", text) if len(s.split()) >= 3]
    asked = [s for s in sentences if s.endswith("?")]
    if asked:
        return asked[-1]
    if len(sentences) > 1:
        return sentences[-1]
    return " ".join(text.split()[-TAIL_WORDS:])


_APPLICATION = re.compile(r"\b(?:demandes?|dossiers?|etapes?|demarches?|procedure)\b")


def asks_how_to_apply(text: str) -> bool:
    """A message whose request (its last question, in a long one) asks how to apply: "…
    depuis sa chute elle ne sort plus. Comment on fait la demande d'APA ?". Not "je ne sais
    plus comment faire", a sigh in a story, which names no application."""
    request = normalise(question_part(text) or text)
    return bool(_STEPS.search(request) and _APPLICATION.search(request))
