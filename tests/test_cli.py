import io
import json
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "seeds")


def run(argv, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_ask_json_contract() -> None:
    code, out, err = run(["ask", "where can I report online grooming?", "--articles", SEEDS, "--json", "--top", "2"])
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert payload["query"] == "where can I report online grooming?"
    assert [r["rank"] for r in payload["results"]] == [1, 2]
    first = payload["results"][0]
    assert set(first) == {"rank", "score", "text", "answer_span", "title", "url", "force", "published", "article"}
    assert first["url"].startswith("https://www.westmercia.police.uk/news/")
    assert first["force"] == "West Mercia"
    assert first["published"] == "2020-04-08T16:40:00"
    assert first["article"] == "000_21de8a6d60bbee78.txt"
    assert "groomed online" in first["text"]
    start, end = first["answer_span"]
    assert 0 <= start < end <= len(first["text"]) and "groomed online" in first["text"][start:end]
    assert payload["results"][0]["score"] >= payload["results"][1]["score"]


def test_ask_reads_questions_from_stdin_as_json_lines() -> None:
    code, out, _ = run(["ask", "-", "--articles", SEEDS, "--json"], stdin="0808 1000 900\n\nbest pizza in town\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["query"] for x in lines] == ["0808 1000 900", "best pizza in town"]
    assert "Stop It Now" in lines[0]["results"][0]["text"]
    assert lines[1]["results"] == []
    assert code == 0


def test_ask_text_output() -> None:
    code, out, _ = run(["ask", "what is CPET", "--articles", SEEDS, "--top", "1"])
    assert code == 0
    assert out.startswith("1. Staffordshire Police supports national coronavirus online safety push\n")
    assert "Staffordshire · 7 April 2020" in out
    assert "https://www.staffordshire.police.uk/news/" in out


def test_ask_force_filter_and_unknown_force() -> None:
    code, out, _ = run(["ask", "online safety", "--articles", SEEDS, "--force", "staffs", "--json", "--top", "5"])
    assert code == 0 and {r["force"] for r in json.loads(out)["results"]} == {"Staffordshire"}
    code, _, err = run(["ask", "online safety", "--articles", SEEDS, "--force", "Kent"])
    assert code == 2 and "no articles from a force called 'Kent'" in err


def test_no_answer_is_said_plainly() -> None:
    code, out, _ = run(["ask", "how do I renew my passport", "--articles", SEEDS])
    assert code == 0 and out.startswith("No passage in the 3 loaded articles matches")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "   "], "the question is empty"),
        (["ask", "x" * 1001], "keep it under 1000"),
        (["ask", "q", "--top", "0"], "--top must be at least 1"),
    ],
)
def test_bad_questions(argv, message) -> None:
    code, _, err = run([*argv, "--articles", SEEDS])
    assert code == 2 and message in err


def test_missing_and_empty_folders(tmp_path) -> None:
    code, _, err = run(["ask", "grooming", "--articles", str(tmp_path / "missing")])
    assert code == 2 and "does not exist" in err
    code, _, err = run(["ask", "grooming", "--articles", str(tmp_path)])
    assert code == 2 and "no valid articles" in err


def test_check_summary_and_exit_status(write_article) -> None:
    code, out, _ = run(["check", "--articles", SEEDS])
    assert code == 0
    assert "3 article(s) loaded, 0 rejected, 36 passages" in out
    assert "West Mercia: 2 article(s)" in out and "published 07 Apr 2020 to 18 Mar 2021" in out
    write_article("good.txt")
    write_article("broken.txt", "no header here")
    code, out, _ = run(["check", "--articles", str(write_article.folder)])
    assert code == 1
    assert "1 article(s) loaded, 1 rejected" in out
    assert "rejected broken.txt: no header" in out


def test_ask_warns_about_skipped_files_but_answers(write_article) -> None:
    write_article("good.txt")
    write_article("broken.txt", "no header here")
    code, out, err = run(["ask", "phone scams", "--articles", str(write_article.folder), "--json"])
    assert code == 0 and json.loads(out)["results"]
    assert "skipped 1 invalid file(s)" in err


def test_eval_prints_metrics() -> None:
    code, out, _ = run(["eval", str(ROOT / "tests" / "questions.yaml"), "--articles", SEEDS])
    assert code == 0
    assert out.startswith("40 answerable questions: hit@1 ")
    assert "hit@3 1.000" in out


def test_articles_dir_from_environment(monkeypatch, write_article) -> None:
    write_article("only.txt", url="https://x.police.uk/env", body="Environment variable corpus about bicycles.")
    monkeypatch.setenv("ARTICLES_DIR", str(write_article.folder))
    code, out, _ = run(["ask", "bicycles", "--json"])
    assert code == 0 and json.loads(out)["results"][0]["article"] == "only.txt"
