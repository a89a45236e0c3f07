"""`lanjut`: a plain step that does not go on to the next step (a rejection branch).

tests/fixtures/sop_lain/izin_penelitian.yaml (3 actors): step 4 decides, ya -> 5,
tidak -> 9; step 8 ends the approval path with `lanjut: 10`, skipping the rejection (9),
which goes on to the end. tests/fixtures/sop_lain/pengaduan.yaml (7 actors, 3 pages):
step 16 jumps forward over 17-18 on its page, step 18 goes back to step 2 on another page.
Lint, the model, the routed geometry (with the geometry tests' own helpers) and a real
DOCX + PDF through LibreOffice.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from docx import Document
from pypdf import PdfReader
from test_flowchart_geometry import generated
from test_flowchart_lanes import offpage_both_ways, overlaps, segments
from test_sop_other_procedures import _crossings

from docgen import convert, make, workspace
from docgen.datafile import validate
from docgen.errors import InputError
from docgen.kinds.sop import geometry as g
from docgen.kinds.sop.document import flow_steps
from docgen.kinds.sop.flowchart import PageSpec
from docgen.kinds.sop.lint import check, exits
from docgen.kinds.sop.model import Sop
from docgen.oxml.ns import q

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sop_lain"
SEVEN = ["Pemohon", "Petugas Pelayanan", "Kepala Sub Bagian Umum", "Sekretaris", "Kepala Bidang",
         "Kepala Dinas", "Tim Teknis"]


def data(name: str = "izin_penelitian") -> dict:
    return yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))


def seven_actors() -> dict:
    """The izin SOP spread over 7 actors (narrow columns)."""
    d = data()
    d["pelaksana"] = SEVEN
    for s, a in zip(d["langkah"], [0, 1, 4, 5, 2, 5, 3, 1, 6, 0], strict=True):
        s["pelaksana"] = SEVEN[a]
    return d


def lint(d: dict):
    return check(None, validate(Sop, d, "uji.yaml"))


def plan_of(d: dict) -> g.Plan:
    sop = validate(Sop, d, "uji.yaml")
    return g.plan(list(sop.pelaksana), flow_steps(sop), PageSpec(), title="SOP UJI")


def by_field(findings, field: str):
    return [f for f in findings if f.field == field]


# ------------------------------------------------------------------ model and lint

@pytest.mark.parametrize("name", ["izin_penelitian", "pengaduan"])
def test_fixtures_pass_check_cleanly(name):
    assert lint(data(name)) == []


def test_exits_follow_lanjut():
    sop = validate(Sop, data(), "uji.yaml")
    assert exits(sop, 8) == [10]
    assert exits(sop, 9) == [10]
    assert exits(sop, 4) == [5, 9]
    assert exits(sop, 10) == []


def test_a_decision_with_lanjut_is_an_error_naming_the_field():
    d = data()
    d["langkah"][3]["lanjut"] = 6
    with pytest.raises(InputError) as e:
        validate(Sop, d, "uji.yaml")
    text = str(e.value)
    assert "langkah[4].lanjut" in text and "keputusan" in text and "remove lanjut" in text


def test_the_last_step_cannot_have_lanjut():
    d = data()
    d["langkah"][-1]["lanjut"] = 2
    with pytest.raises(InputError) as e:
        validate(Sop, d, "uji.yaml")
    assert "langkah[10].lanjut" in str(e.value) and "last step" in str(e.value)


def test_lanjut_to_itself_or_nowhere_is_an_error():
    d = data()
    d["langkah"][7]["lanjut"] = 8
    (f,) = by_field(lint(d), "langkah[8].lanjut")
    assert f.level == "error" and "itself" in f.message and "lanjut" in f.fix
    d["langkah"][7]["lanjut"] = 12
    (f,) = by_field(lint(d), "langkah[8].lanjut")
    assert f.level == "error" and "step 12" in f.message and "1 to 10" in f.fix


def test_lanjut_to_the_next_step_is_a_warning_only():
    d = data()
    d["langkah"][4]["lanjut"] = 6
    findings = lint(d)
    assert [(f.level, f.field) for f in findings] == [("warning", "langkah[5].lanjut")]
    assert "next step" in findings[0].message and findings[0].fix == "remove lanjut"


def test_loop_of_plain_steps_without_a_way_out_names_the_step_and_the_fix():
    d = data()
    d["langkah"][7]["lanjut"] = 7       # 7 -> 8 -> 7 -> ... never the end
    errs = [f for f in lint(d) if f.level == "error"]
    assert [f.field for f in errs] == ["langkah[8].lanjut"]
    assert "never reaches the end" in errs[0].message and "step 7" in errs[0].message
    assert "later step" in errs[0].fix and "keputusan" in errs[0].fix


def test_a_backward_lanjut_with_a_way_out_is_fine():
    d = data()
    d["langkah"][8]["lanjut"] = 4       # the rejected request is decided again: 4 can leave forward
    assert lint(d) == []


def test_step_skipped_by_a_jump_and_entered_by_nothing_is_unreachable():
    d = data()
    d["langkah"][3]["keputusan"]["tidak"] = 2   # nothing goes to 9 any more
    errs = [f for f in lint(d) if f.level == "error"]
    assert len(errs) == 1 and errs[0].field == "langkah[9].keputusan"
    assert "cannot be reached" in errs[0].message and "step 8" in errs[0].message
    assert "lanjut" in errs[0].fix


# ------------------------------------------------------------------ geometry

def jump_problems(page: g.PageLayout, jump: g.Route) -> list[str]:
    """The jump crosses or overlaps another connector, or runs through a symbol."""
    out = [f"crosses {b.source}->{b.target}" for a, b in _crossings(page) if a is jump]
    out += [f"crosses {a.source}->{a.target}" for a, b in _crossings(page) if b is jump]
    out += [f"overlaps {b.source}->{b.target}" for a, b in overlaps(page) if jump in (a, b)]
    for sh in page.shapes:
        if (sh.step if sh.step is not None else sh.text) in (jump.source, jump.target):
            continue
        r = sh.rect
        for (x0, y0), (x1, y1) in segments(jump):
            if r.x < max(x0, x1) and min(x0, x1) < r.x + r.w and r.y < max(y0, y1) and min(y0, y1) < r.y + r.h:
                out.append(f"through {sh.kind} {sh.step or sh.text}")
    return out


def shape(page: g.PageLayout, step: int) -> g.Rect:
    return next(sh.rect for sh in page.shapes if sh.step == step)


@pytest.mark.parametrize("variant", ["3-actors", "7-actors"])
def test_same_page_jump_skips_the_next_step_and_crosses_nothing(variant):
    p = plan_of(data() if variant == "3-actors" else seven_actors())
    page = next(pg for pg in p.pages if 8 in pg.steps)
    assert {8, 9, 10} <= set(page.steps)
    # nothing from 8 to 9: step 9 is entered only by the decision's "Ditolak"
    assert not [r for pg in p.pages for r in pg.routes if r.source == 8 and r.target == 9]
    into9 = [r for pg in p.pages for r in pg.routes if r.target == 9]
    # on page 1's other page when page 1 would otherwise hold 3 of 10 steps (7 actors)
    assert [(r.source, r.kind) for r in into9] in ([(4, "side")], [(into9[0].source, "offpage")])
    if into9[0].kind == "offpage":
        assert [r.source for pg in p.pages for r in pg.routes if r.target == into9[0].source] == [4]
    (jump,) = [r for r in page.routes if r.source == 8]
    assert jump.target == 10 and jump.kind == "side"
    box, end = shape(page, 8), shape(page, 10)
    assert jump.points[0] in (box.side(1), box.side(-1))   # leaves the box from a side
    assert end.on_border(jump.points[-1])
    assert not jump_problems(page, jump)
    # 9 still goes on to the end, and no two connectors share a line
    assert [r.kind for r in page.routes if r.source == 9 and r.target == 10] == ["next"]
    assert not overlaps(page)
    assert not [lab for lab in page.labels if lab.step == 8]   # a jump has no label


def test_jumps_forward_on_a_page_and_back_across_pages():
    p = plan_of(data("pengaduan"))
    assert len(p.pages) >= 2
    page16 = next(pg for pg in p.pages if 16 in pg.steps)
    assert 19 in page16.steps
    (fwd,) = [r for r in page16.routes if r.source == 16]
    assert fwd.target == 19 and fwd.kind == "side"
    assert not jump_problems(page16, fwd)
    # 18 -> 2 on another page: an off-page connector beside 18, the same letter beside 2
    page18 = next(pg for pg in p.pages if 18 in pg.steps)
    page2 = next(pg for pg in p.pages if 2 in pg.steps)
    assert page18 is not page2
    (back,) = [r for r in page18.routes if r.source == 18]
    assert back.kind == "offpage" and isinstance(back.target, str)
    assert back.points[0] in (shape(page18, 18).side(1), shape(page18, 18).side(-1))
    (arrive,) = [r for r in page2.routes if r.source == back.target]
    assert arrive.target == 2 and shape(page2, 2).on_border(arrive.points[-1])
    for pg in (page18, page2):
        assert not overlaps(pg) and not jump_problems(pg, back if pg is page18 else arrive)
    # the steps after the jumps are not connected to them
    flows = {(r.source, r.target) for pg in p.pages for r in pg.routes}
    assert (16, 17) not in flows and (18, 19) not in flows
    # 17 is entered from the decision at 3 (another page), 19 only by the jump
    assert [r.source for r in page16.routes if r.target == 19] == [16]


def test_a_jump_from_the_last_step_of_a_page_gets_no_page_break_connector():
    """The flow does not continue below a jumping step: no off-page pair for the break;
    the jump itself leaves through its own connector pair."""
    actors, steps = generated(30, 4, [], long_every=2)
    last = g.plan(actors, steps, PageSpec()).pages[0].steps[-1]
    steps[last - 1].lanjut = 28
    p = g.plan(actors, steps, PageSpec())
    assert p.pages[0].steps[-1] == last
    assert p.pages[0].rows[-1].kind == "step" and p.pages[1].rows[0].kind == "step"
    (src,) = [r for r in p.pages[0].routes if r.source == last]
    assert src.kind == "offpage"
    page28 = next(pg for pg in p.pages if 28 in pg.steps)
    assert [r.target for r in page28.routes if r.source == src.target] == [28]
    assert not [r for pg in p.pages for r in pg.routes if r.source == last and r.target == last + 1]


def test_random_flows_with_jumps_keep_connectors_apart():
    rnd = random.Random(35)
    for _ in range(60):
        n, n_act = rnd.randint(6, 40), rnd.randint(2, 8)
        actors, steps = generated(n, n_act, [])
        for s in steps[1:-1]:
            if rnd.random() < 0.15:
                t = rnd.choice([t for t in range(1, n + 1) if t not in (s.no, s.no + 1)])
                s.lanjut = t
        p = g.plan(actors, steps, PageSpec())
        if offpage_both_ways(p):
            continue
        for pg in p.pages:
            assert not overlaps(pg), (n, n_act, overlaps(pg)[:1])
            for r in pg.routes:
                if isinstance(r.source, int) and steps[r.source - 1].lanjut not in (None, r.source + 1):
                    assert r.kind != "next" or r.target == steps[r.source - 1].lanjut


# ------------------------------------------------------------------ a real DOCX and PDF

@pytest.fixture(scope="module")
def made(tmp_path_factory, soffice):
    root = tmp_path_factory.mktemp("sop-lanjut")
    ws = workspace.init(root / "ws")
    files = {}
    for name, d in (("izin3", data()), ("izin7", seven_actors()), ("pengaduan", data("pengaduan"))):
        f = root / f"{name}.yaml"
        f.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
        files[name] = (d, make.make(ws, "sop", f, root / name).docx[0])
    pdfs = convert.convert([docx for _, docx in files.values()])
    return {name: (d, docx, pdf) for (name, (d, docx)), pdf in zip(files.items(), pdfs, strict=True)}


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("name", ["izin3", "izin7", "pengaduan"])
def test_docx_and_pdf_have_every_step_and_one_arrow_per_exit(made, name):
    d, docx, pdf = made[name]
    p = plan_of(d)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1 + len(p.pages)          # identity sheet, flowchart pages
    flow = "".join(_flat(pg.extract_text()) for pg in reader.pages[1:])
    for step in d["langkah"]:
        assert _flat(step["aktivitas"])[:40] in flow, step["aktivitas"]
    # one arrowhead per exit (a jump replaces the arrow to the next step) and per letter
    exits_n = sum(2 if "keputusan" in s else 1 for s in d["langkah"][:-1])
    root = Document(str(docx)).element.body
    lines = [sp for sp in root.iter(q("wps:spPr")) if sp.find(q("a:custGeom")) is not None]
    heads = [sp for sp in lines if sp.find(q("a:ln")).find(q("a:tailEnd")) is not None]
    assert len(heads) == exits_n + len(p.letters) == sum(len(pg.routes) for pg in p.pages)


def test_side_exit_takes_the_border_where_its_run_crosses_nothing():
    """izin_penelitian: "Ditolak" (4, Kepala Dinas, last column) -> 9 (Petugas Pelayanan).
    Its run used to take the border between the two columns and cross 5->6 and 6->7; right
    of the last column it crosses nothing, and the flow 4->5 gets the diamond's free tip."""
    p = plan_of(data())
    page = next(pg for pg in p.pages if 4 in pg.steps)
    (ditolak,) = [r for r in page.routes if r.source == 4 and r.target == 9]
    assert not jump_problems(page, ditolak)
    assert not _crossings(page) and not overlaps(page)
    dec, nine = shape(page, 4), shape(page, 9)
    assert ditolak.points[0] == dec.side(1) and ditolak.points[-1][0] == nine.x + nine.w
    assert max(x for x, _ in ditolak.points) <= p.columns.actor_x[-1]   # inside the table
