"""The danger reader: each kind of danger now, and the same words calm when past or figurative.

The examples are the team's own, written for these tests; the blind evaluation
sets (tests/safety/) are never copied here.
"""

from __future__ import annotations

import pytest

from safety import Danger, Level, Reading, read_danger

DANGER_NOW = [
    ("maman est par terre dans la cuisine et n'arrive pas à se relever", Danger.MEDICAL),
    ("jsui tombee ds le couloir jpeux pa me relever", Danger.MEDICAL),
    ("mon mari ne se réveille pas, il respire bizarrement", Danger.MEDICAL),
    ("Il a une douleur qui serre dans la poitrine depuis vingt minutes", Danger.MEDICAL),
    ("elle a mal dans le bras gauche et à la mâchoire et elle transpire beaucoup", Danger.MEDICAL),
    ("son visage est tout de travers d'un côté et il n'arrive plus à parler", Danger.MEDICAL),
    ("mon père a avalé toute la boîte de ses comprimés pour le cœur par erreur", Danger.MEDICAL),
    ("elle vient de tomber, elle s'est cogné la tête et elle saigne", Danger.MEDICAL),
    ("ça sent le gaz très fort dans l'appartement de ma tante", Danger.MEDICAL),
    ("euh allô ma femme elle s'étouffe elle a avalé de travers elle devient bleue", Danger.MEDICAL),
    ("j'ai envie de mourir, à quoi bon continuer", Danger.SUICIDE),
    (
        "depuis la mort de mon mari je n'ai plus goût à rien, j'aimerais m'endormir et ne "
        "plus me réveiller",
        Danger.SUICIDE,
    ),
    ("ma mère me répète qu'elle veut en finir", Danger.SUICIDE),
    ("JE VEUX PLUS VIVRE", Danger.SUICIDE),
    ("j'ai mis de côté tous mes somnifères, je veux en finir ce soir", Danger.SUICIDE_PLAN),
    ("mon père a écrit une lettre d'adieu et il est parti avec une corde", Danger.SUICIDE_PLAN),
    ("mon petit-fils me frappe quand il veut de l'argent", Danger.VIOLENCE),
    ("quelqu'un essaie de forcer ma porte, j'ai peur", Danger.VIOLENCE),
    ("mon compagnon m'a encore frappée hier soir", Danger.VIOLENCE_COUPLE),
    ("mon mari me menace avec un couteau", Danger.VIOLENCE_COUPLE),
    ("l'aide à domicile secoue ma mère et lui crie dessus", Danger.MALTREATMENT),
    (
        "ma grand-mère reste des heures dans ses protections souillées à l'ehpad",
        Danger.MALTREATMENT,
    ),
    ("mon frère vide le compte de papa avec sa carte bleue", Danger.MALTREATMENT),
    ("on l'oblige à signer des chèques", Danger.MALTREATMENT),
    ("mon père qui a Alzheimer est sorti cette nuit et on ne le retrouve pas", Danger.MISSING),
    (
        "ma voisine de 91 ans ne répond plus au téléphone depuis trois jours, volets fermés",
        Danger.MISSING,
    ),
]

