"""The HTTP layer every web service goes through.

What it adds to httpx: deadlines that always end a call (connect 5 s, 8 s of
silence while reading, 60 s for a whole request however slowly the server
dribbles, and an optional deadline for the whole run); retries with
exponential backoff on 429/5xx, honouring ``Retry-After`` (seconds or an HTTP
date) up to a cap, but none for a name that does not resolve or a refused
connection, and one for a timeout, after which that host is not asked again
this run; a token-bucket rate limit per service; a ``User-Agent``
that names a contact address (the services ask for one); an on-disk cache so
a second run makes no request; and an offline mode that answers from the
cache only. Clocks and ``sleep`` are injectable so tests need no real waits.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from .cache import DEFAULT_TTL, NOT_FOUND_TTL, Cache


@dataclass(frozen=True, slots=True)
class Service:
    """A web service: its default base URL, the env var that overrides it, and its polite rate."""

    name: str
    default_url: str
    env_var: str
    rate: float  # requests per second, sustained
    burst: int  # requests allowed back to back

    @property
    def base_url(self) -> str:
        return (os.environ.get(self.env_var) or self.default_url).rstrip("/")


# Rates follow each service's published guidance for unauthenticated clients.
SERVICES: dict[str, Service] = {
    "crossref": Service("crossref", "https://api.crossref.org", "BIBTOOLS_CROSSREF_URL", rate=10.0, burst=5),
    "arxiv": Service("arxiv", "https://export.arxiv.org/api", "BIBTOOLS_ARXIV_URL", rate=1 / 3, burst=1),
    "openalex": Service("openalex", "https://api.openalex.org", "BIBTOOLS_OPENALEX_URL", rate=10.0, burst=5),
    "s2": Service("s2", "https://api.semanticscholar.org", "BIBTOOLS_S2_URL", rate=1.0, burst=1),
}

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Answers that will not change on a retry: worth caching (a 404 for less long).
CACHEABLE_STATUSES = {200: DEFAULT_TTL, 203: DEFAULT_TTL, 400: NOT_FOUND_TTL, 404: NOT_FOUND_TTL, 410: NOT_FOUND_TTL}


class FetchError(Exception):
    """The service could not be reached, or kept failing after the retries."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class DeadlineExceeded(FetchError):
    """The whole run's deadline passed: this request was not sent (or was cut short)."""


