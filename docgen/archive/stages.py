"""The named stages of the archive ingest, as small functions.

Each stage either returns what the next one needs or raises ``StageError`` naming itself, the
reason and what to do. The read-only stages (Check, Hash, Read, Inspect) run in ``prepare``,
a top-level function so it can run in worker processes; Number/File/Index/Remove live in the
pipeline because they touch the catalog and must stay serial.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..pdfcheck import DAMAGED, active_content, damage
from .model import Prepared, normalize_number, now_iso  # noqa: F401  (re-exported)
from .terms import index_terms

if TYPE_CHECKING:
    from .ocr import OcrSettings

# Names of the stages, in order (used in reason files and results).
STAGES = ("wait", "claim", "check", "ocr", "hash", "read", "inspect", "number", "file", "index", "remove")

JUNK_SUFFIXES = (".part", ".filepart", ".tmp", ".crdownload")
JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


class StageError(Exception):
    """One stage refused the file: the reason and the fix are for the clerk."""

    def __init__(self, stage: str, reason: str, fix: str = "") -> None:
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason
        self.fix = fix

    def __reduce__(self):  # travels back from worker processes
        return (StageError, (self.stage, self.reason, self.fix))


def is_junk(name: str) -> bool:
    """Temporary and system files that must never be taken (nor removed) from the inbox.

    A name that merely starts with a dot ("...pdf", "..%2Fevil.pdf") is not junk: it is filed
    (or quarantined) like any other, so it never stays in the inbox unreported.
    """
    low = name.lower()
    return (
        low.endswith(JUNK_SUFFIXES)
        or low in JUNK_NAMES
        or name.startswith(("~$", ".~lock."))
    )


# Folders never entered: our claim folder, and the trash/index folders of desktops and NAS.
JUNK_DIRS = frozenset({".proses", ".trashes", ".spotlight-v100", ".fseventsd", "$recycle.bin",
                       "system volume information", "@eadir", ".temporaryitems"})


def is_junk_dir(name: str) -> bool:
    low = name.lower()
    return low in JUNK_DIRS or low.startswith(".trash") or low.endswith(JUNK_SUFFIXES)


def walk_files(root: Path) -> list[Path]:
    """Files under ``root``, its subfolders included, sorted.

    Not entered: ``.proses`` (claimed files), a folder still being copied under a temporary
    name, trash and index folders (``is_junk_dir``). Other dot-folders are entered: what is
    dropped there is filed too. Junk *files* are listed: callers decide (ingest reports them
    as ignored, the watcher skips them, ``archive status`` lists them). Symlinked folders are
    not followed, so a link loop cannot make the walk endless; symlinks are listed as files
    (they are refused, never followed).
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        links = [d for d in dirs if (base / d).is_symlink()]  # a link to a folder: refused too
        dirs[:] = sorted(d for d in dirs if not is_junk_dir(d) and d not in links)
        found.extend(base / f for f in (*files, *links))
    return sorted(found)


# --- plain files only ---------------------------------------------------------------------
SPECIAL = "tautan/berkas khusus ditolak"  # the reason's label for the clerk
_REPARSE = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: symlinks and junctions on Windows


