"""`docgen make` / `docgen check` as library calls: load, validate, render, convert."""

from __future__ import annotations

from pathlib import Path

from . import convert, datafile, office
from .errors import InputError
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


def make(
    ws: Workspace, kind_name: str, file: str | Path, out_dir: str | Path | None = None, *, pdf: bool = False
) -> MakeResult:
    kind, data = load(ws, kind_name, file)
    office.check_kop(ws)  # never Kediri's address on another office's letter
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
