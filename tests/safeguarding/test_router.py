from pathlib import Path

import pytest

from bot.corpus.tokens import stopwords
from bot.safeguarding.directory import Channel, load_directory
from bot.safeguarding.router import Router, is_safeguarding, load_safeguarding_terms

# Short names for the shipped channels, by the start of their `name`.
SHORT = {
    "999": "Police emergency",
    "101": "Police non-emergency",
    "CEOP": "CEOP",
    "NSPCC": "NSPCC",
    "Childline": "Childline",
    "Crimestoppers": "Crimestoppers",
    "StopItNow": "Stop It Now",
    "IWF": "Internet Watch Foundation",
}


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(load_directory())


def short(channels: list[Channel]) -> list[str]:
    return [next(key for key, start in SHORT.items() if c.name.startswith(start)) for c in channels]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # online grooming and sexual abuse
        ("where can I report online grooming?", "CEOP"),
        ("a man online keeps messaging my 12 year old daughter and asking for photos", "CEOP"),
        ("someone I met on a game is asking me to send nudes", "CEOP"),
        ("my son is being blackmailed with pictures he sent a stranger", "CEOP"),
        ("I think my child has been groomed on social media", "CEOP"),
        # images seen online
        ("someone is sharing indecent pictures of kids on a website", "IWF"),
        ("I found child abuse images online, where do I report them?", "IWF"),
        ("I saw a video of a child being abused on the internet", "IWF"),
        # own or another adult's thoughts and behaviour
        ("I'm scared of my own thoughts about children", "StopItNow"),
        ("I have urges towards children and want help to stop", "StopItNow"),
        ("I'm worried about how my brother behaves around children", "StopItNow"),
        # information about crime without a name
        ("I want to give information about a crime without giving my name", "Crimestoppers"),
        ("how can I report a drug dealer anonymously", "Crimestoppers"),
        # children themselves
        ("I'm 14 and need to talk to someone", "Childline"),
        ("I'm being bullied at school and it scares me", "Childline"),
        # adults worried about a child
        ("I'm worried about a child next door but don't want to give my name", "NSPCC"),
        ("I think a child in my family is being neglected", "NSPCC"),
        # non-emergency police
        ("report a non-urgent crime", "101"),
        ("what is the police non-emergency number", "101"),
        ("I want to report a crime that happened last week", "101"),
    ],
)
def test_route_picks_the_service_for_the_concern(router: Router, question: str, first: str) -> None:
    routed = short(router.route(question))
    assert routed, question
    assert routed[0] == first, routed
    if first != "999":
        assert not router.signals_danger(question)


@pytest.mark.parametrize(
    "question",
    [
        "a child is being hurt right now",
        "a child is being abused now",
        "a child is in danger",
        "my neighbour is attacking his kids, what do I do",
        "a girl is being attacked outside my house",
        "a man has injured a boy in the park",
        "should I call 999?",
    ],
)
def test_immediate_danger_puts_999_first(router: Router, question: str) -> None:
    routed = short(router.route(question))
    assert routed[0] == "999", routed
    assert router.signals_danger(question)


def test_danger_also_keeps_the_other_fitting_channels(router: Router) -> None:
    routed = short(router.route("my neighbour's child is being hurt right now, he lives next door"))
    assert routed[0] == "999"
    assert "NSPCC" in routed


@pytest.mark.parametrize(
    "question",
    ["best pizza in town", "what time is the football match", "what are my rights", "what about children online?", ""],
)
def test_unrelated_question_gets_no_channels(router: Router, question: str) -> None:
    assert router.route(question) == []


def test_mentioning_a_crime_is_not_an_emergency(router: Router) -> None:
    assert not router.signals_danger("report a non-urgent crime")
    assert short(router.route("I want to report a crime that happened last week"))[0] != "999"


