"""The tests mirror the packages: tests/unit/seniorplus/booking tests seniorplus/booking, and so on.

tests/unit holds the app environment's tests, tests/bot the bot environment's (bot/ and
channels/). A test file dropped at the wrong place, or in a folder that names no package,
fails here, so the layout stays a map of the code.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Shared helpers, fixtures and this file may stay at the top of each suite.
UNIT_TOP = {"test_tests_layout.py"}


def _folders(suite: Path) -> dict[Path, list[str]]:
    found: dict[Path, list[str]] = {}
    for test in sorted(suite.rglob("test_*.py")):
        found.setdefault(test.parent.relative_to(suite), []).append(test.name)
    return found


def test_app_tests_sit_in_the_folder_of_their_package() -> None:
    misplaced = []
    for folder, names in _folders(ROOT / "tests" / "unit").items():
        if folder == Path("."):
            misplaced += [n for n in names if n not in UNIT_TOP]
        elif not (ROOT / folder).is_dir():
            misplaced += [f"{folder}/{n}" for n in names]
    assert misplaced == [], f"tests/unit: move these to tests/unit/<package path>/: {misplaced}"


def test_bot_tests_sit_in_the_folder_of_their_package() -> None:
    misplaced = []
    for folder, names in _folders(ROOT / "tests" / "bot").items():
        if folder == Path("."):
            continue  # bot/ itself: endpoints, event broker, model loading, operations
        if not ((ROOT / folder).is_dir() or (ROOT / "bot" / folder).is_dir()):
            misplaced += [f"{folder}/{n}" for n in names]
    assert misplaced == [], f"tests/bot: move these to tests/bot/<package path>/: {misplaced}"


def test_every_test_folder_is_a_package() -> None:
    # Equal file names in two folders (test_service.py…) import as distinct modules.
    missing = [
        str(folder.relative_to(ROOT))
        for suite in ("unit", "bot")
        for folder in (ROOT / "tests" / suite).rglob("*")
        if folder.is_dir()
        and any(folder.glob("test_*.py"))
        and not (folder / "__init__.py").exists()
    ]
    assert missing == []
