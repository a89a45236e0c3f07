"""Pure layout of the SOP flowchart table: columns, rows, pages, symbols, routed arrows.

Everything is in EMU (1 mm = 36000, 1 pt = 12700, 1 twip = 635) on integer sizes that come
from twips, so the drawing matches the table Word/LibreOffice lay out to the EMU. No I/O here:
flowchart.py turns the result into OOXML.

Coordinates of a page: x = 0 at the left border of the first actor column, y = 0 at the top of
the first body row of that page's table. Each connector is an axis-aligned polyline; it is then
cut at row/column borders into pieces that live in exactly one actor cell (cell coordinates),
so each cell's drawing is self-contained (see shared/notes/sop-flowchart.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from . import metrics

EMU_PER_MM = 36000
EMU_PER_PT = 12700
EMU_PER_TWIP = 635
TWIP_PER_MM = 1440 / 25.4

Symbol = Literal["terminator", "process", "decision"]
PRESET = {
    "terminator": "flowChartTerminator",
    "process": "flowChartProcess",
    "decision": "flowChartDecision",
    "offpage": "flowChartOffpageConnector",
}


@dataclass
class FlowStep:
    no: int                        # 1-based step number shown in the No column
    aktivitas: str
    pelaksana: int                 # index into actors (column)
    symbol: Symbol
    kelengkapan: str = ""
    waktu: str = ""                # already formatted, e.g. "15 menit"
    output: str = ""
    keterangan: str = ""
    # decision exits: step numbers; one of them is usually no+1 (drawn straight down),
    # the other leaves from the side. Labels are data (Ya/Tidak, Lengkap/Tidak lengkap...).
    ya: int | None = None
    tidak: int | None = None
    label_ya: str = "Ya"
    label_tidak: str = "Tidak"
    # a plain step that jumps: the step the flow goes to after it (None: the next one). The
    # jump leaves the box from the side like a decision's side exit; the next step is not
    # connected to it.
    lanjut: int | None = None


@dataclass
class PageSpec:
    width_mm: float = 297          # A4 landscape; F4 landscape = 330 x 215
    height_mm: float = 210
    margin_top_mm: float = 15
    margin_bottom_mm: float = 15
    margin_left_mm: float = 15
    margin_right_mm: float = 15
    font_name: str = "Arial"
    font_size_pt: float = 9
    reserve_last_pt: float = 0     # room to keep on the last page for what the caller adds after


@dataclass(frozen=True)
class FlowStyle:
    """Layout rules that an office may want different: data, not code."""

    no_mm: float = 9
    aktivitas_mm: float = 52
    kelengkapan_mm: float = 30
    waktu_mm: float = 16
    output_mm: float = 28
    keterangan_mm: float = 22
    min_actor_mm: float = 18       # fixed columns shrink (down to min_fixed_factor) to keep this
    min_fixed_factor: float = 0.6
    text_margin_mm: float = 1.5    # left/right margin of text cells
    symbol_margin_mm: float = 8    # actor column width minus symbol width (arrowheads need >= 2 mm)
    symbol_max_w_mm: float = 20
    terminator_h_mm: float = 7
    process_h_mm: float = 8
    decision_h_mm: float = 10
    offpage_w_mm: float = 7
    offpage_h_mm: float = 6.5
    gap_mm: float = 3.5            # minimal space above and below a symbol in its row
    connector_row_mm: float = 12
    corridor_mm: float = 1.6       # return arrows run this far inside a column border
    lane_gap_mm: float = 1.0       # between the vertical runs of two return arrows
    arrow_min_mm: float = 2.4      # last segment of an arrow: room for a clean arrowhead
    port_pitch_mm: float = 2.6     # between entry points on a box's side (arrowheads ~1.8 mm)
    line_emu: int = 9525           # 0.75 pt
    label_size_pt: float = 7
    min_label_size_pt: float = 5.5  # a label that fits nowhere shrinks (by half points) to this
    label_gap_mm: float = 0.8      # exit label to any symbol
    line_gap_mm: float = 0.5       # exit label to any line or other label
    min_header_size_pt: float = 6.5
    title_size_pt: float = 11
    title_after_pt: float = 6
    header_shading: str = "D9D9D9"
    page_slack_pt: float = 10      # page-break paragraph, borders, renderer rounding
    group_header: str = ""         # over No and Aktivitas ("Uraian Prosedur"); empty: they span both rows
    number_row: bool = False       # a third header row numbering the columns 1, 2, 3 ...


STYLE = FlowStyle()


def mm(v: float) -> int:
    return round(v * EMU_PER_MM)


# ---------------------------------------------------------------- columns

@dataclass
class Columns:
    """Widths in twips: No, Aktivitas, actors..., Kelengkapan, Waktu, Output, Keterangan."""

    no: int
    aktivitas: int
    actors: list[int]
    kelengkapan: int
    waktu: int
    output: int
    keterangan: int

    @property
    def all(self) -> list[int]:
        return [self.no, self.aktivitas, *self.actors, self.kelengkapan, self.waktu, self.output,
                self.keterangan]

    @property
    def actor_x(self) -> list[int]:
        """Left border of each actor column and the right border of the last, in EMU."""
        xs = [0]
        for w in self.actors:
            xs.append(xs[-1] + w * EMU_PER_TWIP)
        return xs


def columns(usable_width_mm: float, n_actors: int, style: FlowStyle = STYLE,
            min_mm: tuple[float, float, float, float] | None = None) -> Columns:
    """Fixed columns from the style; actor columns share the rest (shrinking the fixed ones
    when many actors would otherwise get less than `min_actor_mm`).

    ``min_mm`` (Kelengkapan, Waktu, Output, Keterangan) widens a Mutu Baku column so its
    longest word fits unbroken ("Penyusunan" in a 16 mm Waktu column broke mid-word),
    as long as the actor columns keep `min_actor_mm`.
    """
    total = int(usable_width_mm * TWIP_PER_MM)
    fixed_mm = [style.no_mm, style.aktivitas_mm, style.kelengkapan_mm, style.waktu_mm,
                style.output_mm, style.keterangan_mm]
    if min_mm:
        spare = usable_width_mm - sum(fixed_mm) - n_actors * style.min_actor_mm
        for i, want in enumerate(min_mm, start=2):
            extra = min(max(0.0, want - fixed_mm[i]), max(0.0, spare))
            fixed_mm[i] += extra
            spare -= extra
    need = n_actors * style.min_actor_mm
    rest = usable_width_mm - sum(fixed_mm)
    if rest < need:
        shrinkable = sum(fixed_mm[1:])  # keep No as is
        factor = max(style.min_fixed_factor, (usable_width_mm - fixed_mm[0] - need) / shrinkable)
        fixed_mm = [fixed_mm[0]] + [f * factor for f in fixed_mm[1:]]
    fixed = [int(f * TWIP_PER_MM) for f in fixed_mm]
    left = total - sum(fixed)
    if left < n_actors * 200:
        raise ValueError(f"page too narrow for {n_actors} pelaksana columns")
    actors = [left // n_actors] * n_actors
    actors[-1] += left - sum(actors)
    return Columns(fixed[0], fixed[1], actors, *fixed[2:])


# ---------------------------------------------------------------- geometry primitives

@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def cy(self) -> int:
        return self.y + self.h // 2

    @property
    def bottom(self) -> tuple[int, int]:
        return (self.cx, self.y + self.h)

    @property
    def top(self) -> tuple[int, int]:
        return (self.cx, self.y)

    def side(self, s: int) -> tuple[int, int]:
        return (self.x + self.w if s > 0 else self.x, self.cy)

    def on_border(self, p: tuple[int, int], tol: int = 2) -> bool:
        x, y = p
        inside_x = self.x - tol <= x <= self.x + self.w + tol
        inside_y = self.y - tol <= y <= self.y + self.h + tol
        on_v = abs(x - self.x) <= tol or abs(x - self.x - self.w) <= tol
        on_h = abs(y - self.y) <= tol or abs(y - self.y - self.h) <= tol
        return (on_v and inside_y) or (on_h and inside_x)


Point = tuple[int, int]


@dataclass
class Shape:
    """A symbol (preset geometry) with optional text, in page or cell coordinates."""

    kind: str                      # terminator/process/decision/offpage
    rect: Rect
    text: str = ""
    step: int | None = None


@dataclass
class Route:
    """A connector: axis-aligned polyline from source to target; arrowhead at the end."""

    points: list[Point]
    source: int | str              # step number or connector letter
    target: int | str
    kind: str                      # "next" | "side" | "offpage"


@dataclass
class Label:
    text: str
    rect: Rect
    step: int                      # the decision the label belongs to
    size_pt: float = 0             # font size; 0: the style's label size


@dataclass
class Piece:
    """Part of a route inside one cell, in that cell's coordinates."""

    points: list[Point]
    arrow: bool


