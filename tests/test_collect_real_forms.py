"""collect + laporan on the forms made by `docgen make permintaan-data` and filled with
its own fill_form (the other side of the contract), not on hand-made fixtures."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from docgen import make
from docgen.collect import CollectError, collect
from docgen.kinds import permintaan_data


@pytest.fixture
def issued(ws):
    r = make.make(ws, "permintaan-data", ws.root / "contoh" / "permintaan-data.yaml")
    manifests = {}
    for f in (ws.data_dir / "permintaan").glob("*.json"):
        m = json.loads(f.read_text(encoding="utf-8"))
        manifests[m["bidang"]] = m
    docx = {p.stem.rsplit("-", 1)[-1]: p for p in r.docx}
    return manifests, docx


def _values(m: dict) -> dict[int, tuple[str, str]]:
    """Realisasi = 90% of target written the Indonesian way; the first row short with a kendala."""
    out = {}
    for row in m["rows"]:
        real = round(float(row["target"]) * 0.9, 2)
        text = f"{real:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".").removesuffix(",00")
        out[int(row["no"])] = (text, "Keterbatasan anggaran" if row["no"] == 1 else "")
    return out


def test_real_forms_docx_and_xlsx_collect_into_rekap(ws, issued, tmp_path):
    manifests, docx = issued
    masuk = tmp_path / "masuk"
    for bidang, path in docx.items():
        src = path.with_suffix(".xlsx") if bidang == "statistik" else path  # one office returns Excel
        permintaan_data.fill_form(src, _values(manifests[bidang]), masuk / f"{bidang}{src.suffix}")
    res = collect(ws, [masuk], periode=manifests["ikp"]["periode"])
    data = res.rekap[manifests["ikp"]["periode"]]
    assert data["kelengkapan"]["lengkap"] is True
    assert data["bidang"]["statistik"]["format"] == "xlsx"
    for bidang, m in manifests.items():
        rows = data["bidang"][bidang]["rows"]
        assert [r["indikator"] for r in rows] == [r["indikator"] for r in m["rows"]]
        for r, issued_row in zip(rows, m["rows"], strict=True):
            want = 90.0 if issued_row["arah"] == "naik" else 111.11
            if float(issued_row["target"]) == 0:
                assert r["capaian"] is None
            else:
                assert r["capaian"] == pytest.approx(want, abs=0.02), (bidang, r)


def test_real_form_with_a_typo_and_an_edited_row_is_refused(ws, issued, tmp_path):
    manifests, docx = issued
    vals = _values(manifests["ikp"])
    vals[2] = ("empat ratus", "")
    f = permintaan_data.fill_form(docx["ikp"], vals, tmp_path / "bidang-ikp.docx")
    xl = permintaan_data.fill_form(docx["aptika"].with_suffix(".xlsx"), _values(manifests["aptika"]),
                                   tmp_path / "aptika.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(xl)
    sh = wb.active
    cell = next(c for row in sh.iter_rows() for c in row if c.value == manifests["aptika"]["rows"][0]["satuan"]
                and c.row > 1 and sh.cell(c.row, c.column - 1).value)
    cell.value = "persen"  # satuan edited
    wb.save(xl)
    with pytest.raises(CollectError) as e:
        collect(ws, [f, xl])
    text = [str(p) for p in e.value.problems]
    assert ("bidang-ikp.docx: row 2, column Realisasi: 'empat ratus' is not a number (write e.g. "
            "1.234,5; or leave it empty and say why in Keterangan/Kendala)") in text
    assert any(p.startswith(f"aptika.xlsx: row 1 (cell {cell.coordinate}), column Satuan: changed from")
               for p in text), text
    assert not (ws.data_dir / "rekap").exists()


def test_laporan_pdf_from_real_forms(ws, issued, tmp_path, soffice):
    manifests, docx = issued
    masuk = tmp_path / "masuk"
    for bidang in ("ikp", "aptika"):
        permintaan_data.fill_form(docx[bidang], _values(manifests[bidang]), masuk / f"{bidang}.docx")
    collect(ws, [masuk])
    r = make.make(ws, "laporan", ws.root / "contoh" / "laporan.yaml", tmp_path / "out", pdf=True)
    reader = PdfReader(r.pdf[0])
    top = list(reader.outline)
    children = top[next(i for i, it in enumerate(top) if not isinstance(it, list) and it.title == "LAMPIRAN") + 1]
    starts = [reader.get_destination_page_number(c) for c in children]
    assert [c.title for c in children] == [
        "Lampiran 1: Formulir Bidang Informasi dan Komunikasi Publik (ikp.docx)",
        "Lampiran 2: Formulir Bidang Aplikasi Informatika (aptika.docx)",
    ]
    first = reader.pages[starts[0]].extract_text()
    assert "FORMAT PERMINTAAN DATA KINERJA" in first and manifests["ikp"]["doc_id"] in first
    assert "Keterbatasan anggaran" in first
