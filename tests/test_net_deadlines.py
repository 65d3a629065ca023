"""Network calls that always end (issue 13).

Before: ``bibtools enrich`` against a service that accepts connections and never answers
ran for over five minutes with no output; with no DNS it took three minutes to fail
(instant connection errors retried five times per service). Now each request has connect,
silence and total deadlines, a silent host is not asked again, names that do not resolve
and refused connections are not retried, and ``--timeout`` bounds the whole run.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibtools.cli import main
from bibtools.net.http import DeadlineExceeded, FetchError, HttpClient
from rawserver import RawServer

NO_LIMITS = {"crossref": 0, "arxiv": 0, "openalex": 0, "s2": 0}
BIB = """@article{a, title = {Attention Is All You Need}, author = {Vaswani, Ashish and Shazeer, Noam}, year = 2017}

@article{b, title = {Deep Residual Learning for Image Recognition}, author = {He, Kaiming}, year = 2016}

@article{c, title = {Adam: A Method for Stochastic Optimization}, author = {Kingma, Diederik P.}, year = 2015}
"""


class SteppingClock:
    """Each reading is ``step`` seconds later: a slow answer without waiting for it."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def silent(monkeypatch, tmp_path):
    srv = RawServer("silent")
    for var in ("BIBTOOLS_CROSSREF_URL", "BIBTOOLS_ARXIV_URL", "BIBTOOLS_OPENALEX_URL", "BIBTOOLS_S2_URL"):
        monkeypatch.setenv(var, srv.url)
    monkeypatch.setenv("BIBTOOLS_CACHE_DIR", str(tmp_path / "cache"))
    for service in ("CROSSREF", "ARXIV", "OPENALEX", "S2"):
        monkeypatch.setenv(f"BIBTOOLS_{service}_RATE", "0")
    yield srv
    srv.stop()


def test_enrich_against_a_silent_server_ends_with_a_message_and_the_input_unchanged(silent, tmp_path: Path) -> None:
    path = tmp_path / "in.bib"
    path.write_text(BIB, encoding="utf-8")
    before = path.read_bytes()
    started = time.monotonic()
    result = CliRunner().invoke(main, ["enrich", str(path), "--in-place", "--timeout", "3"])
    elapsed = time.monotonic() - started
    assert elapsed < 30, elapsed  # the run's deadline is 3 s; nothing may stretch it (margin for a busy machine)
    assert result.exit_code == 1
    assert "records not looked up" in result.output
    assert path.read_bytes() == before


def test_a_silent_host_is_asked_at_most_twice_per_run(silent) -> None:
    with HttpClient(rates=NO_LIMITS, timeout=0.3, backoff=0.01) as http:
        for n in range(4):
            for service in ("crossref", "openalex", "s2"):
                with pytest.raises(FetchError):
                    http.get(service, "/works", {"q": n})
    assert silent.connections <= 2  # one timeout, one retry; then the host is left alone
    assert "did not answer" in http.unreached["s2"]


def test_a_dribbling_answer_is_cut_by_the_request_deadline(monkeypatch) -> None:
    srv = RawServer("dribble", body=b'{"message": "' + b"x" * 400 + b'"}', gap=0.02)  # ~8 s if read to the end
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", srv.url)
    try:
        clock = SteppingClock(17.0)  # each chunk "arrives" 17 s after the last: 60 s pass by the 4th
        with HttpClient(rates=NO_LIMITS, clock=clock, sleep=lambda s: None, retries=1) as http:
            started = time.monotonic()
            with pytest.raises(FetchError, match="did not answer in time"):
                http.get("crossref", "/works/10.1/x")
            assert time.monotonic() - started < 6  # cut, not read to the end twice
        assert srv.connections <= 2
    finally:
        srv.stop()


def test_the_run_deadline_stops_asking() -> None:
    clock = SteppingClock(0.0)
    with HttpClient(rates=NO_LIMITS, clock=clock, run_deadline=5.0) as http:
        clock.now += 6.0
        with pytest.raises(DeadlineExceeded):
            http.get("crossref", "/works/10.1/x")
        assert http.stats.requests == 0


def test_a_refused_connection_is_not_retried(monkeypatch) -> None:
    srv = RawServer("silent")
    url = srv.url
    srv.stop()  # nothing listens there any more: connections are refused
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", url)
    with HttpClient(rates=NO_LIMITS, retries=4, sleep=lambda s: None) as http:
        with pytest.raises(FetchError, match="could not connect"):
            http.get("crossref", "/works/10.1/x")
        assert http.stats.requests == 1 and http.stats.retries == 0


def test_a_name_that_does_not_resolve_is_not_retried(monkeypatch) -> None:
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", "http://no-such-host.invalid")
    with HttpClient(rates=NO_LIMITS, retries=4, sleep=lambda s: None) as http:
        with pytest.raises(FetchError, match="could not connect"):
            http.get("crossref", "/works/10.1/x")
        assert http.stats.requests == 1
