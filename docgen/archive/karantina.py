"""The quarantine folder as a list: each refused file with the reason the pipeline wrote.

The reason file (``<name>.alasan.txt``, written by ``Archive.quarantine``) is the record;
retrying a file sends it through the same pipeline again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..workspace import Workspace
from .stages import is_junk, relative_name, walk_files

REASON_SUFFIX = ".alasan.txt"
_KEYS = {"Refused at": "when", "Stage": "stage", "Reason": "reason", "What to do": "fix"}


@dataclass
class Item:
    name: str  # relative to the quarantine folder, '/' separated
    path: Path
    size: int
    when: str = ""
    stage: str = ""
    reason: str = ""
    fix: str = ""


def _reason(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in _KEYS:
            out[_KEYS[key.strip()]] = value.strip()
    return out


def items(ws: Workspace) -> list[Item]:
    """The refused files, newest first."""
    root = ws.quarantine_dir
    if not root.is_dir():
        return []
    out = []
    for f in walk_files(root):
        if f.name.endswith(REASON_SUFFIX) or is_junk(f.name) or f.name.endswith(".tmp"):
            continue
        info = _reason(f.with_name(f.name + REASON_SUFFIX))
        try:
            size = f.stat().st_size
        except OSError:
            continue
        if not info.get("when"):
            info["when"] = dt.datetime.fromtimestamp(f.stat().st_mtime).replace(microsecond=0).isoformat()
        out.append(Item(name=relative_name(f, root), path=f, size=size, **info))
    out.sort(key=lambda i: i.when, reverse=True)
    return out


def find(ws: Workspace, name: str) -> Item:
    """One quarantined file by its name in the list (never a path outside the folder)."""
    for item in items(ws):
        if item.name == name:
            return item
    raise InputError(f"{name!r} is not in the quarantine folder", file=ws.quarantine_dir,
                     fix="choose a file from the karantina list")


def retry(ws: Workspace, name: str):
    """File a quarantined file again, after it was fixed (or the settings were)."""
    from . import ingest

    item = find(ws, name)
    return ingest(ws, [item.path])[0]
