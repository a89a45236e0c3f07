"""Template of the surat undangan (templates/surat-undangan.docx), a data-only kind.

Layout per Permendagri 1/2023: as the surat dinas (kop; place and date; Nomor, Sifat,
Lampiran, Hal; "Yth."), then the opening, the hari/tanggal, waktu, tempat and acara of
each meeting, the closing, the signer, the tembusan; with a daftar undangan, a second
page lists the invitees under the letter's nomor and date.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Cm

from ._naskah import body, label_row, numbered_loop, tag, tembusan, two_columns, yth
from .common import kop, new_document, para, save, signature_block, slim


def build() -> Path:
    doc = new_document()
    kop(doc)
    left, right = two_columns(doc, 10.0)
    for label, value in (("Nomor", "{{ dokumen.nomor }}"), ("Sifat", "{{ sifat }}"),
                         ("Lampiran", "{{ lampiran }}"), ("Hal", "{{ hal }}")):
        label_row(left, label, value, label_cm=2.3)
    left._tc.remove(left.paragraphs[0]._p)
    right.paragraphs[0].add_run("{{ kop.kota }}, {{ tanggal|tanggal }}")
    right.paragraphs[0].alignment = 2
    para(doc, "", space_after=6)
    yth(doc)
    para(doc, "", space_after=6)
    body(doc, "{{ pembuka }}")
    tag(doc, "{%p for j in jadwal %}")
    for label, value in (("hari, tanggal", "{{ j.tanggal|hari }}, {{ j.tanggal|tanggal }}"),
                         ("waktu", "{{ j.waktu }}"), ("tempat", "{{ j.tempat }}"),
                         ("acara", "{{ j.acara }}")):
        label_row(doc, label, value, label_cm=3.2, indent_cm=1.25)
    tag(doc, "{%p if not loop.last %}")
    para(doc, "", space_after=4)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "", space_after=6)
    tag(doc, "{%p for alinea in penutup %}")
    body(doc, "{{ alinea }}")
    tag(doc, "{%p endfor %}")
    para(doc, "", space_after=6)
    signature_block(doc, "penandatangan")
    tembusan(doc)

    # Lampiran: the invitees, under the letter's identity, on a page of its own.
    tag(doc, "{%p if daftar_undangan %}")
    head = para(doc, "LAMPIRAN")
    head.paragraph_format.page_break_before = True
    head.paragraph_format.left_indent = Cm(8.5)
    for label, value in (("Nomor", "{{ dokumen.nomor }}"), ("Tanggal", "{{ tanggal|tanggal }}"),
                         ("Hal", "{{ hal }}")):
        label_row(doc, label, value, label_cm=2.0, indent_cm=8.5)
    para(doc, "", space_after=12)
    para(doc, "DAFTAR UNDANGAN", bold=True, align="center", space_after=10)
    numbered_loop(doc, "daftar_undangan", "{{ x }}", align=None, space_after=2)
    tag(doc, "{%p endif %}")
    return slim(save(doc, "surat-undangan.docx"))
