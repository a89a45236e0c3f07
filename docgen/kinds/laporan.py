"""Laporan Capaian Kinerja: the rekap of a period as a report, with the forms as lampiran.

The numbers come from the rekap JSON written by `docgen collect`. The words come from the
YAML, or, left out, from defaults that say only what the data shows: the analysis, the
simpulan and the saran are written from the rekap, and a comparison with an earlier
period appears only when that period's rekap exists, with its numbers.

With --pdf the laporan and the returned forms are converted in one LibreOffice batch; the
page of each heading is read from that PDF's bookmarks, written into the Daftar Isi, and
the laporan converted once more (the Daftar Isi is a Word TOC field: Word rebuilds it from
the headings too). The forms are appended as LAMPIRAN, as returned (each page labelled
with the form's original file name) or, for Excel, re-typeset as a table; with PDF
bookmarks for each heading and each lampiran.
"""

from __future__ import annotations

import os
import re
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import convert, formatting
from ..collect import rekap as rekap_mod
from ..collect.reader import read_form
from ..datafile import FieldValueError, Tanggal
from ..errors import InputError
from ..render import DocProps, landscape_document, read_properties, render_with_template
from . import Finding, Kind, MakeOptions, MakeResult

PERIODE_RE = re.compile(r"^\d{4}-(TW[1-4]|0[1-9]|1[0-2])$")

# National regulations every laporan kinerja of a regional office rests on. An office adds
# its own (the Perda/Perwali/Perbup on its organisation, its Renstra) in the data file.
DASAR_HUKUM = [
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
    "Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja Instansi Pemerintah",
    "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi Pemerintah",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun 2014 tentang "
    "Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara Reviu atas Laporan Kinerja "
    "Instansi Pemerintah",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 88 Tahun 2021 tentang "
    "Evaluasi Akuntabilitas Kinerja Instansi Pemerintah",
]

TUJUAN = [
    "menyajikan capaian setiap indikator kinerja terhadap target yang telah ditetapkan",
    "mengidentifikasi indikator yang belum mencapai target beserta kendalanya",
    "menjadi bahan evaluasi pimpinan dan dasar perbaikan kinerja pada periode berikutnya",
]

# Words of a comparison with another period: written by hand without an earlier rekap,
# they are a claim without data.
_KLAIM_BANDING = re.compile(r"\b(dibandingkan|dibanding|sebelumnya|periode lalu|triwulan lalu|bulan lalu)\b",
                            re.IGNORECASE)


