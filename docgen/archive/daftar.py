"""The Daftar Arsip (list of archived records) as XLSX and DOCX, in Indonesian."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .. import formatting

HEADERS = ["No", "Kode Klasifikasi", "Uraian", "Tanggal", "Jumlah", "Keterangan"]
WIDTHS = [6, 16, 60, 20, 14, 36]


def rows(entries: list[sqlite3.Row]) -> list[list[str | int]]:
    """One line per entry, as the Daftar Arsip writes it."""
    out: list[list[str | int]] = []
    for i, e in enumerate(entries, start=1):
        uraian = e["title"]
        if e["letter_no"]:
            uraian += f" (Nomor {e['letter_no']})"
        if not e["signed"]:
            tte = "tanpa TTE"
        elif e["sig_valid"]:
            tte = "TTE sah"
        elif e["sig_valid"] is None:
            tte = "TTE belum diperiksa"
        else:
            tte = "TTE tidak sah"
        out.append([i, e["classification"] or "-", uraian, formatting.tanggal(e["doc_date"]),
                    f"{e['pages']} halaman", f"{e['archive_no']}; asli; {tte}"])
    return out


def title_lines(instansi: list[str], year: int | None) -> list[str]:
    return ["DAFTAR ARSIP", *instansi, f"TAHUN {year}" if year else "SEMUA TAHUN"]


def write_xlsx(path: Path, heading: list[str], data: list[list[str | int]]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Daftar Arsip"
    for r, line in enumerate(heading, start=1):
        ws.cell(r, 1, line).font = Font(bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADERS))
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    top = len(heading) + 2
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(top, c, h)
        cell.font = Font(bold=True)
        cell.border = box
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[c - 1]
    for r, line in enumerate(data, start=top + 1):
        for c, v in enumerate(line, start=1):
            cell = ws.cell(r, c, v)
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(top + 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_docx(path: Path, heading: list[str], data: list[list[str | int]], kertas: str = "A4") -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from ..render import landscape_document

    doc = landscape_document(kertas)
    for line in heading:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = True
        run.font.size = Pt(12)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(h).bold = True
    for line in data:
        cells = table.add_row().cells
        for cell, v in zip(cells, line, strict=True):
            cell.text = str(v)
    for col, w in zip(table.columns, WIDTHS, strict=True):
        for cell in col.cells:
            cell.width = Cm(w * 0.16 + 0.6)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def export(entries: list[sqlite3.Row], out_dir: Path, instansi: list[str],
           year: int | None = None, kertas: str = "A4") -> list[Path]:
    data = rows(entries)
    heading = title_lines(instansi, year)
    stem = f"daftar-arsip-{year}" if year else "daftar-arsip"
    return [write_xlsx(out_dir / f"{stem}.xlsx", heading, data),
            write_docx(out_dir / f"{stem}.docx", heading, data, kertas)]
