"""Offices other than the example's Kota Kediri: a Kecamatan without logo, website or
e-mail, a Kabupaten Dinas with a Plt. head and an a.n. signer, F4 paper, other number
formats. Each test opens what a clerk would open (DOCX, PDF, the register) and checks
what is seen there; config mistakes must be one clear message and take no number."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from test_letters import docx_paragraphs

from docgen import workspace
from docgen.register import Register

KECAMATAN = """
[kop]
pemerintah = "PEMERINTAH KABUPATEN MOJOKERTO"
instansi = ["KECAMATAN DAWARBLANDONG"]
alamat = "Jl. Mayjend Sungkono No. 61 Dawarblandong"
kode_pos = "61354"
telepon = "(031) 7921515"
kota = "Dawarblandong"
kode_unit = "416-317"

[pejabat.camat]
jabatan = "Camat Dawarblandong"
nama = "AKHMAK TAUFIQ, S.Sos., M.M."
pangkat = "Pembina (IV/a)"
nip = "19700626 199003 1 006"

[pejabat.sekcam]
jabatan = "Sekretaris Kecamatan"
nama = "SRI WAHYUNI, S.H."
pangkat = "Penata Tingkat I (III/d)"
nip = "197807152006042009"
atas_nama = "a.n. Camat Dawarblandong"

[pejabat.kasi_pem]
jabatan = "Kepala Seksi Pemerintahan"
nama = "BAMBANG HERMANTO"

[bidang.pem]
nama = "Seksi Pemerintahan"
pejabat = "kasi_pem"

[bidang.trantib]
nama = "Seksi Ketenteraman dan Ketertiban Umum"

[penomoran]
format = "{klasifikasi}/{urut}/{unit}/{bulan_romawi}/{tahun}"
"""

DINAS_PLT = """
[kop]
pemerintah = "PEMERINTAH KABUPATEN JENEPONTO"
instansi = ["DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK"]
alamat = "Jl. Lanto Dg. Pasewang No. 8 Bontosunggu"
telepon = "(0419) 21034"
laman = "diskominfostat.jenepontokab.go.id"
email = "diskominfostat@jenepontokab.go.id"
logo = "logo.png"
kota = "Bontosunggu"
kode_unit = "113"

[pejabat.kepala]
jabatan = "Kepala Dinas Komunikasi, Informatika dan Statistik"
nama = "MUSTAUFIO, S.IP., S.E., M.Si."
pangkat = "Pembina Tingkat I (IV/b)"
nip = "198402062011011005"
atas_nama = "Plt."

[pejabat.sekretaris]
jabatan = "Sekretaris"
nama = "HASNAWATI, S.Sos."
pangkat = "Pembina (IV/a)"
nip = "197911112006042015"
atas_nama = "a.n. Plt. Kepala Dinas Komunikasi, Informatika dan Statistik"

[bidang.ikp]
nama = "Bidang Informasi dan Komunikasi Publik"

[penomoran]
format = "{klasifikasi}/{urut}/{kode_instansi}.{unit}/{tahun}"
kode = { kode_instansi = "416" }
padding = 3
lingkup = "tahun-klasifikasi"

[kertas]
ukuran = "f4"
"""

SURAT = """
klasifikasi: "000.7.5"
perihal: Penyampaian Laporan Kinerja Triwulan III
kepada: Inspektur Daerah
tanggal: 2026-11-22
penandatangan: {signer}
naskah:
  - uraian: Laporan Capaian Kinerja Triwulan III Tahun 2026
    banyaknya: 1 (satu) eksemplar
"""

NOTA = """
kepada: Sekretaris
dari: {signer}
tanggal: 2026-11-22
hal: Pengumpulan Data Kinerja
klasifikasi: "000.7.5"
isi: [Mohon dikoordinasikan.]
"""


def office(tmp_path: Path, toml: str, name: str = "kantor") -> workspace.Workspace:
    ws = workspace.init(tmp_path / name)
    ws.config_file.write_text(toml, encoding="utf-8")
    if "logo =" not in toml:
        (ws.root / "logo.png").unlink()
    return workspace.load(ws.root)


def data(ws, name: str, text: str) -> Path:
    path = ws.root / name
    path.write_text(text, encoding="utf-8")
    return path


paragraphs = docx_paragraphs


def pdf_words(pdf: Path) -> list[tuple[str, float, float, float]]:
    """(word, x left, x right, page width) of page 1, from poppler's pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    import re

    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    return [(w, float(x0), float(x1), width) for x0, x1, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]


# --- a Kecamatan: no logo, no website/e-mail, camat as head, Roman month --------------

