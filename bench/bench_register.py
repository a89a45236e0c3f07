"""Letter numbers per second from one register file, with 1 and with 8 processes.

Each process opens the register once (connection kept open) and takes N numbers; each
take is one short BEGIN IMMEDIATE transaction (counter row + entry insert). The clock
starts when all processes are ready. Afterwards every number is checked: no duplicates,
contiguous 1..total. Goal: >= 1,000 numbers/s with 8 processes.

    python bench/bench_register.py [N_PER_PROCESS]
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from docgen.config import Penomoran
from docgen.register import Register


def _worker(db: str, n: int, ready, start, results, sync: str = "FULL") -> None:
    Register.SYNCHRONOUS = sync  # spawned: the parent's class attribute does not carry over
    reg = Register(db, Penomoran(), unit="Diskominfo", today=lambda: dt.date(2026, 11, 22))
    reg.list()  # open the connection before the clock starts
    ready.put(1)
    start.wait()
    got = [reg.take(klasifikasi="000.7.5", perihal="Bench", tujuan="Bappeda").nomor for _ in range(n)]
    reg.close()
    results.put(got)


def run(processes: int, n: int, tmp: Path) -> tuple[float, int, bool]:
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / f"register-{processes}.sqlite"
    Register(db, Penomoran()).list()
    ctx = mp.get_context("spawn")
    ready, start, results = ctx.Queue(), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(db), n, ready, start, results, Register.SYNCHRONOUS)) for _ in range(processes)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    t0 = time.perf_counter()
    start.set()
    nomor = [x for _ in procs for x in results.get(timeout=600)]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    total = processes * n
    duplicates = total - len(set(nomor))
    urut = sorted(int(x.split("/")[1]) for x in nomor)
    (last,) = sqlite3.connect(db).execute("SELECT terakhir FROM counter").fetchone()
    contiguous = urut == list(range(1, total + 1)) and last == total
    return total / elapsed, duplicates, contiguous


def main(n: int = 1000) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    print(f"machine: {os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}; {n} numbers per process")
    ok = True
    for sync in ("NORMAL", "FULL"):  # FULL is what the register runs: a number survives a power cut
        Register.SYNCHRONOUS = sync
        for processes in (1, 8):
            rate, dup, contiguous = run(processes, n, tmp / sync.lower())
            ok &= dup == 0 and contiguous
            print(f"synchronous={sync:6} {processes} process(es): {rate:8,.0f} numbers/s   duplicates: {dup}   "
                  f"contiguous: {'yes' if contiguous else 'NO'}")
    shutil.rmtree(tmp, ignore_errors=True)
    print("goal (>= 1,000/s with 8 processes, zero duplicates):", "met" if ok and rate >= 1000 else "NOT met")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
