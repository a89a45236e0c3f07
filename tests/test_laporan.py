"""`docgen make laporan`: DOCX contents, and the PDF with lampiran and bookmarks (real LibreOffice)."""

from __future__ import annotations

import re
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
                 "rata-rata capaian 103,58%", "Dinas Komunikasi dan Informatika menghimpun data",
                 "KATA PENGANTAR", "DAFTAR ISI", "A. Latar Belakang", "B. Dasar Hukum",
                 "C. Maksud dan Tujuan", "D. Ruang Lingkup", "A. Simpulan", "B. Saran"):
        assert text in paras, text
    # the rekap table: Indonesian numbers, capaian with two decimals, "-" with the reason
    assert ["Bidang Informasi dan Komunikasi Publik"] * 8 in rows
    assert ["3", "Meningkatnya kualitas layanan informasi", "Jumlah siaran pers yang diterbitkan",
            "rilis", "1.200", "1.234,5", "102,88", ""] in rows
    assert ["1", "Meningkatnya layanan e-government", "Indeks SPBE", "indeks", "3,5", "3,2", "91,43",
            "Evaluasi belum final"] in rows
    zero = next(r for r in rows if len(r) > 2 and r[2] == "Jumlah aplikasi terintegrasi")
    assert zero[6] == "-" and "Target 0" in zero[7]
    # signature block: place and date, jabatan, name, pangkat, grouped NIP
    cells = "\n".join(c for r in rows for c in r)
    assert "Kediri, 22 November 2026" in cells and "Kepala Dinas Komunikasi dan Informatika," in cells
    assert "NIP. 19650125 199303 1 008" in cells
    doc = Document(docx)
    name = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
            if p.text == "Drs. APIP PERMANA, MM."][-1]  # the signature (the Kata Pengantar's is first)
    assert all(run.bold and run.underline for run in name.runs if run.text.strip())
    # the chart is an image in the body, besides the logo on the cover
    blips = doc.element.body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert len(blips) == 2
    assert read_properties(docx)["docgen.kind"] == "laporan"
    assert "Lampiran 2.\tFormulir Data Kinerja Bidang Aplikasi Informatika (berkas bidang-aptika.xlsx" in paras


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
    rekap = next(t for t in doc.tables if len(t.columns) > 3 and t.rows[0].cells[3].text == "Satuan")
    data_rows = [row for row in rekap.rows[1:] if row.cells[3].text == "kejadian"]
    assert data_rows and all(row._tr.trPr is not None and row._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
        for row in data_rows)


# --- the laporan as a PDF: one made for the module, with an earlier period collected ---

