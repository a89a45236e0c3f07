"""Time to build the SOP flowchart DOCX (layout + OOXML + save) for 15, 50 and 100 steps.

Goals (issue 2): 15 steps <= 0.1 s, 100 steps <= 0.5 s, saving included. Each size is
built `repeat` times in a fresh python-docx Document; the median and best are printed.
The first run of the process (cold caches: metrics JSON, text-width memo) is shown apart.

    python bench/bench_flowchart.py [repeat]
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import sys
import time

from docx import Document

from docgen.kinds.sop.flowchart import FlowStep, PageSpec, add_flowchart

ACTORS = ["Kepala Dinas", "Sekretaris", "Kepala Sub Bagian Perencanaan", "Tim Penyusun", "Inspektorat"]
GOALS = {15: 0.1, 100: 0.5}


def steps(n: int) -> list[FlowStep]:
    """A realistic flow: varied text lengths, a decision every 7 steps returning 3 back."""
    out = []
    for no in range(1, n + 1):
        text = (f"Menyusun dan memeriksa dokumen tahap {no} beserta data dukung"
                + " dan berita acara pembahasan" * (no % 3))
        sym = "terminator" if no in (1, n) else "process"
        out.append(FlowStep(no, text, (no * 2) % len(ACTORS), sym, kelengkapan="Surat, data dukung",
                            waktu=f"{no % 5 + 1} hari", output="Dokumen tahap", keterangan=""))
    for d in range(7, n - 1, 7):
        s = out[d - 1]
        s.symbol, s.ya, s.tidak = "decision", d + 1, d - 3
    return out


def build_once(n: int) -> tuple[float, float, float]:
    """(wall, CPU, wall without opening the blank Document) in seconds."""
    flow = steps(n)
    t0, c0 = time.perf_counter(), time.process_time()
    doc = Document()
    t1 = time.perf_counter()
    add_flowchart(doc, ACTORS, flow, PageSpec(), title="SOP BENCH")
    doc.save(io.BytesIO())
    t2, c2 = time.perf_counter(), time.process_time()
    return t2 - t0, c2 - c0, t2 - t1


def main(repeat: int = 7) -> None:
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"load average: {os.getloadavg()[0]:.1f} (the machine is shared: CPU time is the steadier figure)")
    cold = build_once(15)[0]
    print(f"first build in this process (15 steps, cold caches): {cold:.3f} s")
    print("steps   wall median   wall best   CPU median   flowchart+save only (median)")
    for n in (15, 50, 100):
        runs = [build_once(n) for _ in range(repeat)]
        wall = statistics.median(r[0] for r in runs)
        best = min(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        own = statistics.median(r[2] for r in runs)
        goal = GOALS.get(n)
        verdict = "" if goal is None else f"   goal <= {goal} s: {'met' if cpu <= goal else 'NOT met'} (CPU)"
        print(f"{n:5d}   {wall:9.3f} s   {best:7.3f} s   {cpu:8.3f} s   {own:8.3f} s{verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
