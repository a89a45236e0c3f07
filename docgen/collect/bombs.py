"""Hostile forms for tests and benches: a DOCX whose document.xml inflates ~1000-fold.

Written by streaming, so making a 1.5 GB bomb needs no 1.5 GB of memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.wordprocessingml.document.main+xml"/></Types>')


def docx_bomb(path: Path, inflated_bytes: int) -> Path:
    """A .docx with a word/document.xml of ``inflated_bytes`` (repetitive text)."""
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = b"A" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            f.write(head)
            left = inflated_bytes - len(head) - len(tail)
            while left > 0:
                f.write(chunk[:left])
                left -= len(chunk)
            f.write(tail)
    return path
