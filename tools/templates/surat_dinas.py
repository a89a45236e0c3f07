"""Template of the surat dinas (templates/surat-dinas.docx), a data-only kind.

Layout per Permendagri 1/2023: kop; place and date on the right, level with the Nomor;
Nomor, Sifat, Lampiran, Hal on the left; "Yth." and the addressee; the body; the signer
on the right; Tembusan at the foot.
"""

from __future__ import annotations

from pathlib import Path

from ._naskah import body_loop, label_row, tembusan, two_columns, yth
from .common import kop, new_document, para, save, signature_block, slim


def build() -> Path:
    doc = new_document()
    kop(doc)
    left, right = two_columns(doc, 10.0)
    left.paragraphs[0].add_run("")
    for label, value in (("Nomor", "{{ dokumen.nomor }}"), ("Sifat", "{{ sifat }}"),
                         ("Lampiran", "{{ lampiran }}"), ("Hal", "{{ hal }}")):
        label_row(left, label, value, label_cm=2.3)
    left._tc.remove(left.paragraphs[0]._p)  # the cell's own empty first paragraph
    right.paragraphs[0].add_run("{{ kop.kota }}, {{ tanggal|tanggal }}")
    right.paragraphs[0].alignment = 2  # right
    para(doc, "", space_after=6)
    yth(doc)
    para(doc, "", space_after=6)
    body_loop(doc, "isi")
    para(doc, "", space_after=6)
    signature_block(doc, "penandatangan")
    tembusan(doc)
    return slim(save(doc, "surat-dinas.docx"))
