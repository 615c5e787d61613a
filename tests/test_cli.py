import io
import json
import subprocess
import sys
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


def test_zoned_dates_check_index_and_ask_agree(write_article, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "idx"))
    write_article("zulu.txt", date="2020-04-08T16:40:00Z", url="https://x.police.uk/z", body="Zulu time bicycles.")
    write_article("plain.txt", date="17:00 08/04/2020", url="https://x.police.uk/p", body="Plain time bicycles.")
    folder = str(write_article.folder)
    code, out, _ = run(["check", "--articles", folder])
    assert code == 0 and "2 article(s) loaded, 0 rejected" in out
    code, fresh, _ = run(["ask", "bicycles", "--articles", folder, "--json"])
    assert code == 0
    assert run(["index", "--articles", folder])[0] == 0
    code, saved, _ = run(["ask", "bicycles", "--articles", folder, "--json"])
    assert code == 0 and saved == fresh
    published = {r["article"]: r["published"] for r in json.loads(saved)["results"]}
    assert published == {"zulu.txt": "2020-04-08T17:40:00", "plain.txt": "2020-04-08T17:00:00"}


@pytest.mark.parametrize("command", ["check", "ask", "index"])
def test_dangling_symlink_is_a_problem_for_every_command(write_article, command) -> None:
    write_article("good.txt")
    (write_article.folder / "dangling.txt").symlink_to(write_article.folder / "gone.txt")
    argv = [command, "--articles", str(write_article.folder)] + (["phone scams"] if command == "ask" else [])
    code, out, err = run(argv)
    assert code == (1 if command == "check" else 0), err
    assert ("rejected dangling.txt: cannot be read" in out) if command == "check" else ("skipped 1 invalid" in err)


def test_empty_folder_check_and_ask_agree(tmp_path) -> None:
    for command in (["check"], ["ask", "grooming"]):
        code, out, err = run([*command, "--articles", str(tmp_path)])
        assert (code, out) == (2, "")
        assert err.count("\n") == 1 and "no valid articles" in err and "no .txt or .md files" in err


def test_check_on_a_folder_of_rejected_files_lists_them_and_exits_2(write_article) -> None:
    write_article("broken.txt", "no header here")
    code, out, err = run(["check", "--articles", str(write_article.folder)])
    assert code == 2 and "rejected broken.txt: no header" in out and "no valid articles" in err


def test_an_overlong_line_is_refused_and_the_others_answered() -> None:
    lines = "0808 1000 900\n" + "x" * 1001 + "\nbest pizza in town\n"
    code, out, err = run(["ask", "-", "--articles", SEEDS, "--json"], stdin=lines)
    assert [json.loads(line)["query"] for line in out.splitlines()] == ["0808 1000 900", "best pizza in town"]
    assert err == "error: line 2: the question is 1,001 characters; keep it under 1000\n"
    assert code == 1


@pytest.mark.parametrize(
    "content",
    [
        b"title: [unclosed\n",
        b"```yaml\ntitle: T\n```\nAn article, not questions.\n",
        b"\xff\xfe binary",
        b"- question: q\n  article: [[a]]\n  contains: x\n",
        b"- question: q\n  article: a.txt\n  contains: {x: y}\n",
        b"- question: q\n  article: a.txt\n  contains: x\n  force: [a]\n",
        b"a: &a [x, x]\nb: &b [*a, *a]\n- nope",
    ],
)
def test_eval_on_a_file_that_is_not_a_question_set(tmp_path, content) -> None:
    path = tmp_path / "q.yaml"
    path.write_bytes(content)
    code, out, err = run(["eval", str(path), "--articles", SEEDS])
    assert code == 2 and out == ""
    assert err.startswith(f"error: {path}") and err.count("\n") == 1


def test_eval_on_a_folder_is_one_line(tmp_path) -> None:
    code, _, err = run(["eval", str(tmp_path), "--articles", SEEDS])
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1


