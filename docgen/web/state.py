"""The workspace the server serves, reloaded when docgen.toml changes."""

from __future__ import annotations

import threading

from ..workspace import CONFIG_NAME, Workspace, load

_lock = threading.Lock()
_cache: dict[str, tuple[int, Workspace]] = {}


def ws() -> Workspace:
    from django.conf import settings

    root = settings.DOCGEN_WORKSPACE
    from pathlib import Path

    mtime = (Path(root) / CONFIG_NAME).stat().st_mtime_ns
    with _lock:
        hit = _cache.get(root)
        if hit is None or hit[0] != mtime:
            hit = _cache[root] = (mtime, load(root))
        return hit[1]
