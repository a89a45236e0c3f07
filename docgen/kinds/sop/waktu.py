"""Durations of SOP steps (pure: no I/O).

A step's waktu is a number and a unit ("15 menit", "2 jam", "1 hari"), optionally
followed by free text, as seed 001 writes "1 Hari Untuk Penyusunan Laporan Triwulan
dan 15 Hari untuk Laporan Kinerja Tahunan". Only the leading number+unit counts.

The total ("Jangka Waktu Penyelesaian") is summed per unit, and hours are never turned
into days: the seeds count a working day as a day, not as 24 (or 8) hours, so
"13 hari 6 jam" is what seed 003 states and what we print. Minutes do carry into hours
(60 menit is always 1 jam): "1 hari 120 menit" would read as a sum nobody finished.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# Canonical unit -> accepted spellings (lower case).
SATUAN: dict[str, tuple[str, ...]] = {
    "hari": ("hari", "hr"),
    "jam": ("jam",),
    "menit": ("menit", "mnt"),
}
URUTAN = ("hari", "jam", "menit")  # order of the units in a total
_ALIAS = {alias: unit for unit, aliases in SATUAN.items() for alias in aliases}
# Longer units a clerk may write: how many (working) days they are, for the hint only.
_IN_HARI = {
    "minggu": lambda n: _angka(Decimal(n.replace(",", ".")) * 5),
    "pekan": lambda n: _angka(Decimal(n.replace(",", ".")) * 5),
    "bulan": lambda n: _angka(Decimal(n.replace(",", ".")) * 22),
}
_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]+)\b\.?\s*(.*)$", re.S)


@dataclass(frozen=True)
class Waktu:
    jumlah: Decimal
    satuan: str        # "hari" | "jam" | "menit"
    teks: str = ""     # free text after the number and unit

    def __str__(self) -> str:
        return f"{_angka(self.jumlah)} {self.satuan}"


def _angka(value: Decimal) -> str:
    # "1,5" the Indonesian way; whole numbers without decimals.
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def parse(text: str) -> Waktu | None:
    """Read "15 menit" / "1 Hari untuk ..." / "0,5 jam"; None for an empty waktu.

    Raises ValueError (with a message a clerk understands) when it has no number and unit.
    """
    if text is None or not str(text).strip() or str(text).strip() == "-":
        return None
    m = _RE.match(str(text))
    if not m:
        raise ValueError(f"waktu {text!r} must start with a number and a unit, e.g. \"15 menit\"")
    unit = _ALIAS.get(m.group(2).lower())
    if unit is None:
        hint = _IN_HARI.get(m.group(2).lower())
        how = f' ({m.group(1)} {m.group(2)} = {hint(m.group(1))} hari kerja: write "{hint(m.group(1))} hari")' if hint else ""
        raise ValueError(
            f"waktu {text!r}: unknown unit {m.group(2)!r}; use menit, jam or hari{how}"
        )
    return Waktu(Decimal(m.group(1).replace(",", ".")), unit, m.group(3).strip())


def from_parts(jumlah: Decimal | int | float, satuan: str) -> Waktu:
    unit = _ALIAS.get(str(satuan).strip().lower())
    if unit is None:
        raise ValueError(f"unknown unit {satuan!r}; use menit, jam or hari")
    if Decimal(str(jumlah)) < 0:
        raise ValueError("jumlah must not be negative")
    return Waktu(Decimal(str(jumlah)), unit)


def total(items: Iterable[Waktu | None]) -> dict[str, Decimal]:
    """Sum per unit, whole hours of minutes carried into jam; units that never occur are
    left out."""
    sums: dict[str, Decimal] = {}
    for w in items:
        if w is not None:
            sums[w.satuan] = sums.get(w.satuan, Decimal(0)) + w.jumlah
    if sums.get("menit", 0) >= 60:
        jam, menit = divmod(sums["menit"], 60)
        sums["jam"] = sums.get("jam", Decimal(0)) + jam
        if menit:
            sums["menit"] = menit
        else:
            del sums["menit"]
    return sums


def format_total(sums: dict[str, Decimal]) -> str:
    """{"hari": 13, "jam": 6} -> "13 hari 6 jam" ("-" when nothing has a time)."""
    parts = [f"{_angka(sums[u])} {u}" for u in URUTAN if sums.get(u)]
    return " ".join(parts) or "-"
