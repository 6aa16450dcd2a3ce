"""Plain typography shared by the renderings: quotes, dashes, spaces, ellipsis."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# French typography that has a plain equivalent every channel can carry.
PLAIN_TYPOGRAPHY: Mapping[str, str] = MappingProxyType(
    {
        "\u2019": "'",  # ’
        "\u2018": "'",  # ‘
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "`": "'",
        "\u00b4": "'",  # ´
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u2039": '"',  # ‹
        "\u203a": '"',  # ›
        "\u2026": "...",  # …
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # –
        "\u2014": "-",  # —
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\t": " ",
        "\u00a0": " ",  # non-breaking space
        "\u202f": " ",  # narrow non-breaking space
        "\u2000": " ",
        "\u2001": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\u200b": "",  # zero-width space
        "\u200c": "",
        "\u200d": "",
        "\u2060": "",
        "\ufeff": "",
        "\u00ad": "",  # soft hyphen
    }
)
_TYPOGRAPHY_TABLE = str.maketrans(dict(PLAIN_TYPOGRAPHY))
_SPACES_RE = re.compile(r" {2,}")
# « guillemets » hold spaces inside; "straight quotes" do not.
_OPENING_GUILLEMET_RE = re.compile("[\u00ab\u2039][ \u00a0\u202f]*")
_CLOSING_GUILLEMET_RE = re.compile("[ \u00a0\u202f]*[\u00bb\u203a]")


def plain_typography(text: str) -> str:
    """Straight quotes and apostrophes, plain dashes and spaces, "..." for "…"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CLOSING_GUILLEMET_RE.sub('"', _OPENING_GUILLEMET_RE.sub('"', text))
    return text.translate(_TYPOGRAPHY_TABLE)


def tidy_spaces(text: str) -> str:
    """No double spaces, no spaces around line ends, no blank lines at the edges."""
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")