def test_route_orders_by_fit_and_respects_k(router: Router) -> None:
    question = "someone is sharing indecent pictures of kids on a website"
    routed = short(router.route(question, k=8))
    assert routed[:2] == ["IWF", "CEOP"]
    assert len(routed) == len(set(routed))
    assert short(router.route(question, k=1)) == ["IWF"]
    with pytest.raises(ValueError, match="k must be at least 1"):
        router.route(question, k=0)


def test_danger_words_come_from_the_emergency_when_text(router: Router) -> None:
    assert {"danger", "hurt", "attack", "injur", "immedi", "now"} <= router.danger_words
    # words other channels also use never signal danger; the only stopword signal is "now"
    assert not router.danger_words & {"child", "crime", "report", "abus", "happen", "call", "polic"}
    assert router.danger_words & stopwords() == {"now"}


def channel(name: str, when: str, *, emergency: bool = False) -> Channel:
    return Channel(name=name, when=when, not_for="n", source="https://x.uk/", phone="0800 000 000", emergency=emergency)


def test_router_is_driven_by_the_directory_not_by_fixed_words() -> None:
    router = Router(
        [
            channel("Walrus line", "report a walrus that is loose on the beach"),
            channel("Gull line", "report gulls stealing chips on the beach"),
            channel("Lifeboat", "somebody is drowning in the sea", emergency=True),
        ]
    )
    assert [c.name for c in router.route("a walrus on the beach")] == ["Walrus line"]
    # "beach" is in two of the three entries: too common to pick a channel on its own
    assert router.route("a day at the beach") == []
    assert [c.name for c in router.route("gulls took my chips")] == ["Gull line"]
    # "drowning" is in the emergency entry's text only: it pins that entry first
    assert [c.name for c in router.route("a walrus is drowning")][:2] == ["Lifeboat", "Walrus line"]
    # "danger" means nothing to this directory
    assert router.route("a child is in danger") == []


def test_a_term_in_half_the_channels_still_ranks_them() -> None:
    # Okapi's idf would weigh "walrus" (in two of four entries) at zero and keep file order
    router = Router(
        [
            channel("Seal line", "seals, seals and more seals, and the odd walrus"),
            channel("Walrus line", "a walrus"),
            channel("Gull line", "gulls"),
            channel("Crab line", "crabs"),
        ]
    )
    assert [c.name for c in router.route("walrus")] == ["Walrus line", "Seal line"]


def test_empty_directory_routes_nothing() -> None:
    assert Router([]).route("a child is in danger") == []


@pytest.mark.parametrize(
    "question",
    [
        "where can I report concerns about a child being groomed online?",
        "I think my neighbour is abusing his kids",
        "how do I tell the police about sexual exploitation?",
        "someone is sharing indecent pictures of kids on a website",
        "a stranger keeps messaging my daughter",
        "my son is being blackmailed with nude photos",
        "I'm worried about a child next door",
        "is county lines exploitation happening in Stafford?",
        "can I stay anonymous if I contact the NSPCC?",
        "a child is in danger",
        "I want to give information about a crime without giving my name",
    ],
)
def test_is_safeguarding_true(question: str) -> None:
    assert is_safeguarding(question)


@pytest.mark.parametrize(
    "question",
    [
        "best pizza in town",
        "when did the new chief constable start?",
        "what happened with the road closure on the A34?",
        "my child likes playing online games",
        "how many people live in the county?",
        "which lines are closed on the railway?",
        "",
    ],
)
def test_is_safeguarding_false(question: str) -> None:
    assert not is_safeguarding(question)


def test_safeguarding_words_are_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# a comment\n\nwalrus\ncounty lines  # a phrase\n", encoding="utf-8")
    phrases = load_safeguarding_terms(path)
    assert phrases == (frozenset({"walrus"}), frozenset({"counti", "line"}))
    shipped = {term for phrase in load_safeguarding_terms() for term in phrase}
    assert {"abus", "groom", "exploit", "report", "indec"} <= shipped
