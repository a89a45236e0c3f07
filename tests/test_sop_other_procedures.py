"""SOPs of procedures the seeds do not cover, as a reviewer would bring them.

tests/fixtures/sop_lain/: permohonan cuti (4 actors, a return into the start), PPID with
keberatan (5 long actor names, forward skips, a return across pages, a narrative),
pengadaan barang/jasa (45 steps, 8 actors, F4), penyusunan Renja (7 actors, four returns
into one box, a decision that both leaves to and is entered from other pages) and a
rekomendasi teknis (forward skip across pages, custom labels). Geometry is checked on the
plan; what a user sees through real LibreOffice.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docgen import convert, datafile, make, workspace
from docgen.kinds.sop import geometry as g
from docgen.kinds.sop.document import flow_steps
from docgen.kinds.sop.flowchart import PageSpec
from docgen.kinds.sop.model import Sop

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sop_lain"
A4 = PageSpec()
F4 = PageSpec(width_mm=330, height_mm=215)


def _plan(name: str, page: PageSpec = A4) -> tuple[Sop, g.Plan]:
    sop = datafile.load_model(Sop, FIXTURES / f"{name}.yaml")
    return sop, g.plan(list(sop.pelaksana), flow_steps(sop), page, title="SOP UJI")


def _crossings(page: g.PageLayout) -> list[tuple[g.Route, g.Route]]:
    """Pairs of connectors whose segments cross (a vertical through a horizontal)."""
    segs = [(r, p, q) for r in page.routes for p, q in zip(r.points, r.points[1:], strict=False) if p != q]
    out = []
    for i, (ra, a0, a1) in enumerate(segs):
        for rb, b0, b1 in segs[i + 1:]:
            if ra is rb or (a0[0] == a1[0]) == (b0[0] == b1[0]):
                continue
            (v0, v1), (h0, h1) = ((a0, a1), (b0, b1)) if a0[0] == a1[0] else ((b0, b1), (a0, a1))
            if (min(h0[0], h1[0]) < v0[0] < max(h0[0], h1[0])
                    and min(v0[1], v1[1]) < h0[1] < max(v0[1], v1[1])):
                out.append((ra, rb))
    return out


def _shape(page: g.PageLayout, step: int) -> g.Rect:
    return next(sh.rect for sh in page.shapes if sh.step == step)


# ------------------------------------------------------------------ geometry

def test_return_to_the_start_enters_away_from_the_flow_and_crosses_nothing():
    """Cuti: "Tidak lengkap" from the Kasubbag's check goes back to the Pegawai's start.
    It used to enter the capsule on the side the flow leaves by, pushing that flow out of
    the capsule's bottom and across the return's run."""
    _, p = _plan("cuti")
    (page,) = p.pages
    start = _shape(page, 1)
    back = next(r for r in page.routes if r.kind == "side" and r.target == 1)
    flow = next(r for r in page.routes if r.source == 1)
    assert flow.points[0] == start.side(1)            # to the next column, from its side
    assert back.points[-1][0] == start.x              # the return enters the other side
    assert not _crossings(page)


def test_returns_enter_the_side_their_target_does_not_leave_by():
    """Pengadaan (F4): two returns into step 2 ("Perbaikan" from 3, "Tidak sesuai" from 5);
    step 2's flow goes left to the decision in the first column."""
    _, p = _plan("pengadaan", F4)
    page = p.pages[0]
    box = _shape(page, 2)
    backs = [r for r in page.routes if r.kind == "side" and r.target == 2]
    assert len(backs) == 2
    assert all(r.points[-1][0] == box.x + box.w for r in backs)   # both on the right
    flow = next(r for r in page.routes if r.source == 2 and r.kind == "next")
    assert flow.points[0] == box.side(-1)
    assert len(_crossings(page)) <= 1  # "Tidak sesuai" must cross 4->5: nothing else


