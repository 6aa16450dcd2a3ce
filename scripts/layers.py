"""The import graph of the code, by package, held against the layers of docs/architecture.md.

    python scripts/layers.py            # floors, loops, imports that run up; exit 1 if any
    python scripts/layers.py --graph    # also every package -> package import, with the files

Reads the sources with `ast` (nothing is imported or run), counts every import, also those
inside functions. A "package" is a top-level folder, or a sub-package of ``seniorplus``
(``seniorplus.cases``); a module directly under ``seniorplus`` is one too (``seniorplus.db``).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("actions", "bot", "channels", "devtools", "migrations", "observability", "policies",
           "rendering", "safety", "scripts", "seniorplus")  # fmt: skip

# The layers, top first: a package may import its own layer's packages and those below, never
# above. Each package is named once; a package that is not named is reported.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("outside the product", ("devtools", "scripts", "migrations")),
    ("entrances", ("seniorplus.web", "actions", "seniorplus.scheduler", "bot", "channels")),
    ("console", ("seniorplus.console",)),
    ("domain", ("seniorplus.data_rights", "seniorplus.events", "seniorplus.handoff",
                "seniorplus.booking", "seniorplus.cases", "seniorplus.outbound",
                "seniorplus.questions", "seniorplus.privacy", "seniorplus.dialogue",
                "seniorplus.estimates", "seniorplus.journeys")),
    ("app foundation", ("seniorplus.staff", "seniorplus.jobs", "seniorplus.history",
                        "seniorplus.models", "seniorplus.db", "seniorplus.settings",
                        "seniorplus.clock", "seniorplus.places", "seniorplus.errors",
                        "seniorplus.plain_language", "seniorplus.readiness",
                        "seniorplus.logsetup", "seniorplus")),
    ("shared ground (both environments)", ("rendering", "policies", "safety", "observability")),
)  # fmt: skip
# What must never be imported, whatever the layers say.
NEVER: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("bot", "channels", "rendering", "policies", "safety", "observability"),
     ("seniorplus", "actions"), "the bot environment never imports the app"),
    (("seniorplus", "actions", "bot", "channels", "rendering", "policies", "safety",
      "observability"), ("devtools",), "the product never imports devtools"),
)  # fmt: skip


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` under `SOURCES`."""
    found: dict[str, Path] = {}
    for top in SOURCES:
        for path in sorted((root / top).rglob("*.py")):
            if "versions" in path.parts:  # migration scripts: no import of the code
                continue
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported_names(path: Path, module: str, found: dict[str, Path]) -> Iterable[str]:
    """The module each import of ``path`` takes (``from a import b``: ``a.b`` if a module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in found else base


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "seniorplus" and len(parts) > 1 else parts[0]


def module_graph(found: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of this tree it imports (the longest known prefix of a name)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in found.items():
        for name in imported_names(path, module, found):
            while name and name not in found:
                name = name.rpartition(".")[0]
            if name and name != module:
                graph[module].add(name)
    return graph


def loops(nodes: Iterable[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def floors(packages: dict[str, set[str]]) -> dict[str, int]:
    """Floor of each package: 1 + the highest floor it imports (a loop counts as one floor)."""
    floor: dict[str, int] = {}

    def of(package: str, seen: frozenset[str]) -> int:
        if package in floor:
            return floor[package]
        below = [of(p, seen | {package}) for p in packages.get(package, ()) if p not in seen]
        floor[package] = 1 + max(below, default=0)
        return floor[package]

    for package in sorted(packages):
        of(package, frozenset())
    return floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="store_true", help="print every package import")
    args = parser.parse_args(argv)
    found = modules(ROOT)
    graph = module_graph(found)
    by_package: dict[str, set[str]] = defaultdict(set)
    files: dict[tuple[str, str], set[str]] = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if found[target].name == "__init__.py" and found[target].stat().st_size < 40:
                continue
            source, goal = package_of(module), package_of(target)
            if source != goal:
                by_package[source].add(goal)
                files[source, goal].add(f"{module} -> {target}")
    rank = {package: i for i, (_, members) in enumerate(LAYERS) for package in members}
    problems = 0
    print("Layers, top first:")
    floor = floors(by_package)
    for name, members in LAYERS:
        shown = ", ".join(f"{m} ({floor.get(m, 1)})" for m in members)
        print(f"  {name}: {shown}")
    unnamed = sorted({package_of(m) for m in found} - rank.keys())
    for package in unnamed:
        print(f"  NOT IN A LAYER: {package}")
        problems += 1
    print(f"Floors (longest chain of package imports): {max(floor.values(), default=0)}")
    module_loops = loops(sorted(found), graph)
    package_loops = loops(sorted(by_package), by_package)
    print(f"Loops between files: {len(module_loops)}; between packages: {len(package_loops)}")
    for loop in module_loops + package_loops:
        print("  loop: " + " <-> ".join(loop))
        problems += 1
    up = [
        (s, g)
        for s, goals in sorted(by_package.items())
        for g in sorted(goals)
        if s in rank and g in rank and rank[g] < rank[s]
    ]
    print(f"Imports that run up a layer: {len(up)}")
    for source, goal in up:
        print(f"  {source} -> {goal}: " + "; ".join(sorted(files[source, goal])))
        problems += 1
    for sources, goals, rule in NEVER:
        for (source, goal), lines in sorted(files.items()):
            if source.split(".")[0] in sources and goal.split(".")[0] in goals:
                print(f"  BROKEN ({rule}): " + "; ".join(sorted(lines)))
                problems += 1
    if args.graph:
        for (source, goal), lines in sorted(files.items()):
            print(f"{source} -> {goal}: " + "; ".join(sorted(lines)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
