"""Web addresses in a text: full URLs ("https://…") and bare domains ("caf.fr/aidant")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The top-level domains a public-service text uses; a bare "word.word" is not a link.
TOP_LEVEL_DOMAINS = ("fr", "gouv.fr", "com", "org", "net", "eu", "info")
_TRAILING_PUNCTUATION = ".,;:!?'\""
_FULL_URL = r"https?://[^\s<>\"()]+"
_BARE_DOMAIN = (
    r"(?<![\w@./-])(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:"
    + "|".join(sorted((re.escape(t) for t in TOP_LEVEL_DOMAINS), key=len, reverse=True))
    + r")\b(?:/[^\s<>\"()]*)?"
)
LINK_RE = re.compile(rf"{_FULL_URL}|{_BARE_DOMAIN}", re.IGNORECASE)
EMAIL_RE = re.compile(r"\b[\w.+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A web address found at text[start:end], as written."""

    start: int
    end: int
    written: str

    @property
    def url(self) -> str:
        """The address to open: the written one, "https://" added to a bare domain."""
        return self.written if "://" in self.written else f"https://{self.written}"

    @property
    def host(self) -> str:
        """The site's name in lower case, without "www." nor port: caf.fr."""
        rest = self.written.split("://", 1)[-1]
        host = re.split(r"[/?#:]", rest, maxsplit=1)[0].lower()
        return host.removeprefix("www.")


def find_links(text: str) -> Iterator[Link]:
    """Every web address of `text`, trailing punctuation of the sentence left out."""
    for match in LINK_RE.finditer(text):
        written = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        if "." in written:
            yield Link(match.start(), match.start() + len(written), written)
