"""`docgen make` / `docgen check` as library calls: load, validate, render, convert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import convert, datafile, office
from .errors import InputError, NeedsConfirmation
from .kinds import Finding, MakeOptions, MakeResult, all_kinds, get
from .workspace import Workspace


def load(ws: Workspace | None, kind_name: str, file: str | Path):
    kind = get(kind_name, ws)
    raw = datafile.load_yaml(file)
    try:
        data = datafile.validate(kind.model, raw, file)
    except InputError as exc:
        other = _kind_of(ws, raw, kind_name)
        if other:
            exc.fix = f"this looks like a {other} file: `docgen make {other} {file}`; or {exc.fix}"
        raise
    return kind, data


def _kind_of(ws: Workspace | None, raw: object, not_this: str) -> str | None:
    """The other kind whose fields the data file uses, when the clerk named the wrong kind."""
    if not isinstance(raw, dict) or not raw:
        return None
    for name, k in all_kinds(ws).items():
        fields = getattr(k.model, "model_fields", {})
        required = {n for n, f in fields.items() if f.is_required()}
        if name != not_this and set(raw) <= set(fields) and required <= set(raw):
            return name
    return None


def check(ws: Workspace | None, kind_name: str, file: str | Path) -> list[Finding]:
    kind, data = load(ws, kind_name, file)
    return kind.check(ws, data) if kind.check else []


def _letter_date(data: object) -> dt.date:
    """The letter's date as the numbered kinds take it: the first date field, else today."""
    for name in getattr(type(data), "model_fields", {}):
        v = getattr(data, name, None)
        if isinstance(v, dt.date):
            return v
    return dt.date.today()


def preflight(ws: Workspace, kind_name: str, file: str | Path) -> list[Finding]:
    """The warnings a clerk must see before a number is taken (back-dating); takes nothing."""
    kind, data = load(ws, kind_name, file)
    if not kind.numbered or not getattr(data, "klasifikasi", None):
        return []
    from .kinds.generic import _register, source_key

    reg = _register(ws)
    tanggal = _letter_date(data)
    if reg.find_by_source(source_key(ws, Path(file))) is not None:
        return []  # keeps its nomor: nothing new enters the buku agenda's order
    later = reg.dated_after(tanggal, klasifikasi=data.klasifikasi)
    if later is None:
        return []
    from .formatting import tanggal as fmt

    return [Finding("warning", "tanggal",
                    f"the letter is dated {fmt(tanggal)}, but nomor {later.nomor} of the same counter is "
                    f"dated {fmt(later.tanggal)}: the buku agenda would run backwards in time",
                    "check the tanggal; run again with --yes to number it anyway")]


def make(
    ws: Workspace, kind_name: str, file: str | Path, out_dir: str | Path | None = None, *, pdf: bool = False,
    draft: bool = False, nomor_baru: str | None = None, yes: bool = False,
) -> MakeResult:
    """Make one document. ``draft``: a KONSEP, no number taken. ``nomor_baru``: the reason
    to void the file's earlier nomor and take a new one. Warnings found before numbering
    raise NeedsConfirmation unless ``yes``."""
    kind, data = load(ws, kind_name, file)
    if nomor_baru is not None and not nomor_baru.strip():
        raise InputError("--nomor-baru voids the old nomor and needs a reason", file=file, field="alasan",
                         fix='add --alasan "TEXT", e.g. --alasan "salah tujuan"')
    office.check_kop(ws)  # never Kediri's address on another office's letter
    if kind.check:
        errors = [f for f in kind.check(ws, data) if f.level == "error"]
        if errors:
            e = errors[0]
            more = f" (and {len(errors) - 1} more; run `docgen check {kind_name} {file}`)" if len(errors) > 1 else ""
            raise InputError(e.message + more, file=file, field=e.field, fix=e.fix or None)
    if kind.numbered and not draft and not yes:
        warnings = preflight(ws, kind_name, file)
        if warnings:
            raise NeedsConfirmation("; ".join(w.message for w in warnings), warnings, file=file,
                                    field=warnings[0].field, fix=warnings[0].fix)
    opts = MakeOptions(source=Path(file), out_dir=Path(out_dir) if out_dir else ws.output_dir, pdf=pdf,
                       draft=draft, nomor_baru=nomor_baru)
    if pdf:
        convert.require_soffice()  # fail before anything is numbered or written
    result = kind.make(ws, data, opts)
    if pdf and result.docx and not result.pdf:
        from .kinds.generic import pdf_or_undo

        result.pdf = pdf_or_undo(result.docx)  # a failed conversion leaves no DOCX behind
    return result
