"""The ingest pipeline: one chain of named stages, from an inbox file to a filed, indexed entry.

    wait -> claim -> check -> ocr -> hash -> read -> inspect -> number -> file -> index -> remove

(ocr only for scans: image-only PDF pages and pictures; the PDF/A it makes is filed, and
the original beside it.)

A refused file is moved to the quarantine folder with a reason file beside it. A file is only
removed from the inbox (its claimed copy in ``<inbox>/.proses``) after its entry is committed.
A file from a subfolder of the inbox keeps its folder in its name ("Surat Masuk/x.pdf"): in the
claimed path, the catalog's ``original_name`` and the quarantine folder.
After a crash, ``recover()`` (run by ``Archive.open``) finishes or undoes the half-done step.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from ..errors import DocgenError
from ..workspace import Workspace
from . import stages
from .catalog import CATALOG_NAME, Catalog, DuplicateError
from .stages import Prepared, Settings, StageError

PROCESSING = ".proses"
LOCK_NAME = "arsip.lock"
SEP = "__"  # claimed name: <token>__<original name>; from a subfolder: <token>/<sub>/<name>
CRASH_ENV = "DOCGEN_ARSIP_CRASH"  # test hook: kill the process at a named point


@dataclass
class Result:
    name: str
    status: str  # filed | quarantined | ignored | failed
    stage: str = ""
    reason: str = ""
    fix: str = ""
    archive_no: str = ""
    entry_id: int | None = None
    path: Path | None = None  # the archived file, or the quarantined one

    def line(self) -> str:
        if self.status == "filed":
            return f"filed       {self.name} -> {self.archive_no}"
        if self.status == "quarantined":
            return f"quarantined {self.name}: {self.stage}: {self.reason}"
        return f"{self.status:<11} {self.name}: {self.reason}"


def _crashpoint(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)


def original_name(claimed: Path) -> str:
    """The inbox-relative name ('/'-separated) a claimed file came with."""
    parts = claimed.parts
    if PROCESSING in parts:
        i = len(parts) - 1 - parts[::-1].index(PROCESSING)
        nested = parts[i + 2:]  # .proses/<token>/<sub...>/<name>
        if len(nested) > 1:
            return "/".join(nested)
    return claimed.name.split(SEP, 1)[1] if SEP in claimed.name else claimed.name


def open_register(ws: Workspace):
    """The workspace's register (docgen.register), or None when absent: the link is optional."""
    if not ws.register_db.is_file():  # do not create an empty register as a side effect
        return None
    try:
        from docgen.register import Register

        return Register.for_workspace(ws)
    except Exception:  # a missing or odd register never blocks filing
        return None


def register_info(reg, prep: Prepared) -> dict:
    """The register entry of this letter (by document id, then number), if any."""
    if reg is None:
        return {}
    try:
        entry = reg.find_by_doc_id(prep.doc_id) if prep.doc_id else None
        if entry is None and prep.letter_no:
            entry = reg.get(prep.letter_no)
    except Exception:
        return {}
    if entry is None:
        return {}
    tanggal = getattr(entry, "tanggal", None)
    return {
        "nomor": str(getattr(entry, "nomor", "") or ""),
        "perihal": str(getattr(entry, "perihal", "") or ""),
        "klasifikasi": str(getattr(entry, "klasifikasi", "") or ""),
        "jenis": str(getattr(entry, "jenis", "") or ""),
        "tujuan": str(getattr(entry, "tujuan", "") or ""),
        "status": str(getattr(entry, "status", "") or ""),
        "tanggal": tanggal.isoformat() if hasattr(tanggal, "isoformat") else str(tanggal or ""),
    }


