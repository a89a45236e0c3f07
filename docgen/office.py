"""The first run of a new office: its names written into docgen.toml, and what is
still the example office's (the shipped docgen.toml.example is a real-looking Dinas of
Kota Kediri, so a Kecamatan that forgets a line would print Kediri's address).

Pure comparisons and text edits; the CLI asks the questions.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from . import resources
from .config import Config
from .datafile import validate
from .errors import ConfigError

if TYPE_CHECKING:
    from .workspace import Workspace

# The kop fields an office must make its own; pemerintah and instansi say which office it is.
KOP_FIELDS = ("pemerintah", "instansi", "alamat", "telepon", "faksimile", "laman", "email",
              "kode_pos", "kota", "kode_unit")
IDENTITY = ("pemerintah", "instansi")
PEJABAT_FIELDS = ("nama", "nip")  # an official is the example's by name or NIP

# What `docgen init` can be told (option/prompt -> (TOML table, key)).
NAMES: dict[str, tuple[str, str]] = {
    "pemerintah": ("kop", "pemerintah"),
    "instansi": ("kop", "instansi"),
    "alamat": ("kop", "alamat"),
    "kode_pos": ("kop", "kode_pos"),
    "telepon": ("kop", "telepon"),
    "email": ("kop", "email"),
    "laman": ("kop", "laman"),
    "kota": ("kop", "kota"),
    "kode_unit": ("kop", "kode_unit"),
    "kepala_jabatan": ("pejabat.kepala", "jabatan"),
    "kepala_nama": ("pejabat.kepala", "nama"),
    "kepala_pangkat": ("pejabat.kepala", "pangkat"),
    "kepala_nip": ("pejabat.kepala", "nip"),
    "zona_waktu": ("tte", "zona_waktu"),
}


@cache
def example_text() -> str:
    return resources.data_file("docgen.toml.example").read_text(encoding="utf-8")


@cache
def example() -> dict[str, Any]:
    return tomllib.loads(example_text())


@cache
def _example_logo_sha() -> str:
    return hashlib.sha256(resources.data_file("logo-contoh.png").read_bytes()).hexdigest()


@dataclass(frozen=True)
class Leftover:
    """A value of docgen.toml still equal to the example office's."""

    field: str
    value: str
    fix: str

    def __str__(self) -> str:
        return f"{self.field}: still the example office's value ({self.value}); {self.fix}"


def _show(v: object) -> str:
    return " / ".join(v) if isinstance(v, list) else str(v)


def leftovers(ws: Workspace) -> list[Leftover]:
    """Every value of the office's identity (kop, officials, Bidang, logo) that is still
    the example's. Empty example values (faksimile = "") are not counted."""
    ex = example()
    cfg = ws.config
    out: list[Leftover] = []
    kop = cfg.kop.model_dump()
    for name in KOP_FIELDS:
        mine, theirs = kop.get(name), ex["kop"].get(name)
        if theirs and mine == (theirs if name != "instansi" else list(theirs)):
            out.append(Leftover(f"kop.{name}", _show(mine), f"write your office's {name} in [kop]"))
    logo = ws.path(cfg.kop.logo) if cfg.kop.logo else None
    if logo is not None and logo.is_file() and \
            hashlib.sha256(logo.read_bytes()).hexdigest() == _example_logo_sha():
        out.append(Leftover("kop.logo", f"{cfg.kop.logo} is the example picture 'LOGO'",
                            "put your lambang daerah there, or set kop.logo = \"\""))
    ex_people = {(f, str(p.get(f))) for p in ex["pejabat"].values() for f in PEJABAT_FIELDS if p.get(f)}
    for key, p in cfg.pejabat.items():
        if key == "kepala" and cfg.pimpinan not in (None, "kepala"):
            continue  # the alias of the head, said under its own key
        same = [f for f in PEJABAT_FIELDS if (f, str(getattr(p, f))) in ex_people]
        if same:
            out.append(Leftover(f"pejabat.{key}", p.nama,
                                "write your own official's " + " and ".join(same)
                                + f" in [pejabat.{key}], or delete the table"))
        for f in ("jabatan", "atas_nama"):
            theirs = ex["pejabat"].get(key, {}).get(f)
            if theirs and getattr(p, f) == theirs and not same:
                out.append(Leftover(f"pejabat.{key}.{f}", theirs, f"write your official's {f}"))
    ex_bidang = {b["nama"] for b in ex.get("bidang", {}).values()} - {"Sekretariat"}
    for key, b in cfg.bidang.items():
        if b.nama in ex_bidang:
            out.append(Leftover(f"bidang.{key}", b.nama,
                                f"write your own units in [bidang.*], or delete [bidang.{key}]"))
    return out


