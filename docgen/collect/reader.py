"""Read a filled permintaan-data form (DOCX or XLSX) into plain text cells.

Nothing is interpreted here: numbers stay text, so validation can name the exact
cell a clerk typed wrongly. The form format is fixed in docs/CONTRACTS.md
("Permintaan-data forms"): the identity is the DOCX custom property ``docgen.id``
or the visible line "ID Formulir: <id>"; in XLSX the cell right of "ID Formulir".
The indicator table is found by its header row.

Clerks return forms in other shapes too: old Word/Excel (.doc, .xls), OpenDocument
(.odt, .ods) or RTF are converted with LibreOffice first; a PDF or a photo is refused,
never skipped. What the reader notices about a cell but cannot judge (merged across
rows, a formula without a saved result, an Excel error or date) goes in
``FormRow.issues`` for validation to report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..render import PROP_ID, PROP_KIND, read_properties

FORM_SUFFIXES = (".docx", ".xlsx")
# Saved by another program: LibreOffice converts them to the form's own format.
CONVERTIBLE = {".doc": "docx", ".docm": "docx", ".odt": "docx", ".rtf": "docx", ".wps": "docx",
               ".xls": "xlsx", ".xlsm": "xlsx", ".ods": "xlsx"}
IMAGES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".webp")
# Files the system leaves in folders; never forms, never worth a message.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
UNMERGE = "split the merged cell (Word: Split Cells, Excel: Unmerge Cells), then write each row's own value"
EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!",
                "#CALC!", "Err:502", "Err:504", "Err:508", "Err:511", "Err:522"}

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
    issues: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (what is wrong, fix)
    outside: list[tuple[str, str, str]] = field(default_factory=list)  # (column, cell, text) not read


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
    read: Path | None = None        # the .docx/.xlsx actually read, when converted from path
    saved_by: str = ""              # the suffix it was saved as, when converted
    below: list[str] = field(default_factory=list)  # sheet rows with text under the table


def norm(text: object) -> str:
    """Whitespace-collapsed text of a cell ('' for None)."""
    if text is None:
        return ""
    return " ".join(str(text).split())


def norm_lines(text: object) -> str:
    """Like norm, but keeps the clerk's line breaks (a numbered list of kendala)."""
    lines = (norm(line) for line in str(text or "").splitlines())
    return "\n".join(line for line in lines if line)


def _header_name(text: object) -> str:
    """"Keterangan /\nKendala", "No." -> "keterangan/kendala", "no"."""
    return re.sub(r"\s*/\s*", "/", norm(text).lower()).rstrip(".:").strip()


def _header_fields(cells: list[str]) -> dict[int, str] | None:
    """Column index -> field, when the row is the indicator table's header. A heading a
    clerk lengthened ("Realisasi TW III") still counts, after the exact headings."""
    names = [_header_name(c) for c in cells]
    out: dict[int, str] = {}
    for i, n in enumerate(names):
        f = COLUMNS.get(n)
        if f and f not in out.values():
            out[i] = f
    for i, n in enumerate(names):
        f = next((COLUMNS[k] for k in sorted(COLUMNS, key=len, reverse=True)
                  if n.startswith((k + " ", k + "("))), None)
        if f and i not in out and f not in out.values():
            out[i] = f
    if "indikator" not in out.values() or "realisasi" not in out.values():
        return None
    return dict(sorted(out.items()))


def _is_numbering_row(cells: list[str]) -> bool:
    """A row like "(1) (2) (3) ..." under the header, as many offices print."""
    vals = [norm(c) for c in cells if norm(c)]
    return bool(vals) and all(re.fullmatch(r"\(?\d+\)?", v) for v in vals) and len(vals) > 3


