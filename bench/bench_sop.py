"""Time `docgen make sop` (DOCX only) for generated SOPs of 15, 50 and 100 steps.

Goals (issue 2): 15 steps <= 0.1 s, 100 steps <= 0.5 s. Prints the first run (cold:
imports done, template compiled), then the minimum and median of the warm runs; on a
shared machine the minimum is the code's cost, the median includes other load.
Run: python bench/bench_sop.py [repeats]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docgen import make, workspace  # noqa: E402

ACTORS = ["Kepala Dinas", "Sekretaris", "Kasubbag Perencanaan", "Tim Penyusun", "Bidang"]
WAKTU = ["15 menit", "2 jam", "1 hari", "30 menit"]


def generated(n: int) -> dict:
    """n steps over five actors; every 7th step a decision back three steps."""
    steps = []
    for i in range(1, n + 1):
        step = {
            "aktivitas": f"Menyusun dan memeriksa bahan laporan kinerja bagian {i} sesuai format yang berlaku",
            "pelaksana": ACTORS[(i * 2) % len(ACTORS)],
            "kelengkapan": "Format data kinerja",
            "waktu": WAKTU[i % len(WAKTU)],
            "output": f"Draf {i}",
        }
        if 4 <= i < n and i % 7 == 0:
            step["keputusan"] = {"ya": i + 1, "tidak": i - 3}
        steps.append(step)
    return {"nomor": "000.8.3.3/1/Diskominfo/2026", "tanggal_pembuatan": "2026-11-22", "disahkan_oleh": "kepala",
            "nama": f"Uji Kinerja {n} Langkah", "dasar_hukum": ["Permenpan RB 35/2012"],
            "pelaksana": ACTORS, "langkah": steps}


def main(repeats: int = 9) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = workspace.init(Path(tmp) / "ws")
        print(f"{'steps':>5}  {'cold s':>7}  {'min s':>6}  {'median s':>8}  goal (median)")
        for n, goal in ((15, 0.1), (50, None), (100, 0.5)):
            src = Path(tmp) / f"sop-{n}.yaml"
            src.write_text(yaml.safe_dump(generated(n), allow_unicode=True), encoding="utf-8")
            times = []
            for _ in range(repeats + 1):
                t0 = time.perf_counter()
                make.make(ws, "sop", src, Path(tmp) / "out")
                times.append(time.perf_counter() - t0)
            warm = statistics.median(times[1:])
            verdict = "" if goal is None else f"<= {goal} s: {'ok' if warm <= goal else 'MISSED'}"
            print(f"{n:>5}  {times[0]:>7.3f}  {min(times[1:]):>6.3f}  {warm:>8.3f}  {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
