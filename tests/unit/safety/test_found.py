"""A person said found, or there, is not missing: only the missing reading changes.

"Il ne répond plus depuis ce matin" reads as a missing person (17); once the message says
the person is found or there ("je suis passée, il est par terre"), those words tell how
they were found, and the medical line (15/112) is the one to give. While nobody has found
them (a closed door, a search, "on ne la retrouve pas"), the missing reading stays.

The examples are the team's own, in the shapes of how people write (long messages, SMS,
voice transcripts, capitals); the blind evaluation sets are never copied here.
"""

from __future__ import annotations

import pytest

from safety import Danger, Level, read_danger

# Found or there, and a sign of their health: the medical line, not the missing one.
FOUND_AND_HURT = [
    "mon père ne répond plus au téléphone depuis ce matin, je suis passée, il est par terre "
    "dans la cuisine et il respire mal",
    "Bonjour, ma mère a 87 ans et vit seule à Rezé. Elle ne décroche plus depuis hier soir, "
    "je suis allée chez elle ce matin : je l'ai trouvée allongée dans le couloir, elle respire "
    "très mal. Que faire ?",
    "jsui passee chez papa il repond plus au tel depuis ce matin il est au sol il bouge plus",
    "euh oui bonjour alors voilà ma tante elle décroche plus depuis hier euh les pompiers sont "
    "là elle est inconsciente",
    "papa ne répond plus au téléphone depuis dimanche. Je suis chez lui, il est dans son lit, "
    "il ne se réveille pas.",
    "MAMAN REPOND PLUS DEPUIS HIER JE LAI TROUVEE PAR TERRE ELLE SAIGNE DE LA TETE",
    "mon père atteint d'Alzheimer est parti de la maison cette nuit, on vient de le retrouver "
    "dans un champ, il est glacé et il respire mal",
    "elle ne répond plus depuis deux jours, je suis avec elle maintenant, elle a très mal à la "
    "poitrine",
    "mon voisin de 90 ans ne répond pas à la porte depuis hier, on l'a trouvé par terre dans "
    "la cuisine, il n'arrive pas à se relever",
    "ma mère a fugué de l'ehpad, un voisin l'a ramenée, elle est tombée et elle a la bouche "
    "de travers",
    "il ne répond plus depuis hier, je suis passée, il est tombé dans la salle de bain",
    "mon pere a disparu cette nuit on la retrouvee dans le jardin du voisin il respire mal",
    "il ne répond plus depuis hier, je suis passée, il est encore par terre, il respire mal",
]

# Nobody has found them: the missing reading (17 or 112) stays.
STILL_MISSING = [
    "ne répond plus depuis hier, je suis devant sa porte, volets fermés, personne n'ouvre",
    "ma mère ne répond plus au téléphone depuis hier, je suis devant chez elle, les volets "
    "sont fermés et personne n'ouvre",
    "bonjour mon père de 84 ans est sorti ce matin à pied sans son téléphone, il n'est "
    "toujours pas rentré, on le cherche partout dans le quartier",
    "ma tante ne répond plus depuis trois jours, je suis chez elle mais elle n'est pas là, "
    "son lit n'est pas défait",
    "elle est pas dans son lit, elle est partie en pyjama cette nuit, on la trouve nulle part",
    "je ne sais pas si elle est là, elle ne répond plus depuis hier et le courrier s'entasse",
    "elle ne répond plus depuis hier, si elle est par terre elle ne peut pas appeler",
    "est-ce qu'elle est là ? ma voisine ne répond plus depuis lundi, ses volets sont fermés",
    "personne ne l'a retrouvée, elle a disparu depuis ce matin",
    "mamie est partie de l'ehpad sans prévenir, on l'a pas retrouvée",
    "aidez moi a la retrouvee elle est partie de chez elle cette nuit",
    "je l'ai trouvée très fatiguée dimanche et depuis hier elle ne répond plus au téléphone",
    "ma mère ne répond plus depuis ce matin, je suis pas avec elle, je suis au travail à Nantes",
    "mon frère est avec moi, on est devant la porte de maman, elle ne répond plus depuis hier soir",
    "euh allô oui mon mari est parti de la maison tout à l'heure il a Alzheimer on ne le "
    "retrouve pas il est peut-être tombé quelque part",
    "les gendarmes sont là, ils la cherchent dans les bois, mon mari a disparu depuis hier soir",
    # found once, but earlier, or gone again since
    "Il y a deux ans on l'avait retrouvée dans un fossé. Là il ne répond plus au téléphone "
    "depuis hier, volets fermés.",
    "elle est chez moi depuis un mois et ce matin elle a disparu",
    "on l'a retrouvée la semaine dernière au bord de la Loire, et ce matin elle a encore disparu",
    "on l'a retrouvée hier soir mais ce matin elle est repartie et on la cherche partout",
]


@pytest.mark.parametrize("text", FOUND_AND_HURT)
def test_a_person_found_hurt_gets_the_medical_line_not_the_missing_one(text: str) -> None:
    reading = read_danger(text)
    assert reading.level is Level.DANGER, reading
    assert reading.dangers == (Danger.MEDICAL,), reading


@pytest.mark.parametrize("text", STILL_MISSING)
def test_a_person_nobody_has_found_is_still_missing(text: str) -> None:
    reading = read_danger(text)
    assert reading.level is Level.DANGER, reading
    assert Danger.MISSING in reading.dangers, reading


def test_found_with_nothing_said_of_their_health_leaves_a_medical_doubt() -> None:
    text = "ma mère avait fugué de l'ehpad hier, on l'a retrouvée, je voudrais changer d'ehpad"
    reading = read_danger(text)
    assert reading.level is Level.UNCLEAR  # the question, with the 15 and the 112
    assert reading.dangers == (Danger.MEDICAL,)


def test_found_and_well_is_calm() -> None:
    for text in (
        "ma mère avait fugué de l'ehpad hier, on l'a retrouvée, elle va bien, je voudrais "
        "changer d'établissement",
        "il ne répond plus depuis hier soir, je suis passé ce matin, il est dans son "
        "fauteuil, il va bien, son téléphone était déchargé",
    ):
        assert read_danger(text).level in (Level.CALM, Level.NONE), read_danger(text)


def test_only_the_missing_reading_is_dropped() -> None:
    # the violence is read as before; the words that said missing no longer do
    text = (
        "ma mère ne répond plus au téléphone depuis hier, je suis chez elle, elle est par terre, "
        "mon beau-père l'a frappée"
    )
    reading = read_danger(text)
    assert Danger.MISSING not in reading.dangers
    assert Danger.MEDICAL in reading.dangers
    assert {Danger.VIOLENCE, Danger.VIOLENCE_COUPLE} & set(reading.dangers), reading
