"""Template of the surat tugas (templates/surat-tugas.docx), a data-only kind.

Layout per Permendagri 1/2023: kop; "SURAT TUGAS" and its NOMOR, centred; Dasar (a
numbered list); "MEMBERI TUGAS"; Kepada: each person with Nama, Pangkat/Golongan, NIP,
Jabatan; Untuk (a numbered list); place and date; the signer; Tembusan.
"""

from __future__ import annotations

from pathlib import Path

from ._naskah import tabbed, tag, tembusan
from .common import kop, new_document, para, save, signature_block, slim

LABEL = 2.6  # "Kepada", "Untuk", "Dasar"
COLON = 0.5
ITEM = LABEL + COLON  # where the numbers of the lists stand
TEXT = ITEM + 0.7     # where their text stands


def _list(doc, label: str, items: str, text: str, *, last: str = ".") -> None:
    """``Label : 1. text`` with the following items under the first, not under the label."""
    tag(doc, "{%p for x in " + items + " %}")
    tabbed(doc, "{{ '" + label + "' if loop.first }}\t{{ ':' if loop.first }}\t{{ loop.index }}.\t"
           + text + "{{ ';' if not loop.last else '" + last + "' }}",
           left_cm=TEXT, hang_cm=TEXT, tabs=[LABEL, ITEM, TEXT], align="justify", space_after=2)
    tag(doc, "{%p endfor %}")


def build() -> Path:
    doc = new_document()
    kop(doc)
    para(doc, "SURAT TUGAS", bold=True, size=13, align="center")
    para(doc, "NOMOR {{ dokumen.nomor }}", align="center", space_after=14)
    tag(doc, "{%p if dasar %}")
    _list(doc, "Dasar", "dasar", "{{ x.rstrip(';. ') }}")
    para(doc, "", space_after=8)
    tag(doc, "{%p endif %}")
    para(doc, "MEMBERI TUGAS", bold=True, align="center", space_after=8)
    # Kepada: one block per person; "Kepada :" before the first only.
    tag(doc, "{%p for p in pegawai %}")
    first = ITEM + 0.7 + 3.6  # the values of Nama, Pangkat/Gol, NIP, Jabatan
    for i, (label, value) in enumerate((("Nama", "{{ p.nama }}"),
                                        ("Pangkat/Gol.", "{{ p.pangkat or '-' }}"),
                                        ("NIP", "{{ p.nip|nip or '-' }}"),
                                        ("Jabatan", "{{ p.jabatan }}"))):
        lead = ("{{ 'Kepada' if loop.first }}\t{{ ':' if loop.first }}\t{{ loop.index }}.\t"
                if i == 0 else "\t\t\t")
        tabbed(doc, f"{lead}{label}\t:\t{value}", left_cm=first + 0.4, hang_cm=first + 0.4,
               tabs=[LABEL, ITEM, TEXT, first, first + 0.4])
    tag(doc, "{%p if not loop.last %}")
    para(doc, "", space_after=4)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "", space_after=8)
    _list(doc, "Untuk", "untuk", "{{ x.rstrip(';. ') }}")
    para(doc, "", space_after=12)
    signature_block(doc, "penandatangan", place_date="{{ kop.kota }}, {{ tanggal|tanggal }}")
    tembusan(doc)
    return slim(save(doc, "surat-tugas.docx"))
