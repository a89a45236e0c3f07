"""Read a filled permintaan-data form (DOCX or XLSX) into plain text cells.

Nothing is interpreted here: numbers stay text, so validation can name the exact
cell a clerk typed wrongly. The form format is fixed in docs/CONTRACTS.md
("Permintaan-data forms"): the identity is the DOCX custom property ``docgen.id``
or the visible line "ID Formulir: <id>"; in XLSX the cell right of "ID Formulir".
The indicator table is found by its header row.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from ..render import PROP_ID, PROP_KIND, read_properties

FORM_SUFFIXES = (".docx", ".xlsx")

# Header text (normalised) -> field name. Keterangan accepts the short form too.
COLUMNS = {
    "no": "no",
    "sasaran": "sasaran",
    "indikator kinerja": "indikator",
    "satuan": "satuan",
    "target": "target",
    "realisasi": "realisasi",
    "keterangan/kendala": "keterangan",
    "keterangan": "keterangan",
}
# Column names as printed in the form, for messages.
LABELS = {
    "no": "No", "sasaran": "Sasaran", "indikator": "Indikator Kinerja", "satuan": "Satuan",
    "target": "Target", "realisasi": "Realisasi", "keterangan": "Keterangan/Kendala",
}

# The colon is required, so a sentence such as "jangan mengubah ID Formulir ini" is no id.
_ID_RE = re.compile(r"ID\s*Formulir\s*[:：]\s*([A-Za-z0-9][\w.-]*)", re.IGNORECASE)


@dataclass
class FormRow:
    number: int                    # 1-based indicator row in the table (what messages call "row")
    cells: dict[str, str]          # field name -> text as typed
    refs: dict[str, str] = field(default_factory=dict)  # field -> spreadsheet cell ("F12"), XLSX only


@dataclass
class Form:
    path: Path
    format: str                    # "docx" | "xlsx"
    doc_id: str | None
    kind: str | None               # docgen.kind property, when the file carries one
    columns: list[str]             # fields found in the header
    rows: list[FormRow]
    table_found: bool = True
    id_conflict: str | None = None  # a second, different id found in the same file


def norm(text: object) -> str:
    """Whitespace-collapsed text of a cell ('' for None)."""
    if text is None:
        return ""
    return " ".join(str(text).split())


def _header_fields(cells: list[str]) -> dict[int, str] | None:
    names = [norm(c).lower() for c in cells]
    if "indikator kinerja" not in names or "realisasi" not in names:
        return None
    out: dict[int, str] = {}
    for i, n in enumerate(names):
        f = COLUMNS.get(n)
        if f and f not in out.values():
            out[i] = f
    return out


def _is_numbering_row(cells: list[str]) -> bool:
    """A row like "(1) (2) (3) ..." under the header, as many offices print."""
    vals = [norm(c) for c in cells if norm(c)]
    return bool(vals) and all(re.fullmatch(r"\(?\d+\)?", v) for v in vals) and len(vals) > 3


def _rows_from_grid(grid: list[list[str]], start: int, header: dict[int, str],
                    refs: list[list[str]] | None = None) -> list[FormRow]:
    rows: list[FormRow] = []
    for r in range(start, len(grid)):
        cells = grid[r]
        if not any(norm(c) for c in cells) or (not rows and _is_numbering_row(cells)):
            continue  # blank rows at the end (or spare rows) are not indicator rows
        values = {f: norm(cells[i]) if i < len(cells) else "" for i, f in header.items()}
        ref = {f: refs[r][i] for i, f in header.items() if refs and i < len(refs[r])}
        rows.append(FormRow(number=len(rows) + 1, cells=values, refs=ref))
    return rows


# --- DOCX ---------------------------------------------------------------------

def _read_docx(path: Path) -> Form:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise InputError(
            f"not a readable Word file ({type(exc).__name__})", file=path.name,
            fix="save it again as .docx from Word or LibreOffice",
        ) from None
    props = read_properties(path)
    texts = [p.text for p in doc.paragraphs]
    grids: list[list[list[str]]] = []
    for t in doc.tables:
        grid = []
        for row in t.rows:
            grid.append([c.text for c in row.cells])
            texts.extend(c.text for c in row.cells)
        grids.append(grid)
    for sec in doc.sections:  # the id may sit in a header/footer line
        texts.extend(p.text for p in sec.header.paragraphs)
        texts.extend(p.text for p in sec.footer.paragraphs)
    visible = {m.group(1).strip(".,;") for t in texts for m in _ID_RE.finditer(t)}
    prop_id = props.get(PROP_ID) or None
    ids = ({prop_id} if prop_id else set()) | visible
    doc_id = prop_id or (sorted(visible)[0] if visible else None)
    conflict = next((i for i in sorted(ids) if i != doc_id), None)

    for grid in grids:
        for r, cells in enumerate(grid):
            header = _header_fields(cells)
            if header:
                return Form(path, "docx", doc_id, props.get(PROP_KIND) or None,
                            list(header.values()), _rows_from_grid(grid, r + 1, header),
                            id_conflict=conflict)
    return Form(path, "docx", doc_id, props.get(PROP_KIND) or None, [], [], table_found=False,
                id_conflict=conflict)


# --- XLSX ---------------------------------------------------------------------

def _cell_text(value: object, number_format: str = "") -> str:
    """A cell as the clerk sees it, numbers in Indonesian notation ("1234,567"), so that
    parse_angka reads them back exactly (a float "1234.567" would read as thousands)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        d = Decimal(str(value))
        if "%" in number_format:  # 0.855 shown as "85,5%"
            d *= 100
        d = d.normalize()
        text = format(d, "f")
        return text.replace(".", ",")
    return str(value)


