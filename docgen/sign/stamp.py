"""The visible TTE marks: the QR stamp over the signature block, and the footer line.

Both are drawn into page content with pyHanko's stamp machinery inside the
incremental writer, so the text is part of the page (readable, searchable) and the
original bytes stay untouched.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory, ShapeResult
from pyhanko.pdf_utils.font.basic import SimpleFontEngine
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.stamp import QRPosition, QRStamp, QRStampStyle, TextStamp, TextStampStyle

from .. import formatting
from ..config import Pejabat
from . import fonts, placement
from .pages import Box, Matrix, PageView

# Metric-compatible with Helvetica/Arial: measure the Helvetica fallback (no font found).
# Found where fonts.candidates() looks (%WINDIR%\Fonts on Windows), never a fixed C: drive.
_METRIC_NAMES = frozenset({"liberationsans-regular.ttf", "arial.ttf"})


def metric_fonts() -> list[Path]:
    return [p for p in fonts.candidates() if p.name.lower() in _METRIC_NAMES]

_ZONES = {7: "WIB", 8: "WITA", 9: "WIT"}

STAMP_HEADING = "Ditandatangani secara elektronik oleh:"
STAMP_COMPACT = "Ditandatangani secara elektronik"
STAMP_MAX_HEIGHT = 64.0
STAMP_MIN_HEIGHT = 36.0


def zone_label(when: dt.datetime) -> str:
    """WIB/WITA/WIT for Indonesia's offsets, else "UTC+x" ("UTC" for +0)."""
    off = when.utcoffset() or dt.timedelta(0)
    minutes = int(off.total_seconds() // 60)
    if minutes % 60 == 0 and minutes // 60 in _ZONES:
        return _ZONES[minutes // 60]
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def waktu(when: dt.datetime) -> str:
    """``22 November 2026 10:15 WIB`` (naive times are taken as local)."""
    when = when if when.tzinfo else when.astimezone()
    return f"{formatting.tanggal(when)} {when:%H:%M} {zone_label(when)}"


def qr_payload(doc_id: str, pejabat: Pejabat, when: dt.datetime, verify_url: str = "") -> str:
    """What the QR code carries: the verification URL + id, else a readable line."""
    if verify_url:
        return f"{verify_url}{doc_id}"
    when = when if when.tzinfo else when.astimezone()
    parts = ["TTE docgen", doc_id, pejabat.nama]
    if pejabat.nip:
        parts.append(pejabat.nip)
    parts.append(when.isoformat(timespec="minutes"))
    return " | ".join(parts)


def stamp_lines(pejabat: Pejabat, when: dt.datetime, *, compact: bool = False) -> list[str]:
    """The stamp text. Compact (one line fewer: heading and time together) is for a
    narrow signature gap, where five lines would need a 5 pt font."""
    # "a.n. Kepala Dinas ..." and the signer's own jabatan each start a line
    roles = [line for part in (pejabat.atas_nama, pejabat.jabatan) for line in textwrap.wrap(part, 46)]
    head = [f"{STAMP_COMPACT}, {waktu(when)}"] if compact else [STAMP_HEADING]
    lines = [*head, *roles, pejabat.nama]
    if pejabat.nip:
        lines.append(f"NIP {pejabat.nip_tampil}")
    if not compact:
        lines.append(waktu(when))
    return lines


@cache
def _measure() -> object | None:
    from PIL import ImageFont

    for c in metric_fonts():
        if c.is_file():
            return ImageFont.truetype(c, 1000)
    return None


class _HelveticaEngine(SimpleFontEngine):
    """Standard Helvetica, not embedded: the fallback when no TrueType font is found
    (see fonts.py), measured with a metric-compatible font when there is one."""

    def shape(self, txt: str) -> ShapeResult:
        res = super().shape(txt)
        m = _measure()
        width = m.getlength(txt) / 1000 if m is not None else res.x_advance  # type: ignore[attr-defined]
        return ShapeResult(graphics_ops=res.graphics_ops, x_advance=width, y_advance=0)


class HelveticaFactory(FontEngineFactory):
    def create_font_engine(self, writer, obj_stream=None) -> FontEngine:  # noqa: ANN001
        return _HelveticaEngine(writer, "Helvetica", 0.5, None)


@cache
def _factory() -> FontEngineFactory:
    f = fonts.face()
    return fonts.EmbeddedFontFactory(f) if f is not None else HelveticaFactory()


def font_factory(_size: int) -> FontEngineFactory:
    """The stamp and footer font: an embedded TrueType subset (any name prints as
    written), else Helvetica."""
    return _factory()


IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _QRStamp(QRStamp):
    """pyHanko's QR stamp with a fixed mask pattern (choosing the best of eight masks
    costs ~8 ms per signature, and any mask scans), turned by `turn` so that it is
    upright on a page with /Rotate."""

    turn: Matrix = IDENTITY

    def as_form_xobject(self) -> generic.StreamObject:
        xobj = super().as_form_xobject()
        if self.turn != IDENTITY:
            # a widget's appearance is fitted to /Rect after its /Matrix, and a Do
            # paints through it: either way the stamp turns with the page
            xobj[pdf_name("/Matrix")] = generic.ArrayObject(generic.FloatObject(v) for v in self.turn)
        return xobj

    def _qr_xobject(self):  # noqa: ANN202 - pyHanko's signature
        import qrcode
        from pyhanko.pdf_utils.qr import PdfStreamQRImage

        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
        qr.add_data(self.url)
        qr.make()
        img = qr.make_image(image_factory=PdfStreamQRImage)
        size = (qr.modules_count + 2 * qr.border) * qr.box_size
        xobj = init_xobject_dictionary(img.render_command_stream(), size, size)
        xobj.compress()
        return self.writer.add_object(xobj), size


@dataclass(frozen=True)
class _QRStampStyle(QRStampStyle):
    turn: Matrix = field(default=IDENTITY)

    def create_stamp(self, writer, box, text_params):  # noqa: ANN001, ANN201
        params = dict(text_params)
        url = params.pop("url")
        if box is not None and self.turn[0] == 0 and box.width_defined and box.height_defined:
            # pyHanko sizes an appearance by /Rect, which is sideways on a quarter-turned page
            box = layout.BoxConstraints(width=box.height, height=box.width)
        stamp = _QRStamp(writer, style=self, url=url, text_params=params, box=box)
        stamp.turn = self.turn
        return stamp


@dataclass(frozen=True)
class StampLayout:
    """The stamp's box on the page and the text size that fills it without shrinking."""

    box: Box
    font_size: int
    lines: tuple[str, ...]

    @property
    def leading(self) -> int:
        return self.font_size + 1

    @property
    def qr_size(self) -> int:
        return int(self.box.height) - 2 * STAMP_PAD


STAMP_PAD = 3  # between the border, the QR code and the text
TEXT_MARGIN = 2


def text_width(line: str, size: float) -> float:
    f = fonts.face()
    if f is not None:  # the font that is embedded measures the text
        return f.advance(line) * size
    m = _measure()
    if m is None:
        return len(line) * size * 0.5
    return m.getlength(line) * size / 1000  # type: ignore[attr-defined]


def layout_stamp(page: Box, variants: list[list[str]], name_at: tuple[float, float, float] | None,
                 top_limit: float | None, footer_top: float) -> StampLayout:
    """Where the stamp goes and how big its text is.

    Just above the signer's printed name, filling the gap left for the signature
    (up to the line above); else bottom-right, above the footer. The font size is
    the largest (8..5 pt) whose lines fit the gap's height; of the text `variants`
    (full first), the first that fits in 6 pt or more is used, else the largest.
    """
    best: StampLayout | None = None
    for lines in variants:
        lay = _layout(page, lines, name_at, top_limit, footer_top)
        if lay.font_size >= 6:
            return lay
        if best is None or lay.font_size >= best.font_size:  # a tie: fewer lines, more air
            best = lay
    assert best is not None, "no stamp text"
    return best


def _layout(page: Box, lines: list[str], name_at: tuple[float, float, float] | None,
            top_limit: float | None, footer_top: float) -> StampLayout:
    if name_at is not None:
        x, y, size = name_at
        bottom = y + size * 0.9 + 1
        room = (top_limit - size * 0.3 - 1 - bottom) if top_limit is not None else STAMP_MAX_HEIGHT
        h = int(max(STAMP_MIN_HEIGHT, min(STAMP_MAX_HEIGHT, room)))
    else:
        h = int(STAMP_MAX_HEIGHT)
        bottom = page.y1 + footer_top + 8
    font, w = _sized(lines, h)
    if name_at is not None:
        left = min(max(name_at[0], page.x1 + 20), page.x2 - 20 - w)
    else:
        left = page.x2 - 40 - w
    return StampLayout(Box(left, bottom, left + w, bottom + h), font, tuple(lines))


def _sized(lines: list[str], h: float) -> tuple[int, float]:
    """The font size (8..5 pt) whose lines fit a stamp `h` high, and the stamp's width."""
    inner = h - 2 * STAMP_PAD - 2 * TEXT_MARGIN
    font = 5
    for candidate in (8, 7, 6):
        if len(lines) * (candidate + 1) <= inner:
            font = candidate
            break
    text_w = max(text_width(line, font) for line in lines) + 2 * TEXT_MARGIN
    return font, (h - 2 * STAMP_PAD) + 2 * STAMP_PAD + text_w + STAMP_PAD


def layout_free(page: Box, variants: list[list[str]], taken: list[Box],
                footer_top: float) -> StampLayout:
    """The stamp on a page that does not print the signer's name (another office's
    chart, scan or table): the free place nearest the usual bottom-right one, clear of
    `taken` (what the page prints and its annotations, view space) and above the footer.

    Tried in turn: the full stamp; the compact text (`variants[-1]`) in a box as low as
    6 pt allows. When neither fits anywhere, the compact stamp goes bottom-right as
    layout_stamp puts it, over whatever is there: the last resort, covering the least.
    """
    full = layout_stamp(page, variants, None, None, footer_top)
    compact = variants[-1]
    h = float(max(STAMP_MIN_HEIGHT, len(compact) * 7 + 2 * STAMP_PAD + 2 * TEXT_MARGIN))
    font, w = _sized(compact, h)
    right = Box(page.x2 - 40 - w, full.box.y1, page.x2 - 40, full.box.y1 + h)
    small = StampLayout(right, font, tuple(compact))
    for lay in (full, small):
        box = placement.free_spot(page, taken, lay.box.width, lay.box.height, lay.box.y1)
        if box is not None:
            return StampLayout(box, lay.font_size, lay.lines)
    return small


def _overlaps(a: Box, b: Box, gap: float = 2.0) -> bool:
    return a.x1 < b.x2 + gap and b.x1 < a.x2 + gap and a.y1 < b.y2 + gap and b.y1 < a.y2 + gap


def clear_of(lay: StampLayout, page: Box, taken: list[Box], footer_top: float) -> StampLayout:
    """`lay`, moved off boxes already on the page (another tool's signature or form
    field, a comment), so no stamp hides another: the same size, at the free place
    nearest the bottom-right (placement.free_spot); unchanged if nothing is free."""
    if not any(_overlaps(lay.box, t) for t in taken):
        return lay
    box = placement.free_spot(page, taken, lay.box.width, lay.box.height,
                              page.y1 + footer_top + 8, gap=2.0)
    return lay if box is None else StampLayout(box, lay.font_size, lay.lines)


def qr_style(lay: StampLayout, turn: Matrix = IDENTITY) -> QRStampStyle:
    """The stamp's style; `turn` (PageView.turn) keeps it upright on a rotated page."""
    return _QRStampStyle(
        text_box_style=TextBoxStyle(
            font=font_factory(lay.font_size), font_size=lay.font_size, leading=lay.leading,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(TEXT_MARGIN),
            ),
        ),
        stamp_text="%(text)s",
        border_width=1,
        border_color=(0.45, 0.45, 0.45),
        innsep=STAMP_PAD,
        qr_inner_size=lay.qr_size,
        qr_position=QRPosition.LEFT_OF_TEXT,
        background=None,
        turn=turn,
    )


def stamp_params(lay: StampLayout, payload: str) -> dict[str, str]:
    return {"url": payload, "text": "\n".join(lay.lines)}


def draw_stamp(writer: IncrementalPdfFileWriter, page_index: int, view: PageView,
               lay: StampLayout, *, payload: str, link: bool) -> None:
    """Draw the QR + text stamp into the page content of `page_index`; `lay.box` is
    in view space (the page as the reader sees it)."""
    box = lay.box
    stamp = _QRStamp(writer, style=qr_style(lay), url=payload,
                     text_params={"text": stamp_params(lay, payload)["text"]},
                     box=layout.BoxConstraints(width=box.width, height=box.height))
    stamp.turn = view.turn
    # the XObject's /Matrix turns it; the Do only moves its origin (the view box's
    # bottom-left corner) to where that corner is in page space
    x, y = view.to_page(box.x1, box.y1)
    page_ref, _size = TextStamp.apply(stamp, page_index, x, y)
    if link:  # a clickable verification link over the stamp (a plain-text payload is no URI)
        rect = view.box_to_page(box)
        annot = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Link"),
            pdf_name("/Rect"): generic.ArrayObject(
                generic.FloatObject(round(v, 2)) for v in (rect.x1, rect.y1, rect.x2, rect.y2)),
            pdf_name("/Border"): generic.ArrayObject([generic.NumberObject(0)] * 3),
            pdf_name("/A"): generic.DictionaryObject({
                pdf_name("/S"): pdf_name("/URI"), pdf_name("/URI"): generic.pdf_string(payload),
            }),
        })
        writer.register_annotation(page_ref, writer.add_object(annot))


