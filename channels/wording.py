"""Every sentence the channels send on their own: the dialogue writes everything else.

Pure (standard library only): the connectors read their texts here, and the SMS
report and the plain-language test (``devtools/wording.py``) read the same texts
from the application environment, with ``every_text()``. The danger lines and the
"your message was not handled" texts are the safety net's, in ``safety/lines.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

# SMS (channels/sms.py): the keywords STOP, START and AIDE, and a message cut short.
SMS_STOPPED = "Vous ne recevrez plus de SMS de Senior Plus. Pour reprendre, écrivez START."
SMS_RESUMED = (
    "C'est noté : vous recevez à nouveau les SMS de Senior Plus. Écrivez votre question, ou : menu."
)
SMS_HELP = (
    "Senior Plus vous guide dans les démarches pour l'autonomie des personnes âgées et de "
    "leurs proches, en Loire-Atlantique. Ce n'est pas une ligne d'urgence : en cas "
    "d'urgence, appelez le 15 ou le 112. Écrivez STOP pour ne plus recevoir de SMS, "
    "START pour reprendre."
)
SMS_TOO_LONG = (
    "Votre message est très long : j'en ai lu les {limit} premiers caractères. "
    "Pour la suite, envoyez un autre SMS."
)
SMS_STOP_NOT_SAVED = (
    "Désolé, un problème technique empêche d'enregistrer votre demande. "
    "Renvoyez STOP dans quelques minutes."
)

# Telegram (channels/telegram.py, telegram_output.py): the number shared, what cannot be read.
TELEGRAM_CONTACT_TITLE = "Partager mon numéro de téléphone"
TELEGRAM_CONTACT_OFFER = (
    "Si vous le souhaitez, touchez « Partager mon numéro de téléphone » en bas de l'écran : "
    "votre dossier vous suivra aussi par SMS et au téléphone."
)
TELEGRAM_CONTACT_LINKED = (
    "Merci, votre numéro est enregistré. Votre dossier vous suivra aussi par SMS et au téléphone."
)
TELEGRAM_CONTACT_NOT_YOURS = (
    "Ce numéro n'est pas le vôtre, je ne peux pas l'enregistrer. Pour relier votre propre "
    "numéro, touchez « Partager mon numéro de téléphone » en bas de l'écran."
)
TELEGRAM_CONTACT_UNREADABLE = (
    "Je n'ai pas pu lire ce numéro de téléphone. Vous pouvez continuer ici sans le partager."
)
TELEGRAM_TOO_LONG = (
    "Votre message est trop long pour moi. Écrivez-le en quelques phrases, s'il vous plaît."
)
TELEGRAM_GROUP_ONLY = (
    "Je réponds seulement en conversation privée. Ouvrez une discussion avec moi pour "
    "parler de votre situation."
)
TELEGRAM_ASK_IN_WORDS = "Dites-moi en quelques mots ce que vous cherchez."
TELEGRAM_HUMAN = "Pour parler à une personne, écrivez « un conseiller »."
TELEGRAM_CALL_US = "Vous pouvez aussi appeler Senior Plus au {phone}."
# What the person sent that the assistant cannot read: (what we cannot do, extra advice).
TELEGRAM_MEDIA_ANSWERS: Mapping[str, tuple[str, str]] = {
    "voice": ("Je ne peux pas encore écouter les messages vocaux.", ""),
    "photo": (
        "Je ne peux pas encore lire les photos.",
        "S'il s'agit d'un papier, un conseiller pourra le regarder avec vous lors d'un "
        "rendez-vous.",
    ),
    "document": (
        "Je ne peux pas encore lire les documents envoyés.",
        "Un conseiller pourra regarder vos papiers avec vous lors d'un rendez-vous.",
    ),
    "video": ("Je ne peux pas encore regarder les vidéos.", ""),
    "sticker": ("Merci ! Je comprends seulement les messages écrits.", ""),
    "location": (
        "Je ne lis pas encore les positions envoyées.",
        "Si je vous demande où vous habitez, écrivez votre commune ou votre code postal.",
    ),
    "other": ("Je comprends seulement les messages écrits.", ""),
}

# Telephone (channels/voice.py, voice_menu.py): the opening, the keys, a person, the callback.
VOICE_OPENING = (
    "Bonjour, ici Senior Plus, l'assistant du Département pour l'autonomie des personnes âgées."
)
VOICE_LISTEN_FIRST = (
    "Dites-moi en quelques mots ce qui vous amène. Par exemple : "
    "l'aide à domicile pour ma mère. Vous pouvez aussi choisir avec le clavier."
)
VOICE_HINT = "À tout moment, tapez étoile pour réécouter, ou zéro pour parler à un conseiller."
VOICE_NOT_A_CHOICE = "Cette touche ne correspond à aucun choix. Je répète."
VOICE_SILENCES = (
    "Je n'ai rien entendu. Je répète.",
    "Je n'entends toujours rien. Je répète encore.",
)
VOICE_GENERIC_QUESTION = (
    "Dites votre réponse, ou tapez le numéro de votre choix. "
    "Tapez étoile pour réécouter, ou zéro pour parler à un conseiller."
)
VOICE_TRANSFER = (
    "Je vous passe un conseiller de l'équipe Senior Plus. Restez en ligne, s'il vous plaît."
)
VOICE_NO_REPLY = "Je n'entends pas de réponse."
VOICE_CLOSED = "Nos conseillers ne sont pas là en ce moment."
VOICE_CALLBACK = (
    "L'équipe de Senior Plus répond {hours}. Un conseiller vous rappellera {when}, "
    "à ce numéro. Merci de votre appel. Au revoir."
)
VOICE_CALLBACK_IMPOSSIBLE = (
    "L'équipe de Senior Plus répond {hours}. Rappelez-nous à ces heures-là, s'il vous plaît. "
    "Merci de votre appel. Au revoir."
)
VOICE_SAY_IT_AGAIN = (
    "Désolé, je mets trop de temps à vous répondre : votre réponse n'a peut-être pas été "
    "enregistrée. Redites-la, s'il vous plaît."
)
VOICE_HIDDEN_NUMBER = "Votre numéro est masqué : nous ne pouvons pas vous rappeler."
VOICE_NOBODY_ANSWERED = (
    "Personne n'a pu vous répondre. Un conseiller vous rappellera dès que possible, "
    "à ce numéro. Au revoir."
)

# Every channel (channels/rate_limits.py): too many messages or calls in a short time.
SLOW_DOWN = (
    "Vous m'envoyez beaucoup de messages en peu de temps. Je fais une courte pause : "
    "écrivez-moi de nouveau dans quelques minutes. En cas d'urgence, appelez le 15 ou le 112."
)
SLOW_DOWN_VOICE = (
    "Vous m'appelez beaucoup en peu de temps. Rappelez dans quelques minutes, s'il vous plaît. "
    "En cas d'urgence, appelez le 15 ou le 112."
)

# Realistic values for the placeholders, for measuring (the longest each can be).
SAMPLE_VALUES: Mapping[str, str] = {
    "limit": "1600",
    "phone": "02 40 99 10 00",
    "hours": "du lundi au vendredi, de 9 h à 12 h 30 et de 13 h 30 à 17 h",  # OpeningHours.describe
    "when": "lundi à 9 h",  # policies.hours.say_moment
}


def every_text() -> list[tuple[str, str]]:
    """(name, text) of every sentence above, as sent: placeholders filled with samples.

    Telegram's answers to media are sent joined (what cannot be read, the advice, and
    "tell me in words"); the voice goodbyes follow what the caller heard just before.
    """
    plain = {
        name: value
        for name, value in globals().items()
        if name.isupper() and isinstance(value, str) and name != "SAMPLE_VALUES"
    }
    found = [(name, text.format(**SAMPLE_VALUES)) for name, text in plain.items()]
    found += [(f"VOICE_SILENCES[{i}]", text) for i, text in enumerate(VOICE_SILENCES)]
    for kind, (cannot, advice) in TELEGRAM_MEDIA_ANSWERS.items():
        said = " ".join(part for part in (cannot, advice, TELEGRAM_ASK_IN_WORDS) if part)
        found.append((f"TELEGRAM_MEDIA_ANSWERS[{kind}]", said))
    hidden = f"{VOICE_HIDDEN_NUMBER} {VOICE_CALLBACK_IMPOSSIBLE}".format(**SAMPLE_VALUES)
    found.append(("VOICE_HIDDEN_NUMBER + VOICE_CALLBACK_IMPOSSIBLE", hidden))
    return found
