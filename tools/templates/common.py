"""Shared pieces for building the shipped .docx templates with python-docx.

The templates in templates/ are committed; these builders only regenerate them
(`python tools/build_templates.py`). Offices restyle the copies in Word.
All Jinja tags are docxtpl tags: {{ x }}, {%p for %}, {%tr for %}.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
LOGO = ROOT / "docgen" / "data" / "logo-contoh.png"
FONT = "Arial"


def new_document(*, landscape: bool = False, font_size: float = 12) -> Document:
    """A4 document with Arial body text and margins per tata naskah dinas."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.top_margin = Cm(2)
    sec.bottom_margin = Cm(2)
    sec.left_margin = Cm(2.5)
    sec.right_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(font_size)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    # Indonesian proofing language, so Word does not flag every word.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    rpr.append(lang)
    return doc


def para(container, text: str = "", *, bold: bool = False, size: float | None = None,
         align: str | None = None, underline: bool = False, space_after: float = 0,
         italic: bool = False):
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        run.underline = underline
        if size:
            run.font.size = Pt(size)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    p.paragraph_format.space_after = Pt(space_after)
    return p


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def all_borders(table, size: int = 4) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def bottom_rule(paragraph, size: int = 18) -> None:
    """The thick line under the kop."""
    ppr = paragraph._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thickThinSmallGap")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    pbdr.append(bottom)
    ppr.append(pbdr)


def set_col_widths(table, widths_cm: list[float]) -> None:
    """Fix column widths in tblGrid, tblW and every cell (LibreOffice reads the grid,
    Word the cells)."""
    table.autofit = False
    tbl = table._tbl
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        gc.set(qn("w:w"), str(int(Cm(w).twips)))
    tbl_pr = tbl.tblPr
    tblw = tbl_pr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tbl_pr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(w)


def kop(doc, text_width_cm: float = 16.5) -> None:
    """Kop surat: logo placeholder (named "logo", swapped for the workspace's logo at
    render time) and the office identity lines from docgen.toml, then a rule line."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(t)
    set_col_widths(t, [2.6, text_width_cm - 2.6])
    logo_cell, text_cell = t.rows[0].cells
    lp = logo_cell.paragraphs[0]
    lp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lp.add_run().add_picture(str(LOGO), height=Cm(2.6))
    # name the picture "logo" so docgen.render can find and replace it
    for cnv in lp._p.iter(qn("pic:cNvPr")):
        cnv.set("descr", "logo")
        cnv.set("name", "logo")
    for dp in lp._p.iter(qn("wp:docPr")):
        dp.set("descr", "logo")
    p = text_cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("{{ kop.pemerintah }}")
    r.bold = True
    r.font.size = Pt(14)
    para(text_cell, "{%p for baris in kop.instansi %}", align="center")
    para(text_cell, "{{ baris }}", bold=True, size=16, align="center")
    para(text_cell, "{%p endfor %}", align="center")
    para(text_cell, "{{ kop.alamat_lengkap }}", size=10, align="center")
    # an office without telephone, website and e-mail gets no empty line
    para(text_cell, "{%p if kop.kontak %}", align="center")
    para(text_cell, "{{ kop.kontak }}", size=10, align="center")
    para(text_cell, "{%p endif %}", align="center")
    rule = para(doc, "", size=4)
    bottom_rule(rule)
    para(doc, "", size=6)


def signature_block(container, who: str, *, align_right: bool = True, place_date: str | None = None,
                    width_cm: float = 8.0) -> None:
    """Signature block for a pejabat-like context variable ``who``:
    [atas_nama], jabatan, space for signature/TTE, name (bold, underlined), pangkat, NIP."""
    t = container.add_table(rows=1, cols=2)
    no_borders(t)
    set_col_widths(t, [16.5 - width_cm, width_cm] if align_right else [width_cm, 16.5 - width_cm])
    cell = t.rows[0].cells[1 if align_right else 0]
    first = cell.paragraphs[0]
    if place_date:
        first.add_run(place_date)
        para(cell, "{%p if " + who + ".atas_nama %}")
    else:
        first.add_run("{%p if " + who + ".atas_nama %}")
    para(cell, "{{ " + who + ".atas_nama }}")
    para(cell, "{%p endif %}")
    para(cell, "{{ " + who + ".jabatan }},")
    for _ in range(3):
        para(cell, "")
    para(cell, "{{ " + who + ".nama }}", bold=True, underline=True)
    pangkat_nip(cell, who)


def pangkat_nip(cell, who: str, *, space_after: float = 0) -> None:
    """Pangkat and "NIP. ..." under a signer's name, each only when docgen.toml has it
    (a regional head or a non-civil-servant signs without them, never with "NIP." alone)."""
    para(cell, "{%p if " + who + ".pangkat %}")
    para(cell, "{{ " + who + ".pangkat }}")
    para(cell, "{%p endif %}")
    para(cell, "{%p if " + who + ".nip %}")
    para(cell, "NIP. {{ " + who + ".nip }}", space_after=space_after)
    para(cell, "{%p endif %}")


def save(doc, name: str) -> Path:
    """Save with every property element in schema order and without stylesWithEffects.xml
    (Word 2010's copy of styles.xml: python-docx's default one is out of step with the
    styles we edit, which Word reports as damage; Word 2013+ does not need it)."""
    from docgen.oxml.order import normalise

    for part in doc.part.package.iter_parts():
        if str(part.partname).endswith(".xml") and hasattr(part, "_element"):
            normalise(part._element)
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[r_id]
    out = TEMPLATES / name
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def slim(path: Path) -> Path:
    """Drop what python-docx's default template carries but no letter uses: about 160
    unused styles (350 KB), stylesWithEffects.xml (440 KB) and the thumbnail. Every
    rendered document re-zips these parts, so a slim template renders several times faster.
    Styles in use (referenced by any part, defaults, and their basedOn/link/next) stay."""
    import re
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    for name in ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"):
        entries.pop(name, None)
    for rels in ("_rels/.rels", "word/_rels/document.xml.rels"):
        entries[rels] = re.sub(rb'<Relationship [^>]*Target="[^"]*(stylesWithEffects\.xml|thumbnail\.jpeg)"/>',
                               b"", entries[rels])
    entries["[Content_Types].xml"] = re.sub(
        rb'<Override PartName="/word/stylesWithEffects\.xml"[^>]*/>', b"", entries["[Content_Types].xml"])
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    used = set()
    for name, data in entries.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            used |= {m.decode() for m in re.findall(rb'w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"', data)}
    root = etree.fromstring(entries["word/styles.xml"])
    styles = {s.get(f"{{{w}}}styleId"): s for s in root.findall(f"{{{w}}}style")}
    keep = {sid for sid, s in styles.items() if s.get(f"{{{w}}}default") == "1"} | (used & set(styles))
    todo = list(keep)
    while todo:  # keep what the kept styles refer to
        s = styles[todo.pop()]
        for tag in ("basedOn", "link", "next"):
            el = s.find(f"{{{w}}}{tag}")
            ref = el.get(f"{{{w}}}val") if el is not None else None
            if ref in styles and ref not in keep:
                keep.add(ref)
                todo.append(ref)
    for sid, s in styles.items():
        if sid not in keep:
            root.remove(s)
    latent = root.find(f"{{{w}}}latentStyles")
    if latent is not None:
        root.remove(latent)
    entries["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path
