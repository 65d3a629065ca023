"""Helpers for the ``bibtools serve`` tests: a live server on a free port, the page's secrets."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from bibtools.serve import TOKEN_HEADER, LiveServer, create_app


@dataclass
class Page:
    """What the page a browser loaded knows: the token, its workspace, the library's fingerprint."""

    client: httpx.Client
    token: str
    workspace: str
    fingerprint: str
    html: str

    def post(self, path: str, **body: Any) -> httpx.Response:
        return self.client.post(path, json={"workspace": self.workspace, **body}, headers={TOKEN_HEADER: self.token})


def load_page(client: httpx.Client) -> Page:
    response = client.get("/")
    response.raise_for_status()
    attr = {name: re.search(rf'data-{name}="([^"]*)"', response.text).group(1) for name in ("token", "workspace", "fingerprint")}
    return Page(client, attr["token"], attr["workspace"], attr["fingerprint"], response.text)


@contextmanager
def live(library=None, **options: Any) -> Iterator[tuple[str, httpx.Client]]:
    """A real uvicorn serving ``create_app(library, **options)`` in a thread, always stopped after."""
    with LiveServer(create_app(library, **options)) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield url, client
