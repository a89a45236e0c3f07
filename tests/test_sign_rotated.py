"""The TTE stamp and footer on pages from other sources: /Rotate, and a MediaBox or
CropBox that does not start at (0, 0). Checked as the reader sees the page: text
positions after baking the rotation into the content, and pdftoppm renderings."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, RectangleObject
from test_sign import BLOCK, JABATAN_Y, NAME_Y, PEJABAT, WHEN, make_pdf

from docgen.config import TTE_FOOTER_DEFAULT, Pejabat
from docgen.sign import Pkcs12Signer, demo_keys, sign_pdf, verify_pdf

DOC_ID = "DG-20261122-ABCDEF12"  # fixed, so every variant carries the same QR code
W, H = 595, 842  # the letter as the reader sees it


def upright_rotated(angle: int) -> Callable[[PageObject], None]:
    """/Rotate `angle` with the content turned the other way: the reader sees the
    same upright letter (how scanners and landscape exports write pages)."""
    def change(page: PageObject) -> None:
        page.rotate(-angle)
        page.transfer_rotation_to_content()
        page.rotate(angle)
    return change


def shifted_mediabox(page: PageObject) -> None:
    page.add_transformation(Transformation().translate(100, 200))
    page.mediabox = RectangleObject([100, 200, 100 + W, 200 + H])


def cropped(page: PageObject) -> None:
    """A large MediaBox with negative corners; the CropBox shows the letter."""
    page.add_transformation(Transformation().translate(-50, 70))
    page.mediabox = RectangleObject([-200, -100, 800, 1200])
    page.cropbox = RectangleObject([-50, 70, -50 + W, 70 + H])


def rotated_and_cropped(page: PageObject) -> None:
    cropped(page)
    upright_rotated(270)(page)
    for box in ("/MediaBox", "/CropBox"):  # pypdf would write 4.26E-14, which it cannot read
        page[NameObject(box)] = RectangleObject([round(float(v), 3) for v in page[box]])


VARIANTS = {
    "rotate-90": upright_rotated(90),
    "rotate-180": upright_rotated(180),
    "rotate-270": upright_rotated(270),
    "mediabox-offset": shifted_mediabox,
    "cropbox": cropped,
    "rotate-270-cropbox": rotated_and_cropped,
}


def variant(src: Path, out: Path, change: Callable[[PageObject], None]) -> Path:
    w = PdfWriter(clone_from=PdfReader(src))
    for page in w.pages:
        change(page)
    with out.open("wb") as fh:
        w.write(fh)
    return out


Word = tuple[str, float, float, float, float]  # text, x1, y1, x2, y2


def seen_words(pdf: Path, index: int = -1, height: float = H) -> list[Word]:
    """Words as the reader sees the page (poppler applies the CropBox and /Rotate):
    boxes in points from the bottom-left corner of a view `height` points high."""
    n = len(PdfReader(pdf).pages) + index + 1 if index < 0 else index + 1
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-cropbox", "-f", str(n), "-l", str(n), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout
    return [
        (html.unescape(m["text"]), float(m["x1"]), height - float(m["y2"]),
         float(m["x2"]), height - float(m["y1"]))
        for m in re.finditer(r'<word xMin="(?P<x1>[\d.]+)" yMin="(?P<y1>[\d.]+)" '
                             r'xMax="(?P<x2>[\d.]+)" yMax="(?P<y2>[\d.]+)">(?P<text>[^<]*)</word>', xml)
    ]


def lowest(words: list[Word], text: str) -> Word:
    """The lowest `text` on the page (the printed name is under the stamp's copy)."""
    return min((w for w in words if w[0] == text), key=lambda w: w[2])


def highest(words: list[Word], text: str) -> Word:
    return max((w for w in words if w[0] == text), key=lambda w: w[2])


def upright(word: Word) -> bool:
    """For words of 8+ letters: wide and low when upright; poppler boxes sideways text tall."""
    assert len(word[0]) >= 8, word
    return word[3] - word[1] > 2 * (word[4] - word[2])


def render(pdf: Path, index: int = -1) -> Image.Image:
    """The page as a viewer shows it (CropBox, /Rotate applied), 70 dpi, greyscale."""
    n = len(PdfReader(pdf).pages) + index + 1 if index < 0 else index + 1
    png = subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-singlefile", "-cropbox", "-f", str(n), "-l", str(n),
         str(pdf)], check=True, capture_output=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def ink(img: Image.Image, box_pt: tuple[float, float, float, float]) -> int:
    """Non-white pixels inside a box given in points from the bottom-left corner."""
    k = 70 / 72
    x1, y1, x2, y2 = box_pt
    region = img.crop((int(x1 * k), int(img.height - y2 * k), int(x2 * k), int(img.height - y1 * k)))
    return sum(region.point(lambda v: 255 if v < 200 else 0).histogram()[255:])


needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Pkcs12Signer:
    _ca, p12, pw = demo_keys.make_demo_pki(tmp_path_factory.mktemp("pki"), PEJABAT)
    return Pkcs12Signer(p12, pw)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, signer: Pkcs12Signer) -> tuple[Path, Path]:
    """The letter (cover page + signature page) and its signed copy: the reference."""
    d = tmp_path_factory.mktemp("plain")
    src = make_pdf(d / "surat.pdf", [[(72, 770, 12, "BAB I PENDAHULUAN")], BLOCK])
    return src, _sign(src, d / "surat-ttd.pdf", signer)


def _sign(src: Path, out: Path, signer: Pkcs12Signer, pejabat: Pejabat = PEJABAT) -> Path:
    return sign_pdf(src, out, signer, pejabat=pejabat, doc_id=DOC_ID, footer=TTE_FOOTER_DEFAULT,
                    when=WHEN, verify_url="https://tte.kedirikota.go.id/v/")


@needs_poppler
@pytest.mark.parametrize("name", VARIANTS)
def test_stamp_and_footer_upright_where_the_reader_expects(name, plain, signer, tmp_path):
    src = variant(plain[0], tmp_path / f"{name}.pdf", VARIANTS[name])
    signed = _sign(src, tmp_path / f"{name}-ttd.pdf", signer)
    assert verify_pdf(signed, [])[0].intact

    words = seen_words(signed)
    name_word, jabatan = lowest(words, "APIP"), highest(words, "Komunikasi")
    assert name_word[2] < NAME_Y < name_word[4] and jabatan[2] < JABATAN_Y < jabatan[4]
    heading = [w for w in words if w[0] == "Ditandatangani"]
    assert len(heading) == 1 and upright(heading[0]), heading
    x1, y1, _x2, y2 = heading[0][1:]
    assert name_word[4] < y1 < y2 < jabatan[2] and 330 < x1 < W - 40
    for page in (0, -1):  # the footer: upright, at the bottom, centred
        line = [w for w in seen_words(signed, page) if w[2] < 20]
        assert " ".join(w[0] for w in line).startswith("Dokumen ini telah ditandatangani")
        assert all(upright(w) for w in line if len(w[0]) >= 8)
        assert abs((line[0][1] + line[-1][3]) / 2 - W / 2) < 3

    # the clickable verification link covers the stamp as drawn
    reader = PdfReader(signed)
    [link] = [a.get_object() for a in reader.pages[-1]["/Annots"]
              if a.get_object()["/Subtype"] == "/Link"]
    [widget] = [a.get_object() for a in reader.pages[-1]["/Annots"]
                if a.get_object().get("/FT") == "/Sig"]
    assert all(abs(float(a) - float(b)) <= 1 for a, b in zip(link["/Rect"], widget["/Rect"], strict=True))


@pytest.mark.parametrize(("rotate", "bottom_left", "size"), [
    (0, (-50, 70), (W, H)), (90, (-50 + W, 70), (H, W)),
    (180, (-50 + W, 70 + H), (W, H)), (270, (-50, 70 + H), (H, W)),
])
def test_page_view_maps_the_corner_the_reader_sees_bottom_left(rotate, bottom_left, size):
    """Without poppler: the view's origin is the visible corner shown bottom-left."""
    from docgen.sign.pages import page_view

    w = PdfWriter()
    page = w.add_blank_page(800, 1200)
    cropped(page)
    page.rotate(rotate)
    view = page_view(page)
    assert (view.width, view.height) == size
    assert view.to_page(0, 0) == pytest.approx(bottom_left)
    assert view.to_view(*view.to_page(10, 20)) == pytest.approx((10, 20))
    # the view's upper-right corner is the opposite corner of the CropBox
    far = view.to_page(view.width, view.height)
    assert {round(far[0]), round(bottom_left[0])} == {-50, -50 + W}
    assert {round(far[1]), round(bottom_left[1])} == {70, 70 + H}


