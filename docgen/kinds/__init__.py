"""Document kinds (jenis naskah): one module per kind, plus kinds defined by data.

A Python kind is a module in this package exposing ``KIND`` (a :class:`Kind`).
A data-only kind is a template ``<name>.docx`` with a schema ``<name>.schema.yaml``
in the templates folder: no Python needed (see :mod:`docgen.kinds.generic`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..errors import InputError

if TYPE_CHECKING:
    from ..workspace import Workspace

# Module names of the Python kinds, in the order `docgen kinds` lists them.
PY_KINDS = ["sop", "disposisi", "permintaan_data", "surat_pengantar", "laporan"]


@dataclass
class MakeOptions:
    source: Path                 # the YAML data file (errors name it)
    out_dir: Path
    pdf: bool = False
    draft: bool = False            # a KONSEP: watermarked, nomor …/…/…/YYYY, no number taken
    nomor_baru: str | None = None  # the reason to void the file's nomor and take a new one


@dataclass
class MakeResult:
    docx: list[Path] = field(default_factory=list)
    pdf: list[Path] = field(default_factory=list)
    nomor: str = ""
    doc_ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reused: bool = False             # the data file's nomor from an earlier make was kept


@dataclass
class Finding:
    """A lint finding of `docgen check`: an error blocks `make`, a warning does not."""

    level: str  # "error" | "warning"
    field: str
    message: str
    fix: str = ""


@dataclass
class Kind:
    name: str                                  # CLI name: "surat-pengantar"
    title: str                                 # Indonesian title: "Surat Pengantar"
    model: type[BaseModel]                     # schema of the YAML data file
    make: Callable[[Workspace, Any, MakeOptions], MakeResult]
    template: str | None = None
    description: str = ""
    numbered: bool = False                     # takes a nomor from the register
    check: Callable[[Workspace | None, Any], list[Finding]] | None = None
    example: str | None = None                 # example data file under examples/


def _python_kinds() -> list[Kind]:
    out = []
    for mod in PY_KINDS:
        try:
            module = importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{mod}":
                continue  # kind not built yet
            raise
        out.append(module.KIND)
    return out


def all_kinds(ws: Workspace | None = None) -> dict[str, Kind]:
    kinds = {k.name: k for k in _python_kinds()}
    try:
        generic = importlib.import_module(f"{__name__}.generic")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.generic":
            raise
    else:
        for k in generic.discover(ws):
            kinds.setdefault(k.name, k)
    return kinds


def get(name: str, ws: Workspace | None = None) -> Kind:
    kinds = all_kinds(ws)
    if name not in kinds:
        raise InputError(
            f"unknown document kind {name!r}",
            fix="use one of: " + ", ".join(kinds) + " (see `docgen kinds`)",
        )
    return kinds[name]


def describe_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, bool]]:
    """(field, description, required) for `docgen kinds`, nested one level."""
    rows = []
    for name, f in model.model_fields.items():
        desc = f.description or ""
        rows.append((prefix + name, desc, f.is_required()))
    return rows
