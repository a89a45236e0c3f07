"""Incoming letters (surat masuk): filed in the archive with their text, and recorded in
the buku agenda surat masuk with an agenda number.

Library entry points (the CLI in ``docgen.cli.suratmasuk`` is a thin shell over these):
    terima(ws, file)              file the letter (OCR when it is a scan) -> Diterima
    catat(ws, diterima, fields)   give it its agenda number -> SuratMasuk
    daftar(ws, tahun=None)        the buku agenda surat masuk
    export(ws, tahun, out_dir)    the book as XLSX and DOCX
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from .agenda import Agenda, SuratMasuk
from .fields import Fields, read_fields

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["Agenda", "Diterima", "Fields", "SuratMasuk", "catat", "daftar", "export", "terima"]


@dataclass
class Diterima:
    """A letter filed in the archive, with the fields its text suggests."""

    arsip_id: int
    arsip_no: str
    sha256: str
    saran: Fields          # suggestions read from the text
    sudah: SuratMasuk | None  # already in the buku agenda (the same bytes were recorded before)


def terima(ws: Workspace, file: Path) -> Diterima:
    """File ``file`` in the archive (a copy: the clerk's file stays) and read its fields.
    The same letter a second time is found, not filed twice."""
    from .. import archive
    from ..archive.pipeline import Archive

    file = Path(file)
    if not file.is_file():
        raise InputError(f"{file} is not a file", file=file, fix="give the scan or PDF of the letter")
    sha = hashlib.sha256(file.read_bytes()).hexdigest()
    with Archive.open(ws, recover=False) as arc:
        row = arc.catalog.by_content(sha)
    if row is None:
        [r] = archive.ingest(ws, [file], keep=True)
        if r.status != "filed":
            raise InputError(f"the archive refused {file.name}: {r.reason}", file=file,
                             fix=r.fix or "fix the file and run again")
        with Archive.open(ws, recover=False) as arc:
            row = arc.catalog.get(r.entry_id)
    with Archive.open(ws, recover=False) as arc:
        text = arc.catalog.text(row["id"])
    with Agenda.for_workspace(ws) as book:
        sudah = book.by_archive(row["id"])
    return Diterima(row["id"], row["archive_no"], sha, read_fields(text), sudah)


def catat(ws: Workspace, diterima: Diterima, fields: dict) -> SuratMasuk:
    """The next agenda number for a letter filed by ``terima``; ``fields``: nomor_surat,
    tanggal_surat, asal, perihal, sifat, diterima (the clerk's confirmed values)."""
    if diterima.sudah is not None and not diterima.sudah.batal:
        raise InputError(f"this letter is already in the buku agenda as {diterima.sudah.agenda}",
                         field="file", fix="nothing to do: `docgen surat-masuk list` shows it")
    with Agenda.for_workspace(ws) as book:
        return book.catat(fields, arsip_id=diterima.arsip_id, arsip_no=diterima.arsip_no,
                          sha256=diterima.sha256)


def daftar(ws: Workspace, tahun: int | None = None) -> list[SuratMasuk]:
    with Agenda.for_workspace(ws) as book:
        return book.list(tahun)


def export(ws: Workspace, tahun: int, out_dir: Path) -> tuple[Path, Path]:
    from .buku import export as run  # a module named export would shadow this function

    return run(ws, daftar(ws, tahun), tahun, out_dir)
