"""The SOP swimlane flowchart table (Permenpan RB 35/2012) appended to a python-docx Document.

Layout, routing and pagination are pure (geometry.py, metrics.py); this module only writes
OOXML: a new landscape section, an optional title, then one table per page. Each actor cell
that has something to draw holds one inline DrawingML group exactly the cell's size, so the
shapes stay editable in Word and a page break can never separate an arrow from its cell.
The XML is built as text and parsed once per table: python-docx's per-cell API is far slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Mm

from ...oxml import drawing, table
from ...oxml.ns import DECLS, esc, parse, q
from ...oxml.settings import set_compat_mode
from .geometry import (
    EMU_PER_TWIP,
    PRESET,
    STYLE,
    TWIP_PER_MM,
    FlowStep,
    FlowStyle,
    PageLayout,
    PageSpec,
    Plan,
    Rect,
    plan,
)

__all__ = ["FlowStep", "PageSpec", "FlowStyle", "STYLE", "FlowchartInfo", "SymbolInfo", "add_flowchart"]


@dataclass
class SymbolInfo:
    step: int
    page: int                      # 0-based page of the flowchart
    column: int                    # actor index
    preset: str
    rect: Rect                     # page coordinates, EMU (x from the first actor column)


@dataclass
class FlowchartInfo:
    pages: list[list[int]]                    # step numbers per page
    row_heights_pt: dict[int, int]            # step -> exact row height
    needed_pt: dict[int, int]                 # step -> estimated text height
    header_heights_pt: tuple[int, int]
    column_widths_twips: list[int]
    symbols: dict[int, SymbolInfo]
    connectors: int                           # routed arrows (logical connectors)
    pieces: int                               # line shapes written (connectors cut per cell)
    offpage_letters: list[str]
    groups: int                               # inline drawings written
    plan: Plan = field(repr=False)


def _next_id(doc: Document) -> int:
    """First free drawing id: docPr/cNvPr ids must be unique in the whole package."""
    best = 0
    for part in doc.part.package.iter_parts():
        el = getattr(part, "_element", None)
        if el is None:
            continue
        for node in el.iter(q("wp:docPr"), q("wps:cNvPr"), q("wpg:cNvPr")):
            v = node.get("id", "")
            if v.isdigit():
                best = max(best, int(v))
    return best + 1


def _body_is_empty(doc: Document) -> bool:
    body = doc.element.body
    for child in body:
        if child.tag == q("w:tbl"):
            return False
        if child.tag == q("w:p") and (child.xpath("string(.)").strip() or child.xpath(".//w:drawing")):
            return False
    return True


def _new_section(doc: Document, page: PageSpec) -> None:
    """Start a landscape section sized per `page` (reuse the first one in an empty document)."""
    sec = doc.sections[-1] if _body_is_empty(doc) else doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE if page.width_mm > page.height_mm else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(page.width_mm), Mm(page.height_mm)
    sec.top_margin, sec.bottom_margin = Mm(page.margin_top_mm), Mm(page.margin_bottom_mm)
    sec.left_margin, sec.right_margin = Mm(page.margin_left_mm), Mm(page.margin_right_mm)


class _Writer:
    def __init__(self, doc: Document, actors: list[str], steps: list[FlowStep], page: PageSpec,
                 p: Plan, style: FlowStyle):
        self.actors, self.page, self.plan, self.style = actors, page, p, style
        self.steps = {s.no: s for s in steps}
        self.font, self.size = page.font_name, page.font_size_pt
        self.rpr = table.run_props(self.font, self.size)
        self.rpr_b = table.run_props(self.font, p.header_size_pt, bold=True)
        self.rpr_tiny = table.run_props(self.font, 1)
        self.sid = _next_id(doc)
        self.groups = 0
        self.pieces = 0
        self.widths = p.columns.all

    def _id(self) -> int:
        self.sid += 1
        return self.sid - 1

    def _text_cell(self, ci: int, text: str, align: str = "left", **kw) -> str:
        content = table.paragraph(text, self.rpr, align) if text else "<w:p/>"
        return table.cell(self.widths[ci], content, **kw)

    def _head_cell(self, ci: int, text: str, **kw) -> str:
        width = sum(self.widths[ci:ci + kw.get("span", 1)])
        return table.cell(width, table.paragraph(text, self.rpr_b, "center"),
                          shading=self.style.header_shading, **kw)

    def header_rows(self) -> list[str]:
        n = len(self.actors)
        h1, h2 = self.plan.header_heights_pt
        group = self.style.group_header
        if group:  # "Uraian Prosedur" over No and Aktivitas, which move to the second row
            r1 = [self._head_cell(0, group, span=2)]
        else:
            r1 = [self._head_cell(0, "No", vmerge="restart"),
                  self._head_cell(1, "Aktivitas", vmerge="restart")]
        r1 += [self._head_cell(2, "Pelaksana", span=n),
              self._head_cell(2 + n, "Mutu Baku", span=3),
              self._head_cell(5 + n, "Keterangan", vmerge="restart")]
        if group:
            r2 = [self._head_cell(0, "No"), self._head_cell(1, "Aktivitas")]
        else:
            r2 = [self._head_cell(0, "", vmerge="continue"), self._head_cell(1, "", vmerge="continue")]
        r2 += [self._head_cell(2 + i, a) for i, a in enumerate(self.actors)]
        r2 += [self._head_cell(2 + n + i, t) for i, t in enumerate(("Kelengkapan", "Waktu", "Output"))]
        r2.append(self._head_cell(5 + n, "", vmerge="continue"))
        rows = [table.row(r1, h1 * 20, header=True), table.row(r2, h2 * 20, header=True)]
        if self.plan.number_row_pt:
            r3 = [self._head_cell(ci, str(ci + 1)) for ci in range(len(self.widths))]
            rows.append(table.row(r3, self.plan.number_row_pt * 20, header=True))
        return rows

    def actor_cell(self, lay: PageLayout, ri: int, ci: int) -> str:
        width = self.widths[2 + ci]
        c = lay.cells.get((ri, ci))
        if not c:
            return table.cell(width, "<w:p/>", valign="top")  # the exact row height holds
        w = width * EMU_PER_TWIP
        h = lay.rows[ri].height
        lw = self.style.line_emu
        kids = [drawing.invisible_rect(self._id(), w, h)]
        vml = []  # the same drawing in VML, for readers without Word 2010 groups
        for pc in c.pieces:
            kids.append(drawing.polyline(self._id(), pc.points, lw, pc.arrow))
            vml.append(drawing.vml_polyline(pc.points, lw, pc.arrow))
        self.pieces += len(c.pieces)
        for sh in c.shapes:
            r = sh.rect
            kids.append(drawing.preset_shape(self._id(), PRESET[sh.kind], r.x, r.y, r.w, r.h, lw,
                                             text=sh.text, size_pt=self.size - 1, font=self.font))
            vml.append(drawing.vml_shape(PRESET[sh.kind], r.x, r.y, r.w, r.h, lw, text=sh.text,
                                         size_pt=self.size - 1, font=self.font))
        for lab in c.labels:
            r = lab.rect
            size = lab.size_pt or self.style.label_size_pt
            kids.append(drawing.label(self._id(), lab.text, r.x, r.y, r.w, r.h, size_pt=size, font=self.font))
            vml.append(drawing.vml_label(lab.text, r.x, r.y, r.w, r.h, size_pt=size, font=self.font))
        self.groups += 1
        run = drawing.with_fallback(drawing.inline_group(self._id(), w, h, kids), w, h, vml)
        return table.cell(width, table.paragraph("", self.rpr_tiny, inner=run), zero_margins=True,
                          valign="top")

    def page_table(self, lay: PageLayout) -> str:
        rows = self.header_rows()
        n = len(self.actors)
        for ri, r in enumerate(lay.rows):
            h_tw = r.height // EMU_PER_TWIP
            actor_cells = [self.actor_cell(lay, ri, ci) for ci in range(n)]
            if r.kind == "step":
                s = self.steps[r.step]
                cells = [self._text_cell(0, str(s.no), "center"), self._text_cell(1, s.aktivitas),
                         *actor_cells, self._text_cell(2 + n, s.kelengkapan),
                         self._text_cell(3 + n, s.waktu, "center"), self._text_cell(4 + n, s.output),
                         self._text_cell(5 + n, s.keterangan)]
            else:
                empty = [table.cell(self.widths[ci], "<w:p/>") for ci in (0, 1, 2 + n, 3 + n, 4 + n, 5 + n)]
                cells = [*empty[:2], *actor_cells, *empty[2:]]
            rows.append(table.row(cells, h_tw))
        return table.table(self.widths, rows, DECLS,
                           margin_twips=round(self.style.text_margin_mm * TWIP_PER_MM))


def add_flowchart(doc: Document, actors: list[str], steps: list[FlowStep], page: PageSpec, *,
                  title: str | None = None, style: FlowStyle = STYLE) -> FlowchartInfo:
    """Append the flowchart (new landscape section, optional title, one table per page)."""
    p = plan(actors, steps, page, title=title, style=style)
    _new_section(doc, page)
    set_compat_mode(doc, 15)
    body = doc.element.body
    sect = body[-1] if body[-1].tag == q("w:sectPr") else None
    w = _Writer(doc, actors, steps, page, p, style)

    def put(el) -> None:
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)

    if title:
        put(parse(
            f'<w:p {DECLS}><w:pPr><w:keepNext/><w:spacing w:before="0" '
            f'w:after="{round(style.title_after_pt * 20)}" w:line="240" w:lineRule="auto"/>'
            '<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>'
            f'<w:r>{table.run_props(page.font_name, style.title_size_pt, bold=True)}'
            f'<w:t xml:space="preserve">{esc(title)}</w:t></w:r></w:p>'
        ))
    for i, lay in enumerate(p.pages):
        if i:
            # a 1-pt paragraph carrying the page break: adjacent tables would merge otherwise
            put(parse(f'<w:p {DECLS}><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
                      f'w:lineRule="exact"/>{w.rpr_tiny}</w:pPr><w:r>{w.rpr_tiny}<w:br w:type="page"/>'
                      "</w:r></w:p>"))
        put(parse(w.page_table(lay)))

    symbols: dict[int, SymbolInfo] = {}
    connectors = 0
    for pi, lay in enumerate(p.pages):
        connectors += len(lay.routes)
        for sh in lay.shapes:
            if sh.step is not None:
                symbols[sh.step] = SymbolInfo(sh.step, pi, w.steps[sh.step].pelaksana,
                                              PRESET[sh.kind], sh.rect)
    return FlowchartInfo(
        pages=[lay.steps for lay in p.pages], row_heights_pt=p.row_pt, needed_pt=p.needed_pt,
        header_heights_pt=p.header_heights_pt, column_widths_twips=p.columns.all, symbols=symbols,
        connectors=connectors, pieces=w.pieces, offpage_letters=p.letters, groups=w.groups, plan=p,
    )

