"""The buku agenda surat masuk of one year as XLSX and DOCX (the same book layout as the
buku agenda surat keluar)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import formatting
from ..errors import InputError
from ..register.agenda import table_docx, table_xlsx
from .agenda import SuratMasuk

if TYPE_CHECKING:
    from ..workspace import Workspace

KOLOM = ["No", "Nomor Agenda", "Tanggal Diterima", "Nomor Surat", "Tanggal Surat", "Asal Surat",
         "Perihal", "Sifat", "Keterangan"]
_LEBAR_XLSX = [6, 16, 18, 30, 18, 34, 44, 12, 24]
_LEBAR_DOCX_CM = [1.0, 2.4, 2.6, 3.8, 2.6, 4.0, 5.6, 1.6, 2.4]


def judul(tahun: int) -> str:
    return f"BUKU AGENDA SURAT MASUK TAHUN {tahun}"


def rows(entries: Sequence[SuratMasuk]) -> list[list[str | int]]:
    return [[i, e.agenda, formatting.tanggal(e.diterima), e.nomor_surat, formatting.tanggal(e.tanggal_surat),
             e.asal, e.perihal, e.sifat,
             f"BATAL: {e.alasan}" if e.batal else (f"Arsip {e.arsip_no}" if e.arsip_no else "")]
            for i, e in enumerate(entries, start=1)]


def export(ws: Workspace, entries: Sequence[SuratMasuk], tahun: int, out_dir: Path) -> tuple[Path, Path]:
    kop = ws.config.kop
    instansi = " ".join(kop.instansi) + (f" {kop.pemerintah}" if kop.pemerintah else "")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"buku-agenda-surat-masuk-{tahun}"
    xlsx, docx = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.docx"
    values = rows(entries)
    try:
        table_xlsx(judul(tahun), instansi, f"Surat Masuk {tahun}", KOLOM, _LEBAR_XLSX, values, xlsx)
        table_docx(judul(tahun), instansi, KOLOM, _LEBAR_DOCX_CM, values, docx,
                   empty="Belum ada surat masuk pada tahun ini.", kind="buku-agenda-surat-masuk",
                   kertas=ws.config.kertas.ukuran, font=ws.config.kertas.font)
    except PermissionError as exc:
        raise InputError(f"cannot write {exc.filename or out_dir}: it is open or read-only", file=out_dir,
                         fix="close the buku agenda in Excel/Word, or pass -o another folder") from None
    return xlsx, docx
