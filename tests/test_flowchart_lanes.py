"""Connectors never run on top of each other, and exit labels keep clear of what is drawn.

Pure geometry: several decisions returning (or jumping forward) to one step, on one page and
through off-page connectors; 2 to 8 actors, so the narrow columns of 7-8 actors are covered.
"""

from __future__ import annotations

import math
import random

import pytest
from test_flowchart_geometry import CASES, generated, random_flow

from docgen.kinds.sop import geometry as g
from docgen.kinds.sop.flowchart import FlowStep, PageSpec

Seg = tuple[tuple[int, int], tuple[int, int]]


def shared_target(n: int, n_actors: int, target: int, decisions: list[int],
                  forward: list[int] = ()) -> tuple[list[str], list[FlowStep]]:
    """`decisions` all loop back to `target`; `forward` decisions all jump down to the
    last step but one (so the flow still reads downwards)."""
    actors, steps = generated(n, n_actors, [])
    for d in decisions:
        steps[d - 1].symbol, steps[d - 1].ya, steps[d - 1].tidak = "decision", d + 1, target
    for d in forward:
        steps[d - 1].symbol, steps[d - 1].ya, steps[d - 1].tidak = "decision", d + 1, n - 1
        steps[d - 1].label_tidak = "Tidak lengkap"
    return actors, steps


def seed_003() -> tuple[list[str], list[FlowStep]]:
    """examples/sop/003: steps 10 and 11 both return to step 9 (the defect as reported)."""
    cols = [1, 2, 3, 3, 3, 3, 3, 3, 3, 1, 0, 2, 2]
    steps = [FlowStep(no, f"Langkah {no}", c, "terminator" if no in (1, 13) else "process")
             for no, c in enumerate(cols, start=1)]
    for d, ya in ((10, 11), (11, 12)):
        steps[d - 1].symbol, steps[d - 1].ya, steps[d - 1].tidak = "decision", ya, 9
    return ["Pimpinan SKPD", "Sekretaris", "Sub Bagian Perencanaan, Program", "Tim", "Inspektorat"], steps


LOOPS = {
    "seed-003": seed_003(),
    "3x2-self": shared_target(3, 2, 1, [2]),
    "15x4-back-3": shared_target(15, 4, 5, [7, 9, 11]),
    "15x8-back-4": shared_target(15, 8, 4, [7, 9, 11, 13]),
    "15x7-back-and-forward": shared_target(15, 7, 2, [5, 8], forward=[3, 10]),
    "40x5-across-pages": shared_target(40, 5, 3, [10, 25, 33, 38]),
    "40x8-across-pages": shared_target(40, 8, 2, [4, 6, 30, 36], forward=[12, 20]),
    "40x2-mixed": shared_target(40, 2, 5, [7, 9, 11, 13, 15], forward=[20, 24, 28]),
}
ALL = {**CASES, **LOOPS}

NARROW = {
    "7-actors": shared_target(20, 7, 3, [6, 9, 12], forward=[14]),
    "8-actors": shared_target(20, 8, 2, [5, 8, 11], forward=[13, 16]),
    "8-actors-long-labels": generated(24, 8, [(4, 2), (7, 3), (10, 12), (15, 9), (18, 21), (22, 20)]),
}
for _no in (4, 7, 10, 15, 18, 22):
    _s = NARROW["8-actors-long-labels"][1][_no - 1]
    _s.label_ya, _s.label_tidak = "Lengkap", "Tidak lengkap"


def segments(route: g.Route) -> list[Seg]:
    return [(p, q) for p, q in zip(route.points, route.points[1:], strict=False) if p != q]


def overlap(a: Seg, b: Seg) -> bool:
    """Collinear with a common stretch of positive length."""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if ax0 == ax1 and bx0 == bx1 and ax0 == bx0:
        lo, hi = max(min(ay0, ay1), min(by0, by1)), min(max(ay0, ay1), max(by0, by1))
        return hi > lo
    if ay0 == ay1 and by0 == by1 and ay0 == by0:
        lo, hi = max(min(ax0, ax1), min(bx0, bx1)), min(max(ax0, ax1), max(bx0, bx1))
        return hi > lo
    return False


def overlaps(page: g.PageLayout) -> list[tuple[g.Route, g.Route]]:
    bad = []
    for i, r1 in enumerate(page.routes):
        for r2 in page.routes[i + 1:]:
            s1, s2 = segments(r1), segments(r2)
            for k1, a in enumerate(s1):
                for k2, b in enumerate(s2):
                    if not overlap(a, b):
                        continue
                    # two arrows that meet at one point of their target: a deliberate join
                    # (two connectors drawn wholly on top of each other are no join)
                    joined = (k1 == len(s1) - 1 and k2 == len(s2) - 1 and a[1] == b[1]
                              and r1.target == r2.target and r1.points[0] != r2.points[0])
                    if not joined:
                        bad.append((r1, r2))
    return bad


