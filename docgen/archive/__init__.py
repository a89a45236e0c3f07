"""The archive: watched inbox, numbered filing, catalog + full-text index, integrity.

Library entry points (the CLI in ``docgen.cli.archive`` is a thin shell over these):
    ingest(ws, paths)             file given PDFs through the pipeline -> [Result]
    watch(ws, polling=None)       watch the inbox until stopped
    search(ws, query, **filters)  ranked hits with snippets
    show(ws, ref)                 one entry (id, archive number, letter number or document id)
    verify(ws, deep=False)        integrity report (--deep: PDFs read and validated again)
    export(ws, year=None)         the Daftar Arsip as XLSX and DOCX
    reindex(ws)                   rebuild the full-text index from the archived PDFs
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import InputError
from ..workspace import Workspace
from .pipeline import Archive, Result
from .search import Filters, Hit
from .stages import StageError

__all__ = ["Archive", "Filters", "Hit", "Result", "StageError", "export", "ingest", "reindex",
           "search", "show", "verify", "watch"]


def ingest(ws: Workspace, paths: Iterable[Path], *, keep: bool = False, workers: int | None = None,
           on_result: Callable[[Result], None] | None = None) -> list[Result]:
    with Archive.open(ws) as arc:
        return arc.ingest(paths, keep=keep, workers=workers, on_result=on_result)


def watch(ws: Workspace, polling: bool | None = None, *,
          on_result: Callable[[Result], None] | None = None,
          on_event: Callable[[str], None] | None = None, stop=None):
    """Watch the inbox until ``stop`` (a threading.Event) is set, or Ctrl-C."""
    import threading

    from .watcher import Watcher

    with Archive.open(ws, recover=False) as arc:  # the watcher recovers after it starts
        arc.lock()
        w = Watcher(arc, polling=polling, on_result=on_result, on_event=on_event)
        if stop is not None:
            threading.Thread(target=lambda: (stop.wait(), w.stop()), daemon=True).start()
        w.run()
        return w.results


def search(ws: Workspace, query: str, *, limit: int = 20, **filters) -> list[Hit]:
    from .search import search as run

    with Archive.open(ws, recover=False) as arc:
        return run(arc.catalog.con, query, Filters(**filters), limit=limit)


def show(ws: Workspace, ref: str | int) -> dict:
    import json

    with Archive.open(ws, recover=False) as arc:
        row = arc.catalog.get(ref)
        if row is None:
            raise InputError(f"no archive entry {ref!r}",
                             fix="give an entry number, an archive number or a letter number; "
                                 "`docgen archive search` lists them")
        out = dict(row)
        for k in ("signatures", "info", "register"):
            out[k] = json.loads(out[k] or "null")
        out["file"] = str(arc.archive_dir / row["path"])
        out["file_present"] = (arc.archive_dir / row["path"]).is_file()
        if row["original_path"]:
            out["original_file"] = str(arc.archive_dir / row["original_path"])
        out.update(_letter_links(ws, arc.catalog, row, out["info"] or {}))
        return out


def _letter_links(ws: Workspace, catalog, row, info: dict) -> dict:
    """An incoming letter's agenda entry and the disposisi written on it; a disposisi's
    letter. Both ways, through the agenda number the disposisi carries."""
    if not ws.register_db.is_file():
        return {}
    from ..suratmasuk import Agenda

    with Agenda.for_workspace(ws) as book:
        letter = book.by_archive(row["id"])
        ref = info.get("DocgenSuratMasuk", "")
        if letter is None and ref:
            letter = book.get(ref)
    if letter is None:
        return {}
    out: dict = {"surat_masuk": {"agenda": letter.agenda, "nomor_surat": letter.nomor_surat,
                                 "asal": letter.asal, "perihal": letter.perihal,
                                 "arsip_no": letter.arsip_no, "status": letter.status}}
    if not ref:  # the letter itself: list its disposisi
        rows = catalog.con.execute(
            "SELECT id, archive_no, title, info FROM entries WHERE state='filed' AND kind='disposisi' "
            "AND info LIKE ? ORDER BY id", (f'%"DocgenSuratMasuk": "{letter.agenda}"%',)).fetchall()
        out["disposisi"] = [{"id": r["id"], "archive_no": r["archive_no"], "title": r["title"]}
                            for r in rows]
    return out


def verify(ws: Workspace, *, hashes: bool = True, deep: bool = False, workers: int | None = None):
    """Everything the archive claims, checked (see ``integrity``); ``deep`` reads every PDF
    again and validates its signatures again."""
    from .integrity import verify as run

    # Read-only: works beside a running watcher; an interrupted entry shows as "pending".
    with Archive.open(ws, recover=False) as arc:
        return run(arc.catalog, arc.archive_dir, hashes=hashes, deep=deep, settings=arc.settings(),
                   seal=arc.seal.check, workers=workers)


def export(ws: Workspace, *, year: int | None = None, out_dir: Path | None = None) -> list[Path]:
    from .daftar import export as run  # module not named export: it would shadow this function

    with Archive.open(ws, recover=False) as arc:
        if year:
            rows = arc.catalog.con.execute(
                "SELECT * FROM entries WHERE state='filed' AND doc_date >= ? AND doc_date < ? "
                "ORDER BY doc_date, id", (f"{year:04d}-01-01", f"{year + 1:04d}-01-01")).fetchall()
        else:
            rows = arc.catalog.con.execute(
                "SELECT * FROM entries WHERE state='filed' ORDER BY doc_date, id").fetchall()
        return run(rows, out_dir or ws.output_dir, ws.config.kop.instansi, year,
                   kertas=ws.config.kertas.ukuran)


def reindex(ws: Workspace, *, workers: int | None = None) -> tuple[int, list[str]]:
    """Rebuild the full-text index from the text read again from each archived PDF (never
    from the stored text, which an edit could have forged). Returns (entries indexed,
    warnings: entries whose PDF is gone or unreadable, or whose stored text differs)."""
    from .rederive import prepare_rows

    with Archive.open(ws, recover=False) as arc:
        rows = arc.catalog.entries(state=None)
        texts: dict[int, str] = {}
        warnings = []
        for row, prep in prepare_rows(arc.archive_dir, rows, arc.settings(), workers):
            where = f"entry {row['id']} ({row['archive_no']})"
            if prep is None or isinstance(prep, StageError):
                why = "its file is missing" if prep is None else f"its PDF cannot be read: {prep.reason}"
                warnings.append(f"{where}: not indexed, {why}; run `docgen archive verify`")
                continue
            texts[row["id"]] = prep.text
            if prep.text != arc.catalog.text(row["id"]):
                warnings.append(f"{where}: the stored text differs from its PDF's; indexed the "
                                "PDF's text; run `docgen archive verify`")
        return arc.catalog.reindex(texts), warnings
