"""Where a box of a given size fits on a page without covering anything: pure geometry,
no PDF reading (the occupied boxes come from docgen.sign.content and pages)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .pages import Box

EDGE = 20.0  # the stamp keeps this far from the page's left, right and top edges
RIGHT = 40.0  # the usual place: this far from the right edge (as layout_stamp puts it)
GAP = 6.0  # white space kept between the stamp and what is already printed


def free_spot(page: Box, taken: Sequence[Box], width: float, height: float, floor: float,
              *, gap: float = GAP) -> Box | None:
    """The `width` x `height` box nearest the usual bottom-right place (its corner
    `RIGHT` from the right edge, its bottom at `floor`) that keeps `gap` clear of every
    box in `taken`, within the page less `EDGE` at the sides and top and above
    `floor`; None when no such place exists.

    Exact for axis-aligned boxes: the best place sits on `floor` or just above some
    box (else it could move down, nearer), so only those heights are tried, lowest
    first, and the search stops once the height alone is farther than the best found.
    """
    lo_x, hi_x = page.x1 + EDGE, page.x2 - EDGE - width
    top = page.y2 - EDGE - height
    want_x = min(max(page.x2 - RIGHT - width, lo_x), hi_x)
    if hi_x < lo_x or top < floor:
        return None
    boxes = [t for t in taken if t.x2 + gap > lo_x and t.x1 - gap < hi_x + width
             and t.y2 + gap > floor and t.y1 - gap < top + height]
    # boxes by horizontal strips `height` high, so a band meets at most two strips:
    # thousands of boxes (a scatter plot's markers) stay fast
    strips: dict[int, list[Box]] = {}
    for t in boxes:
        for k in range(_strip(t.y1 - gap, floor, height), _strip(t.y2 + gap, floor, height) + 1):
            strips.setdefault(k, []).append(t)
    ys = sorted({floor, *(t.y2 + gap for t in boxes if floor < t.y2 + gap <= top)})
    best: tuple[float, float, float] | None = None  # distance, x, y
    for y in ys:
        if best is not None and y - floor >= best[0]:
            break  # every later height is farther than the best place already
        near = [t for k in range(_strip(y, floor, height), _strip(y + height, floor, height) + 1)
                for t in strips.get(k, ())]
        # x positions (of the left edge) that would touch a box in this band
        blocked = sorted({(t.x1 - gap - width, t.x2 + gap) for t in near
                          if t.y1 - gap < y + height and t.y2 + gap > y})
        x = _nearest_free(want_x, lo_x, hi_x, blocked)
        if x is None:
            continue
        d = math.hypot(x - want_x, y - floor)
        if best is None or d < best[0]:
            best = (d, x, y)
    if best is None:
        return None
    _d, x, y = best
    return Box(x, y, x + width, y + height)


def _strip(y: float, floor: float, height: float) -> int:
    return math.floor((y - floor) / height)


def _nearest_free(want: float, lo: float, hi: float,
                  blocked: list[tuple[float, float]]) -> float | None:
    """The point of [lo, hi] nearest `want` outside every open interval of `blocked`
    (sorted by start)."""
    best: float | None = None
    start = lo
    for b1, b2 in [*blocked, (hi, math.inf)]:  # the sentinel closes the last free stretch
        end = min(b1, hi)
        if end >= start:  # a free stretch [start, end]: the blocked intervals are open
            x = min(max(want, start), end)
            if best is None or abs(x - want) < abs(best - want):
                best = x
        start = max(start, b2)
        if start > hi:
            break
    return best