@pytest.mark.parametrize("case", sorted(ALL) + sorted(NARROW))
def test_no_two_connectors_share_a_lane(case):
    actors, steps = {**ALL, **NARROW}[case]
    p = g.plan(actors, steps, PageSpec(), title="SOP UJI")
    for page in p.pages:
        assert not overlaps(page), (case, overlaps(page)[:2])


def test_shared_target_loops_have_their_own_lanes_and_entries():
    actors, steps = LOOPS["15x4-back-3"]
    # a taller page holds all three loops (on A4 page 1 would be under half full before
    # them, so they are cut): the columns, and so the lanes, are A4's
    p = g.plan(actors, steps, PageSpec(height_mm=297))
    (page,) = [pg for pg in p.pages if 5 in pg.steps]
    assert {5, 7, 9, 11} <= set(page.steps)
    side = [r for r in page.routes if r.kind == "side" and r.target == 5]
    assert len(side) == 3
    lanes = {r.points[-2][0] for r in side}
    entries = {r.points[-1] for r in side}
    assert len(lanes) == 3 and len(entries) == 3  # a process box: one entry point each
    # nested, never crossing: on one side, the loop from further away runs further out and
    # enters higher (a loop may take the other side when its run crosses less there)
    target = next(sh.rect for sh in page.shapes if sh.step == 5)
    for right in (True, False):
        by_len = sorted((r for r in side if (r.points[-1][0] > target.cx) == right), key=lambda r: r.source)
        out = [abs(r.points[-2][0] - target.cx) for r in by_len]
        assert out == sorted(out)
        assert [r.points[-1][1] for r in by_len] == sorted((r.points[-1][1] for r in by_len), reverse=True)


def test_offpage_arrivals_at_one_step_do_not_pile_up():
    actors, steps = LOOPS["40x5-across-pages"]
    p = g.plan(actors, steps, PageSpec())
    (page,) = [pg for pg in p.pages if 3 in pg.steps]
    pents = [sh.rect for sh in page.shapes if sh.kind == "offpage"]
    for i, a in enumerate(pents):
        for b in pents[i + 1:]:
            assert (a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y), (a, b)
    arriving = [r for r in page.routes if r.kind == "offpage" and r.target == 3]
    assert len(arriving) >= 2


@pytest.mark.parametrize("case", ["15x8-back-4", "40x5-across-pages", "40x8-across-pages"])
def test_connectors_stacked_beside_one_step_nest_without_crossing(case):
    """Off-page connectors stacked beside a step stand beyond the lanes: the one furthest
    from its entry takes the innermost lane. The stack used to cross itself (B over C)."""
    from test_sop_other_procedures import _crossings

    actors, steps = ALL[case]
    p = g.plan(actors, steps, PageSpec(), title="SOP UJI")
    stacked = 0
    for page in p.pages:
        into = {}
        for r in page.routes:
            if r.kind == "offpage" and isinstance(r.target, int):
                into.setdefault(r.target, []).append(r)
        stacked += sum(len(v) > 1 for v in into.values())
        for a, b in _crossings(page):
            assert not (a.kind == b.kind == "offpage" and a.target == b.target), (case, a, b)
    assert stacked


def test_random_flows_have_no_overlapping_connectors():
    rnd = random.Random(7)
    for _ in range(80):
        n, n_act = rnd.randint(3, 45), rnd.randint(2, 8)
        steps = random_flow(rnd, n, n_act)
        # the usual shape of a decision: one exit goes on down, the other anywhere else
        for s in steps:
            if s.symbol == "decision":
                other = s.tidak if s.ya == s.no + 1 else s.ya
                if s.no == len(steps) or other in (s.no, s.no + 1):
                    s.symbol, s.ya, s.tidak = "process", None, None
                else:
                    s.ya, s.tidak = s.no + 1, other
        p = g.plan([f"Pelaksana {i}" for i in range(n_act)], steps, PageSpec())
        if offpage_both_ways(p):
            continue
        for page in p.pages:
            assert not overlaps(page), (n, n_act, overlaps(page)[:1])


def offpage_both_ways(p: g.Plan) -> bool:
    """Known limit (not fixed): a decision that leaves sideways to another page and is also
    entered from another page, with no free side left (edge column, or both sides taken):
    its two off-page connectors, or their lines at its vertex, are drawn on one spot."""
    for pg in p.pages:
        pents = [sh.rect for sh in pg.shapes if sh.kind == "offpage"]
        if len(set(pents)) < len(pents):
            return True
        starts = {r.points[0] for r in pg.routes if r.kind == "offpage" and isinstance(r.source, int)}
        if any(r.points[-1] in starts for r in pg.routes if r.kind == "offpage" and isinstance(r.target, int)):
            return True
    return False


