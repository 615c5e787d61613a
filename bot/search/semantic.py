"""Meaning beyond exact words: cosine similarity of static word embeddings.

The model is WordLlama's `l2_supercat_256` (MIT): one 256-number vector per token of the
LLaMA-2 tokenizer, shipped inside the `wordllama` wheel, so nothing is downloaded at run time.
A text's vector is the mean of its tokens' vectors. Its files are read directly: importing the
package costs a quarter of a second of imports the bot does not need, and its `load()` looks
for the tokenizer in a folder the wheel does not have. The model loads once, on first use.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import threading
from collections.abc import Sequence
from itertools import chain, filterfalse
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL = "l2_supercat"
DIMENSIONS = 256
QUANTUM = 127  # int8 vectors are unit vectors times this
MAX_CACHED_CHUNKS = 500_000  # tokenized space-separated chunks kept (a few tens of MB at most)
EMBED_BATCH = 1024  # texts whose chunks are looked up and tokenized together
SMALL_BATCH = 64  # fewer new chunks than this are tokenized one by one
WIDE_BATCH = 1000  # from this many texts at once, sum float32 copies of the token vectors


class ModelMissing(RuntimeError):
    """The embedding model's files are not installed."""


def _package_dir() -> Path:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("the wordllama package is not installed (pip install wordllama)")
    return Path(next(iter(spec.submodule_search_locations)))


_DTYPES = {"F16": np.float16, "F32": np.float32, "BF16": None}


def _mapped_tensor(path: Path, name: str) -> np.ndarray:
    """A tensor of a .safetensors file, memory-mapped: no copy, and only the rows used are read.
    (The format: an 8-byte little-endian header length, a JSON header, then the raw data.)"""
    with path.open("rb") as file:
        size = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(size))
    entry = header.get(name)
    if not isinstance(entry, dict) or _DTYPES.get(str(entry.get("dtype"))) is None:
        raise ModelMissing(f"{path.name} has no {name} tensor of a float type")
    start, _ = entry["data_offsets"]
    dtype, shape = _DTYPES[entry["dtype"]], tuple(entry["shape"])
    return np.memmap(path, dtype=np.dtype(dtype), mode="r", offset=8 + size + start, shape=shape)


def _unit(total: np.ndarray) -> np.ndarray:
    """`total` divided by its length (np.linalg.norm's sqrt(v.dot(v)), without its checks)."""
    norm = float(np.sqrt(total.dot(total)))
    return total / norm if norm > 0 else np.zeros_like(total)