@dataclass
class Row:
    kind: Literal["step", "top", "bottom"]  # top/bottom: off-page connector rows
    height: int                    # EMU, from whole points
    step: int | None = None        # step number for step rows
    needed_pt: int = 0             # estimated text height (step rows)


@dataclass
class Cell:
    shapes: list[Shape] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.shapes or self.pieces or self.labels)


@dataclass
class PageLayout:
    steps: list[int]
    rows: list[Row]
    row_y: list[int]               # top of each row
    shapes: list[Shape] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)   # (row, actor) -> drawing


# ---------------------------------------------------------------- pagination

def loop_spans(steps: list[FlowStep]) -> list[tuple[int, int]]:
    """(first, last) 0-based step indices spanned by each side exit (a decision's, or the
    jump of a plain step with `lanjut`)."""
    out = []
    for s in steps:
        for t, _ in _exits(s)[1]:
            a, b = sorted((s.no - 1, t - 1))
            out.append((a, b))
    return out


# A page that continues holds at least this share of its room for step rows, if a split
# with as few pages allows it. Keeping a loop (decision .. the step its side exit goes to)
# on one page is worth some white space, not a half-empty page: below this the page is
# filled and the loop cut, its return going through an off-page connector pair (the
# standard's own device for a flow that goes on elsewhere). One half, because a loop that
# does not fit in the free half of a page is itself over half a page long: it no longer
# reads at a glance, and keeping it whole would cost more paper than it saves reading.
MIN_PAGE_FILL = 0.5


def paginate(heights: list[int], avail_first: int, avail_next: int, conn_row: int,
             spans: list[tuple[int, int]], reserve_last: int = 0) -> list[list[int]]:
    """Split step indices into pages. A page that continues ends with an off-page connector
    row, the next starts with one. Of all the splits, the one with (in this order) the
    fewest pages; the fewest continuing pages under `MIN_PAGE_FILL`; the fewest pages of a
    single step; the fewest loops cut that would fit on one page (a loop longer than a page
    is cut anyway, its side arrow through an off-page connector pair); the least sum of
    squared free room on continuing pages (evenly filled, the last page as short as it
    may be); then the latest breaks."""
    n = len(heights)
    prefix = [0]
    for hgt in heights:
        prefix.append(prefix[-1] + hgt)
    keep = [(a, b) for a, b in spans if prefix[b + 1] - prefix[a] + 2 * conn_row <= avail_next]

    def cost(k: int) -> int:  # loops that could stay whole but a break after k cuts
        return sum(1 for a, b in keep if a <= k < b)

    # best[i]: score of the best split of steps i.. and the last step of its first page.
    # Exact and deterministic, in O(steps x steps per page x loops).
    best: list[tuple[tuple[int, int, int, int, int], int]] = [((0, 0, 0, 0, 0), n - 1)] * (n + 1)
    for i in range(n - 1, -1, -1):
        avail = avail_first if i == 0 else avail_next - conn_row
        choice: tuple[tuple[int, int, int, int, int], int] | None = None
        for j in range(i, n):
            need = prefix[j + 1] - prefix[i] + (conn_row if j < n - 1 else reserve_last)
            if need > avail and j > i:  # at least one row per page, even one taller than it
                break
            rest, _ = best[j + 1]
            body, room = prefix[j + 1] - prefix[i], avail - conn_row
            more = j < n - 1
            score = (rest[0] + 1, rest[1] + (more and body < MIN_PAGE_FILL * room),
                     rest[2] + (j == i), rest[3] + (cost(j) if more else 0),
                     rest[4] + (max(room - body, 0) ** 2 if more else 0))
            if choice is None or score <= choice[0]:  # ties: the later break
                choice = (score, j)
        assert choice is not None
        best[i] = choice
    pages: list[list[int]] = []
    i = 0
    while i < n:
        j = best[i][1]
        pages.append(list(range(i, j + 1)))
        i = j + 1
    return pages


# ---------------------------------------------------------------- symbol sizes and row heights

def symbol_size(kind: str, col_w: int, style: FlowStyle = STYLE) -> tuple[int, int]:
    if kind == "offpage":
        return mm(style.offpage_w_mm), mm(style.offpage_h_mm)
    w = min(col_w - mm(style.symbol_margin_mm), mm(style.symbol_max_w_mm))
    w = max(w, mm(4))
    h = {"terminator": style.terminator_h_mm, "process": style.process_h_mm,
         "decision": style.decision_h_mm}[kind]
    return w, mm(h)


def min_step_row_pt(kind: str, style: FlowStyle = STYLE) -> int:
    h = {"terminator": style.terminator_h_mm, "process": style.process_h_mm,
         "decision": style.decision_h_mm}[kind]
    return math.ceil((h + 2 * style.gap_mm) * EMU_PER_MM / EMU_PER_PT)


def letters() -> Iterator[str]:
    """A, B, ... Z, AA, AB, ... for off-page connector pairs."""
    n = 0
    while True:
        s, k = "", n
        while True:
            s = chr(ord("A") + k % 26) + s
            k = k // 26 - 1
            if k < 0:
                break
        yield s
        n += 1


# ---------------------------------------------------------------- page layout and routing

def _exits(s: FlowStep) -> tuple[int | None, list[tuple[int, str]]]:
    """(the exit drawn as the flow's continuation, [(target, label) of side exits]).

    A plain step's jump (`lanjut` to another than the next step) is an unlabelled side
    exit, routed like a decision's; its continuation is left to `next_targets`."""
    if s.symbol != "decision":
        if s.lanjut is not None and s.lanjut != s.no + 1:
            return None, [(s.lanjut, "")]
        return None, []
    outs = [(t, lab) for t, lab in ((s.ya, s.label_ya), (s.tidak, s.label_tidak)) if t is not None]
    down = next((t for t, _ in outs if t == s.no + 1), None)
    return down, [(t, lab) for t, lab in outs if t != down]


def next_targets(s: FlowStep, n_steps: int) -> int | None:
    """The step the flow continues to below `s` (None: `s` ends the flow)."""
    if s.symbol == "decision":
        return _exits(s)[0]
    if s.lanjut is not None:
        return s.lanjut if s.lanjut == s.no + 1 else None
    return s.no + 1 if s.no < n_steps else None


# ---------------------------------------------------------------- lanes and entry points

