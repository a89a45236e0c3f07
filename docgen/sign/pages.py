"""Low-level PDF page work (pypdf reading, no signing): the page as the reader sees it,
where a name is printed.

Kept apart from signing, as pyHanko keeps pdf_utils apart from sign.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

from pypdf import PageObject, PdfReader


@dataclass(frozen=True)
class Box:
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1


@dataclass(frozen=True)
class TextHit:
    """A run of text on a page: its start point (view space, see PageView) and font size."""

    text: str
    x: float
    y: float
    size: float


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _reader(data: bytes | PdfReader) -> PdfReader:
    return data if isinstance(data, PdfReader) else PdfReader(io.BytesIO(data))


Matrix = tuple[float, float, float, float, float, float]


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF order: a point is transformed by m first)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n  # noqa: N806
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass(frozen=True)
class PageView:
    """A page as the reader sees it: the visible area (CropBox, within the MediaBox)
    turned clockwise by /Rotate. View space has its origin at the bottom-left corner
    of what is shown, x right, y up, in points, so "bottom of the page" is y = 0 on
    any page; `matrix` (PDF ``cm`` order) maps view space to the page's own space."""

    width: float
    height: float
    rotate: int  # 0, 90, 180 or 270
    matrix: Matrix

    @property
    def box(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def turn(self) -> Matrix:
        """The rotation alone (no translation): for an XObject's /Matrix."""
        a, b, c, d, _e, _f = self.matrix
        return (a, b, c, d, 0.0, 0.0)

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return apply(self.matrix, x, y)

    def to_view(self, x: float, y: float) -> tuple[float, float]:
        # the inverse of a quarter-turn matrix is its transpose
        a, b, c, d, e, f = self.matrix
        x, y = x - e, y - f
        return (a * x + b * y, c * x + d * y)

    def box_to_page(self, box: Box) -> Box:
        """A view-space box as the (axis-aligned) rectangle it covers in page space."""
        (x1, y1), (x2, y2) = self.to_page(box.x1, box.y1), self.to_page(box.x2, box.y2)
        return Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _rect(r: object) -> Box:
    x1, y1, x2, y2 = (float(v) for v in r)  # type: ignore[attr-defined]
    return Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def page_view(page: PageObject) -> PageView:
    media = _rect(page.mediabox)
    crop = _rect(page.cropbox)  # pypdf falls back to the MediaBox
    # viewers show the CropBox clipped to the MediaBox
    vis = Box(max(crop.x1, media.x1), max(crop.y1, media.y1),
              min(crop.x2, media.x2), min(crop.y2, media.y2))
    if vis.width <= 0 or vis.height <= 0:
        vis = media
    try:
        rotate = round(int(page.rotation) / 90) % 4 * 90  # scanners write -90, 450, ...
    except (TypeError, ValueError):
        rotate = 0
    x1, y1, x2, y2 = vis.x1, vis.y1, vis.x2, vis.y2
    matrix: Matrix = {
        0: (1.0, 0.0, 0.0, 1.0, x1, y1),
        90: (0.0, 1.0, -1.0, 0.0, x2, y1),  # view x runs up the page, view y leftwards
        180: (-1.0, 0.0, 0.0, -1.0, x2, y2),
        270: (0.0, -1.0, 1.0, 0.0, x1, y2),
    }[rotate]
    w, h = (vis.width, vis.height) if rotate in (0, 180) else (vis.height, vis.width)
    return PageView(w, h, rotate, matrix)


def page_views(data: bytes | PdfReader) -> list[PageView]:
    return [page_view(page) for page in _reader(data).pages]


def text_runs(data: bytes, page_index: int) -> list[TextHit]:
    """Text runs of one page upright to the reader, in view space (see PageView)."""
    return _runs_of(PdfReader(io.BytesIO(data)).pages[page_index])


def _runs_of(page: PageObject) -> list[TextHit]:
    runs: list[TextHit] = []
    view = page_view(page)

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        a, b, c, d, x, y = mul(tuple(tm), tuple(cm))  # type: ignore[arg-type]  # text -> page space
        # the run's direction as the reader sees it: sideways text cannot anchor the stamp
        ox, oy = view.to_view(0.0, 0.0)
        dx, dy = view.to_view(a, b)
        dx, dy = dx - ox, dy - oy
        if dx <= 0 or abs(dy) > 0.1 * dx:
            return
        vx, vy = view.to_view(x, y)
        scale = (math.hypot(c, d) or 1.0) * (size or 1.0)
        runs.append(TextHit(text, vx, vy, scale))

    page.extract_text(visitor_text=visit)
    return runs


def find_name(runs: list[TextHit], name: str) -> tuple[TextHit, float | None] | None:
    """The last place `name` is printed (the signature block is at the end), and the
    baseline of the nearest text line above it (the top of the gap left for the
    signature), or None when nothing is above.

    Runs on one baseline are joined, so a name split over runs ("Drs. " + "BUDI")
    is found; matching ignores case and spacing.
    """
    want = _key(name)
    if not want:
        return None
    lines: dict[int, list[TextHit]] = {}
    for r in runs:
        lines.setdefault(round(r.y), []).append(r)
    found: TextHit | None = None
    for y in sorted(lines, reverse=True):  # top to bottom: keep the last match
        line = sorted(lines[y], key=lambda r: r.x)
        joined = ""
        owners: list[TextHit] = []
        for r in line:
            k = _key(r.text)
            joined += k
            owners += [r] * len(k)
        at = joined.find(want)
        if at >= 0:
            first = owners[at]
            found = TextHit(name, first.x, first.y, max(r.size for r in line))
    if found is None:
        return None
    above = [
        r.y for r in runs
        if r.y > found.y + found.size * 0.8 and r.x < found.x + 250 and r.x + 250 > found.x
    ]
    return found, (min(above) if above else None)


@dataclass(frozen=True)
class SignatureSpot:
    """Where the signer's name is printed: page, the name's run, and the baseline of
    the line above it (None if nothing is above)."""

    page_index: int
    name: TextHit
    line_above: float | None
    has_nip: bool


def _nip_below(runs: list[TextHit], name: TextHit) -> bool:
    # the NIP line of a signature block sits within a few lines under the name
    return any(
        "nip" in r.text.casefold() and name.y - 5 * name.size <= r.y < name.y
        and abs(r.x - name.x) < 150
        for r in runs
    )


def find_signature_spot(data: bytes | PdfReader, name: str) -> SignatureSpot | None:
    """The signature block of `name`, searched from the last page backwards.

    A laporan ends with lampiran after the page the head signs, so the last page may
    not hold the block. A name with a NIP line under it wins; else the last page that
    prints the name; None when no page does.
    """
    reader = _reader(data)
    fallback: SignatureSpot | None = None
    for index in range(len(reader.pages) - 1, -1, -1):
        try:
            runs = _runs_of(reader.pages[index])
        except Exception:  # noqa: BLE001 - a page pypdf cannot read is skipped, not fatal
            continue
        hit = find_name(runs, name)
        if hit is None:
            continue
        spot = SignatureSpot(index, hit[0], hit[1], _nip_below(runs, hit[0]))
        if spot.has_nip:
            return spot
        fallback = fallback or spot
    return fallback


# Annotations a stamp must not cover: links and pop-ups are invisible or follow others.
_SEE_THROUGH = frozenset({"/Link", "/Popup"})


def annotation_boxes(page: PageObject) -> list[Box]:
    """The visible annotations of a page (signature and form fields, comments, stamps of
    other tools) as view-space boxes; damaged entries are skipped."""
    view = page_view(page)
    boxes = []
    try:
        annots = page.get("/Annots") or []
        annots = annots.get_object() if hasattr(annots, "get_object") else annots
        for ref in annots:
            try:
                a = ref.get_object()
                if a.get("/Subtype") in _SEE_THROUGH or int(a.get("/F", 0)) & 2:  # 2: hidden
                    continue
                field = a if "/FT" in a else (a.get("/Parent") or a).get_object()
                if field.get("/FT") == "/Sig" and field.get("/V") is None:
                    continue  # an empty signature field shows nothing: the stamp may go there
                r = _rect(a["/Rect"])
            except Exception:  # noqa: BLE001 - one odd annotation does not block signing
                continue
            (x1, y1), (x2, y2) = view.to_view(r.x1, r.y1), view.to_view(r.x2, r.y2)
            box = Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
            if box.width > 1 and box.height > 1:  # invisible fields have an empty /Rect
                boxes.append(box)
    except Exception:  # noqa: BLE001 - an unreadable /Annots: nothing to avoid
        return []
    return boxes
