"""Scans made on purpose: a PDF page rendered to a picture as a flatbed scanner or a
phone would give it (grey paper, noise, a slight tilt, an ink stamp). Used by the tests
and bench_archive_ocr; real offices' scans are not shipped with docgen.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
from pathlib import Path


def render_pages(pdf: Path, dpi: int = 200) -> list:
    """The PDF's pages as greyscale Pillow images (pdftoppm, poppler)."""
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        raise RuntimeError("pdftoppm (poppler-utils) is needed to render pages")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, "-r", str(dpi), "-gray", "-png", str(pdf), str(Path(tmp) / "p")],
                       check=True, capture_output=True)
        return [Image.open(p).copy() for p in sorted(Path(tmp).glob("p*.png"))]


def roughen(page, *, seed: int = 0, angle: float | None = None, stamp: bool = True):
    """A clean page made to look scanned: tilt, grey paper, speckle, a round stamp."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    img = page.convert("L")
    if stamp:  # a blue-ink round stamp over the signature block, as offices use
        d = ImageDraw.Draw(img)
        w, h = img.size
        cx, cy, r = int(w * 0.62), int(h * rnd.uniform(0.55, 0.8)), int(w * 0.08)
        for k in range(3):
            d.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=110)
        d.ellipse((cx - r // 2, cy - r // 2, cx + r // 2, cy + r // 2), outline=120)
    angle = rnd.uniform(-2.0, 2.0) if angle is None else angle
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=235)
    # grey paper and sensor noise, then the slight blur of a cheap scanner
    noise = Image.effect_noise(img.size, 18).point(lambda v: v - 128)
    img = Image.blend(img, Image.merge("L", [noise.point(lambda v: max(0, min(255, v + 128)))]), 0.12)
    img = img.point(lambda v: int(25 + v * 0.88))
    return img.filter(ImageFilter.GaussianBlur(0.5))


def scan(pdf: Path, out: Path, *, dpi: int = 200, seed: int = 0, fmt: str | None = None,
         angle: float | None = None, stamp: bool = True) -> Path:
    """Write a scan of ``pdf`` to ``out``: an image-only PDF, a JPEG (first page), a PNG
    (first page) or a multi-page TIFF, by ``fmt`` or the suffix of ``out``."""
    pages = [roughen(p, seed=seed + i, angle=angle, stamp=stamp and i == 0)
             for i, p in enumerate(render_pages(pdf, dpi))]
    fmt = (fmt or out.suffix.lstrip(".")).upper()
    fmt = {"JPG": "JPEG", "TIF": "TIFF"}.get(fmt, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "PDF":
        buf = io.BytesIO()
        pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=85)
        out.write_bytes(buf.getvalue())
    elif fmt == "TIFF":
        pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi),
                      compression="tiff_lzw")
    elif fmt in ("JPEG", "PNG"):
        pages[0].save(out, fmt, dpi=(dpi, dpi), **({"quality": 85} if fmt == "JPEG" else {}))
    else:
        raise ValueError(f"unknown scan format {fmt!r}: use pdf, jpg, png or tif")
    return out
