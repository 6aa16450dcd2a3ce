"""Rasa 3.6 copies what it would log at debug level even when nothing is logged at that level.

``rasa.core.processor``, ``rasa.core.policies.memoization`` and ``rasa.core.policies.rule_policy``
pass ``copy.deepcopy(…)`` of events, parse data and dialogue states to ``structlogger.debug``
several times per message; the arguments are built before structlog drops the event.
In these three modules every use of ``copy`` feeds such a debug event (checked against the
installed sources by tests/bot/test_debug_copies.py), so their ``copy`` is replaced by one
that copies only when the module's logger logs at debug level: what is logged is the same,
and a turn no longer deep-copies its events for nothing (docs/performance.md).
"""

from __future__ import annotations

import copy
import importlib
import logging
from typing import Any

MODULES = (
    "rasa.core.processor",
    "rasa.core.policies.memoization",
    "rasa.core.policies.rule_policy",
)


class CopyForDebugLogs:
    """Stands for the ``copy`` module in a module whose copies only feed debug logs."""

    def __init__(self, logger_name: str) -> None:
        self.logger = logging.getLogger(logger_name)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        if self.logger.isEnabledFor(logging.DEBUG):
            return copy.deepcopy(value, memo)
        return value  # structlog drops the event: nothing can change what it would have logged

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def apply() -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        if not isinstance(module.copy, CopyForDebugLogs):
            module.copy = CopyForDebugLogs(name)  # type: ignore[attr-defined]
