"""The classification codes (kode klasifikasi arsip, Permendagri 83/2022).

The shipped table is editable data; an office points ``penomoran.klasifikasi`` at its
own CSV (kode,uraian) whose rows correct or extend the shipped ones.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import resources
from ..errors import ConfigError, InputError

if TYPE_CHECKING:
    from ..workspace import Workspace

SHIPPED = "klasifikasi-permendagri-83-2022.csv"
KODE_RE = re.compile(r"^\d+(\.\d+)*$")


def _sort_key(kode: str) -> tuple[int, ...]:
    return tuple(int(p) for p in kode.split("."))


def read_csv(path: Path) -> dict[str, str]:
    """Read a kode,uraian CSV; an error names the file and the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except FileNotFoundError:
        raise ConfigError(f"classification table {path} not found", field="penomoran.klasifikasi",
                          fix='point penomoran.klasifikasi at a kode,uraian CSV, or set it to ""') from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path,
                         fix="save the CSV as 'CSV UTF-8 (Comma delimited)'") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["kode", "uraian"]:
        raise InputError("line 1: the header must be 'kode,uraian'", file=path,
                         fix="make the first line exactly: kode,uraian")
    table: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 2:
            raise InputError(f"line {line}: expected 2 columns (kode,uraian), found {len(row)}",
                             file=path, fix='quote an uraian that contains commas: 000.1,"A, B"')
        kode, uraian = row[0].strip(), row[1].strip()
        if not KODE_RE.match(kode):
            raise InputError(f"line {line}: {kode!r} is not a classification code", file=path,
                             fix="write codes as digits and dots, e.g. 000.5.3.1")
        if not uraian:
            raise InputError(f"line {line}: code {kode} has no uraian", file=path,
                             fix="describe the code in the second column")
        table[kode] = uraian
    return table


@lru_cache(maxsize=1)
def shipped() -> dict[str, str]:
    """The shipped Permendagri 83/2022 table, read once per process."""
    return read_csv(resources.data_file(SHIPPED))


@lru_cache(maxsize=8)
def _merged(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    # Keyed on mtime/size so an edited office CSV is re-read, an unchanged one is not.
    merged = {**shipped(), **read_csv(Path(path))}
    return dict(sorted(merged.items(), key=lambda kv: _sort_key(kv[0])))


def table(ws: Workspace | None) -> dict[str, str]:
    """The codes in force for a workspace: shipped table, then the office's own rows."""
    own = ws.config.penomoran.klasifikasi if ws is not None else ""
    if not own:
        return shipped()
    path = ws.path(own)
    if not path.is_file():
        raise ConfigError(f"classification table {path} not found", file=ws.config_file,
                          field="penomoran.klasifikasi",
                          fix='point it at a kode,uraian CSV, or set penomoran.klasifikasi = ""')
    st = path.stat()
    return _merged(str(path), st.st_mtime_ns, st.st_size)


def search(codes: dict[str, str], text: str, limit: int | None = None) -> list[tuple[str, str]]:
    """Codes whose kode starts with TEXT, or whose uraian holds every word of TEXT."""
    text = text.strip()
    if not text:
        return []
    if KODE_RE.match(text.rstrip(".")):
        prefix = text.rstrip(".")
        hits = [(k, u) for k, u in codes.items() if k == prefix or k.startswith(prefix + ".")]
        if not hits:  # "00" as a partial code
            hits = [(k, u) for k, u in codes.items() if k.startswith(text)]
    else:
        words = text.lower().split()
        hits = [(k, u) for k, u in codes.items() if all(w in u.lower() for w in words)]
    hits.sort(key=lambda kv: _sort_key(kv[0]))
    return hits[:limit] if limit else hits


def check(codes: dict[str, str], kode: str, *, izinkan_kode_lain: bool, file: str | Path | None = None,
          field: str = "klasifikasi") -> str:
    """Return the code if known (or allowed); else an InputError pointing at `codes search`."""
    kode = kode.strip()
    if not kode:
        raise InputError("the kode klasifikasi is empty", file=file, field=field,
                         fix="give a code, e.g. 000.5.3.1; find one with `docgen codes search TEXT`")
    if kode in codes or izinkan_kode_lain:
        return kode
    near = search(codes, kode.rsplit(".", 1)[0], limit=3) if "." in kode else []
    hint = f" (near: {', '.join(k for k, _ in near)})" if near else ""
    raise InputError(
        f"unknown kode klasifikasi {kode!r}{hint}", file=file, field=field,
        fix="find the code with `docgen codes search TEXT`, add it to your own table "
            "(penomoran.klasifikasi), or set penomoran.izinkan_kode_lain = true")
