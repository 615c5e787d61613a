"""Reporting channels that the articles themselves name: a web address or phone number in a
sentence about reporting, advice or support, quoted with the sentence it came from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.corpus.articles import Article, newest_first
from bot.corpus.passages import sentence_spans
from bot.corpus.tokens import normalise_url, term_spans, tokenize
from bot.engine.ranking import Ranker

_MAYBE_CONTACT = re.compile(r"\d{3}|\w\.\w")
# Sentences that offer a way to report or get help (stems, after tokenize).
_CUES = frozenset(tokenize("report reporting helpline advice support concern anonymously confidential protection"))


@dataclass(frozen=True)
class ArticleChannel:
    """A contact (address or number) as an article names it, with its sentence verbatim."""

    contact: str
    sentence: str
    article: Article

    @property
    def link(self) -> str | None:
        """A clickable address for a web contact; None for a phone number."""
        if self.contact[:1].isdigit() or self.contact.startswith("+"):
            return None
        return self.contact if self.contact.startswith("http") else f"https://{self.contact}"


def _contacts(sentence: str) -> list[str]:
    """Addresses and phone numbers in a sentence, as printed (trailing punctuation dropped)."""
    found: dict[str, str] = {}
    for term, start, end in term_spans(sentence):
        raw = sentence[start:end]
        if term.isdigit() and len(term) >= 10:
            found.setdefault(term, raw)
        elif "." in term and not term.startswith("#"):
            key = normalise_url(raw).split("/", 1)[0] if "/" not in term else term
            found.setdefault(key, raw)
    return list(found.values())


def article_channels(article: Article) -> list[ArticleChannel]:
    channels = []
    for paragraph in article.body.split("\n\n"):
        if not _MAYBE_CONTACT.search(paragraph):  # no address or number: no need to split it
            continue
        for start, end in sentence_spans(paragraph):
            sentence = " ".join(paragraph[start:end].split())
            if _CUES.isdisjoint(tokenize(sentence)):
                continue
            channels += [ArticleChannel(contact, sentence, article) for contact in _contacts(sentence)]
    return channels


def channel_key(contact: str) -> str:
    """Same service, however printed: digits of a number, or the address without scheme/www."""
    digits = re.sub(r"\D", "", contact)
    return digits if contact[:1].isdigit() or contact.startswith("+") else normalise_url(contact)


class ChannelIndex:
    """The channels named across the articles, found by topic, each contact once."""

    def __init__(self, articles: Sequence[Article]) -> None:
        # Every mention is kept, so a topic finds the sentence that best describes a contact.
        mentions = [c for a in newest_first(articles) for c in article_channels(a)]
        self._setup(mentions, Ranker([tokenize(f"{c.sentence} {c.article.force}") for c in mentions]))

    @classmethod
    def restore(cls, mentions: Sequence[ArticleChannel], ranker: Ranker) -> ChannelIndex:
        index = cls.__new__(cls)
        index._setup(mentions, ranker)
        return index

    def _setup(self, mentions: Sequence[ArticleChannel], ranker: Ranker) -> None:
        self.mentions = tuple(mentions)
        self.ranker = ranker

    def find(self, topic: str | None = None, k: int = 5) -> list[ArticleChannel]:
        """Channels most relevant to `topic` first, then the rest newest first."""
        terms = list(dict.fromkeys(tokenize(topic or "")))
        ranked = [self.mentions[i] for i, _ in self.ranker.top(terms, len(self.mentions))] if terms else []
        found: dict[str, ArticleChannel] = {}
        for channel in ranked + list(self.mentions):
            found.setdefault(channel_key(channel.contact), channel)
        return list(found.values())[:k]
