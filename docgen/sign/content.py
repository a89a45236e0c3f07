"""What a page already prints, as boxes: text runs, images and vector paths, read from
the content stream with the graphics state (CTM, clip, colours) followed, form
XObjects included. For placing the stamp where it covers nothing (see placement).

Boxes are approximate on the safe side: a path counts by its bounding box (a
stroked rectangle by its four edges, so a page frame or a table cell stays usable),
text by its advance (font /Widths, else 0.6 em a character) and ascent/descent.
A fill or image covering most of the page is its paper (a background, a scan) and
is not counted; any other fill is, white too: a chart's plot area or a table cell
is no place for a stamp even where it is empty.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from pypdf import PageObject
from pypdf.generic import ContentStream, DictionaryObject

from .pages import Box, Matrix, PageView, page_view
from .pages import apply as _apply
from .pages import mul as _mul

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
EMPTY = Box(math.inf, math.inf, -math.inf, -math.inf)  # a clip that shows nothing
BACKGROUND = 0.8  # one fill or image covering this share of the page is its background
MAX_DEPTH = 8  # nested form XObjects
ASCENT, DESCENT = 0.9, 0.25  # of the font size, generous for accents and descenders


def _bounds(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _rect_box(m: Matrix, x1: float, y1: float, x2: float, y2: float) -> Box:
    return _bounds([_apply(m, x1, y1), _apply(m, x2, y1), _apply(m, x1, y2), _apply(m, x2, y2)])


def _clip(box: Box, clip: Box | None) -> Box | None:
    if clip is None:
        return box
    b = Box(max(box.x1, clip.x1), max(box.y1, clip.y1), min(box.x2, clip.x2), min(box.y2, clip.y2))
    return b if b.x2 >= b.x1 and b.y2 >= b.y1 else None


def _num(v: object) -> float:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


@dataclass(frozen=True)
class _Font:
    """Advance widths in text space per unit of font size."""

    widths: dict[int, float]
    default: float
    two_byte: bool = False

    def advance(self, data: bytes, size: float, tc: float, tw: float) -> float:
        if self.two_byte:
            codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
            return sum(self.widths.get(c, self.default) * size + tc for c in codes)
        return sum(self.widths.get(c, self.default) * size + tc + (tw if c == 32 else 0.0)
                   for c in data)


_UNKNOWN_FONT = _Font({}, 0.6)


def _font(obj: object) -> _Font:
    """Widths from a font dictionary; anything odd falls back to 0.6 em a character."""
    try:
        font = obj.get_object()  # type: ignore[attr-defined]
        subtype = font.get("/Subtype")
        if subtype == "/Type0":
            desc = font["/DescendantFonts"][0].get_object()
            widths: dict[int, float] = {}
            w = desc.get("/W") or []
            w = w.get_object() if hasattr(w, "get_object") else w
            i = 0
            while i + 1 < len(w):  # [c [w1 w2 ...]] or [c_first c_last w]
                first, nxt = int(w[i]), w[i + 1].get_object()
                if isinstance(nxt, list):
                    widths.update({first + k: _num(v) / 1000 for k, v in enumerate(nxt)})
                    i += 2
                else:
                    last, width = int(nxt), _num(w[i + 2]) / 1000
                    if last - first < 70000:
                        widths.update(dict.fromkeys(range(first, last + 1), width))
                    i += 3
            return _Font(widths, _num(desc.get("/DW", 1000)) / 1000, two_byte=True)
        scale = _num(font["/FontMatrix"][0]) if subtype == "/Type3" else 0.001
        first = int(font.get("/FirstChar", 0))
        listed = [_num(v) * scale for v in (font.get("/Widths") or [])]
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        missing = _num(descriptor.get("/MissingWidth", 0)) * scale
        if not listed:  # a standard 14 font: no /Widths
            return _UNKNOWN_FONT
        return _Font(dict(zip(range(first, first + len(listed)), listed, strict=True)),
                     missing or 0.6)
    except Exception:  # noqa: BLE001 - a damaged font only makes the box approximate
        return _UNKNOWN_FONT


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    clip: Box | None = None
    font: _Font = field(default=_UNKNOWN_FONT)
    size: float = 0.0
    tc: float = 0.0
    tw: float = 0.0
    th: float = 1.0
    tl: float = 0.0
    rise: float = 0.0


class _Scanner:
    def __init__(self, page_area: float) -> None:
        self.page_area = page_area
        self.boxes: list[Box] = []
        self.fonts: dict[int, _Font] = {}
        self.forms: set[int] = set()  # forms being read: a form drawing itself is skipped

    def add(self, box: Box | None, state: _State, *, background_ok: bool = False) -> None:
        if box is None:
            return
        if background_ok and box.width * box.height >= BACKGROUND * self.page_area:
            return  # a page-wide fill or scan: the paper, not content to keep clear of
        box = _clip(box, state.clip)
        if box is not None:
            self.boxes.append(box)

    def font(self, resources: DictionaryObject, name: object) -> _Font:
        try:
            obj = resources["/Font"].get_object()[name]  # resolved once by the reader
        except Exception:  # noqa: BLE001 - an unknown font name: the fallback width
            return _UNKNOWN_FONT
        if id(obj) not in self.fonts:
            self.fonts[id(obj)] = _font(obj)
        return self.fonts[id(obj)]

    def run(self, ops: list[tuple[list[object], bytes]], reader: object,
            resources: DictionaryObject, state: _State, depth: int) -> None:
        stack: list[_State] = []
        path: list[list[tuple[float, float]]] = []  # subpaths, in page space
        rects: list[bool] = []  # per subpath: drawn by `re`
        clip_next = False
        tm = tlm = IDENTITY
        for operands, op in _ops(ops):
            if op in (b"m", b"l", b"c", b"v", b"y"):
                nums = [_num(v) for v in operands]
                pts = [_apply(state.ctm, nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
                if op == b"m" or not path:
                    path.append([])
                    rects.append(False)
                path[-1].extend(pts)
            elif op == b"re" and len(operands) == 4:
                x, y, w, h = (_num(v) for v in operands)
                corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                path.append([_apply(state.ctm, px, py) for px, py in corners])
                rects.append(True)
            elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"):
                stroke = op in (b"S", b"s", b"B", b"B*", b"b", b"b*")
                fill = op not in (b"S", b"s", b"n")
                for sub, is_rect in zip(path, rects, strict=True):
                    if not sub:
                        continue
                    if fill:
                        self.add(_bounds(sub), state, background_ok=True)
                    elif stroke and is_rect and len(sub) == 4:
                        for i in range(4):  # a frame or a table cell: its edges only
                            self.add(_bounds([sub[i], sub[(i + 1) % 4]]), state)
                    elif stroke:
                        self.add(_bounds(sub), state)
                if clip_next and any(path):
                    box = _bounds([p for sub in path for p in sub])
                    state.clip = _clip(box, state.clip) or EMPTY
                path, rects, clip_next = [], [], False
            elif op in (b"W", b"W*"):
                clip_next = True
            elif op == b"q":
                stack.append(replace(state))
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"cm" and len(operands) == 6:
                state.ctm = _mul(tuple(_num(v) for v in operands), state.ctm)  # type: ignore[arg-type]
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"Tf" and len(operands) == 2:
                state.font, state.size = self.font(resources, operands[0]), _num(operands[1])
            elif op == b"Tc" and operands:
                state.tc = _num(operands[0])
            elif op == b"Tw" and operands:
                state.tw = _num(operands[0])
            elif op == b"Tz" and operands:
                state.th = _num(operands[0]) / 100
            elif op == b"TL" and operands:
                state.tl = _num(operands[0])
            elif op == b"Ts" and operands:
                state.rise = _num(operands[0])
            elif op in (b"Td", b"TD") and len(operands) == 2:
                tx, ty = _num(operands[0]), _num(operands[1])
                if op == b"TD":
                    state.tl = -ty
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
            elif op == b"Tm" and len(operands) == 6:
                tm = tlm = tuple(_num(v) for v in operands)  # type: ignore[assignment]
            elif op in (b"T*", b"'", b'"'):
                if op == b'"' and len(operands) == 3:
                    state.tw, state.tc = _num(operands[0]), _num(operands[1])
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -state.tl), tlm)
                if op != b"T*" and operands:
                    tm = self.show([operands[-1]], tm, state)
            elif op in (b"Tj", b"TJ") and operands:
                parts = list(operands[0]) if op == b"TJ" else [operands[0]]
                tm = self.show(parts, tm, state)
            elif op == b"Do" and operands:
                self.paint(resources, operands[0], reader, state, depth)
            elif op == b"INLINE IMAGE":
                self.add(_rect_box(state.ctm, 0, 0, 1, 1), state, background_ok=True)
            elif op == b"sh" and state.clip is not None:
                self.add(state.clip, state, background_ok=True)

    def show(self, parts: list[object], tm: Matrix, state: _State) -> Matrix:
        """Add the box of a text show and return the text matrix after it."""
        x, ink = 0.0, False
        for part in parts:
            if isinstance(part, bytes | str):
                data = part.get_original_bytes() if hasattr(part, "get_original_bytes") else (
                    part if isinstance(part, bytes) else part.encode("latin-1", "replace"))
                x += state.font.advance(data, state.size, state.tc, state.tw) * state.th
                ink = ink or bool(data.strip()) or state.font.two_byte
            else:  # a TJ adjustment, in thousandths of an em, moving left
                x -= _num(part) / 1000 * state.size * state.th
        if ink and state.size:
            m = _mul(tm, state.ctm)
            lo, hi = state.rise - DESCENT * abs(state.size), state.rise + ASCENT * abs(state.size)
            self.add(_rect_box(m, min(0.0, x), lo, max(0.0, x), hi), state)
        return _mul((1.0, 0.0, 0.0, 1.0, x, 0.0), tm)

    def paint(self, resources: DictionaryObject, name: object, reader: object, state: _State,
              depth: int) -> None:
        try:
            xobj = resources["/XObject"].get_object()[name]  # resolved once by the reader
            subtype = xobj.get("/Subtype")
        except Exception:  # noqa: BLE001 - a missing XObject paints nothing
            return
        if subtype == "/Image":
            self.add(_rect_box(state.ctm, 0, 0, 1, 1), state, background_ok=True)
            return
        if subtype != "/Form":
            return
        matrix = tuple(_num(v) for v in xobj.get("/Matrix", IDENTITY))
        inner = replace(state, ctm=_mul(matrix, state.ctm))  # type: ignore[arg-type]
        try:
            x1, y1, x2, y2 = (_num(v) for v in xobj["/BBox"])
            inner.clip = _clip(_rect_box(inner.ctm, min(x1, x2), min(y1, y2), max(x1, x2),
                                         max(y1, y2)), state.clip) or EMPTY
        except Exception:  # noqa: BLE001 - no /BBox: clipped by the page only
            pass
        if inner.clip is EMPTY:
            return  # drawn outside what is shown
        if depth >= MAX_DEPTH or id(xobj) in self.forms:
            if inner.clip is not None:
                self.add(inner.clip, state, background_ok=True)  # unread: the whole form
            return
        self.forms.add(id(xobj))
        try:
            own = xobj.get("/Resources")
            ops = ContentStream(xobj, reader).operations
            self.run(ops, reader, own.get_object() if own is not None else resources, inner,
                     depth + 1)
        except Exception:  # noqa: BLE001 - an unreadable form: the whole form is taken
            if inner.clip is not None:
                self.add(inner.clip, state, background_ok=True)
        finally:
            self.forms.discard(id(xobj))


def _ops(ops: list[tuple[list[object], bytes]]) -> Iterator[tuple[list[object], bytes]]:
    for operands, op in ops:
        yield (operands if isinstance(operands, list) else [operands]), op


def content_boxes(page: PageObject, view: PageView | None = None) -> list[Box]:
    """What `page` prints (text, images, paths) as boxes in view space (see PageView),
    clipped to the visible page."""
    view = view or page_view(page)
    contents = page.get_contents()
    if contents is None:
        return []
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    scan = _Scanner(view.width * view.height)
    seen = Box(*view.to_page(0, 0), *view.to_page(view.width, view.height))
    seen = Box(min(seen.x1, seen.x2), min(seen.y1, seen.y2), max(seen.x1, seen.x2),
               max(seen.y1, seen.y2))
    scan.run(contents.operations, page.pdf, resources, _State(clip=seen), 0)
    out = []
    for b in scan.boxes:
        (x1, y1), (x2, y2) = view.to_view(b.x1, b.y1), view.to_view(b.x2, b.y2)
        out.append(Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return out
