"""Format permintaan data kinerja: one DOCX and one XLSX per Bidang, by one command.

Each form is prefilled with the Bidang's indicators for one period (triwulan or
month) and leaves Realisasi and Keterangan/Kendala empty. Its identity follows
docs/CONTRACTS.md "Permintaan-data forms" exactly (manifest JSON, custom properties,
the visible "ID Formulir:" line, the fixed table header, the XLSX "ID Formulir" cell),
because docgen.collect reads the filled forms back by it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from .. import formatting
from ..datafile import FieldValueError, Tanggal, load_yaml, validate
from ..errors import ConfigError, DocgenError, InputError
from ..render import PROP_ID, PROP_KIND, PROP_NOMOR, DocProps, new_doc_id, render
from . import Finding, Kind, MakeOptions, MakeResult
from .generic import DOTS, check_pejabat, pdf_or_undo, pejabat_context, remove_quietly

if TYPE_CHECKING:
    from ..workspace import Workspace

KIND_NAME = "permintaan-data"
TEMPLATE = "permintaan-data.docx"
# Fixed by the contract: readers find the table by this header.
HEADER = ["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Keterangan/Kendala"]
ID_LABEL = "ID Formulir"

PETUNJUK = [
    "Isi hanya kolom Realisasi dan Keterangan/Kendala; kolom lain jangan diubah.",
    "Tulis Realisasi sebagai angka capaian {periode} dalam satuan yang tertera, "
    "misalnya 95 atau 1.234,5.",
    "Jika realisasi belum tersedia atau di bawah target, jelaskan penyebab dan kendalanya "
    "pada kolom Keterangan/Kendala.",
    "Jangan menambah, menghapus, atau menukar baris, dan jangan mengubah baris ID Formulir.",
    "Kembalikan formulir ini (Word atau Excel) kepada {peminta} paling lambat {tenggat}.",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Indikator(_Strict):
    sasaran: str = Field(min_length=1)
    indikator: str = Field(min_length=1)
    satuan: str = Field(min_length=1)
    target: list[Decimal] = Field(min_length=4, max_length=4, description="targets of TW I..IV")
    bulanan: list[Decimal] | None = Field(None, min_length=12, max_length=12,
                                          description="optional targets of January..December")
    arah: Literal["naik", "turun"] = "naik"

    def target_for(self, triwulan: int | None, bulan: int | None) -> Decimal:
        if bulan is not None:
            return self.bulanan[bulan - 1] if self.bulanan else self.target[(bulan - 1) // 3]
        return self.target[triwulan - 1]


class IndikatorFile(RootModel[dict[str, list[Indikator]]]):
    pass


class PermintaanData(_Strict):
    tahun: int = Field(ge=2000, le=2100, description="year of the data")
    triwulan: int | None = Field(None, ge=1, le=4, description="quarter 1-4 (or give bulan)")
    bulan: int | None = Field(None, ge=1, le=12, description="month 1-12 (or give triwulan)")
    tanggal: Tanggal | None = Field(None, description="date the forms are sent (default: today)")
    tenggat: Tanggal = Field(description="date the Bidang return the forms by")
    indikator: str = Field(min_length=1, description=(
        "YAML file of indicators per Bidang key (relative to this file); each: sasaran, indikator, "
        "satuan, target [TW I, II, III, IV], optional bulanan [12], arah naik|turun "
        "(see contoh/indikator-kinerja.yaml)"))
    bidang: list[str] = Field(default_factory=list, description="keys of [bidang] to send to (empty: all)")
    peminta: str = Field("kepala", description="who asks, gets the forms back: key of [pejabat]")
    petunjuk: list[str] = Field(
        default_factory=lambda: list(PETUNJUK),
        description="instructions printed on the form; {periode} {tenggat} {peminta} are filled in",
    )

    @model_validator(mode="after")
    def _period(self) -> PermintaanData:
        if (self.triwulan is None) == (self.bulan is None):
            both = self.triwulan is not None
            raise FieldValueError("bulan" if both else "triwulan",
                                  "give exactly one of triwulan (1-4) or bulan (1-12)"
                                  + ("; both are given" if both else "; neither is given"),
                                  fix="delete the bulan line for a quarterly request" if both
                                  else "add e.g. `triwulan: 3` or `bulan: 9`")
        return self

    @property
    def periode(self) -> str:
        if self.triwulan is not None:
            return f"{self.tahun}-TW{self.triwulan}"
        return f"{self.tahun}-{self.bulan:02d}"

    @property
    def periode_label(self) -> str:
        if self.triwulan is not None:
            return f"Triwulan {formatting.romawi(self.triwulan)} Tahun {self.tahun}"
        return f"{formatting.bulan(self.bulan)} {self.tahun}"


def _num(d: Decimal) -> int | float:
    """A JSON/Excel number: 100 stays an integer, 98.5 a float."""
    return int(d) if d == d.to_integral_value() else float(d)


def _chosen_bidang(ws: Workspace, data: PermintaanData, source: Path) -> list[str]:
    known = ws.config.bidang
    if not known:
        raise ConfigError("no [bidang] in the settings", file=ws.config_file, field="bidang",
                          fix="add [bidang.KEY] sections with nama and pejabat")
    keys = data.bidang or list(known)
    for i, k in enumerate(keys, 1):
        if k not in known:
            raise InputError(f"unknown bidang {k!r}", file=source, field=f"bidang[{i}]",
                             fix="use keys of [bidang] in docgen.toml: " + ", ".join(known))
    return keys


def load_indikator(data: PermintaanData, source: Path) -> tuple[Path, dict[str, list[Indikator]]]:
    path = Path(data.indikator)
    if not path.is_absolute():
        path = Path(source).parent / path  # relative to the data file, not the current folder
    if not path.is_file():
        raise InputError(f"indicator file {path} not found", file=source, field="indikator",
                         fix="give the path of the indicator YAML, relative to this file")
    return path, validate(IndikatorFile, load_yaml(path), path).root


def check(ws: Workspace | None, data: PermintaanData) -> list[Finding]:
    out = check_pejabat(ws, {"peminta": data.peminta}, data)
    if data.tenggat < (data.tanggal or dt.date.today()):
        sent = formatting.tanggal(data.tanggal) if data.tanggal else "today"
        out.append(Finding("error", "tenggat",
                           f"tenggat {formatting.tanggal(data.tenggat)} is before the forms are sent ({sent})",
                           "give a tenggat after tanggal (YYYY-MM-DD)"))
    if ws is not None:
        known = ws.config.bidang
        for i, k in enumerate(data.bidang, 1):
            if k not in known:
                out.append(Finding("error", f"bidang[{i}]", f"unknown bidang {k!r}",
                                   "use keys of [bidang] in docgen.toml: " + ", ".join(known)))
    return out


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def make(ws: Workspace, data: PermintaanData, opts: MakeOptions) -> MakeResult:
    source = Path(opts.source)
    # Everything is checked before the first file is written.
    keys = _chosen_bidang(ws, data, source)
    ind_file, indikator = load_indikator(data, source)
    for k in indikator:
        if k not in ws.config.bidang:
            # a misspelt key: its indicators would silently never be sent
            near = difflib.get_close_matches(str(k), list(ws.config.bidang), n=1)
            raise InputError(
                f"unknown bidang key {k!r}" + (f"; did you mean {near[0]!r}?" if near else ""),
                file=ind_file, field=str(k),
                fix="use the keys of [bidang] in docgen.toml: " + ", ".join(ws.config.bidang))
    for k in keys:
        if not indikator.get(k):
            raise InputError(f"no indicators for bidang {k!r}", file=ind_file, field=k,
                             fix=f"add a list of indicators under {k}:, or leave {k!r} out of bidang")
    peminta = pejabat_context(ws, data.peminta, file=source, field="peminta")
    tanggal = data.tanggal or dt.date.today()
    tenggat = formatting.tanggal(data.tenggat)
    petunjuk = [
        t.replace("{periode}", data.periode_label).replace("{tenggat}", tenggat)
        .replace("{peminta}", peminta["jabatan"])
        for t in data.petunjuk
    ]

    stems = [f"permintaan-data-{data.periode}-{k}" for k in keys]
    replaced = _guard_filled(opts.out_dir, stems)

    result = MakeResult()
    # Forms are written into a staging folder and moved into place at the end, so a
    # failure halfway leaves the forms of an earlier run as they were.
    stage = opts.out_dir / f".permintaan-data-{os.getpid()}.tmp"
    manifests: list[tuple[Path, dict[str, Any]]] = []
    moved: list[Path] = []
    try:
        for k, stem in zip(keys, stems, strict=True):
            b = ws.config.bidang[k]
            kepala = (pejabat_context(ws, b.pejabat, file=ws.config_file, field=f"bidang.{k}.pejabat")
                      if b.pejabat else {"jabatan": f"Kepala {b.nama}", "nama": DOTS, "pangkat": "", "nip": DOTS})
            rows = [
                {"no": i, "sasaran": ind.sasaran, "indikator": ind.indikator, "satuan": ind.satuan,
                 "target": _num(ind.target_for(data.triwulan, data.bulan)), "arah": ind.arah}
                for i, ind in enumerate(indikator[k], 1)
            ]
            props = DocProps(kind=KIND_NAME, doc_id=new_doc_id(),
                             title=f"Permintaan Data Kinerja {data.periode_label}", subject=b.nama)
            ctx = {
                "bidang_nama": b.nama, "periode_label": data.periode_label, "tenggat": tenggat,
                "peminta": peminta, "kepala_bidang": kepala, "petunjuk": petunjuk,
                "rows": [{**r, "target_tampil": formatting.angka(r["target"])} for r in rows],
            }
            docx = stage / f"{stem}.docx"
            render(ws, TEMPLATE, ctx, docx, props)
            xlsx = stage / f"{stem}.xlsx"
            write_xlsx(xlsx, props, ctx, rows, ws)
            manifest = {
                "doc_id": props.doc_id, "bidang": k, "bidang_nama": b.nama, "tahun": data.tahun,
                "periode": data.periode, "periode_label": data.periode_label,
                "tenggat": data.tenggat.isoformat(), "dibuat": dt.datetime.now().replace(microsecond=0).isoformat(),
                "tanggal": tanggal.isoformat(), "rows": rows,
            }
            manifests.append((ws.data_dir / "permintaan" / f"{props.doc_id}.json", manifest))
            result.docx.append(docx)
            result.doc_ids.append(props.doc_id)
        if opts.pdf:  # before the manifests: a failed conversion leaves no form issued
            result.pdf = pdf_or_undo(result.docx)
        staged = sorted(stage.iterdir())
        for path, payload in manifests:
            moved.append(path)
            _write_json(path, payload)
        for f in staged:
            moved.append(opts.out_dir / f.name)
            os.replace(f, opts.out_dir / f.name)
        if not opts.pdf:  # a PDF of the earlier run would show the earlier ID Formulir
            remove_quietly([opts.out_dir / f"{stem}.pdf" for stem in stems])
    except BaseException:
        remove_quietly(moved)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    result.docx = [opts.out_dir / p.name for p in result.docx]
    result.pdf = [opts.out_dir / p.name for p in result.pdf]
    result.notes += [str(opts.out_dir / f"{stem}.xlsx") for stem in stems]
    if replaced:
        result.notes.append(
            f"replaced the unfilled forms of an earlier run for {', '.join(replaced)}; "
            "copies of the earlier forms already sent are still accepted by `docgen collect`")
    result.notes.append(f"{len(keys)} form(s) for {data.periode_label}; manifests in {ws.data_dir / 'permintaan'}")
    return result


def _guard_filled(out_dir: Path, stems: list[str]) -> list[str]:
    """Stems of earlier, unfilled forms this run replaces. A form in the output folder
    that already holds realisasi (a Bidang's answer saved over it) is never overwritten."""
    from ..collect.reader import read_form

    replaced = []
    for stem in stems:
        for suffix in (".docx", ".xlsx"):
            path = out_dir / f"{stem}{suffix}"
            if not path.exists():
                continue
            if stem not in replaced:
                replaced.append(stem)
            try:
                form = read_form(path)
            except DocgenError:
                form = None
            filled = form is not None and any(
                row.cells.get(c) for row in form.rows for c in ("realisasi", "keterangan"))
            if filled:
                raise InputError(
                    "an earlier form with the same name already holds filled-in data; "
                    "making the forms again would overwrite it",
                    file=path, field="realisasi",
                    fix=f"move {path.name} to the folder of returned forms (or rename it), then make again")
    return replaced


# --- XLSX -------------------------------------------------------------------------

def write_xlsx(path: Path, props: DocProps, ctx: dict[str, Any], rows: list[dict[str, Any]], ws: Workspace) -> Path:
    """The Excel twin of the DOCX form: same id, same header, only Realisasi and
    Keterangan/Kendala editable (sheet protected without a password against slips)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    wb = Workbook()
    sh = wb.active
    sh.title = "Permintaan Data"
    kop = ws.config.kop
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFG", [5, 32, 44, 12, 11, 13, 34], strict=True):
        sh.column_dimensions[col].width = width

    def line(r: int, text: str, *, font: Font | None = None) -> None:
        sh.cell(r, 1, text).font = font or Font()
        sh.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        sh.cell(r, 1).alignment = Alignment(horizontal="center")

    line(1, kop.pemerintah, font=bold)
    line(2, " ".join(kop.instansi), font=bold)
    line(3, "FORMAT PERMINTAAN DATA KINERJA", font=Font(bold=True, size=13))
    line(4, ctx["periode_label"].upper(), font=bold)
    r = 6
    for label, value in [("Unit Kerja", ctx["bidang_nama"]), ("Periode", ctx["periode_label"]),
                         ("Batas Pengembalian", ctx["tenggat"]), (ID_LABEL, props.doc_id)]:
        sh.cell(r, 2, label).font = bold
        sh.cell(r, 3, value)
        r += 1
    r += 1
    sh.cell(r, 1, "Petunjuk pengisian:").font = bold
    r += 1
    for i, t in enumerate(ctx["petunjuk"], 1):
        sh.cell(r, 1, f"{i}. {t}").alignment = Alignment(wrap_text=True)
        sh.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        sh.row_dimensions[r].height = 30 if len(t) > 110 else 15
        r += 1
    r += 1
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row = r
    for c, text in enumerate(HEADER, 1):
        cell = sh.cell(r, c, text)
        cell.font = bold
        cell.border = box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if c >= 6 else "D9D9D9")
    for row in rows:
        r += 1
        values = [row["no"], row["sasaran"], row["indikator"], row["satuan"], row["target"], None, None]
        for c, v in enumerate(values, 1):
            cell = sh.cell(r, c, v)
            cell.border = box
            cell.alignment = wrap
            if c >= 6:  # the Bidang fills these
                cell.protection = Protection(locked=False)
    sh.freeze_panes = sh.cell(header_row + 1, 1)
    sh.protection.sheet = True  # no password: it guards against slips, not against people
    sh.protection.formatColumns = sh.protection.formatRows = False  # widening stays allowed
    sh.print_options.gridLines = False
    sh.page_setup.orientation = "landscape"
    # Excel's paper 14 is Folio 8.5 x 13 in (216 x 330 mm): the nearest to F4
    sh.page_setup.paperSize = 14 if ws.config.kertas.ukuran == "F4" else sh.PAPERSIZE_A4
    sh.page_setup.fitToWidth = 1
    for name, value in ((PROP_KIND, props.kind), (PROP_ID, props.doc_id), (PROP_NOMOR, props.nomor)):
        wb.custom_doc_props.append(StringProperty(name=name, value=value or "-"))
    wb.properties.title = props.title
    wb.properties.subject = props.subject
    wb.properties.identifier = props.doc_id
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


# --- filling a form like a clerk (tests, demo) ------------------------------------

def _header_map(cells: list[str]) -> dict[str, int] | None:
    names = [" ".join((c or "").split()) for c in cells]
    if "Indikator Kinerja" not in names or "Realisasi" not in names:
        return None
    return {n: i for i, n in enumerate(names)}


def fill_form(path: str | Path, values: dict[int, tuple[str, str]], out: str | Path) -> Path:
    """Fill Realisasi and Keterangan/Kendala of a generated form (row no -> (realisasi,
    keterangan)) and save it as ``out``, editing only those cells as a clerk would."""
    path, out = Path(path), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        return _fill_xlsx(path, values, out)
    return _fill_docx(path, values, out)


def _set_text(cell, text: str) -> None:
    p = cell.paragraphs[0]
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    if text:
        p.add_run(text)


def _fill_docx(path: Path, values: dict[int, tuple[str, str]], out: Path) -> Path:
    from docx import Document

    doc = Document(str(path))
    todo = dict(values)
    for table in doc.tables:
        rows = table.rows
        for i, row in enumerate(rows):
            cols = _header_map([c.text for c in row.cells])
            if cols is None:
                continue
            for body in rows[i + 1:]:
                cells = body.cells
                no = cells[cols["No"]].text.strip()
                if no.isdigit() and int(no) in todo:
                    real, ket = todo.pop(int(no))
                    _set_text(cells[cols["Realisasi"]], real)
                    _set_text(cells[cols["Keterangan/Kendala"]], ket)
            break
    if todo:
        raise InputError(f"rows {sorted(todo)} not in the form", file=path, field="No",
                         fix="give row numbers of the indicator table")
    doc.save(str(out))
    return out


def _fill_xlsx(path: Path, values: dict[int, tuple[str, str]], out: Path) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    sh = wb.worksheets[0]
    todo = dict(values)
    header = None
    for row in sh.iter_rows():
        if header is None:
            header = _header_map([str(c.value) if c.value is not None else "" for c in row])
            continue
        no = row[header["No"]].value
        if isinstance(no, int) and no in todo:
            real, ket = todo.pop(no)
            try:  # Excel turns a typed number into a number
                num = formatting.parse_angka(real)
            except ValueError:
                num = None
            row[header["Realisasi"]].value = _num(num) if num is not None else real
            row[header["Keterangan/Kendala"]].value = ket or None
    if todo:
        raise InputError(f"rows {sorted(todo)} not in the form", file=path, field="No",
                         fix="give row numbers of the indicator table")
    wb.save(out)
    return out


KIND = Kind(
    name=KIND_NAME,
    title="Format Permintaan Data Kinerja",
    model=PermintaanData,
    make=make,
    template=TEMPLATE,
    description="One DOCX + XLSX form per Bidang with its indicators for a triwulan or month; "
                "Realisasi and Keterangan/Kendala left for the Bidang.",
    numbered=False,
    check=check,
    example="permintaan-data.yaml",
)
