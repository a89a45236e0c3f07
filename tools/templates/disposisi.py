"""Template of the lembar disposisi (templates/disposisi.docx): a boxed form under the kop.

Checklists (sifat, diteruskan kepada, dengan hormat harap) are lists of
{"cek": "☑"/"☐", "teks": ...} built by docgen.kinds.disposisi, so the options are data.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
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

WIDTH = 16.5


def _field(cell, label: str, value: str) -> None:
    """"Label : value" with a hanging indent so long values wrap under the value."""
    p = cell.paragraphs[0]
    p.paragraph_format.left_indent = Cm(3.3)
    p.paragraph_format.first_line_indent = Cm(-3.3)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(3.0))
    p.paragraph_format.tab_stops.add_tab_stop(Cm(3.3))
    p.add_run(f"{label}\t:\t{value}")
    p.paragraph_format.space_before = Pt(3)
    p.paragraph_format.space_after = Pt(3)


def build() -> Path:
    doc = new_document(font_size=11)
    kop(doc)
    para(doc, "LEMBAR DISPOSISI", bold=True, size=14, align="center", space_after=8)

    t = doc.add_table(rows=6, cols=2)
    all_borders(t, size=8)
    set_col_widths(t, [WIDTH / 2, WIDTH / 2])
    r = t.rows
    _field(r[0].cells[0], "Surat dari", "{{ surat_dari }}")
    _field(r[0].cells[1], "Diterima tanggal", "{{ diterima_tanggal }}")
    _field(r[1].cells[0], "Nomor surat", "{{ nomor_surat }}")
    _field(r[1].cells[1], "Nomor agenda", "{{ nomor_agenda }}")
    _field(r[2].cells[0], "Tanggal surat", "{{ tanggal_surat }}")
    # Sifat: a row of checkboxes
    c = r[2].cells[1]
    p = c.paragraphs[0]
    p.paragraph_format.space_before = Pt(3)
    p.add_run("Sifat:")
    para(c, "{%p for s in sifat %}")
    para(c, "{{ s.cek }} {{ s.teks }}")
    para(c, "{%p endfor %}", space_after=3)

    hal = r[3].cells[0].merge(r[3].cells[1])
    _field(hal, "Hal", "{{ hal }}")

    left, right = r[4].cells
    for cell, title, var in (
        (left, "Diteruskan kepada Sdr.:", "diteruskan"),
        (right, "Dengan hormat harap:", "harap"),
    ):
        p = cell.paragraphs[0]
        p.paragraph_format.space_before = Pt(3)
        p.add_run(title).bold = True
        para(cell, "{%p for x in " + var + " %}")
        q = para(cell, "{{ x.cek }}\t{{ x.teks }}")
        q.paragraph_format.left_indent = Cm(0.6)
        q.paragraph_format.first_line_indent = Cm(-0.6)
        q.paragraph_format.tab_stops.add_tab_stop(Cm(0.6))
        q.paragraph_format.space_after = Pt(2)
        para(cell, "{%p endfor %}", space_after=4)

    note = r[5].cells[0].merge(r[5].cells[1])
    note.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    p = note.paragraphs[0]
    p.paragraph_format.space_before = Pt(3)
    p.add_run("Catatan:").bold = True
    para(note, "{%p for baris in catatan %}")
    para(note, "{{ baris }}")
    para(note, "{%p endfor %}")
    para(note, "")
    # Signature of the one who disposes, right half of the box.
    sig = note.add_table(rows=1, cols=2)
    no_borders(sig)
    set_col_widths(sig, [WIDTH - 8.0 - 0.3, 8.0])
    cell = sig.rows[0].cells[1]
    cell.paragraphs[0].add_run("{{ tempat_tanggal }}")
    para(cell, "{%p if pendisposisi.atas_nama %}")
    para(cell, "{{ pendisposisi.atas_nama }}")
    para(cell, "{%p endif %}")
    para(cell, "{{ pendisposisi.jabatan }},")
    for _ in range(3):
        para(cell, "")
    para(cell, "{{ pendisposisi.nama }}", bold=True, underline=True)
    pangkat_nip(cell, "pendisposisi", space_after=6)
    return slim(save(doc, "disposisi.docx"))
