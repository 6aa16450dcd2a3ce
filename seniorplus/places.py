"""Where the person lives: a commune or a postcode of Loire-Atlantique → coordinates.

A small table, not a geocoder: the communes that hold most of the department's
people over 60 and the seats of its intercommunalities. Coordinates are the
town centres, rounded to about a kilometre (enough to pick the nearest of a
handful of sites; approximate values, not a survey). A commune missing here,
or a person living outside Loire-Atlantique, gets phone appointments instead.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """A commune: its name as written, its main postcode, its centre."""

    name: str
    postcode: str
    latitude: float
    longitude: float


# name, postcode, latitude, longitude (approximate town centre)
_COMMUNES: tuple[tuple[str, str, float, float], ...] = (
    ("Nantes", "44000", 47.218, -1.554),
    ("Saint-Herblain", "44800", 47.212, -1.650),
    ("Rezé", "44400", 47.183, -1.550),
    ("Saint-Sébastien-sur-Loire", "44230", 47.208, -1.502),
    ("Orvault", "44700", 47.271, -1.622),
    ("Vertou", "44120", 47.169, -1.470),
    ("Carquefou", "44470", 47.298, -1.491),
    ("Thouaré-sur-Loire", "44470", 47.268, -1.441),
    ("La Chapelle-sur-Erdre", "44240", 47.299, -1.553),
    ("Sucé-sur-Erdre", "44240", 47.342, -1.529),
    ("Bouguenais", "44340", 47.178, -1.624),
    ("Couëron", "44220", 47.216, -1.723),
    ("Indre", "44610", 47.199, -1.670),
    ("Sautron", "44880", 47.265, -1.670),
    ("Treillières", "44119", 47.331, -1.624),
    ("Basse-Goulaine", "44115", 47.211, -1.466),
    ("Les Sorinières", "44840", 47.149, -1.529),
    ("Le Pellerin", "44640", 47.199, -1.756),
    ("La Montagne", "44620", 47.189, -1.683),
    ("Saint-Nazaire", "44600", 47.274, -2.214),
    ("Trignac", "44570", 47.318, -2.189),
    ("Montoir-de-Bretagne", "44550", 47.328, -2.150),
    ("Donges", "44480", 47.318, -2.075),
    ("Pornichet", "44380", 47.249, -2.340),
    ("La Baule-Escoublac", "44500", 47.287, -2.391),
    ("Le Pouliguen", "44510", 47.271, -2.432),
    ("Guérande", "44350", 47.328, -2.429),
    ("Le Croisic", "44490", 47.292, -2.512),
    ("La Turballe", "44420", 47.347, -2.509),
    ("Saint-Brevin-les-Pins", "44250", 47.246, -2.167),
    ("Paimbœuf", "44560", 47.287, -2.030),
    ("Pornic", "44210", 47.115, -2.102),
    ("Saint-Michel-Chef-Chef", "44730", 47.181, -2.148),
    ("La Plaine-sur-Mer", "44770", 47.140, -2.192),
    ("Chaumes-en-Retz", "44320", 47.153, -1.931),
    ("Sainte-Pazanne", "44680", 47.103, -1.811),
    ("Machecoul-Saint-Même", "44270", 46.994, -1.822),
    ("Villeneuve-en-Retz", "44580", 47.045, -1.950),
    ("Saint-Philbert-de-Grand-Lieu", "44310", 47.037, -1.641),
    ("Legé", "44650", 46.885, -1.598),
    ("Clisson", "44190", 47.087, -1.282),
    ("Gétigné", "44190", 47.077, -1.255),
    ("Vallet", "44330", 47.162, -1.266),
    ("Aigrefeuille-sur-Maine", "44140", 47.078, -1.403),
    ("Haute-Goulaine", "44115", 47.199, -1.430),
    ("Le Loroux-Bottereau", "44430", 47.238, -1.346),
    ("Saint-Julien-de-Concelles", "44450", 47.253, -1.385),
    ("Divatte-sur-Loire", "44450", 47.268, -1.310),
    ("Ancenis-Saint-Géréon", "44150", 47.366, -1.177),
    ("Oudon", "44521", 47.347, -1.284),
    ("Loireauxence", "44370", 47.385, -1.029),
    ("Ligné", "44850", 47.410, -1.378),
    ("Le Cellier", "44850", 47.321, -1.346),
    ("Riaillé", "44440", 47.519, -1.294),
    ("Vallons-de-l'Erdre", "44540", 47.526, -1.185),
    ("Nort-sur-Erdre", "44390", 47.439, -1.498),
    ("Petit-Mars", "44390", 47.395, -1.453),
    ("Châteaubriant", "44110", 47.717, -1.376),
    ("Rougé", "44660", 47.784, -1.448),
    ("Moisdon-la-Rivière", "44520", 47.623, -1.373),
    ("Derval", "44590", 47.668, -1.670),
    ("Nozay", "44170", 47.565, -1.626),
    ("Guémené-Penfao", "44290", 47.631, -1.833),
    ("Blain", "44130", 47.477, -1.763),
    ("Bouvron", "44130", 47.418, -1.847),
    ("Fay-de-Bretagne", "44130", 47.413, -1.792),
    ("Héric", "44810", 47.415, -1.653),
    ("Grandchamp-des-Fontaines", "44119", 47.363, -1.614),
    ("Vigneux-de-Bretagne", "44360", 47.325, -1.736),
    ("Savenay", "44260", 47.361, -1.941),
    ("Campbon", "44750", 47.413, -1.968),
    ("Pontchâteau", "44160", 47.438, -2.088),
    ("Saint-Gildas-des-Bois", "44530", 47.517, -2.038),
    ("Missillac", "44780", 47.483, -2.159),
    ("Herbignac", "44410", 47.449, -2.318),
    ("Saint-Lyphard", "44410", 47.399, -2.305),
)

COMMUNES: tuple[Place, ...] = tuple(Place(*row) for row in _COMMUNES)


def plain_name(text: str) -> str:
    """ "Saint-Sébastien-sur-Loire" → "saint sebastien sur loire"; "St" → "saint"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    no_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", no_accents).split()
    expand = {"st": "saint", "ste": "sainte", "s": "sur"}
    return " ".join(expand.get(w, w) for w in words)


