"""What the assistant says for each danger, in plain text for every channel.

The numbers and their wording come from the domain brief (section 12 of
../shared/domain/autonomy-journeys.md; docs/safety.md lists the sources):
15 and 112 for a medical emergency, 3114 for suicidal thoughts (15/112 too when a
plan or an act is under way), 17 (and 3919 in the couple) for violence, 3977 for
maltreatment (17 when it is happening now), 17/112 for a vulnerable person
missing, and 114 by SMS for a person who cannot call, first when they say so.

The channel renders each text (``rendering``): GSM-7 for SMS, HTML for Telegram,
and on the phone the numbers are said digit by digit ("le trois, un, un, quatre").
The 114 is an SMS number: it is never said on the phone.
"""

from __future__ import annotations

from rendering.channels import Names
from safety.classes import NUMBERS, SMS_RELAY, Danger
from safety.reading import Reading

ALARM: dict[Danger, str] = {
    Danger.MEDICAL: (
        "Appelez tout de suite le 15 (SAMU) ou le 112 : dites ce qui se passe et l'adresse exacte."
    ),
    Danger.SUICIDE_PLAN: (
        "Si un geste est en cours ou prévu, appelez tout de suite le 15 (SAMU) ou le 112."
    ),
    # The plan is not always said in words ("je vais en finir ce soir" read as thoughts): the
    # 15 and the 112 are said with the 3114 every time, as the 3114 itself advises.
    Danger.SUICIDE: (
        "Vous pouvez en parler maintenant : appelez le 3114, le numéro de prévention du suicide. "
        "Des soignants répondent jour et nuit, gratuitement, à la personne et à ses proches. "
        "Si un geste est en cours, appelez le 15 (SAMU) ou le 112."
    ),
    # Nor is the couple always named ("il me frappe"): the 3919 is said with the 17 every time.
    Danger.VIOLENCE: (
        "Si vous êtes en danger, appelez le 17 (police) ou le 112. Mettez-vous à l'abri si vous "
        "le pouvez. Dans le couple, le 3919 écoute aussi, gratuitement."
    ),
    Danger.VIOLENCE_COUPLE: (
        "Si vous êtes en danger, appelez le 17 (police) ou le 112. Le 3919 écoute aussi les "
        "victimes de violences dans le couple, gratuitement et anonymement."
    ),
    Danger.MALTREATMENT: (
        "Pour une maltraitance, appelez le 3977 : écoute et conseil, gratuit et confidentiel, "
        "tous les jours en journée. Ce n'est pas une ligne d'urgence."
    ),
    Danger.MISSING: (
        "Prévenez tout de suite la police ou la gendarmerie : appelez le 17 ou le 112, avec son "
        "signalement et le dernier endroit où la personne a été vue."
    ),
    Danger.GENERAL: (
        "Si une vie est en danger, appelez tout de suite le 15 (SAMU) ou le 112. En cas de "
        "violence, le 17 (police)."
    ),
}
# The kind is not known (the model alone heard danger): every line, briefly.
EVERY_LINE = (
    "En cas d'urgence : le 15 (SAMU) ou le 112 pour la santé, le 17 (police) en cas de "
    "violence (le 3919 dans le couple), le 3114 pour des idées de suicide, le 3977 pour une "
    "maltraitance."
)
HAPPENING_NOW = "Si cela se passe en ce moment, appelez le 17 (police) ou le 112."
RELAY = (
    "Si vous ne pouvez pas parler, envoyez un SMS au 114 (urgences, jour et nuit) : écrivez ce "
    "qui se passe et l'adresse exacte."
)
RELAY_FIRST = (
    "Vous ne pouvez pas téléphoner ? Envoyez un SMS au 114 (urgences, jour et nuit) : écrivez "
    "ce qui se passe et l'adresse exacte."
)
HANG_UP = "Raccrochez et appelez maintenant. Je reste là si vous rappelez."

# Words of danger, but not clearly now: one short question (Oui / Non) decides.
QUESTION: dict[Danger, str] = {
    Danger.MEDICAL: (
        "Si quelqu'un va mal en ce moment (chute sans pouvoir se relever, malaise, douleur), "
        "appelez tout de suite le 15 ou le 112. Est-ce en ce moment ?"
    ),
    Danger.SUICIDE: (
        "Si vous, ou un proche, pensez au suicide, le 3114 répond jour et nuit, gratuitement. "
        "Est-ce le cas en ce moment ?"
    ),
    Danger.SUICIDE_PLAN: (
        "Si vous, ou un proche, pensez au suicide, le 3114 répond jour et nuit, et le 15 en cas "
        "de geste. Est-ce le cas en ce moment ?"
    ),
    Danger.VIOLENCE: (
        "Si quelqu'un est violent en ce moment, appelez le 17 ou le 112. Est-ce en ce moment ?"
    ),
    Danger.VIOLENCE_COUPLE: (
        "Si quelqu'un est violent en ce moment, appelez le 17 ou le 112 ; le 3919 écoute les "
        "victimes de violences dans le couple. Est-ce en ce moment ?"
    ),
    Danger.MALTREATMENT: (
        "Pour une maltraitance, le 3977 écoute et conseille, gratuitement ; si cela se passe "
        "maintenant, le 17. Est-ce en ce moment ?"
    ),
    Danger.MISSING: (
        "Si une personne fragile a disparu, appelez tout de suite le 17 ou le 112. "
        "Est-ce en ce moment ?"
    ),
    Danger.GENERAL: (
        "Si une vie est en danger, appelez tout de suite le 15 ou le 112. Est-ce en ce moment ?"
    ),
}
UNKNOWN_QUESTION = f"{EVERY_LINE} Est-ce une urgence en ce moment ?"
YES_NOW = "Oui, en ce moment"
NOT_NOW = "Non"
THANKS_NOT_NOW = "D'accord, merci de me l'avoir dit."

