import pytest

from bot.corpus.articles import read_article
from bot.corpus.forces import UnknownForce
from bot.search.statements import StatementIndex, article_statements


def test_seed_statements_have_rank_and_name(seed_index) -> None:
    statements = StatementIndex(seed_index.articles).statements
    speakers = {(s.article.name, s.speaker) for s in statements}
    assert speakers == {
        ("000_21de8a6d60bbee78.txt", "Detective Chief Inspector Gavin Kinrade"),
        ("002_a41a502d0af0a6b5.txt", "Detective Inspector Simon Caton"),  # also for "Simon Caton, added:"
        ("003_94554c865ab99f69.txt", "Detective Chief Inspector Gavin Kinrade"),
    }


def test_quote_continues_over_paragraphs_verbatim(seed_index) -> None:
    kinrade = next(s for s in StatementIndex(seed_index.articles).statements if s.article.name.startswith("000"))
    assert kinrade.text.startswith("Detective Chief Inspector Gavin Kinrade, who leads")
    assert kinrade.text.endswith('immediately report any concerns that they may have."')
    assert kinrade.text.count("\n\n") == 2  # three paragraphs
    assert kinrade.article.body[kinrade.start : kinrade.end] == kinrade.text


def test_quote_first_attribution(write_article) -> None:
    body = (
        'Intro.\n\n"We will find those responsible," said Chief Constable Jane Smith of Testshire Police.\n\n'
        'A line.\n\nPC Bob Jones said: "Stay safe."'
    )
    statements = article_statements(read_article(write_article("a.txt", body=body)))
    assert [s.speaker for s in statements] == ["Chief Constable Jane Smith", "PC Bob Jones"]


def test_find_by_topic_force_and_newest(seed_index) -> None:
    index = StatementIndex(seed_index.articles)
    newest = index.find()
    assert [s.article.published for s in newest] == sorted((s.article.published for s in newest), reverse=True)
    staffs = index.find("online safety", force="staffs")
    assert staffs and {s.article.force for s in staffs} == {"Staffordshire"}
    assert "coming for you" in index.find("message to criminals")[0].text
    assert index.find("pizza delivery") == []
    with pytest.raises(UnknownForce):
        index.find(force="Kent")
