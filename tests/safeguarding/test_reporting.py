from bot.corpus.articles import read_article
from bot.safeguarding.reporting import ChannelIndex, article_channels, channel_key


def test_seed_channels_once_each(seed_index) -> None:
    index = ChannelIndex(seed_index.articles)
    keys = [channel_key(c.contact) for c in index.find(k=50)]
    assert len(keys) == len(set(keys))
    assert set(keys) == {
        "ceop.police.uk/safety-centre",
        "fearless.org",
        "08081000900",
        "westmercia.pnn.police.uk",
        "staffordshire.police.uk/advice/advice-and-information/caa/child-abuse",
    }


def test_topic_picks_the_best_sentence_for_a_contact(seed_index) -> None:
    first = ChannelIndex(seed_index.articles).find("groomed online anonymously", k=1)[0]
    assert first.contact == "www.fearless.org"
    assert first.sentence.startswith("The website Fearless at www.fearless.org also allows young people")
    assert first.link == "https://www.fearless.org"
    helpline = ChannelIndex(seed_index.articles).find("confidential helpline", k=1)[0]
    assert helpline.contact == "0808 1000 900" and helpline.link is None


def test_only_sentences_about_reporting_or_help(write_article) -> None:
    body = "Read the news at www.example.org today.\n\nTo report a concern call 0800 555 111 or visit www.report.org."
    channels = article_channels(read_article(write_article("a.txt", body=body)))
    assert [c.contact for c in channels] == ["0800 555 111", "www.report.org"]
