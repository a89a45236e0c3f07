"""A minimal text-PDF writer for tests, benchmarks and demos (no LibreOffice needed).

Writes a valid PDF 1.4 with Helvetica text (WinAnsi), a correct xref table and an optional
/Info dictionary, so pdftotext and pypdf extract the text back.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

LINES_PER_PAGE = 48
WRAP = 95


def _pdf_string(s: str) -> bytes:
    raw = s.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _content(lines: Sequence[str]) -> bytes:
    out = [b"BT /F1 10 Tf 14 TL 56 790 Td"]
    for line in lines:
        out.append(_pdf_string(line) + b" Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def pdf_bytes(pages: Sequence[str], info: Mapping[str, str] | None = None) -> bytes:
    """A PDF with one page per text in ``pages`` (long pages are cut to fit)."""
    page_lines: list[list[str]] = []
    for text in pages or [""]:
        lines: list[str] = []
        for para in text.split("\n"):
            lines.extend(textwrap.wrap(para, WRAP) or [""])
        page_lines.append(lines[:LINES_PER_PAGE])

    objects: list[bytes] = []  # object n is objects[n-1]
    n_pages = len(page_lines)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(page_lines):
        content_no = 5 + 2 * i
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_no} 0 R >>".encode()
        )
        stream = _content(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info_ref = b""
    if info:
        entries = b" ".join(b"/" + k.lstrip("/").encode() + b" " + _pdf_string(v) for k, v in info.items())
        objects.append(b"<< " + entries + b" >>")
        info_ref = b" /Info %d 0 R" % len(objects)

    buf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for no, body in enumerate(objects, start=1):
        offsets.append(len(buf))
        buf += b"%d 0 obj\n" % no + body + b"\nendobj\n"
    xref = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        buf += b"%010d 00000 n \n" % off
    buf += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, info_ref, xref,
    )
    return bytes(buf)


def write_pdf(path: Path, pages: Sequence[str], info: Mapping[str, str] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, info))
    return path


def letter_text(nomor: str, perihal: str, body: str, tanggal: str = "22 November 2026") -> str:
    """The text of a plain letter page with a number, a subject and a date."""
    return (
        "PEMERINTAH KOTA KEDIRI\nDINAS KOMUNIKASI DAN INFORMATIKA\n\n"
        f"Nomor : {nomor}\nPerihal : {perihal}\n\n{body}\n\nKediri, {tanggal}\nKepala Dinas"
    )
