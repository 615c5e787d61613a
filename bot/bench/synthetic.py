"""Synthetic police-news corpora and queries for benchmarks, at any size, reproducibly.

Words are pseudo-words (consonant-vowel syllables, frequent words shorter, the shipped stopwords
left out) drawn from a Zipf (s = 1) distribution over a fixed vocabulary, so term statistics look
like text's: a handful of terms in most passages, a long tail of rare ones. Each paragraph is kept
under the passage splitter's target length, so one paragraph makes one passage.
"""

from __future__ import annotations

import hashlib
import itertools
from functools import cache
from pathlib import Path

import numpy as np

VOCAB_SIZE = 150_000
FORCES = (
    "Avon and Somerset",
    "Bedfordshire",
    "Cambridgeshire",
    "Cheshire",
    "City of London",
    "Cleveland",
    "Cumbria",
    "Derbyshire",
    "Devon and Cornwall",
    "Dorset",
    "Durham",
    "Dyfed-Powys",
    "Essex",
    "Gloucestershire",
    "Greater Manchester",
    "Gwent",
    "Hampshire",
    "Hertfordshire",
    "Humberside",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Merseyside",
    "Metropolitan",
    "Norfolk",
    "North Wales",
    "North Yorkshire",
    "Northamptonshire",
    "Northumbria",
    "Nottinghamshire",
    "South Wales",
    "South Yorkshire",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Sussex",
    "Thames Valley",
    "Warwickshire",
    "West Mercia",
    "West Midlands",
    "West Yorkshire",
    "Wiltshire",
)
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_SYLLABLES = [c + v for c in "bdfgklmnprtvz" for v in "aeiou"]  # 65; no 's'/'y' endings to stem
_MAX_PARAGRAPH_CHARS = 440  # bot.corpus.passages packs up to 450 characters into one passage


@cache
def vocabulary(size: int = VOCAB_SIZE) -> tuple[str, ...]:
    """`size` distinct pseudo-words, most frequent first (index = Zipf rank - 1)."""
    stop_file = Path(__file__).resolve().parent.parent / "data" / "stopwords.txt"
    stop = set(stop_file.read_text(encoding="utf-8").split()) if stop_file.exists() else set()
    words: list[str] = []
    n_syl, width, i = len(_SYLLABLES), 2, 0
    while len(words) < size:
        space = n_syl**width
        if i >= space:
            width, i = width + 1, 0
            continue
        code, word = (i * 1_000_003) % space, ""  # a bijection that scatters neighbouring ranks
        for _ in range(width):
            code, digit = divmod(code, n_syl)
            word += _SYLLABLES[digit]
        i += 1
        if word not in stop:
            words.append(word)
    return tuple(words)


def zipf_ids(rng: np.random.Generator, n: int, size: int = VOCAB_SIZE) -> np.ndarray:
    """n word ids (0 = most frequent) with P(id) proportional to 1 / (id + 1): exact inverse CDF
    for the first 4096 ranks, the harmonic-number approximation H_r ~ ln(r + 1/2) + gamma beyond."""
    head = np.cumsum(1.0 / np.arange(1, min(size, 4096) + 1))
    h_total = float(np.log(size + 0.5) + np.euler_gamma) if size > 4096 else float(head[-1])
    h = rng.random(n) * h_total
    out = np.searchsorted(head, h)
    tail = h > head[-1]
    out[tail] = np.ceil(np.exp(h[tail] - np.euler_gamma) - 0.5) - 1
    return np.clip(out, 0, size - 1).astype(np.int32)


def sample_queries(
    n: int, seed: int = 0, *, min_terms: int = 2, max_terms: int = 8, size: int = VOCAB_SIZE
) -> list[str]:
    """Queries of min_terms..max_terms words: a third drawn like corpus words (so common words
    appear, as they do in typed questions), the rest 'topic' words with log-uniform rank."""
    rng, words = np.random.default_rng(seed), vocabulary(size)
    queries = []
    for _ in range(n):
        length = rng.integers(min_terms, max_terms + 1)
        common = zipf_ids(rng, int(length), size)
        topic = np.exp(rng.uniform(np.log(20), np.log(size), int(length))).astype(np.int64) - 1
        ids = np.where(rng.random(int(length)) < 1 / 3, common, topic)
        queries.append(" ".join(words[i] for i in ids))
    return queries


