"""Laporan Capaian Kinerja: the rekap of a period as a report, with the forms as lampiran.

The numbers come from the rekap JSON written by `docgen collect`; the planner writes
the words (pendahuluan, analisis, penutup) in the YAML. With --pdf the filled forms
are converted in the same LibreOffice batch as the laporan and appended as LAMPIRAN,
with PDF bookmarks for each chapter and each lampiran.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import convert, formatting
from ..collect import rekap as rekap_mod
from ..collect.reader import read_form
from ..datafile import FieldValueError
from ..errors import InputError
from ..render import DocProps, landscape_document, read_properties, render_with_template
from . import Finding, Kind, MakeOptions, MakeResult

CHAPTERS = [("BAB I", "BAB I PENDAHULUAN"), ("BAB II", "BAB II CAPAIAN KINERJA"),
            ("BAB III", "BAB III ANALISIS"), ("BAB IV", "BAB IV PENUTUP"),
            ("DAFTAR LAMPIRAN", "DAFTAR LAMPIRAN")]


PERIODE_RE = re.compile(r"^\d{4}-(TW[1-4]|0[1-9]|1[0-2])$")


class AnalisisSasaran(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sasaran: str = Field(description="the sasaran as written in the forms")
    paragraf: list[str] = Field(min_length=1, description="analysis paragraphs for this sasaran")


class Laporan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    periode: str = Field(description='period key of the rekap, e.g. "2026-TW3"')
    judul: str = Field("Laporan Capaian Kinerja", description="title on the cover")
    tanggal: dt.date = Field(description="date of signature, YYYY-MM-DD")
    penandatangan: str = Field("kepala", description="key in [pejabat] of the signer")
    pendahuluan: list[str] = Field(default_factory=list,
                                   description="BAB I paragraphs (default: a standard text)")
    analisis: list[str] = Field(min_length=1, description="BAB III paragraphs written by the planner")
    analisis_sasaran: list[AnalisisSasaran] = Field(default_factory=list,
                                                    description="BAB III paragraphs per sasaran")
    penutup: list[str] = Field(default_factory=list, description="BAB IV paragraphs (default: standard)")
    lampiran: list[str] | None = Field(
        None, description="Bidang keys whose forms are appended (default: all collected; [] none)")

    @field_validator("periode", mode="before")
    @classmethod
    def _periode_key(cls, v: object) -> object:
        # `periode: 2026` (unquoted, no quarter) used to fail as "Input should be a valid string"
        if isinstance(v, str) and PERIODE_RE.match(v.strip()):
            return v.strip()
        raise FieldValueError("periode", f"{v!r} is not a period key",
                              fix='write the key of a rekap in quotes: "2026-TW3" for a quarter, '
                                  '"2026-09" for a month (`docgen collect` prints it)')


# --- context ------------------------------------------------------------------

def _load_rekap(ws: Any, data: Laporan) -> dict[str, Any]:
    rekap = rekap_mod.load(ws, data.periode)
    if rekap is None or not rekap.get("bidang"):
        raise InputError(
            f"no rekap for period {data.periode!r}", field="periode",
            fix="run `docgen collect` on the filled forms of that period first",
        )
    return rekap


def _sasaran_names(rekap: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(r["sasaran"] for b in rekap["bidang"].values() for r in b["rows"]))


def check(ws: Any, data: Laporan) -> list[Finding]:
    if ws is None:
        return []
    out: list[Finding] = []
    rekap = rekap_mod.load(ws, data.periode)
    if rekap is None or not rekap.get("bidang"):
        return [Finding("error", "periode", f"no rekap for period {data.periode!r}",
                        "run `docgen collect` on the filled forms of that period first")]
    if data.penandatangan not in ws.config.pejabat:
        out.append(Finding("error", "penandatangan", f"unknown pejabat {data.penandatangan!r}",
                           "use a key of [pejabat] in docgen.toml: " + ", ".join(ws.config.pejabat)))
    for i, key in enumerate(data.lampiran or [], start=1):
        if key not in rekap["bidang"]:
            out.append(Finding("error", f"lampiran[{i}]", f"no collected form of Bidang {key!r}",
                               "use one of: " + ", ".join(rekap["bidang"])))
    known = _sasaran_names(rekap)
    for i, s in enumerate(data.analisis_sasaran, start=1):
        if " ".join(s.sasaran.split()) not in known:
            out.append(Finding("warning", f"analisis_sasaran[{i}].sasaran",
                               f"{s.sasaran!r} is not a sasaran of the rekap",
                               "copy the sasaran text from the rekap"))
    belum = rekap.get("kelengkapan", {}).get("belum_nama", [])
    if belum:
        out.append(Finding("warning", "periode", "forms still missing: " + ", ".join(belum),
                           "collect them, or the laporan states they are missing"))
    return out


def _fmt(value: float | None, decimals: int | None = None) -> str:
    return "-" if value is None else formatting.angka(value, decimals)


def grafik(rows: list[dict[str, Any]], judul: str, out: Path) -> Path:
    """Horizontal bar chart of capaian per indikator (PNG), Indonesian labels and commas."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    labels = [textwrap.fill(r["indikator"], 42) for r in rows]
    values = [r["capaian"] or 0.0 for r in rows]
    fig_h = 1.4 + 0.55 * len(rows) + 0.12 * sum(lbl.count("\n") for lbl in labels)
    fig_h = min(fig_h, 9.5)  # at 150 mm wide this still fits one A4 page
    fig, ax = plt.subplots(figsize=(7.2, fig_h), dpi=150)
    y = list(range(len(rows)))[::-1]
    colours = ["#1f4e79" if (r["capaian"] or 0) >= 100 else "#c55a11" for r in rows]
    ax.barh(y, values, color=colours, height=0.6)
    top = max([*values, 100.0])
    for yi, r, v in zip(y, rows, values, strict=True):
        text = "- (tidak dapat dihitung)" if r["capaian"] is None else formatting.angka(v, 2) + "%"
        ax.text(v + top * 0.01, yi, text, va="center", fontsize=7.5)
    ax.axvline(100, color="#555555", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.set_xlim(0, top * 1.15)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: formatting.angka(x, 0)))
    ax.set_xlabel("Capaian (%)  —  garis putus-putus: target 100%", fontsize=8)
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(color="#1f4e79", label="Mencapai target (≥ 100%)"),
                        Patch(color="#c55a11", label="Di bawah target")],
               fontsize=7, loc="lower center", ncol=2, frameon=False)
    ax.set_title(judul, fontsize=9, fontweight="bold")
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout(rect=(0, 0.3 / fig_h, 1, 1))  # room for the legend below
    fig.savefig(out, format="png")
    plt.close(fig)
    return out


