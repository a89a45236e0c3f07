"""The buku agenda surat keluar of one year, exported as XLSX and DOCX.

Both files are written under a temporary name and renamed, so a failed export leaves
no half-written file behind.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import formatting
from ..render import DocProps, landscape_document, read_package, write_package
from .store import STATUS_BATAL, STATUS_DIPESAN, Entry

if TYPE_CHECKING:
    from ..workspace import Workspace

KOLOM = ["No", "Nomor Surat", "Tanggal", "Kode Klasifikasi", "Perihal", "Tujuan", "Keterangan"]
# Column widths: XLSX in characters, DOCX in centimetres (landscape A4 leaves ~25.7 cm).
_LEBAR_XLSX = [6, 32, 18, 16, 48, 32, 30]
_LEBAR_DOCX_CM = [1.1, 4.8, 3.4, 2.4, 6.0, 4.6, 3.4]


def judul(tahun: int) -> str:
    return f"BUKU AGENDA SURAT KELUAR TAHUN {tahun}"


def keterangan(e: Entry) -> str:
    if e.status == STATUS_BATAL:
        return f"BATAL: {e.alasan}"
    if e.status == STATUS_DIPESAN:
        return "Dipesan (belum terbit)"
    return ""


def rows(entries: Sequence[Entry]) -> list[list[str | int]]:
    return [[i, e.nomor, formatting.tanggal(e.tanggal), e.klasifikasi, e.perihal, e.tujuan, keterangan(e)]
            for i, e in enumerate(entries, start=1)]


def file_stem(tahun: int) -> str:
    return f"buku-agenda-surat-keluar-{tahun}"


def write_xlsx(entries: Sequence[Entry], tahun: int, out: Path, instansi: str = "") -> Path:
    return table_xlsx(judul(tahun), instansi, f"Agenda {tahun}", KOLOM, _LEBAR_XLSX, rows(entries), out)


def table_xlsx(title: str, instansi: str, sheet: str, kolom: Sequence[str], lebar: Sequence[int],
               values: Sequence[Sequence[str | int]], out: Path) -> Path:
    """A book (agenda, daftar) as one sheet: title, office, the header row on every printed
    page; rows whose last column starts with BATAL in red."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append([instansi])
    ws.append([])
    ws.append(list(kolom))
    for r in values:
        ws.append(list(r))
    last = get_column_letter(len(kolom))
    for r in (1, 2):
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(r, 1).font = Font(bold=True, size=12 if r == 1 else 11)
    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    red = Font(color="C00000")
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row):
        batal = row[-1].value and str(row[-1].value).startswith("BATAL")
        for c in row:
            c.border = grid
            c.alignment = Alignment(vertical="top", wrap_text=True)
            if batal:
                c.font = red
    for c in ws[4]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, w in enumerate(lebar, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return _atomic(out, wb.save)


def write_docx(entries: Sequence[Entry], tahun: int, out: Path, *, instansi: str = "",
               kertas: str = "A4", font: str = "Arial") -> Path:
    return table_docx(judul(tahun), instansi, KOLOM, _LEBAR_DOCX_CM, rows(entries), out,
                      empty="Belum ada surat keluar pada tahun ini.", kind="buku-agenda",
                      kertas=kertas, font=font)


def table_docx(title: str, instansi: str, kolom: Sequence[str], lebar_cm: Sequence[float],
               values: Sequence[Sequence[str | int]], out: Path, *, empty: str, kind: str,
               kertas: str = "A4", font: str = "Arial") -> Path:
    """The same book as a landscape DOCX table, its header row repeated on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = landscape_document(kertas, font=font, size_pt=10)

    for text, size in ((title, 12), (instansi, 11)):
        if not text:
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)

    table = doc.add_table(rows=1, cols=len(kolom))
    table.style = "Table Grid"
    table.autofit = False
    head = table.rows[0]
    # Repeat the header row on every printed page.
    tr_pr = head._tr.get_or_add_trPr()
    rep = OxmlElement("w:tblHeader")
    rep.set(qn("w:val"), "true")
    tr_pr.append(rep)
    for cell, name in zip(head.cells, kolom, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row_values in values:
        cells = table.add_row().cells
        for cell, v in zip(cells, row_values, strict=True):
            cell.text = str(v)
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    for col, w in zip(table.columns, lebar_cm, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, lebar_cm, strict=True):
            cell.width = Cm(w)
    if not values:
        doc.add_paragraph(empty)

    buf = io.BytesIO()
    doc.save(buf)
    props = DocProps(kind=kind, title=title.title(), subject=instansi)
    return write_package(read_package(buf.getvalue()), out, props)


def export(ws: Workspace, entries: Sequence[Entry], tahun: int, out_dir: Path) -> tuple[Path, Path]:
    """Write the buku agenda of `tahun` as XLSX and DOCX into out_dir."""
    # which region's office: the instansi name alone is shared by hundreds of Dinas
    instansi = " ".join(ws.config.kop.instansi) + (f" {ws.config.kop.pemerintah}" if ws.config.kop.pemerintah else "")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(tahun)
    xlsx, docx = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.docx"
    # a file open in Excel/Word (PermissionError) is reported by the CLI, as for every command
    write_xlsx(entries, tahun, xlsx, instansi)
    write_docx(entries, tahun, docx, instansi=instansi,
               kertas=ws.config.kertas.ukuran, font=ws.config.kertas.font)
    return xlsx, docx


def _atomic(out: Path, save) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        save(tmp)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
