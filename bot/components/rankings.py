"""Intent rankings once some intents are ruled out: the others keep their order and gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def rescaled_without(
    ranking: list[dict[str, Any]], ruled_out: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """The entries not ruled out, each confidence divided by what the ruled-out ones left
    (unchanged when they held almost everything), at most 1."""
    removed = sum(float(r.get("confidence") or 0.0) for r in ranking if ruled_out(r))
    scale = 1.0 / (1.0 - removed) if removed < 0.99 else 1.0
    return [
        {**r, "confidence": min(1.0, float(r.get("confidence") or 0.0) * scale)}
        for r in ranking
        if not ruled_out(r)
    ]
