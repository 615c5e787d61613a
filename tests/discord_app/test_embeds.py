import discord
import pytest

from bot.discord_app.embeds import (
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    add_fields_within,
    answer_embed,
    embed_problems,
    escape,
    fit,
    highlight,
    message_embed,
    no_match_embed,
)
from bot.search.index import Hit

TEXT = "The first sentence is here. The second one is longer than the first. Third."


@pytest.mark.parametrize("limit", range(5, 90))
def test_fit_never_passes_the_limit_or_cuts_a_word(limit: int) -> None:
    cut = fit(TEXT, limit)
    assert len(cut) <= limit
    if cut == TEXT:
        return
    assert cut.endswith(ELLIPSIS)
    kept = cut.removesuffix(ELLIPSIS).rstrip()
    words = TEXT.split()
    assert kept.split() == words[: len(kept.split())]  # whole words only, in order


def test_fit_prefers_a_sentence_end() -> None:
    assert fit(TEXT, 40) == "The first sentence is here. " + ELLIPSIS
    assert fit("x" * 50, 10) == ELLIPSIS  # one unbreakable word: nothing half-shown


def test_escape_makes_markdown_and_mentions_inert() -> None:
    out = escape("**bold** _it_ @everyone <@123> `code`")
    assert "**" not in out.replace("\\*\\*", "")
    assert "@everyone" not in out  # a zero-width space breaks the mention
    assert "\\`code\\`" in out


def test_highlight_bolds_question_words_and_escapes_the_rest() -> None:
    out = highlight("Report *grooming* to CEOP today", {"report", "ceop"}, 100)
    assert out == "**Report** \\*grooming\\* to **CEOP** today"
    assert (
        highlight("report online grooming now", {"report", "onlin", "groom"}, 100) == "**report online grooming** now"
    )


def test_highlight_respects_the_limit_with_markup() -> None:
    text = " ".join(["report"] * 2000)
    out = highlight(text, {"report"}, DESCRIPTION_LIMIT)
    assert len(out) <= DESCRIPTION_LIMIT
    assert out.count("**") % 2 == 0  # no dangling bold marker
    assert out.endswith(ELLIPSIS)


def test_answer_embed_within_limits_for_huge_article(seed_index) -> None:
    hit = seed_index.search("online grooming report", k=1)[0]
    long_passage = type(hit.passage)(hit.passage.article, 0, 0, 10, "word " * 3000)
    big = Hit(long_passage, 1.0, 1, frozenset({"word"}))
    embed = answer_embed(
        big,
        position=1,
        total=5,
        footer="Not an official police service. " * 100,
        notices=["n" * 5000],
        also=[("Force", "https://x.police.uk/a")] * 100,
    )
    assert embed_problems(embed) == []


def test_answer_embed_shows_provenance(seed_index) -> None:
    hit = seed_index.search("0808 1000 900", k=1)[0]
    embed = answer_embed(hit, position=1, total=3, footer="Footer text")
    assert embed.title == hit.passage.article.title and embed.url == hit.passage.article.url
    bold = embed.description.split("**")[1]  # the sentence that best answers
    assert "0808 1000 900" in bold and bold.startswith("The Lucy Faithfull Foundation")
    fields = {f.name: f.value for f in embed.fields}
    assert fields == {"Force": "West Mercia", "Published": "8 April 2020"}
    assert embed.footer.text == "Result 1 of 3 · Footer text"


def test_no_match_embed_quotes_the_question_safely() -> None:
    embed = no_match_embed("@everyone **pizza** <@1>" + "x" * 5000, 3, "footer")
    assert "@everyone" not in embed.description and "**pizza**" not in embed.description
    assert "/report" in embed.description
    assert embed_problems(embed) == []


def test_add_fields_stops_at_discords_limits() -> None:
    embed = message_embed("t", "d" * 4000)
    added = add_fields_within(embed, [("name", "word " * 400)] * 40)
    assert 0 < added < 25
    assert embed_problems(embed) == []
    assert all(len(f.value) <= 1024 for f in embed.fields)


def test_embed_problems_detects_violations() -> None:
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for _ in range(26):
        embed.add_field(name="n", value="v")
    problems = embed_problems(embed)
    assert any("title" in p for p in problems)
    assert any("description" in p for p in problems)
    assert any("26 fields" in p for p in problems)


def test_answer_embed_lists_other_forces_and_notices(seed_index) -> None:
    hit = seed_index.search("0808 1000 900", k=1)[0]
    embed = answer_embed(
        hit,
        position=2,
        total=2,
        footer="f",
        notices=["This article is 6 years old."],
        also=[("Kent", "https://www.kent.police.uk/news/a")],
    )
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Also published by"] == "[Kent](https://www.kent.police.uk/news/a)"
    assert fields["Note"] == "This article is 6 years old."


def test_other_forces_links_cannot_be_redirected_by_their_url(seed_index) -> None:
    hit = seed_index.search("0808 1000 900", k=1)[0]
    also = [("Kent", "https://www.kent.police.uk/a)](https://evil.example/x)")]
    embed = answer_embed(hit, position=1, total=1, footer="f", also=also)
    value = {f.name: f.value for f in embed.fields}["Also published by"]
    assert value == "[Kent](https://www.kent.police.uk/a%29%5D%28https://evil.example/x%29)"