# When a person of the team holds the conversation, or the assistant could not answer.
FORWARDED = "Votre message est aussi transmis à l'équipe de Senior Plus."
# The conversation waits for a person of the team, who has not taken it yet: never silence.
WAITING = (
    "Votre message est transmis à l'équipe de Senior Plus : un conseiller vous répondra ici. "
    "En cas d'urgence, appelez le 15 ou le 112."
)
NOT_STORED = (
    "Désolé, un problème technique m'a empêché de lire votre message : il n'a pas été "
    "enregistré. Renvoyez-le dans quelques minutes, s'il vous plaît."
)
NO_ANSWER = (
    "Désolé, je n'arrive pas à vous répondre pour le moment. Votre message est bien enregistré. "
    "Réessayez dans quelques minutes, s'il vous plaît."
)
TOO_SLOW = (
    "Désolé, je mets trop de temps à vous répondre. Renvoyez votre message dans une minute, "
    "s'il vous plaît."
)

VOICE_CHANNELS = Names(lambda channel: channel.kind == "voice")


def alarm_lines(reading: Reading, channel: str | None) -> list[str]:
    """The lines for a danger now, in order: the 114 first for someone who cannot call."""
    voice = channel in VOICE_CHANNELS
    dangers = list(reading.dangers)
    if Danger.SUICIDE_PLAN in dangers and Danger.SUICIDE not in dangers:
        dangers.insert(dangers.index(Danger.SUICIDE_PLAN) + 1, Danger.SUICIDE)  # and the 3114
    lines = [ALARM[d] for d in dangers] or [EVERY_LINE]
    if Danger.MALTREATMENT in dangers and reading.happening_now and not _says_17(dangers):
        lines.append(HAPPENING_NOW)
    if voice:
        return [*lines, HANG_UP]
    if reading.cannot_call:
        return [RELAY_FIRST, *lines]
    return [*lines, RELAY]


# The order in which a question picks its kind; the other kinds add their number.
QUESTION_ORDER = (
    Danger.SUICIDE_PLAN, Danger.SUICIDE, Danger.VIOLENCE_COUPLE, Danger.VIOLENCE, Danger.MISSING,
    Danger.MALTREATMENT, Danger.MEDICAL, Danger.GENERAL,
)  # fmt: skip
ALSO: dict[Danger, str] = {
    Danger.MEDICAL: "Malaise ou blessure : le 15.",
    Danger.SUICIDE: "Idées de suicide : le 3114.",
    Danger.SUICIDE_PLAN: "Idées de suicide : le 3114 ; un geste : le 15.",
    Danger.VIOLENCE: "Violence : le 17.",
    Danger.VIOLENCE_COUPLE: "Violence dans le couple : le 17 et le 3919.",
    Danger.MALTREATMENT: "Maltraitance : le 3977.",
    Danger.MISSING: "Personne disparue : le 17.",
    Danger.GENERAL: "Une vie en danger : le 15 ou le 112.",
}
ASK = "Est-ce en ce moment ?"


def question(reading: Reading) -> str:
    """The one question asked when the words say danger but not whether it is now.

    Its kind is the gravest of the reading; the other kinds add their number before it.
    """
    if not reading.dangers:
        return UNKNOWN_QUESTION
    kinds = sorted(reading.dangers, key=QUESTION_ORDER.index)
    text = QUESTION[kinds[0]]
    others = [ALSO[k] for k in kinds[1:]]
    if not others:
        return text
    head, _, ask = text.rpartition(". ")
    return f"{head}. {' '.join(others)} {ask}"


def question_lines(reading: Reading, channel: str | None) -> list[str]:
    """What comes before the question: the 114 first for someone who says they cannot call."""
    if reading.cannot_call and channel not in VOICE_CHANNELS:
        return [RELAY_FIRST]
    return []


def numbers_needed(reading: Reading, channel: str | None) -> list[str]:
    """The numbers the person must have read (each "a|b" is satisfied by either)."""
    dangers = list(reading.dangers) or [Danger.GENERAL]
    needed = [n for d in dangers for n in NUMBERS[d]]
    if Danger.MALTREATMENT in dangers and reading.happening_now:
        needed.append("17|112")
    if channel not in VOICE_CHANNELS:
        needed.append(SMS_RELAY)
    return list(dict.fromkeys(needed))


def _says_17(dangers: list[Danger]) -> bool:
    return any(d in (Danger.VIOLENCE, Danger.VIOLENCE_COUPLE, Danger.MISSING) for d in dangers)


def every_text() -> list[str]:
    """Every sentence of this module, for the SMS report and the plain-language test."""
    return [
        *ALARM.values(),
        *QUESTION.values(),
        *ALSO.values(),
        EVERY_LINE,
        UNKNOWN_QUESTION,
        HAPPENING_NOW,
        RELAY,
        RELAY_FIRST,
        HANG_UP,
        THANKS_NOT_NOW,
        FORWARDED,
        WAITING,
        NOT_STORED,
        NO_ANSWER,
        TOO_SLOW,
    ]
