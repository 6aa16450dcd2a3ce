"""No module reads the environment but its environment's settings module.

The app (``seniorplus/``, ``actions/``) reads it through ``seniorplus/settings``; the bot
environment (``channels/``, ``bot/``) through ``bot/settings.py``.

Issue 16, point 4: every variable is read through :mod:`seniorplus.settings`
(``get_settings()``, or ``from_env(mapping)`` of the object or of one section), so one
package says what the app environment reads. scripts/, devtools/ and tests may keep their
own reads.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("seniorplus", "actions", "channels", "bot")
# Each entry: the file allowed to read the environment, and why.
ALLOWED = {
    # The settings object itself: environment() is the one reader of os.environ.
    "seniorplus/settings/__init__.py": "the settings package",
    # The bot environment's own (it cannot import the app): a frozen dataclass.
    "bot/settings.py": "the bot environment's settings",
}
_READERS = {"environ", "getenv", "environb", "getenvb", "putenv", "unsetenv"}


def _reads(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in _READERS and isinstance(node.value, ast.Name) and node.value.id == "os"
    if isinstance(node, ast.ImportFrom):
        return node.module == "os" and any(alias.name in _READERS for alias in node.names)
    return False


def _environment_reads(tree: ast.AST) -> list[int]:
    """Line numbers of ``os.environ``, ``os.getenv`` and ``from os import environ``."""
    return sorted(node.lineno for node in ast.walk(tree) if _reads(node))  # type: ignore[attr-defined]


def test_only_the_settings_module_reads_the_environment() -> None:
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            relative = path.relative_to(REPO_ROOT).as_posix()
            if relative in ALLOWED:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
            found.extend(f"{relative}:{line}" for line in _environment_reads(tree))
    assert not found, (
        "Read the environment through seniorplus.settings (get_settings()) in the app, "
        "bot.settings (bot_settings()) in the bot environment: " + ", ".join(found)
    )


def test_the_walker_sees_every_form_of_read() -> None:
    source = "import os\nfrom os import getenv\na = os.environ['X']\nb = os.getenv('Y')\n"
    assert _environment_reads(ast.parse(source)) == [2, 3, 4]


@pytest.mark.parametrize("reader", sorted(ALLOWED))
def test_the_settings_modules_are_the_readers(reader: str) -> None:
    tree = ast.parse((REPO_ROOT / reader).read_text(encoding="utf-8"))
    assert _environment_reads(tree)