def special_kind(st: os.stat_result) -> str:
    """'' for a plain file with one name; else what it is (from an lstat/fstat result)."""
    import stat

    if getattr(st, "st_file_attributes", 0) & _REPARSE:
        return "a link (reparse point)"
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link"
    if stat.S_ISFIFO(st.st_mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "a device"
    if stat.S_ISSOCK(st.st_mode):
        return "a socket"
    if stat.S_ISDIR(st.st_mode):
        return "a folder"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if st.st_nlink > 1:
        return f"a hard link (the same file has {st.st_nlink} names, some outside the inbox)"
    return ""


def special_error(kind: str) -> StageError:
    return StageError("claim", f"{SPECIAL}: it is {kind}; the inbox takes plain files only, and "
                      "links are never followed",
                      "copy the document itself into the inbox (not a link or shortcut to it)")


def read_plain(path: Path) -> bytes:
    """The bytes of a plain file, never through a link: O_NOFOLLOW (and O_NONBLOCK, so a FIFO
    cannot block) where the OS has them, then fstat of the open file decides."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise StageError("check", f"cannot read the file: {exc}", "check the file's permissions") from None
    kind = special_kind(st)
    if kind:
        raise special_error(kind)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if getattr(os, "O_NOFOLLOW", 0) and exc.errno in (40, 62):  # ELOOP: swapped for a link
            raise special_error("a symbolic link") from None
        raise StageError("check", f"cannot read the file: {exc}", "check the file's permissions") from None
    with os.fdopen(fd, "rb") as fh:
        kind = special_kind(os.fstat(fh.fileno()))  # the file opened, not the name looked at
        if kind:
            raise special_error(kind)
        return fh.read()


# --- safe names -----------------------------------------------------------------------------
NAME_MAX = 255  # bytes per path component on ext4, NTFS (in UTF-16 units), APFS


def safe_part(part: str, reserve: int = 0) -> str:
    """A path component that can be stored and shown: undecodable bytes and control characters
    replaced, and short enough (bytes) to take ``reserve`` more bytes (prefix, '.alasan.txt')."""
    raw = os.fsencode(part) if os.name != "nt" else part.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "replace")
    text = "".join("_" if (ord(c) < 32 or ord(c) == 127 or c in "\\") else c for c in text)
    text = text.replace("\ufffd", "_")
    limit = NAME_MAX - reserve
    if len(text.encode()) <= limit:
        return text
    suffix = Path(text).suffix if len(Path(text).suffix) <= 10 else ""
    stem = text[: len(text) - len(suffix)]
    while len((stem + "~" + suffix).encode()) > limit:
        stem = stem[:-1]
    return stem + "~" + suffix


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with '/' separators (the same on Windows), or ''."""
    for p, r in ((path, root), (path.resolve(), root.resolve())):  # symlinked temp dirs (macOS)
        try:
            return p.relative_to(r).as_posix()
        except ValueError:
            continue
    return ""


# --- Wait --------------------------------------------------------------------------------
def looks_complete(path: Path) -> bool:
    """Cheap 'it parses' test for the Wait stage: a PDF header and an %%EOF near the end.

    A PDF being copied in chunks lacks its trailer until the last write.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
            if b"%PDF-" not in head:  # viewers accept a header anywhere in the first 1 KB
                return False
            fh.seek(max(0, path.stat().st_size - 2048))
            return b"%%EOF" in fh.read()
    except OSError:
        return False


# --- Check -------------------------------------------------------------------------------
_MAGIC = [
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP/DOCX/XLSX file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
]


@dataclass(frozen=True)
class Settings:
    """What the read-only stages need; picklable, so worker processes get a copy."""

    max_bytes: int
    password: str = ""
    trust_roots: tuple[str, ...] = ()
    use_pdftotext: bool = True
    refuse_active: bool = False  # [arsip] tolak_konten_aktif
    ocr: OcrSettings | None = None  # None: scans are filed without text (or refused, if pictures)


def check(data: bytes, settings: Settings):
    """A real, readable PDF within the size limit; returns the open pypdf reader.
    A picture (JPEG, PNG, TIFF) passes with None when OCR is on: the ocr stage makes its PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data:
        raise StageError("check", "the file is empty (0 bytes)",
                         "the scan or copy did not finish: save or scan the document again")
    if len(data) > settings.max_bytes:
        mib = 1024 * 1024  # the limit is set and computed in MiB: shown in MiB too
        raise StageError("check", f"the file is {len(data) / mib:.1f} MiB, above the limit of "
                         f"{settings.max_bytes / mib:g} MiB",
                         "scan at a lower resolution, or raise [arsip] ukuran_maks_mb (in MiB) in docgen.toml")
    # viewers (and the PDF spec's notes) accept bytes before the header, within the first 1 KB
    if b"%PDF-" not in data[:1024]:
        from .ocr import image_kind

        picture = image_kind(data)
        if picture and settings.ocr is not None:
            return None
        kind = picture or next((label for magic, label in _MAGIC if data.startswith(magic)), None)
        what = f"it is {kind}" if kind else "it does not start with %PDF-"
        fix = "convert the document to PDF (e.g. `docgen make ... --pdf`) and drop the PDF"
        if picture:
            fix = "drop the scan as PDF, or set [arsip] ocr = true to OCR pictures into PDF/A"
        raise StageError("check", f"not a PDF: {what}", fix)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # an owner password alone (no password to open, edits forbidden) opens with "":
        # every viewer shows it, so it is filed like any PDF
        if reader.is_encrypted and not reader.decrypt(""):
            if not settings.password:
                raise StageError("check", "the PDF is encrypted (password-protected)",
                                 "drop an unprotected copy, or set [arsip] pdf_password_env to the "
                                 "name of an environment variable holding the password")
            if not reader.decrypt(settings.password):
                raise StageError("check", "the PDF is encrypted and the configured password does not open it",
                                 "check the password in the variable named by [arsip] pdf_password_env")
        n = page_count(reader)
    except StageError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise StageError("check", f"{DAMAGED}: the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})",
                         "open it in a PDF viewer; if it fails there too, scan or export it again") from None
    # Whole, or damaged: a cut-off signed letter must never pass as an unsigned one.
    why = damage(data, reader)
    if why:
        raise StageError("check", f"{DAMAGED}: the PDF is damaged: {why}",
                         "copy or download the file again from its source (the sender, the "
                         "scanner, `docgen sign`); never repair it: a repaired PDF is another document")
    if n == 0:
        raise StageError("check", "the PDF has no pages", "export the document again")
    return reader


def page_count(reader) -> int:
    """/Count of the page tree root (O(1)); walks the tree only when that is missing or odd."""
    try:
        n = int(reader.trailer["/Root"]["/Pages"]["/Count"])
        if n > 0:
            return n
    except (KeyError, TypeError, ValueError):
        pass
    return len(reader.pages)


# --- Hash --------------------------------------------------------------------------------
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


# --- Read --------------------------------------------------------------------------------
BULAN = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
         "september", "oktober", "november", "desember"]
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(BULAN) + r")\s+(\d{4})\b", re.I)
_PLACE_DATE = re.compile(r"[A-Za-z]+,\s+(\d{1,2})\s+(" + "|".join(BULAN) + r")\s+(\d{4})\b", re.I)
# kode klasifikasi / urut / unit / (bulan) / tahun: 000.5.3.1/15/Diskominfo/2026, 067/108/419.113/2021
LETTER_NO = re.compile(r"(?<![\w./-])(\d{3}(?:\.\d{1,3})*)\s?/\s?[A-Za-z0-9.\-]+(?:\s?/\s?[A-Za-z0-9.\-]+){1,4}(?![\w/])")
_LABELLED_NO = re.compile(r"\bNomor\s*:?\s*(" + LETTER_NO.pattern + ")", re.I)
_SUBJECT = re.compile(r"^\s*(?:Perihal|Hal)\s*:\s*(.+?)\s*$", re.I | re.M)