@dataclass
class _Arrival:
    """A connector entering `target` from its side `side` (+1 right, -1 left). Its points
    are set once its lane (the x of its vertical run) and its entry height are chosen."""

    route: Route
    target: int
    side: int
    start: Point                   # where it leaves its decision (or off-page connector)
    border: int                    # column border whose strip holds the vertical run
    jog_y: int | None = None       # leaving from the decision's bottom: y of the turn
    pentagon: Rect | None = None   # arriving from another page: the connector it leaves
    lane: int = 0
    port: int = 0


def loop_border(cd: int, ct: int, n_act: int) -> int:
    """Column border whose strip carries the vertical run of a side exit from column `cd`
    to column `ct`: the target column's far side (as in the reference drawing), the near
    side when the far one is the table's edge (no room beyond it for further lanes).
    The first choice only: `layout_page` takes another border where the run crosses less."""
    if ct > cd:
        return ct + 1 if ct + 1 < n_act else ct
    if ct < cd:
        return ct if ct > 0 else ct + 1
    return ct + 1 if ct + 1 < n_act or ct == 0 else ct


def _run_span(a: _Arrival, t: Rect) -> tuple[int, int]:
    """Vertical extent a run may use: from its source height to the whole target side
    (the entry height is chosen later, anywhere on that side)."""
    y = a.jog_y if a.jog_y is not None else a.start[1]
    return min(y, t.y), max(y, t.y + t.h)


def _allocate_lanes(arrivals: list[_Arrival], rect: dict[int, Rect], obstacles: list[Rect],
                    col_x: list[int], style: FlowStyle) -> None:
    """Give every vertical run its own x near its column border, so no two runs whose
    heights overlap share a line. Shorter runs first take the lane nearest the target;
    longer ones go further out, so nested loops never cross. Lanes stay off the grid line,
    `arrow_min_mm` from the target (arrowhead) and 1 mm from any other symbol."""
    gap, near_grid = mm(style.lane_gap_mm), mm(1)
    taken: list[tuple[int, int, int]] = []          # x, y0, y1
    n_act = len(col_x) - 1
    group = {}  # arrivals per (target, side): lanes that have to nest outward from d0
    for a in arrivals:
        group[a.target, a.side] = group.get((a.target, a.side), 0) + 1
    step = mm(0.1)

    def order(a: _Arrival) -> tuple[bool, int]:
        y0, y1 = _run_span(a, rect[a.target])
        # off-page connectors stand beyond the lanes, so their lines come in from outside:
        # the one furthest from its entry takes the innermost lane, or the lines of the
        # connectors stacked nearer the entry would cross its run
        return (a.pentagon is None, y1 - y0 if a.pentagon is None else y0 - y1)

    for a in sorted(arrivals, key=order):
        t = rect[a.target]
        y0, y1 = _run_span(a, t)
        bx = col_x[a.border]
        home = a.border - 1 if a.side > 0 else a.border    # the column on the target's side
        out = a.border if a.side > 0 else a.border - 1     # the column beyond the border

        # d: distance from the border into the target's column (negative: beyond it)
        d_max = min(abs(bx - (t.x + t.w if a.side > 0 else t.x)) - mm(style.arrow_min_mm),
                    _room(home, bx, (y0, y1), t, obstacles, col_x, style) - mm(1))
        d_min = (-(_room(out, bx, (y0, y1), t, obstacles, col_x, style) - mm(1))
                 if 0 <= out < n_act else near_grid)
        if a.pentagon is not None:  # between the connector and the target
            d_min = max(d_min, -(abs(bx - a.pentagon.x - (a.pentagon.w if a.side < 0 else 0)) - mm(1)))
        d0 = max(min(mm(style.corridor_mm), d_max), d_min)
        if d_min > 0:  # no column beyond the border (table edge): start far enough in that
            # the group's longer runs still find lanes further out, or they would cross
            d0 = max(d0, min(d_max, d_min + (group[a.target, a.side] - 1) * gap))
        cands = [d for d in range(d_max, d_min - 1, -step) if abs(d) >= near_grid] or [d0]
        cands.sort(key=lambda d: (d > d0, abs(d - d0)))
        near = [x for x, ty0, ty1 in taken if ty0 <= y1 and y0 <= ty1]
        xs = [bx - a.side * d for d in cands]  # x of each candidate, same order
        lane = next((x for x in xs if all(abs(x - o) >= gap for o in near)), None)
        if lane is None:  # more loops than lanes of full spacing: spread them as far as possible
            lane = max(xs, key=lambda x: min((abs(x - o) for o in near), default=gap))
        a.lane = lane
        taken.append((a.lane, y0, y1))


def _room(col: int, bx: int, span: tuple[int, int], target: Rect, obstacles: list[Rect],
          col_x: list[int], style: FlowStyle) -> int:
    """Free width from border `bx` into column `col` over the heights `span`: up to the
    column's symbol margin, less where a symbol (other than the target) stands."""
    w = col_x[col + 1] - col_x[col]
    best = (w - symbol_size("process", w, style)[0]) // 2
    y0, y1 = span
    for r in obstacles:
        if r is target or not (r.y < y1 and y0 < r.y + r.h):
            continue
        if col_x[col] <= r.cx < col_x[col + 1]:
            best = min(best, abs(r.x - bx), abs(r.x + r.w - bx))
    return best


def _assign_ports(group: list[_Arrival], t: Rect, spread: bool) -> None:
    """Entry heights on one side of a target. A box gets one point per arrival, spread
    over its side; a diamond or capsule is entered at its vertex, where the arrows join.
    Order top to bottom: arrivals from above (inner lane first), connectors beside the
    target, arrivals from below (outer lane first): so the runs nest without crossing."""
    edge = t.x + t.w if group[0].side > 0 else t.x

    def order(a: _Arrival) -> tuple[int, int]:
        y = a.jog_y if a.jog_y is not None else a.start[1]
        if a.pentagon is not None:
            return 1, y
        return (0, abs(a.lane - edge)) if y < t.cy else (2, -abs(a.lane - edge))

    group.sort(key=order)
    k = len(group)
    for i, a in enumerate(group):
        a.port = t.y + t.h * (i + 1) // (k + 1) if spread and k > 1 else t.cy


def _arrival_points(a: _Arrival, t: Rect) -> list[Point]:
    end = (t.x + t.w if a.side > 0 else t.x, a.port)
    if a.pentagon is not None and a.start[1] == a.port:
        pts = [a.start, end]
    elif a.jog_y is not None:
        pts = [a.start, (a.start[0], a.jog_y), (a.lane, a.jog_y), (a.lane, a.port), end]
    else:
        pts = [a.start, (a.lane, a.start[1]), (a.lane, a.port), end]
    out = [pts[0]]
    for p in pts[1:]:
        if p != out[-1]:
            out.append(p)
    return out


# ---------------------------------------------------------------- exit labels

def _hits(box: Rect, shapes: list[tuple[str, Rect]], lines: list[Rect], labels: list[Rect],
          g_shape: int, g_line: int) -> int:
    """How many drawn things come closer to `box` than their gap."""
    n = 0
    for kind, r in shapes:
        if kind == "decision":
            # distance to the diamond's nearest edge line (a lower bound of the true distance)
            a, b = r.w / 2, r.h / 2
            u = max(box.x - r.cx, r.cx - box.x - box.w, 0)
            v = max(box.y - r.cy, r.cy - box.y - box.h, 0)
            n += (u / a + v / b - 1) / math.hypot(1 / a, 1 / b) < g_shape
        else:
            n += _rect_gap(box, r) < g_shape
    n += sum(_rect_gap(box, r) < g_line for r in lines)
    n += sum(_rect_gap(box, r) < g_line for r in labels)
    return n