def test_box_entered_by_four_returns_grows_so_arrowheads_do_not_touch():
    """Renja: step 5 is returned to from steps 8, 11, 14 and 20 (three of them via
    off-page connectors); its entry points keep port_pitch_mm apart."""
    _, p = _plan("renja")
    page = next(pg for pg in p.pages if 5 in pg.steps)
    box = _shape(page, 5)
    ends = [r.points[-1] for r in page.routes if r.target == 5 and r.points[-1][0] in (box.x, box.x + box.w)]
    assert len(ends) == 4  # the flow from connector A enters the top
    assert box.h >= g.mm(5 * g.STYLE.port_pitch_mm)
    for side_x in {x for x, _ in ends}:
        ys = sorted(y for x, y in ends if x == side_x)
        assert all(b - a >= g.mm(g.STYLE.port_pitch_mm) - 2 for a, b in zip(ys, ys[1:], strict=False))
    # and the row holds the taller box with the usual gaps
    assert p.row_pt[5] * g.EMU_PER_PT >= box.h + 2 * g.mm(g.STYLE.gap_mm)
    # the connectors stacked beside it nest: no line crosses another on that page
    assert not _crossings(page)


@pytest.mark.parametrize("name,page", [("cuti", A4), ("ppid", A4), ("pengadaan", F4), ("renja", A4),
                                       ("rekomendasi", A4)])
def test_exit_labels_touch_no_symbol_line_or_label(name, page):
    """Pengadaan: "Memenuhi" (down from the last step of page 1 into connector A, in an
    18 mm column) was printed over the connector's letter: it now moves beside it."""
    _, p = _plan(name, page)
    for pg in p.pages:
        shapes = [(sh.kind, sh.rect) for sh in pg.shapes]
        lines = g.lines_of(pg.routes)
        for lab in pg.labels:
            others = [lb.rect for lb in pg.labels if lb is not lab]
            assert g._hits(lab.rect, shapes, lines, others, g.mm(0.8), g.mm(0.5)) == 0, (name, lab.text)


# ------------------------------------------------------------------ pages

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sop"
# flowchart pages before the loop rule became a preference (A4, F4): page 1 of ppid held 3
# steps, renja's 4 (and its last page 2), rekomendasi took 3 pages for 12 steps
PAGES_BEFORE = {"ppid": (3, 3), "renja": (5, 4), "rekomendasi": (3, 3)}


def _plan_as_made(path: Path, page: PageSpec) -> g.Plan:
    """The plan `make` draws: the title as document.build sets it."""
    sop = datafile.load_model(Sop, path)
    nama = sop.nama.upper()
    return g.plan(list(sop.pelaksana), flow_steps(sop), page,
                  title=nama if nama.startswith("SOP") else f"SOP {nama}")


@pytest.mark.parametrize("name", sorted(PAGES_BEFORE))
@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_no_continuing_page_is_left_half_empty(name, paper):
    """Pagination used to break before any loop that did not fit on the rest of the page:
    ppid's page 1 held 3 of 17 steps. Now the page is filled and the loop's return goes
    through an off-page connector pair when breaking before it leaves the page under half."""
    page = A4 if paper == "A4" else F4
    p = _plan_as_made(FIXTURES / f"{name}.yaml", page)
    assert len(p.pages) <= PAGES_BEFORE[name][paper == "F4"]
    usable = (page.height_mm - page.margin_top_mm - page.margin_bottom_mm) * 72 / 25.4
    avail = usable - sum(p.header_heights_pt) - g.STYLE.page_slack_pt
    for i, pg in enumerate(p.pages[:-1]):
        room = avail - (p.title_pt if i == 0 else p.connector_row_pt) - p.connector_row_pt
        body = sum(p.row_pt[no] for no in pg.steps)
        assert body >= g.MIN_PAGE_FILL * room, (name, paper, i + 1, pg.steps)
    assert all(len(pg.steps) > 1 for pg in p.pages)
    if name == "rekomendasi":
        assert [len(pg.steps) for pg in p.pages] == [6, 6]
    # every return still drawn: on its page, or through a pair of connectors
    page_of = {no: i for i, pg in enumerate(p.pages) for no in pg.steps}
    for s in flow_steps(datafile.load_model(Sop, FIXTURES / f"{name}.yaml")):
        for t, _ in g._exits(s)[1]:
            kinds = [r.kind for pg in p.pages for r in pg.routes if r.source == s.no and r.kind != "next"]
            assert kinds == ["side" if page_of[t] == page_of[s.no] else "offpage"] * len(kinds) and kinds


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_seeds_keep_their_pages(paper):
    """The seeds already paginated well: the same split, 8 + 5 for 003's two returns."""
    page = A4 if paper == "A4" else F4
    got = {path.name[:3]: [len(pg.steps) for pg in _plan_as_made(path, page).pages]
           for path in sorted(EXAMPLES.glob("*.yaml"))}
    assert got == {"000": [6], "001": [6], "002": [9, 6], "003": [8, 5], "004": [6]}


