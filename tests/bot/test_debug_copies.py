"""Rasa's copies for its debug logs are made only when debug is logged (bot/debug_copies.py)."""

from __future__ import annotations

import ast
import importlib
import inspect
import logging

import pytest

from bot import debug_copies
from bot.debug_copies import CopyForDebugLogs


def _copy_uses_outside_debug_logs(source: str) -> list[int]:
    """Lines where the module uses ``copy.…`` other than inside a ``structlogger.debug(…)`` call."""
    tree = ast.parse(source)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "debug"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "structlogger"
        ):
            inside.update(id(child) for child in ast.walk(node))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "copy"
        and id(node) not in inside
    ]


@pytest.mark.parametrize("name", debug_copies.MODULES)
def test_every_copy_in_the_module_feeds_a_debug_log(name: str) -> None:
    """If a Rasa upgrade copies for another reason there, the fix must not be applied."""
    source = inspect.getsource(importlib.import_module(name))
    assert "structlogger.debug" in source
    assert "copy.deepcopy" in source
    assert _copy_uses_outside_debug_logs(source) == []


def test_the_check_sees_a_copy_outside_a_debug_log() -> None:
    source = (
        "import copy\n"
        "structlogger.debug('x', value=copy.deepcopy(a))\n"
        "b = copy.deepcopy(a)\n"
        "logger.debug(copy.copy(a))\n"
    )
    assert _copy_uses_outside_debug_logs(source) == [3, 4]


def test_copies_only_when_the_module_logs_at_debug_level() -> None:
    logger = logging.getLogger("tests.debug_copies")
    value = {"events": [{"event": "user", "parse_data": {"intent": {"name": "ask_apa"}}}]}
    copies = CopyForDebugLogs(logger.name)
    logger.setLevel(logging.INFO)
    assert copies.deepcopy(value) is value
    logger.setLevel(logging.DEBUG)
    try:
        copied = copies.deepcopy(value)
        assert copied == value
        assert copied is not value
        assert copied["events"][0] is not value["events"][0]
    finally:
        logger.setLevel(logging.NOTSET)
    assert copies.copy(value) is not value  # the rest of the copy module is untouched


def test_apply_replaces_copy_in_the_three_modules_only() -> None:
    import copy

    debug_copies.apply()
    debug_copies.apply()  # idempotent
    for name in debug_copies.MODULES:
        module = importlib.import_module(name)
        assert isinstance(module.copy, CopyForDebugLogs)
        assert module.copy.logger.name == name
    assert importlib.import_module("rasa.core.actions.action").copy is copy
