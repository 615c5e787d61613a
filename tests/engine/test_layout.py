"""The engine's shape: modules of one job, none over 300 lines, and imports without cycles
(type-only imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "bot" / "engine"


def engine_imports() -> dict[str, set[str]]:
    graph = {}
    for path in ENGINE.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                found |= {n.rsplit(".", 1)[-1] for n in names if n.startswith("bot.engine.")}
                if node.module == "bot.engine":
                    found |= {a.name for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name.rsplit(".", 1)[-1] for a in node.names if a.name.startswith("bot.engine.")}
        graph[path.stem] = found & {p.stem for p in ENGINE.glob("*.py")}
    return graph


def test_engine_imports_have_no_cycle() -> None:
    graph, done, active = engine_imports(), set(), []

    def visit(module: str) -> None:
        assert module not in active, f"import cycle: {' -> '.join([*active, module])}"
        if module in done:
            return
        active.append(module)
        for imported in graph[module]:
            visit(imported)
        active.pop()
        done.add(module)

    for module in graph:
        visit(module)
    assert "postings" not in graph["kernels"] and "kernels" in graph["postings"]


def test_engine_modules_are_at_most_300_lines() -> None:
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in ENGINE.glob("*.py")}
    assert max(lengths.values()) <= 300, lengths