class Embedder:
    """Unit-length text vectors from a token-vector table and a tokenizer."""

    def __init__(self, vectors: np.ndarray, tokenizer: object) -> None:
        self._vectors = vectors  # (tokens, dimensions), any float type; may be a read-only memmap
        self._table = np.asarray(vectors)  # the same memory without the memmap's per-index overhead
        self._wide: np.ndarray | None = None
        self._tokenizer = tokenizer
        self._chunks: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_package(cls) -> Embedder:
        from tokenizers import Tokenizer

        folder = _package_dir()
        weights = folder / "weights" / f"{MODEL}_{DIMENSIONS}.safetensors"
        tokenizer_file = folder / "tokenizers" / f"{MODEL}_tokenizer_config.json"
        for path in (weights, tokenizer_file):
            if not path.is_file():
                raise ModelMissing(f"the wordllama package has no {path.relative_to(folder)}")
        vectors = _mapped_tensor(weights, "embedding.weight")
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(vectors, tokenizer)

    def _remember(self, chunk_lists: Sequence[list[str]]) -> None:
        """Tokenize, in one batch, the chunks of `chunk_lists` not seen before."""
        known, batch = self._chunks, set(chain.from_iterable(chunk_lists))
        new = list(filterfalse(known.__contains__, batch))
        if not new:
            return
        if len(known) + len(new) > MAX_CACHED_CHUNKS:
            known.clear()
            new = list(batch)
        tokenizer: Any = self._tokenizer
        if len(new) < SMALL_BATCH:  # a question's few words: encode_batch's threads cost ~0.2 ms a call
            encoded = [tokenizer.encode(chunk, add_special_tokens=False) for chunk in new]
        else:
            encoded = tokenizer.encode_batch(new, add_special_tokens=False)
        size = len(self._table)
        for chunk, encoding in zip(new, encoded):
            ids = encoding.ids
            in_table = not ids or (min(ids) >= 0 and max(ids) < size)
            known[chunk] = tuple(ids) if in_table else tuple(i for i in ids if 0 <= i < size)

    def _float32_table(self) -> np.ndarray:
        """The token vectors as float32, made on first use by a large batch (a build): summing
        float32 rows is several times faster than summing float16 ones as float32, and gives
        the same sums (each float16 is a float32 exactly)."""
        if self._wide is None:
            self._wide = self._table.astype(np.float32)
        return self._wide

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (zeros for a text with no tokens).

        The tokenizer splits at spaces before anything else, so a text's tokens are its
        space-separated chunks' tokens: each chunk is tokenized once and remembered (new ones in
        one batch per EMBED_BATCH texts), and a batch's token ids are listed in one array."""
        out = np.zeros((len(texts), self._table.shape[1]), dtype=np.float32)
        for first in range(0, len(texts), EMBED_BATCH):
            chunk_lists = [text.split() for text in texts[first : first + EMBED_BATCH]]
            self._remember(chunk_lists)
            out[first : first + len(chunk_lists)] = self._unit_sums(chunk_lists)
        return out

    def _unit_sums(self, chunk_lists: Sequence[list[str]]) -> np.ndarray:
        out = np.zeros((len(chunk_lists), self._table.shape[1]), dtype=np.float32)
        if len(chunk_lists) == 1:  # a question: no arrays of bounds
            own = list(chain.from_iterable(map(self._chunks.__getitem__, chunk_lists[0])))
            if own:
                out[0] = _unit(self._table[own].sum(axis=0, dtype=np.float32))
            return out
        per_chunk = list(map(self._chunks.__getitem__, chain.from_iterable(chunk_lists)))
        id_ends = np.r_[0, np.cumsum(np.fromiter(map(len, per_chunk), dtype=np.int64, count=len(per_chunk)))]
        chunk_ends = np.r_[0, np.cumsum(np.fromiter(map(len, chunk_lists), dtype=np.int64, count=len(chunk_lists)))]
        bounds = id_ends[chunk_ends]  # text i's token ids are ids[bounds[i]:bounds[i + 1]]
        rows = np.flatnonzero(bounds[1:] > bounds[:-1])  # texts with tokens
        if not len(rows):
            return out
        ids = np.fromiter(chain.from_iterable(per_chunk), dtype=np.int64, count=int(bounds[-1]))
        table = self._float32_table() if len(chunk_lists) >= WIDE_BATCH else self._table
        for row in rows.tolist():
            # Summed text by text: numpy adds a text's rows in order this way (np.add.reduceat
            # over the batch does not), so the vectors are the very ones summed one at a time.
            out[row] = _unit(table[ids[bounds[row] : bounds[row + 1]]].sum(axis=0, dtype=np.float32))
        return out

    @property
    def dimensions(self) -> int:
        return int(self._vectors.shape[1])

    def quantised(self, texts: Sequence[str]) -> np.ndarray:
        """`embed` as int8 (x QUANTUM): a quarter of the memory, cosines within 0.01."""
        return np.rint(self.embed(texts) * QUANTUM).astype(np.int8)

    def similarities(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of `question` with each of `texts`."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        vectors = self.embed([question, *texts])
        return vectors[1:] @ vectors[0]

    def similarities_of(self, vector: np.ndarray, quantised: np.ndarray) -> np.ndarray:
        """Cosine similarity of a question embedded as `vector` with texts already embedded by
        `quantised`."""
        if quantised.shape[1] != self._vectors.shape[1]:
            return np.zeros(len(quantised), dtype=np.float32)
        return quantised.astype(np.float32) @ vector / QUANTUM


_lock = threading.Lock()
_loaded: list[Embedder | None] = []


def embedder() -> Embedder | None:
    """The shared embedder, loaded on first use; None if the model is not installed (search
    then ranks by words alone)."""
    with _lock:
        if not _loaded:
            try:
                _loaded.append(Embedder.from_package())
            except (ModelMissing, OSError, ValueError, KeyError) as exc:
                log.warning("no semantic similarity: %s", exc)
                _loaded.append(None)
        return _loaded[0]


_preloading: list[threading.Thread] = []


def preload() -> None:
    """Start loading the model in a thread (the tokenizer takes a few hundredths of a second
    to read), so that it is ready when the index or the first question needs it. Once."""
    with _lock:
        if _loaded or _preloading:
            return
        _preloading.append(threading.Thread(target=embedder, name="load-embeddings", daemon=True))
    with contextlib.suppress(ImportError):  # here: a thread importing holds up the main thread's imports
        import tokenizers  # noqa: F401
    _preloading[0].start()
