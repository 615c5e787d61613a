"""nltk's Punkt sentence splitter and Snowball stemmer, without the rest of nltk.

Any `import nltk.<module>` first runs nltk/__init__.py, which imports most of the package
(~0.2 s, and scipy when it is installed): more than everything else a command does. The two
modules used here need little of it, so they are loaded with bare stand-ins for nltk's package
__init__ files, and every nltk module is then taken out of sys.modules again: the objects live on
here, and an `import nltk` elsewhere still gets the whole, real package.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from functools import cache
from pathlib import Path

# Modules Punkt and Snowball import but never call here: nltk's sandboxes for reading files,
# URLs and pickles (for loading trained parameters, which the bot builds in code), and the
# helpers of tokenizers and classes it does not use. Between them they import http.client,
# email, ssl, urllib.request, subprocess, zipfile and xml (~0.02 s); their stand-ins fail
# loudly if anything ever calls them.
UNUSED = ("nltk.pathsec", "nltk.picklesec", "nltk.internals", "nltk.tokenize.util")


class _Unavailable(types.ModuleType):
    """A module whose every attribute is a function that raises: `from m import f` succeeds,
    a call of f does not."""

    def __getattr__(self, attribute: str) -> object:
        if attribute.startswith("__"):
            raise AttributeError(attribute)

        def unavailable(*_: object, **__: object) -> None:
            raise RuntimeError(f"{self.__name__}.{attribute} is not loaded (see bot/corpus/nltk_parts.py)")

        return unavailable


@cache
def _load(module: str) -> types.ModuleType:
    """nltk.<module>, e.g. "tokenize.punkt"."""
    if "nltk" in sys.modules:  # already imported whole: use it
        return importlib.import_module(f"nltk.{module}")
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nltk is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    before = set(sys.modules)
    try:
        for name, folder in (("nltk", root), *((f"nltk.{sub}", root / sub) for sub in ("tokenize", "stem", "corpus"))):
            package = types.ModuleType(name)
            package.__path__ = [str(folder)]
            sys.modules[name] = package
        sys.modules["nltk.corpus"].stopwords = None  # type: ignore[attr-defined]  # only for ignore_stopwords=True
        for name in UNUSED:
            sys.modules[name] = _Unavailable(name)
        return importlib.import_module(f"nltk.{module}")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]


def punkt() -> types.ModuleType:
    """nltk.tokenize.punkt (loaded on first use: only building passages needs it)."""
    return _load("tokenize.punkt")


def snowball() -> types.ModuleType:
    """nltk.stem.snowball."""
    return _load("stem.snowball")
