"""`docgen register ...` as a clerk uses it, and the buku agenda files it exports."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from docx import Document
from openpyxl import load_workbook

from docgen.register import Register


def take(cli, ws, *extra):
    return cli("register", "take", "--klasifikasi", "000.7.5", "--perihal", "Laporan Capaian Kinerja",
               "--tujuan", "Kepala Bappeda", "--tanggal", "2026-08-17", *extra, cwd=ws.root)


def numbers_taken(ws) -> int:
    if not ws.register_db.exists():
        return 0
    return sqlite3.connect(ws.register_db).execute("SELECT count(*) FROM entry").fetchone()[0]


def test_take_void_confirm_list(cli, ws):
    code, out, err = take(cli, ws)
    assert (code, out.strip()) == (0, "000.7.5/1/Diskominfo/2026"), err
    code, out, err = take(cli, ws, "--reserve")
    assert code == 0 and out.strip() == "000.7.5/2/Diskominfo/2026" and "confirm" in err
    code, out, _ = cli("register", "void", "000.7.5/1/Diskominfo/2026", "--reason", "salah tujuan", cwd=ws.root)
    assert code == 0 and "batal" in out
    code, out, _ = cli("register", "confirm", "000.7.5/2/Diskominfo/2026", cwd=ws.root)
    assert code == 0 and "terbit" in out
    code, out, _ = take(cli, ws)
    assert out.strip() == "000.7.5/3/Diskominfo/2026"  # the void number is not reused

    code, out, _ = cli("register", "list", "--tahun", "2026", cwd=ws.root)
    assert code == 0
    lines = [ln for ln in out.splitlines() if "/Diskominfo/2026" in ln]
    assert len(lines) == 3
    assert "BATAL: salah tujuan" in lines[0] and "17 Agustus 2026" in lines[0]
    assert "terbit" in lines[1] and "terbit" in lines[2]
    assert "3 number(s), 1 void" in out


def test_list_filters(cli, ws):
    take(cli, ws)
    cli("register", "take", "-k", "800", "-p", "Cuti", "--tanggal", "2025-03-01", cwd=ws.root)
    code, out, _ = cli("register", "list", "--klasifikasi", "000.7", cwd=ws.root)
    assert "000.7.5/1/Diskominfo/2026" in out and "800/" not in out
    code, out, _ = cli("register", "list", "--tahun", "2025", cwd=ws.root)
    assert "800/1/Diskominfo/2025" in out and "000.7.5/" not in out
    code, out, _ = cli("register", "list", "--tahun", "2024", cwd=ws.root)
    assert code == 0 and "no entries" in out


def test_unknown_code_is_refused_and_consumes_nothing(cli, ws):
    code, out, err = cli("register", "take", "-k", "123.456", "-p", "x", cwd=ws.root)
    assert code != 0 and out == ""
    assert "unknown kode klasifikasi '123.456'" in err and "docgen codes search" in err
    assert "Traceback" not in err
    assert numbers_taken(ws) == 0
    assert take(cli, ws)[1].strip() == "000.7.5/1/Diskominfo/2026"


def test_bad_input_messages(cli, ws):
    code, _, err = cli("register", "take", "-k", "000.7.5", "-p", "x", "--tanggal", "17-18-2026", cwd=ws.root)
    assert code != 0 and "--tanggal" in err
    code, _, err = cli("register", "take", "-k", "000.7.5", "-p", "  ", cwd=ws.root)
    assert code != 0 and "perihal is empty" in err
    code, _, err = cli("register", "void", "000.7.5/9/Diskominfo/2026", "--reason", "x", cwd=ws.root)
    assert code != 0 and "not in the register" in err and "docgen register list" in err
    code, _, err = cli("register", "void", "000.7.5/9/Diskominfo/2026", cwd=ws.root)
    assert code != 0 and "--reason" in err
    assert numbers_taken(ws) == 0


def test_bad_format_in_config_stops_take(cli, ws):
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        'format = "{klasifikasi}/{urut}/{unit}/{tahun}"', 'format = "{klasifikasi}/{unit}/{tahun}"'),
        encoding="utf-8")
    code, out, err = take(cli, ws)
    assert code != 0 and out == ""
    assert "docgen.toml: penomoran.format" in err and "no {urut}" in err and "fix:" in err
    assert numbers_taken(ws) == 0


def test_export_buku_agenda(cli, ws, tmp_path):
    take(cli, ws)
    take(cli, ws)
    cli("register", "void", "000.7.5/1/Diskominfo/2026", "-r", "dibatalkan pimpinan", cwd=ws.root)
    cli("register", "take", "-k", "800", "-p", "Lain tahun", "--tanggal", "2025-12-31", cwd=ws.root)
    code, out, err = cli("register", "export", "--tahun", "2026", "-o", str(tmp_path / "agenda"), cwd=ws.root)
    assert code == 0, err
    xlsx = tmp_path / "agenda" / "buku-agenda-surat-keluar-2026.xlsx"
    docx = tmp_path / "agenda" / "buku-agenda-surat-keluar-2026.docx"
    assert str(xlsx) in out and str(docx) in out and "2 entries" in out

    sheet = load_workbook(xlsx).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "BUKU AGENDA SURAT KELUAR TAHUN 2026"
    assert values[1][0] == "DINAS KOMUNIKASI DAN INFORMATIKA PEMERINTAH KOTA KEDIRI"  # region named
    header = values.index(["No", "Nomor Surat", "Tanggal", "Kode Klasifikasi", "Perihal", "Tujuan", "Keterangan"])
    assert values[header + 1:] == [
        [1, "000.7.5/1/Diskominfo/2026", "17 Agustus 2026", "000.7.5", "Laporan Capaian Kinerja",
         "Kepala Bappeda", "BATAL: dibatalkan pimpinan"],
        [2, "000.7.5/2/Diskominfo/2026", "17 Agustus 2026", "000.7.5", "Laporan Capaian Kinerja",
         "Kepala Bappeda", None],
    ]

    doc = Document(docx)
    assert doc.paragraphs[0].text == "BUKU AGENDA SURAT KELUAR TAHUN 2026"
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["No", "Nomor Surat", "Tanggal", "Kode Klasifikasi", "Perihal", "Tujuan", "Keterangan"]
    assert rows[1][1:3] == ["000.7.5/1/Diskominfo/2026", "17 Agustus 2026"]
    assert rows[1][6] == "BATAL: dibatalkan pimpinan" and rows[2][6] == ""
    assert len(rows) == 3
    leftovers = [p.name for p in (tmp_path / "agenda").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_export_defaults_to_output_dir(cli, ws):
    code, out, err = cli("register", "export", "--tahun", "2030", cwd=ws.root)
    assert code == 0, err
    assert "0 entries" in out
    docx = ws.output_dir / "buku-agenda-surat-keluar-2030.docx"
    texts = [p.text for p in Document(docx).paragraphs]
    assert "BUKU AGENDA SURAT KELUAR TAHUN 2030" in texts and "Belum ada surat keluar pada tahun ini." in texts


def test_cli_and_library_share_one_register(cli, ws):
    take(cli, ws)
    e = Register.for_workspace(ws).take(klasifikasi="000.7.5", perihal="dari kode", tanggal=dt.date(2026, 9, 1))
    assert e.nomor == "000.7.5/2/Diskominfo/2026"
    code, out, _ = cli("register", "list", cwd=ws.root)
    assert "000.7.5/2/Diskominfo/2026" in out and "1 September 2026" in out


def test_backdated_letter_is_warned_not_refused(ws, cli):
    # nomor 2 dated 5 Oktober after nomor 1 dated 22 November: the buku agenda ran backwards silently
    code, out, err = cli("register", "take", "-k", "000.7.5", "-p", "Pertama", "--tanggal", "2026-11-22",
                         cwd=ws.root)
    assert code == 0 and "warning" not in err
    code, out, err = cli("register", "take", "-k", "000.7.5", "-p", "Kedua", "--tanggal", "2026-10-05",
                         cwd=ws.root)
    assert code == 0 and out.strip() == "000.7.5/2/Diskominfo/2026"
    assert ("warning: 000.7.5/2/Diskominfo/2026 is dated 5 Oktober 2026, but the earlier "
            "000.7.5/1/Diskominfo/2026 is dated 22 November 2026") in err
    src = (ws.root / "contoh" / "surat-pengantar.yaml").read_text(encoding="utf-8")
    (ws.root / "sp.yaml").write_text(src.replace("tanggal: 2026-11-22", "tanggal: 2026-11-01"), encoding="utf-8")
    code, out, err = cli("make", "surat-pengantar", "sp.yaml", cwd=ws.root)  # asked first, nothing taken
    assert code == 5 and "the buku agenda would run backwards in time" in err and "--yes" in err
    code, out, err = cli("make", "surat-pengantar", "sp.yaml", "--yes", cwd=ws.root)
    assert code == 0 and "nomor: 000.7.5/3/Diskominfo/2026" in out
    assert "warning: nomor 000.7.5/3/Diskominfo/2026 is dated 1 November 2026, but the earlier nomor " \
           "000.7.5/1/Diskominfo/2026 is dated 22 November 2026" in err
    code, out, err = cli("register", "void", "000.7.5/1/Diskominfo/2026", "-r", "salah tanggal", cwd=ws.root)
    (ws.root / "sp2.yaml").write_bytes((ws.root / "sp.yaml").read_bytes())
    code, out, err = cli("make", "surat-pengantar", "sp2.yaml", cwd=ws.root)
    assert code == 0 and "warning" not in err  # a void number does not count


@pytest.mark.parametrize("value,words", [("2026-02-31", "31 Februari 2026 does not exist"),
                                         ("22-13-2026", "there is no month 13 (the day comes first"),
                                         ("kemarin", "is not a date; write e.g. 2 Oktober 2026")])
def test_take_with_a_wrong_date_says_what_is_wrong(cli, ws, value, words):
    # '2026-02-31' was told it "does not match the format '%Y-%m-%d'"
    code, out, err = cli("register", "take", "-k", "000.7.5", "-p", "x", "--tanggal", value, cwd=ws.root)
    assert code == 2 and words in err and "%Y" not in err
    assert Register.for_workspace(ws).list() == []