@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Triwulan II and III collected; the laporan of III made with --pdf (one make: the
    LibreOffice batch and the second pass for the Daftar Isi)."""
    from docgen import workspace

    root = tmp_path_factory.mktemp("laporan")
    ws = workspace.init(root / "ws")
    for b, vals in (("ikp", {1: ("80", ""), 2: ("9", ""), 3: ("1.100", "")}), ("aptika", {1: ("3", ""), 2: ("2", "")})):
        fill_docx(issue_form(ws, b, periode="2026-TW2"), vals, root / "tw2" / f"{b}.docx")
    collect(ws, [root / "tw2"])
    mi, ma = issue_form(ws, "ikp"), issue_form(ws, "aptika")
    issue_form(ws, "statistik")
    fill_docx(mi, GOOD_IKP, root / "masuk" / "bidang-ikp.docx")
    fill_xlsx(ma, {1: ("3,2", "Evaluasi belum final"), 2: (4, "")}, root / "masuk" / "bidang-aptika.xlsx")
    collect(ws, [root / "masuk"])
    r = make.make(ws, "laporan", _yaml(root, kop_sampul=True), root / "out", pdf=True)
    reader = PdfReader(r.pdf[0])
    return ws, r, reader, [p.extract_text() for p in reader.pages]


def _marks(reader):
    def flat(items, depth=0):
        for it in items:
            if isinstance(it, list):
                yield from flat(it, depth + 1)
            else:
                yield depth, it.title, reader.get_destination_page_number(it)
    return list(flat(reader.outline))


def test_daftar_isi_has_the_page_numbers_printed_on_the_pages(made):
    _, r, reader, pages = made
    toc = {}
    for line in pages[2].splitlines():  # cover, Kata Pengantar (i), Daftar Isi (ii)
        m = re.match(r"^(.+?)\.{3,}\s*([ivx]+|\d+)$", line.strip())
        if m:
            toc[m.group(1).strip()] = m.group(2)
    assert list(toc)[:4] == ["KATA PENGANTAR", "DAFTAR ISI", "BAB I PENDAHULUAN", "A. Latar Belakang"]
    assert {"B. Dasar Hukum", "C. Maksud dan Tujuan", "B. Perbandingan dengan Triwulan II Tahun 2026",
            "BAB IV PENUTUP", "A. Simpulan", "B. Saran", "DAFTAR LAMPIRAN"} <= set(toc)
    assert toc["KATA PENGANTAR"] == "i" and toc["DAFTAR ISI"] == "ii" and toc["BAB I PENDAHULUAN"] == "1"
    page_of = {title: page for _, title, page in _marks(reader)}
    for title, number in toc.items():
        page = pages[page_of[title]]
        assert page.splitlines()[-1].strip() == number, (title, number)  # the footer's number
        assert title.split()[-1] in page
    # the DOCX delivered with the PDF carries the same numbers, in a TOC field Word can update
    doc = Document(r.docx[0])
    assert any(p.text == "BAB II CAPAIAN KINERJA\t" + toc["BAB II CAPAIAN KINERJA"] for p in doc.paragraphs)
    assert ' TOC \\o "1-2"' in doc.element.body.xml


def test_bookmarks_lampiran_as_returned_and_properties(made):
    _, r, reader, pages = made
    marks = _marks(reader)
    titles = [(d, t) for d, t, _ in marks]
    assert titles[:3] == [(0, "Sampul"), (0, "KATA PENGANTAR"), (0, "DAFTAR ISI")]
    assert (0, "BAB II CAPAIAN KINERJA") in titles and (1, "A. Capaian Indikator Kinerja") in titles
    assert titles[-3:] == [
        (0, "LAMPIRAN"),
        (1, "Lampiran 1: Formulir Bidang Informasi dan Komunikasi Publik (bidang-ikp.docx)"),
        (1, "Lampiran 2: Formulir Bidang Aplikasi Informatika (bidang-aptika.xlsx)"),
    ]
    page = {t: p for _, t, p in marks}
    assert "NIP. 19650125 199303 1 008" in pages[page["BAB IV PENUTUP"]]
    # the Excel form as returned (converted by Calc), each page labelled with its file name
    apt = pages[page["Lampiran 2: Formulir Bidang Aplikasi Informatika (bidang-aptika.xlsx)"]]
    assert "Lampiran 2: Formulir Bidang Aplikasi Informatika (bidang-aptika.xlsx)" in apt
    assert "Evaluasi belum final" in apt and "FORMAT PERMINTAAN DATA KINERJA" in apt
    ikp = pages[page["Lampiran 1: Formulir Bidang Informasi dan Komunikasi Publik (bidang-ikp.docx)"]]
    assert "(bidang-ikp.docx)" in ikp and "1.234,5" in ikp
    props = read_pdf_properties(r.pdf[0])
    assert props["docgen.kind"] == "laporan" and props["docgen.id"] == r.doc_ids[0]


def test_structure_kop_on_the_cover_dasar_hukum_simpulan_saran(made):
    ws, r, _, pages = made
    assert pages[0].lstrip().startswith("PEMERINTAH KOTA KEDIRI") and "Jalan Basuki Rahmat" in pages[0]
    assert pages[1].lstrip().startswith("KATA PENGANTAR") and "Drs. APIP PERMANA, MM." in pages[1]
    paras = [p.text for p in Document(r.docx[0]).paragraphs]
    i = paras.index("B. Dasar Hukum")
    assert paras[i + 1] == "1.\tUndang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;"
    assert paras[i + 5].startswith("5.\tPeraturan Menteri") and paras[i + 5].endswith("Instansi Pemerintah.")
    assert "Tujuan penyusunan laporan ini adalah:" in paras
    i = paras.index("A. Simpulan")
    assert paras[i + 1].startswith("1.\tPada Triwulan III Tahun 2026, 2 dari 5 indikator kinerja mencapai")
    saran = paras[paras.index("B. Saran") + 1:]
    assert any("Bidang Aplikasi Informatika agar menyusun langkah percepatan pencapaian indikator Indeks SPBE "
               "(capaian 91,43%)" in p for p in saran)
    assert any("Bidang Statistik dan Persandian agar segera menyampaikan data kinerja" in p for p in saran)


def test_comparison_only_from_an_earlier_rekap_with_its_numbers(made, collected, tmp_path):
    _, r, _, _ = made
    doc = Document(r.docx[0])
    text = "\n".join(p.text for p in doc.paragraphs)
    # TW II: capaian 88,89 / 111,11 / 91,67 (ikp), 85,71 (aptika); TW III: 95,00 / 125,00 / 102,88, 91,43
    assert ("Dibandingkan dengan Triwulan II Tahun 2026, dari 4 indikator yang capaiannya dapat dihitung pada "
            "kedua periode, 4 indikator meningkat, 0 indikator menurun dan 0 indikator tetap.") in text
    assert ("naik 9,24 poin persen, dari 94,34% pada Triwulan II Tahun 2026 menjadi 103,58% pada Triwulan III "
            "Tahun 2026") in text
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["1", "Bidang Informasi dan Komunikasi Publik", "Persentase informasi publik yang dipublikasikan",
            "88,89", "95,00", "+6,11"] in rows
    # without an earlier rekap: no comparison, and the laporan says why
    r2 = make.make(collected, "laporan", _yaml(tmp_path), tmp_path / "o")
    text = "\n".join(p.text for p in Document(r2.docx[0]).paragraphs)
    assert "Dibandingkan" not in text and "B. Perbandingan" not in text and "meningkat" not in text
    assert "Data capaian periode sebelumnya (Triwulan II Tahun 2026) belum dikumpulkan" in text


def test_a_hand_written_comparison_without_data_is_warned(collected, tmp_path):
    src = _yaml(tmp_path, analisis=["Capaian menunjukkan kemajuan dibandingkan triwulan sebelumnya."])
    found = make.check(collected, "laporan", src)
    w = next(f for f in found if f.field == "analisis[1]")
    assert w.level == "warning" and "2026-TW2" in w.message
    with pytest.raises(InputError) as e:
        make.make(collected, "laporan", _yaml(tmp_path, pembanding="2025-TW3"), tmp_path / "o")
    assert e.value.field == "pembanding" and "2025-TW3" in str(e.value)


def test_docx_only_leaves_the_daftar_isi_to_word(collected, tmp_path):
    r = make.make(collected, "laporan", _yaml(tmp_path), tmp_path / "o")
    assert any("Daftar Isi gets its page numbers with --pdf" in n for n in r.notes)
    xml = Document(r.docx[0]).element.body.xml
    assert 'w:dirty="true"' in xml and ' TOC \\o' in xml


def test_lampiran_chosen_and_excel_as_a_table(collected, tmp_path, soffice):
    r = make.make(collected, "laporan", _yaml(tmp_path, lampiran=["aptika"], lampiran_formulir="tabel"),
                  tmp_path / "o", pdf=True)
    reader = PdfReader(r.pdf[0])
    marks = _marks(reader)
    assert [t for d, t, _ in marks if d == 1 and t.startswith("Lampiran")] == [
        "Lampiran 1: Formulir Bidang Aplikasi Informatika (bidang-aptika.xlsx)"]
    last = reader.pages[marks[-1][2]].extract_text()
    assert "BIDANG APLIKASI INFORMATIKA" in last and "Diterima dalam format Excel: bidang-aptika.xlsx" in last


def test_the_chart_uses_the_documents_font(ws, tmp_path):
    from docgen.kinds.laporan import chart_font, grafik, template_font

    family = template_font(ws.template("laporan.docx"))
    assert family == "Arial"
    font = chart_font(family)
    assert font in ("Arial", "Liberation Sans")  # Arial, else its metric twin, as LibreOffice prints it
    rows = [{"indikator": "Indeks SPBE", "capaian": 91.43}, {"indikator": "Jumlah aplikasi", "capaian": None}]
    pdf = grafik(rows, "Capaian", tmp_path / "g.pdf", font)
    fonts = {str(f.get_object().get("/BaseFont", "")) for p in PdfReader(pdf).pages
             for f in p["/Resources"]["/Font"].values()}
    assert fonts and all(font.replace(" ", "") in f for f in fonts), fonts


@pytest.mark.parametrize(("key", "before", "label"), [
    ("2026-TW3", "2026-TW2", "Triwulan III Tahun 2026"), ("2026-TW1", "2025-TW4", "Triwulan I Tahun 2026"),
    ("2026-09", "2026-08", "September 2026"), ("2026-01", "2025-12", "Januari 2026"),
])
def test_the_period_before(key, before, label):
    from docgen.collect import rekap

    assert rekap.previous_period(key) == before and rekap.periode_label(key) == label
