"""`archive status`: nothing stays in the inbox unreported.

The pipeline files or quarantines every plain file; what it leaves on purpose (temporary and
system names, trash folders, a claim left by a crash) is listed here once it has been there
longer than the quiet period, with the reason it waits.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import stages


@dataclass
class Waiting:
    name: str  # inbox-relative, '/'-separated
    age_s: float
    size: int
    why: str


@dataclass
class Status:
    inbox: Path
    quiet_s: float
    waiting: list[Waiting] = field(default_factory=list)
    quarantined: int = 0
    claimed: int = 0  # files in .proses: a running pipeline's, or a crash's (recovered on next run)


def _why(rel: str) -> str:
    *folders, last = rel.split("/")
    junk_dir = next((f for f in folders if stages.is_junk_dir(f)), "")
    if junk_dir:
        kind = "trash or system folder" if junk_dir.lower() != ".proses" else "claimed by the pipeline"
        return f"in a {kind} ({junk_dir}), not filed: move it to the inbox itself to file it"
    if stages.is_junk(last):
        return "a temporary or system file name (.part, ~$, Thumbs.db...): not filed; rename it to file it"
    return "waiting to be filed: is `docgen archive watch` running? (`docgen archive ingest` files it now)"


def status(arc) -> Status:
    inbox = arc.ws.inbox_dir
    quiet = max(float(arc.cfg.tenang_detik), 1.0)
    out = Status(inbox=inbox, quiet_s=quiet)
    now = time.time()
    for folder, dirs, files in os.walk(inbox, followlinks=False):
        base = Path(folder)
        for f in files + [d for d in dirs if (base / d).is_symlink()]:
            p = base / f
            rel = stages.relative_name(p, inbox)
            if rel.startswith(".proses/"):
                out.claimed += 1
                continue
            try:
                st = os.lstat(p)
            except OSError:
                continue
            age = now - st.st_mtime
            if age >= quiet:
                out.waiting.append(Waiting(rel, age, st.st_size, _why(rel)))
    q = arc.ws.quarantine_dir
    if q.is_dir():
        out.quarantined = sum(1 for p in q.rglob("*.alasan.txt"))
    out.waiting.sort(key=lambda w: -w.age_s)
    return out
