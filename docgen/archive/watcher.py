"""Watch the inbox with watchdog and feed complete files to the pipeline.

The Wait stage lives here: a file is taken only after a quiet period without events, an
unchanged (size, mtime) between two looks, and a PDF trailer (``looks_complete``); a file that
stays incomplete is retried with backoff and finally handed to the pipeline, which quarantines
it with a reason. Renames are followed through the moved event's destination; junk names are
ignored. A startup scan and periodic rescans catch what the events missed (network shares,
queue overflows), and a set of files in flight stops stray duplicate events.

Scans are read (OCR'd) in a worker process of their own, off the watcher's loop: a 50-page
scan takes minutes, and the letters dropped after it are filed meanwhile. Only its reading
runs there; numbering and filing stay in the loop, one at a time, as for every file.

Subfolders are watched too (a clerk drags in a whole folder, a scanner writes dated folders):
their files are filed like top-level ones, under their inbox-relative name. A folder that
appears (created, or moved in with one rename) is walked, since some platforms report only the
folder. A subfolder that filing left empty is removed once it has stayed empty for a while,
so a scanner that writes into it again is not raced; a folder holding any file is never removed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from . import stages
from .pipeline import Archive, Result, original_name

NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p",
                        "fuse.sshfs", "fuse.rclone", "davfs", "ncpfs", "glusterfs", "ceph"})
MAX_INCOMPLETE_TRIES = 4
BATCH = 16  # this many ready files at once are read by worker processes


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")


def mount_fs_type(path: Path, mounts_text: str) -> str:
    """The filesystem type of the longest mount point containing ``path`` (/proc/mounts)."""
    best, fstype = "", ""
    p = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = _unescape(parts[1])
        inside = p == mnt or p.startswith(mnt.rstrip("/") + "/")
        if inside and len(mnt) >= len(best):
            best, fstype = mnt, parts[2]
    return fstype


def is_network_path(path: Path) -> bool:
    """True when ``path`` is on a network share (inotify/WAL cannot be trusted there)."""
    path = Path(path).resolve()
    if sys.platform == "win32":
        s = str(path)
        if s.startswith("\\\\"):  # UNC path
            return True
        try:
            import ctypes

            DRIVE_REMOTE = 4
            return ctypes.windll.kernel32.GetDriveTypeW(s[:3]) == DRIVE_REMOTE  # type: ignore[attr-defined]
        except (OSError, AttributeError):
            return False
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # macOS/BSD: no /proc; use --polling for shares
    return mount_fs_type(path, text).lower() in NETWORK_FS


@dataclass
class _Pending:
    last_event: float
    stat: tuple[int, int] | None = None  # (size, mtime_ns) at the last look
    tries: int = 0
    not_before: float = 0.0


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.w = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            # A folder moved or copied in: its files may come with no event of their own.
            if event.event_type == "moved":
                self.w.note_dir(Path(os.fsdecode(event.dest_path)))
            elif event.event_type == "created":
                self.w.note_dir(Path(os.fsdecode(event.src_path)))
            return
        if event.event_type == "moved":
            self.w.note(Path(os.fsdecode(event.dest_path)))  # x.part -> x.pdf
        elif event.event_type in ("created", "modified", "closed"):
            self.w.note(Path(os.fsdecode(event.src_path)))


class Watcher:
    """Runs until ``stop()``; each finished file is reported to ``on_result``."""

    def __init__(self, archive: Archive, *, polling: bool | None = None,
                 on_result: Callable[[Result], None] | None = None,
                 on_event: Callable[[str], None] | None = None) -> None:
        self.archive = archive
        self.inbox = archive.ws.inbox_dir
        cfg = archive.cfg
        self.quiet = float(cfg.tenang_detik)
        self.rescan_every = float(cfg.rescan_detik)
        if polling is None:
            polling = cfg.polling if cfg.polling is not None else is_network_path(self.inbox)
        self.polling = polling
        self.on_result = on_result or (lambda r: None)
        self.on_event = on_event or (lambda s: None)
        self._pending: dict[Path, _Pending] = {}
        self._in_flight: set[Path] = set()
        # subfolder -> when a file last left it; removed once empty and quiet this long
        self._emptied: dict[Path, float] = {}
        self.empty_grace = max(self.quiet * 5, 1.0)
        # Folders inside the inbox that are not inbox content (a quarantine configured there).
        self._skip = [d for d in (archive.processing, archive.ws.quarantine_dir, archive.archive_dir)
                      if stages.relative_name(d, self.inbox) not in ("", ".")]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.results: list[Result] = []
        # the OCR lane: claimed scan -> its reading in the worker
        self._ocr_pool: ProcessPoolExecutor | None = None
        self._ocr_jobs: dict[Path, Future] = {}
        self.ocr_workers = max(1, int(getattr(cfg, "ocr_pekerja", 1)))

    def wanted(self, path: Path) -> bool:
        """A file (or folder) inside the inbox, not junk nor in a hidden/temporary folder."""
        rel = stages.relative_name(path, self.inbox)
        if rel in ("", "."):
            return False  # outside the inbox (moved away), or the inbox itself
        if any(stages.is_junk(part) for part in rel.split("/")):
            return False  # temp/system files; hidden folders such as .proses
        return not any(stages.relative_name(path, d) for d in self._skip)

    # Called from the observer thread.
    def note(self, path: Path) -> None:
        if not self.wanted(path):
            return
        with self._lock:
            if path in self._in_flight:
                return
            p = self._pending.get(path)
            now = time.monotonic()
            if p is None:
                self._pending[path] = _Pending(last_event=now)
            else:
                p.last_event = now

    def note_dir(self, folder: Path) -> None:
        """A folder appeared in the inbox: note the files already inside it."""
        if not self.wanted(folder):
            return  # outside the inbox, .proses, or a folder still under a temporary name
        try:
            files = stages.walk_files(folder)
        except OSError:  # gone again: nothing to do
            return
        for f in files:
            self.note(f)

    def scan(self) -> None:
        for f in stages.walk_files(self.inbox):  # subfolders too; hidden ones are skipped
            self.note(f)

    def _left(self, path: Path) -> None:
        """``path`` was taken out of a subfolder: that folder may now be empty."""
        if path.parent != self.inbox:
            with self._lock:
                self._emptied[path.parent] = time.monotonic()

    def remove_emptied(self) -> None:
        """Remove subfolders left empty by filing, once quiet for ``empty_grace`` seconds.

        The wait spares a folder that is between two files of a copy or a scanner job; rmdir
        itself refuses a folder that holds anything, so no file is ever lost here.
        """
        now = time.monotonic()
        with self._lock:
            due = [d for d, t in self._emptied.items() if now - t >= self.empty_grace]
            busy = {p.parent for p in (*self._pending, *self._in_flight)}
        for folder in sorted(due, key=lambda d: len(d.parts), reverse=True):
            with self._lock:
                self._emptied.pop(folder, None)
            if folder in busy:
                continue  # a file in it is still waiting; it comes back here once taken
            try:  # mtime: a file created (and taken) there meanwhile resets the wait
                quiet = time.time() - folder.stat().st_mtime >= self.empty_grace
            except OSError:
                continue  # already gone
            if quiet:
                stages.remove_empty_dirs(folder, self.inbox)
            else:
                with self._lock:
                    self._emptied.setdefault(folder, now)  # touched lately: look again later

    def _ready(self) -> list[Path]:
        """The Wait stage: quiet, unchanged stat, and a PDF trailer (or given up waiting)."""
        now = time.monotonic()
        ready = []
        with self._lock:
            items = list(self._pending.items())
        for path, p in items:
            if now - p.last_event < self.quiet or now < p.not_before:
                continue
            try:
                st = path.stat()
            except FileNotFoundError:
                with self._lock:
                    self._pending.pop(path, None)  # renamed away or deleted: events follow it
                continue
            cur = (st.st_size, st.st_mtime_ns)
            if p.stat != cur:  # changed since the last look: look again after another quiet period
                p.stat, p.last_event = cur, now
                continue
            if not stages.looks_complete(path) and p.tries < MAX_INCOMPLETE_TRIES:
                p.tries += 1  # maybe still being written without events (network copy)
                p.not_before = now + self.quiet * (2 ** p.tries)
                continue
            ready.append(path)
        return ready

    def run(self) -> None:
        # watchdog warns about events queued while it shuts down: noise for the clerk.
        logging.getLogger("watchdog").setLevel(logging.ERROR)
        # Recursive inotify re-adds a watch when folders are made quickly one inside another
        # (a folder moved in, claim folders in .proses) and warns: harmless, noise for the clerk.
        warnings.filterwarnings("ignore", message="Callback with id .* already exists",
                                category=RuntimeWarning)
        observer = PollingObserver(timeout=max(0.2, self.quiet / 2)) if self.polling else Observer()
        observer.schedule(_Handler(self), str(self.inbox), recursive=True)
        observer.start()
        self.on_event(f"watching {self.inbox} ({'polling' if self.polling else 'native events'})")
        try:
            for r in self.archive.recover():
                self._report(r)
            self.scan()  # what arrived while we were not running
            last_scan = time.monotonic()
            tick = min(0.5, max(0.05, self.quiet / 4))
            while not self._stop.wait(tick):
                try:
                    self._collect_ocr()
                    if time.monotonic() - last_scan >= self.rescan_every:
                        # anything stuck in .proses, but not the scans being read right now
                        for r in self.archive.recover(skip=set(self._ocr_jobs)):
                            self._report(r)
                        self.scan()
                        last_scan = time.monotonic()
                    ready = self._ready()
                    if len(ready) >= BATCH:
                        self._take_many(ready)  # a bulk copy: read them in parallel
                    else:
                        for path in ready:
                            self._take(path)
                    if self._emptied:
                        self.remove_emptied()
                except Exception as exc:  # e.g. disk full: keep watching; the rescan retries
                    self._report(Result("(watcher)", "failed", reason=f"{type(exc).__name__}: {exc}",
                                        fix="check free space and permissions of the archive "
                                            "folder; files waiting in the inbox are retried"))
        finally:
            observer.stop()
            observer.join()
            if self._ocr_pool is not None:
                # unfinished scans stay claimed in .proses: the next start reads them again
                self._ocr_pool.shutdown(wait=False, cancel_futures=True)

    # --- the OCR lane ------------------------------------------------------------------
    def _to_ocr_lane(self, claimed: Path) -> bool:
        settings = self.archive.settings()
        if settings.ocr is None or not stages.looks_like_scan(claimed):
            return False
        if self._ocr_pool is None:
            # spawn: the observer's threads make fork unsafe
            self._ocr_pool = ProcessPoolExecutor(self.ocr_workers,
                                                 mp_context=multiprocessing.get_context("spawn"))
        self._ocr_jobs[claimed] = self._ocr_pool.submit(
            stages.prepare, str(claimed), original_name(claimed), settings)
        self.on_event(f"reading scan {original_name(claimed)} (OCR) in the background")
        return True

    def _collect_ocr(self) -> None:
        for claimed, fut in list(self._ocr_jobs.items()):
            if not fut.done():
                continue
            del self._ocr_jobs[claimed]
            try:
                prep = fut.result()
            except Exception as exc:  # the worker died (killed, out of memory)
                prep = stages.StageError("ocr", f"the OCR worker failed: {type(exc).__name__}: {exc}",
                                         "drop the scan again; if it fails again, scan it at 300 dpi")
            self._report(self.archive.process_claimed(claimed, prep))
            self.archive.catalog.write_head_file()

    def _take(self, path: Path) -> None:
        with self._lock:
            pend = self._pending.pop(path, None)
            self._in_flight.add(path)
        try:
            try:
                claimed = self.archive.claim(path)
            except stages.StageError as exc:
                if not path.exists():
                    return
                tries = (pend.tries if pend else 0) + 1
                if tries > MAX_INCOMPLETE_TRIES:  # tell the clerk; the next rescan tries again
                    self._report(Result(path.name, "failed", stage=exc.stage, reason=exc.reason, fix=exc.fix))
                    return
                now = time.monotonic()  # still open elsewhere (Windows): try again later
                with self._lock:
                    self._pending[path] = _Pending(last_event=now, tries=tries,
                                                   not_before=now + self.quiet * (2 ** tries))
                return
            self._left(path)
            if self._to_ocr_lane(claimed):
                return
            self._report(self.archive.process_claimed(claimed))
            self.archive.catalog.write_head_file()
        finally:
            with self._lock:
                self._in_flight.discard(path)

    def _take_many(self, paths: list[Path]) -> None:
        with self._lock:
            for p in paths:
                self._pending.pop(p, None)
                self._in_flight.add(p)
        retry = []
        try:
            claimed = []
            for p in paths:
                try:
                    claimed.append(self.archive.claim(p))
                    self._left(p)
                except stages.StageError:
                    if p.exists():  # held open: back to the queue, retried one by one
                        retry.append(p)
            self.archive.process_many(claimed, on_result=self._report)
        finally:
            with self._lock:
                self._in_flight.difference_update(paths)
            for p in retry:
                self.note(p)

    def _report(self, r: Result) -> None:
        self.results.append(r)
        self.on_result(r)

    def stop(self) -> None:
        self._stop.set()
