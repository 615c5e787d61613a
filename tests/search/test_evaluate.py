from pathlib import Path

import pytest

from bot.corpus.articles import load_folder
from bot.search.evaluate import evaluate, load_questions, report_lines
from bot.search.index import Index

QUESTIONS = Path(__file__).resolve().parents[1] / "questions.yaml"


def test_question_set_quality(seed_index) -> None:
    """The issue's bar: at least 95% of our questions answered at rank 1 (measured 0.975), all
    within the top 3, and every unanswerable question answered with 'nothing matches'."""
    questions = load_questions(QUESTIONS)
    assert sum(1 for q in questions if q.articles) >= 30
    report = evaluate(seed_index, questions)
    assert report.hit_at(1) >= 0.97
    assert report.hit_at(3) == 1.0
    assert report.no_answer_accuracy == 1.0


def test_question_set_articles_exist(seed_index) -> None:
    names = {a.name for a in seed_index.articles}
    for q in load_questions(QUESTIONS):
        assert set(q.articles) <= names, q.text


def test_bad_question_file(tmp_path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text("- question: where?\n  article: a.txt\n")
    with pytest.raises(ValueError, match="entry 1 needs `article`"):
        load_questions(bad)
    bad.write_text("{}")
    with pytest.raises(ValueError, match="non-empty YAML list"):
        load_questions(bad)


def test_metrics_on_a_known_ranking(seed_index, tmp_path) -> None:
    q = tmp_path / "q.yaml"
    q.write_text(
        "- question: what is CPET?\n  article: 002_a41a502d0af0a6b5.txt\n  contains: [(CPET)]\n"
        "- question: 0808 1000 900\n  article: 000_21de8a6d60bbee78.txt\n  contains: [Stop It Now]\n"
        "- question: passport renewal\n  answer: none\n"
    )
    report = evaluate(seed_index, load_questions(q))
    ranks = [o.rank for o in report.outcomes]
    assert ranks[1] == 1 and ranks[2] == 1
    assert report.mrr == pytest.approx((1 / ranks[0] + 1) / 2)
    assert report.hit_at(1) == (0.5 if ranks[0] > 1 else 1.0)


def test_json_lines_question_set(seed_index, tmp_path) -> None:
    """The shared corpus's format: accept_urls, must_contain_any, kind, unanswerable."""
    url = next(a.url for a in seed_index.articles if a.name == "000_21de8a6d60bbee78.txt")
    q = tmp_path / "q.jsonl"
    q.write_text(
        f'{{"q": "stop it now helpline number", "accept_urls": ["{url.upper()}/"], '
        '"must_contain_any": ["no such words", "0808 1000 900"], "kind": "plain"}\n'
        "\n"
        f'{{"q": "stop it now helpline number", "accept_urls": ["{url}"], '
        '"must_contain_any": ["words the passage lacks"], "kind": "misspelt"}\n'
        '{"q": "passport renewal", "kind": "unanswerable", "unanswerable": true}\n'
    )
    questions = load_questions(q)
    assert [x.kind for x in questions] == ["plain", "misspelt", "unanswerable"]
    report = evaluate(seed_index, questions)
    assert [o.rank for o in report.outcomes] == [1, None, 1]
    assert report.hits_at(1, "plain") == 1 and report.hits_at(3, "misspelt") == 0
    assert report.kinds == ["plain", "misspelt"]
    assert report.declined == (1, 1)
    lines = report_lines(report)
    assert lines[0].startswith("2 answerable questions: hit@1 0.500")
    assert "  kind=plain: hit@1 1/1  hit@3 1/1  MRR 1.000" in lines
    assert lines[-1] == "1 unanswerable: said so for 1.000 (1/1 declined)"


def test_bad_json_lines(tmp_path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"q": "where?", "accept_urls": ["https://x"]}\n')
    with pytest.raises(ValueError, match="line 1 needs `accept_urls` and `must_contain_any`"):
        load_questions(bad)
    bad.write_text('{"q": "fine", "unanswerable": true}\n{"q": oops}\n')
    with pytest.raises(ValueError, match="line 2 is not JSON"):
        load_questions(bad)


COLLOQUIAL = Path(__file__).resolve().parents[1] / "questions_colloquial.yaml"
CORPUS_QUESTIONS = Path(__file__).resolve().parents[1] / "corpus_questions.jsonl"
SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "articles"


def test_colloquial_questions_on_the_seeds(seed_index) -> None:
    """Held-out text-speak, platform names and misspellings (written before the tuning): the
    floor sits a little under what was measured (hit@1 0.818, hit@3 0.955, 4 of 8 unanswerable
    declined), to catch losses."""
    questions = load_questions(COLLOQUIAL)
    assert sum(1 for q in questions if q.answerable) >= 20
    assert {a for q in questions for a in q.articles} <= {a.name for a in seed_index.articles}
    report = evaluate(seed_index, questions)
    assert report.hit_at(1) >= 0.81
    assert report.hit_at(3) >= 0.95
    assert report.declined[0] >= 4


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_own_questions_on_the_shared_corpus() -> None:
    """Our questions about the shared corpus (its articles cannot ship here); measured 0.696 /
    0.826, 2 of 7 unanswerable declined."""
    index = Index(load_folder(SHARED_CORPUS)[0])
    questions = load_questions(CORPUS_QUESTIONS)
    assert sum(1 for q in questions if q.answerable) >= 20
    report = evaluate(index, questions)
    assert report.hit_at(1) >= 0.69
    assert report.hit_at(3) >= 0.82
    assert report.declined[0] >= 2


def test_yaml_contains_any(seed_index, tmp_path) -> None:
    q = tmp_path / "q.yaml"
    q.write_text(
        "- question: stop it now helpline number\n  article: 000_21de8a6d60bbee78.txt\n"
        "  contains_any: [words the passage lacks, 0808 1000 900]\n"
        "- question: stop it now helpline number\n  article: 000_21de8a6d60bbee78.txt\n"
        "  contains_any: [words the passage lacks]\n"
    )
    assert [o.rank for o in evaluate(seed_index, load_questions(q)).outcomes] == [1, None]