def _rows_from_grid(grid: list[list[str]], start: int, header: dict[int, str],
                    refs: list[list[str]] | None = None,
                    issues: dict[tuple[int, int], tuple[str, str]] | None = None,
                    merged: dict[tuple[int, int], tuple[int, int]] | None = None,
                    below: list[str] | None = None) -> list[FormRow]:
    """Indicator rows under the header. ``merged`` maps a grid cell covered by a merged
    cell to the grid cell holding its text, so the row it was merged with can be named.
    After a blank row, a row without No and Indikator is below the table (a place, date
    and signature a clerk adds under it in Excel): it goes to ``below``, not to the rows."""
    rows: list[FormRow] = []
    number_of: dict[int, int] = {}  # grid row -> indicator row number
    fields = {f: i for i, f in header.items()}
    gap = False
    for r in range(start, len(grid)):
        cells = grid[r]
        if not any(norm(c) for c in cells) or (not rows and _is_numbering_row(cells)):
            gap = gap or bool(rows)
            continue  # blank rows at the end (or spare rows) are not indicator rows
        if gap and not any(norm(cells[fields[f]]) for f in ("no", "indikator")
                           if f in fields and fields[f] < len(cells)):
            if below is not None:
                below.append(refs[r][0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if refs else "")
            continue
        values = {f: (norm_lines if f == "keterangan" else norm)(cells[i]) if i < len(cells) else ""
                  for i, f in header.items()}
        ref = {f: refs[r][i] for i, f in header.items() if refs and i < len(refs[r])}
        row = FormRow(number=len(rows) + 1, cells=values, refs=ref)
        titles = grid[start - 1]
        for i, text in enumerate(cells):  # a column the clerk added, a note beside the table
            if i not in header and norm(text) and (merged or {}).get((r, i), (r, i))[1] not in header:
                cell = refs[r][i] if refs and i < len(refs[r]) else ""
                title = norm(titles[i]) if i < len(titles) else ""
                column = (f"column {title!r}" if title else
                          f"column {cell.rstrip('0123456789')}" if cell else f"column {i + 1}")
                row.outside.append((column, cell, norm_lines(text)))
        for i, f in header.items():
            if issues and (r, i) in issues:
                row.issues[f] = issues[(r, i)]
            origin = (merged or {}).get((r, i))
            if origin is None or f not in ("realisasi", "keterangan"):
                continue  # merged Sasaran/Indikator text is still compared with the issued text
            if origin[0] != r and origin[0] in number_of and f == "realisasi":
                # one value would count for two indicators; a shared Keterangan is one kendala
                row.issues[f] = (f"is one merged cell with row {number_of[origin[0]]}, so one value "
                                 "would count for two indicators", UNMERGE)
            elif origin[0] == r and origin[1] in header:
                row.issues[f] = (f"is one merged cell with column {LABELS[header[origin[1]]]}", UNMERGE)
        number_of[r] = row.number
        rows.append(row)
    return rows


# --- DOCX ---------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
         f"{_W}noBreakHyphen": "-"}
# Text that Word does not show as the document's text: tracked deletions, moved-away text,
# the old-Word copy of a text box.
_NOT_SHOWN = {f"{_W}del", f"{_W}moveFrom", _MC_FALLBACK}


def shown_text(el: Any) -> str:
    """The text Word shows in a cell or paragraph, with tracked changes accepted.

    python-docx's ``.text`` reads only plain runs: a value typed with Track Changes on
    (w:ins), in a content control (w:sdt) or a smart tag read as an empty cell."""
    lines: dict[Any, list[str]] = {}  # paragraph element -> its pieces, in document order
    for node in el.iter(*_TEXT):
        para, anc = None, node.getparent()
        while anc is not None:
            if anc.tag in _NOT_SHOWN:
                break
            if para is None and anc.tag == f"{_W}p":
                para = anc
            if anc is el:
                anc = None
                break
            anc = anc.getparent()
        if anc is not None or para is None:
            continue  # inside a deletion (or outside any paragraph)
        lines.setdefault(para, []).append((node.text or "") if _TEXT[node.tag] is None else _TEXT[node.tag])
    return "\n".join("".join(parts) for parts in lines.values())


