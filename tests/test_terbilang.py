"""Terbilang: numbers in words through num2words, as filters and as number fields."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from docgen import make
from docgen.errors import InputError
from docgen.terbilang import banyaknya, diktum, huruf, rupiah, tanggal_terbilang, terbilang

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_letters import docx_paragraphs  # noqa: E402


@pytest.mark.parametrize(("value", "words"), [
    (1, "satu"), (11, "sebelas"), (100, "seratus"), (1000, "seribu"), (2026, "dua ribu dua puluh enam"),
    (1500000, "satu juta lima ratus ribu"), ("1.500.000", "satu juta lima ratus ribu"),
    (Decimal("2.5"), "dua koma lima"), ("2,5", "dua koma lima"), (1.0, "satu"), (-3, "minus tiga"),
])
def test_terbilang(value, words):
    assert terbilang(value) == words


def test_field_helpers_as_letters_write_them():
    assert banyaknya(1, "eksemplar") == "1 (satu) eksemplar"
    assert banyaknya("12", "orang") == "12 (dua belas) orang"
    assert rupiah(1500000) == "Rp 1.500.000 (satu juta lima ratus ribu rupiah)"
    assert rupiah("Rp 2.750.000,50") == "Rp 2.750.000,50 (dua juta tujuh ratus lima puluh ribu rupiah lima puluh sen)"
    assert [diktum(n) for n in (1, 2, 10, 11, 12)] == ["KESATU", "KEDUA", "KESEPULUH", "KESEBELAS", "KEDUA BELAS"]
    assert [huruf(n) for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert tanggal_terbilang(dt.date(2026, 11, 22)) == "dua puluh dua bulan November tahun dua ribu dua puluh enam"
    with pytest.raises(ValueError, match="'satu' is not a number"):
        terbilang("satu")


SCHEMA = """
kind: kuitansi
title: Kuitansi
numbered: false
fields:
  - {name: uraian, type: text, required: true}
  - {name: jumlah, type: number, required: true, tampil: rupiah}
  - {name: eksemplar, type: number, tampil: banyaknya, satuan: eksemplar}
  - {name: hari, type: number, required: true}
"""


def _kuitansi(ws, tmp_path, *, hari: str = "3") -> Path:
    """A kind of the workspace with number fields and the filters, no Python."""
    doc = Document()
    for line in ("Untuk: {{ uraian }}", "Jumlah: {{ jumlah }}", "Dikirim: {{ eksemplar }}",
                 "Lama: {{ hari|banyaknya('hari') }} ({{ hari|terbilang }})", "Terbilang: {{ 250000|rupiah }}"):
        doc.add_paragraph(line)
    doc.save(ws.templates_dir / "kuitansi.docx")
    (ws.templates_dir / "kuitansi.schema.yaml").write_text(SCHEMA, encoding="utf-8")
    data = tmp_path / "k.yaml"
    data.write_text(f"uraian: Honorarium narasumber\njumlah: 1500000\neksemplar: 2\nhari: {hari}\n",
                    encoding="utf-8")
    return data


def test_number_fields_and_filters_in_a_new_kind(ws, tmp_path):
    r = make.make(ws, "kuitansi", _kuitansi(ws, tmp_path), tmp_path / "o")
    assert docx_paragraphs(r.docx[0])[:5] == [
        "Untuk: Honorarium narasumber",
        "Jumlah: Rp 1.500.000 (satu juta lima ratus ribu rupiah)",
        "Dikirim: 2 (dua) eksemplar",
        "Lama: 3 (tiga) hari (tiga)",
        "Terbilang: Rp 250.000 (dua ratus lima puluh ribu rupiah)",
    ]


def test_a_filter_on_text_that_is_no_number_is_a_clear_error(ws, tmp_path, cli):
    data = _kuitansi(ws, tmp_path)
    (ws.templates_dir / "kuitansi.docx").unlink()
    doc = Document()
    doc.add_paragraph("{{ uraian|terbilang }}")
    doc.save(ws.templates_dir / "kuitansi.docx")
    with pytest.raises(InputError) as e:
        make.make(ws, "kuitansi", data, tmp_path / "o")
    assert "'Honorarium narasumber' is not a number" in str(e.value) and "kuitansi.docx" in str(e.value)
    code, _, err = cli("make", "kuitansi", str(data), cwd=ws.root)
    assert code != 0 and "is not a number" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
