"""The HTTP layer against a local server: retries, Retry-After, timeouts, cache, offline, rate limits."""
from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from bibtools.net.cache import Cache
from bibtools.net.http import (
    FetchError,
    HttpClient,
    OfflineMiss,
    TokenBucket,
    cache_key,
    parse_retry_after,
    user_agent,
)
from localserver import LocalServer, Reply


class FakeClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server(monkeypatch):
    srv = LocalServer()
    for var in ("BIBTOOLS_CROSSREF_URL", "BIBTOOLS_ARXIV_URL", "BIBTOOLS_OPENALEX_URL", "BIBTOOLS_S2_URL"):
        monkeypatch.setenv(var, srv.url)
    yield srv
    srv.stop()


def client(tmp_path, clock: FakeClock | None = None, **kw) -> HttpClient:
    clock = clock or FakeClock()
    kw.setdefault("rates", {"crossref": 0, "arxiv": 0, "openalex": 0, "s2": 0})
    return HttpClient(
        cache=Cache(tmp_path / "c.sqlite3", clock=clock), clock=clock, wallclock=clock, sleep=clock.sleep, **kw
    )


def test_429_with_retry_after_seconds_is_honoured_then_succeeds(server, tmp_path):
    server.routes["/works/10.1/x"] = [
        Reply(429, "slow down", headers={"Retry-After": "7"}),
        Reply(503, "busy"),
        Reply(200, '{"status":"ok"}'),
    ]
    clock = FakeClock()
    with client(tmp_path, clock, backoff=0.5) as http:
        answer = http.get("crossref", "/works/10.1/x")
    assert answer.status == 200 and answer.text == '{"status":"ok"}'
    assert server.count("/works/10.1/x") == 3
    # 7 s as told by Retry-After, then exponential backoff for the 503 (0.5 * 2**1)
    assert clock.sleeps == [7.0, 1.0]


def test_retry_after_http_date_and_cap(server, tmp_path):
    clock = FakeClock(start=datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())
    later = datetime(2026, 1, 1, 0, 0, 12, tzinfo=timezone.utc)
    server.routes["/a"] = [Reply(429, "", headers={"Retry-After": format_datetime(later, usegmt=True)}), Reply(200, "{}")]
    server.routes["/b"] = [Reply(429, "", headers={"Retry-After": "86400"}), Reply(200, "{}")]
    with client(tmp_path, clock, max_delay=30) as http:
        assert http.get("crossref", "/a").ok
        assert http.get("crossref", "/b").ok
    assert clock.sleeps == [12.0, 30.0]  # the date is 12 s away; a day is capped at 30 s


def test_retries_are_bounded_and_end_in_fetch_error(server, tmp_path):
    server.routes["/busy"] = Reply(429, "", headers={"Retry-After": "1"})
    clock = FakeClock()
    with client(tmp_path, clock, retries=3) as http:
        with pytest.raises(FetchError) as info:
            http.get("crossref", "/busy")
        assert info.value.status == 429
        assert http.stats.requests == 4 and http.stats.retries == 3
    assert server.count("/busy") == 4
    assert clock.sleeps == [1.0, 1.0, 1.0]
    # a failure is not cached: the next run asks again
    assert len(Cache(tmp_path / "c.sqlite3")) == 0


def test_backoff_doubles_without_retry_after(server, tmp_path):
    server.routes["/down"] = Reply(500, "oops")
    clock = FakeClock()
    with client(tmp_path, clock, retries=4, backoff=0.25, max_delay=1.5) as http:
        with pytest.raises(FetchError):
            http.get("openalex", "/down")
    assert clock.sleeps == [0.25, 0.5, 1.0, 1.5]


def test_slow_answer_times_out_and_is_retried(server, tmp_path):
    server.routes["/slow"] = [Reply(200, "{}", delay=1.0), Reply(200, '{"late":false}')]
    clock = FakeClock()
    with client(tmp_path, clock, timeout=0.2, retries=1) as http:
        answer = http.get("s2", "/slow")
    assert answer.text == '{"late":false}'
    assert server.count("/slow") == 2 and len(clock.sleeps) == 1


def test_slow_answer_every_time_is_a_fetch_error(server, tmp_path):
    server.routes["/slow"] = Reply(200, "{}", delay=1.0)
    with client(tmp_path, timeout=0.15, retries=1) as http:
        with pytest.raises(FetchError, match="timed out"):
            http.get("s2", "/slow")


def test_404_is_returned_and_cached_and_second_run_sends_nothing(server, tmp_path):
    server.routes["/works/10.1/found"] = Reply(200, '{"status":"ok","message":{}}')
    with client(tmp_path) as http:
        assert http.get("crossref", "/works/10.1/missing").status == 404
        assert http.get("crossref", "/works/10.1/found", {"b": 2, "a": 1}).ok
    sent = server.count()
    assert sent == 2
    with client(tmp_path) as http:
        assert http.get("crossref", "/works/10.1/missing").status == 404
        again = http.get("crossref", "/works/10.1/found", {"a": 1, "b": 2})  # same question, other order
        assert again.from_cache and again.ok
        assert http.stats.requests == 0 and http.stats.cache_hits == 2
    assert server.count() == sent


