"""Spoken names of the web sites the content points to (for the phone)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Host (or parent domain) → what the voice says instead of the address.
# Every domain of data/journeys/*.yml and bot/domain/*.yml is here.
SPOKEN_SITES: Mapping[str, str] = MappingProxyType(
    {
        "loire-atlantique.fr": "le site du Département de Loire-Atlantique",
        "service-public.fr": "le site Service Public",
        "pour-les-personnes-agees.gouv.fr": "le portail national pour les personnes âgées",
        "caf.fr": "le site de la CAF",
        "msa.fr": "le site de la MSA",
        "ameli.fr": "le site de l'Assurance maladie",
        "lassuranceretraite.fr": "le site de l'Assurance retraite",
        "carsat-pl.fr": "le site de la Carsat des Pays de la Loire",
        "monparcourshandicap.gouv.fr": "le site Mon parcours handicap",
        "viatrajectoire.fr": "le site Via Trajectoire",
        "maprimeadapt.gouv.fr": "le site de MaPrimeAdapt'",
        "anah.gouv.fr": "le site de l'Anah",
        "france-renov.gouv.fr": "le site France Rénov'",
        "ecorenove-carene.fr": "le site Écorénove de la Carène",
        "impots.gouv.fr": "le site des impôts",
        "justice.fr": "le site de la Justice",
        "legifrance.gouv.fr": "le site Légifrance",
        "aidantsconnect.beta.gouv.fr": "le site Aidants Connect",
        "france-services.gouv.fr": "le site France Services",
        "solidarites.gouv.fr": "le site du ministère des Solidarités",
    }
)
UNKNOWN_SITE = "un site officiel"


def spoken_site(host: str) -> str:
    """The name of the site of `host` ("www.caf.fr", "monprojet.anah.gouv.fr"), or a generic one."""
    host = host.lower().removeprefix("www.")
    labels = host.split(".")
    for start in range(len(labels) - 1):
        name = SPOKEN_SITES.get(".".join(labels[start:]))
        if name:
            return name
    return UNKNOWN_SITE