CALM = [
    # past
    "il y a trois ans mon père a fait un AVC, peut-il avoir l'APA ?",
    "Depuis sa chute de l'an dernier, ma mère ne sort plus seule",
    "ma tante s'était fait escroquer en 2021, maintenant tout va bien, je voudrais une curatelle",
    "mon défunt mari était violent, je touche une pension de réversion",
    # chronic
    "elle a du mal à respirer depuis des années, elle est sous oxygène, quelles aides ?",
    "mon père tombe souvent, deux fois cette semaine, il faudrait une téléassistance",
    # figurative
    "je passe des coups de fil toute la journée pour trouver une place en ehpad",
    "je suis complètement perdue dans les papiers de l'APA",
    "ces démarches me tuent, j'aimerais en finir avec ce dossier",
    "on me parle d'APA d'urgence, c'est quoi ?",
    "mon père va prendre sa retraite et veut s'occuper de sa mère",
    "laissez tomber le rendez-vous de jeudi",
    # wish, end of life
    "ma mère veut mourir chez elle, pas à l'hôpital, quelles aides pour rester à domicile ?",
    "je veux finir mes jours dans ma maison",
    "est-ce que l'APA est récupérée sur la succession après le décès ?",
    # hypothetical, prevention
    "que faire si elle tombe la nuit et que personne n'est là ?",
    "une montre qui alerte en cas de chute, c'est remboursé ?",
    "comment reconnaître une maltraitance en général ?",
    # negated
    "il ne l'a jamais frappée, mais il crie beaucoup, est-ce que c'est grave ?",
    "pas d'urgence, je voudrais juste un rendez-vous",
    "nous ne savons pas à quelle porte frapper pour les aides",
    "mon rendez-vous tombe le même jour que son audience",
    "ma mère est tombée malade cet hiver, elle a besoin d'une aide-ménagère",
    "mon père a eu deux AVC, peut-il aller en accueil de jour ?",
    "il refuse qu'un inconnu vienne chez lui pour l'évaluation de l'APA",
    # care already given
    "elle est tombée et les pompiers l'ont emmenée à l'hôpital, elle y est encore",
]

UNCLEAR = [
    "ma mère est tombée",
    "mon père a fait un malaise",
    "il saigne du nez",
    "mon mari a fait un AVC",
]


@pytest.mark.parametrize(("text", "danger"), DANGER_NOW)
def test_danger_now_is_read_with_its_kind(text: str, danger: Danger) -> None:
    reading = read_danger(text)
    assert reading.level is Level.DANGER, reading
    assert danger in reading.dangers, reading


@pytest.mark.parametrize("text", CALM)
def test_past_chronic_figurative_wished_or_hypothetical_words_raise_no_alarm(text: str) -> None:
    assert read_danger(text).level in (Level.CALM, Level.NONE), read_danger(text)


@pytest.mark.parametrize("text", UNCLEAR)
def test_words_of_danger_without_a_time_are_unclear(text: str) -> None:
    assert read_danger(text).level is Level.UNCLEAR


def test_a_word_of_now_makes_an_unclear_sign_danger() -> None:
    assert read_danger("mon père a fait un AVC ce matin").level is Level.DANGER
    assert read_danger("elle saigne du nez depuis deux heures").level is Level.DANGER


def test_two_signs_together_are_danger() -> None:
    assert read_danger("mamie est tombée dans l'escalier et elle saigne").is_danger


def test_the_nearest_time_decides() -> None:
    text = "Il y a deux ans il a fait un AVC, et ce matin il est par terre, il ne bouge plus"
    assert read_danger(text).is_danger
    assert not read_danger("il a fait un AVC il y a deux ans").is_danger


def test_someone_who_cannot_call_is_noticed() -> None:
    assert read_danger("je suis sourde, mon mari me frappe").cannot_call
    assert read_danger("je chuchote il est à côté il va me tuer").cannot_call
    assert not read_danger("mon mari me frappe").cannot_call


def test_maltreatment_happening_now_is_marked() -> None:
    reading = read_danger("en ce moment même l'auxiliaire est en train de la secouer")
    assert Danger.MALTREATMENT in reading.dangers
    assert reading.happening_now


def test_danger_buried_in_a_long_message_is_found() -> None:
    context = (
        "Bonjour, ma mère a 88 ans, elle vit seule à Vertou et nous avons demandé l'APA en "
        "septembre. Le dossier est complet et nous attendons la visite. "
    )
    text = context * 8 + "Là elle vient de tomber et elle ne peut plus se relever. " + context * 8
    assert len(text) > 2000
    assert read_danger(text).is_danger


def test_spelling_accents_and_capitals_do_not_hide_danger() -> None:
    for text in ("MA MERE NE RESPIRE PLUS", "ma mere ne respire plus", "ma mère ne respire plus"):
        assert read_danger(text).is_danger


def test_a_reading_survives_the_tracker() -> None:
    reading = read_danger("mon mari me frappe, je suis sourde")
    assert Reading.from_dict(reading.as_dict()) == reading
    assert Reading.from_dict({"level": "nonsense"}) is None
    assert Reading.from_dict(None) is None