def _read_docx(path: Path) -> Form:
    from docx import Document

    try:
        doc = Document(str(path))
    except OSError:
        raise
    except Exception as exc:  # a truncated zip, broken XML...: the file's fault, whatever the error
        raise InputError(
            f"not a readable Word file ({type(exc).__name__})", file=path.name,
            fix="save it again as .docx from Word or LibreOffice, or ask the Bidang to send it again",
        ) from None
    from docx.table import Table

    props = read_properties(path)
    texts = [shown_text(p._p) for p in doc.paragraphs]
    # Top-level tables in body order. A table that follows another with only empty
    # paragraphs between and as many columns is its continuation: Word's "Split Table"
    # (a clerk moving rows to the next page) leaves exactly that.
    grids: list[tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]]]] = []
    joinable = False
    for el in doc.element.body.iterchildren():
        if el.tag == f"{_W}p":
            joinable = joinable and not shown_text(el).strip()
            continue
        if el.tag != f"{_W}tbl":
            continue
        grid: list[list[str]] = []
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        first: list[tuple[object, tuple[int, int]]] = []  # python-docx repeats a merged cell
        for r, row in enumerate(Table(el, doc._body).rows):
            cells = row.cells
            grid.append([shown_text(c._tc) for c in cells])
            texts.extend(grid[-1])
            for c, cell in enumerate(cells):
                origin = next((o for tc, o in first if tc is cell._tc), None)
                if origin is None:
                    first.append((cell._tc, (r, c)))
                else:
                    merged[(r, c)] = origin
        prev = grids[-1][0] if grids else None
        if (joinable and prev and grid and len(grid[0]) == len(prev[-1])
                and not any(_header_fields(cells) for cells in grid)):
            off = len(prev)
            grids[-1][1].update({(r + off, c): (r0 + off, c0) for (r, c), (r0, c0) in merged.items()})
            prev.extend(grid)
        else:
            grids.append((grid, merged))
        joinable = True
    for sec in doc.sections:  # the id may sit in a header/footer line
        texts.extend(p.text for p in sec.header.paragraphs)
        texts.extend(p.text for p in sec.footer.paragraphs)
    visible = {m.group(1).strip(".,;") for t in texts for m in _ID_RE.finditer(t)}
    prop_id = props.get(PROP_ID) or None
    ids = ({prop_id} if prop_id else set()) | visible
    doc_id = prop_id or (sorted(visible)[0] if visible else None)
    conflict = next((i for i in sorted(ids) if i != doc_id), None)

    below: list[str] = []
    for grid, merged in grids:
        for r, cells in enumerate(grid):
            header = _header_fields(cells)
            if header:
                return Form(path, "docx", doc_id, props.get(PROP_KIND) or None,
                            list(header.values()),
                            _rows_from_grid(grid, r + 1, header, merged=merged, below=below),
                            id_conflict=conflict, below=below)
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
        # Excel shows (and means) 15 significant digits: =1.1*3 is 3,3, not 3,3000000000000003
        d = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
        percent = "%" in number_format  # 0.855 shown as "85,5%": the % sign is kept, so a
        if percent:                      # percentage typed for a count can be caught
            d *= 100
        d = d.normalize()
        text = format(d, "f")
        return text.replace(".", ",") + ("%" if percent else "")
    return str(value)


def _cell_issue(value: object, formula: object) -> tuple[str, str] | None:
    """What is wrong with an Excel cell itself, before its text is judged."""
    has_formula = isinstance(formula, str) and formula.startswith("=")
    if has_formula and value is None:
        # written by a program that does not calculate: the value Excel showed is not saved
        return (f"holds the formula {formula} without a saved result",
                "open the file in Excel or LibreOffice, save it and send it again; or type the number")
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        shown = f" of the formula {formula}" if has_formula else ""
        return f"shows the error {value.strip()}{shown}", "correct the formula, or type the number"
    if isinstance(value, dt.date | dt.time):
        return ("is a date, not a number (Excel turns e.g. 5/10 into a date)",
                "format the cell as Number and type the number again")
    return None


def _read_xlsx(path: Path) -> Form:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:  # from bytes: openpyxl refuses a workbook by its name (an Excel file renamed .docx)
        data = path.read_bytes()
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
        formulas = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except OSError:
        raise
    except Exception as exc:  # a truncated zip, broken XML...: the file's fault, whatever the error
        raise InputError(
            f"not a readable Excel file ({type(exc).__name__})", file=path.name,
            fix="save it again as .xlsx from Excel or LibreOffice, or ask the Bidang to send it again",
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
    for sheet, fsheet in zip(wb.worksheets, formulas.worksheets, strict=True):
        # A merged range keeps its value in the top-left cell only; every cell of it reads
        # that value, and knows where it came from.
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in sheet.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r - 1, c - 1)] = (rng.min_row - 1, rng.min_col - 1)
        grid: list[list[str]] = []
        refs: list[list[str]] = []
        issues: dict[tuple[int, int], tuple[str, str]] = {}
        for r, row in enumerate(sheet.iter_rows(), start=1):
            cells, rrefs = [], []
            for c, cell in enumerate(row, start=1):
                top = merged.get((r - 1, c - 1))
                src = sheet.cell(top[0] + 1, top[1] + 1) if top else cell
                cells.append(_cell_text(src.value, getattr(src, "number_format", "") or ""))
                rrefs.append(f"{get_column_letter(c)}{r}")
                issue = _cell_issue(src.value, fsheet.cell(src.row, src.column).value)
                if issue:
                    issues[(r - 1, c - 1)] = issue
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
                    below: list[str] = []
                    found = Form(path, "xlsx", None, None, list(header.values()),
                                 _rows_from_grid(grid, r + 1, header, refs, issues, merged, below),
                                 below=below)
                    break
    if found is None:
        found = Form(path, "xlsx", None, None, [], [], table_found=False)
    if doc_id is None:  # the visible cell was deleted: the workbook property still tells
        doc_id = prop_id
    elif prop_id and prop_id != doc_id and conflict is None:
        conflict = prop_id
    found.doc_id, found.kind, found.id_conflict = doc_id, kind, conflict
    return found


