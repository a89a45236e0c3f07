"""OCR of scanned letters: the ingest stage "ocr" (OCRmyPDF with Tesseract).

A scan arrives as a PDF whose pages carry only images, or as a JPEG, PNG or TIFF
(multi-page TIFF included). OCRmyPDF deskews, turns pages the right way up and cleans
the image *for recognition only* (``--clean`` without ``--clean-final``), then writes a
PDF/A with an invisible text layer over the unchanged page images. The caller keeps the
original beside it, byte for byte.

OCRmyPDF is run as its command (``ocrmypdf``, or ``[arsip] ocr_program``), not imported:
the command line is its stable interface on Debian (14.x) and PyPI (17.x) alike, its exit
codes are documented, and a hung Tesseract is killed with the process group's timeout.

A signed PDF is never given to OCR: rewriting it would break the signature.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .stages import StageError

STAGE = "ocr"

# Leading bytes of the picture formats a scanner or a phone writes.
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
IMAGE_SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "TIFF": ".tif"}

# What OCRmyPDF's exit codes mean to a clerk (ocrmypdf.exceptions.ExitCode).
_EXIT_REASON = {
    2: ("the scan could not be opened as an image or PDF", "scan or photograph the letter again"),
    3: ("OCRmyPDF lacks a program it needs (Tesseract, Ghostscript or unpaper)",
        "install them: bash scripts/bootstrap.sh, or apt-get install ocrmypdf tesseract-ocr-ind unpaper"),
    5: ("OCRmyPDF could not read or write a file", "check the archive folder's permissions and free space"),
    6: ("the PDF already has text on its pages", ""),
    8: ("the PDF is encrypted", "drop an unprotected copy"),
    10: ("the PDF/A conversion failed (Ghostscript)", "scan the letter again as a plain PDF or JPEG"),
}


# unpaper removes speckle only: its mask, border and blur filters blank a lone line of
# text (a short second page, a letter's last line) as if it were a dark border or dirt.
UNPAPER_ARGS = ("--layout none --no-mask-scan --no-mask-center --no-border-scan --no-border-align "
                "--no-blurfilter --no-grayfilter --no-blackfilter --no-deskew")


@dataclass(frozen=True)
class OcrSettings:
    """The ``[arsip] ocr*`` settings; picklable for the worker processes."""

    enabled: bool = True
    languages: str = "ind+eng"
    page_timeout: float = 120.0  # seconds of Tesseract per page; then the page keeps no text
    program: str = "ocrmypdf"
    # Fewer letters than this in the whole result: the scan is not readable as text.
    min_letters: int = 20


@dataclass(frozen=True)
class OcrResult:
    pdf: Path          # the PDF/A with its text layer (in the caller's work folder)
    pages: int
    source_kind: str   # "PDF", "JPEG", "PNG" or "TIFF"


def image_kind(data: bytes) -> str | None:
    """'JPEG', 'PNG' or 'TIFF' when the bytes are a picture a scanner makes, else None."""
    return next((label for magic, label in _IMAGE_MAGIC if data.startswith(magic)), None)


def letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def pages_without_text(page_texts: list[str]) -> list[int]:
    """1-based numbers of the pages with no words on them (fewer than 4 letters: a page
    number or a stray mark is not a text layer)."""
    return [i for i, t in enumerate(page_texts, 1) if letters(t) < 4]


def needs_ocr(data: bytes, page_texts: list[str]) -> bool:
    """A PDF wants OCR when a page has no text layer and nothing signs the file."""
    if b"/ByteRange" in data:  # a signature would be broken by the rewrite
        return False
    return bool(pages_without_text(page_texts))


def program(settings: OcrSettings) -> str | None:
    exe = settings.program
    return exe if Path(exe).is_absolute() and Path(exe).exists() else shutil.which(exe)


def image_to_pdf(data: bytes, dst: Path) -> int:
    """Write a picture (every frame of a multi-page TIFF) as an image-only PDF; returns
    the page count. Pillow keeps each frame's resolution so that OCRmyPDF sees the real
    dpi; a picture without one (a phone photo) is taken as an A4 page's width."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        frames = []
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            frame = ImageOps.exif_transpose(img.copy())  # a phone's orientation tag
            if frame.mode not in ("RGB", "L", "1"):
                frame = frame.convert("RGB")
            frames.append(frame)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise StageError(STAGE, f"the {image_kind(data) or 'picture'} scan cannot be read "
                         f"({type(exc).__name__}: {exc})",
                         "scan or photograph the letter again, as JPEG, PNG, TIFF or PDF") from None
    dpi = img.info.get("dpi") or (0, 0)
    res = float(dpi[0]) if dpi and dpi[0] and float(dpi[0]) >= 50 else max(72.0, frames[0].width / 8.27)
    frames[0].save(dst, "PDF", save_all=True, append_images=frames[1:], resolution=res, quality=95)
    return len(frames)


