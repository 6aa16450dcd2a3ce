"""A one-time code read from what a person typed, said or keyed (pure, both environments).

The code proves that the person holds the phone before "mes données" shows or
erases anything (docs/security.md). People give it in many shapes: "482913",
"482 913", "48-29-13", "le code c'est 4 8 2 9 1 3", or, over the phone, a
transcript such as "quatre huit deux neuf un trois". Only an unbroken run of
exactly ``CODE_LENGTH`` digits counts: a date or a phone number is not a code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from policies.questions import normalise

CODE_LENGTH = 6
NEW_CODE_PAYLOAD = "/delete_my_data" + json.dumps({"data_request": "nouveau_code"})
"""The "new code" choice offered with every message about a code: it marks a code awaited."""

_DIGIT_WORDS = {
    "zero": "0", "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4",
    "cinq": "5", "six": "6", "sept": "7", "huit": "8", "neuf": "9",
}  # fmt: skip


def _digit_runs(text: str) -> list[str]:
    """Runs of digits where spaces, dots and dashes between digits do not break a run."""
    runs: list[str] = []
    current = ""
    for token in normalise(text).split():
        digits = _DIGIT_WORDS.get(token, token)
        if digits.isdigit():
            current += digits
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def find_code(text: str) -> str | None:
    """The one code of ``CODE_LENGTH`` digits in ``text``, or None.

    "4829 13" and "quatre huit deux neuf un trois" give "482913"; "0612345678"
    (ten digits), "12/03/1941" and two different codes give None.
    """
    codes = {run for run in _digit_runs(text) if len(run) == CODE_LENGTH}
    return codes.pop() if len(codes) == 1 else None


def looks_like_code_attempt(text: str) -> bool:
    """Whether ``text`` is mostly digits: a mistyped code ("48291") rather than a sentence."""
    words = normalise(text).split()
    if not words:
        return False
    digits = sum(1 for w in words if w.isdigit() or w in _DIGIT_WORDS)
    return digits > 0 and digits * 2 >= len(words)


def code_awaited(buttons: Iterable[Mapping[str, object]]) -> bool:
    """Whether the assistant's last message was about a code (it offers a new one)."""
    return any(b.get("payload") == NEW_CODE_PAYLOAD for b in buttons)
