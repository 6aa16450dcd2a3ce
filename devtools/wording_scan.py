"""French string literals of a Python file, read with `ast` (nothing is imported or run).

A literal is French when it has two words or more and more French marks (accents, common
French words) than English ones. Docstrings, log calls and regular expressions are not
texts a person reads, and are left out. An f-string is one literal: its fixed parts, and a
pattern where each ``{…}`` (f-string value or ``str.format`` field) matches any text, to
find it again in the texts it produces.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r"[A-Za-zÀ-ÿ'’-]+")
_ACCENT = re.compile(r"[À-ÿ]")
_FRENCH_WORDS = (
    "à au aux avec ce ces c'est d'un d'une dans de des du elle en est et il je la le les leur "
    "ma mes mon ne nous ou par pas plus pour qu'il que qui sa ses son sur un une vos votre "
    "vous y"
)
_ENGLISH_WORDS = "a an and are for from is it not of on or the this to with"
_FRENCH, _ENGLISH = frozenset(_FRENCH_WORDS.split()), frozenset(_ENGLISH_WORDS.split())
_REGEX = re.compile(r"\\[bwsdBWSD]|\(\?[:=!<P]|\[\^|\|")
_FORMAT_FIELD = re.compile(r"\{\w*\}")  # "{when}" in a template filled with str.format
_LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})
HOLE = "\x00"  # where an f-string's value goes, in `Literal.text`
SEPARATOR = "\x01"  # between the texts a literal is looked for in


@dataclass(frozen=True)
class Literal:
    """One French literal: where it is, what encloses it (a name), its text."""

    path: str  # relative to the repository
    line: int
    owner: str  # the assignment, function or class around it ("" at module level)
    text: str  # an f-string's values are `HOLE`

    @property
    def parts(self) -> list[str]:
        return self.text.split(HOLE)

    def found_in(self, texts: str) -> bool:
        """Whether one of ``texts`` (joined by `SEPARATOR`) holds this literal, an f-string's
        values being any text."""
        if HOLE not in self.text:
            return self.text in texts
        if max(self.parts, key=len) not in texts:
            return False
        pattern = f"[^{SEPARATOR}]*?".join(re.escape(p) for p in self.parts)
        return re.search(pattern, texts) is not None


def is_french(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 2 or not re.search(r"\S\s+\S", text) or _REGEX.search(text):
        return False
    french = sum(1 for w in words if w in _FRENCH or _ACCENT.search(w))
    english = sum(1 for w in words if w in _ENGLISH)
    return french > english


def _is_log_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _LOG_METHODS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in {"logger", "logging", "log"}
    )


def _owner(node: ast.AST) -> str:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return ""


def _joined(node: ast.JoinedStr) -> str:
    return "".join(
        v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else HOLE
        for v in node.values
    )


def french_literals(path: Path, root: Path) -> list[Literal]:
    """The French literals of ``path``, in the order of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Literal] = []
    where = path.relative_to(root).as_posix()

    def visit(node: ast.AST, owner: str, skipped: bool) -> None:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            return  # a docstring, or a string on its own
        owner = _owner(node) or owner
        skipped = skipped or _is_log_call(node)
        if isinstance(node, ast.JoinedStr):
            text = _joined(node)
            if not skipped and is_french(text.replace(HOLE, " ")):
                found.append(Literal(where, node.lineno, owner, text))
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if not skipped and is_french(node.value):
                text = _FORMAT_FIELD.sub(HOLE, node.value)
                found.append(Literal(where, node.lineno, owner, text))
            return
        for child in ast.iter_child_nodes(node):
            visit(child, owner, skipped)

    visit(tree, "", False)
    return found
