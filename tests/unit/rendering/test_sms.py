"""SMS rendering: GSM 03.38 alphabet, segment counting, transliteration, numbered choices;
and the channel registry."""

from __future__ import annotations

import pytest

from rendering import Message, VoicePrompt, render_for_channel
from rendering.gsm import GSM7_BASIC, GSM7_EXTENSION, is_gsm7, sms_segments
from rendering.sms import render_sms, to_gsm7
from rendering.telegram import TelegramMessage

NEXT = {"title": "Étape suivante", "payload": "/next_step"}
PAPERS = {"title": "Quels papiers ?", "payload": "/ask_documents"}


def test_the_tables_have_the_gsm_03_38_sizes() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes, escape 0x1B excluded
    assert len(GSM7_EXTENSION) == 10
    assert set("éèàùìòÉÇÄÖÑÜäöñüÆæØøÅåß@£$¥¤§¡¿ΔΦΓΛΩΠΨΣΘΞ\n\r") <= GSM7_BASIC
    for absent in "êâîôûëïçœÀÈÊÔÙ`’«»…–\u00a0\u202f":
        assert not is_gsm7(absent), absent


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (160, 1), (161, 2), (306, 2), (153 * 2, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_segments(length: int, segments: int) -> None:
    info = sms_segments("a" * length)
    assert (info.encoding, info.characters, info.segments) == ("GSM-7", length, segments)


def test_the_euro_sign_counts_two_septets() -> None:
    assert sms_segments("€").characters == 2
    assert sms_segments("€" * 80).segments == 1
    assert sms_segments("€" * 80 + "a").segments == 2
    assert sms_segments("{}[]~|^\\").characters == 16


def test_an_escaped_pair_is_never_cut_between_two_parts() -> None:
    # 306 septets: 2 parts by arithmetic, 3 because "€" cannot straddle parts 1 and 2.
    text = "a" * 152 + "€" + "a" * 152
    assert sms_segments(text).characters == 306
    assert sms_segments(text).segments == 3


@pytest.mark.parametrize(
    ("text", "characters", "segments"),
    [
        ("中", 1, 1),
        ("中" * 70, 70, 1),
        ("中" * 71, 71, 2),
        ("中" * 134, 134, 2),
        ("中" * 135, 135, 3),
        ("😀" * 35, 70, 1),
        ("😀" * 35 + "a", 71, 2),
    ],
)
def test_ucs2_segments(text: str, characters: int, segments: int) -> None:
    info = sms_segments(text)
    assert (info.encoding, info.characters, info.segments) == ("UCS-2", characters, segments)


def test_one_chinese_character_switches_the_whole_message_to_ucs2() -> None:
    assert sms_segments("a" * 100).segments == 1
    assert sms_segments("a" * 100 + "中").encoding == "UCS-2"
    assert sms_segments("a" * 100 + "中").segments == 2


def test_a_surrogate_pair_is_never_cut_between_two_parts() -> None:
    assert sms_segments("a" * 66 + "😀" + "a" * 66).segments == 3


def test_an_empty_message_is_one_sms() -> None:
    assert (sms_segments("").characters, sms_segments("").segments) == (0, 1)


def test_one_circumflex_switches_to_ucs2_unless_transliterated() -> None:
    assert sms_segments("Une fête").encoding == "UCS-2"
    assert to_gsm7("Une fête") == "Une fete"
    assert sms_segments(render_sms("Une fête")).encoding == "GSM-7"


def test_transliteration_of_french_typography() -> None:
    written = "L’APA « à domicile » … 1\u00a0200\u202f€ – c’est ça — œuvre"
    assert to_gsm7(written) == "L'APA \"à domicile\" ... 1 200 € - c'est ca - oeuvre"


def test_letters_of_the_gsm_alphabet_are_kept() -> None:
    kept = "é è à ù ì ò É Ç Ä Ö Ñ Ü ä ö ñ ü Æ æ ß €"
    assert to_gsm7(kept) == kept


def test_letters_outside_the_alphabet_become_their_bare_letter() -> None:
    assert to_gsm7("âge être île hôpital sûr Noël maïs reçu À Ô Ê Œ ÿ") == (
        "age etre ile hopital sur Noel mais recu A O E OE y"
    )


def test_emoji_and_unknown_signs_are_removed() -> None:
    assert to_gsm7("Bonjour 😀 ! ✔ ok") == "Bonjour  !  ok"
    assert render_sms("Bonjour 😀 ! ✔ ok") == "Bonjour ! ok"


def test_choices_are_a_numbered_list_in_the_same_message() -> None:
    assert render_sms("Que voulez-vous savoir ?", (NEXT, PAPERS)) == (
        "Que voulez-vous savoir ?\nRépondez :\n1 = Étape suivante\n2 = Quels papiers ?"
    )


def test_no_answer_hint_when_the_text_already_asks_for_a_number() -> None:
    assert (
        render_sms("Répondez par un numéro.", (NEXT,))
        == "Répondez par un numéro.\n1 = Étape suivante"
    )


def test_a_message_without_text_or_buttons() -> None:
    assert render_sms(None, (NEXT,)) == "Répondez :\n1 = Étape suivante"
    assert render_sms("Très bien.") == "Très bien."
    assert render_sms(None) == ""


def test_the_rendered_sms_is_always_gsm7() -> None:
    text = "Où : Mairie, CCAS — hôpital « reçu » 👍\u00a0!"
    sms = render_sms(text, ({"title": "Être aidé", "payload": "/help"},))
    assert is_gsm7(sms)
    assert sms == 'Où : Mairie, CCAS - hopital "recu" !\nRépondez :\n1 = Etre aidé'


def test_spaces_are_tidied() -> None:
    assert render_sms("  Un   deux \n\n\n\n trois  ") == "Un deux\n\ntrois"


def test_render_for_channel_picks_the_rendering() -> None:
    sms = render_for_channel("sms", "Très bien.", [NEXT])
    assert sms == "Très bien.\nRépondez :\n1 = Étape suivante"
    assert render_for_channel("twilio", "Très bien.", [NEXT]) == sms
    voice = render_for_channel("voice", "Très bien.", [NEXT])
    assert voice == VoicePrompt("Très bien. Pour étape suivante, tapez un.", (("1", "/next_step"),))
    telegram = render_for_channel("telegram", "Très bien.", [NEXT])
    assert isinstance(telegram, list) and isinstance(telegram[0], TelegramMessage)
    assert telegram[0].keyboard == (("Étape suivante",),)


@pytest.mark.parametrize("channel", ["rest", "cmdline", "socketio", "", None])
def test_other_channels_get_the_message_unchanged(channel: str | None) -> None:
    assert render_for_channel(channel, "Très bien.", [NEXT]) == Message("Très bien.", (NEXT,))


def test_buttons_without_title_are_dropped_and_payload_defaults_to_title() -> None:
    rendered = render_for_channel("rest", "x", [{"title": ""}, {"title": "Oui"}])
    assert rendered == Message("x", ({"title": "Oui", "payload": "Oui"},))
