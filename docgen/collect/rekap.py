"""The rekap of one period: JSON in the workspace, XLSX in the output folder.

``data/rekap/<periode>.json`` holds one entry per Bidang, so collecting again replaces
that Bidang's entry (idempotent) and forms of other Bidang merge in. A copy of each
accepted form is kept in ``data/rekap/<periode>/formulir/`` for the laporan's lampiran.
Every file is written under a temporary name and renamed, never half-written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from .. import formatting
from ..formatting import angka
from .capaian import bulatkan, capaian
from .validate import ValidForm

XLSX_HEADER = ["No", "Bidang", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
               "Capaian (%)", "Keterangan"]


def safe_name(periode: str) -> str:
    """Periode key as a file name ("2026-TW3" stays as it is)."""
    return re.sub(r"[^0-9A-Za-z._-]", "_", periode)


def rekap_dir(ws: Any) -> Path:
    return ws.data_dir / "rekap"


def json_path(ws: Any, periode: str) -> Path:
    return rekap_dir(ws) / f"{safe_name(periode)}.json"


def forms_dir(ws: Any, periode: str) -> Path:
    return rekap_dir(ws) / safe_name(periode) / "formulir"


def xlsx_path(ws: Any, periode: str, out_dir: Path | None = None) -> Path:
    return (out_dir or ws.output_dir) / f"rekap-{safe_name(periode)}.xlsx"


def load(ws: Any, periode: str) -> dict[str, Any] | None:
    path = json_path(ws, periode)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _float(d: Any) -> float | None:
    return None if d is None else float(d)


def bidang_entry(ws: Any, v: ValidForm, stored: Path) -> dict[str, Any]:
    rows = []
    for e in v.entries:
        c = capaian(e.target, e.realisasi, e.arah)  # type: ignore[arg-type]
        rows.append({
            "no": e.no, "sasaran": e.sasaran, "indikator": e.indikator, "satuan": e.satuan,
            "arah": e.arah, "target": _float(e.target), "realisasi": _float(e.realisasi),
            "capaian": _float(bulatkan(c.nilai)), "catatan_capaian": c.catatan,
            "keterangan": e.keterangan,
        })
    return {
        "bidang_nama": v.manifest.get("bidang_nama", v.manifest["bidang"]),
        "doc_id": v.manifest["doc_id"],
        "format": v.form.format,
        "berkas": stored.relative_to(ws.data_dir).as_posix(),
        "asal": v.form.path.name,
        "dikumpulkan": dt.datetime.now().isoformat(timespec="seconds"),
        "rows": rows,
    }


def expected_bidang(ws: Any, periode: str) -> dict[str, str]:
    """Bidang that were sent a form for the period (manifests), else all configured Bidang."""
    out: dict[str, str] = {}
    for f in sorted((ws.data_dir / "permintaan").glob("*.json")):
        try:
            m = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if m.get("periode") == periode:
            out[m["bidang"]] = m.get("bidang_nama", m["bidang"])
    if not out:
        out = {k: b.nama for k, b in ws.config.bidang.items()}
    return _ordered(ws, out)


def _ordered(ws: Any, d: dict[str, Any]) -> dict[str, Any]:
    """Bidang in the order of docgen.toml, unknown ones after."""
    order = list(ws.config.bidang)
    return dict(sorted(d.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))


def kelengkapan(ws: Any, rekap: dict[str, Any]) -> dict[str, Any]:
    expected = expected_bidang(ws, rekap["periode"])
    masuk = list(_ordered(ws, rekap["bidang"]))
    belum = [k for k in expected if k not in rekap["bidang"]]
    return {
        "diharapkan": list(expected), "masuk": masuk, "belum": belum,
        "belum_nama": [expected[k] for k in belum], "lengkap": not belum,
    }


def rows(ws: Any, rekap: dict[str, Any]) -> list[dict[str, Any]]:
    """All indicator rows of the period, Bidang in config order, each with its Bidang."""
    out = []
    for key, b in _ordered(ws, rekap["bidang"]).items():
        for r in b["rows"]:
            out.append({**r, "bidang": key, "bidang_nama": b["bidang_nama"]})
    return out


def merge(ws: Any, periode: str, forms: list[tuple[ValidForm, Path]]) -> dict[str, Any]:
    """The period's rekap with these forms' Bidang entries replaced or added."""
    rekap = load(ws, periode) or {"periode": periode, "bidang": {}}
    first = forms[0][0].manifest
    rekap["periode_label"] = first.get("periode_label", periode)
    rekap["tahun"] = first.get("tahun")
    for v, stored in forms:
        rekap["bidang"][v.manifest["bidang"]] = bidang_entry(ws, v, stored)
    rekap["bidang"] = _ordered(ws, rekap["bidang"])
    rekap["diperbarui"] = dt.datetime.now().isoformat(timespec="seconds")
    rekap["kelengkapan"] = kelengkapan(ws, rekap)
    return rekap


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def replace(tmp: Path, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, path)


def store_form(ws: Any, periode: str, v: ValidForm) -> tuple[Path, Path]:
    """Copy an accepted form under a temporary name; returns (tmp, final)."""
    # the file that was read, named by what it is: a .doc converted to .docx, an Excel
    # file that a clerk renamed .docx, are kept as .docx / .xlsx for the lampiran
    final = forms_dir(ws, periode) / f"{v.manifest['bidang']}.{v.form.format}"
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(final)
    shutil.copyfile(v.form.read or v.form.path, tmp)
    return tmp, final


def write_json(ws: Any, rekap: dict[str, Any]) -> tuple[Path, Path]:
    final = json_path(ws, rekap["periode"])
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(final)
    tmp.write_text(json.dumps(rekap, ensure_ascii=False, indent=1), encoding="utf-8")
    return tmp, final


def _waktu(iso: str) -> str:
    """'2026-11-22T04:20:48' -> '22 November 2026 04.20' (Indonesian, as the sheet is read)."""
    try:
        t = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{formatting.tanggal(t.date())} {t:%H.%M}"


def write_xlsx(ws: Any, rekap: dict[str, Any], out_dir: Path | None = None) -> tuple[Path, Path]:
    """The rekap as a workbook: numbers stay numbers (Excel shows them in the user's
    locale); capaian that cannot be computed is "-" with the reason in Keterangan."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sh = wb.active
    sh.title = "Rekap"
    kop = ws.config.kop
    sh.append(["REKAPITULASI CAPAIAN KINERJA"])
    sh.append([" ".join(kop.instansi)])
    sh.append([kop.pemerintah])  # which region's Dinas: the name alone is shared by hundreds
    sh.append([str(rekap.get("periode_label") or rekap["periode"]).upper()])
    sh.append([])
    for r in range(1, 5):
        sh.cell(r, 1).font = Font(bold=True, size=12)
    sh.append(XLSX_HEADER)
    head = sh.max_row
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c in range(1, len(XLSX_HEADER) + 1):
        cell = sh.cell(head, c)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, r in enumerate(rows(ws, rekap), start=1):
        notes = "; ".join(x for x in (r["catatan_capaian"], r["keterangan"]) if x)
        sh.append([i, r["bidang_nama"], r["sasaran"], r["indikator"], r["satuan"], r["target"],
                   r["realisasi"] if r["realisasi"] is not None else "-",
                   r["capaian"] if r["capaian"] is not None else "-", notes])
        row = sh.max_row
        for col in (6, 7, 8):
            cell = sh.cell(row, col)
            whole = isinstance(cell.value, int | float) and float(cell.value).is_integer()
            # "#,##0.##" shows a dangling separator on whole numbers ("100," in Excel)
            cell.number_format = "#,##0.00" if col == 8 else "#,##0" if whole else "#,##0.##"
            cell.alignment = Alignment(horizontal="right", vertical="top")
    for row in sh.iter_rows(min_row=head, max_row=sh.max_row):
        for cell in row:
            cell.border = border
            if cell.column not in (6, 7, 8):
                cell.alignment = Alignment(vertical="top", wrap_text=True,
                                           horizontal="center" if cell.row == head else None)
    for col, width in zip(range(1, 10), [5, 24, 30, 36, 12, 11, 11, 12, 36], strict=True):
        sh.column_dimensions[get_column_letter(col)].width = width
    sh.freeze_panes = sh.cell(head + 1, 1)

    kl = rekap["kelengkapan"]
    s2 = wb.create_sheet("Kelengkapan")
    s2.append(["Bidang", "Status", "ID Formulir", "Berkas asal", "Dikumpulkan"])
    for c in range(1, 6):
        s2.cell(1, c).font = Font(bold=True)
    names = expected_bidang(ws, rekap["periode"])
    for key in kl["diharapkan"] + [k for k in kl["masuk"] if k not in kl["diharapkan"]]:
        b = rekap["bidang"].get(key)
        if b:
            s2.append([b["bidang_nama"], "Sudah masuk", b["doc_id"], b["asal"], _waktu(b["dikumpulkan"])])
        else:
            s2.append([names.get(key, key), "Belum masuk", "", "", ""])
    for col, width in zip("ABCDE", [40, 14, 24, 30, 20], strict=True):
        s2.column_dimensions[col].width = width

    final = xlsx_path(ws, rekap["periode"], out_dir)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(final)
    wb.save(tmp)
    return tmp, final


