from pathlib import Path

import pytest

from bot.discord_app.embeds import embed_problems
from bot.discord_app.server_embeds import passage_at, settings_embed, stats_embed
from bot.search.library import Library, load_library
from bot.servers.settings import ServerSettings
from bot.servers.stats import Summary
from bot.settings import Settings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(SEEDS, use_cache=False)


def test_passage_at_finds_a_passage_by_article_url_and_position(library: Library) -> None:
    wanted = library.index.passages[len(library.index.passages) - 1]
    found = passage_at(library, wanted.article.url, wanted.index)
    assert found == wanted
    assert passage_at(library, wanted.article.url, 10_000) is None
    assert passage_at(library, "https://gone.example/", 0) is None


def test_settings_show_the_owners_defaults_for_unset_values_and_escape_contacts() -> None:
    owner = Settings(articles_dir=SEEDS, private_answers=True, stale_after_months=12)
    plain = settings_embed(ServerSettings(), owner)
    values = {f.name: f.value for f in plain.fields}
    assert values["Default force"] == "All forces"
    assert values["Answers"] == "Private to the asker (the bot's default)"
    assert values["Staleness note after"] == "12 months (the bot's default)"
    chosen = settings_embed(
        ServerSettings("West Mercia", False, 6, ("Ask *Ms Smith* in room 12",)), owner, changed=["default force"]
    )
    values = {f.name: f.value for f in chosen.fields}
    assert values["Answers"] == "Public in the channel"
    assert values["Staleness note after"] == "6 months"
    assert "1. Ask \\*Ms Smith\\* in room 12" in next(v for k, v in values.items() if k.startswith("Local contacts"))
    assert chosen.description.startswith("Changed: default force.")
    assert embed_problems(chosen) == []


def test_stats_link_the_articles_and_passages_and_stay_within_limits(library: Library) -> None:
    passage = library.index.passages[0]
    url = passage.article.url
    week = Summary(7, 3, 1, 2, 1, ((url, 3),), ((url, passage.index, 1),))
    month = Summary(30, 9, 4, 5, 3, ((url, 9), ("https://gone.example/", 1)), ((url, passage.index, 3),))
    embed = stats_embed(week, month, library)
    values = {f.name: f.value for f in embed.fields}
    assert "Questions answered: **3**" in values["Last 7 days"]
    assert "No matching passage: **4**" in values["Last 30 days"]
    top = values["Answered from most (last 30 days)"]
    assert top.startswith("9× [") and f"]({url})" in top and "gone.example/> (no longer loaded)" in top
    down = values["Voted not helpful most (last 30 days)"]
    assert down.startswith("3× [") and f"({url}#:~:text=" in down and f"passage {passage.index + 1}" in down
    assert embed_problems(embed) == []
    empty = stats_embed(Summary(7, 0, 0, 0, 0, (), ()), Summary(30, 0, 0, 0, 0, (), ()), library)
    assert "No answers yet." in {f.value for f in empty.fields}
