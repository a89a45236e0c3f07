"""The stamp and footer font: an embedded TrueType subset, so names outside WinAnsi
print and extract as written."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools import ttLib
from pypdf import PdfReader
from test_sign import WHEN, make_pdf

from docgen.config import TTE_FOOTER_DEFAULT, Pejabat
from docgen.sign import Pkcs12Signer, demo_keys, fonts, sign_pdf, stamp, verify_pdf

# é ’ – are in WinAnsi but not where PDFDocEncoding puts them; Ş ğ ı are in neither
NAMA = "Dr. RÉNÉ D’SOUZA – ŞAHİN ĞÜL, M.Sc."
PEJABAT = Pejabat(jabatan="Kepala Bidang Statistik Sektoral", nama=NAMA, nip="198001012005011002")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("font")
    ca, p12, pw = demo_keys.make_demo_pki(d / "pki", PEJABAT)
    src = make_pdf(d / "nota.pdf", [[(72, 770, 12, "Nota dinas")]])
    out = sign_pdf(src, d / "nota-ttd.pdf", Pkcs12Signer(p12, pw), pejabat=PEJABAT, doc_id=None,
                   footer=TTE_FOOTER_DEFAULT, when=WHEN)
    return out, ca


def _fonts(pdf: Path) -> list:
    """Font dictionaries used by the page, through its (nested) form XObjects."""
    found: dict = {}
    todo = [PdfReader(pdf).pages[-1]["/Resources"].get_object()]
    while todo:
        res = todo.pop()
        found |= {getattr(f, "idnum", id(f)): f.get_object() for f in res.get("/Font", {}).values()}
        for x in res.get("/XObject", {}).values():
            x = x.get_object()
            if "/Resources" in x:
                todo.append(x["/Resources"].get_object())
    return list(found.values())


def test_a_truetype_font_is_found():
    assert fonts.face() is not None, "no Liberation Sans/Arial/DejaVu Sans: run scripts/bootstrap.sh"


def test_name_outside_winansi_extracts_as_written(signed):
    pdf, ca = signed
    assert verify_pdf(pdf, [ca])[0].ok
    text = PdfReader(pdf).pages[-1].extract_text()
    assert NAMA in text
    assert "Dokumen ini telah ditandatangani secara elektronik" in " ".join(text.split())
    if shutil.which("pdftotext"):  # what a viewer's copy-paste gives
        seen = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert NAMA in seen


def test_every_character_has_a_glyph_in_the_embedded_subset(signed):
    """One embedded subset serves the stamp and the footer, and it draws each
    character of the name (no .notdef boxes)."""
    [font] = [f for f in _fonts(signed[0]) if f["/Subtype"] == "/Type0"]
    descendant = font["/DescendantFonts"][0].get_object()
    data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    tt = ttLib.TTFont(io.BytesIO(data))
    glyf = tt["glyf"]
    full = fonts.face()
    assert full is not None
    for ch in set(NAMA) - {" "}:
        gid = full.gid(ch)
        assert gid != 0, f"{ch!r} not in {full.path.name}"
        assert glyf[tt.getGlyphName(gid)].numberOfContours != 0, ch
    assert len(data) < 60_000  # a subset, not the whole font


def test_without_a_truetype_font_helvetica_still_signs(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "face", lambda: None)
    stamp._factory.cache_clear()
    try:
        ca, p12, pw = demo_keys.make_demo_pki(tmp_path / "pki", PEJABAT)
        plain = Pejabat(jabatan="Sekretaris", nama="SITI AMINAH, S.Sos.", nip="197203151998032004")
        out = sign_pdf(make_pdf(tmp_path / "a.pdf", [[(72, 770, 12, "Nota")]]), tmp_path / "b.pdf",
                       Pkcs12Signer(p12, pw), pejabat=plain, doc_id=None, footer=TTE_FOOTER_DEFAULT,
                       when=WHEN)
        assert "SITI AMINAH, S.Sos." in PdfReader(out).pages[0].extract_text()
        assert {f["/BaseFont"] for f in _fonts(out)} == {"/Helvetica"}
    finally:
        stamp._factory.cache_clear()


def test_font_search_order(monkeypatch, tmp_path):
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "kantor.ttf"))
    found = fonts.candidates()
    assert found[0] == tmp_path / "kantor.ttf"
    assert found[1] == tmp_path / "Windows" / "Fonts" / "LiberationSans-Regular.ttf"
    names = [p.name for p in found]
    assert names.index("arial.ttf") > names.index("LiberationSans-Regular.ttf")
    assert tmp_path / "Windows" / "Fonts" / "arial.ttf" in found
