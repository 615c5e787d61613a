"""Property-based tests: whatever a file, a header or a question holds, nothing raises."""

import tempfile
from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.articles import article_files, load_articles, newest_first
from bot.corpus.header import EARLIEST, uk_now
from bot.corpus.links import check_url, markdown_url
from bot.search.index import Index
from bot.search.render import hit_text, printable

QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ["title", "url", "area", "publish", "date", "og", "description", "image", "x"]
scalars = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "~", ".inf", "42", "2020-04-08T16:40:00Z", "16:40 08/04/2020", "0001-01-01"]),
    st.sampled_from(["https://www.test.police.uk/a", "https://a@b.uk/", "http://x", "https://t.uk/a)](b)"]),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    max_leaves=8,
)
headers = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), values, max_size=8)
bodies = st.text(max_size=300) | st.just("Officers warn of phone scams.\n\n * Call 101\n * Be wary")


def load(files: dict[str, bytes]) -> tuple[list, list]:
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        articles, problems = load_articles(article_files(Path(folder)))
    assert len(articles) + len(problems) == len(files)
    now = uk_now()
    for article in newest_first(articles):  # sorting never meets naive and aware dates
        assert article.published.tzinfo is None
        assert EARLIEST <= article.published <= now + timedelta(days=1)
        check_url(article.url)
        assert isinstance(article.title, str) and isinstance(article.force, str)
    return articles, problems


@QUICK
@given(st.binary(max_size=2000))
def test_any_bytes_load_as_an_article_or_a_problem(raw) -> None:
    load({"a.txt": raw, "b.md": b"```yaml\n" + raw})


@QUICK
@given(headers, bodies, st.sampled_from(["```yaml\n{}\n```\n", "---\n{}\n---\n"]))
def test_any_header_loads_as_an_article_or_a_problem(header, body, fence) -> None:
    text = fence.format(yaml.safe_dump(header, allow_unicode=True)) + body
    load({"a.txt": text.encode("utf-8", "surrogatepass")})


@QUICK
@given(st.text(max_size=400), bodies)
def test_any_header_text_loads_as_an_article_or_a_problem(header, body) -> None:
    load({"a.txt": f"```yaml\n{header}\n```\n{body}".encode("utf-8", "surrogatepass")})


@QUICK
@given(st.text(max_size=300), st.integers(min_value=1, max_value=10))
def test_search_gives_hits_or_none_for_any_question(seed_index, question, k) -> None:
    hits = seed_index.search(question, k=k)
    assert len(hits) <= k
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    for hit in hits:
        assert not set(printable(hit_text(hit))) & {chr(c) for c in [*range(32), *range(127, 160)]} - {"\n", "\t"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(bodies, min_size=1, max_size=4), st.text(max_size=100))
def test_search_over_any_loaded_articles(texts, question) -> None:
    files = {
        f"{n}.txt": (
            f"```yaml\ntitle: T{n}\nurl: https://www.test.police.uk/{n}\narea: Testshire\n"
            f"publish:\n  date: 08/04/2020\n```\n{body}"
        ).encode("utf-8", "surrogatepass")
        for n, body in enumerate(texts)
    }
    articles, _ = load(files)
    if articles:
        hits = Index(articles).search(question, k=3)
        assert len(hits) <= 3 and all(h.passage.article in articles for h in hits)


@QUICK
@given(st.text())
def test_printable_leaves_no_control_character(text) -> None:
    assert all(ch in "\n\t" or not (ord(ch) < 32 or 127 <= ord(ch) < 160) for ch in printable(text))


@QUICK
@given(st.text(max_size=80))
def test_an_accepted_url_is_safe_inside_a_markdown_link(tail) -> None:
    url = "https://www.test.police.uk/" + tail
    try:
        check_url(url)
    except ValueError:
        return
    assert not set(markdown_url(url)) & set("()[]<>*` \n")
