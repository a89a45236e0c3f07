"""Template of the SOP identity sheet (templates/sop.docx), Permenpan RB 35/2012.

Left: lambang daerah and the office name (pemerintah, instansi, unit), spanning the
rows; right: Nomor SOP, the three dates, Disahkan oleh, Nama SOP. Below: the three
pairs Dasar Hukum | Kualifikasi Pelaksana, Keterkaitan | Peralatan/Perlengkapan,
Peringatan | Pencatatan dan Pendataan as numbered lists. The flowchart is appended by
docgen (docgen/kinds/sop/document.py) after rendering.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .common import LOGO, all_borders, new_document, para, save, set_col_widths

WIDTH = 26.7  # A4 landscape minus 1.5 cm margins; F4 is widened at render time
LIST_INDENT = 0.6
LIST_PT = 9  # the lists are long (seed 000: five regulations); the sheet must fit one page


def _cant_split(row) -> None:
    """Keep a row on one page (a heading row also keeps with its list, see keepNext)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _shade(cell, fill: str = "D9D9D9") -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _numbered_list(cell, var: str) -> None:
    """docxtpl paragraphs: "1.<tab>item" with a hanging indent, "-" when empty."""
    cell.paragraphs[0].add_run("{%p if " + var + " %}")
    para(cell, "{%p for butir in " + var + " %}")
    p = para(cell, "{{ loop.index }}.\t{{ butir }}", size=LIST_PT)
    pf = p.paragraph_format
    pf.left_indent = Cm(LIST_INDENT)
    pf.first_line_indent = Cm(-LIST_INDENT)
    pf.tab_stops.add_tab_stop(Cm(LIST_INDENT))
    pf.space_after = Pt(1)
    para(cell, "{%p endfor %}")
    para(cell, "{%p else %}")
    para(cell, "-", size=LIST_PT)
    para(cell, "{%p endif %}")


def _left_cell(cell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lp = cell.paragraphs[0]
    lp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lp.add_run().add_picture(str(LOGO), height=Cm(2.2))
    # named "logo" so docgen.render swaps it for the workspace's lambang daerah
    for cnv in lp._p.iter(qn("pic:cNvPr")):
        cnv.set("descr", "logo")
        cnv.set("name", "logo")
    for dp in lp._p.iter(qn("wp:docPr")):
        dp.set("descr", "logo")
    lp.paragraph_format.space_after = Pt(6)
    para(cell, "{%p if sop_kop.pemerintah %}", align="center")
    para(cell, "{{ sop_kop.pemerintah }}", bold=True, size=12, align="center")
    para(cell, "{%p endif %}", align="center")
    para(cell, "{%p for baris in sop_kop.instansi %}", align="center")
    para(cell, "{{ baris }}", bold=True, size=12, align="center")
    para(cell, "{%p endfor %}", align="center")
    para(cell, "{%p if sop_kop.alamat %}", align="center")
    para(cell, "{{ sop_kop.alamat }}", size=9, align="center")
    para(cell, "{%p endif %}", align="center")
    para(cell, "{%p if unit %}", align="center")
    para(cell, "{{ unit }}", bold=True, size=11, align="center").paragraph_format.space_before = Pt(8)
    para(cell, "{%p endif %}", align="center")


def build() -> Path:
    doc = new_document(landscape=True, font_size=10)
    sec = doc.sections[0]
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(sec, side, Cm(1.5))

    # the cover heading above the identity table, per office ([sop] judul); none by default
    first = doc.paragraphs[0] if doc.paragraphs else para(doc)
    first.add_run("{%p for baris in judul_sampul %}")
    para(doc, "{{ baris }}", bold=True, size=12, align="center")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if judul_sampul %}")
    para(doc, "", size=6)
    para(doc, "{%p endif %}")
    labels = ["Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "{{ label_tanggal_efektif }}", "Disahkan oleh",
              "Nama SOP"]
    values = ["{{ nomor }}", "{{ tanggal_pembuatan }}", "{{ tanggal_revisi }}", "{{ tanggal_efektif }}", None,
              "{{ nama }}"]
    t = doc.add_table(rows=len(labels), cols=3)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    all_borders(t, size=8)
    set_col_widths(t, [11.2, 4.3, WIDTH - 15.5])
    left = t.cell(0, 0).merge(t.cell(len(labels) - 1, 0))
    _left_cell(left)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        lab, val = t.cell(i, 1), t.cell(i, 2)
        lab.vertical_alignment = val.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lab.paragraphs[0].add_run(label).bold = True
        if value is None:  # Disahkan oleh: jabatan, space for the signature, name, pangkat, NIP
            p = val.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run("{{ pengesah.jabatan }}").bold = True
            for _ in range(2):
                para(val, "", align="center")
            para(val, "{{ pengesah.nama }}", bold=True, underline=True, align="center")
            para(val, "{%p if pengesah.pangkat %}", align="center")
            para(val, "{{ pengesah.pangkat }}", align="center")
            para(val, "{%p endif %}", align="center")
            para(val, "{%p if pengesah.nip %}", align="center")
            para(val, "NIP. {{ pengesah.nip }}", align="center")
            para(val, "{%p endif %}", align="center")
        else:
            r = val.paragraphs[0].add_run(value)
            r.bold = label == "Nama SOP"
        for c in (lab, val):
            c.paragraphs[0].paragraph_format.space_before = Pt(3)
            c.paragraphs[-1].paragraph_format.space_after = Pt(3)

    para(doc, "", size=6)

    pairs = [
        ("Dasar Hukum", "dasar_hukum", "Kualifikasi Pelaksana", "kualifikasi_pelaksana"),
        ("Keterkaitan", "keterkaitan", "Peralatan/Perlengkapan", "peralatan_perlengkapan"),
        ("Peringatan", "peringatan", "Pencatatan dan Pendataan", "pencatatan_pendataan"),
    ]
    lists = doc.add_table(rows=len(pairs) * 2, cols=2)
    lists.alignment = WD_TABLE_ALIGNMENT.CENTER
    all_borders(lists, size=8)
    set_col_widths(lists, [WIDTH / 2, WIDTH / 2])
    for i, (h1, v1, h2, v2) in enumerate(pairs):
        for col, (head, var) in enumerate(((h1, v1), (h2, v2))):
            hc = lists.cell(2 * i, col)
            _shade(hc)
            hp = hc.paragraphs[0]
            hp.add_run(head).bold = True
            hp.paragraph_format.space_before = Pt(2)
            hp.paragraph_format.space_after = Pt(2)
            hp.paragraph_format.keep_with_next = True
            _numbered_list(lists.cell(2 * i + 1, col), var)
        _cant_split(lists.rows[2 * i])
    return save(doc, "sop.docx")
