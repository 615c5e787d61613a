"""Command line: `python -m bot ask|check|eval|index|bench|fetch|run|sync ...`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from bot.corpus.articles import FolderError, article_files, check_folder, load_articles, require_articles
from bot.corpus.forces import UnknownForce
from bot.live import command as fetch_command
from bot.search.library import Indexed, Library, load_index, load_library
from bot.search.render import hit_json, hit_text, json_line, no_answer_text, printable, styled
from bot.settings import Settings, SettingsError

MAX_QUESTION_CHARS = 1000
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool stopped by SIGPIPE, as `head` does


class UsageError(ValueError):
    """Bad input on the command line: printed as one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Answer questions from police news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    articles = argparse.ArgumentParser(add_help=False)
    articles.add_argument(
        "--articles", type=Path, metavar="DIR", help="articles folder (default: $ARTICLES_DIR or seeds/)"
    )

    ask = sub.add_parser("ask", parents=[articles], help="answer a question from the articles")
    ask.add_argument("question", help="the question, or - to read one question per line from standard input")
    ask.add_argument("--top", type=int, default=3, metavar="K", help="how many passages to show (default 3)")
    ask.add_argument("--force", metavar="NAME", help="only articles from this force (e.g. staffs, 'West Mercia')")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")

    sub.add_parser("check", parents=[articles], help="validate the articles folder and summarise it")

    ev = sub.add_parser("eval", parents=[articles], help="hit@1, hit@3 and MRR (by kind) on a question set")
    ev.add_argument("file", type=Path, help="question set: YAML (tests/questions.yaml) or JSON lines (*.jsonl)")
    ev.add_argument("--verbose", action="store_true", help="list every question that misses rank 1")

    sub.add_parser("index", parents=[articles], help="build (or check) the saved index, with a progress bar")
    bench = sub.add_parser("bench", help="time build, start and queries on a synthetic corpus vs rank-bm25")
    bench.add_argument("passages", type=int, help="corpus size in passages, e.g. 100000")
    bench.add_argument("--queries", type=int, default=1000, help="questions to time (default 1000)")
    bench.add_argument("--bm25-queries", type=int, default=20, help="of those, how many rank-bm25 answers too")
    bench.add_argument("--workdir", type=Path, help="keep the corpus and index here (default: a temporary folder)")
    fetch_command.add_parser(sub, articles)
    sub.add_parser("run", parents=[articles], help="start the Discord bot (needs DISCORD_TOKEN)")
    sub.add_parser("sync", parents=[articles], help="force a global sync of the slash commands, then exit")
    return parser


def _load(directory: Path, settings: Settings, err: TextIO, **options: Any) -> Library:
    library = load_library(directory, settings.channels_file, index_dir=settings.index_dir, **options)
    _warn(library.problems, directory, err)
    return library


def _load_index(directory: Path, settings: Settings, err: TextIO) -> Indexed:
    """The index alone (no reporting directory, no statements): all `ask` and `eval` use."""
    found = load_index(directory, index_dir=settings.index_dir)
    _warn(found.problems, directory, err)
    return found


def _warn(problems: Sequence[object], directory: Path, err: TextIO) -> None:
    if problems:
        print(
            f"warning: skipped {len(problems)} invalid file(s) in {directory} (run `python -m bot check` for details)",
            file=err,
        )