def test_kecamatan_without_logo_has_its_kop_centred_and_a_roman_month(tmp_path, cli, soffice):
    ws = office(tmp_path, KECAMATAN)
    src = data(ws, "sp.yaml", SURAT.format(signer="sekcam"))
    code, out, err = cli("make", "surat-pengantar", str(src), "--pdf", cwd=ws.root)
    assert code == 0, err
    assert "nomor: 000.7.5/1/416-317/XI/2026" in out
    docx = ws.output_dir / "surat-pengantar-000.7.5-1-416-317-XI-2026.docx"
    doc = Document(str(docx))
    kop = doc.tables[0]
    # the empty logo column is gone: one cell spanning the kop, no picture anywhere
    assert len(kop.rows[0]._tr.tc_lst) == 1
    assert not doc.element.body.findall(".//" + "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing")
    lines = [p.text for p in kop.rows[0].cells[0].paragraphs]
    assert lines[:2] == ["PEMERINTAH KABUPATEN MOJOKERTO", "KECAMATAN DAWARBLANDONG"]
    # the postal code is printed; only the telephone in the contact line, no empty labels
    assert lines[2] == "Jl. Mayjend Sungkono No. 61 Dawarblandong Kode\u00a0Pos\u00a061354"
    assert lines[3] == "Telepon\u00a0(031)\u00a07921515" and len(lines) == 4
    text = paragraphs(docx)
    # a.n. on its own line above the signer's jabatan; pangkat and grouped NIP under the name
    i = text.index("a.n. Camat Dawarblandong")
    assert text[i + 1] == "Sekretaris Kecamatan,"
    assert "Penata Tingkat I (III/d)" in text and "NIP. 19780715 200604 2 009" in text
    assert "Dawarblandong, 22 November 2026" in text
    assert not [t for t in text if "{{" in t or "{%" in t]
    # in the PDF the office name sits in the middle of the page
    pdf = docx.with_suffix(".pdf")
    words = pdf_words(pdf)
    left = next(x0 for word, x0, _, _ in words if word == "KECAMATAN")
    right, page = next((x1, w) for word, _, x1, w in words if word == "DAWARBLANDONG")
    # centred in the text area (2.5 cm left and 2 cm right margins), not beside an empty column
    assert abs((left + right) / 2 - (page + 0.5 / 2.54 * 72) / 2) < 10, (left, right, page)
    assert PdfReader(str(pdf)).pages[0].mediabox.height == pytest.approx(841.9, abs=1)


def test_signer_without_pangkat_and_nip_gets_no_empty_nip_line(tmp_path, cli):
    ws = office(tmp_path, KECAMATAN)
    src = data(ws, "sp.yaml", SURAT.format(signer="kasi_pem"))
    code, out, err = cli("make", "surat-pengantar", str(src), cwd=ws.root)
    assert code == 0, err
    text = paragraphs(next(ws.output_dir.glob("surat-pengantar-*.docx")))
    i = text.index("Kepala Seksi Pemerintahan,")
    assert text[i + 1:i + 4] == ["", "", ""]  # the signature space
    assert text[-1] == "BAMBANG HERMANTO"  # the sender's name ends the letter: no pangkat, no NIP
    assert "NIP. " not in text  # was printed with nothing after it


def test_permintaan_data_of_a_seksi_without_pejabat_leaves_lines_to_fill(tmp_path, cli):
    ws = office(tmp_path, KECAMATAN)
    ind = data(ws, "ind.yaml", """
pem: [{sasaran: Tertib administrasi, indikator: Persentase surat selesai tepat waktu, satuan: "%",
       target: [90, 90, 95, 95]}]
trantib: [{sasaran: Ketertiban umum, indikator: Jumlah gangguan ketertiban, satuan: kejadian,
           target: [5, 5, 4, 4], arah: turun}]
""")
    src = data(ws, "pd.yaml", f"tahun: 2026\ntriwulan: 3\ntanggal: 2026-10-06\ntenggat: 2026-10-16\nindikator: {ind}\npeminta: sekcam\n")
    code, out, err = cli("make", "permintaan-data", str(src), cwd=ws.root)
    assert code == 0, err
    text = paragraphs(ws.output_dir / "permintaan-data-2026-TW3-trantib.docx")
    assert "Kepala Seksi Ketenteraman dan Ketertiban Umum," in text
    assert any(t.startswith("NIP. ....") for t in text)
    doc = Document(str(ws.output_dir / "permintaan-data-2026-TW3-trantib.docx"))
    table = next(t for t in doc.tables if "Indikator Kinerja" in [c.text for c in t.rows[0].cells])
    assert [c.text for c in table.rows[1].cells][2:5] == ["Jumlah gangguan ketertiban", "kejadian", "4"]


