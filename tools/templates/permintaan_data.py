"""Template of the format permintaan data kinerja (templates/permintaan-data.docx).

Landscape A4. The indicator table's header is fixed by docs/CONTRACTS.md
("Permintaan-data forms"): readers find it by "Indikator Kinerja" and "Realisasi",
so keep the header texts when restyling. The "ID Formulir:" line is the visible identity.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .common import (
    all_borders,
    kop,
    new_document,
    no_borders,
    pangkat_nip,
    para,
    save,
    set_col_widths,
    slim,
)

TEXT_WIDTH = 25.2
HEADER = ["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Keterangan/Kendala"]
WIDTHS = [1.0, 6.0, 8.0, 1.8, 1.8, 2.4, 4.2]


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def build() -> Path:
    doc = new_document(landscape=True, font_size=10)
    kop(doc, text_width_cm=TEXT_WIDTH)
    para(doc, "FORMAT PERMINTAAN DATA KINERJA", bold=True, size=13, align="center")
    para(doc, "{{ periode_label|upper }}", bold=True, align="center", space_after=8)

    # Identity (left) and instructions (right) side by side, so one page holds the form.
    top = doc.add_table(rows=1, cols=2)
    no_borders(top)
    set_col_widths(top, [10.2, TEXT_WIDTH - 10.2])
    left, right = top.rows[0].cells
    first = True
    for label, value in [
        ("Unit Kerja", "{{ bidang_nama }}"),
        ("Periode", "{{ periode_label }}"),
        ("Batas Pengembalian", "{{ tenggat }}"),
        ("Dikirim oleh", "{{ peminta.jabatan }}"),
    ]:
        p = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        p.paragraph_format.left_indent = Cm(4.0)
        p.paragraph_format.first_line_indent = Cm(-4.0)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(3.7))
        p.paragraph_format.tab_stops.add_tab_stop(Cm(4.0))
        p.add_run(f"{label}\t:\t{value}").font.size = Pt(10)
    p = para(left, "ID Formulir: {{ dokumen.id }}", size=9)
    p.paragraph_format.space_before = Pt(4)

    right.paragraphs[0].add_run("Petunjuk pengisian:").bold = True
    para(right, "{%p for t in petunjuk %}")
    q = para(right, "{{ loop.index }}.\t{{ t }}", size=9)
    q.paragraph_format.left_indent = Cm(0.5)
    q.paragraph_format.first_line_indent = Cm(-0.5)
    q.paragraph_format.tab_stops.add_tab_stop(Cm(0.5))
    para(right, "{%p endfor %}")
    para(doc, "", size=6)

    table = doc.add_table(rows=4, cols=len(HEADER))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    all_borders(table)
    set_col_widths(table, WIDTHS)
    _repeat_header(table.rows[0])
    for i, (c, text) in enumerate(zip(table.rows[0].cells, HEADER, strict=True)):
        p = c.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(10)
        # the two columns the Bidang fills in stand out
        _shade(c, "FFF2CC" if i >= 5 else "D9D9D9")
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in rows %}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    cells = table.rows[2].cells
    for i, (c, text) in enumerate(zip(cells, [
        "{{ r.no }}", "{{ r.sasaran }}", "{{ r.indikator }}", "{{ r.satuan }}", "{{ r.target_tampil }}", "", "",
    ], strict=True)):
        p = c.paragraphs[0]
        if text:
            p.add_run(text).font.size = Pt(10)
        if i in (0, 3, 4, 5):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "", size=8)

    # The head of the Bidang signs the filled form; the block never splits over pages.
    sig = doc.add_table(rows=1, cols=2)
    no_borders(sig)
    tr_pr = sig.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    set_col_widths(sig, [TEXT_WIDTH - 9.0, 9.0])
    cell = sig.rows[0].cells[1]
    cell.paragraphs[0].add_run("{{ kop.kota }}, " + "." * 25)
    para(cell, "Yang melaporkan,")
    para(cell, "{{ kepala_bidang.jabatan }},")
    for _ in range(2):
        para(cell, "")
    para(cell, "{{ kepala_bidang.nama }}", bold=True, underline=True)
    pangkat_nip(cell, "kepala_bidang")
    for p in cell.paragraphs:  # 10 pt, so the block fits under a short table on page one
        for run in p.runs:
            run.font.size = Pt(10)
    return slim(save(doc, "permintaan-data.docx"))