class _Printable:
    """A text stream that drops terminal control sequences from everything written to it, and
    shows the answer's bold marks as bold on a terminal (drops them elsewhere)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        try:
            self._ansi = bool(stream.isatty())
        except (AttributeError, ValueError):
            self._ansi = False

    def write(self, text: str) -> int:
        return self._stream.write(styled(printable(text), self._ansi))

    def flush(self) -> None:
        self._stream.flush()


def _too_long(question: str) -> str | None:
    if len(question) > MAX_QUESTION_CHARS:
        return f"the question is {len(question):,} characters; keep it under {MAX_QUESTION_CHARS}"
    return None


def _questions(question: str, stdin: TextIO, err: TextIO) -> tuple[list[str], int]:
    """The questions to answer and how many input lines were refused (each reported on `err`)."""
    if question != "-":
        if not question.strip():
            raise UsageError(
                'the question is empty: ask something, e.g. python -m bot ask "where can I report grooming?"'
            )
        if reason := _too_long(question):
            raise UsageError(reason)
        return [question], 0
    questions, refused = [], 0
    if hasattr(stdin, "reconfigure"):  # a byte that is not UTF-8 spoils one word, not the batch
        stdin.reconfigure(errors="replace")
    for number, line in enumerate(stdin, start=1):
        if reason := _too_long(line.strip()):
            print(f"error: line {number}: {reason}", file=err)
            refused += 1
        elif line.strip():
            questions.append(line.strip())
    return questions, refused


def cmd_ask(
    args: argparse.Namespace, directory: Path, settings: Settings, out: TextIO, err: TextIO, stdin: TextIO
) -> int:
    if args.top < 1:
        raise UsageError(f"--top must be at least 1, not {args.top}")
    questions, refused = _questions(args.question, stdin, err)
    index = _load_index(directory, settings, err).index
    for number, question in enumerate(questions):
        hits = index.search(question, k=args.top, force=args.force)
        if args.json:
            print(json_line({"query": question, "results": [hit_json(h) for h in hits]}), file=out)
            continue
        if number:
            print(file=out)
        if len(questions) > 1:
            print(f"Q: {question}", file=out)
        if not hits:
            print(no_answer_text(question, len(index.articles)), file=out)
        print("\n\n".join(hit_text(h, highlight=True) for h in hits), file=out)
    return 1 if refused else 0


def cmd_check(directory: Path, out: TextIO) -> int:
    from bot.search.index import Index

    check_folder(directory)
    files = article_files(directory)
    articles, problems = load_articles(files)
    if not articles:  # the same one-line error and status as `ask`, after what was wrong
        for problem in problems:
            print(f"rejected {problem}", file=out)
        require_articles(directory, articles, problems)
    index = Index(articles)
    print(
        f"{directory}: {len(files)} file(s), {len(articles)} article(s) loaded, "
        f"{len(problems)} rejected, {len(index.passages)} passages",
        file=out,
    )
    for force, count in sorted(Counter(a.force for a in articles).items()):
        print(f"  {force}: {count} article(s)", file=out)
    if articles:
        dates = sorted(a.published for a in articles)
        print(f"  published {dates[0]:%d %b %Y} to {dates[-1]:%d %b %Y}", file=out)
    for problem in problems:
        print(f"rejected {problem}", file=out)
    return 1 if problems else 0


def cmd_index(directory: Path, settings: Settings, out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    library = _load(directory, settings, err, progress=True)
    if library.save_error is not None:
        print(f"error: {library.save_error}", file=err)
        return 1
    how = "loaded the saved index (no article changed)" if library.from_cache else "built and saved the index"
    print(
        f"{how}: {len(library.articles)} articles, {len(library.index.passages)} passages, "
        f"{len(library.statements.statements)} statements in {time.perf_counter() - started:.1f} s",
        file=out,
    )
    return 0


def cmd_eval(args: argparse.Namespace, directory: Path, settings: Settings, out: TextIO, err: TextIO) -> int:
    from bot.search.evaluate import evaluate, load_questions, report_lines

    questions = load_questions(args.file)
    report = evaluate(_load_index(directory, settings, err).index, questions)
    for line in report_lines(report):
        print(line, file=out)
    if args.verbose:
        for o in report.outcomes:
            if o.rank != 1:
                top = o.top.passage.text[:100] if o.top else "(no answer)"
                print(f"  rank {o.rank}: {o.question.text!r} -> {top!r}", file=out)
    return 0


def _silence(stream: TextIO) -> None:
    """After a broken pipe, point the stream's descriptor at /dev/null, so that Python's flush at
    exit does not fail again (the Python documentation's recipe)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def main(
    argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr, stdin: TextIO = sys.stdin
) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args, _Printable(out), _Printable(err), stdin)  # type: ignore[arg-type]
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly, as Unix tools do
        _silence(out)
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    try:
        settings = Settings.from_env()
        directory = getattr(args, "articles", None) or settings.articles_dir
        if args.command == "ask":
            return cmd_ask(args, directory, settings, out, err, stdin)
        if args.command == "check":
            return cmd_check(directory, out)
        if args.command == "eval":
            return cmd_eval(args, directory, settings, out, err)
        if args.command == "bench":
            if args.passages < 100 or args.queries < 1 or args.bm25_queries < 1:
                raise UsageError("bench needs at least 100 passages, 1 query and 1 rank-bm25 query")
            from bot.bench.runner import run_bench

            run_bench(args.passages, args.queries, args.bm25_queries, out, args.workdir)
            return 0
        if args.command == "index":
            return cmd_index(directory, settings, out, err)
        if args.command == "fetch":
            return fetch_command.cmd_fetch(args, directory, settings, out, err)
        from bot.discord_app.client import run_bot

        return run_bot(replace(settings, articles_dir=directory), force_sync=args.command == "sync")
    except BrokenPipeError:
        raise
    except (UsageError, FolderError, UnknownForce, SettingsError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=err)
        return 2
