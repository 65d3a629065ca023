"""``bibtools serve``: a local web page to paste references, preview them in any CSL style,
copy them as rich text or BibTeX/BibLaTeX/CSL-JSON/RIS, and merge them into a library.

Needs the ``serve`` extra (starlette, uvicorn, jinja2): ``pip install 'bibtools[serve]'``.
"""
from .app import create_app
from .guard import TOKEN_HEADER, LocalGuard
from .runner import LiveServer

__all__ = ["LiveServer", "LocalGuard", "TOKEN_HEADER", "create_app"]
