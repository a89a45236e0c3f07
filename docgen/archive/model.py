"""What the read-only ingest stages hand to the catalog: plain data, no I/O.

Kept apart from ``stages`` (which reads PDFs) and ``catalog`` (which writes SQLite) so that
neither imports the other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


def normalize_number(nomor: str) -> str:
    """Letter numbers compare without spaces and case: '000.5.3.1 / 15 / Diskominfo/2026'."""
    return re.sub(r"\s+", "", nomor).lower()


def now_iso() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()



@dataclass
class Prepared:
    """Everything the read-only stages learnt about one claimed file."""

    claimed: str
    name: str
    size: int
    sha256: str
    pages: int
    text: str
    info: dict[str, str] = field(default_factory=dict)
    doc_id: str = ""
    letter_no: str = ""
    kind: str = ""
    classification: str = ""
    subject: str = ""
    title: str = ""
    doc_date: str = ""
    signatures: list[dict] = field(default_factory=list)
    terms: tuple[str, str] = ("", "")  # (stems, distinct words) for the index, made in the worker
    # A scan given a text layer by the ocr stage: the archived PDF is the PDF/A at ``source``
    # (beside the claimed file); the original is kept too, with its own hash.
    source: str = ""
    original: dict = field(default_factory=dict)  # sha256, size, suffix, kind
    active: list[str] = field(default_factory=list)  # JavaScript, launch actions...: reported
