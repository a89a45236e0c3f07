"""Capaian kinerja (achievement) of one indicator: pure arithmetic, no I/O.

naik  (higher is better): capaian = realisasi / target x 100
turun (lower is better):  capaian = target / realisasi x 100

Divisions by zero are not errors: they give no number (shown "-" in the rekap) and
an Indonesian keterangan explaining why, so a report never crashes on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Arah = Literal["naik", "turun"]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Capaian:
    nilai: Decimal | None  # percent, unrounded; None when it cannot be computed
    catatan: str = ""       # why there is no number (Indonesian, printed in the rekap)


def capaian(target: Decimal | None, realisasi: Decimal | None, arah: Arah = "naik") -> Capaian:
    """Capaian in percent of one indicator; see the module doc for the rules."""
    if arah not in ("naik", "turun"):
        raise ValueError(f"arah must be 'naik' or 'turun', not {arah!r}")
    if realisasi is None:
        return Capaian(None, "Data realisasi belum tersedia (lihat keterangan)")  # only with a reason (validate)
    if target is None:
        return Capaian(None, "Target tidak ditetapkan")
    if arah == "naik":
        if target == 0:
            return Capaian(None, "Target 0: capaian tidak dapat dihitung")
        return Capaian(realisasi / target * HUNDRED)
    # turun: lower is better
    if realisasi == 0 and target == 0:
        return Capaian(HUNDRED, "Target dan realisasi 0: target tercapai")
    if realisasi == 0:
        return Capaian(None, "Realisasi 0, lebih baik dari target: capaian tidak dapat dihitung")
    if target == 0:
        return Capaian(Decimal(0), "Target 0 terlampaui oleh realisasi")
    return Capaian(target / realisasi * HUNDRED)


def bulatkan(nilai: Decimal | None, decimals: int = 2) -> Decimal | None:
    """Round half up, as planners round by hand (85,505 -> 85,51)."""
    if nilai is None:
        return None
    return nilai.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
