"""Collect the filled permintaan-data forms into the rekap of their period.

``collect(ws, paths, periode=None)`` reads every form, checks all of them, and only
when there is no problem at all writes anything (policy: a run with errors writes
nothing, so a half-corrected batch never mixes into the rekap). Problems are raised
together as one :class:`CollectError` listing each with file, row and column.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import formatting
from ..errors import InputError
from . import rekap as rekap_mod
from .reader import expand, open_elsewhere, read_form, subfolders
from .validate import Entry, Problem, ValidForm, check_duplicates, check_form, newer_period

__all__ = ["CollectError", "CollectResult", "collect"]


class CollectError(InputError):
    """One or more forms are wrong; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n    ".join(str(p) for p in problems)
        super().__init__(
            f"{len(problems)} problem(s) in the forms, nothing was written:\n    {lines}",
            fix="correct the forms listed (or leave them out) and run `docgen collect` again",
        )


@dataclass
class CollectResult:
    forms: list[Path] = field(default_factory=list)          # accepted forms
    rekap: dict[str, dict[str, Any]] = field(default_factory=dict)  # periode -> rekap JSON
    outputs: list[Path] = field(default_factory=list)        # rekap JSON + XLSX written
    notes: list[str] = field(default_factory=list)


def collect(ws: Any, paths: Sequence[str | Path], periode: str | None = None,
            out_dir: Path | None = None) -> CollectResult:
    files = expand(list(paths))
    if not files:
        raise InputError("no .docx or .xlsx forms found", file=", ".join(map(str, paths)),
                         fix="give the filled forms, or the folder holding them")
    with tempfile.TemporaryDirectory(prefix="docgen-collect-") as tmp:
        return _collect(ws, paths, files, periode, out_dir, Path(tmp))


def _collect(ws: Any, paths: Sequence[str | Path], files: list[Path], periode: str | None,
             out_dir: Path | None, convert_dir: Path) -> CollectResult:
    problems: list[Problem] = []
    valid: list[ValidForm] = []
    for f in files:
        try:
            form = read_form(f, convert_dir)
        except InputError as exc:
            problems.append(Problem(f.name, exc.message, fix=exc.fix or ""))
            continue
        v, probs = check_form(form, ws.data_dir, periode)
        problems += probs
        if v:
            valid.append(v)
    copies: list[str] = []
    valid, dup = check_duplicates(valid, copies)
    problems += dup
    if problems:
        raise CollectError(problems)

    by_period: dict[str, list[ValidForm]] = {}
    for v in valid:
        by_period.setdefault(v.manifest["periode"], []).append(v)
    result = CollectResult(forms=[v.form.path for v in valid], notes=copies)
    for d, n in subfolders(list(paths)):
        result.notes.append(f"subfolder {d.name}/ not read ({n} file(s) in it): to collect the "
                            f"forms in it, give it too (`docgen collect \"{d}\"`) or move them up")
    for form, lock in dict(open_elsewhere(list(paths))).items():  # one note per form
        result.notes.append(
            f"{form.name} is open in Word, Excel or LibreOffice ({lock.name} is next to it): what "
            "is not saved yet is not collected; save and close it, then collect again if it changed")
    for v in valid:
        newer = newer_period(ws.data_dir, v.manifest)
        if newer and not periode:
            result.notes.append(
                f"{v.form.path.name} is the form of {v.manifest.get('periode_label')} "
                f"({v.manifest['periode']}), collected into that period; {v.manifest.get('bidang_nama')} "
                f"was sent a later form, of {newer.get('periode_label')}: if they filled the old "
                f"file with new figures, ask for the form of {newer.get('periode_label')}")
        outside: dict[str, list[tuple[int, str, str]]] = {}  # one note per added column
        for row in v.form.rows:
            for column, cell, text in row.outside:
                outside.setdefault(column, []).append((row.number, cell, text))
        for column, found in outside.items():
            if len(found) == 1:
                n, cell, text = found[0]
                text = text if len(text) <= 60 else text[:57] + "..."
                where = f"row {n}" + (f" (cell {cell})" if cell else "") + f", {column}: {text!r}"
            else:
                where = f"{column}, rows " + ", ".join(str(n) for n, _, _ in found)
            result.notes.append(f"{v.form.path.name}: {where}: outside the form's columns, not "
                                "collected (put it in Keterangan/Kendala if the rekap needs it)")
        if v.form.below:  # e.g. a place, date and signature; said, in case it was a note
            where = (f"sheet row(s) {', '.join(v.form.below)}" if all(v.form.below)
                     else f"{len(v.form.below)} table row(s)")
            result.notes.append(f"{v.form.path.name}: text under the indicator rows ({where}) "
                                "is not collected")
        for e in v.entries:
            if _looks_like_fraction(e):
                result.notes.append(
                    f"{v.form.path.name}: row {e.no}, Realisasi {formatting.angka(e.realisasi)}% "
                    f"against a target of {formatting.angka(e.target)}%: a fraction typed for a "
                    f"percentage? ({formatting.angka(e.realisasi * 100)}% was perhaps meant; "
                    "ask the Bidang and collect the corrected form)")
        if v.form.read is not None:
            result.notes.append(f"{v.form.path.name}: saved as {v.form.saved_by}, read after "
                                f"converting it to .{v.form.format} with LibreOffice")
    pending: list[tuple[Path, Path]] = []
    stale: list[Path] = []
    try:
        for per, forms in by_period.items():
            stored = []
            for v in forms:
                tmp, final = rekap_mod.store_form(ws, per, v)
                pending.append((tmp, final))
                stored.append((v, final))
                # the Bidang's earlier copy in the other format (xlsx after docx)
                stale += [p for p in final.parent.glob(f"{v.manifest['bidang']}.*") if p != final]
                old = (rekap_mod.load(ws, per) or {}).get("bidang", {}).get(v.manifest["bidang"])
                if old:  # a corrected form sent again: say so, and what it changed
                    changed = sum(
                        1 for o, e in zip(old.get("rows", []), v.entries, strict=False)
                        if o.get("realisasi") != (None if e.realisasi is None else float(e.realisasi))
                        or o.get("keterangan") != e.keterangan)
                    other = f"form {old['doc_id']}, " if old["doc_id"] != v.manifest["doc_id"] else ""
                    result.notes.append(
                        f"{v.form.path.name}: replaces what {old.get('bidang_nama', v.manifest['bidang'])} "
                        f"sent before ({other}{old.get('asal', '')}); {changed} row(s) changed")
            data = rekap_mod.merge(ws, per, stored)
            pending.append(rekap_mod.write_json(ws, data))
            pending.append(rekap_mod.write_xlsx(ws, data, out_dir))
            result.rekap[per] = data
    except BaseException:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        raise
    # Everything is prepared: the renames are the only step left.
    for tmp, final in pending:
        rekap_mod.replace(tmp, final)
    for p in stale:
        p.unlink(missing_ok=True)
    for per in result.rekap:
        result.outputs += [rekap_mod.json_path(ws, per), rekap_mod.xlsx_path(ws, per, out_dir)]
    return result


def _looks_like_fraction(e: Entry) -> bool:
    """0,8 in a row counted in % with a target of 80: Excel's "80%" read from a cell
    formatted as a plain number. Said, not refused: a real 0,8% is possible."""
    return (e.satuan.strip() in ("%", "persen") and e.realisasi is not None and e.target is not None
            and 0 < e.realisasi <= 1 and e.target >= 10)