def _read_xlsx(path: Path) -> Form:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"not a readable Excel file ({type(exc).__name__})", file=path.name,
            fix="save it again as .xlsx from Excel or LibreOffice",
        ) from None
    kind = prop_id = None
    try:  # workbook custom properties (openpyxl >= 3.1)
        for p in wb.custom_doc_props.props:
            if p.name == PROP_KIND:
                kind = str(p.value)
            elif p.name == PROP_ID:
                prop_id = str(p.value)
    except AttributeError:
        pass
    doc_id: str | None = None
    conflict: str | None = None
    found: Form | None = None
    for sheet in wb.worksheets:
        # Merged cells (a sasaran spanning rows) keep their value in the top-left only.
        merged: dict[tuple[int, int], object] = {}
        for rng in sheet.merged_cells.ranges:
            top = sheet.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = top
        grid: list[list[str]] = []
        refs: list[list[str]] = []
        for r, row in enumerate(sheet.iter_rows(), start=1):
            cells, rrefs = [], []
            for c, cell in enumerate(row, start=1):
                value = merged.get((r, c), cell.value)
                cells.append(_cell_text(value, getattr(cell, "number_format", "") or ""))
                rrefs.append(f"{get_column_letter(c)}{r}")
            grid.append(cells)
            refs.append(rrefs)
        for cells in grid:
            for i, v in enumerate(cells):
                if norm(v).rstrip(":").strip().lower() == "id formulir":
                    nxt = next((norm(x) for x in cells[i + 1:] if norm(x)), "")
                    nxt = nxt.lstrip(":").strip()
                    if nxt and doc_id is None:
                        doc_id = nxt
                    elif nxt and nxt != doc_id:
                        conflict = nxt
        if found is None:
            for r, cells in enumerate(grid):
                header = _header_fields(cells)
                if header:
                    found = Form(path, "xlsx", None, None, list(header.values()),
                                 _rows_from_grid(grid, r + 1, header, refs))
                    break
    if found is None:
        found = Form(path, "xlsx", None, None, [], [], table_found=False)
    if doc_id is None:  # the visible cell was deleted: the workbook property still tells
        doc_id = prop_id
    elif prop_id and prop_id != doc_id and conflict is None:
        conflict = prop_id
    found.doc_id, found.kind, found.id_conflict = doc_id, kind, conflict
    return found


def read_form(path: str | Path) -> Form:
    """Read one filled form; raises InputError only when the file cannot be opened."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return _read_docx(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    raise InputError(
        f"not a form file ({path.suffix or 'no extension'})", file=path.name,
        fix="give the filled .docx or .xlsx forms",
    )


def is_lock_file(path: Path) -> bool:
    """Word/Excel owner files ("~$rm.docx") and LibreOffice locks (".~lock.x#")."""
    return path.name.startswith(("~$", ".~lock"))


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, plus the .docx/.xlsx forms inside folders (sorted, lock files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in FORM_SUFFIXES and not is_lock_file(f)
            )
        elif not p.exists():
            raise InputError("file not found", file=p, fix="check the path and the current folder")
        elif not is_lock_file(p):
            out.append(p)
    return out
