"""Masking of identifiers and of free text before logging."""

from __future__ import annotations

import pytest

from observability.mask import mask_identifier, mask_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+33612345678", "+336******78"),
        ("+447700900123", "+447*******23"),
        ("123456789", "12*****89"),  # Telegram chat id
        ("-1001234567890", "-1**********90"),
        ("abcdefg", "ab***fg"),
        ("abcdef", "******"),
        ("42", "**"),
        ("", ""),
    ],
)
def test_mask_identifier(value: str, expected: str) -> None:
    assert mask_identifier(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rappeler le 06 12 34 56 78 demain", "Rappeler le 06******78 demain"),
        ("tel: 06.12.34.56.78.", "tel: 06******78."),
        ("numéro 0612345678", "numéro 06******78"),
        ("+33 6 12 34 56 78 a écrit", "+336******78 a écrit"),
        ("de +33612345678", "de +336******78"),
        ("écrire à jean.dupont@example.fr svp", "écrire à j***@example.fr svp"),
        ("marie+aidant@orange.fr", "m***@orange.fr"),
    ],
)
def test_mask_text_masks_phones_and_emails(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "dossier DOS-2026-000123 ouvert le 12/03/2026",
        "montant 1 234,56 € par mois, GIR 4",
        "référence 06123456789012",
        "bonjour, je voudrais de l'aide pour l'APA",
    ],
)
def test_mask_text_leaves_other_text_alone(text: str) -> None:
    assert mask_text(text) == text


def test_mask_text_masks_several_occurrences() -> None:
    masked = mask_text("06 12 34 56 78 ou 07 98 76 54 32, sinon a.b@c.fr")
    assert "12 34 56" not in masked and "98 76 54" not in masked
    assert masked == "06******78 ou 07******32, sinon a***@c.fr"
