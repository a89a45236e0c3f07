"""The flowchart as a user gets it: the DOCX re-opened with python-docx, the PDF from LibreOffice."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader
from test_flowchart_geometry import ACTORS, CASES, generated, reference_15

from docgen.convert import convert
from docgen.kinds.sop import metrics
from docgen.kinds.sop.flowchart import FlowStep, PageSpec, add_flowchart
from docgen.oxml.ns import q

LOGO = Path(__file__).resolve().parents[1] / "docgen" / "data" / "logo-contoh.png"
PRESETS = {"flowChartTerminator", "flowChartProcess", "flowChartDecision"}


def build(tmp_path: Path, name: str, actors, steps, page: PageSpec | None = None,
          preamble: bool = False):
    doc = Document()
    if preamble:  # an identity sheet before, with a picture (it has its own docPr id)
        doc.add_paragraph("Lembar identitas SOP")
        doc.add_picture(str(LOGO))
    info = add_flowchart(doc, actors, steps, page or PageSpec(), title="SOP MEKANISME UJI")
    out = tmp_path / f"{name}.docx"
    doc.save(str(out))
    return out, info


def cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def body_rows(tbl):
    return tbl.findall(qn("w:tr"))[2:]


def test_table_columns_headers_and_rows(tmp_path):
    actors, steps = reference_15()
    path, info = build(tmp_path, "ref", actors, steps)
    doc = Document(str(path))
    tables = doc.element.body.findall(qn("w:tbl"))
    assert len(tables) == len(info.pages) == 2
    n = len(actors)
    for tbl, page_steps in zip(tables, info.pages, strict=True):
        widths = [int(c.get(qn("w:w"))) for c in tbl.iter(qn("w:gridCol"))]
        assert len(widths) == 6 + n
        assert widths == info.column_widths_twips
        rows = tbl.findall(qn("w:tr"))
        head1 = [cell_text(tc) for tc in rows[0].findall(qn("w:tc"))]
        head2 = [cell_text(tc) for tc in rows[1].findall(qn("w:tc"))]
        assert head1 == ["No", "Aktivitas", "Pelaksana", "Mutu Baku", "Keterangan"]
        assert head2 == ["", "", *actors, "Kelengkapan", "Waktu", "Output", ""]
        spans = [tc.find(qn("w:tcPr")).find(qn("w:gridSpan")) for tc in rows[0].findall(qn("w:tc"))]
        assert [int(s.get(qn("w:val"))) if s is not None else 1 for s in spans] == [1, 1, n, 3, 1]
        for r in rows[:2]:
            assert r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
            shd = r.find(qn("w:tc")).find(qn("w:tcPr")).find(qn("w:shd"))
            assert shd.get(qn("w:fill")) == "D9D9D9"
        for r in rows:
            trpr = r.find(qn("w:trPr"))
            assert trpr.find(qn("w:cantSplit")) is not None
            assert trpr.find(qn("w:trHeight")).get(qn("w:hRule")) == "exact"
        numbers = [cell_text(r.findall(qn("w:tc"))[0]) for r in body_rows(tbl)]
        assert [int(x) for x in numbers if x] == page_steps
    # the section is A4 landscape; Word compatibility mode 15
    sec = doc.sections[-1]
    assert round(sec.page_width.mm) == 297 and round(sec.page_height.mm) == 210
    modes = [c.get(qn("w:val")) for c in doc.settings.element.iter(qn("w:compatSetting"))
             if c.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]


def symbols_in_row(tr, n_actors: int) -> dict[int, list[str]]:
    """Actor column -> presets drawn in that cell."""
    out = {}
    for ci, tc in enumerate(tr.findall(qn("w:tc"))[2:2 + n_actors]):
        out[ci] = [g.get("prst") for g in tc.iter(q("a:prstGeom")) if g.get("prst") != "rect"]
    return out


@pytest.mark.parametrize("case", ["reference-15x5", "40x8", "edge-columns", "3x2"])
def test_each_step_symbol_in_its_pelaksana_column(tmp_path, case):
    actors, steps = CASES[case]
    path, info = build(tmp_path, case, actors, steps)
    doc = Document(str(path))
    preset = {"terminator": "flowChartTerminator", "process": "flowChartProcess",
              "decision": "flowChartDecision"}
    found = {}
    offpage = 0
    for tbl in doc.element.body.findall(qn("w:tbl")):
        for tr in body_rows(tbl):
            no = cell_text(tr.findall(qn("w:tc"))[0])
            cells = symbols_in_row(tr, len(actors))
            offpage += sum(p.count("flowChartOffpageConnector") for p in cells.values())
            if not no:
                continue
            flow = {ci: [p for p in ps if p in PRESETS] for ci, ps in cells.items()}
            placed = [(ci, p) for ci, ps in flow.items() for p in ps]
            assert len(placed) == 1, (no, placed)
            found[int(no)] = placed[0]
    assert found == {s.no: (s.pelaksana, preset[s.symbol]) for s in steps}
    assert offpage == 2 * len(info.offpage_letters)  # every letter at both ends
    assert steps[0].symbol == "terminator" and found[1][1] == "flowChartTerminator"


def test_connectors_drawn_as_pieces_with_one_arrowhead_each(tmp_path):
    actors, steps = CASES["40x8"]
    path, info = build(tmp_path, "conn", actors, steps)
    root = Document(str(path)).element.body
    lines = [sp for sp in root.iter(q("wps:spPr")) if sp.find(q("a:custGeom")) is not None]
    assert len(lines) == info.pieces > info.connectors
    heads = [sp for sp in lines if sp.find(q("a:ln")).find(q("a:tailEnd")) is not None]
    assert len(heads) == info.connectors
    # expected arrows: one per flow edge, plus one more for each off-page pair
    edges = sum(2 if s.symbol == "decision" else 1 for s in steps[:-1])
    assert info.connectors == edges + len(info.offpage_letters)
    # off-page letters are written in the pentagons
    texts = [cell_text(w) for w in root.iter(q("wps:wsp"))
             if any(g.get("prst") == "flowChartOffpageConnector" for g in w.iter(q("a:prstGeom")))]
    assert Counter(texts) == Counter({ch: 2 for ch in info.offpage_letters})
    # exit labels are data: every decision's two labels appear
    labels = [cell_text(w) for w in root.iter(q("wps:wsp")) if w.find(q("wps:cNvSpPr")).get("txBox")]
    assert labels.count("Ya") >= 1 and labels.count("Tidak") == sum(
        1 for s in steps if s.symbol == "decision")


def test_groups_are_cell_sized_and_ids_unique(tmp_path):
    actors, steps = CASES["reference-15x5"]
    path, info = build(tmp_path, "ids", actors, steps, preamble=True)
    doc = Document(str(path))
    body = doc.element.body
    ids = [e.get("id") for e in body.iter(q("wp:docPr"), q("wps:cNvPr"))]
    assert len(ids) == len(set(ids)) > info.groups
    for tbl in body.findall(qn("w:tbl")):
        widths = [int(c.get(qn("w:w"))) for c in tbl.iter(qn("w:gridCol"))]
        for tr in tbl.findall(qn("w:tr")):
            height = int(tr.find(qn("w:trPr")).find(qn("w:trHeight")).get(qn("w:val")))
            for ci, tc in enumerate(tr.findall(qn("w:tc"))):
                for ext in tc.iter(q("wp:extent")):
                    assert int(ext.get("cx")) == widths[ci] * 635
                    assert int(ext.get("cy")) == height * 635


def test_labels_are_data(tmp_path):
    actors, steps = reference_15()
    path, _ = build(tmp_path, "labels", actors, steps)
    body = Document(str(path)).element.body
    labels = {cell_text(w).replace("\n", " ") for w in body.iter(q("wps:wsp"))
              if w.find(q("wps:cNvSpPr")).get("txBox")}
    assert {"Ya", "Tidak", "Lengkap"} <= labels
    assert any(lab.startswith("Tidak") and "lengkap" in lab for lab in labels) or "Tidaklengkap" in labels


@pytest.mark.parametrize("case", ["40x2-long", "40x8", "reference-15x5"])
def test_row_heights_never_below_the_text(tmp_path, case):
    """Measured here, independently, from the cell widths written in the file."""
    actors, steps = CASES[case]
    path, info = build(tmp_path, case, actors, steps)
    doc = Document(str(path))
    margin = None
    checked = 0
    for tbl in doc.element.body.findall(qn("w:tbl")):
        mar = tbl.find(qn("w:tblPr")).find(qn("w:tblCellMar"))
        margin = int(mar.find(qn("w:left")).get(qn("w:w"))) + int(mar.find(qn("w:right")).get(qn("w:w")))
        rows = tbl.findall(qn("w:tr"))
        for tr in rows:
            height_pt = int(tr.find(qn("w:trPr")).find(qn("w:trHeight")).get(qn("w:val"))) / 20
            for tc in tr.findall(qn("w:tc")):
                text = "\n".join(cell_text(p) for p in tc.findall(qn("w:p")))
                if not text.strip() or tc.find(qn("w:tcPr")).find(qn("w:vMerge")) is not None:
                    continue
                width = int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w")))
                sizes = {int(s.get(qn("w:val"))) / 2 for s in tc.iter(qn("w:sz"))}
                bold = any(True for _ in tc.iter(qn("w:b")))
                need = metrics.text_height_pt(text, (width - margin) / 20, max(sizes), bold)
                assert height_pt >= need, (text, height_pt, need)
                checked += 1
    assert checked > 5 * len(steps)


def page_texts(pdf: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


TRICKY = [
    "MEMVERIFIKASI DOKUMEN PERTANGGUNGJAWABAN (SPJ) BELANJA LANGSUNG WAJIB WAKTU",
    "Mengunggah berkas ke https://jdih.kedirikab.go.id/peraturan/2024/nomor-12-tahun-2024.pdf",
    "Memeriksa: a) kelengkapan; b) keabsahan; c) kesesuaian nominal Rp1.250.000,00 - Rp9.999.999,99",
    "Menandatangani",
    "WWWWWWWW MMMMMMMM WWWWWWWW MMMMMMMM WWWWWWWW",
    "Mengarsipkan\nsurat keluar\ndan tembusan",
]


def tricky() -> tuple[list[str], list[FlowStep]]:
    steps = [FlowStep(i, t, i % 3, "terminator" if i in (1, len(TRICKY)) else "process",
                      kelengkapan=t if i % 2 else "", output="WWWW MMMM WWWW")
             for i, t in enumerate(TRICKY, start=1)]
    return ["Kepala Sub Bagian Umum dan Kepegawaian", "Pengadministrasi", "Bendahara"], steps


@pytest.mark.slow
def test_pdf_pages_and_every_aktivitas_present(tmp_path, soffice):
    built = {
        "3x2": build(tmp_path, "s3", *generated(3, 2, [])),
        "15x5": build(tmp_path, "s15", *reference_15()),
        "40x8": build(tmp_path, "s40", *CASES["40x8"]),
        "40x2-long": build(tmp_path, "s40long", *CASES["40x2-long"]),
        "f4-15x6": build(tmp_path, "f4", *generated(15, 6, [(7, 3), (11, 13)], long_every=3),
                         page=PageSpec(width_mm=330, height_mm=215)),
        "tricky": build(tmp_path, "tricky", *tricky()),
    }
    pdfs = convert([path for path, _ in built.values()], tmp_path / "pdf")
    actors_of = {"3x2": ACTORS[:2], "15x5": ACTORS[:5], "40x8": ACTORS, "40x2-long": ACTORS[:2],
                 "f4-15x6": ACTORS[:6], "tricky": tricky()[0]}
    steps_of = {"3x2": generated(3, 2, [])[1], "15x5": reference_15()[1], "40x8": CASES["40x8"][1],
                "40x2-long": CASES["40x2-long"][1],
                "f4-15x6": generated(15, 6, [(7, 3), (11, 13)], long_every=3)[1],
                "tricky": tricky()[1]}
    for (name, (_, info)), pdf in zip(built.items(), pdfs, strict=True):
        texts = page_texts(pdf)
        # LibreOffice broke the pages exactly where the plan did
        assert len(texts) == len(info.pages), name
        for page_steps, text in zip(info.pages, texts, strict=True):
            flat = squash(text)
            # every text complete on its page: LibreOffice leaves the lines that an exact
            # row height clips out of the PDF, so a missing line shows as a missing text
            expected: Counter[str] = Counter()
            for no in page_steps:
                s = steps_of[name][no - 1]
                fields = (s.aktivitas, s.kelengkapan, s.waktu, s.output, s.keterangan)
                expected.update(squash(f) for f in fields if f.strip())
            for field, count in expected.items():
                assert flat.count(field) >= count, (name, field)
            # both header rows on every page, actor names whole
            assert "Pelaksana" in text and "MutuBaku" in flat
            for actor in actors_of[name]:
                assert squash(actor) in flat, (name, actor)
        if len(info.pages) > 1:
            assert len(info.offpage_letters) >= 1
    assert len(page_texts(pdfs[0])) == 1 and len(page_texts(pdfs[1])) == 2


@pytest.mark.slow
def test_pdf_page_size_and_identity_sheet_before(tmp_path, soffice):
    actors, steps = reference_15()
    path, info = build(tmp_path, "with-sheet", actors, steps, preamble=True)
    (pdf,) = convert([path], tmp_path)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1 + len(info.pages)
    assert "Lembar identitas" in (reader.pages[0].extract_text() or "")
    box = reader.pages[1].mediabox
    assert round(float(box.width) * 25.4 / 72) == 297 and round(float(box.height) * 25.4 / 72) == 210
    assert ACTORS[0] in (reader.pages[1].extract_text() or "")
