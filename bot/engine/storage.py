"""Save postings to a folder and load them back, every file checked (see store.py); the
postings-length arrays are memory-mapped, so a large index loads without reading them whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.engine import store
from bot.engine.layout import BIG, SMALL, Postings

FORMAT, VERSION = "bm25-postings", 2  # 2: the manifest of store.py


def save(postings: Postings, directory: Path) -> None:
    """Write `postings` to `directory`, replacing what is there in one step."""
    with store.replacing(Path(directory)) as work:
        for name, arr in postings.arrays().items():
            np.save(work / f"{name}.npy", np.ascontiguousarray(arr))
        header = {
            "format": FORMAT,
            "version": VERSION,
            "k1": postings.k1,
            "b": postings.b,
            "epsilon": postings.epsilon,
            "n_docs": postings.n_docs,
            "n_terms": len(postings.offsets) - 1,
            "n_postings": int(postings.offsets[-1]),
        }
        store.write_manifest(work, header)


def load(directory: Path) -> Postings:
    """The postings saved in `directory`; raises store.StoreError, never returns postings built
    from damaged files."""
    directory = Path(directory)
    try:
        manifest = store.read_manifest(directory, FORMAT, VERSION)
        if manifest is None:
            raise store.StoreError(f"{directory}: no index here (manifest.json missing)")
        arrays = {}
        for name in BIG + SMALL:
            path = store.checked_path(directory, manifest, f"{name}.npy")
            arr = np.load(path, mmap_mode="r" if name in BIG else None, allow_pickle=False)
            arrays[name] = arr.view(np.ndarray)  # plain views: np.memmap slicing is slow
        n_docs, n_terms, n_post = manifest["n_docs"], manifest["n_terms"], manifest["n_postings"]
        off, dense_row = arrays["offsets"], arrays["dense_row"]
        if (
            off.shape != (n_terms + 1,)
            or off[0] != 0
            or off[-1] != n_post
            or (np.diff(off) < 0).any()
            or arrays["doc_len"].shape != (n_docs,)
            or any(arrays[a].shape != (n_post,) for a in BIG[:4])
            or dense_row.shape != (n_terms,)
            or arrays["dense_tf"].shape != (int((dense_row >= 0).sum()), n_docs)
            or arrays["idf"].shape != (n_terms,)
            or arrays["max_imp"].shape != (n_terms,)
        ):
            raise store.StoreError(f"{directory}: arrays are inconsistent with each other")
        postings = Postings(**arrays, k1=manifest["k1"], b=manifest["b"], epsilon=manifest["epsilon"])
        if len(postings.terms()) != n_terms:
            raise store.StoreError(f"{directory}: arrays are inconsistent with each other")
        return postings
    except store.StoreError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise store.StoreError(f"{directory}: unreadable index: {exc}") from None
