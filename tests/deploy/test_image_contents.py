"""Each image copies every repository file its code reads while serving.

The Dockerfiles name what they copy; the code names repository paths ("data/journeys",
``ROOT / "data" / "contacts.yml"``). A path the code reads but the image leaves out would
fail (or, worse, silently find nothing) only in production: this test finds it here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT
from test_images import IMAGES, final_stage

# Written at run time, never shipped: the embedded SQLite files of dev (var/).
RUNTIME_ONLY = {"var"}


def copied(dockerfile: Path) -> set[str]:
    """Repository paths the final stage copies ("bot", "data/journeys", "alembic.ini")."""
    sources = re.findall(r"^COPY (?!--from)(.+?) \S+$", final_stage(dockerfile), re.MULTILINE)
    return {p.rstrip("/") for line in sources for p in line.split()}


def python_packages(paths: set[str]) -> list[Path]:
    return [ROOT / p for p in sorted(paths) if (ROOT / p / "__init__.py").exists()]


def repository_paths_read_by(packages: list[Path]) -> dict[str, str]:
    """Repository paths named in the code: "dir/..." literals and ``x / "dir"`` expressions."""
    top_level = {p.name for p in ROOT.iterdir()}
    found: dict[str, str] = {}
    for package in packages:
        for source in package.rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                name = None
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    first, slash, _ = node.value.partition("/")
                    if slash and first in top_level:
                        name = node.value
                elif (
                    isinstance(node, ast.BinOp)
                    and isinstance(node.op, ast.Div)
                    and isinstance(node.right, ast.Constant)
                    and node.right.value in top_level
                ):
                    name = str(node.right.value)
                if name is not None:
                    found.setdefault(name, str(source.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("env", ["bot", "app"])
def test_the_image_holds_what_its_code_reads(env: str) -> None:
    paths = copied(IMAGES[env])
    needed = repository_paths_read_by(python_packages(paths))
    assert needed, "the scan finds nothing: it no longer reads the code"
    missing = {
        name: where
        for name, where in needed.items()
        if name.split("/")[0] not in RUNTIME_ONLY
        and not any(name == p or name.startswith(p + "/") for p in paths)
    }
    assert not missing, f"read by the code, not copied into the {env} image: {missing}"


@pytest.mark.parametrize("env", ["bot", "app"])
def test_every_path_the_image_copies_exists(env: str) -> None:
    for path in copied(IMAGES[env]) - {"${MODEL_FILE}"}:
        assert (ROOT / path).exists(), path


def repository_modules_imported_by(packages: list[Path]) -> dict[str, str]:
    """The repository's own top-level packages that the code imports."""
    ours = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    found: dict[str, str] = {}
    for package in packages:
        for source in package.rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    if name.split(".")[0] in ours:
                        found.setdefault(name.split(".")[0], str(source.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("env", ["bot", "app"])
def test_the_image_holds_every_package_its_code_imports(env: str) -> None:
    paths = copied(IMAGES[env])
    imported = repository_modules_imported_by(python_packages(paths))
    assert {"policies", "rendering", "safety"} <= set(imported)
    missing = {name: where for name, where in imported.items() if name not in paths}
    assert not missing, f"imported, not copied into the {env} image: {missing}"
