"""The csl layer extends citeproc-py's element classes, so it is tied to one version."""
from __future__ import annotations

import citeproc

PINNED_CITEPROC = "0.11.1"

if citeproc.__version__ != PINNED_CITEPROC:  # pragma: no cover - depends on the installation
    raise ImportError(
        f"bibtools.csl extends citeproc-py {PINNED_CITEPROC} (its element classes and internals); "
        f"citeproc-py {citeproc.__version__} is installed. "
        f"Install the tested version: pip install 'citeproc-py=={PINNED_CITEPROC}'"
    )