class OfflineMiss(Exception):
    """Offline mode, and the cache has no answer for this request."""

    def __init__(self, key: str) -> None:
        super().__init__(f"offline: no cached answer for {key}")
        self.key = key


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str
    url: str
    from_cache: bool

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class TokenBucket:
    """At most ``capacity`` requests back to back, then ``rate`` per second."""

    def __init__(
        self,
        rate: float,
        capacity: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1, capacity)
        self._tokens = float(self.capacity)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until there is one; return the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            wait = (1 - self._tokens) / self.rate
            self._sleep(wait)
            # The token that accrued while sleeping is spent at once.
            self._tokens = 0.0
            self._updated = now + wait
            return wait


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _config_mailto() -> str | None:
    """``mailto`` from ``$XDG_CONFIG_HOME/bibtools/config.toml``, when present."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: the env var and option still work
        return None
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = base / "bibtools" / "config.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("mailto") or (data.get("net") or {}).get("mailto")
    return str(value) if value else None


def resolve_mailto(option: str | None = None) -> str | None:
    """The contact address: the option, else ``BIBTOOLS_MAILTO``, else the config file."""
    return option or os.environ.get("BIBTOOLS_MAILTO") or _config_mailto()


def user_agent(mailto: str | None) -> str:
    from .. import __version__

    agent = f"bibtools/{__version__} (https://pypi.org/project/bibtools/"
    return agent + (f"; mailto:{mailto})" if mailto else ")")


def cache_key(service: str, path: str, params: Mapping[str, Any] | None) -> str:
    """Service-relative, parameter-order independent: the same question is the same key."""
    query = urlencode(sorted((str(k), str(v)) for k, v in (params or {}).items()))
    return f"{service} GET {path}?{query}"


def _rate_override(service: Service) -> float | None:
    """``BIBTOOLS_<SERVICE>_RATE`` (requests per second) for mirrors with other limits."""
    raw = os.environ.get(f"BIBTOOLS_{service.name.upper()}_RATE")
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


@dataclass
class Stats:
    requests: int = 0  # HTTP requests actually sent (retries included)
    cache_hits: int = 0
    offline_misses: int = 0
    retries: int = 0
    waited: float = 0.0  # seconds slept for rate limits and backoff


@dataclass
class HttpClient:
    """GET with cache, rate limit and retries. One per run; close it (or use ``with``)."""

    mailto: str | None = None
    cache: Cache | None = None
    offline: bool = False
    timeout: float = 8.0  # seconds of silence while reading an answer
    connect_timeout: float = 5.0
    request_deadline: float = 60.0  # a whole request, retries aside: a dribbling server cannot stretch it
    run_deadline: float | None = None  # seconds for the whole run (``--timeout``), from the client's creation
    retries: int = 4
    backoff: float = 1.0  # first retry waits this long, then doubles
    max_delay: float = 60.0  # cap on any single wait (backoff or Retry-After)
    clock: Callable[[], float] = time.monotonic
    wallclock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    rates: dict[str, float] = field(default_factory=dict)  # service -> req/s, overriding the defaults
    transport: httpx.BaseTransport | None = None
    stats: Stats = field(default_factory=Stats)
    # After this many failed requests in a row (retries spent), a service is not asked again
    # this run: a service that is down must not cost every remaining record its retries.
    give_up_after: int = 3

    def __post_init__(self) -> None:
        self.mailto = resolve_mailto(self.mailto)
        self._buckets: dict[str, TokenBucket] = {}
        self._client: httpx.Client | None = None
        self._failures: dict[str, int] = {}
        self._silent: dict[str, str] = {}  # host -> why it is not asked again (it did not answer)
        self.unreached: dict[str, str] = {}  # service -> the last reason it could not be asked
        self._run_ends = None if self.run_deadline is None else self.clock() + self.run_deadline

    # -- plumbing ------------------------------------------------------------
    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                headers={"User-Agent": user_agent(self.mailto), "Accept": "application/json, application/atom+xml;q=0.9, */*;q=0.5"},
                follow_redirects=True,
                transport=self.transport,
            )
        return self._client

    def _bucket(self, service: Service) -> TokenBucket | None:
        rate = self.rates.get(service.name)
        if rate is None:
            override = _rate_override(service)
            rate = service.rate if override is None else override
        if rate <= 0 or rate == float("inf"):
            return None  # unlimited
        if service.name not in self._buckets:
            self._buckets[service.name] = TokenBucket(rate, service.burst, clock=self.clock, sleep=self._wait)
        return self._buckets[service.name]

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.stats.waited += seconds
            self.sleep(seconds)

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        told = parse_retry_after(retry_after, now=self.wallclock())
        delay = told if told is not None else self.backoff * (2**attempt)
        return min(delay, self.max_delay)

    def time_left(self) -> float | None:
        """Seconds left of the run's deadline (None: there is none)."""
        return None if self._run_ends is None else self._run_ends - self.clock()

    def time_is_up(self) -> bool:
        left = self.time_left()
        return left is not None and left <= 0

    def _fetch(self, url: str, query: dict[str, Any]) -> tuple[int, bytes, str, str, httpx.Headers]:
        """One GET, read to the end within ``request_deadline`` (and what is left of the run)."""
        bound = self.request_deadline
        left = self.time_left()
        if left is not None:
            bound = min(bound, left)
        ends = self.clock() + bound
        timeout = httpx.Timeout(min(self.timeout, bound), connect=min(self.connect_timeout, bound))
        with self._http().stream("GET", url, params=query, timeout=timeout) as answer:
            chunks: list[bytes] = []
            for chunk in answer.iter_bytes():
                chunks.append(chunk)
                if self.clock() > ends:
                    raise httpx.ReadTimeout(f"the answer took longer than {bound:g}s", request=answer.request)
            return (answer.status_code, b"".join(chunks), answer.headers.get("Content-Type", ""),
                    str(answer.request.url), answer.headers)

    def _give_up(self, service: str, url: str, message: str, status: int | None = None,
                 kind: type[FetchError] = FetchError) -> FetchError:
        self.unreached[service] = message
        return kind(f"{service}: {message}", url=url, status=status)

    # -- the one public verb ---------------------------------------------------
    def get(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Response:
        """GET ``path`` from ``service``. Cached answers come first; offline never sends.

        Raises ``OfflineMiss`` (offline, not cached) or ``FetchError`` (unreachable,
        or still 429/5xx after the retries). 4xx answers are returned, not raised.
        """
        svc = SERVICES[service]
        key = cache_key(service, path, params)
        if self.cache is not None:
            hit = self.cache.get(key, allow_expired=self.offline)
            if hit is not None:
                self.stats.cache_hits += 1
                return Response(hit.status, hit.body, hit.content_type, key, True)
        if self.offline:
            self.stats.offline_misses += 1
            raise OfflineMiss(key)
        url = svc.base_url + path
        host = httpx.URL(url).host
        if self._failures.get(service, 0) >= self.give_up_after:
            raise self._give_up(service, url, f"not asked again this run after {self.give_up_after} failures in a row")
        if host in self._silent:
            raise self._give_up(service, url, f"not asked again this run: {host} {self._silent[host]}")
        query = dict(params or {})
        bucket = self._bucket(svc)
        failure = ""
        status: int | None = None
        timeouts = 0
        for attempt in range(self.retries + 1):
            if self.time_is_up():
                raise self._give_up(service, url, "the run's time limit (--timeout) was reached", kind=DeadlineExceeded)
            if attempt:
                self.stats.retries += 1
            if bucket is not None:
                bucket.acquire()
            self.stats.requests += 1
            try:
                code, body, content_type, final_url, headers = self._fetch(url, query)
            except httpx.TimeoutException as exc:
                timeouts += 1
                failure, status = f"did not answer in time ({exc or 'timed out'})", None
                if self.time_is_up():
                    raise self._give_up(service, url, "the run's time limit (--timeout) was reached",
                                        kind=DeadlineExceeded) from None
                if timeouts > 1 or attempt >= self.retries:  # silent twice: the host is not asked again
                    self._silent[host] = "did not answer (timed out)"
                    break
                self._wait(self._delay(attempt, None))
                continue
            except httpx.ConnectError as exc:  # no such name, refused: asking again changes nothing
                failure, status = f"could not connect ({exc.__class__.__name__}: {exc})", None
                break
            except httpx.TransportError as exc:
                failure, status = f"could not connect ({exc.__class__.__name__})", None
                if attempt < self.retries:
                    self._wait(self._delay(attempt, None))
                continue
            if code in RETRY_STATUSES:
                failure, status = f"HTTP {code}", code
                if attempt < self.retries:
                    self._wait(self._delay(attempt, headers.get("Retry-After")))
                continue
            ttl = CACHEABLE_STATUSES.get(code)
            if self.cache is not None and ttl is not None:
                self.cache.put(key, code, body, content_type, ttl)
            self._failures[service] = 0
            return Response(code, body, content_type, final_url, False)
        self._failures[service] = self._failures.get(service, 0) + 1
        tries = attempt + 1
        raise self._give_up(service, url, f"{failure} ({tries} attempt{'s' if tries > 1 else ''})", status)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
