"""The package's import graph: no cycles between modules, no ``_private`` name imported from
another module, and the floors of docs/architecture.md kept (a lower floor never imports a
higher one). Imports under ``if TYPE_CHECKING:`` are types only and do not count."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from planeval.paths import PACKAGE_DIR

LIB = PACKAGE_DIR.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(LIB).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except the bodies of ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def imports(mod: str) -> Iterator[tuple[str, str | None]]:
    """(imported module, imported name or None) for every runtime import of ``mod``."""
    path = MODULES[mod]
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for a in node.names:
                yield source, a.name


def edges(mod: str) -> set[str]:
    """The planeval modules ``mod`` imports (a ``from pkg import submodule`` counts as the
    submodule)."""
    out = set()
    for source, name in imports(mod):
        if name and f"{source}.{name}" in MODULES:
            out.add(f"{source}.{name}")
        elif source in MODULES:
            out.add(source)
    out.discard(mod)
    return out


GRAPH = {m: edges(m) for m in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_sees_a_cycle():
    """The checker itself: a → b → c → a is one cycle, d → a is not part of it."""
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(g) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_no_private_names_imported_from_another_module():
    bad = [
        f"{mod} imports {name} from {source}"
        for mod in MODULES
        for source, name in imports(mod)
        if source.startswith("planeval")
        and name
        and name.startswith("_")
        and not name.startswith("__")
        and source != mod
    ]
    assert bad == []


def test_private_modules_are_not_imported_across_packages():
    bad = [
        f"{mod} imports {target}"
        for mod, targets in GRAPH.items()
        for target in targets
        if any(part.startswith("_") and part != "__init__" for part in target.split("."))
        and target.rpartition(".")[0] != mod.rpartition(".")[0]
    ]
    assert bad == []


# Floors from the top down (docs/architecture.md): a module may import its own floor or lower.
# The registry sits inside findings: it names each chapter's rules (findings.rules, over the
# chapters' figures) and is read by the engine and the stage-2 narratives (the rest of findings).
FLOORS: list[tuple[str, ...]] = [
    ("planeval.cli", "planeval.demo", "planeval.notebook"),
    ("planeval.batch",),
    ("planeval.report",),
    ("planeval.findings",),
    ("planeval.registry",),
    ("planeval.findings.rules", "planeval.findings.model"),
    ("planeval.chapters", "planeval.indicators"),
    ("planeval.data",),
    ("planeval.narrative", "planeval.charts", "planeval.periods", "planeval.grades"),
    ("planeval.outline",),
    ("planeval.fonts", "planeval.metrics"),
    ("planeval.plan",),
    (
        "planeval.vocab",
        "planeval.thresholds",
        "planeval.numbers",
        "planeval.paths",
        "planeval.safeyaml",
        "planeval.finding_ids",
    ),
    ("planeval.version",),
]


def floor(mod: str) -> int | None:
    """The floor of ``mod``: the one whose name is the longest prefix of it."""
    best: tuple[int, int] | None = None
    for i, names in enumerate(FLOORS):
        for n in names:
            if (mod == n or mod.startswith(n + ".")) and (best is None or len(n) > best[1]):
                best = (i, len(n))
    return None if best is None else best[0]


@pytest.mark.parametrize("mod", sorted(m for m in MODULES if floor(m) is not None))
def test_floors_import_only_downwards(mod):
    up = sorted(t for t in GRAPH[mod] if floor(t) is not None and floor(t) < floor(mod))
    assert up == [], f"{mod} (floor {floor(mod)}) imports a higher floor: {up}"


def test_the_run_process_does_not_load_pyplot():
    """The main process of ``planeval run`` imports every chapter module (its metric contract)
    but never draws: pyplot and the font manager (a third of a second of CPU per county) load
    only in the kernels, where a chart is drawn."""
    import subprocess
    import sys

    probe = (
        "import sys, planeval.registry, planeval.report.runner; "
        "print(sorted(m for m in ('matplotlib.pyplot', 'matplotlib.font_manager') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    drawn = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from planeval.charts import new_figure; "
            "new_figure(); print('matplotlib.pyplot' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert drawn.strip() == "True"