def check_kop(ws: Workspace) -> None:
    """Refuse to print the example office's kop lines for another office: once
    pemerintah or instansi is the office's own, every other kop value must be too."""
    ex = example()["kop"]
    kop = ws.config.kop
    if kop.pemerintah == ex["pemerintah"] and kop.instansi == list(ex["instansi"]):
        return  # the example office itself (trying docgen out, the demo)
    left = [x for x in leftovers(ws) if x.field.removeprefix("kop.") in KOP_FIELDS]
    if left:
        first = left[0]
        more = ", ".join(x.field for x in left[1:])
        raise ConfigError(
            f"the kop would print the example office's {first.field.removeprefix('kop.')} "
            f"({first.value}) for {kop.pemerintah} / {' '.join(kop.instansi)}"
            + (f"; also still the example's: {more}" if more else ""),
            file=ws.config_file, field=first.field,
            fix=f"edit {first.field} in docgen.toml (`docgen check-config` lists every value "
                "still the example's)")


# --- writing the office's names into docgen.toml -------------------------------------

def _toml_value(v: str | list[str]) -> str:
    # TOML basic strings take JSON's escapes; keep non-ASCII as written
    if isinstance(v, list):
        return "[" + ", ".join(json.dumps(x, ensure_ascii=False) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def set_value(text: str, table: str, key: str, value: str | list[str]) -> str:
    """``key = value`` in ``[table]`` of a docgen.toml text, keeping its comments."""
    head = re.search(rf"^\[{re.escape(table)}\]\s*$", text, re.M)
    if head is None:
        raise ValueError(f"no [{table}] in docgen.toml")
    nxt = re.search(r"^\[", text[head.end():], re.M)
    end = head.end() + (nxt.start() if nxt else len(text[head.end():]))
    body = text[head.end():end]
    line = re.compile(rf"^({re.escape(key)}\s*=\s*)(\"(?:[^\"\\]|\\.)*\"|\[[^\]\n]*\])([ \t]*#.*)?$", re.M)
    if line.search(body):
        body = line.sub(lambda m: m[1] + _toml_value(value) + (m[3] or ""), body, count=1)
    else:
        body = f"\n{key} = {_toml_value(value)}" + body
    return text[:head.end()] + body + text[end:]


# Left empty when the office gives its names without them: Kediri's telephone or its
# head's NIP under another office's name would be worse than nothing.
OPTIONAL = ("kode_pos", "telepon", "email", "laman", "kepala_pangkat", "kepala_nip")


def with_names(text: str, names: dict[str, str | list[str]], file: Any) -> str:
    """The docgen.toml text with the office's names; checked before it is written, so a
    bad NIP names its option and leaves no half-made workspace."""
    names = {**dict.fromkeys(OPTIONAL, ""), **names}
    for option, value in names.items():
        table, key = NAMES[option]
        if option == "instansi" and isinstance(value, str):
            value = [v.strip() for v in value.split("|") if v.strip()]
        if option in ("pemerintah", "instansi"):
            value = [v.upper() for v in value] if isinstance(value, list) else value.upper()
        text = set_value(text, table, key, value)
    where = {f"{t}.{k}": o for o, (t, k) in NAMES.items()}
    try:
        validate(Config, tomllib.loads(text), file, error=ConfigError)
    except ConfigError as exc:
        option = where.get(exc.field or "")
        if option:
            exc.fix = f"give --{option.replace('_', '-')} again: {exc.fix}"
        raise
    return text
