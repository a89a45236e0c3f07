"""Incoming letters: fields read from the text, the buku agenda surat masuk, and the
disposisi written on a letter. Real OCR (Tesseract) on scans made in the test."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from docgen import archive
from docgen.archive import scans
from docgen.archive.samples import write_pdf
from docgen.suratmasuk.fields import parse_tanggal, read_fields

LETTER = """PEMERINTAH KABUPATEN SLEMAN
DINAS KESEHATAN
Jalan Magelang Km 10, Sleman, Telepon (0274) 868409

Sleman, 2 Oktober 2026
Nomor : 440/1234/Dinkes/2026
Sifat : Segera
Lampiran : 1 (satu) berkas
Hal : Undangan Rapat Koordinasi Imunisasi

Yth. Kepala Dinas Komunikasi dan Informatika
di Kediri

Dengan hormat, bersama ini kami mengundang Bapak/Ibu untuk hadir pada rapat koordinasi
imunisasi campak yang akan dilaksanakan di Aula Dinas Kesehatan."""


def test_fields_of_a_letter_with_the_block_on_the_left():
    f = read_fields(LETTER)
    assert f.nomor == "440/1234/Dinkes/2026"
    assert f.tanggal == dt.date(2026, 10, 2)
    assert f.asal == "Dinas Kesehatan Kabupaten Sleman"
    assert f.perihal == "Undangan Rapat Koordinasi Imunisasi"
    assert f.sifat == "Segera"


def test_fields_survive_ocr_noise_and_a_wrapped_perihal():
    text = ("PEMERINTAH PROVINSI JAWA TIMUR\nBADAN PERENCANAAN PEMBANGUNAN\nDAERAH\n"
            "Jl. Pahlawan No. 102 Surabaya\n\nNornor ; 050 / 77 / 101.3 / 2026      Surabaya, 14 Nopember 2026\n"
            "Sifat  : Biasa\nPerihal : Permintaan Data Capaian Kinerja\n          Triwulan III Tahun 2026\n\n"
            "Kepada\nYth. Bupati Kediri")
    f = read_fields(text)
    assert f.nomor == "050/77/101.3/2026"
    assert f.tanggal == dt.date(2026, 11, 14)
    assert f.asal == "Badan Perencanaan Pembangunan Daerah Provinsi Jawa Timur"
    assert f.perihal == "Permintaan Data Capaian Kinerja Triwulan III Tahun 2026"
    assert f.sifat == "Biasa"


def test_the_received_date_is_not_the_letter_date():
    text = ("KECAMATAN DAWARBLANDONG\nJalan Raya Dawar\nDiterima tanggal 9 Maret 2026\n"
            "Mojokerto, 3 Maret 2026\nNomor: 005/12/416.308/2026\nHal: Undangan")
    assert read_fields(text).tanggal == dt.date(2026, 3, 3)


@pytest.mark.parametrize(("text", "date"), [
    ("2 Oktober 2026", dt.date(2026, 10, 2)), ("02-10-2026", dt.date(2026, 10, 2)),
    ("2/10/2026", dt.date(2026, 10, 2)), ("2026-10-02", dt.date(2026, 10, 2)),
    ("31-02-2026", None), ("kemarin", None),
])
def test_dates_as_clerks_type_them(text, date):
    assert parse_tanggal(text) == date


@pytest.fixture
def scan(tmp_path) -> Path:
    assert shutil.which("ocrmypdf"), "run scripts/bootstrap.sh: OCRmyPDF is part of the product"
    return scans.scan(write_pdf(tmp_path / "surat.pdf", [LETTER]), tmp_path / "scan surat.jpg", seed=5)


@pytest.mark.slow
def test_a_scanned_letter_gets_an_agenda_number_and_is_found(ws, scan, cli):
    code, out, err = cli("surat-masuk", "catat", str(scan), "--yes", cwd=ws.root)
    assert code == 0, out + err
    assert out.strip() == "001/SM/2026"
    assert "dari Dinas Kesehatan Kabupaten Sleman: Undangan Rapat Koordinasi Imunisasi" in err
    assert scan.exists()  # the clerk's file stays; the archive has its own copies
    # found by a word of its body and by its number
    [hit] = archive.search(ws, "imunisasi campak")
    assert archive.search(ws, "440/1234/Dinkes/2026")[0].id == hit.id
    code, out, _ = cli("surat-masuk", "list", cwd=ws.root)
    assert "001/SM/2026" in out and "440/1234/Dinkes/2026" in out and "Segera" in out
    # the same letter again is not recorded twice
    code, out, _ = cli("surat-masuk", "catat", str(scan), "--yes", cwd=ws.root)
    assert code == 0 and "already in the buku agenda: 001/SM/2026" in out
    # a void keeps its number; the next letter takes the next one, never the void one
    code, out, _ = cli("surat-masuk", "batal", "001/SM/2026", "--alasan", "dicatat dua kali", cwd=ws.root)
    assert code == 0 and "batal" in out
    other = write_pdf(scan.with_name("lain.pdf"), [LETTER.replace("1234", "1300")])
    code, out, _ = cli("surat-masuk", "catat", str(other), "--yes", cwd=ws.root)
    assert out.strip() == "002/SM/2026"
    code, out, err = cli("surat-masuk", "export", "--tahun", "2026", cwd=ws.root)
    assert code == 0, err
    xlsx, docx = (Path(p) for p in out.split())
    sheet = load_workbook(xlsx).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert values[0][1] == "001/SM/2026" and values[0][-1] == "BATAL: dicatat dua kali"
    assert (values[1][1], values[1][3]) == ("002/SM/2026", "440/1300/Dinkes/2026")
    table = Document(str(docx)).tables[0]
    assert table.rows[0].cells[1].text == "Nomor Agenda"
    assert table.rows[2].cells[5].text == "Dinas Kesehatan Kabupaten Sleman"


@pytest.mark.slow
def test_unconfirmed_suggestions_take_no_number(ws, scan, cli):
    code, out, err = cli("surat-masuk", "catat", str(scan), cwd=ws.root)  # not a terminal, no --yes
    assert code == 1
    assert "Traceback" not in err
    assert "nomor_surat: 440/1234/Dinkes/2026" in err and "--yes" in err
    code, out, _ = cli("surat-masuk", "list", cwd=ws.root)
    assert "no entries" in out
    # corrected by the clerk on the command line
    code, out, err = cli("surat-masuk", "catat", str(scan), "--yes", "--perihal", "Undangan Rapat Imunisasi",
                         "--diterima", "5/10/2026", cwd=ws.root)
    assert code == 0, err
    from docgen.suratmasuk import daftar

    [e] = daftar(ws)
    assert (e.perihal, e.diterima) == ("Undangan Rapat Imunisasi", dt.date(2026, 10, 5))


def test_bad_dates_name_the_field_and_take_no_number(ws, tmp_path, cli):
    pdf = write_pdf(tmp_path / "surat.pdf", [LETTER])
    code, _, err = cli("surat-masuk", "catat", str(pdf), "--yes", "--tanggal", "31-02-2026", cwd=ws.root)
    assert code == 1 and "tanggal_surat" in err and "2 Oktober 2026" in err
    code, _, err = cli("surat-masuk", "catat", str(pdf), "--yes", "--diterima", "1 Oktober 2026", cwd=ws.root)
    assert code == 1 and "received" in err
    code, out, _ = cli("surat-masuk", "catat", str(pdf), "--yes", cwd=ws.root)
    assert out.strip() == "001/SM/2026"  # the refusals consumed nothing


@pytest.mark.slow
def test_a_disposisi_on_the_letter_carries_its_details_and_is_linked(ws, tmp_path, cli, soffice):
    pdf = write_pdf(tmp_path / "surat.pdf", [LETTER])
    cli("surat-masuk", "catat", str(pdf), "--yes", "--diterima", "2026-10-05", cwd=ws.root)
    data = tmp_path / "disposisi.yaml"
    data.write_text("surat_masuk: 001/SM/2026\nditeruskan_kepada: [sekretaris]\n"
                    "harap: [Untuk Dilaksanakan]\ncatatan: Koordinasikan jadwal dengan Puskesmas.\n"
                    "tanggal: 2026-10-06\n", encoding="utf-8")
    code, out, err = cli("make", "disposisi", str(data), "--pdf", cwd=ws.root)
    assert code == 0, out + err
    made = next(ws.output_dir.glob("disposisi-*.pdf"))
    from pypdf import PdfReader

    text = " ".join(PdfReader(made).pages[0].extract_text().split())
    for want in ("Dinas Kesehatan Kabupaten Sleman", "440/1234/Dinkes/2026", "001/SM/2026",
                 "2 Oktober 2026", "5 Oktober 2026", "Undangan Rapat Koordinasi Imunisasi"):
        assert want in text, want
    [r] = archive.ingest(ws, [made], keep=True)
    letter = archive.show(ws, 1)
    assert [d["id"] for d in letter["disposisi"]] == [r.entry_id]
    assert archive.show(ws, r.entry_id)["surat_masuk"]["arsip_no"] == letter["archive_no"]
    # the head's instruction is found together with the letter's number
    assert {h.id for h in archive.search(ws, "jadwal puskesmas")} == {r.entry_id}
    code, out, _ = cli("archive", "show", "1", cwd=ws.root)
    assert "disposisi" in out and r.archive_no in out


def test_a_disposisi_naming_an_unknown_letter_is_refused(ws, tmp_path, cli):
    data = tmp_path / "d.yaml"
    data.write_text("surat_masuk: 099/SM/2026\nditeruskan_kepada: [sekretaris]\nharap: [Arsip]\n",
                    encoding="utf-8")
    code, _, err = cli("check", "disposisi", str(data), cwd=ws.root)
    assert code != 0 and "surat_masuk" in err and "surat-masuk catat" in err
    data.write_text("diteruskan_kepada: [sekretaris]\nharap: [Arsip]\n", encoding="utf-8")
    code, _, err = cli("check", "disposisi", str(data), cwd=ws.root)
    assert code != 0 and "surat_masuk: 001/SM/2026" in err
