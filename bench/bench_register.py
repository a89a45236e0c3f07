"""Letter numbers per second from one register, with 1 and with 8 processes, on SQLite
and (with --database URL) on PostgreSQL in the same run.

Each process opens the register once (connection kept open) and takes N numbers; each
take is one short BEGIN IMMEDIATE transaction (counter row + entry insert). The clock
starts when all processes are ready. Afterwards every number is checked: no duplicates,
contiguous 1..total. Goals with 8 processes: >= 1,000 numbers/s on SQLite, >= 2,000 on
PostgreSQL (each process its own connection; each run gets a fresh schema, dropped after).

    python bench/bench_register.py [N_PER_PROCESS] [--database postgresql://USER@HOST/DB]
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


def _worker(db: str, url: str | None, n: int, ready, start, results) -> None:
    reg = Register(db, Penomoran(), unit="Diskominfo", today=lambda: dt.date(2026, 11, 22), url=url)
    reg.list()  # open the connection before the clock starts
    ready.put(1)
    start.wait()
    got = [reg.take(klasifikasi="000.7.5", perihal="Bench", tujuan="Bappeda").nomor for _ in range(n)]
    reg.close()
    results.put(got)


def fresh_schema(url: str, name: str) -> str:
    """A url into a new, empty schema of the database (the bench never touches other tables)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        con.execute(f"CREATE SCHEMA {name}")
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"


def drop_schema(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def run(processes: int, n: int, tmp: Path, url: str | None = None) -> tuple[float, int, bool]:
    db = tmp / f"register-{processes}.sqlite"
    reg = Register(db, Penomoran(), url=url)
    reg.list()
    ctx = mp.get_context("spawn")
    ready, start, results = ctx.Queue(), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(db), url, n, ready, start, results)) for _ in range(processes)]
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
    (last,) = reg.con.execute("SELECT terakhir FROM counter").fetchone()
    reg.close()
    contiguous = urut == list(range(1, total + 1)) and last == total
    return total / elapsed, duplicates, contiguous


def main(n: int = 1000, database: str | None = None) -> None:
    from docgen.db import redact

    tmp = Path(tempfile.mkdtemp(prefix="bench-register-"))
    print(f"machine: {os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}; {n} numbers per process")
    ok = True
    backends: list[tuple[str, str | None, int]] = [("sqlite", None, 1000)]
    if database:
        backends.append((f"postgresql {redact(database)}", database, 2000))
    for label, url, goal in backends:
        rate = 0.0
        for processes in (1, 8):
            schema = f"bench_register_{os.getpid()}_{processes}"
            run_url = fresh_schema(url, schema) if url else None
            try:
                rate, dup, contiguous = run(processes, n, tmp, run_url)
            finally:
                if url:
                    drop_schema(url, schema)
            good = dup == 0 and contiguous
            ok &= good
            print(f"{label:>12}  {processes} process(es): {rate:8,.0f} numbers/s   duplicates: {dup}   "
                  f"contiguous: {'yes' if contiguous else 'NO'}")
        met = good and rate >= goal
        ok &= met
        print(f"{label:>12}  goal (>= {goal:,}/s with 8 processes, zero duplicates):",
              "met" if met else "NOT met")
    shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=1000, help="numbers per process")
    ap.add_argument("--database", help="also run on this PostgreSQL url")
    a = ap.parse_args()
    main(a.n, a.database)
