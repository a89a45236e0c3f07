"""The form of a document kind, generated from its schema (the kind's pydantic model).

The form reads and writes the same data the YAML file holds: ``fields(...)`` turns the
model and a data dict into widgets, ``parse(...)`` turns the posted form back into the
dict that is saved as the YAML file the CLI reads. Choices come from the workspace: a
field described as a key of [pejabat] or [bidang] is a choice of them, ``klasifikasi``
a searchable code, a field with a ``pilihan_<name>`` list a choice of those.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel

from ..workspace import Workspace

# text fields written as paragraphs
_PANJANG = {"catatan", "isi", "pembuka", "penutup", "teks", "uraian_tugas"}

# labels a clerk reads; any other field is labelled from its own (Indonesian) name
LABEL = {
    "klasifikasi": "Kode klasifikasi", "perihal": "Perihal", "hal": "Hal", "kepada": "Kepada Yth.",
    "di": "Di", "tanggal": "Tanggal", "naskah": "Naskah yang dikirim", "penandatangan": "Penandatangan",
    "penerima": "Penerima", "diterima_tanggal": "Tanggal diterima", "tembusan": "Tembusan",
    "nip": "NIP", "uraian": "Uraian", "banyaknya": "Banyaknya", "keterangan": "Keterangan",
    "jabatan": "Jabatan", "nama": "Nama", "surat_dari": "Surat dari", "nomor_surat": "Nomor surat",
    "tanggal_surat": "Tanggal surat", "nomor_agenda": "Nomor agenda", "sifat": "Sifat",
    "diteruskan_kepada": "Diteruskan kepada", "harap": "Dengan hormat harap", "catatan": "Catatan",
    "pendisposisi": "Pendisposisi", "isi": "Isi", "lampiran": "Lampiran", "dari": "Dari",
}


@dataclass
class Widget:
    path: str  # form name: "naskah.0.uraian"
    name: str
    label: str
    tipe: str  # text textarea date number bool select multi lines klasifikasi group records
    required: bool = False
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Widget] = field(default_factory=list)  # group
    rows: list[list[Widget]] = field(default_factory=list)  # records
    errors: list[str] = field(default_factory=list)
    optional: bool = False  # a group that may be left out (shown folded when empty)
    filled: bool = False

    @property
    def lines_text(self) -> str:
        return "\n".join(map(str, self.value or []))

    @property
    def values(self) -> list[str]:
        return [str(v) for v in (self.value or [])]


def label(name: str) -> str:
    return LABEL.get(name) or name.replace("_", " ").capitalize()


def _unwrap(tp: Any) -> Any:
    """X | None -> X; Annotated[X, ...] -> X; a union of str and a model -> str."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a
                    for a in typing.get_args(tp)]
            args = [a for a in args if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
            if dt.date in args:
                return dt.date
            if str in args:
                return str
            return args[0]
        return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _key_choice(ws: Workspace, desc: str) -> list[tuple[str, str]] | None:
    if "[pejabat" in desc:
        return [(k, f"{p.jabatan} ({p.nama})") for k, p in ws.config.pejabat.items()
                if not (k == "kepala" and ws.config.pimpinan not in (None, "kepala"))]
    if "[bidang" in desc:
        return [(k, b.nama) for k, b in ws.config.bidang.items()]
    return None


def _default(info: Any) -> Any:
    if info.is_required():
        return None
    try:
        return info.get_default(call_default_factory=True)
    except Exception:  # noqa: BLE001 - a factory needing data: no default to show
        return None


def fields(ws: Workspace, model: type[BaseModel], data: dict | None, errors: dict[str, list[str]],
           prefix: str = "", extra_rows: int = 1) -> list[Widget]:
    data = data if isinstance(data, dict) else {}
    out = []
    names = model.model_fields
    # the kode klasifikasi first: it decides the nomor (data-only kinds add it last)
    order = sorted(names, key=lambda n: n != "klasifikasi")
    for name in order:
        info = names[name]
        if name.startswith("pilihan_"):
            continue  # the options themselves: data, not something to fill in per letter
        path = f"{prefix}{name}"
        tp = _unwrap(info.annotation)
        desc = info.description or ""
        required = info.is_required()
        value = data.get(name)
        w = Widget(path=path, name=name, label=label(name), tipe="text", required=required)
        w.errors = errors.get(path, [])
        origin = typing.get_origin(tp)
        pilihan = f"pilihan_{name}"
        if origin is list:
            item = _unwrap(typing.get_args(tp)[0]) if typing.get_args(tp) else str
            if _is_model(item):
                w.tipe = "records"
                rows = value if isinstance(value, list) else []
                n = len(rows) + extra_rows if not rows or extra_rows else len(rows)
                for i in range(max(n, 1)):
                    row = rows[i] if i < len(rows) else {}
                    w.rows.append(fields(ws, item, row, errors, f"{path}.{i}.", extra_rows))
            else:
                choices = _key_choice(ws, desc)
                if choices is None and pilihan in names:
                    opts = _default(names[pilihan]) or []
                    choices = [(o, o) for o in opts]
                if choices is not None:
                    w.tipe, w.choices = "multi", choices
                else:
                    w.tipe = "lines"
                w.value = value if isinstance(value, list) else ([] if value is None else [value])
        elif _is_model(tp):
            w.tipe = "group"
            w.children = fields(ws, tp, value if isinstance(value, dict) else {}, errors, f"{path}.",
                                extra_rows)
            w.optional = _optional(info)
            w.filled = bool(value) or any(p.startswith(f"{path}.") for p in errors)
        elif typing.get_origin(tp) is Literal:
            w.tipe = "select"
            w.choices = [(str(a), str(a)) for a in typing.get_args(tp)]
            w.value = value if value is not None else (_default(info) or "")
        elif tp is bool:
            w.tipe = "bool"
            w.value = bool(value) if value is not None else bool(_default(info))
        elif tp is dt.date:
            w.tipe = "date"
            w.value = value.isoformat() if isinstance(value, dt.date) else (value or "")
        elif tp in (int, float, Decimal):
            w.tipe = "number"
            w.value = "" if value is None else str(value)
        else:
            choices = _key_choice(ws, desc)
            if name == "klasifikasi":
                w.tipe = "klasifikasi"
            elif choices is not None:
                w.tipe, w.choices = "select", [("", "—")] + choices if not required else choices
                if value is None:
                    value = _default(info) or ""
            elif pilihan in names:
                w.tipe = "select"
                w.choices = [(o, o) for o in (_default(names[pilihan]) or [])]
                if value is None:
                    value = _default(info) or ""
            elif name in _PANJANG or "lines" in desc or "paragraph" in desc:
                w.tipe = "textarea"
            if value is None:
                d = _default(info)
                value = d if isinstance(d, str) and w.tipe != "klasifikasi" else (d or "")
            w.value = "" if value is None else str(value)
        out.append(w)
    return out


def _number(text: str) -> Any:
    t = text.strip().replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", t):  # 1.500.000,50 as Indonesians write it
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return text  # the schema says what is wrong with it
    return int(d) if d == d.to_integral_value() else float(d)


def _optional(info: Any) -> bool:
    return not info.is_required() and info.get_default(call_default_factory=False) is None


def _only_defaults(model: type[BaseModel], data: dict) -> bool:
    for name, value in data.items():
        info = model.model_fields[name]
        if _blank(value):
            continue
        if info.is_required() or value != _default(info):
            return False
    return True


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value in ("", None)


def parse(model: type[BaseModel], post: Any, prefix: str = "") -> dict:
    """The data dict of the posted form; empty optional fields are left out (their
    defaults apply, as when the YAML file leaves them out)."""
    out: dict[str, Any] = {}
    names = model.model_fields
    for name, info in names.items():
        if name.startswith("pilihan_"):
            continue
        path = f"{prefix}{name}"
        tp = _unwrap(info.annotation)
        origin = typing.get_origin(tp)
        if origin is list:
            item = _unwrap(typing.get_args(tp)[0]) if typing.get_args(tp) else str
            if _is_model(item):
                idx = sorted({int(m.group(1)) for k in post
                              if (m := re.match(re.escape(path) + r"\.(\d+)\.", k))})
                rows = [parse(item, post, f"{path}.{i}.") for i in idx]
                rows = [r for r in rows if not _only_defaults(item, r)]  # a row left as shown is no row
                if rows or info.is_required():
                    out[name] = rows
                continue
            if f"{path}.__multi" in post:
                vals = [v for v in post.getlist(path) if v]
            else:
                vals = [ln.strip() for ln in str(post.get(path, "")).splitlines() if ln.strip()]
            if vals or info.is_required():
                out[name] = vals
        elif _is_model(tp):
            sub = parse(tp, post, f"{path}.")
            # an optional group (a SOP step's keputusan) left as shown is not given at all
            if sub and not (_optional(info) and _only_defaults(tp, sub)):
                out[name] = sub
        elif tp is bool:
            if f"{path}.__bool" in post:
                out[name] = post.get(path) == "on"
        else:
            raw = post.get(path)
            if raw is None:
                continue
            raw = str(raw).replace("\r\n", "\n").strip()
            if not raw:
                if info.is_required():
                    out[name] = ""
                continue
            if tp is dt.date:
                try:
                    out[name] = dt.date.fromisoformat(raw)
                except ValueError:
                    out[name] = raw
            elif tp in (int, float, Decimal):
                out[name] = _number(raw)
            else:
                out[name] = raw
    return out


def error_path(loc: str) -> str:
    """"naskah[1].uraian" (as the CLI writes it) -> "naskah.0.uraian" (the form's name)."""
    return re.sub(r"\[(\d+)\]", lambda m: f".{int(m.group(1)) - 1}", loc)


def place_errors(widgets_paths: set[str], found: list[tuple[str, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """Errors per form field (the nearest field that exists), and those of no field."""
    by: dict[str, list[str]] = {}
    loose: list[str] = []
    for loc, text in found:
        p = error_path(loc)
        while p and p not in widgets_paths:
            p = p.rsplit(".", 1)[0] if "." in p else ""
        if p:
            by.setdefault(p, []).append(text)
        else:
            loose.append(f"{loc}: {text}" if loc else text)
    return by, loose


def all_paths(widgets: list[Widget]) -> set[str]:
    out = set()
    for w in widgets:
        out.add(w.path)
        for c in w.children:
            out |= all_paths([c])
        for row in w.rows:
            out |= all_paths(row)
    return out
