"""What a local web server owes its user: the checks every request passes first.

- ``Host`` must name the address the server was started for (a DNS-rebinding page
  reaches 127.0.0.1 under its own name, so its requests carry that name);
- an ``Origin``, when the browser sends one, must be that same address;
- a request that can change anything (not GET/HEAD) carries the per-launch token,
  which only the page this server rendered knows;
- a request body is read up to ``max_body`` bytes, never further;
- every answer forbids inline script and framing (Content-Security-Policy).
"""
from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_HEADER = "x-bibtools-token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
DEFAULT_MAX_BODY = 16 * 1024 * 1024  # a 1,000-entry paste is about 1 MB

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


def hostname_of(host_header: str) -> str:
    """``127.0.0.1:8765`` -> ``127.0.0.1``; ``[::1]:8765`` -> ``::1``; lower case."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


class LocalGuard:
    """ASGI middleware applying the checks above before ``app`` sees the request."""

    def __init__(self, app: ASGIApp, *, token: str, allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
                 max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.allowed_hosts = frozenset(h.lower().strip("[]") for h in allowed_hosts)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        if scope["method"] not in SAFE_METHODS:
            body = await self._read_body(receive, headers)
            if body is None:
                await _plain(send, 413, f"request body larger than {self.max_body} bytes")
                return
            receive = _replay(body)

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, secured)

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        host = hostname_of(headers.get("host", ""))
        if host not in self.allowed_hosts:
            return 421, f"host {host or '(none)'!r} is not this server's address"
        origin = headers.get("origin")
        if origin is not None and (urlsplit(origin).hostname or "").lower() not in self.allowed_hosts:
            return 403, f"requests from {origin!r} are refused"
        if method not in SAFE_METHODS and not hmac.compare_digest(headers.get(TOKEN_HEADER, ""), self.token):
            return 403, "missing or wrong token: reload the page"
        return None

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> bytes | None:
        """The whole body, or ``None`` once it passes the limit (declared or sent)."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
