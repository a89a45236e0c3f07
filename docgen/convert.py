"""DOCX -> PDF with headless LibreOffice, on Linux and Windows.

Each soffice run gets its own throw-away profile (parallel runs sharing one profile
fail silently), a timeout and one retry; a missing or empty PDF is an error. Many
documents go through one soffice process, split over the CPU cores, because starting
soffice costs about a second. After conversion, docgen's document properties (kind,
nomor, id) are copied from the DOCX into the PDF's /Info so the archive can read them.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import DocgenError, ToolMissingError
from .render import PDF_KEYS, read_properties

ENV_VAR = "DOCGEN_SOFFICE"

INSTALL_HINT = (
    "install LibreOffice: on Debian/Ubuntu `sudo apt-get install --no-install-recommends "
    "libreoffice-writer-nogui fonts-liberation`; on Windows the installer from "
    "libreoffice.org; or set DOCGEN_SOFFICE to the soffice program. DOCX output works without it."
)


def find_soffice() -> Path | None:
    """The soffice program: $DOCGEN_SOFFICE, PATH, then the usual install folders."""
    env = os.environ.get(ENV_VAR)
    if env:
        p = Path(env)
        return p if p.is_file() else None
    for name in ("soffice", "libreoffice", "soffice.exe"):
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates: list[Path] = []
    if platform.system() == "Windows":
        for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif platform.system() == "Darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    else:
        candidates += [Path("/usr/lib/libreoffice/program/soffice"), Path("/opt/libreoffice/program/soffice")]
    for c in candidates:
        if c.is_file():
            return c
    return None


def require_soffice() -> Path:
    exe = find_soffice()
    if exe is None:
        raise ToolMissingError("LibreOffice (soffice) not found; PDF output needs it", fix=INSTALL_HINT)
    return exe


SHEETS = frozenset({".xlsx", ".xls", ".ods"})


class ConversionError(DocgenError):
    exit_code = 4


def _run_batch(exe: Path, docs: Sequence[Path], outdir: Path, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as profile:
        cmd = [
            str(exe),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            # a spreadsheet (a form returned in Excel, as laporan lampiran) needs Calc's filter:
            # plain "pdf" lets LibreOffice pick each document's own
            "--convert-to", "pdf" if any(d.suffix.lower() in SHEETS for d in docs) else "pdf:writer_pdf_Export",
            "--outdir", str(outdir),
            *[str(d) for d in docs],
        ]
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, check=False
        )


def _missing(docs: Sequence[Path], outdir: Path) -> list[Path]:
    bad = []
    for d in docs:
        pdf = outdir / (d.stem + ".pdf")
        if not pdf.is_file() or pdf.stat().st_size == 0:
            bad.append(d)
    return bad


def convert(
    docs: Sequence[str | Path],
    outdir: str | Path | None = None,
    *,
    timeout_per_doc: float = 60.0,
    workers: int | None = None,
) -> list[Path]:
    """Convert DOCX files to PDF; returns the PDF paths in the same order.

    Output goes next to each DOCX unless ``outdir`` is given.
    """
    exe = require_soffice()
    docs = [Path(d).resolve() for d in docs]
    if not docs:
        return []
    for d in docs:
        if not d.is_file():
            raise ConversionError(f"{d} not found", file=d, fix="check the path")
    groups: dict[Path, list[Path]] = {}
    for d in docs:
        groups.setdefault(Path(outdir).resolve() if outdir else d.parent, []).append(d)

    jobs: list[tuple[Path, list[Path]]] = []
    n = max(1, min(workers or os.cpu_count() or 1, 4))
    for od, group in groups.items():
        od.mkdir(parents=True, exist_ok=True)
        for d in group:
            # A PDF left by an earlier run would pass as this run's output (stale content,
            # and a failed LibreOffice unnoticed): the new DOCX replaces it or nothing does.
            (od / (d.stem + ".pdf")).unlink(missing_ok=True)
        chunk = -(-len(group) // n) if len(group) >= 2 * n else len(group)
        for i in range(0, len(group), chunk):
            jobs.append((od, group[i : i + chunk]))

    def run(job: tuple[Path, list[Path]]) -> list[Path]:
        od, group = job
        timeout = 30.0 + timeout_per_doc * len(group)
        for attempt in range(2):  # one retry: a cold LibreOffice sometimes exits early
            todo = group if attempt == 0 else _missing(group, od)
            try:
                _run_batch(exe, todo, od, timeout)
            except subprocess.TimeoutExpired:
                if attempt == 1:
                    raise ConversionError(
                        f"LibreOffice did not finish within {timeout:.0f} s",
                        file=todo[0], fix="check the document opens in LibreOffice; try again",
                    ) from None
            if not _missing(group, od):
                break
        bad = _missing(group, od)
        if bad:
            raise ConversionError(
                "LibreOffice produced no PDF (or an empty one)",
                file=bad[0],
                fix="open the DOCX in LibreOffice/Word to check it is not damaged",
            )
        return [od / (d.stem + ".pdf") for d in group]

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(run, jobs))
    by_src = {}
    for (_od, group), pdfs in zip(jobs, results, strict=True):
        by_src.update(zip(group, pdfs, strict=True))
    pdfs = [by_src[d] for d in docs]
    for d, pdf in zip(docs, pdfs, strict=True):
        stamp_pdf_properties(pdf, read_properties(d))
    return pdfs


def stamp_pdf_properties(pdf: Path, props: dict[str, str]) -> None:
    """Copy docgen's DOCX properties into the PDF /Info (before any signature)."""
    wanted = {PDF_KEYS[k]: v for k, v in props.items() if k in PDF_KEYS and v}
    if not wanted:
        return
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(pdf)
    writer = PdfWriter(clone_from=reader)
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    meta.update(wanted)
    writer.add_metadata(meta)
    tmp = pdf.with_name(f".{pdf.name}.tmp")
    with tmp.open("wb") as fh:
        writer.write(fh)
    os.replace(tmp, pdf)


def read_pdf_properties(pdf: Path) -> dict[str, str]:
    """docgen's properties from a PDF's /Info ({} when absent)."""
    from pypdf import PdfReader

    meta = PdfReader(pdf).metadata or {}
    out = {}
    for prop, key in PDF_KEYS.items():
        if key in meta:
            out[prop] = str(meta[key])
    return out