def _rect_gap(a: Rect, b: Rect) -> float:
    dx = max(b.x - a.x - a.w, a.x - b.x - b.w, 0)
    dy = max(b.y - a.y - a.h, a.y - b.y - b.h, 0)
    return math.hypot(dx, dy)


def _sign(v: int) -> int:
    return (v > 0) - (v < 0)


def lines_of(routes: list[Route]) -> list[Rect]:
    """Every segment of the routes as a (zero-thick) rectangle, in order."""
    return [Rect(min(p[0], q[0]), min(p[1], q[1]), abs(p[0] - q[0]), abs(p[1] - q[1]))
            for r in routes for p, q in zip(r.points, r.points[1:], strict=False) if p != q]


def _place_label(page: PageLayout, text: str, dec: int, src: Rect, route: Route,
                 col_x: list[int], label_w, style: FlowStyle) -> Label:
    """Exit label beside the start of its connector, in a cell that connector crosses, at
    the nearest spot that keeps `label_gap_mm` from every symbol and `line_gap_mm` from
    every line and label (narrow columns: it moves above the diamond's slope or into the
    next column along its line, and wraps on words when that helps)."""
    size = style.label_size_pt
    pad, inset, step = mm(0.8), mm(0.3), mm(0.4)
    row_b = [*page.row_y, page.row_y[-1] + page.rows[-1].height]
    (ax, ay), (bx, by) = route.points[0], route.points[1]
    horizontal = ay == by
    # cells along the first segment (and the second when the first is short)
    segs = list(zip(route.points, route.points[1:], strict=False))[:2]
    if abs(bx - ax) + abs(by - ay) >= mm(3):
        segs = segs[:1]
    # and a little past the first segment's end: an exit that ends just over a column
    # border (a lane) may take its label into that column
    (sx0, sy0), (sx1, sy1) = segs[0]
    ext = mm(3)
    segs.append(((sx1, sy1), (sx1 + ext * _sign(sx1 - sx0), sy1 + ext * _sign(sy1 - sy0))))
    cells: set[tuple[int, int]] = set()
    for (x0, y0), (x1, y1) in segs:
        for ri in range(_locate(min(y0, y1), row_b), _locate(max(y0, y1) - 1, row_b) + 1):
            for ci in range(_locate(min(x0, x1), col_x), _locate(max(x0, x1) - 1, col_x) + 1):
                cells.add((ri, ci))
    own = (_locate(src.cy, row_b), _locate(src.cx, col_x))
    cells.add(own)
    words = text.split()
    variants = [[text]] + ([words] if len(words) > 1 else [])
    shapes = [(sh.kind, sh.rect) for sh in page.shapes]
    lines = lines_of(page.routes)
    placed = [lab.rect for lab in page.labels]
    one, half = mm(1), mm(1.5)
    g_shape, g_line = mm(style.label_gap_mm), mm(style.line_gap_mm)
    # the own diamond and first line are met by most spots near the exit: drop those spots
    # while generating, so the nearest clear spot is among the first few checked
    da, db = src.w / 2, src.h / 2
    dnorm = math.hypot(1 / da, 1 / db) * g_shape
    own_seg = lines_of([route])[0]

    def box_size(v: list[str], sz: float) -> tuple[int, int]:
        return (max(label_w(line, sz) for line in v) + round(pad * sz / size),
                round(len(v) * sz * 1.2 * EMU_PER_PT) + mm(0.4))

    def spots(reach: int, sz: float) -> list[tuple[float, int, int, int]]:
        """Spots within `reach` of the exit, nearest (with the penalties) first."""
        out: list[tuple[float, int, int, int]] = []   # score, x, y, variant
        for vi, v in enumerate(variants):
            w, h = box_size(v, sz)
            for ri, ci in cells:
                cx0, cx1 = col_x[ci] + inset, col_x[ci + 1] - inset - w
                cy0, cy1 = row_b[ri] + inset, row_b[ri + 1] - inset - h
                extra = one * (len(variants[vi]) - 1) + (one if (ri, ci) != own else 0)
                for x in range(max(cx0, ax - reach - w), min(cx1, ax + reach) + 1, step):
                    dx = max(x - ax, ax - x - w, 0)
                    side_pen = one if not horizontal and 2 * x + w < 2 * ax else 0
                    u = max(x - src.cx, src.cx - x - w, 0) / da
                    seg_x = x < own_seg.x + own_seg.w + g_line and own_seg.x < x + w + g_line
                    for y in range(max(cy0, ay - reach - h), min(cy1, ay + reach) + 1, step):
                        if u + max(y - src.cy, src.cy - y - h, 0) / db - 1 < dnorm:
                            continue
                        if seg_x and y < own_seg.y + own_seg.h + g_line and own_seg.y < y + h + g_line:
                            continue
                        dy = max(y - ay, ay - y - h, 0)
                        # convention: a side exit's label above its line, a downward one right of it
                        pen = half if horizontal and 2 * y + h > 2 * ay else side_pen
                        out.append((math.hypot(dx, dy) + extra + pen, x, y, vi))
        out.sort()
        return out

    best: tuple[int, float, Rect, list[str], float] | None = None
    # near the exit first (cheap, and found there mostly), then further, then smaller type
    tries = [(mm(6), size), (mm(14), size)]
    sz = size - 0.5
    while sz >= style.min_label_size_pt:
        tries.append((mm(14), sz))
        sz -= 0.5
    own_cells = set(cells)
    # then the columns either side: a short exit into an off-page connector in a narrow
    # column has no clear spot of its own, and a label on the connector hides its letter
    beside = {(ri, ci + d) for ri, ci in own_cells for d in (-1, 1) if 0 <= ci + d < len(col_x) - 1}
    for extra_cells in (set(), beside - own_cells):
        if extra_cells:
            cells.clear()
            cells.update(own_cells | extra_cells)
        area = Rect(min(col_x[ci] for _, ci in cells), min(row_b[ri] for ri, _ in cells), 0, 0)
        area = Rect(area.x, area.y, max(col_x[ci + 1] for _, ci in cells) - area.x,
                    max(row_b[ri + 1] for ri, _ in cells) - area.y)
        near_shapes = [(k, r) for k, r in shapes if _rect_gap(area, r) < g_shape]
        near_lines = [r for r in lines if _rect_gap(area, r) < g_line]
        near_labels = [r for r in placed if _rect_gap(area, r) < g_line]
        for reach, sz in tries:
            for score, x, y, vi in spots(reach, sz)[:300]:
                box = Rect(x, y, *box_size(variants[vi], sz))
                n = _hits(box, near_shapes, near_lines, near_labels, g_shape, g_line)
                if n == 0:
                    return Label("\n".join(variants[vi]), box, dec, sz)
                if best is None or (n, score) < best[:2]:
                    best = (n, score, box, variants[vi], sz)
    if best is None:  # no room at all (a cell narrower than the label): at the exit
        w = min(label_w(text, size) + pad, col_x[own[1] + 1] - col_x[own[1]])
        h = round(size * 1.2 * EMU_PER_PT) + mm(0.4)
        x = min(max(ax, col_x[own[1]]), col_x[own[1] + 1] - w)
        y = min(max(ay - h, row_b[own[0]]), row_b[own[0] + 1] - h)
        return Label(text, Rect(x, y, w, h), dec)
    return Label("\n".join(best[3]), best[2], dec, best[4])


# a crossing less is worth a label 2 mm further from its exit (or 2 pt smaller), not more:
# the reader pairs labels with exits by nearness
LABEL_PER_CROSSING = 4

# a choice the router may make otherwise than its rule: ("side", source, target) -> column
# border of the run; ("out", source, target) / ("in", target) -> side of the off-page connectors
Pick = tuple[str, int, int] | tuple[str, int]