def _ringkasan(rows: list[dict[str, Any]]) -> str:
    nilai = [r["capaian"] for r in rows if r["capaian"] is not None]
    tercapai = sum(1 for v in nilai if v >= 100)
    text = (f"Dari {len(rows)} indikator kinerja, {tercapai} indikator mencapai atau melampaui target "
            f"(capaian 100% atau lebih) dan {len(nilai) - tercapai} indikator belum mencapai target")
    if nilai:
        rata = sum(nilai) / len(nilai)
        text += f", dengan rata-rata capaian {formatting.persen(rata, 2)}"
    tanpa = len(rows) - len(nilai)
    if tanpa:
        text += f"; capaian {tanpa} indikator tidak dapat dihitung (lihat kolom Keterangan)"
    return text + ". Capaian per indikator disajikan pada Gambar 2.1."


def _lampiran_keys(data: Laporan, rekap: dict[str, Any]) -> list[str]:
    return list(rekap["bidang"]) if data.lampiran is None else list(data.lampiran)


def build_context(ws: Any, data: Laporan, rekap: dict[str, Any], chart: Path):
    rows = rekap_mod.rows(ws, rekap)
    label = rekap.get("periode_label") or data.periode
    tahun = rekap.get("tahun") or data.tanggal.year
    bidang = []
    for b in rekap["bidang"].values():
        # a sasaran is printed once for its run of indicators, as merged cells would read
        shown = [r["sasaran"] if i == 0 or r["sasaran"] != b["rows"][i - 1]["sasaran"] else ""
                 for i, r in enumerate(b["rows"])]
        bidang.append({"nama": b["bidang_nama"], "rows": [{
            "no": r["no"], "sasaran": s, "indikator": r["indikator"], "satuan": r["satuan"],
            "target": _fmt(r["target"]), "realisasi": _fmt(r["realisasi"]),
            "capaian": _fmt(r["capaian"], 2),
            "keterangan": "; ".join(x for x in (r["catatan_capaian"], r["keterangan"]) if x),
        } for r, s in zip(b["rows"], shown, strict=True)]})
    kl = rekap.get("kelengkapan", {})
    belum = kl.get("belum_nama", [])
    instansi = _judul_kata(" ".join(ws.config.kop.instansi))
    nama_bidang = [b["bidang_nama"] for b in rekap["bidang"].values()]
    pendahuluan = data.pendahuluan or [
        f"Pengukuran kinerja merupakan bagian dari Sistem Akuntabilitas Kinerja Instansi Pemerintah "
        f"(SAKIP). Sesuai dengan prosedur Mekanisme Pengumpulan Data Kinerja, {instansi} "
        f"menghimpun data realisasi indikator kinerja dari setiap unit kerja untuk {label}.",
        "Laporan ini menyajikan capaian kinerja tersebut sebagai bahan evaluasi pimpinan dan "
        "dasar perbaikan pelaksanaan program dan kegiatan pada periode berikutnya.",
    ]
    penutup = data.penutup or [
        f"Demikian Laporan Capaian Kinerja {label} ini disusun sebagai bahan evaluasi dan "
        "pengambilan keputusan. Atas perhatian dan kerja sama semua pihak, disampaikan terima kasih.",
    ]
    ttd = ws.pejabat(data.penandatangan, field="penandatangan")
    lampiran = []
    for i, key in enumerate(_lampiran_keys(data, rekap), start=1):
        b = rekap["bidang"][key]
        lampiran.append({"no": i, "judul": f"Formulir Data Kinerja {b['bidang_nama']} "
                                           f"(ID Formulir: {b['doc_id']})"})
    ctx = {
        "judul": data.judul.upper(),
        "periode_label": label,
        "periode_judul": label.upper(),
        "tahun": tahun,
        "pendahuluan": pendahuluan,
        "ruang_lingkup": (f"Laporan ini mencakup {len(rows)} indikator kinerja dari "
                          f"{len(nama_bidang)} unit kerja, yaitu " + _daftar(nama_bidang) + "."),
        "pengantar_capaian": (
            "Capaian kinerja dihitung dengan membandingkan realisasi terhadap target "
            "(realisasi dibagi target dikali 100%). Untuk indikator yang semakin kecil semakin baik, "
            "capaian dihitung sebagai target dibagi realisasi dikali 100%. Capaian per indikator "
            f"{label} disajikan pada Tabel 2.1."),
        "bidang": bidang,
        "belum_masuk": ("Sampai dengan laporan ini disusun, unit kerja berikut belum menyampaikan "
                        "data kinerja: " + _daftar(belum) + ".") if belum else "",
        "ringkasan": _ringkasan(rows),
        "analisis": data.analisis,
        "analisis_sasaran": [
            {"huruf": chr(ord("A") + i), "sasaran": s.sasaran, "paragraf": s.paragraf}
            for i, s in enumerate(data.analisis_sasaran)
        ],
        "penutup": penutup,
        "tempat_tanggal": formatting.tempat_tanggal(ws.config.kop.kota, data.tanggal),
        "ttd": ttd.konteks(),
        "lampiran": lampiran,
    }

    def build(tpl: Any) -> dict[str, Any]:
        from docx.shared import Mm
        from docxtpl import InlineImage

        return {**ctx, "grafik": InlineImage(tpl, str(chart), width=Mm(150))}

    return build


