"""`docgen make` / `docgen check` as library calls: load, validate, render, convert."""

from __future__ import annotations

from pathlib import Path

from . import convert, datafile
from .kinds import Finding, MakeOptions, MakeResult, get
from .workspace import Workspace


def load(ws: Workspace | None, kind_name: str, file: str | Path):
    kind = get(kind_name, ws)
    data = datafile.load_model(kind.model, file)
    return kind, data


def check(ws: Workspace | None, kind_name: str, file: str | Path) -> list[Finding]:
    kind, data = load(ws, kind_name, file)
    return kind.check(ws, data) if kind.check else []


def make(
    ws: Workspace, kind_name: str, file: str | Path, out_dir: str | Path | None = None, *, pdf: bool = False
) -> MakeResult:
    kind, data = load(ws, kind_name, file)
    if kind.check:
        errors = [f for f in kind.check(ws, data) if f.level == "error"]
        if errors:
            from .errors import InputError

            e = errors[0]
            more = f" (and {len(errors) - 1} more; run `docgen check {kind_name} {file}`)" if len(errors) > 1 else ""
            raise InputError(e.message + more, file=file, field=e.field, fix=e.fix or None)
    opts = MakeOptions(source=Path(file), out_dir=Path(out_dir) if out_dir else ws.output_dir, pdf=pdf)
    if pdf:
        convert.require_soffice()  # fail before anything is numbered or written
    result = kind.make(ws, data, opts)
    if pdf and result.docx and not result.pdf:
        from .kinds.generic import pdf_or_undo

        result.pdf = pdf_or_undo(result.docx)  # a failed conversion leaves no DOCX behind
    return result
