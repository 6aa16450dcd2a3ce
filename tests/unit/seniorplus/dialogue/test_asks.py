"""What a message about a topic asks: the application opened, the steps, or something else."""

from __future__ import annotations

import pytest

from seniorplus.dialogue.asks import APPLY, STEPS, aspect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je souhaiterais deposer une demande d'allocation pour mon pere", APPLY),
        (
            "Bonjour, nous voulons demander l'APA pour maman, vous nous aidez à faire le dossier ?",
            APPLY,
        ),
        ("on commence le dossier de curatelle", APPLY),
        ("par où on commence pour mettre papa sous tutelle", STEPS),
        ("c'est quoi la marche à suivre pour la carte de stationnement", STEPS),
        ("comment on fait pour monter un dossier d'entrée en maison de retraite", STEPS),
        ("est-ce que l'apa est reprise sur l'héritage", None),
        ("combien ça coûte une maison de retraite", None),
        ("comment on fait pour payer l'ehpad quand la retraite ne suffit pas", None),
        ("comment demander une curatelle pour mon frère", STEPS),
        ("ma mère a fait la demande il y a deux mois", None),
    ],
)
def test_the_aspect_asked(text: str, expected: str | None) -> None:
    assert aspect(text) == expected
