"""Our subclasses of discord.py classes override only the hooks discord.py documents for overriding.

A name that happens to match one of discord.py's internals (as `PagedView._refresh` once matched
`View._refresh(components)`, called on every MESSAGE_UPDATE) breaks the library from inside.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import discord
import pytest
from discord.ext import commands

import bot.discord_app

HOOKS = {
    "__init__",
    "interaction_check",  # View, Cog
    "on_timeout",  # View
    "on_error",  # View
    "callback",  # Item (Button)
    "setup_hook",  # Client
    "on_ready",  # Client event
    "cog_load",  # Cog
    "cog_unload",  # Cog
    "cog_app_command_error",  # Cog
}


def defined_names(node: ast.ClassDef) -> set[str]:
    """Methods, class attributes and `self.x = ...` attributes a class body defines."""
    names: set[str] = set()
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(item.name)
        elif isinstance(item, ast.Assign):
            names.update(t.id for t in item.targets if isinstance(t, ast.Name))
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            names.add(item.target.id)
    for sub in ast.walk(node):
        targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target] if isinstance(sub, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                names.add(target.attr)
    return names


def base_names() -> dict[type, set[str]]:
    """Everything an instance of each discord.py base class has: class attributes and the instance
    attributes its constructor sets."""
    instances = {
        discord.ui.View: discord.ui.View(),
        discord.ui.Button: discord.ui.Button(),
        commands.Bot: commands.Bot(command_prefix="!", intents=discord.Intents.none()),
        commands.AutoShardedBot: commands.AutoShardedBot(command_prefix="!", intents=discord.Intents.none()),
        commands.Cog: commands.Cog(),
    }
    return {base: set(dir(base)) | set(vars(instance)) for base, instance in instances.items()}


def subclasses(module: ModuleType) -> list[tuple[type, ast.ClassDef]]:
    tree = ast.parse(inspect.getsource(module))
    found = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            cls = getattr(module, node.name)
            if any(base.__module__.startswith("discord") for base in cls.__mro__[1:]):
                found.append((cls, node))
    return found


ADAPTER = sorted(m.name for m in pkgutil.iter_modules(bot.discord_app.__path__, "bot.discord_app."))


@pytest.mark.parametrize("name", ADAPTER)
def test_subclasses_override_only_documented_hooks(name: str) -> None:
    module = importlib.import_module(name)
    known = base_names()
    for cls, node in subclasses(module):
        bases = [b for b in known if issubclass(cls, b)]
        assert bases, f"{cls.__name__}: add its discord.py base to base_names()"
        taken = set().union(*(known[b] for b in bases))
        clashes = sorted((defined_names(node) & taken) - HOOKS)
        assert clashes == [], f"{cls.__name__} redefines discord.py's {clashes}"


def test_the_check_finds_a_clash() -> None:
    node = ast.parse("class V:\n    def _refresh(self):\n        self.timeout = 1\n").body[0]
    assert isinstance(node, ast.ClassDef)
    assert {"_refresh", "timeout"} <= defined_names(node) & base_names()[discord.ui.View]