# Zip limits, checked from the zip's central directory before anything is decompressed.
# Python's zipfile never inflates a member past the size its directory declares, so
# these bound what python-docx/openpyxl can be made to read. A filled form is a few MB.
ZIP_MAX_TOTAL = 100 * 1024 * 1024   # all members, uncompressed
ZIP_MAX_MEMBER = 64 * 1024 * 1024   # one member (document.xml, a sheet)
ZIP_MAX_RATIO = 200                 # uncompressed / compressed, for members above 1 MiB
ZIP_MAX_MEMBERS = 10_000


def check_zip_bomb(path: Path) -> None:
    """Refuse a DOCX/XLSX/ODF whose zip would decompress to more than a form ever holds."""
    mib = 1024 * 1024
    fix = ("a filled form is a few MB: ask the Bidang to save it again from Word or Excel "
           "(without pasted pictures of whole pages), or send the data in a smaller file")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader says what it is
    if len(infos) > ZIP_MAX_MEMBERS:
        raise InputError(f"refused: the file holds {len(infos)} parts (limit {ZIP_MAX_MEMBERS}); "
                         "it looks like a zip bomb, not a form", file=path.name, fix=fix)
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > ZIP_MAX_MEMBER:
            raise InputError(f"refused: its part {i.filename} would unpack to {i.file_size / mib:.0f} MiB "
                             f"(limit {ZIP_MAX_MEMBER / mib:.0f} MiB); it looks like a zip bomb, not a form",
                             file=path.name, fix=fix)
        if i.file_size > mib and i.file_size > ZIP_MAX_RATIO * max(i.compress_size, 1):
            raise InputError(f"refused: its part {i.filename} is compressed "
                             f"{i.file_size / max(i.compress_size, 1):.0f} to 1 (limit {ZIP_MAX_RATIO} to 1); "
                             "it looks like a zip bomb, not a form", file=path.name, fix=fix)
    if total > ZIP_MAX_TOTAL:
        raise InputError(f"refused: it would unpack to {total / mib:.0f} MiB (limit "
                         f"{ZIP_MAX_TOTAL / mib:.0f} MiB); it looks like a zip bomb, not a form",
                         file=path.name, fix=fix)