def looks_like_number(query: str) -> bool:
    return bool(LETTER_NO.fullmatch(query.strip()))


def find_letter_number(text: str) -> str:
    """The letter's own number: the one after 'Nomor', else the first one in the text."""
    m = _LABELLED_NO.search(text)
    if m:
        return re.sub(r"\s+", "", m.group(1))
    m = LETTER_NO.search(text)
    return re.sub(r"\s+", "", m.group(0)) if m else ""


def classification_of(nomor: str) -> str:
    m = re.match(r"\d{3}(?:\.\d{1,3})*", nomor or "")
    return m.group(0) if m else ""


def find_date(text: str) -> str:
    """ISO date of the letter: 'Kediri, 22 November 2026' first, else any Indonesian date."""
    for rx in (_PLACE_DATE, _DATE):
        for m in rx.finditer(text):
            try:
                return dt.date(int(m.group(3)), BULAN.index(m.group(2).lower()) + 1,
                               int(m.group(1))).isoformat()
            except ValueError:
                continue
    return ""


def pdf_date(value: str) -> str:
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", value or "")
    if not m:
        return ""
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return ""


def find_subject(text: str) -> str:
    m = _SUBJECT.search(text)
    return m.group(1)[:300] if m else ""


def extract_text(path: Path, reader, settings: Settings) -> str:
    """pdftotext (fast, poppler) when installed; pypdf otherwise or when it fails."""
    exe = shutil.which("pdftotext") if settings.use_pdftotext else None
    if exe:
        cmd = [exe, "-q", "-raw", "-enc", "UTF-8"]  # -raw: content order, ~10% faster
        if settings.password:
            cmd += ["-upw", settings.password]
        try:
            res = subprocess.run([*cmd, str(path), "-"], capture_output=True, timeout=120)
            if res.returncode == 0:
                return res.stdout.decode("utf-8", errors="replace")
        except (OSError, subprocess.TimeoutExpired):
            pass
    parts = []
    for page in reader.pages:
        try:
            parts.append(page.extract_text() or "")
        except Exception:  # pypdf raises many types on odd fonts; text is optional
            parts.append("")
    return "\f".join(parts)  # a form feed between pages, as pdftotext writes




_BYTERANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
# What docgen files a document under; a later update must not be able to relabel it.
SIGNED_KEYS = ("DocgenNomor", "DocgenId", "DocgenKind")


def _info_of(reader) -> dict[str, str]:
    try:
        return {str(k).lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}
    except Exception:  # broken /Info must not block filing
        return {}


def signed_info(data: bytes) -> dict[str, str] | None:
    """/Info as of the newest signed revision (the bytes the last signature covers), or
    None when the file is unsigned or nothing follows that revision. /Info may change in
    an update after signing without breaking the signature (pyHanko accepts it), so the
    nomor and id a signer vouched for are read here, not from the newest /Info."""
    ends = [int(m[3]) + int(m[4]) for m in _BYTERANGE.finditer(data)]
    end = max(ends, default=0)
    if not end or end >= len(data) - 2 or end > len(data):
        return None
    try:
        from pypdf import PdfReader

        return _info_of(PdfReader(io.BytesIO(data[:end]), strict=False))
    except Exception:  # an unreadable earlier revision: keep the newest /Info
        return None


def read(path: Path, name: str, data: bytes, reader, settings: Settings,
         text: str | None = None) -> Prepared:
    info = _info_of(reader)
    signed = signed_info(data)
    if signed is not None:
        changed = [k for k in SIGNED_KEYS if signed.get(k, "") != info.get(k, "")]
        for k in changed:
            if signed.get(k):
                info[k] = signed[k]
            else:
                info.pop(k, None)
        if changed:  # kept in the catalog for the auditor
            info["DiubahSetelahTTE"] = ", ".join(changed)
    if text is None:
        text = extract_text(path, reader, settings)
    letter_no = info.get("DocgenNomor", "") or find_letter_number(text)
    subject = find_subject(text)
    # a line of words, not a chart's axis ("1.00 1.25 1.50") or a page number
    first_line = next((ln.strip() for ln in text.splitlines()
                       if sum(c.isalpha() for c in ln) >= 4), "")
    title = subject or info.get("Title", "") or info.get("Subject", "") or first_line[:200] or Path(name).stem
    return Prepared(
        claimed=str(path), name=name, size=len(data), sha256=sha256(data), pages=page_count(reader),
        text=_searchable(text, info, name), info=info, doc_id=info.get("DocgenId", ""), letter_no=letter_no,
        kind=info.get("DocgenKind", ""), classification=classification_of(letter_no),
        subject=subject, title=title,
        doc_date=find_date(text) or pdf_date(info.get("CreationDate", "")),
    )


def _searchable(text: str, info: dict[str, str], name: str) -> str:
    """The text to index: the page text, then what the clerk may remember instead (the
    file's name, its /Info title and subject) when the pages do not already say it; a
    scan without OCR is found by these alone."""
    stem = Path(name.replace("/", " ")).stem if name.lower().endswith(".pdf") else name
    extra = [v.strip() for v in (stem.replace("/", " "), info.get("Title", ""), info.get("Subject", ""))
             if v and v.strip() and v.strip().casefold() not in text.casefold()]
    extra = list(dict.fromkeys(extra))
    return text + ("\n" + "\n".join(extra) if extra else "")


