"""Data-only document kinds: a template ``<name>.docx`` plus a schema ``<name>.schema.yaml``.

A new naskah dinas (nota dinas, undangan, ...) needs no Python: the schema names the
kind, says whether it takes a nomor from the register, and lists its fields; the
pydantic model is built from it here and the template is rendered by the shared path.

Schema (YAML)::

    kind: nota-dinas                 # CLI name (default: file name)
    title: Nota Dinas
    description: ...
    template: nota-dinas.docx        # default: <kind>.docx next to the schema
    numbered: true
    klasifikasi: "000.7.5"           # default kode klasifikasi (data may override)
    perihal: hal                     # field written as perihal in the register
    tujuan: kepada                   # field written as tujuan in the register
    fields:
      - {name: kepada, type: text, required: true, strip_prefix: "Yth."}
      - {name: tanggal, type: date, default: today}
      - {name: tembusan, type: list}
      - {name: penandatangan, type: pejabat, default: kepala}

Types: text, date, list (of text), number, pejabat (a key of [pejabat] in docgen.toml;
the template sees the official's jabatan, nama, pangkat, nip, atas_nama), records (a list
of records, each with its own ``fields:``, records inside records allowed). A number is
shown as ``tampil``: angka "1.500", banyaknya "1 (satu) SATUAN", rupiah "Rp 1.500.000
(satu juta lima ratus ribu rupiah)", terbilang; "-" when left out. ``tujuan`` may name a
field of each record ("pegawai.nama"). Templates also have the filters terbilang,
banyaknya, rupiah, diktum (KESATU), huruf (a), hari (Senin), tanggal_terbilang.

Also the small helpers the Python letter kinds share (officials, file names, register).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from .. import formatting, resources, terbilang
from ..datafile import Tanggal, load_yaml
from ..errors import ConfigError, DocgenError, InputError
from ..render import DocProps, new_doc_id, render
from . import Finding, Kind, MakeOptions, MakeResult

if TYPE_CHECKING:
    from ..workspace import Workspace

SCHEMA_SUFFIX = ".schema.yaml"
DOTS = "." * 30  # blank line a clerk fills in by hand


# --- helpers shared by the letter kinds ----------------------------------------

def pejabat_context(ws: Workspace, key: str, *, file: Path | None = None, field: str | None = None) -> dict[str, str]:
    """An official as templates see it: NIP grouped, "Plt." before the jabatan, a.n. above it."""
    return ws.pejabat(key, file=file, field=field).konteks()


DEFAULT_PEJABAT = "kepala"  # default signer key of the Python kinds


def check_pejabat(ws: Workspace | None, keys: dict[str, str], data: BaseModel | None = None) -> list[Finding]:
    """Findings for pejabat keys (field -> key) missing from docgen.toml. With ``data``,
    a field the file left out is told apart from one it wrote."""
    if ws is None:
        return []
    known = ", ".join(sorted(ws.config.pejabat))
    written = data.model_fields_set if data is not None else set()

    def fix(fld: str, key: str) -> str:
        if key == DEFAULT_PEJABAT and "[" not in fld and fld not in written:
            # the field was probably left out: say so, an office may have no key "kepala"
            return (f"{DEFAULT_PEJABAT!r} is the default when {fld} is left out; write "
                    f"`{fld}: KEY` with a key of [pejabat.*] in {ws.config_file}, or name "
                    f"the head there once: pimpinan = \"KEY\"")
        return f"use one of the keys of [pejabat.*] in {ws.config_file}"

    return [
        Finding("error", fld, f"unknown pejabat {key!r}; known: {known}", fix(fld, key))
        for fld, key in keys.items()
        if key not in ws.config.pejabat
    ]


def check_klasifikasi(ws: Workspace | None, kode: str, field: str = "klasifikasi") -> list[Finding]:
    """`docgen check` reports an unknown kode klasifikasi before any number is taken."""
    from ..errors import DocgenError
    from ..register import codes

    try:
        codes.check(codes.table(ws), kode, field=field,
                    izinkan_kode_lain=ws.config.penomoran.izinkan_kode_lain if ws else False)
    except DocgenError as exc:
        return [Finding("error", field, exc.message, exc.fix or "")]
    return []


def slug(text: str) -> str:
    """A file-name-safe form of a nomor (``000.7.5/15/Diskominfo/2026`` ->
    ``000.7.5-15-Diskominfo-2026``): case and dots kept, as the nomor is written."""
    return formatting.slug(text, 80, lower=False, keep=".")


_REGISTERS: dict[tuple[int, int, str], tuple[Any, Any]] = {}


def _register(ws: Workspace) -> Any:
    """One open Register per process, thread and workspace config: opening and closing
    the SQLite file for every letter costs more than rendering the letter."""
    from ..register import Register

    key = (os.getpid(), threading.get_ident(), str(ws.register_db))
    cached = _REGISTERS.get(key)
    if cached is not None and cached[0] is ws.config:
        return cached[1]
    if cached is not None:
        cached[1].close()
    reg = Register.for_workspace(ws)
    _REGISTERS[key] = (ws.config, reg)
    return reg


def numbered_path(out_dir: Path, kind: str, entry: Any, doc_id: str, *, overwrite: bool = False) -> Path:
    """Output file named after the nomor; the year is added when the number format has
    none, and an existing file (say, from a register that was reset) is never overwritten,
    except by the same letter made again (``overwrite``: it keeps its nomor)."""
    name = slug(entry.nomor)
    if str(entry.tahun) not in entry.nomor:
        name = f"{entry.tahun}-{name}"
    out = out_dir / f"{kind}-{name}.docx"
    return out_dir / f"{kind}-{name}-{doc_id}.docx" if out.exists() and not overwrite else out


@contextmanager
def numbered(ws: Workspace, *, klasifikasi: str, perihal: str, tujuan: str, jenis: str,
             doc_id: str, tanggal: dt.date | None = None, source: Path | None = None,
             sumber: str = "", replaces: Any = None) -> Iterator[Any]:
    """Take a nomor from the register; it is committed only if the block succeeds, so a
    failed render consumes no number. Register errors without a file name the data file."""
    try:
        with _register(ws).taking(
            klasifikasi=klasifikasi, perihal=perihal, tujuan=tujuan, jenis=jenis,
            doc_id=doc_id, tanggal=tanggal, sumber=sumber, replaces=replaces,
        ) as entry:
            yield entry
    except DocgenError as exc:
        if exc.file is None and source is not None:
            exc.file = str(source)
        raise


def backdating_notes(ws: Workspace, entry: Any) -> list[str]:
    """A warning when an earlier number of the same counter carries a later date."""
    later = _register(ws).dated_later_before(entry)
    if later is None:
        return []
    return [
        f"warning: nomor {entry.nomor} is dated {formatting.tanggal(entry.tanggal)}, but the earlier "
        f"nomor {later.nomor} is dated {formatting.tanggal(later.tanggal)}: the buku agenda runs "
        "backwards in time; check the tanggal of this letter (or void the number and take a new one)"
    ]


def pdf_or_undo(docx: list[Path], *, numbered_letter: bool = False) -> list[Path]:
    """Convert to PDF; if that fails, remove the DOCX (and any PDF made) so a failed
    `make --pdf` leaves nothing behind. Call it inside `numbered()` for a numbered
    kind, so the nomor is given back too."""
    from ..convert import convert

    try:
        return convert(docx)
    except DocgenError as exc:
        remove_quietly(docx + [d.with_suffix(".pdf") for d in docx])
        undone = "nothing was written" + (" and no nomor was taken" if numbered_letter else "")
        err = type(exc)(f"{exc.message}; {undone}", file=exc.file, field=exc.field,
                        fix=(exc.fix or "") + "; if LibreOffice itself fails, check "
                        "`soffice --headless --version` (or DOCGEN_SOFFICE), or make the DOCX without --pdf")
        raise err from None
    except BaseException:
        remove_quietly(docx + [d.with_suffix(".pdf") for d in docx])
        raise


def draft_nomor(ws: Workspace, tanggal: dt.date) -> str:
    """The nomor of a KONSEP: every part of the format left open except the year
    (``…/…/…/2026``), so nobody mistakes it for an issued number."""
    import string

    fmt = ws.config.penomoran.format
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(fmt):
        out.append(literal)
        if name is not None:
            out.append(str(tanggal.year) if name == "tahun" else "…")
    return "".join(out)


def source_key(ws: Workspace, source: Path) -> str:
    """A data file's identity in the register: its path relative to the workspace (POSIX
    slashes, so Windows and Linux agree), or its absolute path when it lies outside."""
    path = Path(source).resolve()
    try:
        return path.relative_to(ws.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def readable_name(kind: str, tanggal: dt.date, title: str) -> str:
    """``disposisi-2026-11-22-permintaan-data-kinerja``: kind, date, slug of the title."""
    words = formatting.slug(title, 60) if title else ""
    return f"{kind}-{tanggal.isoformat()}" + (f"-{words}" if words else "")


def _temp(path: Path) -> Path:
    """Where a numbered file is written until its number commits: a hidden name that
    no clerk mistakes for the letter (and `docgen` ignores)."""
    return path.with_name(f".{path.stem}.{os.getpid()}.konsep-tmp{path.suffix}")


def _move_into_place(pairs: list[tuple[Path, Path]]) -> None:
    for tmp, final in pairs:
        os.replace(tmp, final)


def make_numbered(
    ws: Workspace, opts: MakeOptions, *, jenis: str, klasifikasi: str, perihal: str, tujuan: str,
    tanggal: dt.date, props: DocProps, write: Any,
) -> MakeResult:
    """The one path of every numbered kind: draft, reuse, fresh number, temp names.

    ``write(out, props)`` renders the DOCX to ``out`` with ``props.nomor`` set. The files
    are written under temporary names and renamed only after the number commits, so a
    kill at any moment leaves no file carrying a number the register rolled back."""
    if opts.draft:
        props.nomor = draft_nomor(ws, tanggal)
        out = opts.out_dir / f"{readable_name(jenis, tanggal, perihal)}-konsep.docx"
        tmp = _temp(out)
        try:
            write(tmp, props)
            watermark_docx(tmp, props)
            pdf = [p for p in pdf_or_undo([tmp])] if opts.pdf else []
            pairs = [(tmp, out)] + ([(pdf[0], out.with_suffix(".pdf"))] if pdf else [])
            _move_into_place(pairs)
        finally:
            remove_quietly([tmp, tmp.with_suffix(".pdf")])
        return MakeResult(docx=[out], pdf=[out.with_suffix(".pdf")] if opts.pdf else [], nomor=props.nomor,
                          doc_ids=[props.doc_id], notes=["KONSEP: no nomor was taken from the register"])
    reg = _register(ws)
    key = source_key(ws, opts.source)
    old = reg.find_by_source(key)
    if old is not None and opts.nomor_baru is None:
        if old.tahun != tanggal.year or old.klasifikasi != klasifikasi.strip():
            raise InputError(
                f"this file already has nomor {old.nomor} (klasifikasi {old.klasifikasi}, {old.tahun}); "
                f"it now says klasifikasi {klasifikasi}, {tanggal.year}", file=opts.source,
                field="klasifikasi" if old.klasifikasi != klasifikasi.strip() else "tanggal",
                fix='to number it anew: --nomor-baru --alasan "TEXT" (voids the old nomor); '
                    "or restore the old value")
        props.nomor = old.nomor
        out = numbered_path(opts.out_dir, jenis, old, props.doc_id, overwrite=True)
        tmp = _temp(out)
        try:
            write(tmp, props)
            pdf = pdf_or_undo([tmp]) if opts.pdf else []
            entry = reg.correct(old, perihal=perihal, tujuan=tujuan, tanggal=tanggal)
            _move_into_place([(tmp, out)] + ([(pdf[0], out.with_suffix(".pdf"))] if pdf else []))
        finally:
            remove_quietly([tmp, tmp.with_suffix(".pdf")])
        result = MakeResult(docx=[out], pdf=[out.with_suffix(".pdf")] if opts.pdf else [], nomor=old.nomor,
                            doc_ids=[props.doc_id], reused=True,
                            notes=[f"nomor {old.nomor} kept: this file was numbered before "
                                   "(--nomor-baru --alasan TEXT for a new one)"])
        result.notes += backdating_notes(ws, entry)
        return result
    replaces = (old, opts.nomor_baru or "") if old is not None else None
    tmp_files: list[Path] = []
    try:
        with numbered(ws, klasifikasi=klasifikasi, perihal=perihal, tujuan=tujuan, jenis=jenis,
                      doc_id=props.doc_id, tanggal=tanggal, source=opts.source, sumber=key,
                      replaces=replaces) as entry:
            props.nomor = entry.nomor
            out = numbered_path(opts.out_dir, jenis, entry, props.doc_id)
            tmp = _temp(out)
            tmp_files = [tmp, tmp.with_suffix(".pdf")]
            write(tmp, props)
            # PDF inside the block: if LibreOffice fails, the nomor is given back
            pdf = pdf_or_undo([tmp], numbered_letter=True) if opts.pdf else []
        # committed: only now do the files get the names a clerk sends
        _move_into_place([(tmp, out)] + ([(pdf[0], out.with_suffix(".pdf"))] if pdf else []))
    finally:
        remove_quietly(tmp_files)
    notes = backdating_notes(ws, entry)
    if old is not None:
        notes.insert(0, f"nomor {old.nomor} is void ({opts.nomor_baru}); new nomor {entry.nomor}")
    return MakeResult(docx=[out], pdf=[out.with_suffix(".pdf")] if opts.pdf else [], nomor=entry.nomor,
                      doc_ids=[props.doc_id], notes=notes)


def watermark_docx(path: Path, props: DocProps) -> None:
    from ..oxml import watermark
    from ..render import read_package, write_package

    entries = read_package(Path(path))
    watermark.add(entries)
    write_package(entries, Path(path), props)


def remove_quietly(paths: list[Path]) -> None:
    """Undo partial output after a failure (nothing half-written stays behind)."""
    for p in paths:
        with suppress(FileNotFoundError):
            p.unlink()


# --- schema-defined kinds ----------------------------------------------------------

FieldType = Literal["text", "date", "list", "number", "pejabat", "records"]
Tampil = Literal["angka", "banyaknya", "rupiah", "terbilang"]


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    type: FieldType = "text"
    required: bool = False
    description: str = ""
    default: Any = None
    pilihan: list[str] = Field(default_factory=list, description="text fields: the only values allowed")
    # the template already writes e.g. "Yth."; a clerk who types it too would get "Yth. Yth."
    strip_prefix: str = Field("", description="text fields: a prefix the template writes itself")
    # numbers as letters write them: "1 (satu) berkas", "Rp 1.500.000 (satu juta ... rupiah)"
    tampil: Tampil = Field("angka", description="number fields: angka (1.500), banyaknya "
                           "(1 (satu) SATUAN), rupiah (Rp 1.500.000 (... rupiah)), terbilang")
    satuan: str = Field("", description="number fields shown as banyaknya: the unit")
    fields: list[FieldSpec] = Field(default_factory=list,
                                    description="records: the fields of one record (a list of them)")


FieldSpec.model_rebuild()


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    description: str = ""
    template: str = ""
    numbered: bool = False
    klasifikasi: str = ""
    perihal: str = "hal"
    tujuan: str = "kepada"  # a field; "pegawai.nama" for a field of each record
    fields: list[FieldSpec]


_PY_TYPES: dict[str, Any] = {"text": str, "date": Tanggal, "list": list[str], "number": Decimal, "pejabat": str}
_EMPTY: dict[str, Any] = {"text": "", "list": [], "pejabat": "kepala"}


def _records_model(spec: FieldSpec, owner: str) -> type[BaseModel]:
    name = owner + "".join(p.capitalize() for p in spec.name.split("_"))
    fields = {sub.name: _field(sub, name) for sub in spec.fields}
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _field(spec: FieldSpec, owner: str) -> tuple[Any, Any]:
    typ = _PY_TYPES[spec.type] if spec.type != "records" else list[_records_model(spec, owner)]  # type: ignore[misc]
    desc = spec.description or spec.name
    if spec.pilihan and spec.type == "text":
        typ = Literal.__getitem__(tuple(spec.pilihan))  # "Kilat" for sifat is an error, not printed
        if spec.default is None and not spec.required:
            spec = spec.model_copy(update={"default": spec.pilihan[0]})
    if spec.type == "pejabat":
        desc += " (key of [pejabat] in docgen.toml)"
    if spec.type == "records":
        desc += " (a list; each: " + ", ".join(f.name for f in spec.fields) + ")"
    if spec.required:
        if spec.type in ("list", "records"):  # a required list has at least one item
            return typ, Field(..., min_length=1, description=desc)
        return typ, Field(..., description=desc)
    if spec.type == "date":
        if spec.default in (None, "today"):
            return Tanggal | None, Field(None, description=desc + " (default: today)")
        return typ, Field(formatting.parse_tanggal(str(spec.default)), description=desc)
    if spec.type in ("list", "records"):
        default = list(spec.default or [])
        return typ, Field(default_factory=lambda: list(default), description=desc)
    if spec.type == "number":
        return Decimal | None, Field(spec.default, description=desc)
    default = spec.default if spec.default is not None else _EMPTY.get(spec.type, "")
    return typ, Field(default, description=desc)


def _model(schema: Schema, schema_file: Path) -> type[BaseModel]:
    name = "".join(part.capitalize() for part in schema.kind.split("-"))
    fields: dict[str, Any] = {}
    for spec in schema.fields:
        fields[spec.name] = _field(spec, name)
    if schema.numbered and "klasifikasi" not in fields:
        desc = "kode klasifikasi (Permendagri 83/2022) for the nomor"
        if schema.klasifikasi:
            fields["klasifikasi"] = (str, Field(schema.klasifikasi, description=desc + f" (default {schema.klasifikasi})"))
        else:
            fields["klasifikasi"] = (str, Field(..., description=desc))
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _check_specs(specs: list[FieldSpec], path: Path, where: str) -> None:
    names = [f.name for f in specs]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise ConfigError(f"field {dup!r} listed twice", file=path, field=where or "fields", fix="keep one")
    for f in specs:
        loc = f"{where}.{f.name}" if where else f.name
        if f.type == "records":
            if not f.fields:
                raise ConfigError("a records field needs the fields of one record", file=path, field=loc,
                                  fix="add `fields:` with at least one {name: ..., type: ...}")
            _check_specs(f.fields, path, loc)
        elif f.fields:
            raise ConfigError(f"only a records field has fields (this one is {f.type})", file=path,
                              field=loc, fix="write `type: records`, or drop `fields:`")


def load_schema(path: Path) -> Schema:
    data = load_yaml(path)
    if isinstance(data, dict):
        data.setdefault("kind", path.name.removesuffix(SCHEMA_SUFFIX))
    try:
        schema = Schema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(
            f"invalid kind schema: {err['msg']}", file=path, field=loc,
            fix="see the schema format in docgen/kinds/generic.py (or templates/nota-dinas.schema.yaml)",
        ) from None
    _check_specs(schema.fields, path, "")
    names = [f.name for f in schema.fields]
    by_name = {f.name: f for f in schema.fields}
    for attr in ("perihal", "tujuan"):
        ref = getattr(schema, attr)
        if not (schema.numbered and ref):
            continue
        head, _, sub = ref.partition(".")
        spec = by_name.get(head)
        if spec is None:
            raise ConfigError(
                f"{attr} names field {ref!r}, which the schema does not define",
                file=path, field=attr, fix=f"use one of: {', '.join(names)}",
            )
        if sub and (spec.type != "records" or sub not in {f.name for f in spec.fields}):
            raise ConfigError(f"{attr} names {ref!r}, but {head!r} has no records field {sub!r}",
                              file=path, field=attr, fix=f"use {head!r} or {head}.FIELD of its records")
    return schema


def _pejabat_keys(specs: list[FieldSpec], values: Any, prefix: str = "") -> dict[str, str]:
    """field path -> pejabat key, for every pejabat field given, records included."""
    out: dict[str, str] = {}
    for spec in specs:
        v = getattr(values, spec.name)
        if spec.type == "pejabat" and v:
            out[prefix + spec.name] = v
        elif spec.type == "records":
            for i, item in enumerate(v, start=1):
                out.update(_pejabat_keys(spec.fields, item, f"{prefix}{spec.name}[{i}]."))
    return out


def _number(spec: FieldSpec, v: Decimal | None) -> str:
    if v is None:
        return "-"  # "Lampiran: -" as letters write an absent count
    if spec.tampil == "banyaknya":
        return terbilang.banyaknya(v, spec.satuan)
    if spec.tampil == "rupiah":
        return terbilang.rupiah(v)
    if spec.tampil == "terbilang":
        return terbilang.terbilang(v)
    return formatting.angka(v)


def _context_value(ws: Workspace, spec: FieldSpec, v: Any, source: Path, where: str, top: bool) -> Any:
    """A field's value as templates see it: an official's jabatan/nama/nip, a number as
    letters write it, records as dicts of the same."""
    if spec.type == "pejabat":
        return pejabat_context(ws, v, file=source, field=where) if v else {}
    if spec.type == "date" and v is None:
        return dt.date.today() if top else None
    if spec.type == "number":
        return _number(spec, v)
    if spec.type == "text" and spec.strip_prefix:
        return strip_prefix(v, spec.strip_prefix)
    if spec.type == "records":
        return [{sub.name: _context_value(ws, sub, getattr(item, sub.name), source,
                                          f"{where}[{i}].{sub.name}", False)
                 for sub in spec.fields} for i, item in enumerate(v, start=1)]
    return v


def _register_text(ctx: dict[str, Any], ref: str) -> str:
    """perihal/tujuan for the buku agenda: a field, or a field of each record joined."""
    head, _, sub = ref.partition(".")
    v = ctx.get(head, "")
    if sub:
        return "; ".join(str(item.get(sub, "")) for item in v if item.get(sub))
    return _as_text(v)


def kind_from_schema(path: Path) -> Kind:
    schema = load_schema(path)
    template = path.parent / (schema.template or f"{schema.kind}.docx")
    model = _model(schema, path)

    def check(ws: Workspace | None, data: BaseModel) -> list[Finding]:
        out = check_pejabat(ws, _pejabat_keys(schema.fields, data), data)
        if schema.numbered:
            out += check_klasifikasi(ws, data.klasifikasi)
        return out

    def make(ws: Workspace, data: BaseModel, opts: MakeOptions) -> MakeResult:
        if not template.is_file():
            raise ConfigError(f"template {template.name} not found next to the schema", file=path,
                              field="template", fix=f"put {template.name} in {path.parent}")
        ctx: dict[str, Any] = {
            spec.name: _context_value(ws, spec, getattr(data, spec.name), opts.source, spec.name, True)
            for spec in schema.fields
        }
        if "klasifikasi" in model.model_fields:
            ctx["klasifikasi"] = data.klasifikasi
        props = DocProps(kind=schema.kind, doc_id=new_doc_id(), title=schema.title,
                         subject=_register_text(ctx, schema.perihal))
        tanggal = next((ctx[f.name] for f in schema.fields if f.type == "date"), dt.date.today())
        if not schema.numbered:
            out = opts.out_dir / f"{schema.kind}-{props.doc_id}.docx"
            render(ws, template, ctx, out, props)
            return MakeResult(docx=[out], doc_ids=[props.doc_id])
        return make_numbered(
            ws, opts, jenis=schema.kind, klasifikasi=data.klasifikasi,
            perihal=_register_text(ctx, schema.perihal), tujuan=_register_text(ctx, schema.tujuan),
            tanggal=tanggal, props=props, write=lambda out, p: render(ws, template, ctx, out, p))

    return Kind(
        name=schema.kind, title=schema.title, model=model, make=make, template=str(template),
        description=schema.description + f" [schema: {path}]", numbered=schema.numbered,
        check=check, example=f"{schema.kind}.yaml",
    )


def strip_prefix(text: str, prefix: str) -> str:
    """``"Yth. Kepala Inspektorat"`` -> ``"Kepala Inspektorat"`` for prefix "Yth." (any case,
    with or without the dot)."""
    word = re.escape(prefix.rstrip(". "))
    return re.sub(rf"^\s*{word}\b\.?\s*", "", text, flags=re.IGNORECASE)


def _as_text(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(map(str, v))
    return str(v)


_KIND_CACHE: dict[tuple[str, int, int], Kind] = {}


def _cached_kind(path: Path) -> Kind:
    """kind_from_schema, kept while the schema file is unchanged (building the pydantic
    model costs more than rendering a letter)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    kind = _KIND_CACHE.get(key)
    if kind is None:
        kind = _KIND_CACHE[key] = kind_from_schema(path)
    return kind


def discover(ws: Workspace | None) -> list[Kind]:
    """Kinds defined by ``*.schema.yaml``: the workspace's templates first, then the shipped."""
    folders = [ws.templates_dir] if ws is not None else []
    folders.append(resources.templates_dir())
    seen: dict[str, Kind] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{SCHEMA_SUFFIX}")):
            kind = _cached_kind(path)
            seen.setdefault(kind.name, kind)
    return list(seen.values())


__all__ = ["discover", "kind_from_schema", "pejabat_context", "numbered", "slug"]
