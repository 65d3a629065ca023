"""``bibtools serve``: the local web page (paste, preview in any style, copy, merge)."""
from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import webbrowser

import click

from .common import EXIT_USAGE, UsageFailure

INSTALL_HINT = "bibtools serve needs starlette, uvicorn and jinja2: pip install 'bibtools[serve]'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> set[str]:
    """The names a request's Host may carry: the loopback names, and the one asked for.
    A wildcard address is reached under the machine's own names."""
    from ..serve.guard import LOOPBACK_HOSTS

    names = set(LOOPBACK_HOSTS) | {host.strip("[]").lower()}
    if host in ("0.0.0.0", "::"):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return names


@click.command("serve")
@click.argument("library", required=False, type=click.Path(dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port to listen on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback is reachable by others (a warning says so).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option("--offline", is_flag=True, help="Look DOIs and arXiv ids up in the cache only.")
def command(library, port, host, open_browser, offline) -> None:
    """Serve a local page to paste references, preview them in any CSL style, copy them
    (rich text, BibTeX, BibLaTeX, CSL-JSON, RIS) and merge them into LIBRARY."""
    try:
        from ..serve import create_app
        from ..serve.runner import bind, serve_forever, url_of
    except ImportError:
        click.echo(f"error: {INSTALL_HINT}", err=True)
        sys.exit(EXIT_USAGE)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this address can use the page "
                   "(the per-launch token still guards every write)", err=True)
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise UsageFailure(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    app = create_app(library, allowed_hosts=allowed_hosts(host), offline=offline, warm_up=True)
    url = url_of(sock)
    click.echo(f"bibtools serve: {url} (Ctrl-C to stop)", err=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    serve_forever(app, sock)
