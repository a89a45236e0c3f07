"""Template of the surat pengantar (templates/surat-pengantar.docx).

Layout per Permendagri 1/2023: kop, addressee, title and nomor, the table of
naskah sent, the sender's signature on the right and the receipt block on the left.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

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


def build() -> Path:
    doc = new_document()
    kop(doc)

    # Addressee on the right half, as letters place it.
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    set_col_widths(t, [8.5, 8.0])
    cell = t.rows[0].cells[1]
    cell.paragraphs[0].add_run("Yth. {{ kepada }}")
    para(cell, "di")
    para(cell, "{{ di }}").paragraph_format.left_indent = Pt(18)
    para(doc, "")

    para(doc, "SURAT PENGANTAR", bold=True, underline=True, size=13, align="center")
    para(doc, "Nomor: {{ dokumen.nomor }}", align="center", space_after=10)

    table = doc.add_table(rows=4, cols=4)
    all_borders(table)
    set_col_widths(table, [1.2, 8.3, 3.0, 4.0])
    heads = ["No", "Naskah Dinas/Barang yang Dikirimkan", "Banyaknya", "Keterangan"]
    for c, text in zip(table.rows[0].cells, heads, strict=True):
        p = c.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    # One row per item: docxtpl replaces each {%tr %} row by its tag.
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for item in naskah %}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    row = table.rows[2].cells
    row[0].paragraphs[0].add_run("{{ loop.index }}")
    row[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    row[1].paragraphs[0].add_run("{{ item.uraian }}")
    row[2].paragraphs[0].add_run("{{ item.banyaknya }}")
    row[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    row[3].paragraphs[0].add_run("{{ item.keterangan }}")
    para(doc, "", space_after=12)

    # Receipt block (left) and sender (right), side by side. Two rows: the names sit in
    # the second, so they stay level when the sender has an a.n. line or a long jabatan.
    sig = doc.add_table(rows=2, cols=2)
    no_borders(sig)
    set_col_widths(sig, [8.0, 8.5])
    left, right = sig.rows[0].cells
    left.paragraphs[0].add_run("Diterima tanggal {{ diterima_tanggal }}")
    para(left, "Penerima,")
    para(left, "{{ penerima.jabatan }}")
    right.paragraphs[0].add_run("{{ tempat_tanggal }}")
    para(right, "Pengirim,")
    para(right, "{%p if pengirim.atas_nama %}")
    para(right, "{{ pengirim.atas_nama }}")
    para(right, "{%p endif %}")
    para(right, "{{ pengirim.jabatan }},")
    for cell in (left, right):
        for _ in range(3):
            para(cell, "")
    left, right = sig.rows[1].cells
    left.paragraphs[0].add_run("{{ penerima.nama }}")
    left.paragraphs[0].runs[0].bold = left.paragraphs[0].runs[0].underline = True
    para(left, "NIP. {{ penerima.nip }}")
    right.paragraphs[0].add_run("{{ pengirim.nama }}")
    right.paragraphs[0].runs[0].bold = right.paragraphs[0].runs[0].underline = True
    pangkat_nip(right, "pengirim")
    return slim(save(doc, "surat-pengantar.docx"))
