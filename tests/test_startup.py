"""Start-up loads only what a command needs: nltk's Punkt and Snowball without nltk's __init__,
no numba for a small index, no tqdm without a progress bar, no discord outside run/sync, no
spelling library until a word needs correcting, and no
sentence splitter when the passages come from a saved index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HEAVY = ("nltk", "numba", "tqdm", "discord", "scipy", "rapidfuzz")


def run(code: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


REPORT = (
    "import json, sys; from bot.corpus import nltk_parts, passages; "
    f"print(json.dumps({{'heavy': sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), "
    "'splitter': passages.sentence_tokenizer.cache_info().currsize}))"
)


def test_asking_from_the_seeds_loads_nothing_heavy() -> None:
    code = (
        "import io; from bot.cli import main; out = io.StringIO(); "
        f"assert main(['ask', 'where can I report online grooming?', '--articles', {str(SEEDS)!r}], out=out) == 0; "
        "assert 'groomed' in out.getvalue(); " + REPORT
    )
    assert run(code)["heavy"] == []


def test_nltk_imported_elsewhere_is_still_the_whole_package() -> None:
    code = (
        "from bot.corpus.tokens import tokenize; from bot.corpus.passages import split_sentences; "
        "assert tokenize('running children') == ['run', 'child'], tokenize('running children'); "
        "assert split_sentences('Det Insp. Smith said so. Then he left.') == "
        "['Det Insp. Smith said so.', 'Then he left.']; "
        "import nltk; assert callable(nltk.download) and nltk.tokenize.punkt.PunktSentenceTokenizer; "
        "print('{}')"
    )
    run(code)


def test_a_saved_index_needs_no_sentence_splitter(write_article, tmp_path: Path) -> None:
    long_paragraph = " ".join(f"Officers warn about courier fraud scam number {i}." for i in range(20))
    write_article("a.txt", body=long_paragraph)  # over a passage's length: it is split into sentences
    index_dir = tmp_path / "idx"
    load = (
        "from pathlib import Path; from bot.search.library import load_library; "
        f"library = load_library(Path({str(write_article.folder)!r}), index_dir=Path({str(index_dir)!r})); "
        "assert library.index.search('courier fraud'); "
    )
    first = run(load + "assert not library.from_cache; " + REPORT)
    second = run(load + "assert library.from_cache; " + REPORT)
    assert first["splitter"] == 1 and second["splitter"] == 0
    assert second["heavy"] == []


UNNEEDED = (
    *("http.client", "email", "ssl", "urllib.request", "zipfile"),  # nltk's download sandboxes pull these
    *("bot.safeguarding.router", "bot.safeguarding.directory", "bot.search.statements"),
    *("bot.safeguarding.reporting", "bot.search.evaluate", "rank_bm25", "dotenv"),
)


def test_asking_from_the_seeds_loads_only_what_the_answer_needs(tmp_path: Path) -> None:
    code = (
        "import io, json, sys; from bot.cli import main; out = io.StringIO(); "
        f"assert main(['ask', 'where can I report online grooming?', '--articles', {str(SEEDS)!r}], out=out) == 0; "
        "assert 'groomed' in out.getvalue(); "
        f"print(json.dumps(sorted(m for m in {(*UNNEEDED, 'bot.search.saved')!r} if m in sys.modules)))"
    )
    found = []
    for _ in range(2):  # the first ask indexes the seeds and saves the index; the second reads it
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
        )  # no .env in tmp_path
        found.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "bot.search.saved" in found[0] and "bot.search.statements" in found[0]  # made to be saved
    assert found[1] == ["bot.search.saved"]


def test_nltk_file_and_network_modules_are_stand_ins_that_refuse_to_run() -> None:
    code = (
        "import json; from bot.corpus import nltk_parts; punkt = nltk_parts.punkt()\n"
        "assert punkt.PunktSentenceTokenizer().tokenize('One. Two.') == ['One.', 'Two.']\n"
        "try:\n    punkt.pathsec_open('x')\nexcept RuntimeError as e:\n    print(json.dumps(str(e)))"
    )
    assert "nltk.pathsec.open" in run(code)
