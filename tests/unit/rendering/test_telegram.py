"""Telegram rendering: HTML escaping, links, splitting under 4,096 characters, keyboard."""

from __future__ import annotations

import re

from rendering.telegram import (
    EMPTY_TEXT,
    MAX_MESSAGE,
    TelegramMessage,
    keyboard_rows,
    render_telegram,
    split_text,
    to_html,
)

NEXT = {"title": "Étape suivante", "payload": "/next_step"}
PAPERS = {"title": "Quels papiers ?", "payload": "/ask_documents"}
ADVISER = {"title": "Rencontrer un conseiller", "payload": "/book_appointment"}
MENU = {"title": "Le menu", "payload": "/help"}


def test_content_is_escaped() -> None:
    assert to_html("Les <aides> & vous") == "Les &lt;aides&gt; &amp; vous"


def test_bare_domains_become_links_with_their_written_text() -> None:
    assert to_html("La liste est sur loire-atlantique.fr/bienvieillir.") == (
        'La liste est sur <a href="https://loire-atlantique.fr/bienvieillir">'
        "loire-atlantique.fr/bienvieillir</a>."
    )
    assert to_html("CAF (caf.fr), ou MSA") == 'CAF (<a href="https://caf.fr">caf.fr</a>), ou MSA'


def test_full_urls_are_links_and_their_ampersands_escaped() -> None:
    assert to_html("Voir https://service-public.fr/x?a=1&b=2 !") == (
        'Voir <a href="https://service-public.fr/x?a=1&amp;b=2">'
        "https://service-public.fr/x?a=1&amp;b=2</a> !"
    )


def test_text_that_is_not_an_address_stays_text() -> None:
    assert to_html("M. Dupont, 2.5 kg, Étape 2 sur 6.") == "M. Dupont, 2.5 kg, Étape 2 sur 6."


def test_a_short_message_with_buttons() -> None:
    messages = render_telegram("Que voulez-vous savoir ?", [NEXT, PAPERS, ADVISER, MENU])
    assert messages == [
        TelegramMessage(
            "Que voulez-vous savoir ?",
            (("Étape suivante", "Quels papiers ?"), ("Rencontrer un conseiller",), ("Le menu",)),
            {
                "Étape suivante": "/next_step",
                "Quels papiers ?": "/ask_documents",
                "Rencontrer un conseiller": "/book_appointment",
                "Le menu": "/help",
            },
        )
    ]
    assert messages[0].payloads["Le menu"] == "/help"


def test_keyboard_rows_pair_short_titles_only() -> None:
    assert keyboard_rows(["Oui", "Non"]) == (("Oui", "Non"),)
    assert keyboard_rows(["Oui", "Rencontrer un conseiller", "Non"]) == (
        ("Oui",),
        ("Rencontrer un conseiller",),
        ("Non",),
    )
    assert keyboard_rows(["A", "B", "C"]) == (("A", "B"), ("C",))
    assert keyboard_rows([]) == ()


def test_long_texts_are_split_between_paragraphs_keyboard_on_the_last() -> None:
    paragraph = "Une phrase assez longue pour remplir un message. " * 40
    text = "\n\n".join([paragraph.strip()] * 5)
    messages = render_telegram(text, [MENU])
    assert len(messages) == 3
    assert all(len(m.html) <= MAX_MESSAGE for m in messages)
    assert [m.keyboard for m in messages] == [(), (), (("Le menu",),)]
    assert [dict(m.payloads) for m in messages] == [{}, {}, {"Le menu": "/help"}]
    assert "\n\n".join(m.html for m in messages) == text


def test_a_paragraph_longer_than_a_message_is_split_between_sentences() -> None:
    sentence = "Voir loire-atlantique.fr/apa pour la suite de la démarche."
    text = " ".join([sentence] * 120)  # 104 characters of HTML each: 39 per message
    parts = split_text(text)
    assert [part.count(sentence) for part in parts] == [39, 39, 39, 3]
    assert " ".join(parts) == text
    for part in parts:
        html = to_html(part)
        assert len(html) <= MAX_MESSAGE
        assert part.endswith(".")
        assert html.count("<a ") == html.count("</a>")


def test_splitting_never_cuts_a_tag() -> None:
    text = "x" * 4000 + " <b> & caf.fr " + "y" * 200
    for part in split_text(text):
        html = to_html(part)
        assert len(html) <= MAX_MESSAGE
        assert not re.search(r"<[^>]*$", html)
        assert html.count("<a ") == html.count("</a>")


def test_buttons_without_text_get_a_short_text() -> None:
    assert render_telegram(None, [MENU]) == [
        TelegramMessage(EMPTY_TEXT, (("Le menu",),), {"Le menu": "/help"})
    ]
    assert render_telegram(None) == []
    assert render_telegram("   ") == []


def test_duplicate_titles_keep_the_first_payload() -> None:
    messages = render_telegram("Choix", [MENU, {"title": "Le menu", "payload": "/other"}])
    assert messages[0].keyboard == (("Le menu",),)
    assert dict(messages[0].payloads) == {"Le menu": "/help"}