FOOTER_SIZE = 6
FOOTER_MARGIN = 14.0


def footer_lines(text: str, page_width: float) -> list[str]:
    """Wrapped to the page width less 2 x 40 pt, in lines of even length."""
    text = " ".join(text.split())
    avail = page_width - 2 * 40
    n = max(1, math.ceil(text_width(text, FOOTER_SIZE) / avail))
    per_line = math.ceil(len(text) / n) + 2
    lines = textwrap.wrap(text, per_line)
    while len(lines) > n and per_line < len(text):  # a long word spilled over
        per_line += 4
        lines = textwrap.wrap(text, per_line)
    return lines


def footer_height(text: str, page_width: float) -> float:
    return len(footer_lines(text, page_width)) * (FOOTER_SIZE + 2) + FOOTER_MARGIN


def draw_footer(writer: IncrementalPdfFileWriter, pages: Iterable[tuple[int, PageView]],
                text: str) -> None:
    """The TTE footer, small and centred at the bottom of every page as the reader
    sees it (upright on a page with /Rotate).

    One form XObject, painted on each page (the font is embedded once).
    """
    pages = list(pages)
    if not text.strip() or not pages:
        return
    width = min(view.width for _i, view in pages)  # fits a portrait page among landscape ones
    lines = footer_lines(text, width)
    style = TextStampStyle(
        text_box_style=TextBoxStyle(
            font=font_factory(FOOTER_SIZE), font_size=FOOTER_SIZE, leading=FOOTER_SIZE + 2,
            text_color=(0.25, 0.25, 0.25),
        ),
        stamp_text="%(text)s",
        border_width=0,
        background=None,
    )
    stamp = style.create_stamp(writer, layout.BoxConstraints(), {"text": "\n".join(lines)})
    ref = stamp.register()
    w = stamp.box.width
    for index, view in pages:
        # one name per page: pages may share one /Resources dictionary
        name = f"/DocgenTteFooter{index}"
        # view space -> page space, then the footer's place in view space
        a, b, c, d, e, f = view.matrix
        x, y = (view.width - w) / 2, FOOTER_MARGIN - 6
        paint = b"q %g %g %g %g %.2f %.2f cm 1 0 0 1 %.2f %.2f cm %s Do Q" % (
            a, b, c, d, e, f, x, y, name.encode())
        resources = generic.DictionaryObject(
            {pdf_name("/XObject"): generic.DictionaryObject({pdf_name(name): ref})}
        )
        # wrap the existing content in q/Q so its graphics state cannot leak into ours
        writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
        writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=b"Q")))
        writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=paint)), resources)
