"""Read archived PDFs again and compare what they give with what the catalog says.

`archive verify` uses it to name the edited field of an entry whose hash no longer matches
(and, with --deep, on every entry: the signatures validated again); `archive reindex` uses it
to index the text read from the PDF, never the stored one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from . import stages
from .catalog import derived_columns
from .stages import Prepared, Settings, StageError

# Columns re-derived from the PDF (and the register link), compared one by one.
DERIVED = ("sha256", "size", "pages", "title", "subject", "doc_id", "letter_no", "letter_no_norm",
           "kind", "classification", "doc_date", "signed", "sig_valid", "sig_trusted", "signer",
           "signing_time", "info")
# What a signature's record says that a new validation must say again (the summary's wording
# may change between docgen versions, the verdict may not).
SIG_KEYS = ("kind", "signer", "intact", "valid", "trusted", "modified_after", "signing_time",
            "timestamp")
# Fields no PDF can confirm: only the hash chain covers them.
NOT_IN_PDF = ("id", "archive_no", "year", "seq", "path", "original_name", "filed_at", "register",
              "claimed", "original_path", "original_sha256")


@dataclass
class Difference:
    field: str
    stored: object
    derived: object

    def message(self, source: str = "the PDF gives") -> str:
        return f"{self.field}: the catalog says {_show(self.stored)}, {source} {_show(self.derived)}"


def _show(v: object) -> str:
    s = repr(v)
    return s if len(s) <= 120 else s[:117] + "..."


def prepare_rows(archive_dir: Path, rows: Sequence[sqlite3.Row], settings: Settings,
                 workers: int | None = None) -> Iterator[tuple[sqlite3.Row, Prepared | StageError | None]]:
    """(row, what the read stages find in its archived PDF now); None when the file is gone."""
    present = {r["id"] for r in rows if (archive_dir / r["path"]).is_file()}
    todo = [r for r in rows if r["id"] in present]
    paths, names = [str(archive_dir / r["path"]) for r in todo], [r["original_name"] for r in todo]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(todo) >= 16 else 1
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        results = iter(pool.map(stages.prepare, paths, names, repeat(settings), chunksize=8) if pool
                       else map(stages.prepare, paths, names, repeat(settings)))
        for r in rows:
            yield r, (next(results) if r["id"] in present else None)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def compare(row: sqlite3.Row, prep: Prepared, stored_text: str | None) -> list[Difference]:
    """The fields of ``row`` (and its stored text) that the PDF does not give again."""
    register = json.loads(row["register"] or "{}")
    filed = dt.date.fromisoformat(row["filed_at"][:10])
    derived = derived_columns(prep, register, filed)
    diffs = []
    for k in DERIVED:
        stored, again = row[k], derived[k]
        if k == "info":
            stored, again = _json(stored), json.loads(again)
        if stored != again:
            diffs.append(Difference(k, stored, again))
    diffs += compare_signatures(_json(row["signatures"]) or [], prep.signatures)
    if stored_text is not None and stored_text != prep.text:
        diffs.append(Difference("text", _excerpt(stored_text, prep.text), _excerpt(prep.text, stored_text)))
    return diffs


def compare_signatures(stored: list, again: list[dict]) -> list[Difference]:
    if not isinstance(stored, list) or len(stored) != len(again):
        n = len(stored) if isinstance(stored, list) else stored
        return [Difference("signatures", f"{n} signature(s)", f"{len(again)} signature(s)")]
    out = []
    for i, (a, b) in enumerate(zip(stored, again, strict=True), start=1):
        for k in SIG_KEYS:
            va = a.get(k, "signature" if k == "kind" else None) if isinstance(a, dict) else a
            vb = b.get(k, "signature" if k == "kind" else None)
            if k in ("signing_time", "timestamp"):
                va, vb = va or "", vb or ""
            if va != vb:
                out.append(Difference(f"signatures[{i}].{k}", va, vb))
    return out


def _json(s: str | None):
    try:
        return json.loads(s or "null")
    except ValueError:
        return s


def _excerpt(a: str, b: str) -> str:
    """Where ``a`` first differs from ``b``: a few words around it."""
    i = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, i - 20)
    return ("…" if start else "") + " ".join(a[start:i + 40].split()) + ("…" if i + 40 < len(a) else "")
