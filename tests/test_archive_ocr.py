"""Scans through the real ingest pipeline with real OCRmyPDF and Tesseract (ind+eng).

The scans are made here: letters rendered to pictures at 200 dpi with a tilt, noise and a
stamp, written as an image-only PDF, a JPEG and a two-page TIFF.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen import archive
from docgen.archive import scans
from docgen.archive.samples import letter_text, write_pdf

NOMOR = "005/417/Dinkes/2026"
BODY = ("Dengan hormat, bersama ini kami sampaikan undangan rapat koordinasi imunisasi "
        "campak di Puskesmas Wonorejo pada hari Senin.")

pytestmark = pytest.mark.skipif(shutil.which("ocrmypdf") is None,
                                reason="never skipped in CI: bootstrap installs ocrmypdf")


def test_ocrmypdf_is_installed():
    # The skip above is for a developer's machine without OCR; CI must have it.
    assert shutil.which("ocrmypdf") and shutil.which("tesseract"), "run scripts/bootstrap.sh"


def _letter(tmp: Path, nomor: str = NOMOR, perihal: str = "Undangan Rapat Koordinasi Imunisasi",
            pages: int = 1) -> Path:
    texts = [letter_text(nomor, perihal, BODY, "2 Oktober 2026")]
    texts += [f"Halaman {i + 2}. Daftar hadir peserta rapat koordinasi vaksinasi lanjutan."
              for i in range(pages - 1)]
    return write_pdf(tmp / f"asli-{pages}.pdf", texts)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "jpg"])
def test_a_scan_is_filed_with_text_and_its_original_kept(ws, tmp_path, fmt):
    scan = scans.scan(_letter(tmp_path), ws.inbox_dir / f"scan-surat.{fmt}", seed=4)
    digest = _sha(scan)
    [r] = archive.ingest(ws, [scan])
    assert r.status == "filed", r.line()
    e = archive.show(ws, r.entry_id)
    # the archived file is a PDF/A with a text layer
    reader = PdfReader(r.path)
    assert "pdfaid" in (reader.xmp_metadata.rdf_root.toxml() if reader.xmp_metadata else "").lower()
    assert "imunisasi" in reader.pages[0].extract_text().lower()
    # the original sits beside it, byte for byte, with its own hash
    original = ws.archive_dir / e["original_path"]
    assert original.name.endswith(f".asli.{fmt}")
    assert _sha(original) == digest == e["original_sha256"]
    assert e["letter_no"] == NOMOR
    # found by a word of its body (stemmed: "koordinasi", "imunisasi") and by its number
    assert [h.id for h in archive.search(ws, "imunisasi campak")] == [r.entry_id]
    assert [h.id for h in archive.search(ws, NOMOR)] == [r.entry_id]
    assert archive.verify(ws).ok
    # the same scan again is a duplicate, although OCR would make a different PDF/A
    again = ws.inbox_dir / f"lagi.{fmt}"
    again.write_bytes(original.read_bytes())
    [d] = archive.ingest(ws, [again])
    assert d.status == "quarantined" and "duplicate" in d.reason


@pytest.mark.slow
def test_a_multipage_tiff_becomes_one_pdf_of_all_its_pages(ws, tmp_path):
    scan = scans.scan(_letter(tmp_path, pages=2), ws.inbox_dir / "dua-halaman.tif", seed=2)
    [r] = archive.ingest(ws, [scan])
    assert r.status == "filed", r.line()
    reader = PdfReader(r.path)
    assert len(reader.pages) == 2
    assert "hadir" in reader.pages[1].extract_text().lower()
    assert [h.id for h in archive.search(ws, "daftar hadir peserta")] == [r.entry_id]


@pytest.mark.slow
def test_verify_checks_the_original_scan_too(ws, tmp_path):
    scan = scans.scan(_letter(tmp_path), ws.inbox_dir / "s.jpg", seed=1)
    [r] = archive.ingest(ws, [scan])
    original = ws.archive_dir / archive.show(ws, r.entry_id)["original_path"]
    data = bytearray(original.read_bytes())
    data[-10] ^= 0xFF
    original.write_bytes(bytes(data))
    rep = archive.verify(ws)
    assert [p.kind for p in rep.problems] == ["changed"]
    assert "original scan changed" in rep.problems[0].message
    original.unlink()
    assert "original scan missing" in archive.verify(ws).problems[0].message


def test_a_blank_scan_is_quarantined_as_unreadable(ws, tmp_path):
    from PIL import Image

    blank = ws.inbox_dir / "kosong.png"
    Image.new("L", (1654, 2339), 250).save(blank, dpi=(200, 200))
    [r] = archive.ingest(ws, [blank])
    assert r.status == "quarantined" and r.stage == "ocr", r.line()
    assert "cannot be read" in r.reason
    why = (ws.quarantine_dir / "kosong.png.alasan.txt").read_text(encoding="utf-8")
    assert "Stage:       ocr" in why and "300 dpi" in why
    assert not list(ws.archive_dir.glob("[0-9]*/*"))


def test_pictures_are_refused_with_the_setting_when_ocr_is_off(ws, tmp_path):
    from PIL import Image

    ws.config.arsip.ocr = False
    pic = ws.inbox_dir / "foto.jpg"
    Image.new("RGB", (200, 200), "white").save(pic)
    [r] = archive.ingest(ws, [pic])
    assert r.status == "quarantined" and r.stage == "check"
    assert "JPEG" in r.reason and "[arsip] ocr = true" in r.fix


@pytest.mark.slow
def test_a_signed_scan_is_never_rewritten(ws, tmp_path):
    from docgen.sign import Pkcs12Signer, sign_pdf
    from docgen.sign.demo_keys import make_demo_pki

    pj = ws.pejabat("kepala")
    ca, p12, pw = make_demo_pki(ws.root / "kunci", pj)
    ws.config.tte.trust_roots = [str(ca.relative_to(ws.root))]
    scan = scans.scan(_letter(tmp_path), tmp_path / "scan.pdf", seed=3)
    signed = sign_pdf(scan, ws.inbox_dir / "scan-ttd.pdf", Pkcs12Signer(p12, pw), pejabat=pj,
                      doc_id="d-9", footer=ws.config.tte.footer)
    data = signed.read_bytes()
    [r] = archive.ingest(ws, [signed])
    assert r.status == "filed", r.line()
    assert r.path.read_bytes() == data  # no OCR: the signature must stay valid
    e = archive.show(ws, r.entry_id)
    assert e["original_path"] == "" and e["sig_valid"] == 1


def test_a_catalog_from_before_ocr_is_upgraded_in_place(ws, tmp_path):
    import sqlite3

    from docgen.archive.catalog import CATALOG_NAME

    src = write_pdf(ws.inbox_dir / "lama.pdf", [letter_text("000.5.3.1/1/Diskominfo/2026", "Lama", "isi")])
    [r] = archive.ingest(ws, [src])
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.execute("DROP INDEX entries_original_sha")
    con.execute("ALTER TABLE entries DROP COLUMN original_path")
    con.execute("ALTER TABLE entries DROP COLUMN original_sha256")
    con.commit()
    con.close()
    assert archive.verify(ws).ok  # reopened: the columns come back, the chain still holds
    assert archive.show(ws, r.entry_id)["original_path"] == ""


@pytest.mark.slow
def test_the_watcher_files_letters_while_a_long_scan_is_read(ws, tmp_path):
    """A many-page scan is OCR'd in the watcher's OCR lane; a letter dropped after it is
    filed before the scan is done, and both are filed once."""

    from docgen.archive.samples import pdf_bytes
    from tests.test_archive_watch import Running

    ws.config.arsip.tenang_detik = 0.3
    page = scans.roughen(scans.render_pages(_letter(tmp_path), 200)[0], seed=1)
    long_scan = tmp_path / "scan-panjang.pdf"
    page.save(long_scan, "PDF", save_all=True, append_images=[page.copy() for _ in range(3)],
              resolution=200)
    assert len(PdfReader(long_scan).pages) == 4
    with Running(ws) as w:
        (ws.inbox_dir / "scan-panjang.pdf").write_bytes(long_scan.read_bytes())
        time.sleep(2.0)  # the scan is claimed and in the OCR lane
        (ws.inbox_dir / "surat.pdf").write_bytes(pdf_bytes([letter_text(
            "000.5.3.1/3/Diskominfo/2026", "Surat biasa", "isi surat")]))
        w.wait_for(1)  # the letter, well before the scan's OCR is done
        end = time.monotonic() + 600  # OCR of 4 pages on a loaded CI machine; not a timing
        while len(w.results) < 2 and time.monotonic() < end:
            time.sleep(0.2)
        results = w.results
    assert [r.name for r in results] == ["surat.pdf", "scan-panjang.pdf"], [r.line() for r in results]
    assert {r.status for r in results} == {"filed"}
    e = archive.show(ws, results[1].entry_id)
    assert e["pages"] == 4 and e["original_path"].endswith(".asli.pdf")
