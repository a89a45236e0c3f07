"""Template of the berita acara (templates/berita-acara.docx), a data-only kind.

Layout per Permendagri 1/2023: kop; "BERITA ACARA", its subject and NOMOR, centred; the
opening with the day and date in words ("Pada hari ini Kamis tanggal delapan bulan
Oktober tahun dua ribu dua puluh enam"); the parties (Nama, NIP, Jabatan, Instansi;
"selanjutnya disebut PIHAK KESATU"); what was done; an optional table of items; the
closing; the parties' signatures two by two; "Mengetahui" and the official, if any.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from ._naskah import TEXT_CM, body, body_loop, tabbed, tag
from .common import all_borders, kop, new_document, no_borders, para, save, set_col_widths, slim

OPENING = ("{% if pembuka %}{{ pembuka }}{% else %}Pada hari ini {{ tanggal|hari }} tanggal "
           "{{ tanggal|tanggal_terbilang }}{{ (', bertempat di ' ~ tempat) if tempat }}, kami yang "
           "bertanda tangan di bawah ini:{% endif %}")
WHO = {"nama": "{{ p.pejabat.nama or p.nama }}", "nip": "{{ p.pejabat.nip or p.nip|nip }}",
       "jabatan": "{{ p.pejabat.jabatan or p.jabatan }}",
       "sebutan": "{{ p.sebutan or ('PIHAK ' ~ loop.index|diktum) }}"}


def _parties(doc) -> None:
    tag(doc, "{%p for p in pihak %}")
    rows = [("Nama", WHO["nama"]), ("NIP", WHO["nip"] + "{{ '-' if not (p.pejabat.nip or p.nip) }}"),
            ("Jabatan", WHO["jabatan"])]
    for i, (label, value) in enumerate(rows):
        lead = "{{ loop.index }}.\t" if i == 0 else "\t"
        tabbed(doc, f"{lead}{label}\t:\t{value}", left_cm=3.9, hang_cm=3.9, tabs=[0.75, 3.5, 3.9])
    tag(doc, "{%p if p.instansi %}")
    tabbed(doc, "\tInstansi\t:\t{{ p.instansi }}", left_cm=3.9, hang_cm=3.9, tabs=[0.75, 3.5, 3.9])
    tag(doc, "{%p endif %}")
    p = para(doc, "selanjutnya disebut " + WHO["sebutan"] + ".", space_after=6)
    p.paragraph_format.left_indent = Cm(0.75)
    tag(doc, "{%p endfor %}")


def _rincian(doc) -> None:
    tag(doc, "{%p if rincian %}")
    cols = [("No", 1.0), ("Uraian", 7.5), ("Jumlah", 2.0), ("Satuan", 2.2), ("Keterangan", 3.8)]
    t = doc.add_table(rows=4, cols=len(cols))
    all_borders(t)
    set_col_widths(t, [w for _, w in cols])
    for c, (name, _) in zip(t.rows[0].cells, cols, strict=True):
        c.paragraphs[0].add_run(name).bold = True
        c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    t.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in rincian %}")
    for c, text, align in zip(t.rows[2].cells, ["{{ loop.index }}", "{{ r.uraian }}", "{{ r.jumlah }}",
                                                "{{ r.satuan }}", "{{ r.keterangan }}"],
                              ["center", None, "right", "center", None], strict=True):
        c.paragraphs[0].add_run(text)
        if align:
            c.paragraphs[0].alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER,
                                         "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    t.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    para(doc, "", space_after=6)
    tag(doc, "{%p endif %}")


def _signatures(doc) -> None:
    """The parties sign two by two (PIHAK KESATU on the left), names on one level."""
    t = doc.add_table(rows=4, cols=2)
    no_borders(t)
    set_col_widths(t, [TEXT_CM / 2, TEXT_CM / 2])
    t.rows[0].cells[0].paragraphs[0].add_run("{%tr for pasangan in pihak|batch(2) %}")
    for col in (0, 1):
        i = str(col)
        cell = t.rows[1].cells[col]
        cell.paragraphs[0].add_run("{% set p = pasangan[" + i + "] %}{% set n = loop.index0 * 2 + "
                                   + str(col + 1) + " %}{{ (p.sebutan or ('PIHAK ' ~ n|diktum)) if p }}"
                                   "{{ ',' if p }}")
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for _ in range(3):
            para(cell, "", align="center")
        name = para(cell, "{% set p = pasangan[" + i + "] %}{{ (p.pejabat.nama or p.nama) if p }}",
                    bold=True, underline=True, align="center")
        name.paragraph_format.space_after = 0
        para(cell, "{% set p = pasangan[" + i + "] %}{{ ('NIP. ' ~ (p.pejabat.nip or p.nip|nip)) "
                   "if p and (p.pejabat.nip or p.nip) }}", align="center", space_after=10)
    t.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    t._tbl.remove(t.rows[3]._tr)


def build() -> Path:
    doc = new_document()
    kop(doc)
    para(doc, "BERITA ACARA", bold=True, size=13, align="center")
    para(doc, "{{ judul|upper }}", bold=True, align="center")
    para(doc, "NOMOR {{ dokumen.nomor }}", align="center", space_after=14)
    body(doc, OPENING, indent_cm=0)
    para(doc, "", space_after=2)
    _parties(doc)
    body_loop(doc, "isi", indent_cm=0)
    _rincian(doc)
    body(doc, "{{ penutup }}", indent_cm=0)
    para(doc, "", space_after=10)
    _signatures(doc)
    tag(doc, "{%p if mengetahui.nama %}")
    block = [para(doc, "Mengetahui,", align="center"),
             para(doc, "{{ mengetahui.atas_nama }}{{ ' ' if mengetahui.atas_nama }}{{ mengetahui.jabatan }},",
                  align="center")]
    block += [para(doc, "", align="center") for _ in range(3)]
    for p in block:  # the acknowledgement stays on one page with its name
        p.paragraph_format.keep_with_next = True
    para(doc, "{{ mengetahui.nama }}", bold=True, underline=True, align="center")
    tag(doc, "{%p if mengetahui.nip %}")
    para(doc, "NIP. {{ mengetahui.nip }}", align="center")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    return slim(save(doc, "berita-acara.docx"))