_KATA_KECIL = {"dan", "atau", "serta", "untuk", "di", "ke", "dari", "pada", "yang"}


def _judul_kata(text: str) -> str:
    """"DINAS KOMUNIKASI DAN INFORMATIKA" -> "Dinas Komunikasi dan Informatika"."""
    words = text.split()
    return " ".join(w.lower() if i and w.lower() in _KATA_KECIL else w.capitalize()
                    for i, w in enumerate(words))


def _daftar(names: list[str]) -> str:
    """"A, B, dan C" as Indonesian lists are written."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (", dan " if len(names) > 2 else " dan ") + names[-1]


# --- lampiran and PDF -----------------------------------------------------------

def xlsx_as_docx(ws: Any, rekap: dict[str, Any], key: str, form: Path, out: Path) -> Path:
    """An Excel form cannot be converted here (no Calc): write its content as a DOCX table."""
    from docx.shared import Cm

    b = rekap["bidang"][key]
    parsed = read_form(form)  # the text as the Bidang typed it
    doc = landscape_document(ws.config.kertas.ukuran, font="Arial", size_pt=10)
    for text, bold in (("FORMAT PERMINTAAN DATA KINERJA", True),
                       (b["bidang_nama"].upper(), True),
                       ((rekap.get("periode_label") or rekap["periode"]).upper(), True),
                       ("", False),
                       (f"ID Formulir: {b['doc_id']}", False),
                       (f"Diterima dalam format Excel: {b['asal']}", False)):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold
        p.alignment = 1 if bold else 0
    head = ["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Keterangan/Kendala"]
    t = doc.add_table(rows=1, cols=len(head))
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, head, strict=True):
        c.text = ""
        c.paragraphs[0].add_run(h).bold = True
    typed = {row.number: row.cells for row in parsed.rows}
    for r in b["rows"]:
        cells = t.add_row().cells
        vals = [str(r["no"]), r["sasaran"], r["indikator"], r["satuan"], _fmt(r["target"]),
                _fmt(r["realisasi"]), typed.get(r["no"], {}).get("keterangan", r["keterangan"])]
        for c, v in zip(cells, vals, strict=True):
            c.text = v
    widths = [Cm(w) for w in (1.0, 5.0, 6.5, 2.2, 2.5, 2.5, 6.0)]
    t.autofit = False
    for gc, w in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=True):
        gc.w = w  # LibreOffice reads the grid, Word the cells
    for row in t.rows:
        for c, w in zip(row.cells, widths, strict=True):
            c.width = w
    doc.save(out)
    return out


def _chapter_pages(pdf: Path) -> dict[str, int]:
    """Page index of each chapter: the page whose first text line is the chapter's opening."""
    from pypdf import PdfReader

    found: dict[str, int] = {}
    for i, page in enumerate(PdfReader(pdf).pages):
        lines = [ln.strip() for ln in (page.extract_text() or "").splitlines() if ln.strip()]
        for start, title in CHAPTERS:
            if title not in found and start in lines[:2]:
                found[title] = i
    return found