# ---------------------------------------------------------------- labels

def rect_dist(a: g.Rect, b: g.Rect) -> float:
    dx = max(b.x - (a.x + a.w), a.x - (b.x + b.w), 0)
    dy = max(b.y - (a.y + a.h), a.y - (b.y + b.h), 0)
    return math.hypot(dx, dy)


def seg_dist(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def diamond_dist(r: g.Rect, d: g.Rect) -> float:
    """Distance between a rectangle and the diamond inscribed in `d` (0 when they touch)."""
    poly = [(d.x + d.w / 2, d.y), (d.x + d.w, d.y + d.h / 2), (d.x + d.w / 2, d.y + d.h), (d.x, d.y + d.h / 2)]
    corners = [(r.x, r.y), (r.x + r.w, r.y), (r.x + r.w, r.y + r.h), (r.x, r.y + r.h)]
    cx, cy = d.x + d.w / 2, d.y + d.h / 2
    if any(abs(x - cx) / (d.w / 2) + abs(y - cy) / (d.h / 2) <= 1 for x, y in corners):
        return 0.0
    if r.x <= cx <= r.x + r.w and r.y <= cy <= r.y + r.h:
        return 0.0
    if any(r.x <= x <= r.x + r.w and r.y <= y <= r.y + r.h for x, y in poly):
        return 0.0
    edges_r = list(zip(corners, corners[1:] + corners[:1], strict=True))
    edges_d = list(zip(poly, poly[1:] + poly[:1], strict=True))
    best = min(min(seg_dist(p, *e) for e in edges_r) for p in poly)
    return min(best, min(min(seg_dist(p, *e) for e in edges_d) for p in corners))


def seg_rect_dist(a: tuple[int, int], b: tuple[int, int], r: g.Rect) -> float:
    seg = g.Rect(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1]))
    return rect_dist(seg, r)


def label_problems(page: g.PageLayout) -> list[str]:
    gap_shape, gap_line = g.mm(0.5), g.mm(0.3)
    out = []
    for lab in page.labels:
        r = lab.rect
        for sh in page.shapes:
            d = diamond_dist(r, sh.rect) if sh.kind == "decision" else rect_dist(r, sh.rect)
            if d < gap_shape:
                out.append(f"label {lab.text!r} of {lab.step} {d / g.EMU_PER_MM:.2f} mm from {sh.kind} {sh.step or sh.text}")
        for route in page.routes:
            for a, b in segments(route):
                if seg_rect_dist(a, b, r) < gap_line:
                    out.append(f"label {lab.text!r} of {lab.step} on the line {route.source}->{route.target}")
        for other in page.labels:
            if other is not lab and rect_dist(r, other.rect) < gap_line:
                out.append(f"label {lab.text!r} of {lab.step} touches {other.text!r}")
    return out


@pytest.mark.parametrize("case", sorted({**ALL, **NARROW}))
def test_exit_labels_keep_clear_of_shapes_and_lines(case):
    actors, steps = {**ALL, **NARROW}[case]
    p = g.plan(actors, steps, PageSpec(), title="SOP UJI")
    for page in p.pages:
        assert not label_problems(page), (case, label_problems(page)[:3])


@pytest.mark.parametrize("n_act", [7, 8])
def test_exit_labels_stay_close_to_their_exit(n_act):
    actors, steps = NARROW[f"{n_act}-actors"]
    p = g.plan(actors, steps, PageSpec())
    for page in p.pages:
        for lab in page.labels:
            dec = next(sh.rect for sh in page.shapes if sh.step == lab.step)
            # within about one column width of the diamond: the reader pairs label and exit
            assert rect_dist(lab.rect, dec) <= g.mm(6), lab


@pytest.mark.parametrize("case", sorted({**ALL, **NARROW}))
def test_connectors_never_run_through_a_symbol(case):
    actors, steps = {**ALL, **NARROW}[case]
    p = g.plan(actors, steps, PageSpec())
    for page in p.pages:
        for route in page.routes:
            for sh in page.shapes:
                key = sh.step if sh.step is not None else sh.text
                if key in (route.source, route.target):
                    continue
                r = sh.rect
                for (x0, y0), (x1, y1) in segments(route):
                    inside_x = r.x < max(x0, x1) and min(x0, x1) < r.x + r.w
                    inside_y = r.y < max(y0, y1) and min(y0, y1) < r.y + r.h
                    assert not (inside_x and inside_y), (case, route, sh)
