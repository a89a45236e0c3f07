"""`docgen make laporan`: DOCX contents, and the PDF with lampiran and bookmarks (real LibreOffice)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from docgen import make
from docgen.collect import collect
from docgen.convert import read_pdf_properties
from docgen.errors import InputError
from docgen.render import read_properties

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_collect import GOOD_IKP, fill_docx, fill_xlsx, issue_form  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "laporan.yaml"


@pytest.fixture
def collected(ws, tmp_path):
    mi, ma = issue_form(ws, "ikp"), issue_form(ws, "aptika")
    issue_form(ws, "statistik")
    masuk = tmp_path / "masuk"
    fill_docx(mi, GOOD_IKP, masuk / "bidang-ikp.docx")
    fill_xlsx(ma, {1: ("3,2", "Evaluasi belum final"), 2: (4, "")}, masuk / "bidang-aptika.xlsx")
    collect(ws, [masuk])
    return ws


def _yaml(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    out = tmp_path / "laporan.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def _docx_text(path: Path) -> tuple[str, list[list[str]]]:
    doc = Document(path)
    paras = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    return paras, rows


def test_laporan_docx_has_cover_chapters_table_chart_and_signature(collected, tmp_path):
    src = _yaml(tmp_path, analisis_sasaran=[{
        "sasaran": "Meningkatnya keterbukaan informasi publik",
        "paragraf": ["Aduan turun menjadi 8, lebih baik dari target 10."]}])
    r = make.make(collected, "laporan", src, tmp_path / "out")
    docx = r.docx[0]
    paras, rows = _docx_text(docx)
    for text in ("LAPORAN CAPAIAN KINERJA", "TRIWULAN III TAHUN 2026", "DINAS KOMUNIKASI DAN INFORMATIKA",
                 "PEMERINTAH KOTA KEDIRI", "BAB I\nPENDAHULUAN", "BAB II\nCAPAIAN KINERJA",
                 "BAB III\nANALISIS", "BAB IV\nPENUTUP", "Tabel 2.1 Capaian Kinerja Triwulan III Tahun 2026",
                 "Gambar 2.1", "A. Sasaran: Meningkatnya keterbukaan informasi publik",
                 "Aduan turun menjadi 8, lebih baik dari target 10.",
                 "belum menyampaikan data kinerja: Bidang Statistik dan Persandian",
                 "rata-rata capaian 103,58%", "Secara umum capaian kinerja Triwulan III Tahun 2026",
                 "Dinas Komunikasi dan Informatika menghimpun data"):
        assert text in paras, text
    # the rekap table: Indonesian numbers, capaian with two decimals, "-" with the reason
    assert ["Bidang Informasi dan Komunikasi Publik"] * 8 in rows
    assert ["3", "Meningkatnya kualitas layanan informasi", "Jumlah siaran pers yang diterbitkan",
            "rilis", "1.200", "1.234,5", "102,88", ""] in rows
    assert ["1", "Meningkatnya layanan e-government", "Indeks SPBE", "indeks", "3,5", "3,2", "91,43",
            "Evaluasi belum final"] in rows
    zero = next(r for r in rows if r[2] == "Jumlah aplikasi terintegrasi")
    assert zero[6] == "-" and "Target 0" in zero[7]
    # signature block: place and date, jabatan, name, pangkat, grouped NIP
    cells = "\n".join(c for r in rows for c in r)
    assert "Kediri, 22 November 2026" in cells and "Kepala Dinas Komunikasi dan Informatika," in cells
    assert "NIP. 19650125 199303 1 008" in cells
    doc = Document(docx)
    name = next(p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
                if p.text == "Drs. APIP PERMANA, MM.")
    assert all(run.bold and run.underline for run in name.runs if run.text.strip())
    # the chart is an image in the body, besides the logo on the cover
    blips = doc.element.body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert len(blips) == 2
    assert read_properties(docx)["docgen.kind"] == "laporan"
    assert "Lampiran 2. Formulir Data Kinerja Bidang Aplikasi Informatika" in paras


def test_laporan_pdf_has_bookmarks_lampiran_and_properties(collected, tmp_path, soffice):
    r = make.make(collected, "laporan", _yaml(tmp_path), tmp_path / "out", pdf=True)
    pdf = r.pdf[0]
    assert pdf == tmp_path / "out" / "laporan-2026-TW3.pdf"
    reader = PdfReader(pdf)
    pages = [p.extract_text() for p in reader.pages]

    def flat(items, depth=0):
        for it in items:
            if isinstance(it, list):
                yield from flat(it, depth + 1)
            else:
                yield depth, it.title, reader.get_destination_page_number(it)

    marks = list(flat(reader.outline))
    titles = [(d, t) for d, t, _ in marks]
    assert titles == [
        (0, "Sampul"), (0, "BAB I PENDAHULUAN"), (0, "BAB II CAPAIAN KINERJA"), (0, "BAB III ANALISIS"),
        (0, "BAB IV PENUTUP"), (0, "DAFTAR LAMPIRAN"), (0, "LAMPIRAN"),
        (1, "Lampiran 1: Formulir Bidang Informasi dan Komunikasi Publik"),
        (1, "Lampiran 2: Formulir Bidang Aplikasi Informatika"),
    ]
    page = {t: p for _, t, p in marks}
    assert pages[page["BAB II CAPAIAN KINERJA"]].lstrip().startswith("BAB II")
    assert "102,88" in pages[page["BAB II CAPAIAN KINERJA"]]
    assert "NIP. 19650125 199303 1 008" in pages[page["BAB IV PENUTUP"]]
    # lampiran pages: the Word form as returned, the Excel form rendered as a table
    ikp = pages[page["Lampiran 1: Formulir Bidang Informasi dan Komunikasi Publik"]]
    assert "ID Formulir: " in ikp and "1.234,5" in ikp
    apt = pages[page["Lampiran 2: Formulir Bidang Aplikasi Informatika"]]
    assert "BIDANG APLIKASI INFORMATIKA" in apt and "Evaluasi belum final" in apt and "3,2" in apt
    assert len(reader.pages) == page["Lampiran 2: Formulir Bidang Aplikasi Informatika"] + 1
    props = read_pdf_properties(pdf)
    assert props["docgen.kind"] == "laporan" and props["docgen.id"] == r.doc_ids[0]


def test_lampiran_can_be_chosen(collected, tmp_path, soffice):
    r = make.make(collected, "laporan", _yaml(tmp_path, lampiran=["aptika"]), tmp_path / "o", pdf=True)
    reader = PdfReader(r.pdf[0])
    titles = [it.title for it in reader.outline if not isinstance(it, list)]
    assert "LAMPIRAN" in titles
    children = next(it for it in reader.outline if isinstance(it, list))
    assert [c.title for c in children] == ["Lampiran 1: Formulir Bidang Aplikasi Informatika"]


def test_laporan_without_rekap_or_with_bad_keys_is_refused(ws, collected, tmp_path):
    with pytest.raises(InputError) as e:
        make.make(collected, "laporan", _yaml(tmp_path, periode="2026-TW1"), tmp_path / "o")
    assert "no rekap for period '2026-TW1'" in str(e.value) and "docgen collect" in str(e.value)
    with pytest.raises(InputError) as e:
        make.make(collected, "laporan", _yaml(tmp_path, lampiran=["keuangan"]), tmp_path / "o")
    assert "lampiran[1]" in str(e.value) and "keuangan" in str(e.value)
    for bad in (2026, "TW3", "2026-TW5"):  # `periode: 2026` unquoted used to say "valid string"
        with pytest.raises(InputError) as e:
            make.make(collected, "laporan", _yaml(tmp_path, periode=bad), tmp_path / "o")
        assert e.value.field == "periode" and "is not a period key" in str(e.value)
        assert '"2026-TW3"' in (e.value.fix or "")
    assert not (tmp_path / "o").exists()


def test_cli_make_laporan(collected, tmp_path, cli):
    src = _yaml(tmp_path)
    code, out, err = cli("make", "laporan", str(src), "-o", str(tmp_path / "k"), cwd=collected.root)
    assert code == 0, err
    assert "laporan-2026-TW3.docx" in out and "forms still missing: Bidang Statistik" in out
    shutil.rmtree(tmp_path / "k")
    code, out, err = cli("make", "laporan", str(_yaml(tmp_path, penandatangan="bupati")),
                         cwd=collected.root)
    assert code != 0 and "penandatangan" in err and "Traceback" not in err


def test_rekap_table_keeps_units_whole_and_rows_unsplit(ws, tmp_path, soffice):
    # "kejadian" was broken "kejadia/n" in the 1,4 cm Satuan column; rows split across pages
    import json

    m = issue_form(ws, "statistik")
    m["rows"][0]["satuan"] = "kejadian"
    (ws.data_dir / "permintaan" / f"{m['doc_id']}.json").write_text(json.dumps(m), encoding="utf-8")
    collect(ws, [fill_docx(m, {1: ("12", "")}, tmp_path / "masuk" / "statistik.docx")])
    r = make.make(ws, "laporan", _yaml(tmp_path, lampiran=[]), tmp_path / "out", pdf=True)
    words = " ".join(p.extract_text() for p in PdfReader(r.pdf[0]).pages).split()
    assert "kejadian" in words
    doc = Document(r.docx[0])
    rekap = next(t for t in doc.tables if t.rows[0].cells[3].text == "Satuan")
    data_rows = [row for row in rekap.rows[1:] if row.cells[3].text == "kejadian"]
    assert data_rows and all(row._tr.trPr is not None and row._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
        for row in data_rows)