# --- a Dinas with a Plt. head, an a.n. signer, F4 and its own fixed code --------------

def test_plt_head_signs_with_plt_on_the_jabatan_line(tmp_path, cli, soffice):
    ws = office(tmp_path, DINAS_PLT)
    assert ws.config.kertas.ukuran == "F4"  # "f4" as typed
    src = data(ws, "nd.yaml", NOTA.format(signer="kepala"))
    code, out, err = cli("make", "nota-dinas", str(src), "--pdf", cwd=ws.root)
    assert code == 0, err
    assert "nomor: 000.7.5/001/416.113/2026" in out
    docx = next(ws.output_dir.glob("nota-dinas-*.docx"))
    text = paragraphs(docx)
    assert "Plt." not in text  # never a line of its own
    assert "Plt. Kepala Dinas Komunikasi, Informatika dan Statistik," in text
    assert "Dari\t:\tPlt. Kepala Dinas Komunikasi, Informatika dan Statistik" in text
    assert "MUSTAUFIO, S.IP., S.E., M.Si." in text and "NIP. 19840206 201101 1 005" in text
    pdf = docx.with_suffix(".pdf")
    box = PdfReader(str(pdf)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((609.4, 935.4), abs=1.5)  # F4
    flat = " ".join(w for w, _, _, _ in pdf_words(pdf))
    assert "Plt. Kepala Dinas Komunikasi" in flat and "{{" not in flat


def test_an_signer_under_a_plt_head_and_counter_per_classification(tmp_path, cli):
    ws = office(tmp_path, DINAS_PLT)
    # one data file per letter: making the same file again keeps its nomor
    for i, kode in enumerate(("000.7.5", "000.7.5", "000.5.3.1")):
        src = data(ws, f"sp{i}.yaml", SURAT.format(signer="sekretaris").replace('"000.7.5"', f'"{kode}"'))
        code, out, err = cli("make", "surat-pengantar", str(src), cwd=ws.root)
        assert code == 0, err
    with Register.for_workspace(ws) as reg:
        assert [e.nomor for e in reg.list(tahun=2026)] == [
            "000.7.5/001/416.113/2026", "000.7.5/002/416.113/2026", "000.5.3.1/001/416.113/2026"]
    text = paragraphs(ws.output_dir / "surat-pengantar-000.5.3.1-001-416.113-2026.docx")
    i = text.index("a.n. Plt. Kepala Dinas Komunikasi, Informatika dan Statistik")
    assert text[i + 1] == "Sekretaris,"
    code, out, err = cli("register", "export", "--tahun", "2026", cwd=ws.root)
    assert code == 0, err
    agenda = ws.output_dir / "buku-agenda-surat-keluar-2026.docx"
    cells = [c.text for t in Document(str(agenda)).tables for r in t.rows for c in r.cells]
    assert "000.5.3.1/001/416.113/2026" in cells and "22 November 2026" in cells


def test_contact_line_wraps_between_items_only(tmp_path):
    ws = office(tmp_path, DINAS_PLT)
    kontak = ws.config.kop.kontak
    assert kontak.split(", ") == ["Telepon\u00a0(0419)\u00a021034", "Laman\u00a0diskominfostat.jenepontokab.go.id",
                                  "Pos\u2011el\u00a0diskominfostat@jenepontokab.go.id"]


# --- mistakes in docgen.toml -------------------------------------------------------------

MISTAKES = [
    # (what the clerk did, old, new, field named, words of the message/fix)
    ("typo in a key", "kota = ", "kotaa = ", "kop.kotaa", "did you mean 'kota'"),
    ("typo in a table", "[penomoran]", "[penomeran]", "penomeran", "did you mean 'penomoran'"),
    ("NIP with 17 digits", 'nip = "19700626 199003 1 006"', 'nip = "19700626 199003 1 00"',
     "pejabat.camat.nip", "18 digits"),
    ("unknown placeholder", "{unit}/{bulan_romawi}", "{kode_instansi}.{unit}/{bulan_romawi}",
     "penomoran.format", "kode = { kode_instansi"),
    ("bad paper size", "[penomoran]", '[kertas]\nukuran = "Folio"\n[penomoran]', "kertas.ukuran", "'A4' or 'F4'"),
    ("TOML syntax error", 'kota = "Dawarblandong"', 'kota = "Dawarblandong', "", "TOML syntax error"),
    ("wrong type", 'instansi = ["KECAMATAN DAWARBLANDONG"]', "instansi = 5", "kop.instansi", "valid list"),
    ("padding as words", "[penomoran]", '[penomoran]\npadding = "tiga"', "penomoran.padding", "write a number"),
    ("own token named like a built-in", "[penomoran]", '[penomoran]\nkode = { urut = "1" }',
     "penomoran.kode", "built-in token"),
]


@pytest.mark.parametrize("what,old,new,field,words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_config_mistake_is_one_clear_message_and_takes_no_number(tmp_path, cli, what, old, new, field, words):
    ws = office(tmp_path, KECAMATAN)
    src = data(ws, "sp.yaml", SURAT.format(signer="sekcam"))
    text = ws.config_file.read_text(encoding="utf-8")
    assert old in text
    ws.config_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = cli("make", "surat-pengantar", str(src), cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert err.startswith(f"error: {ws.config_file}: {field}".rstrip(": ")), err
    assert words in err and "fix:" in err, err
    assert not list(ws.output_dir.glob("surat-pengantar-*"))
    assert not ws.register_db.exists() or Register(ws.register_db).list() == []


def test_pejabat_missing_from_docgen_toml_is_named_and_takes_no_number(tmp_path, cli):
    ws = office(tmp_path, KECAMATAN)
    src = data(ws, "sp.yaml", SURAT.format(signer="kepala"))  # a Kecamatan has no "kepala"
    code, out, err = cli("make", "surat-pengantar", str(src), cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert "penandatangan: unknown pejabat 'kepala'; known: camat, kasi_pem, sekcam" in err
    assert str(ws.config_file) in err
    assert not ws.register_db.exists() or Register(ws.register_db).list() == []


# --- very long names and address ----------------------------------------------------------

LONG = """
[kop]
pemerintah = "PEMERINTAH KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO"
instansi = ["DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK,",
            "PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA",
            "SERTA PEMBERDAYAAN MASYARAKAT DAN DESA"]
alamat = "Kompleks Perkantoran Pemerintah Kabupaten Kepulauan Siau Tagulandang Biaro, Jalan Pahlawan Nomor 117, Kelurahan Bahu, Kecamatan Siau Timur, Ondong"
telepon = "(0432) 311 123"
email = "dinas.pemberdayaan.perempuan.anak@sitarokab.go.id"
logo = "logo.png"
kota = "Ondong Siau"
kode_unit = "DP3AP2KB-PMD"

[pejabat.kepala]
jabatan = "Kepala Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana serta Pemberdayaan Masyarakat dan Desa"
nama = "Dra. MARIA MAGDALENA THERESIA KALANGI-MANOPPO, M.Si."
pangkat = "Pembina Utama Muda (IV/c)"
nip = "196812251994032007"

[pejabat.sekretaris]
jabatan = "Sekretaris Dinas"
nama = "FRANSISKUS XAVERIUS TAMPUNGAN, S.Sos."

[penomoran]
format = "{klasifikasi}/{urut}/{unit}/{bulan:02d}/{tahun}"

[kertas]
ukuran = "F4"
"""

DISPOSISI = """
surat_dari: Sekretariat Daerah
nomor_surat: 000.7.5/412/2026
tanggal_surat: 2026-10-02
diterima_tanggal: 2026-10-05
hal: Permintaan Data Capaian Kinerja Triwulan III Tahun 2026
diteruskan_kepada: [sekretaris]
harap: [Proses Lebih Lanjut]
pendisposisi: kepala
tanggal: 2026-10-05
"""


def test_long_kop_lines_stay_one_line_each_and_instansi_lines_share_one_size(tmp_path, cli, soffice):
    ws = office(tmp_path, LONG)
    src = data(ws, "d.yaml", DISPOSISI)
    code, out, err = cli("make", "disposisi", str(src), "--pdf", cwd=ws.root)
    assert code == 0, err
    docx = next(ws.output_dir.glob("disposisi-*.docx"))
    kop_cell = Document(str(docx)).tables[0].rows[0].cells[1]
    sizes = {p.text: {r.font.size.pt for r in p.runs} for p in kop_cell.paragraphs if p.text}
    assert max(sizes["PEMERINTAH KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO"]) < 14  # shrunk from 14 pt
    instansi = [sizes[line] for line in ws.config.kop.instansi]
    assert len(set().union(*instansi)) == 1 and max(instansi[0]) < 16  # one size for the office name
    layout = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(docx.with_suffix(".pdf")), "-"],
                            capture_output=True, text=True, check=True).stdout
    printed = [" ".join(line.split()) for line in layout.splitlines()]
    for line in [ws.config.kop.pemerintah, *ws.config.kop.instansi]:
        assert line in printed, (line, printed[:12])  # each one line, none wrapped
    assert "Ondong Siau, 5 Oktober 2026" in printed and "NIP. 19681225 199403 2 007" in printed
