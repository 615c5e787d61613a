import itertools
from datetime import datetime, timezone

import pytest
from live.localsite import FakeClock, Site

from bot.live.http import FetchError, PoliteClient, Refused, Validators, retry_after


def client(clock: FakeClock, **options) -> PoliteClient:
    return PoliteClient("news-bot@example.org", clock=clock, sleep=clock.sleep, **options)


def test_user_agent_names_the_bot_and_contact(site: Site, clock: FakeClock) -> None:
    url = site.add("/page/", "<html><body>hello</body></html>")
    assert client(clock).get(url).body == b"<html><body>hello</body></html>"
    assert [s.path for s in site.log] == ["/robots.txt", "/page/"]  # robots.txt first, then the page
    agent = site.log[1].headers["user-agent"]
    assert agent.startswith("police-news-bot/") and "news-bot@example.org" in agent


def test_disallowed_path_is_never_requested(site: Site, clock: FakeClock) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    secret = site.add("/private/page/", "secret")
    http = client(clock)
    with pytest.raises(Refused, match=r"robots\.txt disallows it"):
        http.get(secret)
    assert site.requested("/private/page/") == 0


def test_robots_rules_for_this_bot_by_name(site: Site, clock: FakeClock) -> None:
    site.add("/robots.txt", "User-agent: police-news-bot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    url = site.add("/news/", "news")
    with pytest.raises(Refused):
        client(clock).get(url)
    assert site.requested("/news/") == 0


def test_unreadable_robots_means_nothing_is_fetched(site: Site, clock: FakeClock) -> None:
    site.add("/robots.txt", "oops", status=500)
    url = site.add("/news/", "news")
    with pytest.raises(Refused, match=r"robots.txt could not be read \(HTTP 500\)"):
        client(clock).get(url)
    assert site.requested("/news/") == 0


def test_waits_between_requests_to_one_host(site: Site, clock: FakeClock) -> None:
    urls = [site.add(f"/news/{n}/", f"page {n}") for n in range(3)]
    http = client(clock, delay=1.5)
    for url in urls:
        http.get(url)
    arrivals = [s.at for s in site.log]  # robots.txt, then three pages
    assert len(arrivals) == 4
    assert all(later - earlier >= 1.5 for earlier, later in itertools.pairwise(arrivals))


def test_crawl_delay_in_robots_is_honoured_when_longer(site: Site, clock: FakeClock) -> None:
    site.add("/robots.txt", "User-agent: *\nCrawl-delay: 7\n")
    urls = [site.add(f"/news/{n}/", "page") for n in range(2)]
    http = client(clock, delay=1)
    for url in urls:
        http.get(url)
    pages = [s.at for s in site.log if s.path.startswith("/news/")]
    assert pages[1] - pages[0] >= 7


def test_429_is_retried_after_the_wait_the_server_asks_for(site: Site, clock: FakeClock) -> None:
    url = site.add("/busy/", "finally", first=[(429, {"Retry-After": "5"}), (503, {})])
    assert client(clock, delay=0.5).get(url).body == b"finally"
    arrivals = [s.at for s in site.log if s.path == "/busy/"]
    assert len(arrivals) == 3
    assert arrivals[1] - arrivals[0] >= 5  # Retry-After honoured
    assert arrivals[2] - arrivals[1] >= 1  # no Retry-After: back-off


def test_retry_after_too_long_or_retries_exhausted_fail(site: Site, clock: FakeClock) -> None:
    url = site.add("/later/", "x", first=[(429, {"Retry-After": "86400"})])
    with pytest.raises(FetchError, match="asks to wait 86400 s"):
        client(clock).get(url)
    url = site.add("/down/", "x", first=[(503, {})] * 5)
    with pytest.raises(FetchError, match="HTTP 503 after 2 retries"):
        client(clock, retries=2).get(url)


def test_retry_after_header_forms() -> None:
    now = datetime(2024, 2, 12, 10, 0, tzinfo=timezone.utc)
    assert retry_after("120") == 120
    assert retry_after("Mon, 12 Feb 2024 10:00:30 GMT", now) == 30
    assert retry_after("soon") is None and retry_after(None) is None


def test_pages_over_5_mb_are_refused(site: Site, clock: FakeClock) -> None:
    big = b"<html>" + b"x" * 5_000_001
    declared = site.add("/big/", big)
    streamed = site.add("/big-chunked/", big, chunked=True)
    with pytest.raises(Refused, match="over the 5 MB limit"):
        client(clock).get(declared)
    with pytest.raises(Refused, match="over the 5 MB limit"):
        client(clock).get(streamed)


def test_redirects_are_followed_up_to_five(site: Site, clock: FakeClock) -> None:
    for n in range(6):
        site.add(f"/r{n}/", status=301, headers={"Location": f"/r{n + 1}/"})
    site.add("/r6/", "arrived")
    reply = client(clock).get(site.base + "/r1/")  # five redirects
    assert reply.body == b"arrived" and reply.url == site.base + "/r6/"
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client(clock).get(site.base + "/r0/")  # six


def test_redirect_into_a_disallowed_path_is_not_followed(site: Site, clock: FakeClock) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    start = site.add("/moved/", status=302, headers={"Location": "/private/x/"})
    site.add("/private/x/", "secret")
    with pytest.raises(Refused):
        client(clock).get(start)
    assert site.requested("/private/x/") == 0


def test_conditional_request_gets_304(site: Site, clock: FakeClock) -> None:
    url = site.add("/feed.xml", "<rss/>", etag='"v1"', headers={"Last-Modified": "Mon, 12 Feb 2024 10:00:00 GMT"})
    http = client(clock)
    first = http.get(url)
    assert first.status == 200 and first.validators == Validators('"v1"', "Mon, 12 Feb 2024 10:00:00 GMT")
    again = http.get(url, first.validators)
    assert again.status == 304 and again.body == b""
    sent = site.log[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Mon, 12 Feb 2024 10:00:00 GMT"


def test_errors_say_what_happened(site: Site, clock: FakeClock) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        client(clock).get(site.base + "/nothing-here/")
    with pytest.raises(FetchError, match="could not connect"):
        client(clock, timeout=2).get("http://127.0.0.1:9/")
