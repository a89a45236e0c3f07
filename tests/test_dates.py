"""Dates in data files as people write them: "2 Oktober 2026", "02-10-2026", "2/10/2026",
ISO; day first; an error names the file and the field."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

from docgen import formatting
from docgen import make as make_mod

OKT_2 = dt.date(2026, 10, 2)


@pytest.mark.parametrize("text", ["2 Oktober 2026", "02-10-2026", "2/10/2026", "2026-10-02",
                                  "2.10.2026", "Senin, 2 Oktober 2026", "2 Okt 2026", "02 OKTOBER 2026",
                                  "2 October 2026"])
def test_the_ways_people_write_a_date(text):
    assert formatting.parse_tanggal(text) == OKT_2


def test_numbers_are_day_first():
    assert formatting.parse_tanggal("03/04/2026") == dt.date(2026, 4, 3)  # 3 April, not March 4
    assert formatting.parse_tanggal("12/1/2026") == dt.date(2026, 1, 12)


@pytest.mark.parametrize(("text", "said"), [
    ("31-02-2026", "31 Februari 2026 does not exist"),
    ("10/13/2026", "there is no month 13 (the day comes first"),
    ("2/10/26", "write the year in full (e.g. 2-10-2026)"),
    ("2 Oktobr 2026", "'oktobr' is not a month"),
    ("minggu depan", "is not a date"),
])
def test_what_is_not_a_date_is_said(text, said):
    with pytest.raises(ValueError, match=r".*") as e:
        formatting.parse_tanggal(text)
    assert said in str(e.value)


def _disposisi(ws, **dates) -> object:
    src = ws.root / "contoh" / "disposisi.yaml"
    text = src.read_text(encoding="utf-8")
    for key, value in dates.items():
        text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line
                         for line in text.splitlines())
    out = ws.root / "data" / "disposisi-tanggal.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def test_a_data_file_takes_dates_as_written_and_prints_them_in_words(ws, cli):
    f = _disposisi(ws, tanggal_surat="2 Oktober 2026", diterima_tanggal="05-10-2026",
                   tanggal='"5/10/2026"')
    _, data = make_mod.load(ws, "disposisi", f)
    assert (data.tanggal_surat, data.diterima_tanggal, data.tanggal) == (
        OKT_2, dt.date(2026, 10, 5), dt.date(2026, 10, 5))
    code, out, err = cli("-W", str(ws.root), "make", "disposisi", str(f))
    assert code == 0, err
    docx = next(p for p in out.split() if p.endswith(".docx"))
    text = "\n".join(c.text for t in Document(docx).tables for r in t.rows for c in r.cells)
    assert "2 Oktober 2026" in text and "5 Oktober 2026" in text


def test_a_wrong_date_names_the_file_and_the_field(ws, cli):
    f = _disposisi(ws, tanggal_surat="31-09-2026")
    code, out, err = cli("-W", str(ws.root), "check", "disposisi", str(f))
    assert code == 1 and "Traceback" not in err
    assert f"{f}: tanggal_surat: " in err
    assert "'31-09-2026': 31 September 2026 does not exist" in err
    assert "write the date as 2 Oktober 2026, 02-10-2026, 2/10/2026 or 2026-10-02" in err


def test_generic_kinds_take_written_dates_too(ws):
    src = ws.root / "contoh" / "surat-dinas.yaml"
    text = src.read_text(encoding="utf-8")
    assert "\ntanggal: " in text
    lines = ["tanggal: 22 November 2026" if ln.startswith("tanggal:") else ln for ln in text.splitlines()]
    f = ws.root / "data" / "surat-dinas.yaml"
    f.write_text("\n".join(lines), encoding="utf-8")
    _, data = make_mod.load(ws, "surat-dinas", f)
    assert data.tanggal == dt.date(2026, 11, 22)


def test_sop_dates_take_the_same_forms(ws):
    import yaml

    src = ws.root / "contoh" / "sop" / "000-kediri-diskominfo.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["tanggal_pembuatan"] = "2 Okt 2026"
    data["tanggal_efektif"] = "02/10/2026"
    f = ws.root / "data" / "sop.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, sop = make_mod.load(ws, "sop", f)
    assert sop.tanggal_pembuatan == OKT_2 and sop.tanggal_efektif == OKT_2