def layout_page(page_steps: list[int], rows: list[Row], steps: dict[int, FlowStep],
                col_x: list[int], letter_top: str | None, letter_bottom: str | None,
                cross: dict[tuple[int, int], str], label_w, style: FlowStyle = STYLE,
                box_h: dict[int, int] | None = None) -> PageLayout:
    """Place the symbols of one page and route its connectors.

    `cross` maps (decision, target) of side exits whose ends fall on different pages to the
    letter of their off-page connector pair; `box_h` gives steps a taller symbol (EMU).

    Each side exit first gets the border/side its rule gives; then, one exit at a time (in
    page order), every other feasible border/side is tried on the whole page and kept only
    when it strictly lowers the page's cost (`_route_cost`): the rule's drawing stays unless
    another is clearly better."""
    args = (page_steps, rows, steps, col_x, letter_top, letter_bottom, cross, style, box_h)
    pick: dict[Pick, int] = {}
    page, label_reqs, rect, options = _route_page(*args, pick)
    cost = _route_cost(page, mm(style.lane_gap_mm))
    labels = None
    done: set[Pick] = set()
    while cost[1] or cost[0]:
        key = next((k for k in options if k not in done), None)
        if key is None:
            break
        done.add(key)
        for alt in options[key][1:]:   # [0]: the current choice
            trial = {**pick, key: alt}
            got = _route_page(*args, trial)
            c = _route_cost(got[0], mm(style.lane_gap_mm))
            if c >= cost:
                continue
            labels = labels or _labels(page, label_reqs, rect, col_x, label_w, style)
            got_labels = _labels(got[0], got[1], got[2], col_x, label_w, style)
            worse = _label_cost(got_labels, got[1], style) - _label_cost(labels, label_reqs, style)
            if c[0] < cost[0] or worse <= LABEL_PER_CROSSING * (cost[1] - c[1]):
                pick, cost, labels, (page, label_reqs, rect, options) = trial, c, got_labels, got

    page.labels = labels if labels is not None else _labels(page, label_reqs, rect, col_x, label_w, style)
    _cut(page, col_x)
    return page


def _labels(page: PageLayout, label_reqs: list[tuple[str, int, Route]], rect: dict[int, Rect],
            col_x: list[int], label_w, style: FlowStyle) -> list[Label]:
    """Exit labels placed last: they keep clear of every symbol and line already drawn."""
    page.labels = []
    for text, dec, route in label_reqs:
        if text:  # a plain step's jump carries no label
            page.labels.append(_place_label(page, text, dec, rect[dec], route, col_x, label_w, style))
    out, page.labels = page.labels, []
    return out


def _label_cost(labels: list[Label], label_reqs: list[tuple[str, int, Route]], style: FlowStyle) -> int:
    """Half points a label shrank, plus half millimetres it stands further than 3 mm from
    the start of its connector."""
    starts = [route.points[0] for text, _, route in label_reqs if text]
    n = 0
    for lab, (x, y) in zip(labels, starts, strict=True):
        r = lab.rect
        d = math.hypot(max(r.x - x, x - r.x - r.w, 0), max(r.y - y, y - r.y - r.h, 0))
        n += round(2 * (style.label_size_pt - (lab.size_pt or style.label_size_pt)))
        n += max(0, math.ceil((d - mm(3)) / mm(0.5)))
    return n


def _route_cost(page: PageLayout, gap: int) -> tuple[int, int]:
    """(connectors on top of each other, through a symbol or closer than a lane gap side by
    side; crossings of two connectors): what a choice of border/side is judged by."""
    segs = [(i, p, q) for i, r in enumerate(page.routes)
            for p, q in zip(r.points, r.points[1:], strict=False) if p != q]
    last = {i: (len(r.points) > 1 and r.points[-1], r.target, r.points[0]) for i, r in enumerate(page.routes)}
    bad = cross = 0
    for k, (i, a0, a1) in enumerate(segs):
        av = a0[0] == a1[0]
        for j, b0, b1 in segs[k + 1:]:
            if i == j:
                continue
            bv = b0[0] == b1[0]
            if av != bv:
                (v0, v1), (h0, h1) = ((a0, a1), (b0, b1)) if av else ((b0, b1), (a0, a1))
                cross += (min(h0[0], h1[0]) < v0[0] < max(h0[0], h1[0])
                          and min(v0[1], v1[1]) < h0[1] < max(v0[1], v1[1]))
                continue
            ax, bx = (a0[0], b0[0]) if av else (a0[1], b0[1])   # the fixed coordinate
            lo = max(min(a0[1], a1[1]), min(b0[1], b1[1])) if av else max(min(a0[0], a1[0]), min(b0[0], b1[0]))
            hi = min(max(a0[1], a1[1]), max(b0[1], b1[1])) if av else min(max(a0[0], a1[0]), max(b0[0], b1[0]))
            if hi <= lo:
                continue
            if ax == bx:
                # two arrows joining at one point of their target are a deliberate join
                ea, eb = last[i], last[j]
                joined = (a1 == ea[0] and b1 == eb[0] and a1 == b1 and ea[1] == eb[1] and ea[2] != eb[2])
                bad += not joined
            elif av and abs(ax - bx) < gap * 9 // 10:
                bad += 1
    for r in page.routes:
        for sh in page.shapes:
            if (sh.step if sh.step is not None else sh.text) in (r.source, r.target):
                continue
            b = sh.rect
            bad += sum(b.x < max(x0, x1) and min(x0, x1) < b.x + b.w
                       and b.y < max(y0, y1) and min(y0, y1) < b.y + b.h
                       for (x0, y0), (x1, y1) in zip(r.points, r.points[1:], strict=False))
    return bad, cross