def test_a_broken_pipe_stops_quietly() -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    code = main(["ask", "online safety", "--articles", SEEDS], out=Closed(), err=err, stdin=io.StringIO())
    assert (code, err.getvalue()) == (141, "")


def test_piping_into_head_stops_quietly() -> None:
    questions = "".join(f"online safety grooming report {n}\n" for n in range(300))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "-", "--articles", SEEDS],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    process.stdin.write(questions.encode())
    process.stdin.close()
    assert process.stdout.read(200)
    process.stdout.close()  # what `head -c 200` does
    assert process.wait(timeout=120) == 141
    assert process.stderr.read() == b""


def test_dev_py_resolves_relative_paths_where_it_was_typed(write_article) -> None:
    write_article("only.txt")
    result = subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), "check", "--articles", "articles"],
        cwd=write_article.folder.parent, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("articles: 1 file(s), 1 article(s) loaded")


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRed\x1b[0m \x9b31m\x07bell\r\x08"


def test_terminal_control_codes_never_reach_the_terminal(write_article) -> None:
    write_article("other.txt", url="https://x.police.uk/o", body="Bicycle marking at the station.\n\nBring ID.")
    write_article(
        "evil.txt",
        title=json.dumps(f"Scam {HOSTILE} warning"),  # YAML double quotes read JSON's escapes
        area=json.dumps(f"Test{HOSTILE}shire"),
        body=f"Officers warn of phone scams {HOSTILE} today.\n\nCall 101.",
    )
    folder = str(write_article.folder)
    code, out, _ = run(["ask", "phone scams", "--articles", folder])
    assert code == 0 and "Scam" in out and "phone scams" in out
    assert not any(ch in out for ch in "\x1b\x9b\x07\r\x08"), out
    assert "pwned" not in out and "[2J" not in out and "Red" in out
    code, out, _ = run(["ask", "phone scams", "--articles", folder, "--json"])
    text = json.loads(out)["results"][0]["text"]
    assert (
        "\x1b]0;pwned\x07\x1b[2J\x1b[31mRed" in text
    )  # the data is kept verbatim; only what a terminal would act on is escaped
    assert not any(ch in out for ch in "\x1b\x9b\x07")


def test_urls_in_text_output_cannot_break_markdown(write_article) -> None:
    write_article("a.txt", url="https://www.test.police.uk/news/scam_(2021)")
    code, out, _ = run(["ask", "phone scams", "--articles", str(write_article.folder)])
    assert code == 0 and "https://www.test.police.uk/news/scam_%282021%29" in out


def test_spoofed_urls_are_rejected_by_check(write_article) -> None:
    write_article("good.txt")
    write_article("spoof.txt", url="https://police.uk@evil.example/")
    code, out, _ = run(["check", "--articles", str(write_article.folder)])
    assert code == 1 and "rejected spoof.txt: url 'https://police.uk@evil.example/' has a user name" in out


def test_a_line_that_is_not_utf8_spoils_one_word_not_the_batch() -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff grooming\nonline safety\n"), encoding="utf-8", errors="strict")
    out, err = io.StringIO(), io.StringIO()
    code = main(["ask", "-", "--articles", SEEDS, "--json"], out=out, err=err, stdin=stdin)
    assert code == 0, err.getvalue()
    assert [json.loads(line)["query"] for line in out.getvalue().splitlines()] == ["\ufffd grooming", "online safety"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ask_on_a_terminal_shows_the_answer_sentence_in_bold() -> None:
    terminal = _Terminal()
    assert (
        main(["ask", "what is the stop it now helpline number", "--articles", SEEDS, "--top", "1"], out=terminal) == 0
    )
    text = terminal.getvalue()
    assert text.count("\x1b[1m") == text.count("\x1b[0m") >= 1 and "\ue000" not in text
    assert "\x1b[1mThe Lucy Faithfull Foundation" in text
    code, out, _ = run(["ask", "what is the stop it now helpline number", "--articles", SEEDS, "--top", "1"])
    assert code == 0 and "\x1b[" not in out and "\ue000" not in out  # not a terminal: no styling
