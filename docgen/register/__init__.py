"""The register of letter numbers (buku agenda surat keluar) and the classification codes."""

from __future__ import annotations

from .store import STATUS_BATAL, STATUS_DIPESAN, STATUS_TERBIT, Entry, Register

__all__ = ["Entry", "Register", "STATUS_BATAL", "STATUS_DIPESAN", "STATUS_TERBIT"]
