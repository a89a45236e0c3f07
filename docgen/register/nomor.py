"""Letter numbers from a template (pure: no I/O).

The template comes from ``[penomoran] format`` in docgen.toml, e.g.
``{klasifikasi}/{urut}/{unit}/{tahun}`` -> ``000.5.3.1/15/Diskominfo/2026``.
Tokens may carry a format spec (``{urut:03d}``, ``{bulan:02d}``). An office adds its own
fixed codes as tokens in ``[penomoran] kode`` (``{kode_instansi}`` -> ``419``).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import formatting

TOKENS = {
    "klasifikasi": "kode klasifikasi, e.g. 000.5.3.1",
    "urut": "sequence number, zero-padded to penomoran.padding",
    "unit": "unit code (default kop.kode_unit)",
    "bulan": "month number 1..12 (use {bulan:02d} for 01..12)",
    "bulan_romawi": "month in Roman numerals, I..XII",
    "tahun": "year, e.g. 2026",
}

# The counter scope needs its token in the number, or two scopes would print the same nomor.
SCOPE_TOKEN = {"tahun": None, "tahun-klasifikasi": "klasifikasi", "tahun-unit": "unit"}

_SAMPLE = {"klasifikasi": "000.5.3.1", "urut": 15, "unit": "Unit", "bulan": 11,
           "bulan_romawi": "XI", "tahun": 2026}


class FormatProblem(ValueError):
    """The number template is wrong; the message says how, ``fix`` says what to write."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True)
class NomorFormat:
    template: str
    padding: int = 0
    kode: Mapping[str, str] = field(default_factory=dict)

    @property
    def tokens(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.template) if name}

    def render(self, *, klasifikasi: str, urut: int, unit: str, tanggal: dt.date) -> str:
        values = {
            "klasifikasi": klasifikasi,
            # An explicit spec ({urut:03d}) wins; plain {urut} is padded to `padding`.
            "urut": _Urut(urut, self.padding),
            "unit": unit,
            "bulan": tanggal.month,
            "bulan_romawi": formatting.romawi(tanggal.month),
            "tahun": tanggal.year,
        }
        return self.template.format_map({**self.kode, **values})


class _Urut(int):
    """An int whose empty format spec means 'zero-pad to padding'."""

    padding: int

    def __new__(cls, value: int, padding: int) -> _Urut:
        obj = super().__new__(cls, value)
        obj.padding = padding
        return obj

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(int(self)).zfill(self.padding)
        return format(int(self), spec)


def parse(template: str, padding: int = 0, lingkup: str = "tahun",
          kode: Mapping[str, str] | None = None) -> NomorFormat:
    """Check a number template; raise FormatProblem with a fix when it cannot work.
    ``kode``: the office's own fixed tokens ([penomoran] kode)."""
    kode = dict(kode or {})
    known = ", ".join("{" + t + "}" for t in [*TOKENS, *kode])
    example = "{klasifikasi}/{urut}/{unit}/{tahun}"
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise FormatProblem(f"format {template!r} is not a valid template ({exc})",
                            f'balance the braces, e.g. format = "{example}"') from None
    names: list[str] = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name == "" or name.isdigit():
            raise FormatProblem(f"format {template!r} has an empty token {{}}",
                                f"name every token; known tokens: {known}")
        if name not in TOKENS and name not in kode:
            raise FormatProblem(
                f"format {template!r} has an unknown token {{{name}}}",
                f"use only these tokens: {known}; for a fixed code write it as text "
                f'(e.g. 419.{{unit}}) or define it: kode = {{ {name} = "..." }} under [penomoran]')
        if conversion or "{" in (spec or ""):
            raise FormatProblem(f"format {template!r}: token {{{name}}} has an unsupported form",
                                "write {token} or {token:spec}, e.g. {urut:03d}")
        names.append(name)
    if "urut" not in names:
        raise FormatProblem(f"format {template!r} has no {{urut}}: every letter would get the same number",
                            f'include the sequence, e.g. format = "{example}"')
    need = SCOPE_TOKEN.get(lingkup)
    if need and need not in names:
        raise FormatProblem(
            f"lingkup {lingkup!r} keeps one counter per {need}, but format {template!r} has no {{{need}}}:"
            " two letters would get the same number",
            f"add {{{need}}} to penomoran.format, or set lingkup = \"tahun\"")
    fmt = NomorFormat(template, padding, kode)
    try:  # catches bad specs such as {urut:x9} or {klasifikasi:d}
        template.format_map({**kode, **_SAMPLE, "urut": _Urut(15, padding)})
    except (ValueError, TypeError) as exc:
        raise FormatProblem(f"format {template!r} cannot be filled in: {exc}",
                            "use a spec that fits the token, e.g. {urut:03d} or {bulan:02d}") from None
    return fmt
