"""`python -m bot fetch` end to end against the local fixture site, then `check` and `ask`."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from live.forcesite import COUNTY, ROMANCE, SAFETY, SCOTLAND, ForceSite, build
from live.localsite import PAGES, Site

from bot.cli import main
from bot.corpus.articles import load_folder


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def force_site(site: Site) -> ForceSite:
    return build(site)


def lines_by_status(out: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in out.splitlines():
        status, _, rest = line.partition(" ")
        found.setdefault(status, []).append(rest.strip())
    return found


def test_fetch_a_feed_writes_articles_that_check_and_ask_use(force_site: ForceSite, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    code, out, err = run("fetch", force_site.feed, "--articles", str(articles), "--delay", "0")
    assert code == 0, err
    found = lines_by_status(out)
    assert sorted(line.split(" ")[0] for line in found["new"]) == sorted([ROMANCE, SAFETY, COUNTY, SCOTLAND])
    skipped = "\n".join(found["skipped"])
    assert "/private/staff-briefing/: robots.txt disallows it" in skipped
    assert "/news/huge/: 5,1" in skipped and "bytes, over the 5 MB limit" in skipped
    assert "/news/undated/: no publish date" in skipped
    assert "www.example-news.co.uk is not a UK police site" in skipped
    assert found["failed"] == [f"{force_site.site.base}/news/missing/: HTTP 404 Not Found"]
    assert "4 new, 0 updated, 0 unchanged, 4 skipped, 1 failed (1 source(s), 0 unreadable)" in out
    assert force_site.site.requested("/private/staff-briefing/") == 0
    assert force_site.site.requested("/news/busy/") == 2  # 429 with Retry-After, then the page

    loaded, problems = load_folder(articles)
    assert not problems
    assert {a.force for a in loaded} == {"Staffordshire", "West Mercia", "British Transport Police", "Police Scotland"}
    assert sorted(p.name for p in articles.iterdir()) == sorted([*(a.name for a in loaded), ".fetch-state.json"])

    code, out, _ = run("check", "--articles", str(articles))
    assert code == 0 and "4 article(s) loaded, 0 rejected" in out
    code, out, _ = run("ask", "where can a child report online grooming?", "--articles", str(articles), "--json")
    best = json.loads(out)["results"][0]
    assert best["url"] == SAFETY and best["force"] == "West Mercia" and "CEOP" in best["text"]
    assert best["published"] == "2020-04-08T16:40:00"
    code, out, _ = run("ask", "signs of a romance fraudster", "--articles", str(articles), "--json", "--top", "1")
    assert json.loads(out)["results"][0]["url"] == ROMANCE


def test_a_second_run_is_idempotent_and_cheap(force_site: ForceSite, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    run("fetch", force_site.feed, "--articles", str(articles), "--delay", "0")
    before = {p.name: p.stat().st_mtime_ns for p in articles.glob("*.txt")}
    requests_before = len(force_site.site.log)
    code, out, _ = run("fetch", force_site.feed, "--articles", str(articles), "--delay", "0")
    assert code == 0
    assert "0 new, 0 updated, 0 unchanged, 0 skipped, 0 failed" in out  # the feed said 304
    assert [s.path for s in force_site.site.log[requests_before:]] == ["/robots.txt", "/news/rss.xml"]
    assert force_site.site.log[-1].headers["if-none-match"] == '"f1"'

    code, out, _ = run("fetch", force_site.atom, force_site.sitemap_index, "--articles", str(articles), "--delay", "0")
    assert code == 0
    found = lines_by_status(out)
    assert "new" not in found and len(found["unchanged"]) == 3  # romance and safety (Atom), county (sitemap)
    assert {p.name: p.stat().st_mtime_ns for p in articles.glob("*.txt")} == before


def test_a_changed_page_is_updated_in_place(force_site: ForceSite, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    run("fetch", force_site.safety, "--articles", str(articles), "--delay", "0")
    route = force_site.site.routes["/news/online-safety/"]
    route.body = route.body.replace(
        b"keep devices in shared family spaces", b"keep tablets and phones downstairs at night"
    )
    route.etag = '"s2"'
    code, out, _ = run("fetch", force_site.safety, "--articles", str(articles), "--delay", "0")
    assert code == 0 and out.startswith(f"updated   {SAFETY} -> ")
    (only,) = articles.glob("*.txt")
    assert "tablets and phones downstairs" in only.read_text(encoding="utf-8")


def test_json_output(force_site: ForceSite, tmp_path: Path) -> None:
    code, out, err = run(
        "fetch",
        force_site.romance,
        force_site.site.base + "/news/undated/",
        "--articles",
        str(tmp_path),
        "--json",
        "--delay",
        "0",
    )
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {"url": ROMANCE, "status": "new", "file": first["file"], "reason": None}
    assert first["file"].startswith("romance-fraud-warning-ahead-of-valentines-day-")
    assert second["status"] == "skipped" and second["file"] is None and "no publish date" in second["reason"]
    assert "1 new" in err


def test_force_option_names_the_force_of_other_hosts(force_site: ForceSite, tmp_path: Path) -> None:
    url = force_site.site.base + "/news/not-police/"
    code, out, _ = run("fetch", url, "--articles", str(tmp_path), "--force", "staffs", "--delay", "0")
    assert code == 0 and out.startswith("new ")
    (article,), _ = load_folder(tmp_path)
    assert article.force == "Staffordshire" and article.url.startswith("https://www.example-news.co.uk/")


def test_saved_html_files_and_folders(tmp_path: Path) -> None:
    code, out, _ = run("fetch", str(PAGES), "--articles", str(tmp_path / "a"))
    assert code == 0 and out.startswith(f"new       {ROMANCE}")
    code, out, _ = run("fetch", str(PAGES / "staffs-romance-fraud.html"), "--articles", str(tmp_path / "a"))
    assert out.startswith("unchanged ")


def test_a_source_that_cannot_be_read_exits_1(force_site: ForceSite, tmp_path: Path) -> None:
    code, out, _ = run(
        "fetch",
        force_site.site.base + "/news/no-such-feed.xml",
        force_site.romance,
        "--articles",
        str(tmp_path),
        "--delay",
        "0",
    )
    assert code == 1
    assert "failed    " in out and "HTTP 404" in out and "1 new" in out and "1 unreadable" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ftp://example.org/feed"], "neither an http(s) address nor an existing file"),
        (["no/such/file.html"], "neither an http(s) address nor an existing file"),
        (["https://"], "not a complete web address"),
        (["https://www.kent.police.uk/", "--delay", "-1"], "--delay must be 0 or more"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, tmp_path: Path) -> None:
    code, out, err = run("fetch", *argv, "--articles", str(tmp_path))
    assert code == 2 and message in err and out == ""


def test_as_a_user_runs_it(force_site: ForceSite, tmp_path: Path) -> None:
    """The real command in its own process, from a folder with no .env."""
    articles = str(tmp_path / "articles")
    command = [sys.executable, "-m", "bot"]
    env = {**os.environ, "FETCH_CONTACT": "owner@example.org"}
    fetched = subprocess.run(
        [*command, "fetch", force_site.romance, "--articles", articles, "--delay", "0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.startswith(f"new       {ROMANCE} -> romance-fraud-warning-ahead-of-valentines-day-")
    assert "owner@example.org" in force_site.site.log[-1].headers["user-agent"]
    asked = subprocess.run(
        [*command, "ask", "where do I report romance fraud", "--articles", articles, "--top", "1", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    best = json.loads(asked.stdout)["results"][0]
    assert asked.returncode == 0 and "Action Fraud on 0300 123 2040" in best["text"] and best["url"] == ROMANCE


def test_feed_entries_dated_before_the_last_fetch_are_not_requested(force_site: ForceSite, tmp_path: Path) -> None:
    site = force_site.site
    run("fetch", force_site.atom, "--articles", str(tmp_path), "--delay", "0")
    route = site.routes["/news/atom.xml"]  # the feed changed: one more entry, the old ones dated as before
    route.body = route.body.replace(
        b"</feed>",
        (
            f'<entry><title>New</title><link href="{site.base}/news/county-lines/"/><id>n</id>'
            "<updated>2999-01-01T00:00:00Z</updated></entry></feed>"
        ).encode(),
    )
    before = len(site.log)
    code, out, _ = run("fetch", force_site.atom, "--articles", str(tmp_path), "--delay", "0")
    assert code == 0 and "1 new, 0 updated, 2 unchanged" in out
    assert [s.path for s in site.log[before:]] == ["/robots.txt", "/news/atom.xml", "/news/county-lines/"]
    assert out.startswith(f"unchanged {ROMANCE} -> ")


def test_a_damaged_state_file_or_a_non_page_is_handled(force_site: ForceSite, tmp_path: Path) -> None:
    (tmp_path / ".fetch-state.json").write_text('{"urls": {"x": 3, "y": [1]}', encoding="utf-8")
    pdf = force_site.site.add("/leaflet.pdf", b"%PDF-1.4 binary", content_type="application/pdf")
    code, out, _ = run("fetch", force_site.romance, pdf, "--articles", str(tmp_path), "--delay", "0")
    assert code == 0 and out.startswith("new ")
    assert f"skipped   {pdf}: not a web page (application/pdf)" in out
    (tmp_path / ".fetch-state.json").write_text('{"urls": {"x": 3}}', encoding="utf-8")
    code, out, _ = run("fetch", force_site.romance, "--articles", str(tmp_path), "--delay", "0")
    assert code == 0 and out.startswith("unchanged ")