def capaian_teks(value: float | None) -> str:
    """"85,50" for the laporan table, "-" when undefined."""
    return "-" if value is None else angka(value, 2)


# --- an earlier period, for the laporan's comparison ---------------------------------

def previous_period(periode: str) -> str | None:
    """The period before: "2026-TW3" -> "2026-TW2", "2026-TW1" -> "2025-TW4",
    "2026-01" -> "2025-12"; None for a key of another form."""
    m = re.fullmatch(r"(\d{4})-(?:TW([1-4])|(0[1-9]|1[0-2]))", periode)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        return f"{year}-TW{q - 1}" if q > 1 else f"{year - 1}-TW4"
    month = int(m.group(3))
    return f"{year}-{month - 1:02d}" if month > 1 else f"{year - 1}-12"


def _key(r: dict[str, Any]) -> tuple[str, str]:
    return r["bidang"], " ".join(str(r["indikator"]).lower().split())


def compare(ws: Any, now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """The indicators both rekap measured (same Bidang, same indikator), with both
    capaian and the change in percentage points, and the averages over those that have a
    capaian in both periods. Pure: the two rekap are given."""
    earlier = {_key(r): r for r in rows(ws, before)}
    matched = []
    for r in rows(ws, now):
        b = earlier.get(_key(r))
        if b is None:
            continue
        both = r["capaian"] is not None and b["capaian"] is not None
        matched.append({
            "bidang": r["bidang_nama"], "indikator": r["indikator"], "sebelum": b["capaian"],
            "sekarang": r["capaian"], "selisih": round(r["capaian"] - b["capaian"], 2) if both else None,
        })
    diff = [m for m in matched if m["selisih"] is not None]

    def avg(xs: list[float]) -> float | None:
        return round(sum(xs) / len(xs), 2) if xs else None

    return {
        "periode": before["periode"], "label": before.get("periode_label") or before["periode"],
        "rows": matched, "dibandingkan": len(diff),
        "rata_sebelum": avg([m["sebelum"] for m in diff]), "rata_sekarang": avg([m["sekarang"] for m in diff]),
        "naik": sum(1 for m in diff if m["selisih"] > 0), "turun": sum(1 for m in diff if m["selisih"] < 0),
        "tetap": sum(1 for m in diff if m["selisih"] == 0),
    }


def periode_label(periode: str) -> str:
    """"2026-TW2" -> "Triwulan II Tahun 2026", "2026-08" -> "Agustus 2026", as the forms
    label their period; other keys as they are."""
    m = re.fullmatch(r"(\d{4})-(?:TW([1-4])|(0[1-9]|1[0-2]))", periode)
    if not m:
        return periode
    if m.group(2):
        return f"Triwulan {formatting.romawi(int(m.group(2)))} Tahun {m.group(1)}"
    return f"{formatting.bulan(int(m.group(3)))} {m.group(1)}"
