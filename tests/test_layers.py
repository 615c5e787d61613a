"""The package's layers: imports go one way, with no cycles (type-only imports included), and only
the Discord adapter loads discord."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bot"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> set[str]:
    """The bot modules `name` imports anywhere in its file, `if TYPE_CHECKING:` blocks included."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def import_graph(within: str = "bot") -> dict[str, set[str]]:
    """Module -> the modules it imports, less the packages it is inside (importing a submodule
    runs its package's __init__, which is no dependency of its own)."""
    names = [n for n in MODULES if n == within or n.startswith(within + ".")]
    return {n: {m for m in imports(n) if m in names and not n.startswith(m + ".")} for n in names}


LAYERS = [
    "bot.corpus",
    "bot.engine",
    "bot.safeguarding",
    "bot.search",
    "bot.live",
    "bot.servers",
    "bot.discord_app",
]  # bottom first


def layer(name: str) -> int | None:
    return next((i for i, prefix in enumerate(LAYERS) if name.startswith(prefix + ".")), None)


def test_imports_go_down_the_layers() -> None:
    upward = [
        f"{name} -> {dep}"
        for name, deps in import_graph().items()
        for dep in deps
        if layer(name) is not None and layer(dep) is not None and layer(dep) > layer(name)  # type: ignore[operator]
    ]
    assert upward == []


def test_no_import_cycles_in_the_discord_adapter() -> None:
    cycle = find_cycle(import_graph("bot.discord_app"))
    assert cycle is None, " -> ".join(cycle or [])


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_type_only_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"a"}, "c": set()}) == ["a", "b", "a"]


CORE = sorted(name for name in MODULES if not name.startswith("bot.discord_app") and name != "bot.__main__")


def test_only_the_discord_adapter_imports_discord() -> None:
    """Every other module, the CLI included, imports in a fresh interpreter without loading discord."""
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'discord' in sys.modules:\n"
        "        sys.exit(f'importing {name} loads discord')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(CORE) > 20


def test_the_discord_check_would_see_it() -> None:
    code = "import sys, bot.discord_app.client; print('discord' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_every_module_is_at_most_300_lines() -> None:
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in lengths.items() if n > 300} == {}
