"""A zip bomb given to collect: a ~1.5 MB .docx whose document.xml is 1.5 GB.

    python bench/bench_collect_bomb.py [--gb 1.5]

Prints the time to refuse it and the peak memory (RSS) of the process that read it
(goal: refused in < 1 s and < 200 MB). The read runs in a fresh child process so that its
peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docgen.collect.bombs import docx_bomb

CHILD = r"""
import json, resource, sys, time
t = time.perf_counter()
from docgen.collect.reader import read_form
from docgen.errors import InputError
t0 = time.perf_counter()
try:
    read_form(sys.argv[1])
    said = "READ (not refused)"
except InputError as exc:
    said = str(exc)
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"seconds": dt, "rss_mb": rss, "said": said}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=1.5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        bomb = docx_bomb(Path(d) / "rekap-bidang.docx", int(args.gb * 1e9))
        made = time.perf_counter() - t
        out = subprocess.run([sys.executable, "-c", CHILD, str(bomb)], capture_output=True, text=True, check=True)
        res = json.loads(out.stdout)
        print(f"bomb: {bomb.stat().st_size / 1e6:.1f} MB file, document.xml {args.gb:g} GB (made in {made:.1f} s)")
        print(f"collect refused it in {res['seconds']:.3f} s, peak RSS {res['rss_mb']:.0f} MB "
              f"(whole process, imports included)")
        print(f"said: {res['said']}")


if __name__ == "__main__":
    main()