@needs_poppler
@pytest.mark.parametrize("name", VARIANTS)
def test_rendered_like_the_plain_letter(name, plain, signer, tmp_path):
    """Signed, the rotated/offset page looks exactly like the signed plain page."""
    src = variant(plain[0], tmp_path / f"{name}.pdf", VARIANTS[name])
    signed = _sign(src, tmp_path / f"{name}-ttd.pdf", signer)
    want = render(plain[1])
    got = render(signed)
    assert got.size == want.size
    # reference sanity: the footer band and the stamp hold ink
    assert ink(want, (40, 0, W - 40, 25)) > 50
    assert ink(want, (330, NAME_Y + 10, W - 20, JABATAN_Y - 5)) > 500
    diff = ImageChops.difference(got, want).point(lambda v: 255 if v > 96 else 0)
    assert diff.getbbox() is None, f"{name}: differs from the plain letter in {diff.getbbox()}"


@needs_poppler
def test_sideways_page_gets_an_upright_stamp_at_the_bottom_right(signer, tmp_path):
    """A portrait letter turned with /Rotate 90 (its text reads sideways): the name is
    not upright, so the stamp goes bottom-right of the landscape page the reader sees."""
    src = make_pdf(tmp_path / "surat.pdf", [BLOCK])
    turned = variant(src, tmp_path / "miring.pdf", lambda p: p.rotate(90))
    signed = _sign(turned, tmp_path / "miring-ttd.pdf", signer)
    words = seen_words(signed, height=W)  # the reader sees it landscape: 842 x 595
    heading, footer = lowest(words, "Ditandatangani"), lowest(words, "ditandatangani")
    assert upright(heading) and upright(footer)
    assert heading[1] > H / 2 and heading[2] < W / 4
    assert footer[2] < 20 < heading[2]
    # the letter itself reads sideways, the stamp's copy of the jabatan upright
    assert sorted(upright(w) for w in words if w[0] == "Informatika") == [False, True]
    img = render(signed)
    assert img.size[0] > img.size[1]
    assert ink(img, (H / 2, 20, H, W / 4)) > 500  # the stamp
    assert ink(img, (0, 0, H / 2, 25)) > 20  # the footer's left half


@needs_poppler
@pytest.mark.parametrize("name", ["rotate-90", "rotate-270-cropbox"])
def test_second_signature_appearance_is_upright(name, plain, signer, tmp_path):
    """A later signature's stamp is the widget's appearance, not page content: it
    must turn with the page too, and both signatures stay valid."""
    sek = Pejabat(jabatan="Sekretaris", nama="SITI AMINAH, S.Sos., M.Si.", nip="197203151998032004")
    ca2, p12, pw = demo_keys.make_demo_pki(tmp_path / "pki2", sek)
    second = Pkcs12Signer(p12, pw)
    want = render(_sign(plain[1], tmp_path / "plain-2.pdf", second, sek))
    src = variant(plain[0], tmp_path / f"{name}.pdf", VARIANTS[name])
    signed = _sign(_sign(src, tmp_path / f"{name}-1.pdf", signer), tmp_path / f"{name}-2.pdf",
                   second, sek)
    first, then = verify_pdf(signed, [ca2])
    assert first.intact and first.valid and not first.modified_after
    assert then.ok
    got = render(signed)
    assert ink(got, (W / 2, 20, W, 120)) > 500  # bottom-right: the second stamp
    diff = ImageChops.difference(got, want).point(lambda v: 255 if v > 96 else 0)
    assert diff.getbbox() is None, f"{name}: differs from the plain letter in {diff.getbbox()}"
