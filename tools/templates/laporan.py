"""templates/laporan.docx: Laporan Capaian Kinerja, in the usual structure of a laporan
kinerja: cover (with the kop where the office uses one), Kata Pengantar and Daftar Isi
(pages i, ii, ...), BAB I Pendahuluan (Latar Belakang, Dasar Hukum, Maksud dan Tujuan,
Ruang Lingkup), BAB II Capaian Kinerja (the rekap table, the chart, the comparison with an
earlier period when its rekap exists), BAB III Analisis, BAB IV Penutup (Simpulan, Saran,
signature), Daftar Lampiran; the body numbered from 1.

The Daftar Isi is a Word TOC field (Word's "Update Field" rebuilds it from the headings'
outline levels) whose entries docgen fills in with the page numbers of the PDF.

Context (docgen.kinds.laporan): judul, periode_label, periode_judul, tahun, kop_sampul,
kata_pengantar[], daftar_isi[{judul, tingkat, halaman}], pendahuluan[], dasar_hukum[],
maksud[], tujuan[], ruang_lingkup, pengantar_capaian, bidang[{nama, rows[...]}], grafik
(InlineImage), belum_masuk, ringkasan, pembanding {label, teks, rows[...]} or None,
tanpa_pembanding, analisis[], analisis_sasaran[{huruf, sasaran, paragraf[]}], simpulan[],
saran[], penutup[], tempat_tanggal, ttd (pejabat), lampiran[{no, judul}].
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ._naskah import TEXT_CM, tabbed, tag
from .common import (
    LOGO,
    all_borders,
    kop,
    new_document,
    no_borders,
    para,
    save,
    set_col_widths,
    signature_block,
)

# Satuan wide enough for "kejadian", "kegiatan", "dokumen" on one line at 8.5 pt.
COLS = [("No", 0.8), ("Sasaran", 2.9), ("Indikator Kinerja", 3.7), ("Satuan", 1.9),
        ("Target", 1.5), ("Realisasi", 1.7), ("Capaian (%)", 1.8), ("Keterangan", 2.2)]
COMPARE = [("No", 0.8), ("Unit Kerja", 3.3), ("Indikator Kinerja", 5.4), ("{{ pembanding.label }} (%)", 2.4),
           ("{{ periode_label }} (%)", 2.4), ("Perubahan (poin)", 2.2)]
TOC_INSTR = ' TOC \\o "1-2" \\h \\z \\u '


def _outline(p, level: int = 0) -> None:
    """Outline level: Word's navigation pane and TOC field, and LibreOffice's PDF bookmarks
    (from which docgen reads the page of each heading), list the paragraph."""
    ppr = p._p.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.append(el)


def _heading(doc, text: str, *, new_page: bool = True):
    """A front-matter heading (KATA PENGANTAR, DAFTAR ISI, DAFTAR LAMPIRAN)."""
    p = para(doc, text, bold=True, size=14, align="center", space_after=18)
    p.paragraph_format.page_break_before = new_page
    _outline(p)
    return p


def _bab(doc, nomor: str, judul: str, *, new_page: bool = True) -> None:
    """"BAB I" and its title in one paragraph (a line break between), so the outline and
    the Daftar Isi read "BAB I PENDAHULUAN"."""
    p = para(doc, f"BAB {nomor}", bold=True, size=14, align="center", space_after=18)
    run = p.runs[0]
    run.add_break()
    run2 = p.add_run(judul)
    run2.bold = True
    run2.font.size = Pt(14)
    p.paragraph_format.page_break_before = new_page
    p.paragraph_format.keep_with_next = True
    _outline(p)


def _sub(doc, text: str):
    p = para(doc, text, bold=True, space_after=6)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)
    _outline(p, 1)
    return p


def _body(doc, text: str):
    """Justified body paragraph, first-line indent, 1.5 spacing (usual report style)."""
    p = para(doc, text, align="justify", space_after=6)
    p.paragraph_format.first_line_indent = Cm(1.25)
    p.paragraph_format.line_spacing = 1.5
    return p


def _loop(doc, var: str, items: str) -> None:
    tag(doc, "{%p for " + var + " in " + items + " %}")
    _body(doc, "{{ " + var + " }}")
    tag(doc, "{%p endfor %}")


def _numbered(doc, items: str, *, end: str = ";", last: str = ".") -> None:
    """1. item; 2. item. as a hanging-indent list, punctuation added once."""
    tag(doc, "{%p for x in " + items + " %}")
    p = tabbed(doc, "{{ loop.index }}.\t{{ x.rstrip(';. ') }}{{ '" + end + "' if not loop.last else '"
               + last + "' }}", left_cm=0.75, hang_cm=0.75, align="justify", space_after=3)
    p.paragraph_format.line_spacing = 1.5
    tag(doc, "{%p endfor %}")


def _cell(cell, text: str, *, bold: bool = False, align: str | None = None, size: float = 8.5) -> None:
    p = cell.paragraphs[0]
    r = p.add_run(text)
    r.bold = bold
    r.font.size = Pt(size)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]


def _tr_flag(row, name: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(f"w:{name}")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _shade(cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), "D9D9D9")
    cell._tc.get_or_add_tcPr().append(shd)


def _field(p, instr: str | None = None, kind: str | None = None) -> None:
    run = p.add_run()
    if instr is not None:
        it = OxmlElement("w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = instr
        run._r.append(it)
    else:
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        run._r.append(fc)


def _page_numbers(doc) -> None:
    """The PAGE field in the footer; none on the cover (its own first-page footer)."""
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, instr in (("begin", None), (None, "PAGE"), ("end", None)):
        _field(p, instr, kind)
    for r in p.runs:
        r.font.size = Pt(10)


def _restart(section, fmt: str | None) -> None:
    """Page numbers of this section start at 1, in ``fmt`` (lowerRoman) or decimal."""
    sect = section._sectPr
    for tp in sect.findall(qn("w:titlePg")):  # only the cover has a footer of its own
        sect.remove(tp)
    el = OxmlElement("w:pgNumType")
    if fmt:
        el.set(qn("w:fmt"), fmt)
    el.set(qn("w:start"), "1")
    cols = sect.find(qn("w:cols"))  # schema order: ... pgMar, ..., pgNumType, cols, ...
    if cols is not None:
        cols.addprevious(el)
    else:
        sect.append(el)


def _cover(doc) -> None:
    tag(doc, "{%p if kop_sampul %}")
    kop(doc)
    tag(doc, "{%p endif %}")
    para(doc, "").paragraph_format.space_before = Pt(36)
    para(doc, "{{ judul }}", bold=True, size=20, align="center", space_after=6)
    para(doc, "{{ periode_judul }}", bold=True, size=16, align="center")
    for _ in range(3):
        para(doc, "")
    tag(doc, "{%p if not kop_sampul %}")
    lp = para(doc, "", align="center")
    lp.add_run().add_picture(str(LOGO), height=Cm(5.5))
    for cnv in lp._p.iter(qn("pic:cNvPr")):  # docgen.render swaps this for the workspace logo
        cnv.set("descr", "logo")
        cnv.set("name", "logo")
    tag(doc, "{%p endif %}")
    # The office and year sit low on the cover, as printed reports have them: one spacer
    # (not blank lines a clerk might delete one of) that still fits F4 and three instansi lines.
    para(doc, "").paragraph_format.space_before = Pt(200)
    tag(doc, "{%p for baris in kop.instansi %}")
    para(doc, "{{ baris }}", bold=True, size=16, align="center")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ kop.pemerintah }}", bold=True, size=16, align="center")
    para(doc, "{{ tahun }}", bold=True, size=16, align="center")


def _kata_pengantar(doc) -> None:
    _heading(doc, "KATA PENGANTAR", new_page=False)
    _loop(doc, "p", "kata_pengantar")
    para(doc, "", space_after=12)
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    set_col_widths(t, [TEXT_CM - 8.0, 8.0])
    cell = t.rows[0].cells[1]
    cell.paragraphs[0].add_run("{{ tempat_tanggal }}")
    para(cell, "{{ ttd.jabatan }},")
    para(cell, "")
    para(cell, "{{ ttd.nama }}", bold=True)


def _daftar_isi(doc) -> None:
    _heading(doc, "DAFTAR ISI")
    start = para(doc, "")
    _field(start, kind="begin")
    _field(start, TOC_INSTR)
    _field(start, kind="separate")
    tag(doc, "{%p for e in daftar_isi %}")
    tag(doc, "{%p if e.tingkat == 0 %}")
    _toc_entry(doc, 0.0, bold=True)
    tag(doc, "{%p else %}")
    _toc_entry(doc, 0.75, bold=False)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    _field(para(doc, ""), kind="end")


def _toc_entry(doc, indent_cm: float, *, bold: bool) -> None:
    p = para(doc, "{{ e.judul }}\t{{ e.halaman }}", bold=bold, space_after=4)
    pf = p.paragraph_format
    pf.left_indent = Cm(indent_cm)
    pf.tab_stops.add_tab_stop(Cm(TEXT_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _table(doc, cols, caption: str, header_rows: list) -> object:
    cap = para(doc, caption, bold=True, align="center", space_after=6, size=11)
    cap.paragraph_format.keep_with_next = True
    t = doc.add_table(rows=len(header_rows) + 1, cols=len(cols))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    all_borders(t)
    set_col_widths(t, [w for _, w in cols])
    head = t.rows[0]
    _tr_flag(head, "tblHeader")
    for cell, (name, _) in zip(head.cells, cols, strict=True):
        _cell(cell, name, bold=True, align="center")
        _shade(cell)
    return t


def _rekap_table(doc) -> None:
    t = _table(doc, COLS, "Tabel 2.1 Capaian Kinerja {{ periode_label }}", [1] * 6)
    _cell(t.rows[1].cells[0], "{%tr for b in bidang %}")
    group = t.rows[2].cells[0].merge(t.rows[2].cells[-1])
    _cell(group, "{{ b.nama }}", bold=True)
    _cell(t.rows[3].cells[0], "{%tr for r in b.rows %}")
    _tr_flag(t.rows[4], "cantSplit")  # an auditor reads an indicator's row as one line
    for cell, (text, align) in zip(t.rows[4].cells, [
        ("{{ r.no }}", "center"), ("{{ r.sasaran }}", None), ("{{ r.indikator }}", None),
        ("{{ r.satuan }}", "center"), ("{{ r.target }}", "right"), ("{{ r.realisasi }}", "right"),
        ("{{ r.capaian }}", "right"), ("{{ r.keterangan }}", None),
    ], strict=True):
        _cell(cell, text, align=align)
    _cell(t.rows[5].cells[0], "{%tr endfor %}")
    _cell(t.rows[6].cells[0], "{%tr endfor %}")


def _compare_table(doc) -> None:
    t = _table(doc, COMPARE, "Tabel 2.2 Perbandingan Capaian {{ pembanding.label }} dan {{ periode_label }}",
               [1] * 3)
    _cell(t.rows[1].cells[0], "{%tr for r in pembanding.rows %}")
    _tr_flag(t.rows[2], "cantSplit")
    for cell, (text, align) in zip(t.rows[2].cells, [
        ("{{ loop.index }}", "center"), ("{{ r.bidang }}", None), ("{{ r.indikator }}", None),
        ("{{ r.sebelum }}", "right"), ("{{ r.sekarang }}", "right"), ("{{ r.selisih }}", "right"),
    ], strict=True):
        _cell(cell, text, align=align)
    _cell(t.rows[3].cells[0], "{%tr endfor %}")


def build() -> Path:
    doc = new_document()
    _page_numbers(doc)
    _cover(doc)

    front = doc.add_section(WD_SECTION.NEW_PAGE)  # Kata Pengantar, Daftar Isi: i, ii, ...
    _restart(front, "lowerRoman")
    _kata_pengantar(doc)
    _daftar_isi(doc)

    body = doc.add_section(WD_SECTION.NEW_PAGE)  # the chapters: 1, 2, ...
    _restart(body, "decimal")
    _bab(doc, "I", "PENDAHULUAN", new_page=False)
    _sub(doc, "A. Latar Belakang")
    _loop(doc, "p", "pendahuluan")
    _sub(doc, "B. Dasar Hukum")
    _numbered(doc, "dasar_hukum")
    _sub(doc, "C. Maksud dan Tujuan")
    _loop(doc, "p", "maksud")
    tag(doc, "{%p if tujuan %}")
    _body(doc, "Tujuan penyusunan laporan ini adalah:")
    _numbered(doc, "tujuan")
    tag(doc, "{%p endif %}")
    _sub(doc, "D. Ruang Lingkup")
    _body(doc, "{{ ruang_lingkup }}")

    _bab(doc, "II", "CAPAIAN KINERJA")
    _sub(doc, "A. Capaian Indikator Kinerja")
    _body(doc, "{{ pengantar_capaian }}")
    _rekap_table(doc)
    para(doc, "", space_after=6)
    tag(doc, "{%p if belum_masuk %}")
    _body(doc, "{{ belum_masuk }}")
    tag(doc, "{%p endif %}")
    _body(doc, "{{ ringkasan }}")
    g = para(doc, "{{ grafik }}", align="center")
    g.paragraph_format.keep_with_next = True
    para(doc, "Gambar 2.1 Capaian Kinerja per Indikator {{ periode_label }}", bold=True, size=11,
         align="center", space_after=6)
    tag(doc, "{%p if pembanding %}")
    _sub(doc, "B. Perbandingan dengan {{ pembanding.label }}")
    _body(doc, "{{ pembanding.teks }}")
    _compare_table(doc)
    para(doc, "", space_after=6)
    tag(doc, "{%p elif tanpa_pembanding %}")
    _body(doc, "{{ tanpa_pembanding }}")
    tag(doc, "{%p endif %}")

    _bab(doc, "III", "ANALISIS")
    _loop(doc, "p", "analisis")
    tag(doc, "{%p for s in analisis_sasaran %}")
    _sub(doc, "{{ s.huruf }}. Sasaran: {{ s.sasaran }}")
    _loop(doc, "q", "s.paragraf")
    tag(doc, "{%p endfor %}")

    _bab(doc, "IV", "PENUTUP")
    _sub(doc, "A. Simpulan")
    _numbered(doc, "simpulan", end=".")
    _sub(doc, "B. Saran")
    _numbered(doc, "saran", end=".")
    para(doc, "", space_after=6)
    _loop(doc, "p", "penutup")
    para(doc, "", space_after=12)
    signature_block(doc, "ttd", place_date="{{ tempat_tanggal }}")

    tag(doc, "{%p if lampiran %}")
    _heading(doc, "DAFTAR LAMPIRAN")
    tag(doc, "{%p for l in lampiran %}")
    tabbed(doc, "Lampiran {{ l.no }}.\t{{ l.judul }}", left_cm=2.6, hang_cm=2.6, space_after=6)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    return save(doc, "laporan.docx")