def write_corpus(directory: Path, n_passages: int, seed: int = 0) -> int:
    """Write article files (```yaml header, then paragraphs separated by blank lines) holding
    `n_passages` paragraphs in all, 5-20 per article; return the number of paragraphs written.
    The same seed writes byte-identical files."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if n_passages <= 0:
        return 0
    rng, vocab = np.random.default_rng(seed), vocabulary()
    words = np.array(vocab, dtype=object)
    caps = np.array([w.capitalize() for w in vocab], dtype=object)
    wlen = np.array([len(w) for w in vocab])
    # sentences of 10-30 words, 1-3 per paragraph, dropping those that would make it too long
    n_sent = rng.integers(1, 4, n_passages)
    s_len = rng.integers(10, 31, int(n_sent.sum()))
    s_start = np.concatenate(([0], np.cumsum(s_len)))
    ids = zipf_ids(rng, int(s_start[-1]))
    s_chars = np.add.reduceat(wlen[ids], s_start[:-1]) + s_len + 1 if len(ids) else s_len
    p_first = np.concatenate(([0], np.cumsum(n_sent)))[:-1]
    within = np.cumsum(s_chars) - np.repeat(np.cumsum(s_chars)[p_first] - s_chars[p_first], n_sent)
    keep = (within <= _MAX_PARAGRAPH_CHARS) | (np.arange(len(s_len)) == np.repeat(p_first, n_sent))
    text = words[ids]
    text[s_start[:-1]] = caps[ids[s_start[:-1]]]
    text[s_start[1:] - 1] = text[s_start[1:] - 1] + "."
    sentences = [" ".join(text[a:b]) for a, b, k in zip(s_start[:-1], s_start[1:], keep) if k]
    para_of = np.repeat(np.arange(n_passages), n_sent)[keep]
    bounds = np.searchsorted(para_of, np.arange(n_passages + 1))
    paragraphs = [" ".join(sentences[a:b]) for a, b in itertools.pairwise(bounds)]
    # articles of 5-20 paragraphs, the last one taking what is left
    sizes = rng.integers(5, 21, n_passages // 5 + 1)
    ends = np.cumsum(sizes)
    n_articles = int(np.searchsorted(ends, n_passages)) + 1
    ends = np.minimum(ends[:n_articles], n_passages)
    forces = rng.integers(0, len(FORCES), n_articles)
    stamps = rng.integers(0, 10 * 365 * 24 * 60, n_articles)  # minutes since 2015-01-01
    title_ids = zipf_ids(rng, 12 * n_articles).reshape(n_articles, 12)
    title_len = rng.integers(4, 11, n_articles)
    start = 0
    for a in range(n_articles):
        force = FORCES[forces[a]]
        day = np.datetime64("2015-01-01T00:00") + np.timedelta64(int(stamps[a]), "m")
        y, mo, d, hm = str(day)[:4], str(day)[5:7], str(day)[8:10], str(day)[11:16]
        title = " ".join(words[title_ids[a, : title_len[a]]]).capitalize()
        slug = force.lower().replace(" ", "-")
        url = (
            f"https://www.{slug.replace('-', '')}.police.uk/news/{slug}/news/{y}/{_MONTHS[int(mo) - 1]}/"
            f"{title.lower().replace(' ', '-')}-{a}/"
        )
        header = (
            f"```yaml\narea: {force}\npublish:\n  date: {hm} {d}/{mo}/{y}\n"
            f"title: {title} | {force} Police\nurl: {url}\n```\n\n"
        )
        name = f"{a:06d}_{hashlib.blake2b(url.encode(), digest_size=8).hexdigest()}.txt"
        body = "\n\n".join(paragraphs[start : ends[a]])
        (directory / name).write_text(header + body + "\n", encoding="utf-8")
        start = int(ends[a])
    return n_passages
