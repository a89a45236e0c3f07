"""The stamp on a PDF that does not print the signer's name (another office's chart,
letter or table): the free place nearest the bottom-right, covering nothing.

The pure search (placement.free_spot) is checked against a brute force; the content
reader (content.content_boxes) on small hand-made pages; the whole on a matplotlib
chart and a full text page, rendered with pdftoppm."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, StreamObject
from test_sign import PEJABAT, WHEN, make_pdf
from test_sign_rotated import VARIANTS, variant

from docgen.config import TTE_FOOTER_DEFAULT
from docgen.sign import Pkcs12Signer, demo_keys, sign_pdf, stamp, verify_pdf
from docgen.sign.content import content_boxes
from docgen.sign.pages import Box, page_view
from docgen.sign.placement import EDGE, RIGHT, free_spot

PAGE = Box(0, 0, 595, 842)
W, H = 250.0, 64.0
FLOOR = 40.0

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm (poppler-utils) not installed")


def _clear(a: Box, b: Box, gap: float) -> bool:
    return a.x2 + gap <= b.x1 or b.x2 + gap <= a.x1 or a.y2 + gap <= b.y1 or b.y2 + gap <= a.y1


# --- the pure search ---------------------------------------------------------------------
def test_an_empty_page_gets_the_usual_bottom_right_place():
    assert free_spot(PAGE, [], W, H, FLOOR) == Box(595 - RIGHT - W, FLOOR, 595 - RIGHT, FLOOR + H)


def test_boxes_under_the_floor_do_not_move_it():
    footer = Box(40, 5, 555, 30)
    assert free_spot(PAGE, [footer], W, H, FLOOR) == free_spot(PAGE, [], W, H, FLOOR)


def test_it_moves_left_when_that_is_nearer_than_up():
    block = Box(300, 0, 595, 500)  # the right half, up to 500
    got = free_spot(PAGE, [block], W, H, FLOOR, gap=4)
    assert got == Box(300 - 4 - W, FLOOR, 300 - 4, FLOOR + H)


def test_it_moves_up_when_that_is_nearer_than_left():
    block = Box(20, 0, 595, 100)  # a band across the bottom
    got = free_spot(PAGE, [block], W, H, FLOOR, gap=4)
    assert got == Box(595 - RIGHT - W, 104, 595 - RIGHT, 104 + H)


def test_it_fits_between_two_boxes_or_says_none():
    left, right = Box(0, 0, 100, 842), Box(100 + 4 + W + 4, 0, 595, 842)
    assert free_spot(PAGE, [left, right], W, H, FLOOR, gap=4) == Box(104, FLOOR, 104 + W, FLOOR + H)
    narrower = Box(right.x1 - 1, 0, 595, 842)
    assert free_spot(PAGE, [left, narrower], W, H, FLOOR, gap=4) is None
    assert free_spot(PAGE, [], 595, H, FLOOR) is None  # wider than the page less its edges
    assert free_spot(PAGE, [], W, 842, FLOOR) is None


def test_the_page_edges_are_kept():
    right = Box(200, 0, 595, 842)
    assert free_spot(PAGE, [right], 150, H, FLOOR, gap=4).x1 == 200 - 4 - 150
    assert free_spot(PAGE, [right], 180, H, FLOOR, gap=4) is None  # would start at 16 < EDGE
    crop = Box(-50, 70, 545, 912)  # a view need not start at 0
    got = free_spot(crop, [], W, H, 110)
    assert got == Box(545 - RIGHT - W, 110, 545 - RIGHT, 110 + H)


@pytest.mark.parametrize("seed", range(40))
def test_the_place_is_free_and_as_near_as_any(seed):
    """Against a brute force over a 2 pt grid: never on a box, never farther."""
    rnd = random.Random(seed)
    page = Box(0, 0, 300, 400)
    taken = []
    for _ in range(rnd.randrange(1, 25)):
        x, y = rnd.uniform(-20, 300), rnd.uniform(0, 400)
        taken.append(Box(x, y, x + rnd.uniform(1, 120), y + rnd.uniform(1, 90)))
    w, h, floor, gap = rnd.uniform(40, 120), rnd.uniform(20, 60), 30.0, 4.0
    got = free_spot(page, taken, w, h, floor, gap=gap)
    want_x = page.x2 - RIGHT - w
    brute = [
        ((x - want_x) ** 2 + (y - floor) ** 2) ** 0.5
        for x in (EDGE + 2 * i for i in range(int((page.x2 - EDGE - w - EDGE) / 2) + 1))
        for y in (floor + 2 * j for j in range(int((page.y2 - EDGE - h - floor) / 2) + 1))
        if all(_clear(Box(x, y, x + w, y + h), t, gap) for t in taken)
    ]
    if got is None:
        assert not brute
        return
    assert got.x1 >= EDGE and got.x2 <= page.x2 - EDGE + 1e-9
    assert got.y1 >= floor and got.y2 <= page.y2 - EDGE + 1e-9
    assert all(_clear(got, t, gap - 1e-6) for t in taken)
    d = ((got.x1 - want_x) ** 2 + (got.y1 - floor) ** 2) ** 0.5
    assert not brute or d <= min(brute) + 1e-6


def test_a_full_page_gets_the_compact_stamp_bottom_right_and_free_room_the_compact_one():
    variants = [stamp.stamp_lines(PEJABAT, WHEN), stamp.stamp_lines(PEJABAT, WHEN, compact=True)]
    usual = stamp.layout_stamp(PAGE, variants, None, None, 30)
    full = stamp.layout_free(PAGE, variants, [Box(0, 0, 595, 842)], 30)
    assert full.lines == tuple(variants[1]) and full.font_size == 6
    assert full.box.x2 == usual.box.x2 and full.box.y1 == usual.box.y1  # where it always went
    assert full.box.height < usual.box.height
    # room for the compact stamp only, bottom-right
    gap = Box(595 - 40 - full.box.width, full.box.y1, 595 - 40, full.box.y1 + full.box.height)
    taken = [Box(0, 0, 595, gap.y1 - 4), Box(0, gap.y2 + 4, 595, 842), Box(0, 0, gap.x1 - 4, 842)]
    assert stamp.layout_free(PAGE, variants, taken, 30).box == gap
    assert stamp.layout_free(PAGE, variants, [], 30) == usual


# --- what a page prints ------------------------------------------------------------------
def _page(ops: str, resources: dict | None = None, **boxes) -> PdfReader:
    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    for key, value in boxes.items():
        setattr(page, key, value)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    res = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    res.update(resources or {})
    page[NameObject("/Resources")] = res
    s = DecodedStreamObject()
    s.set_data(ops.encode("latin-1"))
    page[NameObject("/Contents")] = w._add_object(s)
    buf = io.BytesIO()
    w.write(buf)
    return PdfReader(buf)


def _near(a: Box, b: Box, tol: float = 1.0) -> bool:
    return all(abs(p - q) <= tol for p, q in zip((a.x1, a.y1, a.x2, a.y2), (b.x1, b.y1, b.x2, b.y2), strict=True))


def test_text_is_boxed_by_its_advance_and_the_ctm():
    # 10 characters of 0.6 em at 10 pt, scaled 2x by the CTM: 120 pt wide, 23 pt high
    [box] = content_boxes(_page("q 2 0 0 2 50 60 cm BT /F1 10 Tf 10 20 Td (ABCDEFGHIJ) Tj ET Q").pages[0])
    assert _near(box, Box(50 + 20, 60 + 40 - 5, 50 + 20 + 120, 60 + 40 + 18))


def test_paths_images_and_forms_are_boxed():
    img = StreamObject()
    img.update({NameObject(k): v for k, v in {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image")}.items()})
    form = DecodedStreamObject()
    form.set_data(b"0 0 10 10 re f")
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): _arr(0, 0, 10, 10)})
    xobjects = DictionaryObject({NameObject("/Im1"): img, NameObject("/Fm1"): form})
    reader = _page(
        "100 100 m 200 150 l S "  # a line
        "q 50 0 0 40 300 300 cm /Im1 Do Q "  # an image, 50 x 40
        "q 3 0 0 3 400 600 cm /Fm1 Do Q "  # a form, 30 x 30
        "20 700 500 100 re S "  # a stroked frame: four edges, not its inside
        "0 0 595 842 re f",  # a page-wide fill: the paper
        {NameObject("/XObject"): xobjects})
    boxes = content_boxes(reader.pages[0])
    assert _near(boxes[0], Box(100, 100, 200, 150))
    assert _near(boxes[1], Box(300, 300, 350, 340))
    assert _near(boxes[2], Box(400, 600, 430, 630))
    assert [b for b in boxes[3:] if b.width > 100 and b.height > 50] == []
    assert len(boxes) == 7


def _arr(*v: float):
    from pypdf.generic import ArrayObject, FloatObject
    return ArrayObject(FloatObject(x) for x in v)


def test_clipped_away_and_off_page_content_does_not_count():
    reader = _page("q 0 0 100 100 re W n 200 200 50 50 re f Q 700 700 50 50 re f 10 10 50 50 re f")
    assert content_boxes(reader.pages[0]) == [Box(10, 10, 60, 60)]


def test_boxes_are_in_view_space_on_a_rotated_cropped_page():
    from pypdf.generic import RectangleObject

    reader = _page("10 80 50 20 re f", mediabox=RectangleObject([0, 0, 595, 842]),
                   cropbox=RectangleObject([0, 70, 595, 842]))
    w = PdfWriter(clone_from=reader)
    w.pages[0].rotate(90)
    buf = io.BytesIO()
    w.write(buf)
    page = PdfReader(buf).pages[0]
    view = page_view(page)
    [box] = content_boxes(page)
    # view x runs up the page from the crop's bottom, view y leftwards from its right edge
    assert _near(box, Box(80 - 70, 595 - 60, 100 - 70, 595 - 10))
    assert view.box_to_page(box) == pytest.approx(Box(10, 80, 60, 100))


# --- real files, rendered ---------------------------------------------------------------
@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Pkcs12Signer:
    _ca, p12, pw = demo_keys.make_demo_pki(tmp_path_factory.mktemp("pki"), PEJABAT)
    return Pkcs12Signer(p12, pw)


def _sign(src: Path, signer: Pkcs12Signer) -> Path:
    out = src.with_name(f"{src.stem}-ttd.pdf")
    return sign_pdf(src, out, signer, pejabat=PEJABAT, doc_id="DG-20261122-ABCDEF12",
                    footer=TTE_FOOTER_DEFAULT, when=WHEN, verify_url="https://tte.kedirikota.go.id/v/")


def _stamp_box(pdf: Path) -> Box:
    """The signature widget's rectangle in view space (as the reader sees the page)."""
    page = PdfReader(pdf).pages[-1]
    view = page_view(page)
    [rect] = [[float(v) for v in a.get_object()["/Rect"]] for a in page["/Annots"]
              if a.get_object().get("/FT") == "/Sig"]
    (x1, y1), (x2, y2) = view.to_view(rect[0], rect[1]), view.to_view(rect[2], rect[3])
    return Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _render(pdf: Path) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-cropbox", str(pdf)],
                         check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def _ink(img: Image.Image, box: Box) -> int:
    k = 80 / 72
    region = img.crop((int(box.x1 * k), int(img.height - box.y2 * k),
                       int(box.x2 * k) + 1, int(img.height - box.y1 * k) + 1))
    return sum(region.point(lambda v: 255 if v < 230 else 0).histogram()[255:])


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An A4 matplotlib chart: bars over the lower two thirds, a line chart top-left;
    only the top-right is blank."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))
    bars = fig.add_axes((0.1, 0.06, 0.85, 0.58))
    bars.bar([f"Bidang {i}" for i in range(1, 9)], [88, 95, 72, 100, 64, 91, 79, 97])
    bars.set_ylabel("Capaian (%)")
    bars.set_title("Capaian kinerja per Bidang, TW III 2026")
    line = fig.add_axes((0.1, 0.7, 0.42, 0.25))
    line.plot([1, 2, 3], [70, 82, 90], marker="o")
    line.set_title("Tren capaian")
    path = tmp_path_factory.mktemp("chart") / "grafik.pdf"
    fig.savefig(path)
    plt.close(fig)
    return path