class AnalisisSasaran(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sasaran: str = Field(description="the sasaran as written in the forms")
    paragraf: list[str] = Field(min_length=1, description="analysis paragraphs for this sasaran")


class Laporan(BaseModel):
    model_config = ConfigDict(extra="forbid")
    periode: str = Field(description='period key of the rekap, e.g. "2026-TW3"')
    judul: str = Field("Laporan Capaian Kinerja", description="title on the cover")
    tanggal: Tanggal = Field(description="date of signature")
    penandatangan: str = Field("kepala", description="key in [pejabat] of the signer")
    kop_sampul: bool = Field(False, description="print the kop surat at the top of the cover")
    kata_pengantar: list[str] = Field(default_factory=list,
                                      description="Kata Pengantar paragraphs (default: a standard text)")
    pendahuluan: list[str] = Field(default_factory=list,
                                   description="BAB I A. Latar Belakang paragraphs (default: a standard text)")
    dasar_hukum: list[str] = Field(default_factory=lambda: list(DASAR_HUKUM),
                                   description="BAB I B. Dasar Hukum, one regulation each (default: the "
                                               "national SAKIP regulations)")
    maksud: list[str] = Field(default_factory=list, description="BAB I C. Maksud paragraphs (default: standard)")
    tujuan: list[str] = Field(default_factory=lambda: list(TUJUAN), description="BAB I C. Tujuan, a numbered list")
    pembanding: str | None = Field(
        None, description='period key of an earlier rekap to compare with (default: the period before, '
                          'if it was collected; "" for none)')
    analisis: list[str] = Field(default_factory=list,
                                description="BAB III paragraphs (default: written from the rekap)")
    analisis_sasaran: list[AnalisisSasaran] = Field(default_factory=list,
                                                    description="BAB III paragraphs per sasaran")
    simpulan: list[str] = Field(default_factory=list, description="BAB IV A. Simpulan (default: from the rekap)")
    saran: list[str] = Field(default_factory=list, description="BAB IV B. Saran (default: from the rekap)")
    penutup: list[str] = Field(default_factory=list, description="BAB IV closing paragraphs (default: standard)")
    lampiran: list[str] | None = Field(
        None, description="Bidang keys whose forms are appended (default: all collected; [] none)")
    lampiran_formulir: Literal["asli", "tabel"] = Field(
        "asli", description="asli: the forms as returned, converted to PDF, with their file names; "
                            "tabel: an Excel form re-typeset as a table")

    @field_validator("periode", "pembanding", mode="before")
    @classmethod
    def _periode_key(cls, v: object, info: Any) -> object:
        # `periode: 2026` (unquoted, no quarter) used to fail as "Input should be a valid string"
        if v is None or (info.field_name == "pembanding" and v == ""):
            return v
        if isinstance(v, str) and PERIODE_RE.match(v.strip()):
            return v.strip()
        raise FieldValueError(info.field_name, f"{v!r} is not a period key",
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


def _earlier(ws: Any, data: Laporan) -> dict[str, Any] | None:
    """The rekap to compare with: the one named, else the period before if collected."""
    if data.pembanding == "":
        return None
    key = data.pembanding or rekap_mod.previous_period(data.periode)
    if key is None or key == data.periode:
        return None
    earlier = rekap_mod.load(ws, key)
    if earlier is None or not earlier.get("bidang"):
        if data.pembanding:
            raise InputError(f"no rekap for period {key!r} to compare with", field="pembanding",
                             fix="collect that period's forms first, or leave pembanding out")
        return None
    return earlier


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
    try:
        earlier = _earlier(ws, data)
    except InputError as exc:
        out.append(Finding("error", "pembanding", exc.message, exc.fix or ""))
        earlier = None
    if earlier is None:
        for fld in ("analisis", "simpulan"):
            for i, text in enumerate(getattr(data, fld), start=1):
                m = _KLAIM_BANDING.search(text)
                if m:
                    prev = rekap_mod.previous_period(data.periode) or "an earlier period"
                    out.append(Finding(
                        "warning", f"{fld}[{i}]",
                        f"compares with another period ({m.group(0)!r}), but no rekap of {prev} exists",
                        "collect that period's forms (the laporan then compares, with the numbers), "
                        "or reword the paragraph"))
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


# --- the chart, in the document's font ------------------------------------------

# Fonts a template names and the metric-compatible ones LibreOffice prints them with.
FONT_TWINS = {
    "arial": ["Liberation Sans", "Arimo"], "helvetica": ["Liberation Sans", "Arimo"],
    "times new roman": ["Liberation Serif", "Tinos"], "courier new": ["Liberation Mono", "Cousine"],
    "calibri": ["Carlito"], "cambria": ["Caladea"],
}


def template_font(template: Path) -> str:
    """The body font of a DOCX template (its Normal style, else the document defaults)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(template) as zf:
            root = etree.fromstring(zf.read("word/styles.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return ""
    places = [s for s in root.iter(f"{w}style") if s.get(f"{w}styleId") == "Normal"]
    places += list(root.iter(f"{w}rPrDefault"))
    for place in places:
        fonts = place.find(f".//{w}rFonts")
        if fonts is not None and fonts.get(f"{w}ascii"):
            return fonts.get(f"{w}ascii")
    return ""


def chart_font(family: str) -> str | None:
    """The installed font family the chart is drawn in: the template's font, else the
    metric twin LibreOffice uses for it (Arial -> Liberation Sans); None when neither is
    installed (matplotlib's default then)."""
    from matplotlib import font_manager

    for name in [family, *FONT_TWINS.get(family.lower(), [])] if family else []:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        return font_manager.FontProperties(fname=path).get_name()
    return None


def grafik(rows: list[dict[str, Any]], judul: str, out: Path, font: str | None = None) -> Path:
    """Horizontal bar chart of capaian per indikator (PNG, or PDF for a .pdf name),
    Indonesian labels and commas, in ``font`` (see chart_font)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    labels = [textwrap.fill(r["indikator"], 42) for r in rows]
    values = [r["capaian"] or 0.0 for r in rows]
    fig_h = 1.4 + 0.55 * len(rows) + 0.12 * sum(lbl.count("\n") for lbl in labels)
    fig_h = min(fig_h, 9.5)  # at 150 mm wide this still fits one A4 page
    style = {"font.family": [font]} if font else {}
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(7.2, fig_h), dpi=200)
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
        fig.legend(handles=[Patch(color="#1f4e79", label="Mencapai target (≥ 100%)"),
                            Patch(color="#c55a11", label="Di bawah target")],
                   fontsize=7, loc="lower center", ncol=2, frameon=False)
        ax.set_title(judul, fontsize=9, fontweight="bold")
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout(rect=(0, 0.3 / fig_h, 1, 1))  # room for the legend below
        fig.savefig(out, format="pdf" if out.suffix.lower() == ".pdf" else "png")
        plt.close(fig)
    return out


# --- the words: defaults that say what the data shows ----------------------------

def _capai(rows: list[dict[str, Any]]) -> tuple[list[dict], list[dict], list[dict]]:
    """(reached, below target, not computable) indicator rows."""
    nilai = [r for r in rows if r["capaian"] is not None]
    return ([r for r in nilai if r["capaian"] >= 100], [r for r in nilai if r["capaian"] < 100],
            [r for r in rows if r["capaian"] is None])


def _ringkasan(rows: list[dict[str, Any]]) -> str:
    tercapai, kurang, tanpa = _capai(rows)
    nilai = [r["capaian"] for r in rows if r["capaian"] is not None]
    text = (f"Dari {len(rows)} indikator kinerja, {len(tercapai)} indikator mencapai atau melampaui target "
            f"(capaian 100% atau lebih) dan {len(kurang)} indikator belum mencapai target")
    if nilai:
        text += f", dengan rata-rata capaian {formatting.persen(sum(nilai) / len(nilai), 2)}"
    if tanpa:
        text += f"; capaian {len(tanpa)} indikator tidak dapat dihitung (lihat kolom Keterangan)"
    return text + ". Capaian per indikator disajikan pada Gambar 2.1."


def _perbandingan_teks(cmp: dict[str, Any], label: str) -> str:
    n = cmp["dibandingkan"]
    if not n:
        return (f"Tidak ada indikator dengan capaian yang dapat dihitung pada {cmp['label']} dan {label} "
                "sekaligus, sehingga capaian belum dapat dibandingkan. Indikator kedua periode disajikan "
                "pada Tabel 2.2.")
    a, b = cmp["rata_sebelum"], cmp["rata_sekarang"]
    arah = "naik" if b > a else "turun" if b < a else "tetap"
    change = f"{arah} {formatting.angka(abs(b - a), 2)} poin persen, " if arah != "tetap" else "tetap, "
    return (f"Dibandingkan dengan {cmp['label']}, dari {n} indikator yang capaiannya dapat dihitung pada "
            f"kedua periode, {cmp['naik']} indikator meningkat, {cmp['turun']} indikator menurun dan "
            f"{cmp['tetap']} indikator tetap. Rata-rata capaian indikator tersebut {change}dari "
            f"{formatting.persen(a, 2)} pada {cmp['label']} menjadi {formatting.persen(b, 2)} pada {label}. "
            "Rinciannya disajikan pada Tabel 2.2.")


def _analisis(rows: list[dict[str, Any]], cmp: dict[str, Any] | None, belum: list[str], label: str) -> list[str]:
    tercapai, kurang, tanpa = _capai(rows)
    out = []
    if tercapai:
        best = max(tercapai, key=lambda r: r["capaian"])
        out.append(f"Sebanyak {len(tercapai)} dari {len(rows)} indikator mencapai atau melampaui target pada "
                   f"{label}. Capaian tertinggi adalah indikator {best['indikator']} ({best['bidang_nama']}) "
                   f"sebesar {formatting.persen(best['capaian'], 2)}.")
    for r in sorted(kurang, key=lambda r: r["capaian"]):
        text = (f"Indikator {r['indikator']} ({r['bidang_nama']}) baru mencapai "
                f"{formatting.persen(r['capaian'], 2)} dari target (realisasi {_fmt(r['realisasi'])} "
                f"dari target {_fmt(r['target'])} {r['satuan']})")
        text += f"; kendala yang disampaikan: {r['keterangan']}." if r["keterangan"] else "."
        out.append(text)
    for r in tanpa:
        why = "; ".join(x for x in (r["catatan_capaian"], r["keterangan"]) if x)
        out.append(f"Capaian indikator {r['indikator']} ({r['bidang_nama']}) tidak dapat dihitung"
                   + (f" ({why})." if why else "."))
    if cmp and cmp["dibandingkan"]:
        out.append(_perbandingan_teks(cmp, label).replace(" Rinciannya disajikan pada Tabel 2.2.", ""))
    if belum:
        out.append(f"Data {_daftar(belum)} belum disampaikan, sehingga capaian unit kerja tersebut belum "
                   "dapat dianalisis dalam laporan ini.")
    return out


def _simpulan(rows: list[dict[str, Any]], cmp: dict[str, Any] | None, belum: list[str], label: str) -> list[str]:
    tercapai, kurang, tanpa = _capai(rows)
    nilai = [r["capaian"] for r in rows if r["capaian"] is not None]
    first = (f"Pada {label}, {len(tercapai)} dari {len(rows)} indikator kinerja mencapai atau melampaui target "
             f"dan {len(kurang)} indikator belum mencapai target")
    first += f", dengan rata-rata capaian {formatting.persen(sum(nilai) / len(nilai), 2)}" if nilai else ""
    out = [first + "."]
    if tanpa:
        out.append(f"Capaian {len(tanpa)} indikator belum dapat dihitung: "
                   + _daftar([r["indikator"] for r in tanpa]) + ".")
    if cmp and cmp["dibandingkan"]:
        a, b = cmp["rata_sebelum"], cmp["rata_sekarang"]
        arah = "meningkat" if b > a else "menurun" if b < a else "tetap"
        out.append(f"Dibandingkan dengan {cmp['label']}, rata-rata capaian {cmp['dibandingkan']} indikator "
                   f"yang sama {arah} dari {formatting.persen(a, 2)} menjadi {formatting.persen(b, 2)}.")
    if belum:
        out.append(f"Data kinerja {_daftar(belum)} belum disampaikan.")
    return out


def _saran(rows: list[dict[str, Any]], belum: list[str], label: str) -> list[str]:
    _, kurang, tanpa = _capai(rows)
    out = [f"{r['bidang_nama']} agar menyusun langkah percepatan pencapaian indikator {r['indikator']} "
           f"(capaian {formatting.persen(r['capaian'], 2)})." for r in sorted(kurang, key=lambda r: r["capaian"])]
    out += [f"{r['bidang_nama']} agar melengkapi atau memperbaiki data indikator {r['indikator']} sehingga "
            "capaiannya dapat dihitung." for r in tanpa]
    out += [f"{b} agar segera menyampaikan data kinerja {label}." for b in belum]
    out.append("Indikator yang telah mencapai target agar dipertahankan capaiannya pada periode berikutnya.")
    return out


def _lampiran_keys(data: Laporan, rekap: dict[str, Any]) -> list[str]:
    return list(rekap["bidang"]) if data.lampiran is None else list(data.lampiran)


def _lampiran_name(i: int, b: dict[str, Any]) -> str:
    """The bookmark and page label of a lampiran: which form, from which file."""
    return f"Lampiran {i}: Formulir {b['bidang_nama']} ({b['asal']})"


def daftar_isi_awal(data: Laporan, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """The Daftar Isi as the template will print it, before the pages are known; the
    headings LibreOffice reports replace it (they are what the document really holds)."""
    e = [("KATA PENGANTAR", 0), ("DAFTAR ISI", 0), ("BAB I PENDAHULUAN", 0), ("A. Latar Belakang", 1),
         ("B. Dasar Hukum", 1), ("C. Maksud dan Tujuan", 1), ("D. Ruang Lingkup", 1),
         ("BAB II CAPAIAN KINERJA", 0), ("A. Capaian Indikator Kinerja", 1)]
    if ctx["pembanding"]:
        e.append((f"B. Perbandingan dengan {ctx['pembanding']['label']}", 1))
    e.append(("BAB III ANALISIS", 0))
    e += [(f"{s['huruf']}. Sasaran: {s['sasaran']}", 1) for s in ctx["analisis_sasaran"]]
    e += [("BAB IV PENUTUP", 0), ("A. Simpulan", 1), ("B. Saran", 1)]
    if ctx["lampiran"]:
        e.append(("DAFTAR LAMPIRAN", 0))
    return [{"judul": j, "tingkat": t, "halaman": ""} for j, t in e]


def build_context(ws: Any, data: Laporan, rekap: dict[str, Any], earlier: dict[str, Any] | None) -> dict[str, Any]:
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
    belum = rekap.get("kelengkapan", {}).get("belum_nama", [])
    instansi = _judul_kata(" ".join(ws.config.kop.instansi))
    wilayah = _judul_kata(re.sub(r"^PEMERINTAH\s+", "", ws.config.kop.pemerintah, flags=re.IGNORECASE))
    nama_bidang = [b["bidang_nama"] for b in rekap["bidang"].values()]
    cmp = rekap_mod.compare(ws, rekap, earlier) if earlier else None
    pembanding = None
    if cmp:
        pembanding = {"label": cmp["label"], "teks": _perbandingan_teks(cmp, label), "rows": [
            {"bidang": m["bidang"], "indikator": m["indikator"], "sebelum": _fmt(m["sebelum"], 2),
             "sekarang": _fmt(m["sekarang"], 2),
             "selisih": "-" if m["selisih"] is None else ("+" if m["selisih"] > 0 else "") + _fmt(m["selisih"], 2)}
            for m in cmp["rows"]]}
    prev = rekap_mod.previous_period(data.periode)
    tanpa_pembanding = "" if cmp or data.pembanding == "" or prev is None else (
        f"Data capaian periode sebelumnya ({rekap_mod.periode_label(prev)}) belum dikumpulkan, sehingga "
        "perbandingan capaian antarperiode tidak disajikan dalam laporan ini.")
    ttd = ws.pejabat(data.penandatangan, field="penandatangan")
    lampiran = []
    for i, key in enumerate(_lampiran_keys(data, rekap), start=1):
        b = rekap["bidang"][key]
        lampiran.append({"no": i, "judul": f"Formulir Data Kinerja {b['bidang_nama']} (berkas {b['asal']}, "
                                           f"ID Formulir: {b['doc_id']})"})
    ctx: dict[str, Any] = {
        "judul": data.judul.upper(),
        "periode_label": label,
        "periode_judul": label.upper(),
        "tahun": tahun,
        "kop_sampul": data.kop_sampul,
        "kata_pengantar": data.kata_pengantar or [
            f"Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa, karena atas rahmat-Nya "
            f"{data.judul} {label} {instansi} {wilayah} dapat diselesaikan.",
            f"Laporan ini menyajikan capaian indikator kinerja {label} berdasarkan data yang disampaikan "
            f"oleh setiap unit kerja, sebagai wujud akuntabilitas pelaksanaan tugas dan fungsi {instansi}.",
            "Kami menyampaikan terima kasih kepada semua pihak yang telah membantu penyusunan laporan ini. "
            "Semoga laporan ini bermanfaat sebagai bahan evaluasi dan perbaikan kinerja.",
        ],
        "pendahuluan": data.pendahuluan or [
            f"Pengukuran kinerja merupakan bagian dari Sistem Akuntabilitas Kinerja Instansi Pemerintah "
            f"(SAKIP). Sesuai dengan prosedur Mekanisme Pengumpulan Data Kinerja, {instansi} "
            f"menghimpun data realisasi indikator kinerja dari setiap unit kerja untuk {label}.",
            "Laporan ini menyajikan capaian kinerja tersebut sebagai bahan evaluasi pimpinan dan "
            "dasar perbaikan pelaksanaan program dan kegiatan pada periode berikutnya.",
        ],
        "dasar_hukum": data.dasar_hukum,
        "maksud": data.maksud or [
            f"Maksud penyusunan laporan ini adalah menyajikan capaian kinerja {instansi} {label} "
            "sebagai wujud pertanggungjawaban pelaksanaan tugas dan fungsi kepada pimpinan."],
        "tujuan": data.tujuan,
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
        "pembanding": pembanding,
        "tanpa_pembanding": tanpa_pembanding,
        "analisis": data.analisis or _analisis(rows, cmp, belum, label),
        "analisis_sasaran": [
            {"huruf": chr(ord("A") + i), "sasaran": s.sasaran, "paragraf": s.paragraf}
            for i, s in enumerate(data.analisis_sasaran)
        ],
        "simpulan": data.simpulan or _simpulan(rows, cmp, belum, label),
        "saran": data.saran or _saran(rows, belum, label),
        "penutup": data.penutup or [
            f"Demikian {data.judul} {label} ini disusun sebagai bahan evaluasi dan pengambilan "
            "keputusan. Atas perhatian dan kerja sama semua pihak, disampaikan terima kasih.",
        ],
        "tempat_tanggal": formatting.tempat_tanggal(ws.config.kop.kota, data.tanggal),
        "ttd": ttd.konteks(),
        "lampiran": lampiran,
    }
    ctx["daftar_isi"] = daftar_isi_awal(data, ctx)
    return ctx


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


# --- page numbers of the Daftar Isi (pure) ----------------------------------------

def outline_entries(pdf: Path) -> list[tuple[str, int, int]]:
    """(title, level, page index) of each bookmark LibreOffice wrote for a heading."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    out: list[tuple[str, int, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it, level + 1)
            else:
                out.append((" ".join(str(it.title).split()), level, reader.get_destination_page_number(it)))

    walk(reader.outline, 0)
    return out


def printed_pages(entries: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """The Daftar Isi: each heading with the number printed on its page. Pages before the
    first chapter (Kata Pengantar, Daftar Isi) count i, ii, ... from the first heading; the
    chapters count 1, 2, ... from the first "BAB", as the template's sections number them."""
    if not entries:
        return []
    body = next((p for t, _, p in entries if t.upper().startswith("BAB")), entries[0][2])
    front = entries[0][2]
    out = []
    for title, level, page in entries:
        number = (formatting.romawi(page - front + 1).lower() if page < body else str(page - body + 1))
        out.append({"judul": title, "tingkat": min(level, 1), "halaman": number})
    return out


# --- lampiran and PDF -----------------------------------------------------------

def xlsx_as_docx(ws: Any, rekap: dict[str, Any], key: str, form: Path, out: Path) -> Path:
    """An Excel form re-typeset as a DOCX table (lampiran_formulir: tabel)."""
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


def _label_overlay(text: str, width: float, height: float, font: str | None, out: Path) -> Path:
    """A transparent page of ``width`` x ``height`` pt with ``text`` in its top margin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.family": [font]} if font else {}):
        fig = plt.figure(figsize=(width / 72, height / 72))
        fig.text(1 - 28 / width, 1 - 18 / height, text, ha="right", va="top", fontsize=7.5, color="#333333")
        fig.savefig(out, format="pdf", transparent=True)
        plt.close(fig)
    return out


def label_pages(pdf: Path, text: str, font: str | None, tmp: Path) -> Path:
    """Each page of a returned form, as returned, with which lampiran it is and the
    form's original file name in the top margin."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    overlays: dict[tuple[float, float], Any] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (round(float(box.width), 1), round(float(box.height), 1))
        if size not in overlays:
            path = _label_overlay(text, *size, font, tmp / f"label-{len(overlays)}-{pdf.stem}.pdf")
            overlays[size] = PdfReader(path).pages[0]
        page.merge_page(overlays[size])
    out = pdf.with_name(pdf.stem + "-label.pdf")
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def merge_pdf(laporan_pdf: Path, lampiran: list[tuple[str, Path]], out: Path, props: dict[str, str],
              title: str) -> Path:
    """Laporan + lampiran in one PDF; bookmarks: the cover, every heading (from the
    laporan's own), each lampiran; docgen properties kept in /Info."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(laporan_pdf), import_outline=False)
    writer.add_outline_item(title="Sampul", page_number=0)
    parents: dict[int, Any] = {}
    for heading, level, page in outline_entries(laporan_pdf):
        parent = parents.get(level - 1) if level else None
        parents[level] = writer.add_outline_item(title=heading, page_number=page, parent=parent)
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


def _mark_toc_dirty(docx: Path, props: DocProps) -> None:
    """Without --pdf the Daftar Isi has no page numbers yet: mark its field dirty, so Word
    fills it in when the DOCX is opened."""
    from ..render import read_package, write_package

    entries = read_package(docx)
    entries["word/document.xml"] = re.sub(
        rb'(<w:fldChar w:fldCharType="begin")(/>(?:(?!<w:fldChar).)*?<w:instrText[^>]*> TOC )',
        rb'\1 w:dirty="true"\2', entries["word/document.xml"], count=1, flags=re.S)
    write_package(entries, docx, props)


def make(ws: Any, data: Laporan, opts: MakeOptions) -> MakeResult:
    rekap = _load_rekap(ws, data)
    earlier = _earlier(ws, data)
    name = f"laporan-{rekap_mod.safe_name(data.periode)}"
    out = opts.out_dir / f"{name}.docx"
    label = rekap.get("periode_label") or data.periode
    props = DocProps(kind="laporan", title=f"{data.judul} {label}",
                     subject=" ".join(ws.config.kop.instansi))
    template = ws.template("laporan.docx")
    font = chart_font(template_font(template))
    ctx = build_context(ws, data, rekap, earlier)
    result = MakeResult(docx=[out], doc_ids=[props.doc_id])
    if font is None:
        result.notes.append(f"the chart is drawn in matplotlib's font: the template's font "
                            f"{template_font(template)!r} (or its metric twin) is not installed")
    belum = rekap.get("kelengkapan", {}).get("belum_nama", [])
    if belum:
        result.notes.append("forms still missing: " + ", ".join(belum))
    with tempfile.TemporaryDirectory(prefix="docgen-laporan-") as tmpdir:
        tmp = Path(tmpdir)
        chart = grafik(rekap_mod.rows(ws, rekap), f"Capaian Kinerja per Indikator {label}",
                       tmp / "grafik.png", font)

        def render(context: dict[str, Any]) -> None:
            def build(tpl: Any) -> dict[str, Any]:
                from docx.shared import Mm
                from docxtpl import InlineImage

                return {**context, "grafik": InlineImage(tpl, str(chart), width=Mm(150))}

            render_with_template(ws, "laporan.docx", build, out, props)

        render(ctx)
        if not opts.pdf:
            _mark_toc_dirty(out, props)
            result.notes.append("the Daftar Isi gets its page numbers with --pdf (or in Word: "
                                "right-click it, Update Field)")
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
            if form.suffix.lower() == ".xlsx" and data.lampiran_formulir == "tabel":
                form = xlsx_as_docx(ws, rekap, key, form, tmp / f"{key}-xlsx.docx")
            docs.append(form)
            names.append(_lampiran_name(i, b))
        try:
            pdfs = convert.convert(docs, outdir=tmp / "pdf")
            # the pages of the headings, into the Daftar Isi; again if that moved a heading
            for _ in range(2):
                toc = printed_pages(outline_entries(pdfs[0]))
                if toc == ctx["daftar_isi"]:
                    break
                ctx["daftar_isi"] = toc
                render(ctx)
                pdfs[0] = convert.convert([out], outdir=tmp / "pdf")[0]
        except BaseException:
            out.unlink(missing_ok=True)  # no DOCX without the PDF asked for
            raise
        lampiran = []
        for title, pdf, doc in zip(names, pdfs[1:], docs[1:], strict=True):
            # a form as returned gets its label on every page; one re-typeset says it itself
            lampiran.append((title, pdf if doc.parent == tmp else label_pages(pdf, title, font, tmp)))
        final = opts.out_dir / f"{name}.pdf"
        merge_pdf(pdfs[0], lampiran, final, read_properties(out), props.title)
        result.pdf = [final]
    return result


KIND = Kind(
    name="laporan",
    title="Laporan Capaian Kinerja",
    model=Laporan,
    make=make,
    template="laporan.docx",
    description="Report of a period's capaian from the rekap of `docgen collect`: cover, kata "
                "pengantar, daftar isi with page numbers, BAB I-IV; --pdf appends the returned "
                "forms as lampiran, with bookmarks.",
    check=check,
    example="laporan.yaml",
)
