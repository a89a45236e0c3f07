"""`docgen demo`: the whole SOP end to end, checked on what a person would open."""

from __future__ import annotations

import json
import re

from pypdf import PdfReader

from docgen import archive, workspace
from docgen.register import Register
from docgen.sign import cli_support


def test_demo_end_to_end(cli, tmp_path, soffice):
    root = tmp_path / "demo"
    code, out, err = cli("demo", str(root))
    assert code == 0, err
    ws = workspace.load(root)
    keluaran = ws.output_dir

    # five seed SOP sheets as PDFs
    assert len(list((keluaran / "sop").glob("*.pdf"))) == 5

    # one form per Bidang, each filled and read back into the rekap
    forms = sorted(keluaran.glob("permintaan-data-*.docx"))
    assert len(forms) == len(ws.config.bidang) == 4
    rekap = json.loads((ws.data_dir / "rekap" / "2026-TW3.json").read_text(encoding="utf-8"))
    assert set(rekap["bidang"]) == set(ws.config.bidang) and rekap["kelengkapan"]["lengkap"]
    for bidang in rekap["bidang"].values():
        assert all(r["realisasi"] is not None for r in bidang["rows"])

    # the signed laporan verifies as intact and trusted against the workspace roots
    signed = keluaran / "laporan-2026-TW3-ttd.pdf"
    statuses = cli_support.verify_for_workspace(ws, signed)
    assert statuses and all(s.intact and s.valid and s.trusted and not s.modified_after for s in statuses)
    text = "".join(p.extract_text() for p in PdfReader(signed).pages)
    assert "LAPORAN CAPAIAN KINERJA" in text and "BAB II" in text and "LAMPIRAN" in text
    assert "19650125 199303 1 008" in text

    # the surat pengantar took the first number of the year, and the buku agenda shows it
    entries = Register.for_workspace(ws).list()
    assert [e.nomor for e in entries if e.jenis == "surat-pengantar"] == ["000.7.5/1/Diskominfo/2026"]
    assert "000.7.5/1/Diskominfo/2026" in out

    # both signed PDFs were filed by the watcher and the archive is intact
    hits = archive.search(ws, "000.7.5/1/Diskominfo/2026")
    assert hits and hits[0].signed
    assert archive.verify(ws).ok
    assert not list(ws.inbox_dir.glob("*.pdf"))
    assert len(list((ws.archive_dir / "2026").glob("*.pdf"))) == 2

    # one account per role for `docgen serve`, with its password, and how to start it
    for role in ("staf", "pejabat", "arsiparis", "admin"):
        assert re.search(rf"\b{role}\b.*\S{{8,}}", out), role
    assert "serve" in out and (root / "web.sqlite").is_file()


def test_demo_refuses_a_non_empty_folder(cli, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("data", encoding="utf-8")
    code, _out, err = cli("demo", str(tmp_path / "x"))
    assert code != 0 and "not empty" in err and "Traceback" not in err
    assert (tmp_path / "x" / "keep.txt").read_text(encoding="utf-8") == "data"
