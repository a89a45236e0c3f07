"""The naskah kinds defined by data only (Permendagri 1/2023): surat dinas, surat undangan,
surat tugas, berita acara, surat keputusan. Each is made from its example in contoh/, takes
its nomor from the one register, and is converted to PDF in one LibreOffice batch."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from docgen import convert, make, workspace
from docgen.errors import DocgenError
from docgen.kinds import all_kinds
from docgen.register import Register

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_letters import docx_paragraphs  # noqa: E402

KINDS = ["surat-dinas", "surat-undangan", "surat-tugas", "berita-acara", "surat-keputusan"]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every kind made from its example, in order, then all converted in one batch."""
    ws = workspace.init(tmp_path_factory.mktemp("naskah") / "ws")
    out = ws.root / "keluaran"
    results = {k: make.make(ws, k, ws.root / "contoh" / f"{k}.yaml", out, yes=True) for k in KINDS}
    pdfs = convert.convert([r.docx[0] for r in results.values()])
    texts = {k: [p.extract_text() for p in PdfReader(pdf).pages] for k, pdf in zip(KINDS, pdfs, strict=True)}
    return ws, results, texts


def test_every_kind_is_data_only_and_has_an_example(made):
    ws, _, _ = made
    kinds = all_kinds(ws)
    for k in KINDS:
        assert kinds[k].numbered and "[schema:" in kinds[k].description
        assert (ws.root / "contoh" / f"{k}.yaml").is_file()
        assert not (Path(__file__).resolve().parents[1] / "docgen" / "kinds" / f"{k.replace('-', '_')}.py").exists()


def test_all_kinds_share_the_registers_numbering(made):
    ws, results, _ = made
    nomors = [r.nomor for r in results.values()]
    # lingkup "tahun": one counter for the year, whatever the kind or code
    assert [n.split("/")[1] for n in nomors] == ["1", "2", "3", "4", "5"]
    reg = Register.for_workspace(ws)
    try:
        entries = {e.nomor: e for e in reg.list(2026)}
    finally:
        reg.close()
    assert set(nomors) <= set(entries)
    st = entries[results["surat-tugas"].nomor]
    assert st.jenis == "surat-tugas" and st.tujuan == "Dra. SRI WAHYUNI, M.Si.; BAGUS PRASETYO, S.Kom."
    assert entries[results["surat-keputusan"].nomor].perihal.startswith("Pembentukan Tim Pengumpul")
    assert entries[results["berita-acara"].nomor].klasifikasi == "000.2.4"


def test_surat_dinas(made):
    _, results, texts = made
    r = results["surat-dinas"]
    paras = docx_paragraphs(r.docx[0])
    assert f"Nomor\t:\t{r.nomor}" in paras and "Lampiran\t:\t1 (satu) berkas" in paras
    assert "Kediri, 7 Oktober 2026" in paras and "Hal\t:\tPermohonan Data Target Indikator Kinerja Tahun 2026" in paras
    assert "Yth. Kepala Badan Perencanaan Pembangunan Daerah Kota Kediri" in paras
    i = paras.index("Tembusan:")
    assert paras[i + 1:i + 3] == ["1.\tYth. Wali Kota Kediri (sebagai laporan);", "2.\tYth. Sekretaris Daerah Kota Kediri."]
    page = texts["surat-dinas"][0]
    assert "Drs. APIP PERMANA, MM." in page and "NIP. 19650125 199303 1 008" in page and len(texts["surat-dinas"]) == 1


def test_surat_undangan_has_the_schedule_and_a_daftar_undangan_page(made):
    _, results, texts = made
    paras = docx_paragraphs(results["surat-undangan"].docx[0])
    assert "hari, tanggal\t:\tKamis, 8 Oktober 2026" in paras and "waktu\t:\t09.00 WIB s.d. selesai" in paras
    assert "Yth. Daftar Undangan Terlampir" in paras and "Lampiran\t:\t1 (satu) lembar" in paras
    pages = texts["surat-undangan"]
    assert len(pages) == 2 and pages[1].lstrip().startswith("LAMPIRAN")
    assert "DAFTAR UNDANGAN" in pages[1] and "5. Kepala Subbagian Penyusunan Program dan Keuangan" in pages[1]
    assert results["surat-undangan"].nomor in pages[1]


