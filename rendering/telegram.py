"""Telegram rendering: HTML text (parse_mode "HTML"), clickable links, a reply keyboard.

A text longer than one Telegram message (4,096 characters) is cut between
paragraphs, else lines, else sentences, else words, never inside a link or a
tag; the keyboard goes with the last part. Keyboard rule: two short titles
(at most SHORT_TITLE characters) share a row, any longer title has its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from rendering.links import find_links
from rendering.message import Button
from rendering.typography import tidy_spaces

MAX_MESSAGE = 4096  # Bot API sendMessage: 1-4096 characters
SHORT_TITLE = 18  # fits half the width of a phone screen
EMPTY_TEXT = "Choisissez :"  # Telegram refuses a keyboard without a text


@dataclass(frozen=True)
class TelegramMessage:
    """One sendMessage: HTML text, reply keyboard rows, and title → payload for the replies."""

    html: str
    keyboard: tuple[tuple[str, ...], ...] = ()
    payloads: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def to_html(text: str) -> str:
    """`text` escaped for HTML, each web address an <a href> link with its written text."""
    parts, last = [], 0
    for link in find_links(text):
        parts.append(html.escape(text[last : link.start], quote=False))
        href = html.escape(link.url, quote=True)
        parts.append(f'<a href="{href}">{html.escape(link.written, quote=False)}</a>')
        last = link.end
    parts.append(html.escape(text[last:], quote=False))
    return "".join(parts)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


_SPLITTERS: tuple[tuple[Callable[[str], list[str]], str], ...] = (
    (lambda text: re.split(r"\n\s*\n", text), "\n\n"),
    (lambda text: text.split("\n"), "\n"),
    (lambda text: re.split(r"(?<=[.!?:;])\s+", text), " "),
    (lambda text: text.split(" "), " "),
)


def split_text(text: str, limit: int = MAX_MESSAGE, level: int = 0) -> list[str]:
    """Plain-text parts whose HTML fits in `limit`, cut at the largest boundary possible."""
    if _utf16_length(to_html(text)) <= limit:
        return [text]
    if level == len(_SPLITTERS):  # one word longer than a message: cut it
        middle = len(text) // 2
        return split_text(text[:middle], limit, level) + split_text(text[middle:], limit, level)
    cut, joiner = _SPLITTERS[level]
    parts: list[str] = []
    for piece in (p for p in cut(text) if p.strip()):
        candidate = f"{parts[-1]}{joiner}{piece}" if parts else piece
        if parts and _utf16_length(to_html(candidate)) <= limit:
            parts[-1] = candidate
        else:
            parts.extend(split_text(piece, limit, level + 1))
    return parts


def keyboard_rows(titles: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Two short titles per row, a long one alone, in the order given."""
    rows: list[tuple[str, ...]] = []
    pending: str | None = None
    for title in titles:
        if len(title) > SHORT_TITLE:
            if pending is not None:
                rows.append((pending,))
                pending = None
            rows.append((title,))
        elif pending is None:
            pending = title
        else:
            rows.append((pending, title))
            pending = None
    if pending is not None:
        rows.append((pending,))
    return tuple(rows)


def render_telegram(text: str | None, buttons: Sequence[Button] = ()) -> list[TelegramMessage]:
    """The messages to send in order; the keyboard and payloads go with the last one."""
    body = tidy_spaces(text or "")
    if not body and not buttons:
        return []
    parts = split_text(body or EMPTY_TEXT)
    payloads: dict[str, str] = {}
    for button in buttons:
        payloads.setdefault(button["title"], button["payload"])
    keyboard = keyboard_rows(list(payloads))
    last = TelegramMessage(to_html(parts[-1]), keyboard, MappingProxyType(payloads))
    return [*(TelegramMessage(to_html(part)) for part in parts[:-1]), last]
