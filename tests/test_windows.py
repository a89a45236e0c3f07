"""Windows and Word, tested on Linux: a docgen.toml with a BOM, files held open by
Word/Excel, fonts through %WINDIR%, the register on a network share, no POSIX-only calls."""

from __future__ import annotations

import os
import re
from pathlib import Path, PureWindowsPath

import pytest

import docgen
from docgen import workspace
from docgen.register import store
from docgen.sign import fonts, stamp

SOURCES = sorted(Path(docgen.__file__).parent.rglob("*.py"))


def test_docgen_toml_saved_by_notepad_with_a_bom_is_read(ws, cli):
    text = ws.config_file.read_text(encoding="utf-8").replace("\n", "\r\n")  # Notepad: CRLF too
    ws.config_file.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert workspace.load(ws.root).config.kop.kota == "Kediri"
    code, out, err = cli("-W", str(ws.root), "check-config")
    assert "TOML syntax error" not in err
    assert "docgen.toml" in out + err


def test_a_data_file_with_a_bom_is_read(ws, cli):
    src = ws.root / "contoh" / "disposisi.yaml"
    src.write_bytes(b"\xef\xbb\xbf" + src.read_bytes())
    code, out, err = cli("-W", str(ws.root), "check", "disposisi", str(src))
    assert code == 0, err


def _held_by_word(monkeypatch, pattern: str) -> None:
    """Windows refuses to replace a file Word or Excel holds open: os.replace fails."""
    real = os.replace

    def replace(src, dst, *a, **kw):
        if Path(dst).match(pattern):
            raise PermissionError(13, "Permission denied", str(src), None, str(dst))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)


def test_output_open_in_word_is_named_in_make(ws, cli, monkeypatch):
    src = ws.root / "contoh" / "disposisi.yaml"
    _held_by_word(monkeypatch, "disposisi*.docx")
    code, out, err = cli("-W", str(ws.root), "make", "disposisi", str(src))
    assert code == 1
    assert re.search(rf"error: {re.escape(str(ws.output_dir))}/disposisi\S*\.docx is open in another "
                     r"program \(Word/Excel\): close it and run again", err), err
    assert "internal error" not in err and "Traceback" not in err


def test_buku_agenda_open_in_excel_is_named_in_register_export(ws, cli, monkeypatch):
    _held_by_word(monkeypatch, "buku-agenda-surat-keluar-2026.xlsx")
    code, out, err = cli("-W", str(ws.root), "register", "export", "--tahun", "2026")
    xlsx = ws.output_dir / "buku-agenda-surat-keluar-2026.xlsx"
    assert code == 1
    assert f"error: {xlsx} is open in another program (Word/Excel): close it and run again" in err


def test_input_locked_by_excel_is_named(ws, cli, monkeypatch):
    # Excel holds a workbook it has open with a share lock: even reading it fails
    from docgen import datafile

    def locked(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(datafile, "load_yaml", locked)
    src = ws.root / "contoh" / "disposisi.yaml"
    code, _, err = cli("-W", str(ws.root), "check", "disposisi", str(src))
    assert code == 1
    assert f"{src} is open in another program (Word/Excel)" in err


def test_fonts_are_found_through_windir(monkeypatch, tmp_path):
    windir = tmp_path / "WINNT"  # not C:\Windows: wherever Windows is installed
    (windir / "Fonts").mkdir(parents=True)
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    got = fonts.candidates()
    assert windir / "Fonts" / "arial.ttf" in got
    assert tmp_path / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts" / "arial.ttf" in got
    assert windir / "Fonts" / "arial.ttf" in stamp.metric_fonts()
    # Liberation anywhere still before Arial, Arial before DejaVu
    names = [p.name for p in got]
    assert names.index("LiberationSans-Regular.ttf") < names.index("arial.ttf") < names.index("DejaVuSans.ttf")


def test_no_hard_coded_windows_folders_or_posix_only_calls():
    bad = re.compile(r"[A-Z]:[/\\]{1,2}Windows|\bfcntl\b|os\.(getuid|geteuid|fork|killpg|setsid)\b"
                     r"|shell=True|preexec_fn|import (pwd|grp)\b")
    found = [f"{p.relative_to(p.parents[1])}:{i}: {line.strip()}"
             for p in SOURCES for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if bad.search(line)]
    assert found == []


def test_register_on_a_unc_share_is_refused_with_the_fix(tmp_path):
    unc = PureWindowsPath(r"\\fileserver\kantor\docgen\register.sqlite")
    assert store.on_network_share(Path(str(unc)))
    reg = store.Register(Path(str(unc)), config_file=tmp_path / "docgen.toml")
    with pytest.raises(store.ConfigError) as e:
        reg.list()
    text = str(e.value)
    assert "paths.register_db" in text and "network share" in text and "[database] url" in text
    assert not Path(str(unc)).exists()  # nothing was created, no WAL files


def test_register_on_a_mounted_share_is_refused_in_the_cli(ws, cli, monkeypatch):
    from docgen.archive import watcher

    monkeypatch.setattr(watcher, "is_network_path", lambda p: Path(p) == ws.root)
    code, out, err = cli("-W", str(ws.root), "register", "take", "-k", "000.5.3.1", "-p", "Uji")
    assert code == 1
    assert "paths.register_db: the register" in err and "is on a network share" in err
    assert "[database] url" in err and "Traceback" not in err
    assert not list(ws.root.glob("register.sqlite*"))  # no number, no WAL file
    monkeypatch.setattr(watcher, "is_network_path", lambda p: False)
    code, out, err = cli("-W", str(ws.root), "register", "take", "-k", "000.5.3.1", "-p", "Uji")
    assert code == 0, err



def test_signed_pdf_open_in_a_reader_is_named_in_sign(ws, cli, monkeypatch):
    from test_sign import BLOCK, make_pdf

    from docgen.sign.demo_keys import enable_demo_signer

    key = enable_demo_signer(ws, "kepala")
    pdf = make_pdf(ws.root / "surat.pdf", [BLOCK])
    _held_by_word(monkeypatch, "surat-ttd.pdf")
    code, out, err = cli("-W", str(ws.root), "sign", str(pdf), "--signer", "kepala",
                         env={key.passphrase_env: key.passphrase})
    assert code == 1
    assert f"error: {pdf.with_name('surat-ttd.pdf')} is open in another program (Word/Excel)" in err
    assert sorted(p.name for p in ws.root.glob("surat*")) == ["surat.pdf"]  # no temp file left
