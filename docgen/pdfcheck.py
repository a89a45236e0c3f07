"""Checks on a PDF's bytes shared by the archive's check stage, `docgen sign` and `docgen verify`.

- ``damage``: is the file whole? A truncated copy, a cross-reference table whose offsets do not
  point at their objects (a reader would silently "repair" it into something else), or a
  signature whose /ByteRange runs past the end of the file. Such a file is damaged, never a
  valid unsigned document.
- ``active_content``: JavaScript, launch actions, embedded files: reported, optionally refused.

Pure functions of the bytes (plus pypdf for object streams); no I/O.
"""

from __future__ import annotations

import io
import re

DAMAGED = "rusak/terpotong"  # the reason's label, as the clerk reads it in karantina

_EOF = re.compile(rb"%%EOF")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_BYTERANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_OBJ_AT = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_TRAILING_OK = re.compile(rb"[\s\x00]*")


def damage(data: bytes, reader=None) -> str:
    """'' when whole, else why the PDF is damaged (English, for the clerk and the auditor).

    ``reader``: an open pypdf reader of ``data``, to check the xref offsets it resolved.
    """
    eofs = [m.end() for m in _EOF.finditer(data)]
    if not eofs:
        return "the file has no end-of-file marker (%%EOF): it was cut off while copying or saving"
    if not _TRAILING_OK.fullmatch(data, eofs[-1]):
        return (f"the file goes on for {len(data) - eofs[-1]} bytes after its last %%EOF without "
                "one of its own: a later revision (e.g. a signature) was cut off")
    for m in _BYTERANGE.finditer(data):
        a, b, c, d = (int(x) for x in m.groups())
        if c + d > len(data) or a + b > c:
            return (f"a signature's /ByteRange [{a} {b} {c} {d}] runs past the end of the file "
                    f"({len(data)} bytes): the signed file was cut off")
    starts = _STARTXREF.findall(data)
    if not starts:
        return "the file has no startxref: its cross-reference table is missing"
    # offsets count from the %PDF- header: a mail gateway's prepended line shifts them all
    base = max(data.find(b"%PDF-"), 0)
    off = int(starts[-1])
    if not any(_xref_at(data, o) for o in {off, off + base}):
        return (f"startxref points at byte {off}, where there is no cross-reference table: "
                "a repair would rebuild it from guesses")
    # the table as written (readers quietly rebuild a wrong one: pypdf does, so its own xref
    # cannot tell), then what the reader resolved (xref streams)
    tables = [_bad_table_entries(data, o, base) for o in {off, off + base} if data.startswith(b"xref", o)]
    bad = min(tables, default=0)
    if bad == 0 and reader is not None:
        bad = min(_bad_xref_entries(data, reader, shift) for shift in {0, base})
    if bad:
        return (f"the cross-reference table points {bad} object(s) at the wrong place: "
                "a repair would change which objects the document holds")
    return ""


_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*\r?\n?")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def _bad_table_entries(data: bytes, off: int, base: int) -> int:
    """In-use entries of the classic xref table at ``off`` whose object is not where they say
    (0 when there is no classic table there: an xref stream is checked through the reader)."""
    if not data.startswith(b"xref", off):
        return 0
    pos, bad = off + 4, 0
    while True:
        m = _SUBSECTION.match(data, pos)
        if m is None:
            return bad
        first, count = int(m[1]), int(m[2])
        pos = m.end()
        for k in range(count):
            while pos < len(data) and data[pos] in b" \r\n":
                pos += 1
            e = _ENTRY.match(data, pos)
            if e is None:
                return bad + 1  # a malformed table
            pos = e.end()
            if e[3] == b"n":
                at = int(e[1])
                if not any((o := _OBJ_AT.match(data, a)) and int(o[1]) == first + k
                           for a in {at, at + base} if 0 <= a < len(data)):
                    bad += 1


def _xref_at(data: bytes, off: int) -> bool:
    return 0 <= off < len(data) and (data.startswith(b"xref", off) or bool(_OBJ_AT.match(data, off)))


def _bad_xref_entries(data: bytes, reader, shift: int = 0) -> int:
    """Entries of the (merged) xref whose offset does not start 'N G obj' for that N."""
    bad = 0
    try:
        table = reader.xref  # {generation: {object number: offset}}
    except AttributeError:
        return 0
    for entries in table.values():
        for num, off in entries.items():
            off += shift
            m = _OBJ_AT.match(data, off) if 0 <= off < len(data) else None
            if m is None or int(m.group(1)) != num:
                bad += 1
    return bad


# --- active content ---------------------------------------------------------------------------
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles|EmbeddedFile|RichMedia|SubmitForm|ImportData)"
                     rb"(?![A-Za-z0-9#_.\-])")
_LABELS = {"JavaScript": "JavaScript", "JS": "JavaScript", "Launch": "launch action",
           "EmbeddedFiles": "embedded files", "EmbeddedFile": "embedded files",
           "RichMedia": "rich media (Flash/video)", "SubmitForm": "form submission to a server",
           "ImportData": "data import action"}


def active_content(data: bytes) -> list[str]:
    """Kinds of active content in the PDF ([] when none), from the raw bytes and from the
    decompressed object streams (where modern writers put dictionaries)."""
    found = {_LABELS[m.group(1).decode()] for m in _ACTIVE.finditer(data)}
    if b"/ObjStm" in data:
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            for gen in reader.xref.values():
                for num in gen:
                    obj = reader.get_object(num)
                    if hasattr(obj, "get") and obj.get("/Type") == "/ObjStm":
                        found |= {_LABELS[m.group(1).decode()]
                                  for m in _ACTIVE.finditer(obj.get_data())}
        except Exception:  # an odd object stream: the raw scan above still counts
            pass
    return sorted(found)


def refuse_active_content(path, data: bytes, *, refuse: bool, setting: str) -> list[str]:
    """The kinds of active content in ``data``; raises InputError naming the file when
    ``refuse`` (the docgen.toml ``setting`` that asks for it)."""
    found = active_content(data)
    if found and refuse:
        from .errors import InputError

        raise InputError(f"the PDF holds active content ({', '.join(found)}), refused by {setting}",
                         file=path, field=setting,
                         fix="export the document again without scripts, actions or attachments "
                             f"(print to PDF), or set {setting} = false")
    return found