def _route_page(page_steps: list[int], rows: list[Row], steps: dict[int, FlowStep],
                col_x: list[int], letter_top: str | None, letter_bottom: str | None,
                cross: dict[tuple[int, int], str], style: FlowStyle, box_h: dict[int, int] | None,
                pick: dict[Pick, int],
                ) -> tuple[PageLayout, list[tuple[str, int, Route]], dict[int, Rect], dict[Pick, list[int]]]:
    """Symbols and routes of one page (no labels yet), with the choices in `pick` made as
    given; also the labels to place, the symbols' rectangles and, per choice, the options
    (the one taken first)."""
    options: dict[Pick, list[int]] = {}
    row_y = [0]
    for r in rows[:-1]:
        row_y.append(row_y[-1] + r.height)
    page = PageLayout(steps=page_steps, rows=rows, row_y=row_y)
    n_act = len(col_x) - 1
    rect: dict[int, Rect] = {}
    row_of: dict[int, int] = {}
    for ri, r in enumerate(rows):
        if r.kind != "step":
            continue
        s = steps[r.step]
        c = s.pelaksana
        w, h = symbol_size(s.symbol, col_x[c + 1] - col_x[c], style)
        h = (box_h or {}).get(s.no, h)
        x = col_x[c] + (col_x[c + 1] - col_x[c] - w) // 2
        y = row_y[ri] + (r.height - h) // 2
        rect[s.no] = Rect(x, y, w, h)
        row_of[s.no] = ri
        page.shapes.append(Shape(s.symbol, rect[s.no], step=s.no))

    def centred(kind: str, ri: int, c: int) -> Rect:
        w, h = symbol_size(kind, col_x[c + 1] - col_x[c], style)
        return Rect(col_x[c] + (col_x[c + 1] - col_x[c] - w) // 2,
                    row_y[ri] + (rows[ri].height - h) // 2, w, h)

    def beside(no: int, sd: int) -> Rect:
        """Off-page connector on side `sd` of step `no`: centred in the neighbouring column,
        or in the step's own column beside the symbol when there is no neighbour."""
        c = steps[no].pelaksana
        if 0 <= c + sd < n_act:
            return centred("offpage", row_of[no], c + sd)
        r = rect[no]
        w, h = symbol_size("offpage", 0, style)
        edge = r.x + r.w if sd > 0 else r.x
        border = col_x[c + 1] if sd > 0 else col_x[c]
        x = min(max((edge + border) // 2 - w // 2, col_x[c]), col_x[c + 1] - w)
        return Rect(x, r.cy - h // 2, w, h)

    # sides of each symbol already taken by an arrow (entering or leaving)
    used: dict[int, set[int]] = {no: set() for no in rect}
    # the bottom of a decision (or of a jumping step) is free when no exit goes straight down
    bottom_free = {no: bool(_exits(steps[no])[1]) and next_targets(steps[no], len(steps)) is None
                   for no in rect}
    label_reqs: list[tuple[str, int, Route]] = []
    offpage_shapes: list[Shape] = []
    arrivals: list[_Arrival] = []

    # 1) where each side exit leaves its decision: the side facing its lane (or its
    #    off-page connector); a second side exit on a taken side leaves from the bottom
    leaving: list[tuple[int, int, str, int, int | None]] = []   # dec, target, label, side, border
    for no in page_steps:
        s = steps[no]
        for target, lab in _exits(s)[1]:
            src, cd = rect[no], s.pelaksana
            twin = next((i for i, lv in enumerate(leaving) if lv[:2] == (no, target)), None)
            if twin is not None:  # both exits to one step: one connector, both labels
                lv = leaving[twin]
                leaving[twin] = (no, target, f"{lv[2]}/{lab}", lv[3], lv[4])
                continue
            if (no, target) in cross:
                pref = 1 if cd + 1 < n_act else -1
                # not the side where an arrow of this page enters it (the two would overlap)
                entered = {1 if loop_border(steps[d].pelaksana, cd, n_act) == cd + 1 else -1
                           for d in page_steps if d != no and (d, no) not in cross
                           for t, _ in _exits(steps[d])[1] if t == no}
                sd = min((pref, -pref), key=lambda x: (x in used[no], x in entered))
                sd = pick.get(("out", no, target), sd)
                options[("out", no, target)] = [sd, -sd]
                leaving.append((no, target, lab, sd, None))
            else:
                b = pick.get(("side", no, target), loop_border(cd, steps[target].pelaksana, n_act))
                sd = 1 if col_x[b] > src.cx else -1
                if sd in used[no] and bottom_free[no]:
                    sd, bottom_free[no] = 0, False
                leaving.append((no, target, lab, sd, b))
            used[no].add(sd)
    leaves = {no: set(sides) for no, sides in used.items()}
    # the side each step leaves by towards the next step in another column (step 5): an
    # arrow entering there would make that flow leave from the bottom and cross its run
    flow_side: dict[int, int] = {}
    # ... and the side of the next step that this flow comes from: it runs across towards
    # the next step's top there, so the run of an arrow from above entering that side crosses it
    flow_in: dict[int, int] = {}
    for no in page_steps:
        nxt = next_targets(steps[no], len(steps))
        if nxt in rect and steps[nxt].pelaksana != steps[no].pelaksana:
            flow_side[no] = 1 if steps[nxt].pelaksana > steps[no].pelaksana else -1
            flow_in[nxt] = -flow_side[no]

    n_in: dict[int, int] = {}
    for _, target, _, _, b in leaving:
        if b is not None:
            n_in[target] = n_in.get(target, 0) + 1
    # steps entered from another page: their connectors take the side away from the flow
    # (step 3), so the arrows of this page keep the other side
    stacked = {t for (dec, t) in cross if t in rect and dec not in rect}

    # 2) side exits on this page: each enters its target on a side the target does not
    #    leave from (the far side of the target's column if free, else the near side)
    for no, target, lab, sd, b in leaving:
        src = rect[no]
        if b is None:  # continues on another page: a connector beside the decision
            pent = beside(no, sd)
            offpage_shapes.append(Shape("offpage", pent, cross[(no, target)]))
            route = Route([src.side(sd), pent.side(-sd)], no, cross[(no, target)], "offpage")
            page.routes.append(route)
            label_reqs.append((lab, no, route))
            continue
        ct, cd = steps[target].pelaksana, steps[no].pelaksana
        key: Pick = ("side", no, target)
        enter = 1 if b > ct else -1
        # arrivals may share a side (lanes and entry points keep them apart); the target's
        # own exits may not
        flow_clash = enter == flow_side.get(target) and target not in stacked
        # (not when connectors beside the source would stand in the way of the longer run)
        in_clash = (enter == flow_in.get(target) and row_of[no] < row_of[target]
                    and no not in stacked and not any(k[0] == no for k in cross))
        if key not in pick and target != no and (enter in leaves.get(target, ()) or flow_clash or in_clash):
            alt = ct if enter > 0 else ct + 1
            alt_sd = 1 if col_x[alt] > src.cx else -1
            # beside the table's edge there is room for one lane only
            edge_ok = 0 < alt < n_act or n_in[target] == 1
            if (-enter not in leaves[target] and -enter != flow_side.get(target) and edge_ok
                    and (alt_sd == sd or sd == 0)):
                b, enter = alt, -enter
        # other borders between (and just beside) the two columns: the run may go there
        # when it crosses less; never into a side the target leaves by
        span = (ct, ct + 1) if target == no else range(min(cd, ct), max(cd, ct) + 2)
        options[key] = [b] + [x for x in span if x != b and (target == no or (
            (1 if x > ct else -1) not in leaves.get(target, ())
            and (1 if x > ct else -1) != flow_side.get(target)))]
        if sd == 0:
            ri = row_of[no]
            start = src.bottom
            jog: int | None = (src.y + src.h + row_y[ri] + rows[ri].height) // 2
        else:
            start, jog = src.side(sd), None
        route = Route([], no, target, "side")
        arrivals.append(_Arrival(route, target, enter, start, b, jog))
        used[target].add(enter)
        label_reqs.append((lab, no, route))

    # 3) side exits arriving from another page: connectors stacked beside the target (the
    #    row is tall enough: see plan)
    def crossed(target: int, sd: int) -> bool:
        """A run of this page's side exits passes side `sd` of the target's row: the arrows
        from connectors stacked there would cross it."""
        ri, b = row_of[target], steps[target].pelaksana + (1 if sd > 0 else 0)
        return any(a.border == b and a.target != target
                   and _run_span(a, rect[a.target])[0] < row_y[ri] + rows[ri].height
                   and row_y[ri] < _run_span(a, rect[a.target])[1] for a in arrivals)

    incoming: dict[int, list[str]] = {}
    for (dec, target), letter in cross.items():
        if target in rect and dec not in rect:
            incoming.setdefault(target, []).append(letter)
    for target, lets in incoming.items():
        ct, ri = steps[target].pelaksana, row_of[target]
        sides = [sd for sd in (1, -1) if 0 <= ct + sd < n_act] or [1 if ct + 1 < n_act else -1]
        # a free side, and rather not the one the flow leaves by towards the next step: the
        # stack would push that flow to the bottom, and its turn into the connectors
        sd = min(sides, key=lambda x: (x in used[target], crossed(target, x), x == flow_side.get(target)))
        sd = pick.get(("in", target), sd)
        options[("in", target)] = [sd, *(x for x in sides if x != sd)]
        pitch = rows[ri].height // len(lets)
        for i, letter in enumerate(lets):
            pent = beside(target, sd)
            if len(lets) > 1:
                pent = Rect(pent.x, row_y[ri] + pitch * i + (pitch - pent.h) // 2, pent.w, pent.h)
            offpage_shapes.append(Shape("offpage", pent, letter))
            b = ct + 1 if sd > 0 else ct
            route = Route([], letter, target, "offpage")
            arrivals.append(_Arrival(route, target, sd, pent.side(-sd), b, pentagon=pent))
        used[target].add(sd)

    # 4) lanes for the vertical runs, then one entry point per arrival
    obstacles = [sh.rect for sh in page.shapes] + [sh.rect for sh in offpage_shapes]
    _allocate_lanes(arrivals, rect, obstacles, col_x, style)
    groups: dict[tuple[int, int], list[_Arrival]] = {}
    for a in arrivals:
        groups.setdefault((a.target, a.side), []).append(a)
    for (target, _), group in groups.items():
        _assign_ports(group, rect[target], steps[target].symbol == "process")
    for a in arrivals:
        a.route.points = _arrival_points(a, rect[a.target])
        page.routes.append(a.route)

    # 5) the flow: consecutive steps, and the connector rows at page ends
    for no in page_steps:
        s = steps[no]
        nxt = next_targets(s, len(steps))
        if nxt is None:
            continue
        src = rect[no]
        is_dec = s.symbol == "decision"
        label = (s.label_ya if s.ya == nxt else s.label_tidak) if is_dec else ""
        if nxt not in rect:  # continues on the next page: down into the bottom connector
            pent = centred("offpage", len(rows) - 1, s.pelaksana)
            offpage_shapes.append(Shape("offpage", pent, letter_bottom or "?"))
            route = Route([src.bottom, pent.top], no, letter_bottom or "?", "offpage")
            page.routes.append(route)
            if label:
                label_reqs.append((label, no, route))
            continue
        dst = rect[nxt]
        cs, ct = s.pelaksana, steps[nxt].pelaksana
        if cs == ct:
            pts = [src.bottom, dst.top]
        else:
            sd = 1 if ct > cs else -1
            if sd not in used[no]:
                start = src.side(sd)
                pts = [start, (dst.cx, start[1]), dst.top]
                used[no].add(sd)
            else:
                # the side is taken: leave from the bottom, turn in the gap under the symbol,
                # or above the next step when connectors stacked beside this one are in the way
                ri = row_of[no]
                ymid = (src.y + src.h + row_y[ri] + rows[ri].height) // 2
                lo, hi = sorted((src.cx, dst.cx))
                if any(sh.rect.y <= ymid <= sh.rect.y + sh.rect.h and lo < sh.rect.cx < hi
                       for sh in offpage_shapes):
                    ymid = (row_y[row_of[nxt]] + dst.y) // 2
                pts = [src.bottom, (src.cx, ymid), (dst.cx, ymid), dst.top]
        route = Route(pts, no, nxt, "next")
        page.routes.append(route)
        if label:
            label_reqs.append((label, no, route))
    if letter_top is not None:
        first = page_steps[0]
        pent = centred("offpage", 0, steps[first].pelaksana)
        offpage_shapes.append(Shape("offpage", pent, letter_top))
        page.routes.append(Route([pent.bottom, rect[first].top], letter_top, first, "offpage"))
    page.shapes.extend(offpage_shapes)
    return page, label_reqs, rect, options


# ---------------------------------------------------------------- cutting routes into cells

def _locate(v: int, borders: list[int]) -> int:
    """Index i with borders[i] <= v < borders[i+1] (clamped)."""
    lo, hi = 0, len(borders) - 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if borders[mid] <= v:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _split(a: int, b: int, borders: list[int]) -> list[int]:
    lo, hi = sorted((a, b))
    cuts = [v for v in borders if lo < v < hi]
    return cuts if a <= b else cuts[::-1]


def _cut(page: PageLayout, col_x: list[int]) -> None:
    row_b = [*page.row_y, page.row_y[-1] + page.rows[-1].height]
    cells = page.cells

    def cell(ri: int, ci: int) -> Cell:
        return cells.setdefault((ri, ci), Cell())

    def origin(ri: int, ci: int) -> Point:
        return col_x[ci], row_b[ri]

    for sh in page.shapes:
        ri, ci = _locate(sh.rect.cy, row_b), _locate(sh.rect.cx, col_x)
        ox, oy = origin(ri, ci)
        r = sh.rect
        cell(ri, ci).shapes.append(Shape(sh.kind, Rect(r.x - ox, r.y - oy, r.w, r.h), sh.text, sh.step))
    for lab in page.labels:
        r = lab.rect
        ri, ci = _locate(r.y + r.h // 2, row_b), _locate(r.x + r.w // 2, col_x)
        ox, oy = origin(ri, ci)
        cell(ri, ci).labels.append(Label(lab.text, Rect(r.x - ox, r.y - oy, r.w, r.h), lab.step,
                                         lab.size_pt))
    for route in page.routes:
        # split every segment at the borders, then group consecutive bits by cell
        bits: list[tuple[tuple[int, int], Point, Point]] = []
        for (x0, y0), (x1, y1) in zip(route.points, route.points[1:], strict=False):
            if x0 == x1:
                ys = [y0, *_split(y0, y1, row_b), y1]
                seg = [((x0, ya), (x0, yb)) for ya, yb in zip(ys, ys[1:], strict=False)]
            elif y0 == y1:
                xs = [x0, *_split(x0, x1, col_x), x1]
                seg = [((xa, y0), (xb, y0)) for xa, xb in zip(xs, xs[1:], strict=False)]
            else:
                raise ValueError(f"route not axis-aligned: {route.points}")
            for p, q in seg:
                if p == q:
                    continue
                mx, my = (p[0] + q[0]) // 2, (p[1] + q[1]) // 2
                bits.append(((_locate(my, row_b), _locate(mx, col_x)), p, q))
        groups: list[tuple[tuple[int, int], list[Point]]] = []
        for key, p, q in bits:
            if groups and groups[-1][0] == key and groups[-1][1][-1] == p:
                groups[-1][1].append(q)
            else:
                groups.append((key, [p, q]))
        for gi, (key, pts) in enumerate(groups):
            ox, oy = origin(*key)
            cell(*key).pieces.append(Piece([(x - ox, y - oy) for x, y in pts], gi == len(groups) - 1))


# ---------------------------------------------------------------- the whole plan

@dataclass
class Plan:
    columns: Columns
    header_heights_pt: tuple[int, int]
    title_pt: int
    row_pt: dict[int, int]               # step -> row height (whole points)
    needed_pt: dict[int, int]            # step -> estimated text height
    connector_row_pt: int
    pages: list[PageLayout]
    letters: list[str]                   # off-page letters used, in order
    header_size_pt: float                # font size of the header rows
    number_row_pt: int = 0               # the column-number row under the header (0: none)


def header_texts(actors: list[str]) -> list[tuple[str, int]]:
    """Second header row texts with their column index in Columns.all."""
    n = len(actors)
    return ([(a, 2 + i) for i, a in enumerate(actors)]
            + [("Kelengkapan", 2 + n), ("Waktu", 3 + n), ("Output", 4 + n)])


def header_size(actors: list[str], text_widths: list[float], size: float,
                style: FlowStyle = STYLE) -> float:
    """Font size of the header rows: the body size, smaller (by half points, down to
    `min_header_size_pt`) while a word of a header would have to break inside the word."""
    n = len(actors)
    texts = [*header_texts(actors), ("No", 0), ("Aktivitas", 1), ("Keterangan", 5 + n)]
    cur = size
    for text, ci in texts:
        longest = max(text.split() or [""], key=lambda w: metrics.text_width_pt(w, 1, True))
        while (cur > style.min_header_size_pt
               and metrics.text_width_pt(longest, cur, True) > text_widths[ci] * metrics.RULES.width_factor):
            cur -= 0.5
    return cur


def plan(actors: list[str], steps: list[FlowStep], page: PageSpec, *, title: str | None = None,
         style: FlowStyle = STYLE) -> Plan:
    if not actors:
        raise ValueError("at least one pelaksana is needed")
    if not steps:
        raise ValueError("no steps")
    for i, s in enumerate(steps, start=1):
        if s.no != i:
            raise ValueError(f"step numbers must run 1, 2, 3...: found {s.no} at position {i}")
        if not 0 <= s.pelaksana < len(actors):
            raise ValueError(f"step {s.no}: pelaksana index {s.pelaksana} out of range")
        for t in (s.ya, s.tidak, s.lanjut):
            if t is not None and not 1 <= t <= len(steps):
                raise ValueError(f"step {s.no}: exit to step {t}, which does not exist")
    size = page.font_size_pt
    usable_w = page.width_mm - page.margin_left_mm - page.margin_right_mm

    def longest_word_mm(texts: list[str]) -> float:
        words = [w for t in texts for w in t.split()]
        if not words:
            return 0.0
        pt = max(metrics.text_width_pt(w, size) for w in words) / metrics.RULES.width_factor
        return pt / 72 * 25.4 + 2 * style.text_margin_mm + 0.5

    cols = columns(usable_w, len(actors), style, min_mm=(
        longest_word_mm([s.kelengkapan for s in steps]), longest_word_mm([s.waktu for s in steps]),
        longest_word_mm([s.output for s in steps]), longest_word_mm([s.keterangan for s in steps]),
    ))
    widths = cols.all
    margin_tw = style.text_margin_mm * TWIP_PER_MM

    def text_w(ci: int) -> float:  # text width of a column, points
        return (widths[ci] - 2 * margin_tw) / 20

    def h(text: str, ci: int, bold: bool = False) -> int:
        return metrics.text_height_pt(text, text_w(ci), size, bold)

    n = len(actors)
    head_size = header_size(actors, [text_w(ci) for ci in range(len(widths))], size, style)
    span_w = (sum(widths[2:2 + n]) - 2 * margin_tw) / 20, (sum(widths[2 + n:5 + n]) - 2 * margin_tw) / 20
    row1 = max(metrics.text_height_pt("Pelaksana", span_w[0], head_size, True),
               metrics.text_height_pt("Mutu Baku", span_w[1], head_size, True))
    row2 = max(metrics.text_height_pt(t, text_w(ci), head_size, True)
               for t, ci in header_texts(actors))
    # No / Aktivitas / Keterangan span both rows
    spanned = max(metrics.text_height_pt(t, text_w(ci), head_size, True)
                  for t, ci in (("No", 0), ("Aktivitas", 1), ("Keterangan", 5 + n)))
    if style.group_header:  # No and Aktivitas sit in the second row, under the group header
        row1 = max(row1, metrics.text_height_pt(style.group_header, text_w(0) + text_w(1) + 2 * margin_tw / 20,
                                                head_size, True))
        row2 = max(row2, *(metrics.text_height_pt(t, text_w(ci), head_size, True)
                           for t, ci in (("No", 0), ("Aktivitas", 1))))
        spanned = metrics.text_height_pt("Keterangan", text_w(5 + n), head_size, True)
    if spanned > row1 + row2:
        row2 = spanned - row1
    number_pt = metrics.text_height_pt("12", text_w(0), head_size, True) if style.number_row else 0
    title_pt = 0
    if title:
        lines = metrics.line_count(title, usable_w * 72 / 25.4, style.title_size_pt, True)
        title_pt = math.ceil(lines * style.title_size_pt * 1.15 + style.title_after_pt)

    by_no = {s.no: s for s in steps}
    needed: dict[int, int] = {}
    row_pt: dict[int, int] = {}
    for s in steps:
        texts = [(str(s.no), 0), (s.aktivitas, 1), (s.kelengkapan, 2 + n), (s.waktu, 3 + n),
                 (s.output, 4 + n), (s.keterangan, 5 + n)]
        needed[s.no] = max(h(t, ci) for t, ci in texts)
        row_pt[s.no] = max(needed[s.no], min_step_row_pt(s.symbol, style))
    # a step several side exits return to may get them through off-page connectors,
    # stacked beside it: its row holds them all (pagination is not known yet)
    arriving: dict[int, int] = {}
    for s in steps:
        for t, _ in _exits(s)[1]:
            arriving[t] = arriving.get(t, 0) + 1
    box_h: dict[int, int] = {}
    for no, k in arriving.items():
        if k > 1:
            row_pt[no] = max(row_pt[no], math.ceil((k * (style.offpage_h_mm + 1.2) + 1) * EMU_PER_MM / EMU_PER_PT))
        # a box entered by three or more arrows grows, so their arrowheads (one entry point
        # each, possibly all on one side) keep `port_pitch_mm` apart instead of touching
        if k > 2 and by_no[no].symbol == "process":
            h_mm = max(style.process_h_mm, (k + 1) * style.port_pitch_mm)
            box_h[no] = mm(h_mm)
            row_pt[no] = max(row_pt[no], math.ceil((h_mm + 2 * style.gap_mm) * EMU_PER_MM / EMU_PER_PT))
    conn_pt = math.ceil(style.connector_row_mm * EMU_PER_MM / EMU_PER_PT)

    usable_h = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) * 72 / 25.4
    avail_next = usable_h - row1 - row2 - number_pt - style.page_slack_pt
    avail_first = avail_next - title_pt
    heights = [row_pt[s.no] for s in steps]
    pages_idx = paginate(heights, int(avail_first), int(avail_next), conn_pt,
                         loop_spans(steps), int(page.reserve_last_pt))

    page_of = {steps[i].no: p for p, idx in enumerate(pages_idx) for i in idx}
    gen = letters()
    used_letters: list[str] = []
    # letters in reading order: page break pairs and cross-page side exits as met
    breaks: dict[int, str] = {}
    cross: dict[tuple[int, int], str] = {}
    for p, idx in enumerate(pages_idx):
        for i in idx:
            s = steps[i]
            for t, _ in _exits(s)[1]:
                if page_of[t] != p:
                    cross[(s.no, t)] = next(gen)
                    used_letters.append(cross[(s.no, t)])
        last = steps[idx[-1]]
        if p < len(pages_idx) - 1 and next_targets(last, len(steps)) is not None:
            breaks[p] = next(gen)
            used_letters.append(breaks[p])

    col_x = cols.actor_x

    def label_w(text: str, sz: float) -> int:
        return math.ceil(metrics.text_width_pt(text, sz) * EMU_PER_PT)

    layouts = []
    for p, idx in enumerate(pages_idx):
        rows: list[Row] = []
        top = breaks.get(p - 1)
        bottom = breaks.get(p)
        if top:
            rows.append(Row("top", conn_pt * EMU_PER_PT))
        for i in idx:
            s = steps[i]
            rows.append(Row("step", row_pt[s.no] * EMU_PER_PT, s.no, needed[s.no]))
        if bottom:
            rows.append(Row("bottom", conn_pt * EMU_PER_PT))
        page_cross = {k: v for k, v in cross.items() if page_of[k[0]] == p or page_of[k[1]] == p}
        layouts.append(layout_page([steps[i].no for i in idx], rows, by_no, col_x, top, bottom,
                                   page_cross, label_w, style, box_h))
    return Plan(cols, (row1, row2), title_pt, row_pt, needed, conn_pt, layouts, used_letters,
                head_size, number_pt)