def check_number_format(ws: Workspace) -> None:
    """A wrong [arsip] format_nomor is a config error up front, not a failure mid-filing."""
    import datetime as _dt

    from ..errors import ConfigError
    from .catalog import format_archive_no

    fmt = ws.config.arsip.format_nomor
    fix = 'tokens: {tahun} {urut} {bulan} {bulan_romawi}, e.g. "ARS/{tahun}/{urut:05d}"'
    try:
        a = format_archive_no(fmt, 2026, 1, _dt.date(2026, 1, 1))
        b = format_archive_no(fmt, 2026, 2, _dt.date(2026, 1, 1))
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        raise ConfigError(f"archive number format {fmt!r} cannot be filled: {exc!r}",
                          file=ws.config_file, field="arsip.format_nomor", fix=fix) from None
    if a == b:
        raise ConfigError(f"archive number format {fmt!r} has no {{urut}}: every number would be the same",
                          file=ws.config_file, field="arsip.format_nomor", fix=fix)


class Archive:
    """The archive of one workspace: catalog, folders and the pipeline."""

    def __init__(self, ws: Workspace) -> None:
        from .watcher import is_network_path

        self.ws = ws
        self.cfg = ws.config.arsip
        check_number_format(ws)
        self.archive_dir = ws.archive_dir
        self.processing = ws.inbox_dir / PROCESSING
        for d in (self.archive_dir, ws.inbox_dir, self.processing, ws.quarantine_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.archive_dir / CATALOG_NAME, wal=not is_network_path(self.archive_dir))
        from .seal import Seal

        self.catalog.on_head = self.seal = Seal(ws)  # signs the chain head after each batch

    @classmethod
    def open(cls, ws: Workspace, *, recover: bool = True) -> Archive:
        """Open the archive; with ``recover`` (writers) take the lock and finish a crash's work."""
        arc = cls(ws)
        if recover:
            try:
                arc.lock()
                arc.recover()
            except BaseException:
                arc.close()
                raise
        return arc

    def lock(self, timeout: float = 2.0) -> None:
        """One writer at a time (watch or ingest): recovery must not touch another's files.

        An exclusive transaction on a small SQLite file: portable, and released by the OS
        when the process dies, so a crash never leaves a stale lock behind.
        """
        con = sqlite3.connect(self.archive_dir / LOCK_NAME, timeout=timeout, isolation_level=None)
        try:
            con.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            con.close()
            raise DocgenError(
                "another docgen process (archive watch or ingest) is filing into this archive",
                file=self.archive_dir,
                fix="wait for it to finish, or drop the files into the inbox for the running watcher",
            ) from None
        self._lock = con
        self.seal.ready()  # a missing archive key fails before anything is filed

    def close(self) -> None:
        reg = getattr(self, "_reg", None)
        if reg is not None:
            reg.close()
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()
        self.catalog.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _register(self):
        if not hasattr(self, "_reg"):
            self._reg = open_register(self.ws)
        return self._reg

    def settings(self) -> Settings:
        password = os.environ.get(self.cfg.pdf_password_env, "") if self.cfg.pdf_password_env else ""
        from .ocr import OcrSettings

        return Settings(
            max_bytes=int(self.cfg.ukuran_maks_mb * 1024 * 1024),
            password=password,
            trust_roots=tuple(str(self.ws.path(p)) for p in self.ws.config.tte.trust_roots),
            ocr=OcrSettings(languages=self.cfg.ocr_bahasa, page_timeout=self.cfg.ocr_batas_detik,
                            program=self.cfg.ocr_program) if self.cfg.ocr else None,
        )

    # --- claim -----------------------------------------------------------------------
    def claim(self, path: Path, *, keep: bool = False, name: str = "") -> Path:
        """Take the file out of the inbox by renaming it into the processing folder.

        ``name`` is where it came from relative to the inbox ("Surat Masuk/x.pdf"); the folder
        part rides along in the claimed path, so a crash right after the rename keeps it.
        """
        name = name or self.origin(path)
        token = uuid.uuid4().hex[:12]
        sub = [p for p in name.split("/") if p not in ("", ".", "..")]
        if len(sub) > 1:
            target = self.processing.joinpath(token, *sub)
        else:
            target = self.processing / f"{token}{SEP}{path.name}"
        try:
            if keep:
                stages.copy_atomic(path, target)
            else:
                stages.move(path, target)
        except FileNotFoundError:
            raise StageError("claim", "the file disappeared before it could be taken",
                             "nothing to do if it was moved on purpose") from None
        except OSError as exc:
            stages.remove_empty_dirs(target.parent, self.processing)  # the token folder, if made
            raise StageError("claim", f"cannot move the file out of {path.parent}: {exc}",
                             "give docgen write permission on the inbox folder, and close "
                             "programs that keep the file open") from None
        return target

    def origin(self, path: Path, base: Path | None = None) -> str:
        """The name recorded for ``path``: relative to the inbox (or quarantine) when inside it,
        else relative to ``base`` (a folder given to ingest), else the bare file name."""
        for root in (self.ws.inbox_dir, self.ws.quarantine_dir, base):
            if root is not None:
                rel = stages.relative_name(path, root)
                if rel and not rel.startswith(f"{PROCESSING}/"):
                    return rel
        return path.name

    def unclaimed(self, claimed: Path) -> None:
        """The claimed copy is gone: remove its token folder (nested claims) if now empty."""
        stages.remove_empty_dirs(claimed.parent, self.processing)

    # --- the chain -------------------------------------------------------------------
    def process_claimed(self, claimed: Path, prep: Prepared | StageError | None = None) -> Result:
        name = original_name(claimed)
        if prep is None:
            prep = stages.prepare(str(claimed), name, self.settings())
        if isinstance(prep, StageError):
            return self.quarantine(claimed, prep)
        if self.cfg.wajib_tte:
            err = self._signature_required(prep)
            if err:
                return self.quarantine(claimed, err)
        try:
            row = self.catalog.reserve(prep, number_format=self.cfg.format_nomor,
                                       register=register_info(self._register(), prep))
        except DuplicateError as dup:
            e = dup.existing
            return self.quarantine(claimed, StageError(
                "hash", f"duplicate: the same content is already filed as {e['archive_no']} "
                f"(entry {e['id']}, {self.archive_dir / e['path']})",
                f"nothing to do: see `docgen archive show {e['id']}`; delete this copy"))
        _crashpoint("after_number")
        return self._finish(row)

    def _finish(self, row) -> Result:
        """File, Index, Remove for a reserved ('filing') row."""
        claimed = Path(row["claimed"])
        target = self.archive_dir / row["path"]
        source = filed_source(row)
        try:
            if row["original_path"]:  # a scan: the original first, then the PDF/A that names it
                stages.copy_atomic(claimed, self.archive_dir / row["original_path"])
            stages.copy_atomic(source, target)
        except OSError as exc:
            self.catalog.drop_filing(row["id"])
            return self.quarantine(claimed, StageError(
                "file", f"could not write {target}: {exc}",
                "free disk space or fix the archive folder's permissions, then move this file "
                "back into the inbox"))
        _crashpoint("after_file")
        self.catalog.mark_filed(row["id"])
        _crashpoint("after_index")
        result = Result(original_name(claimed), "filed", archive_no=row["archive_no"],
                        entry_id=row["id"], path=target)
        try:
            if source != claimed:
                source.unlink(missing_ok=True)
            claimed.unlink(missing_ok=True)
            self.unclaimed(claimed)
        except OSError as exc:  # filed; the leftover copy is removed by the next recovery
            result.reason = f"filed, but the inbox copy could not be removed: {exc}"
        return result

    def _inside_archive(self, path: Path) -> bool:
        p = path.resolve()
        if p.is_relative_to(self.processing.resolve()):
            return True  # claimed files belong to the running pipeline (or to recovery)
        allowed = (self.ws.inbox_dir.resolve(), self.ws.quarantine_dir.resolve())
        if any(p.is_relative_to(a) for a in allowed):  # their subfolders too
            return False
        return p.is_relative_to(self.archive_dir.resolve())

    def _signature_required(self, prep: Prepared) -> StageError | None:
        fix = "sign the PDF (`docgen sign`) and drop the signed file; or set [arsip] wajib_tte = false"
        if not any(s.get("kind", "signature") == "signature" for s in prep.signatures):
            return StageError("inspect", "the PDF has no electronic signature, and this workspace "
                              "requires one ([arsip] wajib_tte)", fix)
        bad = [s for s in prep.signatures
               if not (s.get("intact") and s.get("valid")) or s.get("modified_after")]
        if bad:
            return StageError("inspect", "the signature is not valid: " + "; ".join(
                s.get("summary") or "invalid" for s in bad), fix)
        return None

    # --- quarantine ------------------------------------------------------------------
    def quarantine(self, claimed: Path, err: StageError) -> Result:
        """Move a refused file to the quarantine folder, with a reason file beside it."""
        name = original_name(claimed)
        # Same subfolder as in the inbox: the clerk finds it where it was dropped.
        *sub, base = name.split("/")
        target = stages.unique_path(self.ws.quarantine_dir.joinpath(*sub), base)
        target.parent.mkdir(parents=True, exist_ok=True)
        reason = target.with_name(target.name + ".alasan.txt")
        text = (
            f"File:        {name}\n"
            f"Refused at:  {stages.now_iso()}\n"
            f"Stage:       {err.stage}\n"
            f"Reason:      {err.reason}\n"
            f"What to do:  {err.fix or 'fix the file and drop it into the inbox again'}\n"
        )
        if err.stage != "hash":
            text += f"Then:        put the corrected file back into {self.ws.inbox_dir}\n"
        # Reason first, then the file: a crash in between leaves the input in .proses,
        # which the next recovery handles again.
        tmp = reason.with_name(reason.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, reason)
        _crashpoint("in_quarantine")
        stages.move(claimed, target)
        self.unclaimed(claimed)
        return Result(name, "quarantined", stage=err.stage, reason=err.reason, fix=err.fix, path=target)

    # --- entry points ----------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], *, keep: bool = False, workers: int | None = None,
               on_result: Callable[[Result], None] | None = None) -> list[Result]:
        """File the given files (folders: their files) through the pipeline."""
        results: list[Result] = []

        def done(r: Result) -> None:
            results.append(r)
            if on_result:
                on_result(r)

        claimed: list[Path] = []
        emptied: set[Path] = set()  # inbox/quarantine subfolders that files left
        for path, base in expand(paths):
            name = self.origin(path, base)
            if stages.is_junk(path.name):
                done(Result(name, "ignored", stage="wait", reason="temporary or system file"))
                continue
            if not path.is_file():
                done(Result(name, "failed", stage="wait", reason=f"{path} is not a file"))
                continue
            if self._inside_archive(path):
                done(Result(name, "failed", stage="wait",
                            reason=f"{path} is inside the archive, where files are already filed",
                            fix="`docgen archive show` it instead; only the inbox and quarantine "
                                "folders can be filed from"))
                continue
            try:
                claimed.append(self.claim(path, keep=keep, name=name))
            except StageError as exc:
                done(Result(name, "failed", stage=exc.stage, reason=exc.reason, fix=exc.fix))
                continue
            if path.resolve().is_relative_to(self.ws.quarantine_dir.resolve()):
                # filed again from quarantine: its old reason no longer applies
                path.with_name(path.name + ".alasan.txt").unlink(missing_ok=True)
            if not keep:
                emptied.add(path.parent)
        _crashpoint("after_claim")
        self.process_many(claimed, workers=workers, on_result=done)
        self.remove_emptied(emptied)
        return results

    def remove_emptied(self, folders: Iterable[Path]) -> None:
        """Remove subfolders of the inbox/quarantine that filing left empty (never their roots,
        never a folder outside them, never one that still holds a file)."""
        for folder in sorted(set(folders), key=lambda f: len(f.parts), reverse=True):
            for root in (self.ws.inbox_dir, self.ws.quarantine_dir):
                if stages.relative_name(folder, root) not in ("", "."):
                    stages.remove_empty_dirs(folder, root)
                    break

    def process_many(self, claimed: list[Path], *, workers: int | None = None,
                     on_result: Callable[[Result], None]) -> None:
        """Read stages in parallel worker processes; Number/File/Index/Remove stay serial."""
        if workers is None:
            workers = min(os.cpu_count() or 1, 4) if len(claimed) >= 16 else 1
        settings = self.settings()
        try:
            if workers <= 1:
                for c in claimed:
                    on_result(self.process_claimed(c))
                return
            # fork is fast, but unsafe once other threads exist (the watcher's observer)
            ctx = multiprocessing.get_context("spawn") if threading.active_count() > 1 else None
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                preps = pool.map(stages.prepare, [str(c) for c in claimed],
                                 [original_name(c) for c in claimed], repeat(settings), chunksize=4)
                for c, prep in zip(claimed, preps, strict=True):
                    on_result(self.process_claimed(c, prep))
        finally:
            if claimed:
                self.catalog.write_head_file()

    def recover(self, skip: set[Path] | frozenset[Path] = frozenset()) -> list[Result]:
        """Finish or undo what a crash interrupted; then file what was left claimed.
        ``skip``: claimed files a running watcher is still reading (its OCR lane)."""
        results: list[Result] = []
        for row in self.catalog.entries(state="filing"):
            claimed = Path(row["claimed"])
            target = self.archive_dir / row["path"]
            source = filed_source(row)
            original = self.archive_dir / row["original_path"] if row["original_path"] else None
            if (target.is_file() and stages.file_sha256(target) == row["sha256"]
                    and (original is None or original.is_file())):
                self.catalog.mark_filed(row["id"])
                source.unlink(missing_ok=True)
                claimed.unlink(missing_ok=True)
                results.append(Result(original_name(claimed), "filed", archive_no=row["archive_no"],
                                      entry_id=row["id"], path=target))
            elif (source.is_file() and stages.file_sha256(source) == row["sha256"]
                  and claimed.is_file()):
                results.append(self._finish(row))
            else:  # neither copy is there: nothing to finish, so the row goes
                self.catalog.drop_filing(row["id"])
        if results:
            self.catalog.write_head_file()
        for tmp in self.archive_dir.glob("*/.*.tmp"):  # half-written archive copies
            tmp.unlink(missing_ok=True)
        leftovers = []
        # Claimed files: <token>__name at the top, <token>/<sub>/<name> from subfolders.
        busy = set(skip) | {Path(str(c) + stages.OCR_SUFFIX) for c in skip}
        for claimed in sorted(p for p in self.processing.rglob("*") if p.is_file() and p not in busy):
            if claimed.name.endswith(".tmp"):
                # a claim copy that never completed, or an OCR result whose row never came
                claimed.unlink(missing_ok=True)
                self.unclaimed(claimed)
                continue
            row = self.catalog.con.execute(
                "SELECT sha256 FROM entries WHERE claimed=? AND state='filed'", (str(claimed),)
            ).fetchone()
            if row and stages.file_sha256(claimed) == row[0]:
                claimed.unlink()  # filed before the crash; only the removal was missing
                self.unclaimed(claimed)
            else:
                leftovers.append(claimed)
        for folder in [p for p in self.processing.iterdir() if p.is_dir()]:
            for sub in sorted(folder.rglob("*"), key=lambda f: len(f.parts), reverse=True):
                if sub.is_dir():
                    stages.remove_empty_dirs(sub, self.processing)  # crash after mkdir
            stages.remove_empty_dirs(folder, self.processing)
        self.process_many(leftovers, workers=1, on_result=results.append)
        return results


def filed_source(row) -> Path:
    """The file whose bytes the entry's sha256 names: the claimed input, or for a scan the
    PDF/A the ocr stage left beside it."""
    claimed = Path(row["claimed"])
    return Path(str(claimed) + stages.OCR_SUFFIX) if row["original_path"] else claimed


def expand(paths: Iterable[Path]) -> Iterable[tuple[Path, Path | None]]:
    """(file, the folder it was found in or None): folders are walked, subfolders included."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in stages.walk_files(p):
                if f.name.endswith(".alasan.txt"):
                    continue  # a quarantine reason file goes with its PDF, it is not filed
                yield f, p
        else:
            yield p, None


def today() -> dt.date:
    return dt.date.today()
