"""The ASGI application behind ``bibtools serve``: ``create_app(library_path=None, ...)``.

Every route is a thin shell over the typed API (``load_string``, ``csl.api``,
``lint``, ``dedupe``, ``dump``, ``update_file``). Work runs in a worker thread,
one request at a time (workspaces are plain objects, and the engine is not
meant to be shared between threads).
"""
from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..api import dump
from ..csl.errors import StyleError
from ..model import Library
from .guard import DEFAULT_MAX_BODY, LOOPBACK_HOSTS, TOKEN_HEADER, LocalGuard
from .libraryfile import LibraryChanged, LibraryFile, fingerprint
from .preview import ListCache, PreviewOptions, render_citation, render_one
from .stylepicker import search_styles
from .workspace import Fetcher, PasteError, Workspace, Workspaces

HERE = Path(__file__).parent
EXPORTS = {"bibtex": "bib", "biblatex": "bib", "csljson": "json", "ris": "ris"}
# what the warm-up reads: an article and a chapter, so the common paths are exercised
WARM_UP_PASTE = """@article{warm1, author = {Doe, Jane and Roe, Richard}, title = {A Title}, journal = {A Journal},
  year = {2020}, volume = {1}, number = {2}, pages = {3--4}, doi = {10.1000/warm}}
@incollection{warm2, author = {Doe, Jane}, title = {A Chapter}, booktitle = {A Book}, editor = {Poe, Edgar},
  publisher = {A Press}, address = {Paris}, year = {2019}, pages = {5--9}}
"""
LOCALES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR", "pt-PT", "sv-SE", "pl-PL",
           "ru-RU", "zh-CN", "ja-JP", "ko-KR")


class BadRequest(ValueError):
    pass


def default_fetcher(offline: bool) -> Fetcher:
    """DOIs/arXiv ids through ``bibtools add``'s lookup and its on-disk cache."""
    def fetch_ids(identifiers: list[str]):  # type: ignore[no-untyped-def]
        from ..enrich import fetch
        from ..net.cache import Cache
        from ..net.http import HttpClient

        with HttpClient(cache=Cache(), offline=offline, run_deadline=30) as client:
            return fetch(identifiers, client=client)

    return fetch_ids


class ServeState:
    def __init__(self, library_path: str | Path | None, fetcher: Fetcher | None, offline: bool) -> None:
        self.library_file = LibraryFile(library_path) if library_path else None
        self.fetcher = fetcher
        self.offline = offline
        self.workspaces = Workspaces()
        self.lock = threading.Lock()
        self.lists = ListCache()  # whole-list previews, keyed by their records and options

    def base_library(self) -> Library | None:
        return self.library_file.library() if self.library_file else None

    def warm_up(self, style: str = "apa") -> None:
        """Pay what the first paste of a fresh server pays once (the readers' and lint's
        imports, the library's dedupe features, the style parsed) before anyone pastes:
        a two-entry paste read, checked and previewed, then dropped."""
        from .preview import render_list

        with self.lock:
            try:
                space = Workspace("warm-up", self.workspaces.library_features)
                space.paste(WARM_UP_PASTE, fetch=None, library=self.base_library())
                render_list([r.item for r in space.records], PreviewOptions(style=style))
            except Exception:  # (a broken library or style is for the page to report, not this)
                pass