# ------------------------------------------------------------------ what a user sees

def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, soffice):
    """All five made by `make` (pengadaan in an F4 workspace), converted in one call."""
    root = tmp_path_factory.mktemp("sop-lain")
    a4 = workspace.init(root / "a4")
    f4_root = root / "f4"
    workspace.init(f4_root)
    toml = f4_root / "docgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('ukuran = "A4"', 'ukuran = "F4"'), encoding="utf-8")
    f4 = workspace.load(f4_root)
    docx = {name: make.make(f4 if name == "pengadaan" else a4, "sop", FIXTURES / f"{name}.yaml",
                            root / "out").docx[0]
            for name in ("cuti", "ppid", "pengadaan", "renja", "rekomendasi")}
    return dict(zip(docx, convert.convert(list(docx.values())), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cuti", "ppid", "pengadaan", "renja", "rekomendasi"])
def test_every_flowchart_page_has_its_header_and_every_step(pdfs, name):
    src = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    p = _plan_as_made(FIXTURES / f"{name}.yaml", F4 if name == "pengadaan" else A4)
    reader = PdfReader(str(pdfs[name]))
    narrative = 1 if src.get("proses_kegiatan") else 0
    assert len(reader.pages) == 1 + len(p.pages) + narrative   # identity, flowchart, narrative
    pages = [_flat(pg.extract_text()) for pg in reader.pages]
    for text in pages[1:1 + len(p.pages)]:
        assert "Pelaksana" in text and "MutuBaku" in text and "Kelengkapan" in text
    # every aktivitas, on the page the plan put it (LibreOffice breaks where docgen did,
    # also inside a loop whose return goes through an off-page connector pair)
    for pg, text in zip(p.pages, pages[1:1 + len(p.pages)], strict=True):
        for no in pg.steps:
            aktivitas = src["langkah"][no - 1]["aktivitas"]
            assert _flat(aktivitas)[:40] in text, (no, aktivitas)
    if name == "pengadaan":  # F4 landscape: 330 x 215 mm
        box = reader.pages[1].mediabox
        assert math.isclose(float(box.width) * 25.4 / 72, 330, abs_tol=1)
        assert math.isclose(float(box.height) * 25.4 / 72, 215, abs_tol=1)


@pytest.mark.slow
def test_total_time_reads_as_hours_not_a_pile_of_minutes(pdfs):
    # cuti: 10 + 30 + 15 + 30 + 15 + 15 + 5 menit and 1 hari
    text = _flat("".join(pg.extract_text() for pg in PdfReader(str(pdfs["cuti"])).pages))
    assert "JangkaWaktuPenyelesaian:1hari2jam" in text


def test_waktu_in_weeks_is_one_clear_error_and_nothing_is_written(cli, tmp_path):
    code, _, err = cli("init", str(tmp_path / "ws"))
    assert code == 0, err
    data = yaml.safe_load((FIXTURES / "cuti.yaml").read_text(encoding="utf-8"))
    data["langkah"][3]["waktu"] = "2 minggu"
    bad = tmp_path / "cuti-minggu.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out, err = cli("make", "sop", str(bad), "-o", str(tmp_path / "out"), cwd=tmp_path / "ws")
    assert code != 0
    assert "Traceback" not in err + out
    assert str(bad) in err and "langkah[4].waktu" in err and '"10 hari"' in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
