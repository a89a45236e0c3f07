"""Low-level PDF page work (pypdf reading, no signing): page boxes, where a name is printed.

Kept apart from signing, as pyHanko keeps pdf_utils apart from sign.
"""

from __future__ import annotations

import io
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
    """A run of text on a page: its start point (page space) and font size."""

    text: str
    x: float
    y: float
    size: float


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _reader(data: bytes | PdfReader) -> PdfReader:
    return data if isinstance(data, PdfReader) else PdfReader(io.BytesIO(data))


def page_boxes(data: bytes | PdfReader) -> list[Box]:
    reader = _reader(data)
    out = []
    for page in reader.pages:
        mb = page.mediabox
        out.append(Box(float(mb.left), float(mb.bottom), float(mb.right), float(mb.top)))
    return out


def text_runs(data: bytes, page_index: int) -> list[TextHit]:
    """Text runs of one page with positions, from pypdf's text visitor."""
    return _runs_of(PdfReader(io.BytesIO(data)).pages[page_index])


def _runs_of(page: PageObject) -> list[TextHit]:
    runs: list[TextHit] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        # text space origin -> user space: tm x cm
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3]) or 1.0) * (size or 1.0)
        runs.append(TextHit(text, x, y, scale))

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
