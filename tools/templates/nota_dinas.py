"""Template of the nota dinas (templates/nota-dinas.docx), a data-only kind.

Its fields come from templates/nota-dinas.schema.yaml (docgen.kinds.generic): no
Python module of its own. Layout per Permendagri 1/2023: kop, "NOTA DINAS", the
Kepada/Dari/Tembusan/Tanggal/Nomor/Sifat/Lampiran/Hal block, a rule, the body, the
signature.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Cm, Pt

from .common import bottom_rule, kop, new_document, para, save, signature_block, slim

LABEL_CM = 3.0


def _row(doc, label: str, value: str):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.left_indent = Cm(LABEL_CM + 0.4)
    pf.first_line_indent = Cm(-(LABEL_CM + 0.4))
    pf.tab_stops.add_tab_stop(Cm(LABEL_CM))
    pf.tab_stops.add_tab_stop(Cm(LABEL_CM + 0.4))
    p.add_run(f"{label}\t:\t{value}")
    return p


def build() -> Path:
    doc = new_document()
    kop(doc)
    para(doc, "NOTA DINAS", bold=True, size=14, align="center", space_after=10)
    _row(doc, "Kepada", "Yth. {{ kepada }}")
    _row(doc, "Dari", "{{ dari.jabatan }}")
    # Tembusan: one line per recipient, or the line is left out.
    para(doc, "{%p if tembusan %}")
    _row(doc, "Tembusan", "{{ tembusan|join(', ') }}")
    para(doc, "{%p endif %}")
    _row(doc, "Tanggal", "{{ tanggal|tanggal }}")
    _row(doc, "Nomor", "{{ dokumen.nomor }}")
    _row(doc, "Sifat", "{{ sifat }}")
    _row(doc, "Lampiran", "{{ lampiran }}")
    last = _row(doc, "Hal", "{{ hal }}")
    bottom_rule(last, size=8)
    para(doc, "", space_after=6)
    para(doc, "{%p for alinea in isi %}")
    p = para(doc, "{{ alinea }}", align="justify", space_after=6)
    p.paragraph_format.first_line_indent = Cm(1.25)
    p.paragraph_format.line_spacing = 1.15
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=Pt(6).pt)
    signature_block(doc, "dari")
    return slim(save(doc, "nota-dinas.docx"))