def _sniff(path: Path) -> str | None:
    """What the file really is, whatever its name says: docx, xlsx, odt, ods, rtf, ole
    (old Word/Excel), pdf, or None."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return None
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if not head.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            mime = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return "odt" if mime.endswith(".text") else "ods" if mime.endswith(".spreadsheet") else None


def _libreoffice(path: Path, target: str, outdir: Path) -> Path:
    """Convert a form saved by another program to .docx/.xlsx with headless LibreOffice."""
    from ..convert import find_soffice

    what = f"saved as {path.suffix or 'a file without extension'}"
    exe = find_soffice()
    if exe is None:
        raise InputError(f"{what}; reading it needs LibreOffice, which is not installed",
                         file=path.name, fix=f"open it in Word/Excel and save it as .{target}")
    outdir.mkdir(parents=True, exist_ok=True)
    # own profile: parallel soffice runs sharing one fail silently
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as profile, \
            contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(
            [str(exe), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", "--nolockcheck", "--nodefault", "--nologo",
             "--convert-to", target, "--outdir", str(outdir), str(path.resolve())],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=180, check=False)
    out = outdir / f"{path.stem}.{target}"
    if not out.is_file() or out.stat().st_size == 0:
        need = " (LibreOffice Calc is needed for spreadsheets)" if target == "xlsx" else ""
        raise InputError(f"{what}; LibreOffice could not convert it to .{target}{need}",
                         file=path.name, fix=f"open it in Word/Excel and save it as .{target}")
    return out


def read_form(path: str | Path, convert_dir: Path | None = None) -> Form:
    """Read one filled form; raises InputError only when the file cannot be read.

    The content decides, not the name (an Excel file renamed .docx is read as Excel).
    Other formats are converted into ``convert_dir`` first; without it they are refused.
    """
    path = Path(path)
    try:
        return _read_form(path, convert_dir)
    except OSError as exc:  # Windows: a file Excel holds open cannot be read
        raise InputError(f"cannot be opened ({exc.strerror or type(exc).__name__})", file=path.name,
                         fix="close it if it is open in Word or Excel, check that you may read it, "
                             "and run again") from None


def _read_form(path: Path, convert_dir: Path | None) -> Form:
    if path.is_file() and path.stat().st_size == 0:
        raise InputError("is empty (0 bytes): it was not saved or not copied completely",
                         file=path.name, fix="ask the Bidang to send the filled form again")
    check_zip_bomb(path)  # before _sniff or any parser reads a member
    kind = _sniff(path)
    suffix = path.suffix.lower()
    if kind == "docx" or kind is None and suffix == ".docx":
        return _read_docx(path)
    if kind == "xlsx" or kind is None and suffix == ".xlsx":
        return _read_xlsx(path)
    if kind == "pdf" or suffix in IMAGES:
        raise InputError(
            f"is a {'PDF' if kind == 'pdf' or suffix == '.pdf' else 'picture'} (a scan or print of "
            "the form?): its values cannot be read", file=path.name,
            fix="ask the Bidang for the filled Word or Excel file, .docx or .xlsx, "
                "and move this file out of the folder")
    target = {"odt": "docx", "rtf": "docx", "ods": "xlsx"}.get(kind or "") or CONVERTIBLE.get(suffix)
    if target is None:
        raise InputError(
            f"not a form file ({suffix or 'no extension'})", file=path.name,
            fix="give only the filled .docx or .xlsx forms; move other files out of the folder")
    if convert_dir is None:
        raise InputError(f"saved as {suffix}", file=path.name,
                         fix=f"open it in Word/Excel and save it as .{target}")
    converted = _libreoffice(path, target, convert_dir / hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12])
    check_zip_bomb(converted)  # what LibreOffice made of an ODF is checked like a DOCX
    form = _read_docx(converted) if target == "docx" else _read_xlsx(converted)
    form.path, form.read, form.saved_by = path, converted, suffix
    return form


def is_lock_file(path: Path) -> bool:
    """Word/Excel owner files ("~$rm.docx") and LibreOffice locks (".~lock.x#")."""
    return path.name.startswith(("~$", ".~lock"))


def _skipped(path: Path) -> bool:
    """Hidden and system files: never forms, nothing worth telling."""
    return path.name.startswith(".") or path.name.lower() in SYSTEM_FILES or is_lock_file(path)


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, plus every file directly inside the folders named (sorted; lock,
    hidden and system files skipped). Files that are not forms stay in the list so that
    they are reported, never silently left out."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted((f for f in p.iterdir() if f.is_file() and not _skipped(f)),
                          key=lambda f: f.name.lower())
        elif not p.exists():
            raise InputError("file not found", file=p, fix="check the path and the current folder")
        elif not is_lock_file(p):
            out.append(p)
    return out


def subfolders(paths: list[str | Path]) -> list[tuple[Path, int]]:
    """(subfolder, number of files) inside the folders named. They are not read (an old
    period kept in "sudah/" must not come back into the rekap), but the user is told."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            for d in sorted(x for x in p.iterdir() if x.is_dir() and not x.name.startswith(".")):
                n = sum(1 for f in d.rglob("*") if f.is_file() and not _skipped(f))
                if n:
                    out.append((d, n))
    return out


def open_elsewhere(paths: list[str | Path]) -> list[tuple[Path, Path]]:
    """(form, owner file) for forms that Word, Excel or LibreOffice has open right now:
    the copy on disk may lack what the clerk has not saved yet."""
    out: list[tuple[Path, Path]] = []
    for p in map(Path, paths):
        locks = ([f for f in p.rglob("*") if f.is_file() and is_lock_file(f)] if p.is_dir()
                 else [p] if is_lock_file(p) else [])
        for lock in locks:
            # Word: "~$" replaces the first two letters of a long name; Excel prefixes it;
            # LibreOffice: ".~lock.NAME#"
            name = lock.name.removeprefix(".~lock.").removesuffix("#")
            name = name.removeprefix("~$")
            form = next((f for f in sorted(lock.parent.iterdir())
                         if f != lock and not is_lock_file(f) and f.name.endswith(name)
                         and len(f.name) - len(name) <= 2), None)
            if form is not None:
                out.append((form, lock))
    return out