def merge_pdf(laporan_pdf: Path, lampiran: list[tuple[str, Path]], out: Path, props: dict[str, str],
              title: str) -> Path:
    """Laporan + lampiran in one PDF with an outline; docgen properties kept in /Info."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(laporan_pdf), import_outline=False)
    writer.add_outline_item(title="Sampul", page_number=0)
    for title_, page in sorted(_chapter_pages(laporan_pdf).items(), key=lambda kv: kv[1]):
        writer.add_outline_item(title=title_, page_number=page)
    parent = None
    for name, pdf in lampiran:
        start = len(writer.pages)
        writer.append(PdfReader(pdf), import_outline=False)
        if parent is None:  # an outline item needs its page to exist
            parent = writer.add_outline_item(title="LAMPIRAN", page_number=start)
        writer.add_outline_item(title=name, page_number=start, parent=parent)
    writer.add_metadata({"/Title": title, "/Creator": "docgen", "/Producer": "docgen (pypdf)"})
    writer.page_mode = "/UseOutlines"
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            writer.write(fh)
        convert.stamp_pdf_properties(tmp, props)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def make(ws: Any, data: Laporan, opts: MakeOptions) -> MakeResult:
    rekap = _load_rekap(ws, data)
    name = f"laporan-{rekap_mod.safe_name(data.periode)}"
    out = opts.out_dir / f"{name}.docx"
    label = rekap.get("periode_label") or data.periode
    props = DocProps(kind="laporan", title=f"{data.judul} {label}",
                     subject=" ".join(ws.config.kop.instansi))
    with tempfile.TemporaryDirectory(prefix="docgen-laporan-") as tmpdir:
        tmp = Path(tmpdir)
        chart = grafik(rekap_mod.rows(ws, rekap), f"Capaian Kinerja per Indikator {label}",
                       tmp / "grafik.png")
        render_with_template(ws, "laporan.docx", build_context(ws, data, rekap, chart), out, props)
        result = MakeResult(docx=[out], doc_ids=[props.doc_id])
        belum = rekap.get("kelengkapan", {}).get("belum_nama", [])
        if belum:
            result.notes.append("forms still missing: " + ", ".join(belum))
        if not opts.pdf:
            return result

        # One LibreOffice batch: the laporan and every lampiran form.
        docs = [out]
        names = []
        for i, key in enumerate(_lampiran_keys(data, rekap), start=1):
            b = rekap["bidang"][key]
            form = ws.data_dir / b["berkas"]
            if not form.is_file():
                raise InputError(f"collected form {form} is gone", field=f"lampiran ({key})",
                                 fix="run `docgen collect` again on the forms of the period")
            if form.suffix.lower() == ".xlsx":
                form = xlsx_as_docx(ws, rekap, key, form, tmp / f"{key}-xlsx.docx")
            docs.append(form)
            names.append(f"Lampiran {i}: Formulir {b['bidang_nama']}")
        try:
            pdfs = convert.convert(docs, outdir=tmp / "pdf")
        except BaseException:
            out.unlink(missing_ok=True)  # no DOCX without the PDF asked for
            raise
        final = opts.out_dir / f"{name}.pdf"
        merge_pdf(pdfs[0], list(zip(names, pdfs[1:], strict=True)), final,
                  read_properties(out), props.title)
        result.pdf = [final]
    return result


KIND = Kind(
    name="laporan",
    title="Laporan Capaian Kinerja",
    model=Laporan,
    make=make,
    template="laporan.docx",
    description="Report of a period's capaian from the rekap of `docgen collect`; "
                "--pdf appends the filled forms as lampiran, with bookmarks.",
    check=check,
    example="laporan.yaml",
)