# --- Inspect -----------------------------------------------------------------------------
def inspect_signatures(path: Path, data: bytes, settings: Settings) -> list[dict]:
    """Signature status via docgen.sign (pyHanko). [] when the PDF has no signature."""
    if b"/ByteRange" not in data:
        return []
    try:
        from docgen.sign import verify_pdf
    except ImportError:
        return [{"signer": "", "intact": None, "valid": None, "trusted": None, "signing_time": "",
                 "summary": "signed, but docgen.sign is not installed to verify it"}]
    try:
        statuses = verify_pdf(data, [Path(p) for p in settings.trust_roots])
    except Exception as exc:  # a broken signature dictionary is a finding, not a crash
        return [{"signer": "", "intact": False, "valid": False, "trusted": False, "signing_time": "",
                 "summary": f"signature could not be checked: {exc}"}]
    out = []
    for s in statuses:
        when = getattr(s, "signing_time", None)
        out.append({
            "field": str(getattr(s, "field_name", "") or ""),
            "signer": str(getattr(s, "signer", "") or ""),
            "intact": bool(getattr(s, "intact", False)),
            "valid": bool(getattr(s, "valid", False)),
            "trusted": bool(getattr(s, "trusted", False)),
            "modified_after": bool(getattr(s, "modified_after", False)),
            "signing_time": when.isoformat() if hasattr(when, "isoformat") else str(when or ""),
            "summary": str(getattr(s, "summary", "") or ""),
            "kind": str(getattr(s, "kind", "signature")),
        })
        ts = getattr(s, "timestamp", None)
        if ts is not None:  # the RFC 3161 time: better evidence than the signer's clock
            out[-1]["timestamp"] = ts.isoformat()
            out[-1]["timestamp_by"] = str(getattr(s, "timestamp_by", "") or "")
    return out


def prepare(path: str, name: str, settings: Settings) -> Prepared | StageError:
    """Check, Hash, Read and Inspect one claimed file (read-only; safe in a worker process)."""
    # pypdf logs warnings for every odd PDF; the stage result carries the reason instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    p = Path(path)
    try:
        data = read_plain(p)  # a link or FIFO swapped in after the claim is refused here too
        reader = check(data, settings)
        active = active_content(data) if reader is not None else []
        if active and settings.refuse_active:
            raise StageError("inspect", f"the PDF holds active content ({', '.join(active)}), "
                             "which this workspace refuses ([arsip] tolak_konten_aktif)",
                             "export the document again without scripts, actions or attachments "
                             "(print to PDF), or set [arsip] tolak_konten_aktif = false")
        try:
            text = extract_text(p, reader, settings) if reader is not None else ""
        except Exception as exc:
            raise StageError("read", f"the PDF could not be read: {type(exc).__name__}: {exc}",
                             "export or scan the document again") from None
        if settings.ocr is not None and (reader is None or _wants_ocr(data, text)):
            try:
                return ocr_stage(p, name, data, reader, settings)
            except StageError as exc:
                from .ocr import Unreadable

                # A PDF is an archive document with or without text: file it as it is
                # (found by its name and properties). A picture cannot be filed unread.
                if reader is None or not isinstance(exc, Unreadable):
                    raise
        try:
            prep = read(p, name, data, reader, settings, text=text)
        except Exception as exc:
            raise StageError("read", f"the PDF could not be read: {type(exc).__name__}: {exc}",
                             "export or scan the document again") from None
        prep.signatures = inspect_signatures(p, data, settings)
        prep.terms = index_terms(prep.title, prep.letter_no, prep.text)
        prep.active = active
        return prep
    except StageError as exc:
        return exc


def looks_like_scan(path: Path) -> bool:
    """Cheap, before reading: a picture, or a PDF that uses no font (pages of images only).
    Such files go to the watcher's OCR lane; the ocr stage itself decides page by page, so
    a text PDF whose fonts hide in compressed object streams only takes the slower lane."""
    from .ocr import image_kind

    try:
        with path.open("rb") as fh:
            head = fh.read(16)
            if image_kind(head):
                return True
            if b"%PDF-" not in head + fh.read(1008):
                return False
            fh.seek(0)
            data = fh.read(64 * 1024 * 1024)
    except OSError:
        return False
    return b"/Font" not in data and b"/ByteRange" not in data


