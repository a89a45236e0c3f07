"""Template of the surat keputusan (templates/surat-keputusan.docx), a data-only kind.

Layout per Permendagri 1/2023 (keputusan of a head of office): kop; KEPUTUSAN and the
jabatan of the one who decides, NOMOR, TENTANG and the subject, centred; the jabatan
again with a comma; Menimbang (a., b., ...), Mengingat (1., 2., ...), optionally
Memperhatikan; MEMUTUSKAN:; Menetapkan; the diktum KESATU, KEDUA, ... each with its
text and lettered points; "Ditetapkan di ... pada tanggal ..." and the signer; Tembusan.
"""

from __future__ import annotations

from pathlib import Path

from ._naskah import tabbed, tag, tembusan, two_columns
from .common import kop, new_document, pangkat_nip, para, save, slim

LABEL = 3.5   # "Memperhatikan"
COLON = 0.4
MARK = 0.7    # "a." / "1."
TEXT = LABEL + COLON + MARK
TABS = [LABEL, LABEL + COLON, TEXT]

# The one who decides, in capitals: the data's `penetap`, else the signer's jabatan and the
# region of the kop ("KEPALA DINAS ... " + "KOTA KEDIRI").
PENETAP = ("{%p set penetap_ = (penetap or (penandatangan.jabatan_dasar ~ ' ' ~ "
           "(kop.pemerintah|upper|replace('PEMERINTAH ', ''))))|upper %}")


def _points(doc, label: str, items: str, marker: str) -> None:
    tag(doc, "{%p for x in " + items + " %}")
    tabbed(doc, "{{ '" + label + "' if loop.first }}\t{{ ':' if loop.first }}\t" + marker
           + "\t{{ x.rstrip(';. ') }};", left_cm=TEXT, hang_cm=TEXT, tabs=TABS, align="justify",
           space_after=3)
    tag(doc, "{%p endfor %}")


def build() -> Path:
    doc = new_document()
    kop(doc)
    tag(doc, PENETAP)
    para(doc, "KEPUTUSAN {{ penetap_ }}", bold=True, align="center")
    para(doc, "NOMOR {{ dokumen.nomor }}", bold=True, align="center", space_after=8)
    para(doc, "TENTANG", bold=True, align="center", space_after=8)
    para(doc, "{{ tentang|upper }}", bold=True, align="center", space_after=14)
    para(doc, "{{ penetap_ }},", bold=True, align="center", space_after=14)
    _points(doc, "Menimbang", "menimbang", "{{ loop.index|huruf }}.")
    para(doc, "", space_after=4)
    _points(doc, "Mengingat", "mengingat", "{{ loop.index }}.")
    tag(doc, "{%p if memperhatikan %}")
    para(doc, "", space_after=4)
    _points(doc, "Memperhatikan", "memperhatikan", "{{ loop.index }}.")
    tag(doc, "{%p endif %}")
    para(doc, "", space_after=6)
    para(doc, "MEMUTUSKAN:", bold=True, align="center", space_after=6)
    tabbed(doc, "Menetapkan\t:\t{{ menetapkan or ('KEPUTUSAN ' ~ penetap_ ~ ' TENTANG ' ~ tentang|upper) }}.",
           left_cm=LABEL + COLON, hang_cm=LABEL + COLON, tabs=TABS[:2], align="justify", space_after=6)
    # the diktum: KESATU, KEDUA, ... with lettered points under the text
    tag(doc, "{%p for d in diktum %}")
    tabbed(doc, "{{ loop.index|diktum }}\t:\t{{ d.isi }}", left_cm=LABEL + COLON, hang_cm=LABEL + COLON,
           tabs=TABS[:2], align="justify", space_after=3)
    tag(doc, "{%p for r in d.rincian %}")
    tabbed(doc, "{{ loop.index|huruf }}.\t{{ r }}", left_cm=TEXT, hang_cm=MARK, tabs=[TEXT],
           align="justify", space_after=3)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    para(doc, "", space_after=12)
    _, cell = two_columns(doc, 8.0)
    cell.paragraphs[0].add_run("Ditetapkan di {{ kop.kota }}")
    para(cell, "pada tanggal {{ tanggal|tanggal }}", space_after=8)
    tag(cell, "{%p if penandatangan.atas_nama %}")
    para(cell, "{{ penandatangan.atas_nama|upper }}", bold=True)
    tag(cell, "{%p endif %}")
    para(cell, "{{ penandatangan.jabatan|upper }},", bold=True)
    for _ in range(3):
        para(cell, "")
    para(cell, "{{ penandatangan.nama }}", bold=True, underline=True)
    pangkat_nip(cell, "penandatangan")
    tembusan(doc)
    return slim(save(doc, "surat-keputusan.docx"))