@needs_poppler
def test_a_chart_gets_the_stamp_in_its_blank_top_right(chart, signer, tmp_path):
    src = tmp_path / chart.name
    src.write_bytes(chart.read_bytes())
    signed = _sign(src, signer)
    assert verify_pdf(signed, [])[0].intact
    box = _stamp_box(signed)
    w, h = page_view(PdfReader(src).pages[0]).width, page_view(PdfReader(src).pages[0]).height
    assert box.x1 > w * 0.52 and box.y1 > h * 0.64, box  # right of the line chart, above the bars
    assert _ink(_render(src), Box(box.x1 - 2, box.y1 - 2, box.x2 + 2, box.y2 + 2)) == 0
    assert _ink(_render(signed), box) > 500  # and it is drawn there


@needs_poppler
@pytest.mark.parametrize("name", ["rotate-90", "rotate-270-cropbox", "mediabox-offset"])
def test_the_chart_turned_or_cropped_gets_the_same_place(chart, signer, tmp_path, name):
    plain = _stamp_box(_sign(variant(chart, tmp_path / "plain.pdf", lambda p: None), signer))
    turned = _stamp_box(_sign(variant(chart, tmp_path / f"{name}.pdf", VARIANTS[name]), signer))
    assert _near(plain, turned, 1.5), (plain, turned)


@needs_poppler
def test_a_full_text_page_gets_the_stamp_in_its_blank_bottom_left(signer, tmp_path):
    """Lines across the text width from top to bottom; the last ones (a closing table
    column, say) only in the right half."""
    words = ["Berdasarkan", "hasil", "rapat", "koordinasi", "penyusunan", "laporan", "kinerja",
             "triwulan", "ketiga,", "disampaikan", "bahwa", "capaian", "Bidang"]
    lines, n = [], 0
    for y in range(800, 40, -14):
        left = 300 if y < 240 else 56
        text = words[n % len(words)]
        while stamp.text_width(f"{text} {words[(n + 1) % len(words)]}", 10) < 539 - left:
            n += 1
            text += f" {words[n % len(words)]}"
        n += 1
        lines.append((left, y, 10, text))
    src = make_pdf(tmp_path / "surat-lain.pdf", [lines])
    signed = _sign(src, signer)
    box = _stamp_box(signed)
    assert box.x2 < 300 and box.y1 < 100, box
    assert _ink(_render(src), Box(box.x1 - 2, box.y1 - 2, box.x2 + 2, box.y2 + 2)) == 0
    assert _ink(_render(signed), box) > 500