def _wants_ocr(data: bytes, text: str) -> bool:
    from .ocr import needs_ocr

    # pdftotext ends every page with a form feed: the last split is not a page
    pages = text[:-1] if text.endswith("\f") else text
    return needs_ocr(data, pages.split("\f"))


OCR_SUFFIX = ".ocr.tmp"  # the PDF/A beside its claimed scan until it is filed (recovery knows it)


def ocr_stage(p: Path, name: str, data: bytes, reader, settings: Settings) -> Prepared:
    """OCR: the scan becomes a PDF/A with a text layer, read like any other PDF; the
    original's hash, size and kind go with it, so that both are filed and verified."""
    from . import ocr

    res = ocr.ocr(data, settings.ocr, pages=page_count(reader) if reader is not None else 0)
    out = Path(str(p) + OCR_SUFFIX)
    try:
        shutil.move(str(res.pdf), out)
    finally:
        shutil.rmtree(res.pdf.parent, ignore_errors=True)
    try:
        pdf = out.read_bytes()
        reader2 = check(pdf, settings)
        text = extract_text(out, reader2, settings)
        err = ocr.unreadable(text, settings.ocr)
        if err:
            raise err
        prep = read(out, name, pdf, reader2, settings, text=text)
    except StageError:
        out.unlink(missing_ok=True)
        raise
    except Exception as exc:
        out.unlink(missing_ok=True)
        raise StageError("ocr", f"the OCR result could not be read: {type(exc).__name__}: {exc}",
                         "scan the letter again") from None
    suffix = Path(name).suffix.lower() or ocr.IMAGE_SUFFIX.get(res.source_kind, ".pdf")
    prep.claimed, prep.source = str(p), str(out)
    prep.original = {"sha256": sha256(data), "size": len(data), "suffix": suffix,
                     "kind": res.source_kind}
    prep.info["OCR"] = f"{settings.ocr.languages}, dari {res.source_kind}"
    prep.terms = index_terms(prep.title, prep.letter_no, prep.text)
    return prep


# --- File --------------------------------------------------------------------------------
def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_atomic(src: Path, dst: Path) -> None:
    """Copy bytes unchanged under a temporary name, fsync, then rename into place."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    kind = special_kind(os.lstat(src))
    if kind:  # the archive holds plain copies only, never what a link points at
        raise special_error(kind)
    # created here, so it gets the archive folder's mode (umask), never the source's
    with src.open("rb") as fin, tmp.open("wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    fsync_dir(dst.parent)


def move(src: Path, dst: Path) -> None:
    """Rename when on the same filesystem, else copy (fsynced) and delete the source."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
    except OSError:
        if not os.path.lexists(src):
            raise
        if special_kind(os.lstat(src)):  # across filesystems: move the link, never its target
            if os.path.islink(src):
                os.symlink(os.readlink(src), dst)
            src.unlink()
            return
        copy_atomic(src, dst)
        src.unlink()


def remove_empty_dirs(folder: Path, root: Path) -> None:
    """Remove ``folder`` and then its parents while they are empty, stopping below ``root``.

    ``os.rmdir`` refuses a folder that holds anything (even a hidden or junk file), so a
    folder that still holds a file is never removed, whatever happens meanwhile.
    """
    try:  # compared resolved: a symlinked temp folder must not let the walk pass ``root``
        top, cur = root.resolve(), folder.resolve()
    except OSError:
        return
    if not cur.is_relative_to(top):
        return
    while cur != top:
        try:
            os.rmdir(cur)
        except OSError:  # not empty, in use (Windows), or already gone
            return
        cur = cur.parent


def unique_path(folder: Path, name: str) -> Path:
    p = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    i = 1
    while os.path.lexists(p):  # (a dangling link counts: never overwritten) a reason file without its PDF (crash) is simply rewritten
        p = folder / f"{stem}-{i}{suffix}"
        i += 1
    return p


def sleep_backoff(attempt: int, base: float) -> None:
    time.sleep(base * (2 ** attempt))