def create_app(
    library_path: str | Path | None = None,
    *,
    token: str | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
    max_body: int = DEFAULT_MAX_BODY,
    offline: bool = False,
    fetcher: Fetcher | None = None,
    warm_up: bool = False,
) -> LocalGuard:
    """The app, wrapped in its ``LocalGuard``. ``token`` defaults to a fresh random one
    (``app.token``); ``fetcher`` looks identifiers up (default: the network and cache);
    ``warm_up`` starts ``ServeState.warm_up`` in a thread (the command does: the first
    paste then finds the imports done and the style parsed)."""
    state = ServeState(library_path, fetcher or default_fetcher(offline), offline)
    if warm_up:
        threading.Thread(target=state.warm_up, name="bibtools-serve-warm-up", daemon=True).start()
    token = token or secrets.token_urlsafe(24)
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))

    def index(request: Request) -> Response:
        space = state.workspaces.new(secrets.token_urlsafe(12))
        library = state.library_file
        page = templates.get_template("index.html").render(
            token=token, workspace=space.wid, version=__version__, offline=state.offline, locales=LOCALES,
            library_name=str(library.path) if library else None,
            library_size=len(library.library()) if library else 0,
            library_fingerprint=fingerprint(library.path) if library else "",
        )
        return HTMLResponse(page)

    def styles(request: Request) -> Response:
        return JSONResponse({"styles": search_styles(request.query_params.get("q", ""))})

    def paste(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("replace"):
            space.records.clear()
        try:
            outcome = space.paste(_text(data, "text"), fetch=state.fetcher, library=state.base_library())
        except PasteError as exc:
            raise BadRequest(str(exc)) from None
        return {"detected": outcome.detected, "added": len(outcome.added), "messages": outcome.messages,
                "offline": state.offline, **preview(space, data)}

    def preview(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        options = PreviewOptions.from_json(data)
        entries, problems = state.lists.render_list([r.item for r in space.records], options)
        uid_of = {r.item.id: r.uid for r in space.records}
        for entry in entries:
            entry["uid"] = uid_of.get(entry["key"], "")
            space.rendered[entry["uid"]] = entry["html"]
        return {"records": [r.to_json() for r in space.records], "entries": entries, "problems": problems}

    def edit(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        uid = _text(data, "uid")
        try:
            record = space.rename(uid, _text(data, "key")) if "key" in data else space.by_uid(uid)
        except KeyError:
            raise BadRequest(f"no record {uid!r} on this page") from None
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        if "title" in data:
            record.item.fields["title"] = _text(data, "title")
            space.check(state.base_library(), edited=record)
        entry = render_one(record.item, PreviewOptions.from_json(data), space.rendered.get(uid))
        entry["uid"] = uid
        space.rendered[uid] = entry["html"]
        return {"record": record.to_json(), "entry": entry}

    def remove(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        try:
            space.remove(_text(data, "uid"))
        except (KeyError, ValueError):
            raise BadRequest("no such record on this page") from None
        space.check(state.base_library())
        return preview(space, data)

    def citation(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        keys = [k.strip() for k in _text(data, "keys").replace(";", ",").split(",") if k.strip()]
        if not keys:
            raise BadRequest("name the keys to cite")
        locator = str(data.get("locator") or "").strip() or None
        label = str(data.get("label") or "").strip() or None
        try:
            return render_citation([r.item for r in space.records], PreviewOptions.from_json(data), keys, locator, label)
        except KeyError as exc:
            raise BadRequest(str(exc).strip("'\"")) from None

    def export(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        fmt = _export_format(data.get("format"))
        return {"text": dump(space.library(), fmt), "filename": f"references-{fmt}.{EXPORTS[fmt]}"}

    def merge_into_library(space: Workspace, data: dict[str, Any]) -> dict[str, Any]:
        if state.library_file is None:
            raise BadRequest("no library was named when the server started (bibtools serve LIBRARY.bib)")
        if not space.records:
            raise BadRequest("nothing to merge: paste some records first")
        try:
            outcome = state.library_file.merge(space.library(), _text(data, "fingerprint"), confirm=bool(data.get("confirm")))
        except LibraryChanged as exc:
            return {"refused": str(exc), "fingerprint": fingerprint(state.library_file.path)}
        return {"diff": outcome.diff, "summary": outcome.summary, "fingerprint": outcome.fingerprint,
                "written": outcome.written, "backup": outcome.backup}

    def api(work: Callable[[Workspace, dict[str, Any]], dict[str, Any]]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                data = await request.json()
            except ValueError:
                return JSONResponse({"error": "the body is not JSON"}, status_code=400)
            if not isinstance(data, dict):
                return JSONResponse({"error": "the body is not a JSON object"}, status_code=400)

            def run() -> dict[str, Any]:
                with state.lock:
                    try:
                        space = state.workspaces.get(str(data.get("workspace", "")))
                    except KeyError:
                        raise BadRequest("this page's workspace has expired: reload the page") from None
                    return work(space, data)

            try:
                return JSONResponse(await run_in_threadpool(run))
            except (BadRequest, StyleError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)

        return endpoint

    async def download(request: Request) -> Response:
        def run() -> tuple[str, str]:
            with state.lock:
                space = state.workspaces.get(request.query_params.get("workspace", ""))
                out = export(space, {"format": request.query_params.get("format")})
                return out["text"], out["filename"]

        try:
            text, filename = await run_in_threadpool(run)
        except (KeyError, BadRequest) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return Response(text, media_type="text/plain; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{filename}"'})

    routes = [
        Route("/", index),
        Route("/api/styles", styles),
        Route("/api/paste", api(paste), methods=["POST"]),
        Route("/api/preview", api(preview), methods=["POST"]),
        Route("/api/edit", api(edit), methods=["POST"]),
        Route("/api/remove", api(remove), methods=["POST"]),
        Route("/api/cite", api(citation), methods=["POST"]),
        Route("/api/export", api(export), methods=["POST"]),
        Route("/api/merge", api(merge_into_library), methods=["POST"]),
        Route("/api/download", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    guarded = LocalGuard(Starlette(routes=routes), token=token, allowed_hosts=allowed_hosts, max_body=max_body)
    guarded.state = state  # type: ignore[attr-defined]
    return guarded


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise BadRequest(f"{name!r} must be a string")
    return value


def _export_format(value: Any) -> str:
    if value not in EXPORTS:
        raise BadRequest(f"export format must be one of {', '.join(EXPORTS)}")
    return str(value)


__all__ = ["TOKEN_HEADER", "create_app"]