# Former communes merged into a new one, still the name people use.
_ALIASES = {
    "ancenis": "Ancenis-Saint-Géréon",
    "saint gereon": "Ancenis-Saint-Géréon",
    "machecoul": "Machecoul-Saint-Même",
    "varades": "Loireauxence",
    "saint mars la jaille": "Vallons-de-l'Erdre",
    "bourgneuf en retz": "Villeneuve-en-Retz",
    "la chapelle basse mer": "Divatte-sur-Loire",
    "barbechat": "Divatte-sur-Loire",
}
_BY_NAME = {plain_name(p.name): p for p in COMMUNES}
_BY_NAME.update({alias: _BY_NAME[plain_name(name)] for alias, name in _ALIASES.items()})
_BY_POSTCODE: dict[str, Place] = {}
for _place in COMMUNES:  # the first commune listed for a shared postcode is the main one
    _BY_POSTCODE.setdefault(_place.postcode, _place)


def locate(commune_or_postcode: str) -> Place | None:
    """The commune named or whose postcode is given ("44150", "ancenis", "St Nazaire").

    Returns None for an unknown commune or a postcode outside the table.
    """
    text = commune_or_postcode.strip()
    if match := re.search(r"\b(\d{5})\b", text):
        return _BY_POSTCODE.get(match.group(1))
    plain = plain_name(text)
    plain = re.sub(
        r"^(a|au|je suis a|j habite a|j habite|habite a|ville de|commune de) ", "", plain
    )
    if plain in _BY_NAME:
        return _BY_NAME[plain]
    # "La Baule" for "La Baule-Escoublac", "Machecoul" for "Machecoul-Saint-Même"
    starts = [p for name, p in _BY_NAME.items() if name.startswith(plain + " ")]
    return starts[0] if len(starts) == 1 else None


