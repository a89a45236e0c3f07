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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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
    """Temporary and system files that must never be taken (nor removed) from the inbox."""
    low = name.lower()
    return (
        low.endswith(JUNK_SUFFIXES)
        or low in JUNK_NAMES
        or name.startswith(("~$", "."))
    )


def walk_files(root: Path) -> list[Path]:
    """Files under ``root``, its subfolders included, sorted.

    Hidden and temporary folders are not entered: ``.proses`` (claimed files), a folder still
    being copied under a temporary name, ``.Trash``. Junk *files* are listed: callers decide
    (ingest reports them as ignored, the watcher skips them). Symlinked folders are not
    followed, so a link loop cannot make the walk endless.
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not is_junk(d))  # pruned in place: not entered
        base = Path(folder)
        found.extend(base / f for f in files)
    return sorted(found)


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
        mb = len(data) / 1e6
        raise StageError("check", f"the file is {mb:.1f} MB, above the limit of "
                         f"{settings.max_bytes / 1e6:.0f} MB",
                         "scan at a lower resolution, or raise [arsip] ukuran_maks_mb in docgen.toml")
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
        raise StageError("check", f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})",
                         "open it in a PDF viewer; if it fails there too, scan or export it again") from None
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


def normalize_number(nomor: str) -> str:
    """Letter numbers compare without spaces and case: '000.5.3.1 / 15 / Diskominfo/2026'."""
    return re.sub(r"\s+", "", nomor).lower()


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
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise StageError("check", f"cannot read the file: {exc}",
                             "check the file's permissions") from None
        reader = check(data, settings)
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
        from .catalog import index_terms

        prep.terms = index_terms(prep.title, prep.letter_no, prep.text)
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
    from .catalog import index_terms

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
        if not src.exists():
            raise
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
    while p.exists():  # a reason file without its PDF (crash) is simply rewritten
        p = folder / f"{stem}-{i}{suffix}"
        i += 1
    return p


def now_iso() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def sleep_backoff(attempt: int, base: float) -> None:
    time.sleep(base * (2 ** attempt))