def test_cache_expiry(tmp_path):
    clock = FakeClock()
    cache = Cache(tmp_path / "c.sqlite3", clock=clock)
    cache.put("k", 200, b"body", "application/json", ttl=60)
    assert cache.get("k").body == b"body"
    clock.now += 59
    assert cache.get("k") is not None
    clock.now += 2
    assert cache.get("k") is None
    assert cache.get("k", allow_expired=True).body == b"body"
    assert cache.purge_expired() == 1 and len(cache) == 0


def test_expired_entry_is_fetched_again(server, tmp_path):
    server.routes["/w"] = [Reply(200, '{"v":1}'), Reply(200, '{"v":2}')]
    clock = FakeClock()
    with client(tmp_path, clock) as http:
        assert http.get("crossref", "/w").text == '{"v":1}'
    clock.now += 31 * 24 * 3600
    with client(tmp_path, clock) as http:
        assert http.get("crossref", "/w").text == '{"v":2}'
    assert server.count("/w") == 2


def test_offline_answers_from_cache_and_reports_misses(server, tmp_path):
    server.routes["/w"] = Reply(200, '{"v":1}')
    clock = FakeClock()
    with client(tmp_path, clock) as http:
        http.get("crossref", "/w")
    server.stop()
    clock.now += 365 * 24 * 3600  # even expired entries serve offline
    with client(tmp_path, clock, offline=True) as http:
        assert http.get("crossref", "/w").text == '{"v":1}'
        with pytest.raises(OfflineMiss):
            http.get("crossref", "/other")
        assert http.stats.offline_misses == 1 and http.stats.requests == 0


def test_unreachable_server_is_a_fetch_error(tmp_path, monkeypatch):
    srv = LocalServer()
    url = srv.url
    srv.stop()
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", url)
    with client(tmp_path, retries=1) as http:
        with pytest.raises(FetchError, match="could not connect"):
            http.get("crossref", "/works/10.1/x")


def test_user_agent_names_the_contact_address(server, tmp_path, monkeypatch):
    server.routes["/w"] = Reply(200, "{}")
    monkeypatch.setenv("BIBTOOLS_MAILTO", "env@example.org")
    with client(tmp_path) as http:
        http.get("crossref", "/w")
    with client(tmp_path, mailto="opt@example.org") as http:
        http.get("crossref", "/w2")
    agents = [headers.get("User-Agent") for _, _, headers in server.requests]
    assert agents == [user_agent("env@example.org"), user_agent("opt@example.org")]
    assert "mailto:opt@example.org" in agents[1]


def test_each_service_has_its_own_base_url(tmp_path, monkeypatch):
    a, b = LocalServer(), LocalServer()
    try:
        monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", a.url)
        monkeypatch.setenv("BIBTOOLS_ARXIV_URL", b.url + "/api")
        with client(tmp_path) as http:
            http.get("crossref", "/works")
            http.get("arxiv", "/query", {"id_list": "1605.08386"})
        assert [p for p, _, _ in a.requests] == ["/works"]
        assert [(p, q) for p, q, _ in b.requests] == [("/api/query", {"id_list": "1605.08386"})]
    finally:
        a.stop()
        b.stop()


def test_token_bucket_allows_a_burst_then_paces():
    clock = FakeClock()
    bucket = TokenBucket(rate=2.0, capacity=3, clock=clock, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:] == [0.5, 0.5, 0.5]
    clock.now += 10  # idle time refills, but only up to the burst size
    assert [bucket.acquire() for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]


def test_rate_limit_applies_per_service(server, tmp_path):
    server.routes["/q"] = Reply(200, "{}")
    clock = FakeClock()
    with client(tmp_path, clock, rates={"arxiv": 1 / 3, "crossref": 0}) as http:
        for n in range(3):
            http.get("arxiv", "/q", {"n": n})
            http.get("crossref", "/q", {"n": n})
    assert clock.sleeps == [3.0, 3.0]  # arXiv paced at one per 3 s; Crossref unlimited here


def test_parse_retry_after_forms():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0


def test_cache_key_ignores_parameter_order():
    assert cache_key("crossref", "/works", {"a": 1, "b": "x y"}) == cache_key("crossref", "/works", {"b": "x y", "a": 1})
    assert cache_key("crossref", "/works", {}) != cache_key("openalex", "/works", {})


def test_a_service_that_keeps_failing_is_not_asked_again_this_run(server, tmp_path):
    server.routes["/down"] = Reply(503, "")
    server.routes["/up"] = Reply(200, "{}")
    with client(tmp_path, retries=1, give_up_after=2) as http:
        for n in range(2):
            with pytest.raises(FetchError, match="2 attempts"):
                http.get("crossref", "/down", {"n": n})
        with pytest.raises(FetchError, match="not asked again"):
            http.get("crossref", "/down", {"n": 9})
        assert http.get("s2", "/up").ok  # other services are unaffected
    assert server.count("/down") == 4


def test_a_success_resets_the_failure_count(server, tmp_path):
    server.routes["/flaky"] = [Reply(503, ""), Reply(200, "{}"), Reply(503, ""), Reply(200, "{}")]
    with client(tmp_path, retries=0, give_up_after=2) as http:
        with pytest.raises(FetchError):
            http.get("crossref", "/flaky", {"n": 1})
        assert http.get("crossref", "/flaky", {"n": 2}).ok
        with pytest.raises(FetchError):
            http.get("crossref", "/flaky", {"n": 3})
        assert http.get("crossref", "/flaky", {"n": 4}).ok
