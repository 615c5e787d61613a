"""What kind of answer a question asks for, and whether a text holds one.

"When ..." wants a date, "how many ..." a number, "what number do I call ..." a phone number,
"who ..." a person or a body, "where ..." a place or a web address, "where can I get advice"
a named service as well, "what is CPET?" the words the acronym stands for. Plain BM25 ignores
this, so an article's opening paragraph (which repeats the question's words) beats the sentence
holding the date or the number asked for.
Detection is by the question's opening words and by patterns for the answers; a question of no
recognised type gets None and no preference.
"""

from __future__ import annotations

import re
from enum import Enum

from bot.corpus.tokens import PHONE_PATTERN, URL_PATTERN, tokenize


class AnswerType(Enum):
    DATE = "date"
    NUMBER = "number"
    PHONE = "phone"
    PERSON = "person"
    PLACE = "place"
    WEB = "web"
    CONTACT = "contact"  # how or where to report or get help: a phone number or a web address
    HELP = "help"  # where to get advice, help or support: a named service, a phone number or an address
    DEFINITION = "definition"  # what an acronym stands for: its words spelt out


# Checked in order: the first that matches gives the type.
_QUESTION_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            AnswerType.PHONE,
            r"\b(?:what|which)(?:'s| is)? (?:the )?(?:(?:phone|telephone|contact|helpline) )?number\b"
            r"|\b(?:phone|telephone|helpline) number\b"
            r"|\b(?:number|who) (?:do|should|can) (?:i|you|we) (?:call|ring|phone)\b"
            r"|\bwhat (?:do|should|can) (?:i|you|we) (?:call|ring|dial)\b",
        ),
        (AnswerType.WEB, r"\b(?:web ?site|web address|url|link)\b"),
        (
            AnswerType.HELP,
            r"\b(?:where|who) (?:do|can|could|should|would|to|must|might) (?:i |we |you |they |someone |people "
            r"|parents |a child )?(?:get|find|go for|turn to|look for|ask for|seek)\b(?:\W+\w+){0,3}?\W+"
            r"(?:advice|help|support|information|guidance)\b",
        ),
        (
            AnswerType.CONTACT,
            r"\b(?:how|where|who) (?:do|can|could|should|would|to|must) (?:i |we |you |they |someone |"
            r"people |parents |a child )?(?:report|contact|tell|get help|get support|get in touch|speak to|talk to)\b"
            r"|\bwho (?:do|can|should) (?:i|we|you) (?:tell|report to|contact|speak to|talk to)\b"
            r"|\bwhere (?:do|can|could|should|would|to|must|might)\b",
        ),
        (
            AnswerType.DATE,
            r"^\s*(?:and |so )?when\b|\b(?:what|which) (?:date|day|year|month|time)\b|\bsince when\b"
            r"|\bhow long ago\b|\bwhat time\b",
        ),
        (
            AnswerType.NUMBER,
            # "How much is known about ..." and "how far can one trust ..." ask for no number.
            r"\bhow (?:many|old|long)\b|\bhow much\b(?! is known| do we know)"
            r"|\b(?:what|which) (?:percentage|proportion|age)\b",
        ),
        (
            AnswerType.PERSON,
            r"^\s*(?:and |so )?(?:who|whom|whose)\b|\b(?:which|what) (?:organisation|organization"
            r"|charity|force|agency|officer|person|people|body|service)\b|\bwho (?:is|was|were|are|said)\b",
        ),
        (AnswerType.PLACE, r"^\s*(?:and |so )?where\b|\bwhat (?:area|town|city|place|street|road)\b|\bwhere\b"),
    )
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# A day: "12 July", "July 12th", "Saturday", "08/04/2020".
_DAY = (
    rf"\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}\b|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b|{_WEEKDAY}\b"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
)
_DAY_DATE = re.compile(rf"\b(?:{_DAY})", re.IGNORECASE)
# Any date: a day, or a month or year ("in 2008", "May 2019"), or "yesterday", "last week".
_DATE = re.compile(
    rf"\b(?:{_DAY}|(?:in|since|from|until|by|during) (?:{_MONTH} )?(?:19|20)\d\d\b"
    rf"|{_MONTH} (?:19|20)\d\d\b|(?:yesterday|last (?:week|month|year|night))\b)",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?"
    r"|thousands?|millions?|dozens?|half|a third|a quarter)"
)
_NUMBER = re.compile(rf"(?<![\w/])\d[\d,.]*%?(?![\w/])|\b{_NUMBER_WORDS}\b", re.IGNORECASE)
_PHONE_NUMBER = re.compile(rf"(?<![\w+]){PHONE_PATTERN}(?!\w)|\b(?:999|101|111|116 ?000|116 ?123)\b")
_WEB = re.compile(rf"(?<![\w@.]){URL_PATTERN}", re.IGNORECASE)
_TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Dr|Det|Detective|Insp|Inspector|Supt|Superintendent|Sgt|Sergeant|PC|DC|DS|DI|DCI"
    r"|DCC|ACC|Chief|Constable|Commissioner|Councillor|Cllr|Professor|Sir|Dame|Officer)\.?"
)
_CAP = r"[A-Z][a-z'’-]+|[A-Z]{2,}"
# A titled name, a speaker ("..., said Jane Smith"), or a run of capitalised words inside a
# sentence (a person or a body: "the National Crime Agency", "Stop It Now").
_PERSON = re.compile(
    rf"\b{_TITLE} (?:{_CAP})|\b(?:said|says|told|according to|by|from|contact) (?:the )?(?:{_CAP})"
    rf"|(?<=[a-z,;] )(?:{_CAP})(?: (?:of |the |and |for |it )?(?:{_CAP}))+"
)
# A named service or body ("the Lucy Faithfull Foundation", "Get Safe Online has advice"): a run
# of capitalised words inside a sentence, or opening one when a verb of giving follows it.
_RUN = rf"(?:{_CAP})(?: (?:of |the |and |for )?(?:{_CAP}))+"
_BODY = re.compile(
    rf"(?<=[a-z,;] ){_RUN}|(?:^|(?<=[.!?] )|(?<=[.!?][\"”’] )|(?<=[\"“‘]))(?:the )?{_RUN}"
    r"(?= (?:has|have|offers?|provides?|can|gives?|runs?|operates?|will)\b)"
)
_PLACE = re.compile(rf"\b(?:in|at|near|on|across|around|outside|from) (?:the )?(?:{_CAP})(?: (?:{_CAP}))*")


