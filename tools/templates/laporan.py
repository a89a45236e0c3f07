"""templates/laporan.docx: Laporan Capaian Kinerja (cover, BAB I-IV, signature, daftar lampiran).

Context (docgen.kinds.laporan): judul, periode_label, tahun, pendahuluan[], ringkasan,
bidang[{nama, rows[{no, sasaran, indikator, satuan, target, realisasi, capaian, keterangan}]}],
grafik (InlineImage), belum_masuk, analisis[], analisis_sasaran[{sasaran, paragraf[]}],
penutup[], tempat_tanggal, ttd (pejabat), lampiran[{no, judul}].
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .common import LOGO, all_borders, new_document, para, save, set_col_widths, signature_block

# Satuan wide enough for "kejadian", "kegiatan", "dokumen" on one line at 8.5 pt.
COLS = [("No", 0.8), ("Sasaran", 2.9), ("Indikator Kinerja", 3.7), ("Satuan", 1.9),
        ("Target", 1.5), ("Realisasi", 1.7), ("Capaian (%)", 1.8), ("Keterangan", 2.2)]


def _outline(p, level: int = 0) -> None:
    """Outline level, so Word's navigation pane lists the chapters."""
    ppr = p._p.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.append(el)


def _bab(doc, nomor: str, judul: str) -> None:
    p = para(doc, f"BAB {nomor}", bold=True, size=14, align="center")
    p.paragraph_format.page_break_before = True
    _outline(p)
    para(doc, judul, bold=True, size=14, align="center", space_after=18)


def _body(doc, text: str):
    """Justified body paragraph, first-line indent, 1.5 spacing (usual report style)."""
    p = para(doc, text, align="justify", space_after=6)
    p.paragraph_format.first_line_indent = Cm(1.25)
    p.paragraph_format.line_spacing = 1.5
    return p


def _loop(doc, var: str, items: str) -> None:
    para(doc, "{%p for " + var + " in " + items + " %}")
    _body(doc, "{{ " + var + " }}")
    para(doc, "{%p endfor %}")


def _cell(cell, text: str, *, bold: bool = False, align: str | None = None, size: float = 8.5) -> None:
    p = cell.paragraphs[0]
    r = p.add_run(text)
    r.bold = bold
    r.font.size = Pt(size)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    """Keep an indicator row on one page (an auditor reads a row as one line)."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _page_number_footer(doc) -> None:
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True  # no number on the cover
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), tag)
            run._r.append(fc)
        else:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            run._r.append(it)
    run.font.size = Pt(10)


def _cover(doc) -> None:
    for _ in range(3):
        para(doc, "")
    para(doc, "{{ judul }}", bold=True, size=20, align="center", space_after=6)
    para(doc, "{{ periode_judul }}", bold=True, size=16, align="center")
    for _ in range(4):
        para(doc, "")
    lp = para(doc, "", align="center")
    lp.add_run().add_picture(str(LOGO), height=Cm(5.5))
    for cnv in lp._p.iter(qn("pic:cNvPr")):  # docgen.render swaps this for the workspace logo
        cnv.set("descr", "logo")
        cnv.set("name", "logo")
    # The office and year sit low on the cover, as printed reports have them: one spacer
    # (not blank lines a clerk might delete one of) that still fits F4 and three instansi lines.
    para(doc, "").paragraph_format.space_before = Pt(230)
    para(doc, "{%p for baris in kop.instansi %}", align="center")
    para(doc, "{{ baris }}", bold=True, size=16, align="center")
    para(doc, "{%p endfor %}", align="center")
    para(doc, "{{ kop.pemerintah }}", bold=True, size=16, align="center")
    para(doc, "{{ tahun }}", bold=True, size=16, align="center")


def _rekap_table(doc) -> None:
    cap = para(doc, "Tabel 2.1 Capaian Kinerja {{ periode_label }}", bold=True, align="center",
               space_after=6, size=11)
    cap.paragraph_format.keep_with_next = True
    t = doc.add_table(rows=7, cols=len(COLS))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    all_borders(t)
    set_col_widths(t, [w for _, w in COLS])
    head = t.rows[0]
    _repeat_header(head)
    for cell, (name, _) in zip(head.cells, COLS, strict=True):
        _cell(cell, name, bold=True, align="center")
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), "D9D9D9")
        cell._tc.get_or_add_tcPr().append(shd)
    _cell(t.rows[1].cells[0], "{%tr for b in bidang %}")
    group = t.rows[2].cells[0].merge(t.rows[2].cells[-1])
    _cell(group, "{{ b.nama }}", bold=True)
    _cell(t.rows[3].cells[0], "{%tr for r in b.rows %}")
    _cant_split(t.rows[4])
    data = t.rows[4].cells
    for cell, (text, align) in zip(data, [
        ("{{ r.no }}", "center"), ("{{ r.sasaran }}", None), ("{{ r.indikator }}", None),
        ("{{ r.satuan }}", "center"), ("{{ r.target }}", "right"), ("{{ r.realisasi }}", "right"),
        ("{{ r.capaian }}", "right"), ("{{ r.keterangan }}", None),
    ], strict=True):
        _cell(cell, text, align=align)
    _cell(t.rows[5].cells[0], "{%tr endfor %}")
    _cell(t.rows[6].cells[0], "{%tr endfor %}")


def build() -> Path:
    doc = new_document()
    _page_number_footer(doc)
    _cover(doc)

    _bab(doc, "I", "PENDAHULUAN")
    para(doc, "A. Latar Belakang", bold=True, space_after=6)
    _loop(doc, "p", "pendahuluan")
    para(doc, "B. Ruang Lingkup", bold=True, space_after=6)
    _body(doc, "{{ ruang_lingkup }}")

    _bab(doc, "II", "CAPAIAN KINERJA")
    _body(doc, "{{ pengantar_capaian }}")
    _rekap_table(doc)
    para(doc, "", space_after=6)
    para(doc, "{%p if belum_masuk %}")
    _body(doc, "{{ belum_masuk }}")
    para(doc, "{%p endif %}")
    _body(doc, "{{ ringkasan }}")
    g = para(doc, "{{ grafik }}", align="center")
    g.paragraph_format.keep_with_next = True
    para(doc, "Gambar 2.1 Capaian Kinerja per Indikator {{ periode_label }}", bold=True, size=11,
         align="center", space_after=6)

    _bab(doc, "III", "ANALISIS")
    _loop(doc, "p", "analisis")
    para(doc, "{%p for s in analisis_sasaran %}")
    para(doc, "{{ s.huruf }}. Sasaran: {{ s.sasaran }}", bold=True, space_after=6)
    _loop(doc, "q", "s.paragraf")
    para(doc, "{%p endfor %}")

    _bab(doc, "IV", "PENUTUP")
    _loop(doc, "p", "penutup")
    para(doc, "", space_after=12)
    signature_block(doc, "ttd", place_date="{{ tempat_tanggal }}")

    para(doc, "{%p if lampiran %}")
    lp = para(doc, "DAFTAR LAMPIRAN", bold=True, size=14, align="center", space_after=12)
    lp.paragraph_format.page_break_before = True
    _outline(lp)
    para(doc, "{%p for l in lampiran %}")
    para(doc, "Lampiran {{ l.no }}. {{ l.judul }}", space_after=6)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    return save(doc, "laporan.docx")
