"""A polite HTTP client for police web sites.

It reads robots.txt before anything else on a host and never requests a disallowed page, names
the bot and a contact in its User-Agent, waits between requests to one host, refuses bodies over
5 MB, retries 429/503 honouring Retry-After, follows at most 5 redirects (each hop checked
against robots.txt) and sends conditional requests when it has an ETag or Last-Modified.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import requests

AGENT = "police-news-bot"
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
RETRIED = (429, 503)


class FetchError(Exception):
    """The address could not be read; the message says why, in one line."""


class Refused(FetchError):
    """The client would not request it (robots.txt, size limit): reported as skipped."""


@dataclass(frozen=True)
class Validators:
    """What the server said last time, for a conditional request."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Response:
    url: str  # the final address, after redirects
    status: int  # 200, or 304 when the conditional request found nothing new
    body: bytes
    content_type: str
    validators: Validators


def user_agent(contact: str) -> str:
    return f"{AGENT}/0.1 (+{contact})" if contact else f"{AGENT}/0.1"


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class PoliteClient:
    """One client per run: it remembers each host's robots.txt and when it last asked it."""

    def __init__(
        self,
        contact: str = "",
        *,
        delay: float = 1.0,
        timeout: float = 20.0,
        max_bytes: int = MAX_BYTES,
        retries: int = 3,
        max_wait: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.user_agent = user_agent(contact)
        self.delay, self.timeout, self.max_bytes = delay, timeout, max_bytes
        self.retries, self.max_wait = retries, max_wait
        self.stop = stop or threading.Event()  # once set, waits end and no request starts
        self.clock, self.sleep = clock, sleep or self.stop.wait
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._robots: dict[str, robotparser.RobotFileParser | str] = {}
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """GET `url`, following redirects; raise Refused or FetchError with the reason."""
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        for _ in range(MAX_REDIRECTS + 1):
            self._check_robots(url)
            reply = self._request(url, headers)
            if reply.status_code in REDIRECTS and reply.headers.get("Location"):
                target = urljoin(url, reply.headers["Location"])
                reply.close()
                if urlsplit(target).scheme not in ("http", "https"):
                    raise FetchError(f"redirected to {target!r}, which is not a web address")
                url = target
                continue
            return self._response(url, reply)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin, parts.netloc)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise Refused(rules)
        if not rules.can_fetch(self.user_agent, url):
            raise Refused("robots.txt disallows it")

    def _read_robots(self, origin: str, host: str) -> robotparser.RobotFileParser | str:
        """The host's rules, or the reason nothing there may be fetched (RFC 9309: a robots.txt
        that exists but cannot be read means stay away; a missing one allows everything)."""
        rules = robotparser.RobotFileParser(origin + "/robots.txt")
        url = origin + "/robots.txt"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                reply = self._request(url, {})
                status = reply.status_code
                if status not in REDIRECTS or not reply.headers.get("Location"):
                    break
                url = urljoin(url, reply.headers["Location"])
                reply.close()
            text = self._read_body(reply).decode("utf-8", "replace") if status == 200 else ""
            reply.close()
        except FetchError as exc:
            return f"robots.txt could not be read ({exc})"
        if status == 200:
            rules.parse(text.splitlines())
            crawl_delay = rules.crawl_delay(self.user_agent)
            if crawl_delay:
                self._host_delay[host] = min(float(crawl_delay), self.max_wait)
        elif 400 <= status < 500:
            rules.parse([])
        else:
            return f"robots.txt could not be read (HTTP {status})"
        return rules

    def _request(self, url: str, headers: Mapping[str, str]) -> requests.Response:
        """One request, after the host's delay; 429 and 503 are retried with back-off."""
        host = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            self._wait_for(host)
            if self.stop.is_set():
                raise FetchError("stopped: the bot is shutting down")
            try:
                reply = self.session.get(
                    url, headers=dict(headers), timeout=self.timeout, allow_redirects=False, stream=True
                )
            except requests.RequestException as exc:
                raise FetchError(f"could not connect: {_short(exc)}") from None
            finally:
                self._last[host] = self.clock()
            if reply.status_code not in RETRIED:
                return reply
            wait = retry_after(reply.headers.get("Retry-After"))
            reply.close()
            if wait is not None and wait > self.max_wait:
                raise FetchError(f"HTTP {reply.status_code}: the site asks to wait {wait:.0f} s; try again later")
            if attempt == self.retries:
                raise FetchError(f"HTTP {reply.status_code} after {self.retries} retries")
            backoff = max(self.delay, 1.0) * 2**attempt
            self.sleep(max(wait or 0.0, backoff))
        raise AssertionError("unreachable")

    def _wait_for(self, host: str) -> None:
        if host in self._last:
            pause = self._last[host] + max(self.delay, self._host_delay.get(host, 0.0)) - self.clock()
            if pause > 0:
                self.sleep(pause)

    def _response(self, url: str, reply: requests.Response) -> Response:
        validators = Validators(reply.headers.get("ETag", ""), reply.headers.get("Last-Modified", ""))
        content_type = reply.headers.get("Content-Type", "")
        if reply.status_code == 304:
            reply.close()
            return Response(url, 304, b"", content_type, validators)
        if reply.status_code != 200:
            reason = reply.reason or ""
            reply.close()
            raise FetchError(f"HTTP {reply.status_code} {reason}".strip())
        return Response(url, 200, self._read_body(reply), content_type, validators)

    def _read_body(self, reply: requests.Response) -> bytes:
        limit = f"over the {self.max_bytes // 1_000_000} MB limit"
        declared = reply.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            reply.close()
            raise Refused(f"{int(declared):,} bytes, {limit}")
        chunks, size, started = [], 0, self.clock()
        try:
            for chunk in reply.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise Refused(f"more than {self.max_bytes:,} bytes, {limit}")
                if self.clock() - started > 3 * self.timeout:
                    raise FetchError(f"took over {3 * self.timeout:.0f} s to download")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(f"download interrupted: {_short(exc)}") from None
        finally:
            reply.close()
        return b"".join(chunks)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