# "what is CPET?", "what does CEOP stand for?": the whole question names an acronym (two capitals
# or more: "cpet" typed in lower case is not recognisably one).
_ACRONYM = r"[A-Z][A-Za-z&]*[A-Z]s?"
_DEFINED = re.compile(
    rf"^\s*(?i:(?:and |so )?what(?:'s| is| are| does| do)\s+(?:an? |the )?)({_ACRONYM})(?i: stand for| mean)?\s*\??\s*$"
)
# Capitalised words spelt out beside an acronym in brackets, either way round.
_SPELT = rf"(?:{_CAP})(?:\s+(?:(?:and|of|for|the|on|in|&)\s+)*(?:{_CAP}))+"
_EXPANSION = re.compile(rf"{_SPELT}\s*\(\s*{_ACRONYM}\s*\)|\b{_ACRONYM}\s*\(\s*{_SPELT}\s*\)")


def defined_acronym(question: str) -> str | None:
    """The acronym a "what is CPET?" question asks the meaning of, or None."""
    match = _DEFINED.match(question)
    return match.group(1) if match else None


def defines(acronym: str, text: str) -> bool:
    """Whether `text` spells out `acronym`: "the Child Protection and Exploitation Team (CPET)",
    "CPET (Child ...)" or "CPET stands for ..."."""
    a = re.escape(acronym)
    pattern = rf"{_SPELT}\s*\(\s*{a}\s*\)|\b{a}\s*\(\s*{_SPELT}\s*\)|\b{a},? (?:stands for|is short for)\b"
    return re.search(pattern, text) is not None


_HOW_MANY = re.compile(r"\bhow many\s+(?:of\s+)?(?:the\s+)?((?:[^\W\d_][\w'-]*\s*){1,6})", re.IGNORECASE)


def counted_term(question: str) -> str | None:
    """The term of what a "how many ..." question counts: the last word of the run of words
    after "how many" that ends at the first stopword, the noun an English phrase ends with
    ("how many children were ..." -> `child`; "how many online abuse arrests has ..." -> `arrest`)."""
    match = _HOW_MANY.search(question)
    head = None
    for word in match.group(1).split() if match else []:
        terms = tokenize(word)
        if not terms:
            break
        head = terms[-1]
    return head


def counts(term: str, text: str) -> bool:
    """Whether `text` has a number followed within three words by `term` ("364 children")."""
    return any(term in tokenize(text[m.end() : m.end() + 60])[:3] for m in _NUMBER.finditer(text))


def names_a_day(text: str) -> bool:
    """Whether `text` names a day ("from Saturday 12 July"), not only a year or month."""
    return _DAY_DATE.search(text) is not None


def answer_type(question: str) -> AnswerType | None:
    """The kind of answer `question` asks for, or None when its wording names none."""
    if defined_acronym(question) is not None:
        return AnswerType.DEFINITION
    for kind, pattern in _QUESTION_TYPES:
        if pattern.search(question):
            return kind
    return None


_ANSWERS: dict[AnswerType, tuple[re.Pattern[str], ...]] = {
    AnswerType.DATE: (_DATE,),
    AnswerType.NUMBER: (_NUMBER,),
    AnswerType.PHONE: (_PHONE_NUMBER,),
    AnswerType.PERSON: (_PERSON,),
    AnswerType.PLACE: (_PLACE, _WEB),
    AnswerType.WEB: (_WEB,),
    AnswerType.CONTACT: (_PHONE_NUMBER, _WEB),
    AnswerType.HELP: (_PHONE_NUMBER, _WEB, _BODY),
    AnswerType.DEFINITION: (_EXPANSION,),
}


def holds_answer(kind: AnswerType, text: str) -> bool:
    """Whether `text` contains something of the kind asked for (a date, a number ...)."""
    return any(pattern.search(text) for pattern in _ANSWERS[kind])


def answer_spans(kind: AnswerType, text: str) -> list[tuple[int, int]]:
    """Where in `text` the answers of `kind` are, in order."""
    return sorted(m.span() for pattern in _ANSWERS[kind] for m in pattern.finditer(text))