def run(src_pdf: Path, dst_pdf: Path, settings: OcrSettings, pages: int) -> None:
    """OCRmyPDF on ``src_pdf`` into ``dst_pdf`` (PDF/A-2b). Raises StageError("ocr")."""
    exe = program(settings)
    if exe is None:
        raise StageError(STAGE, f"the OCR program {settings.program!r} is not installed",
                         "install OCRmyPDF and Tesseract (bash scripts/bootstrap.sh), or set "
                         "[arsip] ocr = false to file scans without text")
    cmd = [
        exe, "--quiet",
        "-l", settings.languages,
        "--rotate-pages", "--deskew",
        # clean for recognition only: the page image in the PDF stays as scanned
        "--clean", "--unpaper-args", UNPAPER_ARGS,
        # only pages without text; a page that has a text layer keeps it
        "--skip-text",
        "--output-type", "pdfa",
        "--tesseract-timeout", str(int(settings.page_timeout)),
        "--jobs", "1",  # the ingest already runs one worker per core
        str(src_pdf), str(dst_pdf),
    ]
    if shutil.which("unpaper") is None:
        i = cmd.index("--clean")
        del cmd[i:i + 3]
    # OCRmyPDF's own timeout is per page; this bounds the whole run if a child hangs.
    limit = 60 + pages * (settings.page_timeout + 30)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one Tesseract thread per worker
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=limit, env=env)
    except subprocess.TimeoutExpired:
        raise StageError(STAGE, f"OCR took longer than {limit:.0f} s for {pages} page(s)",
                         "scan at 300 dpi or lower, or raise [arsip] ocr_batas_detik") from None
    except OSError as exc:
        raise StageError(STAGE, f"the OCR program could not start: {exc}",
                         "reinstall OCRmyPDF (bash scripts/bootstrap.sh)") from None
    if res.returncode == 4 and dst_pdf.exists():
        return  # PDF/A validation warned, but the output is a readable PDF with text
    if res.returncode != 0:
        reason, fix = _EXIT_REASON.get(res.returncode, ("", ""))
        tail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        detail = reason or f"OCRmyPDF failed (exit {res.returncode})"
        if tail[0]:
            detail += f": {tail[0][:200]}"
        raise StageError(STAGE, detail, fix or "scan the letter again at 300 dpi, straight and well lit")


def ocr(data: bytes, settings: OcrSettings, pages: int = 0, workdir: Path | None = None) -> OcrResult:
    """OCR a scan given as bytes (PDF or picture) into a new folder under ``workdir`` (the
    system's temporary folder by default); the caller moves the result and removes the
    folder, and keeps the original. ``pages``: the PDF's page count when already known."""
    kind = image_kind(data) or "PDF"
    tmp = Path(tempfile.mkdtemp(prefix="docgen-ocr-", dir=workdir))
    src = tmp / "scan.pdf"
    if kind == "PDF":
        src.write_bytes(data)
    else:
        pages = image_to_pdf(data, src)
    dst = tmp / "ocr.pdf"
    try:
        run(src, dst, settings, max(pages, 1))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        src.unlink(missing_ok=True)
    return OcrResult(pdf=dst, pages=pages, source_kind=kind)


class Unreadable(StageError):
    """OCR ran but found no words: a picture is quarantined, a PDF is filed as it is."""


def unreadable(text: str, settings: OcrSettings) -> StageError | None:
    """The stage's verdict on OCR's text: too few letters means nobody will find it."""
    if letters(text) >= settings.min_letters:
        return None
    return Unreadable(STAGE, f"OCR found almost no text ({letters(text)} letters): the scan cannot be read",
                      "scan the letter again at 300 dpi, straight, in good light, without shadows")