# Words that put a commune after them ("vit à Rezé", "habite Clisson", "près de Blain").
_PLACE_WORDS = (
    r"(?:a|au|aux|vers|pres de|cote de|sur la commune de|commune de|ville de|region de"
    r"|habite|habitent|habitons|habites|vit|vivent|reside|demeure)"
)
_LIVING = re.compile(r"\b(?:habite|habitent|habitons|habites|vit|vivent|vivons|reside|demeure)\b")
_ARTICLES = ("la", "le", "les")
_NOT_A_NAME = (*_ARTICLES, "saint", "sainte", "sur", "de", "en")  # a prefix does not end so
_COMMON = ("basse", "haute", "petit", "grand")  # "à petit feu" is not Petit-Mars
_CONTRACTED = {"le": "au", "les": "aux"}  # "au Pellerin", "aux Sorinières"


def _spoken_names() -> dict[str, Place]:
    """Each commune's name as people write it in a sentence: in full, by a prefix no other
    commune shares ("la baule", "montoir", "saint sebastien"), and contracted ("au croisic")."""
    prefixes: dict[str, list[Place]] = {}
    for name, place in _BY_NAME.items():
        words = name.split()
        for size in range(1, len(words)):
            prefix = " ".join(words[:size])
            if words[size - 1] not in _NOT_A_NAME and (size > 1 or words[0] not in _COMMON):
                prefixes.setdefault(prefix, []).append(place)
    spoken = {prefix: found[0] for prefix, found in prefixes.items() if len(set(found)) == 1}
    spoken.update(_BY_NAME)
    for name, place in list(spoken.items()):
        article, _, rest = name.partition(" ")
        if article in _CONTRACTED and rest:
            spoken[f"{_CONTRACTED[article]} {rest}"] = place
    return spoken


_SPOKEN = sorted(_spoken_names().items(), key=lambda item: -len(item[0]))


def named_in(text: str) -> Place | None:
    """The commune of the table a free message names ("elle vit seule à St Nazaire depuis…").

    A name counts after a place word ("à", "habite", "près de"), or anywhere when it is of
    several words and does not start with an article ("saint herblain", not "la montagne",
    "le cellier"). Two communes named: the one after "vit" or "habite", else none (the
    question is then asked rather than a guess made).
    """
    plain = f" {plain_name(text)} "
    taken: list[tuple[int, int]] = []  # "nantes" is not read again inside a longer name
    lived: dict[str, bool] = {}  # each commune named: whether after "vit" or "habite"
    for name, place in _SPOKEN:
        for match in re.finditer(rf"(?<= ){re.escape(name)}(?= )", plain):
            if any(start <= match.start() < end for start, end in taken):
                continue
            before = " ".join(plain[: match.start()].split()[-3:])
            contracted = name.split()[0] in _CONTRACTED.values()
            placed = contracted or re.search(rf"\b{_PLACE_WORDS}$", before) is not None
            loose = " " in name and name.split()[0] not in _ARTICLES
            if placed or loose:
                taken.append((match.start(), match.end()))
                after_living = _LIVING.search(before) is not None
                lived[place.name] = lived.get(place.name, False) or after_living
    if len(lived) == 1:
        return locate(next(iter(lived)))
    living = [name for name, after_living in lived.items() if after_living]
    return locate(living[0]) if len(living) == 1 else None


_POSTCODE_44 = re.compile(r"(?<![\d,.])44\d{3}(?!\d|[,.]\d)(?!\s*(?:€|euros?\b|eur\b|e\b))", re.I)


def postcode_in(text: str) -> str | None:
    """A Loire-Atlantique postcode written in a sentence ("au 3 rue des Lilas, 44300 Nantes");
    not an amount ("44000 euros par an"). Other departments' codes are left to the
    question: in a free sentence, "12 000" or "75 000" are more often money."""
    found = {match.group(0) for match in _POSTCODE_44.finditer(text)}
    return found.pop() if len(found) == 1 else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
