"""A tiny HTTP server on 127.0.0.1 for the network tests (no test touches the internet).

Routes map a path to a responder: a fixed ``Reply``, a list of replies served
in turn (the last one repeats), or a function of the query. Every request is
recorded, so tests can count what a run cost.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering (timeouts)
    content_type: str = "application/json"


Query = dict[str, str]
Responder = Reply | list[Reply] | Callable[[Query], Reply]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Responder] = {}
        self.fallback: Callable[[str, Query], Reply] | None = None
        self.requests: list[tuple[str, Query, dict[str, str]]] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                reply = server._answer(parts.path, query, dict(self.headers))
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _answer(self, path: str, query: Query, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append((path, query, headers))
            count = self._served.get(path, 0)
            self._served[path] = count + 1
            responder = self.routes.get(path)
        if responder is None:
            if self.fallback is not None:
                return self.fallback(path, query)
            return Reply(404, '{"status":"error","message":"Resource not found."}')
        if isinstance(responder, Reply):
            return responder
        if isinstance(responder, list):
            return responder[min(count, len(responder) - 1)]
        return responder(query)

    def count(self, path: str | None = None) -> int:
        with self._lock:
            if path is None:
                return len(self.requests)
            return sum(1 for p, _, _ in self.requests if p == path)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def point_services_at(server: "LocalServer", monkeypatch, cache_dir) -> None:
    """Send every service bibtools knows to ``server``, with its own cache folder."""
    monkeypatch.setenv("BIBTOOLS_CROSSREF_URL", server.url)
    monkeypatch.setenv("BIBTOOLS_ARXIV_URL", server.url + "/api")
    monkeypatch.setenv("BIBTOOLS_OPENALEX_URL", server.url + "/openalex")
    monkeypatch.setenv("BIBTOOLS_S2_URL", server.url + "/s2")
    monkeypatch.setenv("BIBTOOLS_CACHE_DIR", str(cache_dir))