def test_surat_tugas_lists_dasar_people_and_tasks(made):
    _, results, texts = made
    paras = docx_paragraphs(results["surat-tugas"].docx[0])
    assert "SURAT TUGAS" in paras and f"NOMOR {results['surat-tugas'].nomor}" in paras
    assert "Kepada\t:\t1.\tNama\t:\tDra. SRI WAHYUNI, M.Si." in paras
    assert "\t\t\tNIP\t:\t19880712 201101 1 003" in paras
    untuk = [p for p in paras if p.startswith(("Untuk\t", "\t\t2.")) and "Melaporkan" in p or "Mengikuti" in p]
    assert untuk[0].endswith("Surabaya;") and untuk[1].endswith("tugas selesai.")  # one ";", not ";;"
    assert "MEMBER" in texts["surat-tugas"][0] and "Kediri, 9 Oktober 2026" in texts["surat-tugas"][0]


def test_berita_acara_writes_the_date_in_words_and_has_the_parties_sign(made):
    _, results, texts = made
    docx = results["berita-acara"].docx[0]
    paras = docx_paragraphs(docx)
    assert any(p.startswith("Pada hari ini Kamis tanggal delapan bulan Oktober tahun dua ribu dua puluh enam, "
                            "bertempat di Kantor Dinas") for p in paras)
    assert "selanjutnya disebut PIHAK KESATU." in paras and "selanjutnya disebut PIHAK KEDUA." in paras
    rows = [[c.text for c in row.cells] for t in Document(str(docx)).tables for row in t.rows]
    assert ["2", "Monitor LED 24 inci", "2", "unit", "Baru"] in rows
    sign = next(r for r in rows if r[0].startswith("PIHAK"))
    assert [c.split("\n")[0] for c in sign] == ["PIHAK KESATU,", "PIHAK KEDUA,"]
    assert "BAGUS PRASETYO, S.Kom." in sign[0] and "RINA KUSUMAWATI, S.T." in sign[1]
    text = "\n".join(texts["berita-acara"])
    assert "Mengetahui," in text and "Drs. APIP PERMANA, MM." in text
    assert "NIP. 19900123 201503 2 002" in text


def test_surat_keputusan_has_menimbang_mengingat_and_numbered_diktum(made):
    _, results, texts = made
    r = results["surat-keputusan"]
    paras = docx_paragraphs(r.docx[0])
    assert "KEPUTUSAN KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KOTA KEDIRI" in paras
    assert f"NOMOR {r.nomor}" in paras and "TENTANG" in paras and "MEMUTUSKAN:" in paras
    assert "PEMBENTUKAN TIM PENGUMPUL DAN PENGOLAH DATA KINERJA TAHUN 2026" in paras
    marks = [p.split("\t")[:3] for p in paras if p.startswith(("Menimbang", "Mengingat", "\t\t"))]
    assert ["Menimbang", ":", "a."] in marks and ["", "", "b."] in marks and ["Mengingat", ":", "1."] in marks
    diktum = [p.split("\t")[0] for p in paras if p.startswith("KE") and "\t:\t" in p]
    assert diktum == ["KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    assert "c.\tmenyusun rekapitulasi dan laporan capaian kinerja kepada Kepala Dinas." in paras
    text = "\n".join(texts["surat-keputusan"])
    assert "Ditetapkan di Kediri" in text and "pada tanggal 2 Oktober 2026" in text


def test_records_errors_name_the_record_and_field(tmp_path, ws):
    d = yaml.safe_load((ws.root / "contoh" / "surat-tugas.yaml").read_text(encoding="utf-8"))
    del d["pegawai"][1]["jabatan"]
    f = tmp_path / "st.yaml"
    f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DocgenError) as e:
        make.make(ws, "surat-tugas", f, tmp_path / "o")
    assert "pegawai[2].jabatan" in str(e.value)
    d = yaml.safe_load((ws.root / "contoh" / "berita-acara.yaml").read_text(encoding="utf-8"))
    d["pihak"][0]["pejabat"] = "bendahara"
    f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DocgenError) as e:
        make.make(ws, "berita-acara", f, tmp_path / "o")
    assert e.value.field == "pihak[1].pejabat" and "bendahara" in str(e.value)
    assert not (tmp_path / "o").exists()


def test_a_party_can_be_an_official_of_docgen_toml(tmp_path, ws):
    d = yaml.safe_load((ws.root / "contoh" / "berita-acara.yaml").read_text(encoding="utf-8"))
    d["pihak"][0] = {"pejabat": "sekretaris"}
    f = tmp_path / "ba.yaml"
    f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    r = make.make(ws, "berita-acara", f, tmp_path / "o")
    sekretaris = ws.pejabat("sekretaris").konteks()
    paras = docx_paragraphs(r.docx[0])
    assert f"1.\tNama\t:\t{sekretaris['nama']}" in paras and sekretaris["nama"] in paras
