"""Entries by document id: what the public verification page (/v/<doc id>) asks."""

from __future__ import annotations

import json

from ..workspace import Workspace
from .pipeline import Archive


def by_doc_id(ws: Workspace, doc_id: str) -> list[dict]:
    """The filed entries carrying this document id, signed ones first, newest first
    (a letter is often filed unsigned, then signed)."""
    doc_id = (doc_id or "").strip()
    if not doc_id:
        return []
    with Archive.open(ws, recover=False) as arc:
        rows = arc.catalog.con.execute(
            "SELECT * FROM entries WHERE doc_id = ? AND state = 'filed' "
            "ORDER BY signed DESC, id DESC", (doc_id,)).fetchall()
    out = []
    for row in rows:
        d = dict(row)
        for k in ("signatures", "info", "register"):
            d[k] = json.loads(d[k] or "null")
        out.append(d)
    return out
