"""Archive ingest through the real pipeline: real SQLite, real files, real subprocess crashes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from docgen import archive
from docgen.archive.catalog import CATALOG_NAME
from docgen.archive.pipeline import PROCESSING, Archive
from docgen.archive.samples import letter_text, write_pdf


def letter(path: Path, nomor: str, perihal: str, body: str = "Dengan hormat.", tanggal: str = "22 November 2026",
           **info: str) -> Path:
    return write_pdf(path, [letter_text(nomor, perihal, body, tanggal)], info or None)


def reason_of(ws, name: str) -> str:
    return (ws.quarantine_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")


def catalog_rows(ws) -> list[sqlite3.Row]:
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.row_factory = sqlite3.Row
    try:
        return con.execute("SELECT * FROM entries ORDER BY id").fetchall()
    finally:
        con.close()


def test_good_pdf_is_numbered_filed_unchanged_and_removed(ws, tmp_path):
    src = letter(ws.inbox_dir / "surat.pdf", "000.5.3.1/15/Diskominfo/2026", "Laporan kinerja triwulan III",
                 DocgenId="doc-123", DocgenKind="surat-pengantar")
    original = src.read_bytes()
    [r] = archive.ingest(ws, [src])
    assert r.status == "filed", r.line()
    assert r.archive_no == f"ARS/{time.localtime().tm_year}/00001"
    assert r.path.read_bytes() == original  # bytes unchanged
    assert r.path.parent == ws.archive_dir / str(time.localtime().tm_year)
    assert r.path.name.startswith("ARS-") and r.path.name.endswith("_laporan-kinerja-triwulan-iii.pdf")
    assert not src.exists()
    assert list((ws.inbox_dir / PROCESSING).iterdir()) == []
    e = archive.show(ws, 1)
    assert e["letter_no"] == "000.5.3.1/15/Diskominfo/2026"
    assert e["classification"] == "000.5.3.1"
    assert e["doc_id"] == "doc-123" and e["kind"] == "surat-pengantar"
    assert e["doc_date"] == "2026-11-22"
    assert e["signed"] == 0 and e["file_present"]


def test_number_found_in_text_of_an_old_style_letter(ws, tmp_path):
    src = write_pdf(tmp_path / "lama.pdf", ["Kediri, 3 Maret 2021\nNomor: 067/108/419.113/2021\n"
                                            "Hal : Undangan rapat\nDengan ini kami mengundang..."])
    [r] = archive.ingest(ws, [src])
    e = archive.show(ws, r.entry_id)
    assert (e["letter_no"], e["classification"], e["doc_date"]) == ("067/108/419.113/2021", "067", "2021-03-03")
    assert e["title"] == "Undangan rapat"


@pytest.mark.parametrize(
    ("name", "content", "stage", "words"),
    [
        ("kosong.pdf", b"", "check", "empty"),
        ("rusak.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n%%EOF\n", "check", "damaged"),
        # a picture goes to OCR, which names what it could not read
        ("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "ocr", "PNG scan cannot be read"),
        ("catatan.txt", b"bukan pdf", "check", "not a PDF"),
    ],
)
def test_bad_files_are_quarantined_with_a_readable_reason(ws, name, content, stage, words):
    src = ws.inbox_dir / name
    src.write_bytes(content)
    [r] = archive.ingest(ws, [src])
    assert r.status == "quarantined"
    assert not src.exists()
    assert (ws.quarantine_dir / name).read_bytes() == content  # nothing lost
    text = reason_of(ws, name)
    assert f"Stage:       {stage}" in text
    assert words in text
    assert "What to do:" in text
    assert catalog_rows(ws) == []


def test_encrypted_pdf_rejected_unless_a_password_is_configured(ws, tmp_path, monkeypatch):
    plain = letter(tmp_path / "plain.pdf", "000.5.3.1/16/Diskominfo/2026", "Rahasia", "isi rahasia negara")
    w = PdfWriter(clone_from=PdfReader(plain))
    w.encrypt("rahasia123")
    enc = ws.inbox_dir / "terkunci.pdf"
    with enc.open("wb") as fh:
        w.write(fh)
    enc_bytes = enc.read_bytes()
    [r] = archive.ingest(ws, [enc])
    assert r.status == "quarantined" and "encrypted" in r.reason
    assert "pdf_password_env" in reason_of(ws, "terkunci.pdf")

    # With the password configured the same file is filed, text included.
    again = ws.inbox_dir / "terkunci2.pdf"
    again.write_bytes(enc_bytes)
    ws.config.arsip.pdf_password_env = "ARSIP_PDF_PW"
    monkeypatch.setenv("ARSIP_PDF_PW", "rahasia123")
    [r2] = archive.ingest(ws, [again])
    assert r2.status == "filed", r2.line()
    assert [h.id for h in archive.search(ws, "rahasia")] == [r2.entry_id]


def test_size_limit(ws, tmp_path):
    ws.config.arsip.ukuran_maks_mb = 0.0005  # ~500 bytes
    src = letter(tmp_path / "besar.pdf", "000.5.3.1/1/Diskominfo/2026", "Besar", "kata " * 300)
    [r] = archive.ingest(ws, [src])
    assert r.status == "quarantined" and "above the limit" in r.reason
    assert "ukuran_maks_mb" in reason_of(ws, "besar.pdf")


def test_duplicate_rejected_with_pointer_to_existing_entry(ws, tmp_path):
    a = letter(tmp_path / "a.pdf", "000.5.3.1/15/Diskominfo/2026", "Laporan")
    shutil.copy(a, tmp_path / "salinan.pdf")
    [first] = archive.ingest(ws, [a])
    [dup] = archive.ingest(ws, [tmp_path / "salinan.pdf"])
    assert dup.status == "quarantined" and dup.stage == "hash"
    assert first.archive_no in dup.reason and f"entry {first.entry_id}" in dup.reason
    assert f"docgen archive show {first.entry_id}" in reason_of(ws, "salinan.pdf")
    assert len(catalog_rows(ws)) == 1


def test_junk_names_are_ignored_and_left_alone(ws):
    for name in ("scan.pdf.part", "~$surat.docx", "Thumbs.db", ".DS_Store", "x.crdownload"):
        (ws.inbox_dir / name).write_bytes(b"%PDF-1.4 junk")
    results = archive.ingest(ws, sorted(ws.inbox_dir.iterdir()))
    assert {r.status for r in results if r.name != PROCESSING} == {"ignored"}
    assert (ws.inbox_dir / "scan.pdf.part").exists()
    assert list(ws.quarantine_dir.iterdir()) == []


def test_archived_files_cannot_be_filed_again_but_quarantined_ones_can(ws, tmp_path):
    [r] = archive.ingest(ws, [letter(tmp_path / "a.pdf", "000.5.3.1/3/Diskominfo/2026", "Satu")])
    [again] = archive.ingest(ws, [r.path])
    assert again.status == "failed" and "inside the archive" in again.reason
    assert r.path.is_file() and archive.verify(ws).ok  # the archived copy stays where it is

    ws.config.arsip.wajib_tte = True
    [q] = archive.ingest(ws, [letter(tmp_path / "b.pdf", "000.5.3.1/4/Diskominfo/2026", "Dua")])
    assert q.status == "quarantined"
    ws.config.arsip.wajib_tte = False  # the office changed its mind: file it from quarantine
    [ok] = archive.ingest(ws, [q.path])
    assert ok.status == "filed"
    assert list(ws.quarantine_dir.iterdir()) == []  # reason file gone with its PDF


def test_keep_files_the_copy_and_leaves_the_original(ws, tmp_path):
    src = letter(tmp_path / "asli.pdf", "000.5.3.1/2/Diskominfo/2026", "Tetap")
    [r] = archive.ingest(ws, [src], keep=True)
    assert r.status == "filed" and src.exists()


def test_parallel_read_workers_keep_numbering_serial(ws, tmp_path):
    files = [letter(tmp_path / f"s{i:02d}.pdf", f"000.5.3.1/{i}/Diskominfo/2026", f"Surat {i}", f"isi {i}")
             for i in range(20)]
    bad = tmp_path / "s99-rusak.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    results = archive.ingest(ws, [*files, bad], workers=2)
    assert [r.status for r in results] == ["filed"] * 20 + ["quarantined"]
    assert "damaged" in results[-1].reason
    rows = catalog_rows(ws)
    assert [r["seq"] for r in rows] == list(range(1, 21))
    assert archive.verify(ws).ok


def test_signed_pdf_is_filed_with_its_signature_status(ws, tmp_path):
    from docgen.sign import Pkcs12Signer, sign_pdf
    from docgen.sign.demo_keys import make_demo_pki

    pj = ws.pejabat("kepala")
    ca, p12, pw = make_demo_pki(ws.root / "kunci", pj)
    ws.config.tte.trust_roots = [str(ca.relative_to(ws.root))]
    ws.config.arsip.wajib_tte = True
    unsigned = write_pdf(tmp_path / "u.pdf", [letter_text("000.5.3.1/20/Diskominfo/2026", "Laporan", "isi")
                                              + "\n" + pj.nama],
                         {"DocgenId": "d-1", "DocgenNomor": "000.5.3.1/21/Diskominfo/2026",
                          "DocgenKind": "surat-pengantar"})
    signed = sign_pdf(unsigned, tmp_path / "s.pdf", Pkcs12Signer(p12, pw), pejabat=pj, doc_id="d-1",
                      footer=ws.config.tte.footer)
    signed_bytes = signed.read_bytes()
    results = archive.ingest(ws, [signed, unsigned])
    assert [r.status for r in results] == ["filed", "quarantined"]
    assert results[0].path.read_bytes() == signed_bytes  # a signed PDF is never rewritten
    assert "requires one" in results[1].reason and "wajib_tte" in reason_of(ws, "u.pdf")
    e = archive.show(ws, results[0].entry_id)
    assert e["signed"] == 1 and e["sig_valid"] == 1 and e["sig_trusted"] == 1
    assert e["signer"] == pj.nama
    # docgen's embedded properties win over a number found in the text
    assert (e["doc_id"], e["letter_no"], e["kind"]) == ("d-1", "000.5.3.1/21/Diskominfo/2026", "surat-pengantar")
    code_sigs = archive.show(ws, e["id"])["signatures"]
    assert code_sigs[0]["trusted"] is True and code_sigs[0]["signing_time"]
    assert [h.id for h in archive.search(ws, "", signed=True, valid=True, signer="APIP")] == [e["id"]]


def test_register_link_records_perihal_and_klasifikasi(ws, tmp_path):
    from docgen.register import Register

    reg = Register.for_workspace(ws)
    entry = reg.take(klasifikasi="000.5.3.1", perihal="Penyampaian laporan kinerja", doc_id="reg-doc-1")
    reg.close()
    src = write_pdf(tmp_path / "r.pdf", ["isi surat tanpa nomor"], {"DocgenId": "reg-doc-1"})
    [r] = archive.ingest(ws, [src])
    e = archive.show(ws, r.entry_id)
    assert e["title"] == "Penyampaian laporan kinerja"
    assert e["letter_no"] == entry.nomor and e["classification"] == "000.5.3.1"
    assert e["register"]["perihal"] == "Penyampaian laporan kinerja"


@pytest.mark.parametrize("fmt", ["ARS/{tahun}/{nomor}", "ARS/{tahun}", "ARS/{urut:d"])
def test_wrong_archive_number_format_is_a_config_error(ws, tmp_path, cli, fmt):
    text = ws.config_file.read_text(encoding="utf-8").replace('"ARS/{tahun}/{urut:05d}"', f'"{fmt}"')
    ws.config_file.write_text(text, encoding="utf-8")
    src = letter(tmp_path / "a.pdf", "000.5.3.1/1/Diskominfo/2026", "A")
    code, _, err = cli("-W", str(ws.root), "archive", "ingest", str(src))
    assert code == 1 and "arsip.format_nomor" in err and "{urut" in err
    assert src.exists()


def test_custom_archive_number_format(ws, tmp_path):
    ws.config.arsip.format_nomor = "{urut:04d}/ARSIP/{bulan_romawi}/{tahun}"
    [r] = archive.ingest(ws, [letter(tmp_path / "a.pdf", "000.5.3.1/1/Diskominfo/2026", "A")])
    assert r.archive_no.startswith("0001/ARSIP/") and r.path.name.startswith("0001-ARSIP-")


def test_one_writer_at_a_time(ws, tmp_path):
    from docgen.errors import DocgenError

    with Archive.open(ws):
        with pytest.raises(DocgenError, match="another docgen process"):
            archive.ingest(ws, [letter(tmp_path / "x.pdf", "000.5.3.1/1/Diskominfo/2026", "X")])
        assert (tmp_path / "x.pdf").exists()  # untouched
        assert archive.search(ws, "") == []  # readers are not blocked
    [r] = archive.ingest(ws, [tmp_path / "x.pdf"])
    assert r.status == "filed"


# --- integrity ---------------------------------------------------------------------------
def _filed(ws, tmp_path, n=3):
    files = [letter(tmp_path / f"f{i}.pdf", f"000.5.3.1/{i}/Diskominfo/2026", f"Surat nomor {i}") for i in range(n)]
    return archive.ingest(ws, files)


def test_verify_reports_intact_archive(ws, tmp_path, cli):
    _filed(ws, tmp_path)
    code, out, _ = cli("-W", str(ws.root), "archive", "verify")
    assert code == 0 and "archive intact: 3 entries" in out


def test_verify_detects_a_changed_file(ws, tmp_path, cli):
    results = _filed(ws, tmp_path)
    with results[1].path.open("ab") as fh:
        fh.write(b"% tampered\n")
    code, out, _ = cli("-W", str(ws.root), "archive", "verify")
    assert code == 1 and "changed" in out and results[1].archive_no in out


def test_verify_detects_a_missing_file(ws, tmp_path):
    results = _filed(ws, tmp_path)
    results[0].path.unlink()
    rep = archive.verify(ws)
    assert [p.kind for p in rep.problems] == ["missing"]


def test_verify_detects_an_edited_entry(ws, tmp_path):
    _filed(ws, tmp_path)
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.execute("UPDATE entries SET title='Surat palsu' WHERE id=2")
    con.commit()
    con.close()
    rep = archive.verify(ws)
    assert [(p.kind, p.where) for p in rep.problems] == [("edited", f"entry 2 (ARS/{time.localtime().tm_year}/00002)")]


def test_verify_detects_a_deleted_entry_even_when_the_file_is_deleted_too(ws, tmp_path):
    results = _filed(ws, tmp_path)
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.execute("DELETE FROM entries WHERE id=2")
    con.commit()
    con.close()
    results[1].path.unlink()
    kinds = {p.kind for p in archive.verify(ws).problems}
    assert {"chain", "gap"} <= kinds


def test_verify_detects_the_last_entry_cut_off(ws, tmp_path):
    results = _filed(ws, tmp_path)
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.execute("DELETE FROM entries WHERE id=3")
    con.execute("UPDATE meta SET value=(SELECT entry_hash FROM entries WHERE id=2) WHERE key='chain_head'")
    con.commit()
    con.close()
    results[2].path.unlink()
    rep = archive.verify(ws)
    assert any(p.kind == "chain" and ".arsip-rantai" in p.where for p in rep.problems)


def test_reindex_rebuilds_search_from_the_catalog(ws, tmp_path, cli):
    _filed(ws, tmp_path)
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.execute("INSERT INTO fts(fts) VALUES('delete-all')")  # index lost
    con.commit()
    con.close()
    assert archive.search(ws, "surat") == []
    code, out, _ = cli("-W", str(ws.root), "archive", "reindex")
    assert code == 0 and "reindexed 3 entries" in out
    assert len(archive.search(ws, "surat")) == 3


def test_index_of_an_older_layout_is_rebuilt_on_open(ws, tmp_path):
    _filed(ws, tmp_path)
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.execute("INSERT INTO fts(fts) VALUES('delete-all')")
    con.execute("UPDATE meta SET value='0' WHERE key='index_version'")
    con.commit()
    con.close()
    assert len(archive.search(ws, "surat")) == 3


# --- crash safety ------------------------------------------------------------------------
def _run_ingest(ws, files, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra, "DOCGEN_WORKSPACE": str(ws.root)}
    return subprocess.run([sys.executable, "-m", "docgen", "archive", "ingest", *map(str, files)],
                          env=env, capture_output=True, text=True, timeout=120)


def assert_consistent(ws, expected_inputs: dict[str, bytes]) -> None:
    """Every input filed exactly once or quarantined; no orphan file, no row without file."""
    rows = catalog_rows(ws)
    assert all(r["state"] == "filed" for r in rows)
    filed = {r["sha256"] for r in rows}
    assert len(filed) == len(rows)  # nothing filed twice
    import hashlib

    for name, data in expected_inputs.items():
        sha = hashlib.sha256(data).hexdigest()
        quarantined = (ws.quarantine_dir / name).is_file()
        assert (sha in filed) != quarantined, name  # filed xor quarantined: never lost
    on_disk = sorted(p.relative_to(ws.archive_dir).as_posix() for p in ws.archive_dir.glob("[0-9]*/*"))
    assert on_disk == sorted(r["path"] for r in rows)
    assert list((ws.inbox_dir / PROCESSING).iterdir()) == []
    assert archive.verify(ws).ok


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("point", ["after_claim", "after_number", "after_file", "after_index", "in_quarantine"])
def test_killed_mid_ingest_then_restarted_is_consistent(ws, tmp_path, point):
    files = [letter(tmp_path / f"k{i}.pdf", f"000.5.3.1/{i}/Diskominfo/2026", f"Surat {i}") for i in range(3)]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    order = [bad, *files] if point == "in_quarantine" else [*files, bad]
    inputs = {f.name: f.read_bytes() for f in order}
    proc = _run_ingest(ws, order, {"DOCGEN_ARSIP_CRASH": point})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # Restart: opening the archive recovers; nothing was lost on the way.
    with Archive.open(ws) as arc:
        arc.recover()
    assert_consistent(ws, inputs)
    assert sorted(r["seq"] for r in catalog_rows(ws)) == [1, 2, 3]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_half_filed_entry_whose_input_vanished_is_rolled_back(ws, tmp_path):
    first = letter(tmp_path / "a.pdf", "000.5.3.1/1/Diskominfo/2026", "Pertama")
    archive.ingest(ws, [first])
    second = letter(tmp_path / "b.pdf", "000.5.3.1/2/Diskominfo/2026", "Kedua")
    proc = _run_ingest(ws, [second], {"DOCGEN_ARSIP_CRASH": "after_number"})
    assert proc.returncode == -signal.SIGKILL
    assert [r["state"] for r in catalog_rows(ws)] == ["filed", "filing"]
    for leftover in (ws.inbox_dir / PROCESSING).iterdir():
        leftover.unlink()  # someone cleaned up by hand before the restart
    with Archive.open(ws):
        pass
    assert [r["title"] for r in catalog_rows(ws)] == ["Pertama"]
    assert archive.search(ws, "kedua") == []
    assert archive.verify(ws).ok  # chain head back at entry 1
    [r] = archive.ingest(ws, [letter(tmp_path / "c.pdf", "000.5.3.1/3/Diskominfo/2026", "Ketiga")])
    assert r.archive_no.endswith("00002") and archive.verify(ws).ok


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_from_outside_at_an_arbitrary_moment(ws, tmp_path):
    files = [letter(tmp_path / f"m{i:03d}.pdf", f"000.5.3.1/{i}/Diskominfo/2026", f"Surat {i}", "kata " * 200)
             for i in range(80)]
    inputs = {f.name: f.read_bytes() for f in files}
    env = {**os.environ, "DOCGEN_WORKSPACE": str(ws.root)}
    proc = subprocess.Popen([sys.executable, "-m", "docgen", "archive", "ingest", "--workers", "1",
                             *map(str, files)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    year_dir = ws.archive_dir / str(time.localtime().tm_year)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if year_dir.is_dir() and len(list(year_dir.iterdir())) >= 5:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    archive.ingest(ws, [])  # restart: recovery files what was claimed
    rest = [f for f in files if f.exists()]  # never claimed before the kill
    archive.ingest(ws, rest)
    assert_consistent(ws, inputs)
    assert len(catalog_rows(ws)) == 80


# --- CLI and export ----------------------------------------------------------------------
def test_cli_ingest_prints_each_file_and_exit_code(ws, tmp_path, cli):
    good = letter(tmp_path / "baik.pdf", "000.5.3.1/9/Diskominfo/2026", "Baik")
    bad = tmp_path / "buruk.pdf"
    bad.write_bytes(b"")
    code, out, _ = cli("-W", str(ws.root), "archive", "ingest", str(good), str(bad))
    assert code == 1
    assert "filed       baik.pdf -> ARS/" in out
    assert "quarantined buruk.pdf: check: the file is empty" in out
    code, out, _ = cli("-W", str(ws.root), "archive", "show", "1", "--json")
    assert code == 0 and json.loads(out)["original_name"] == "baik.pdf"
    code, _, err = cli("-W", str(ws.root), "archive", "show", "99")
    assert code == 1 and "no archive entry" in err


def test_export_daftar_arsip_xlsx_and_docx(ws, tmp_path, cli):
    from docx import Document
    from openpyxl import load_workbook

    letter(tmp_path / "e1.pdf", "000.5.3.1/15/Diskominfo/2026", "Laporan kinerja", tanggal="22 November 2026")
    letter(tmp_path / "e2.pdf", "067/108/419.113/2021", "Undangan rapat", tanggal="3 Maret 2021")
    archive.ingest(ws, [tmp_path / "e1.pdf", tmp_path / "e2.pdf"])
    code, out, _ = cli("-W", str(ws.root), "archive", "export", "--tahun", "2026")
    assert code == 0
    xlsx, docx = (Path(p) for p in out.split())
    sheet = load_workbook(xlsx).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["DAFTAR ARSIP"]
    header = values.index(["No", "Kode Klasifikasi", "Uraian", "Tanggal", "Jumlah", "Keterangan"])
    body = values[header + 1:]
    assert len(body) == 1  # the 2021 letter is not in the 2026 list
    assert body[0][:5] == [1, "000.5.3.1", "Laporan kinerja (Nomor 000.5.3.1/15/Diskominfo/2026)",
                           "22 November 2026", "1 halaman"]
    assert "tanpa TTE" in body[0][5]
    table = Document(docx).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["No", "Kode Klasifikasi", "Uraian", "Tanggal",
                                                     "Jumlah", "Keterangan"]
    assert table.rows[1].cells[3].text == "22 November 2026"
    sec = Document(docx).sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 210)

    # an office on F4 gets its daftar arsip on F4, landscape
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('ukuran = "A4"', 'ukuran = "F4"'), encoding="utf-8")
    code, out, err = cli("-W", str(ws.root), "archive", "export", "--year", "2026")
    assert code == 0, err
    sec = Document(Path(out.split()[1])).sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (330, 215)


# --- subfolders --------------------------------------------------------------------------
def _nested(root: Path) -> dict[str, bytes]:
    files = {
        "atas.pdf": letter(root / "atas.pdf", "000.5.3.1/31/Diskominfo/2026", "Atas").read_bytes(),
        "Surat Masuk/a.pdf": letter(root / "Surat Masuk" / "a.pdf", "000.5.3.1/32/Diskominfo/2026", "A").read_bytes(),
        "Surat Masuk/Minggu 2/b.pdf": letter(root / "Surat Masuk" / "Minggu 2" / "b.pdf",
                                             "000.5.3.1/33/Diskominfo/2026", "B").read_bytes(),
    }
    (root / "Surat Masuk" / "Minggu 2" / "rusak.pdf").write_bytes(b"%PDF-1.4 rusak")
    files["Surat Masuk/Minggu 2/rusak.pdf"] = b"%PDF-1.4 rusak"
    return files


def test_ingest_of_a_folder_walks_its_subfolders_and_records_them(ws):
    files = _nested(ws.inbox_dir)
    (ws.inbox_dir / "Surat Masuk" / "~$catatan.docx").write_bytes(b"x")
    (ws.inbox_dir / "Surat Masuk" / ".git").mkdir()  # hidden folders are not entered
    (ws.inbox_dir / "Surat Masuk" / ".git" / "x.pdf").write_bytes(files["atas.pdf"])
    results = archive.ingest(ws, [ws.inbox_dir])
    status = {r.name: r.status for r in results}
    assert status == {"atas.pdf": "filed", "Surat Masuk/a.pdf": "filed", "Surat Masuk/Minggu 2/b.pdf": "filed",
                      "Surat Masuk/Minggu 2/rusak.pdf": "quarantined", "Surat Masuk/~$catatan.docx": "ignored"}
    names = {r["original_name"] for r in catalog_rows(ws)}
    assert names == {"atas.pdf", "Surat Masuk/a.pdf", "Surat Masuk/Minggu 2/b.pdf"}
    for r in results:
        if r.status == "filed":
            assert r.path.read_bytes() == files[r.name]
    assert (ws.quarantine_dir / "Surat Masuk" / "Minggu 2" / "rusak.pdf").read_bytes() == b"%PDF-1.4 rusak"
    # "Minggu 2" is empty and removed; "Surat Masuk" still holds files (junk, .git): kept
    assert not (ws.inbox_dir / "Surat Masuk" / "Minggu 2").exists()
    assert sorted(p.name for p in (ws.inbox_dir / "Surat Masuk").iterdir()) == [".git", "~$catatan.docx"]
    assert list((ws.inbox_dir / PROCESSING).iterdir()) == []
    assert archive.verify(ws).ok


def test_ingest_of_an_outside_folder_names_files_relative_to_it(ws, tmp_path):
    files = _nested(tmp_path / "kiriman")
    results = archive.ingest(ws, [tmp_path / "kiriman"], keep=True)
    assert sorted((r.name, r.status) for r in results) == sorted(
        (n, "quarantined" if "rusak" in n else "filed") for n in files)
    assert all((tmp_path / "kiriman" / n).is_file() for n in files)  # --keep: all left in place


def test_cli_ingest_counts_and_shows_the_subfolder(ws, cli):
    _nested(ws.inbox_dir)
    code, out, _ = cli("-W", str(ws.root), "archive", "ingest", str(ws.inbox_dir))
    assert code == 1  # one refused
    assert "filed       Surat Masuk/Minggu 2/b.pdf -> ARS/" in out
    assert "quarantined Surat Masuk/Minggu 2/rusak.pdf: check:" in out
    assert "3 filed, 1 quarantined" in out
    entry = next(r["id"] for r in catalog_rows(ws) if r["original_name"] == "Surat Masuk/a.pdf")
    code, out, _ = cli("-W", str(ws.root), "archive", "show", str(entry))
    assert code == 0 and "Surat Masuk/a.pdf" in out
    assert [p.name for p in ws.inbox_dir.iterdir()] == [PROCESSING]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("point", ["after_claim", "after_number", "after_file", "in_quarantine"])
def test_killed_while_filing_from_subfolders_keeps_their_names(ws, point):
    files = _nested(ws.inbox_dir)
    proc = _run_ingest(ws, [ws.inbox_dir], {"DOCGEN_ARSIP_CRASH": point})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    with Archive.open(ws) as arc:
        arc.recover()
    rows = catalog_rows(ws)
    assert sorted(r["original_name"] for r in rows) == sorted(n for n in files if "rusak" not in n)
    assert all(r["state"] == "filed" for r in rows)
    assert (ws.quarantine_dir / "Surat Masuk" / "Minggu 2" / "rusak.pdf").is_file()
    assert list((ws.inbox_dir / PROCESSING).iterdir()) == []  # claim folders gone too
    assert archive.verify(ws).ok
