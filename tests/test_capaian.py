"""Capaian arithmetic: naik, turun, zero target, missing realisasi."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from docgen.collect.capaian import bulatkan, capaian


def test_naik_is_realisasi_over_target():
    c = capaian(D(80), D("68.4"), "naik")
    assert bulatkan(c.nilai) == D("85.50") and c.catatan == ""
    assert bulatkan(capaian(D(3), D(4)).nilai) == D("133.33")  # over-achieved stays above 100


def test_turun_is_target_over_realisasi():
    # lower is better: target 10 complaints, 8 received -> 125 %
    assert capaian(D(10), D(8), "turun").nilai == D(125)
    assert capaian(D(10), D(20), "turun").nilai == D(50)


def test_zero_target_gives_no_number_and_a_reason():
    c = capaian(D(0), D(5), "naik")
    assert c.nilai is None and "Target 0" in c.catatan
    assert capaian(D(0), D(0), "naik").nilai is None


def test_turun_with_zero_realisasi_is_explicit():
    c = capaian(D(5), D(0), "turun")
    assert c.nilai is None and "Realisasi 0" in c.catatan
    both = capaian(D(0), D(0), "turun")
    assert both.nilai == D(100) and "tercapai" in both.catatan
    over = capaian(D(0), D(2), "turun")
    assert over.nilai == D(0) and over.catatan


def test_missing_realisasi_or_target():
    assert capaian(D(10), None).nilai is None
    assert capaian(D(10), None).catatan == "Data realisasi belum tersedia (lihat keterangan)"
    assert capaian(None, D(1)).nilai is None


def test_rounding_half_up_and_bad_arah():
    assert bulatkan(D("85.505")) == D("85.51")
    assert bulatkan(None) is None
    with pytest.raises(ValueError):
        capaian(D(1), D(1), "naik-turun")  # type: ignore[arg-type]
