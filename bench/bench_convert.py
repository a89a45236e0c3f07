"""DOCX -> PDF conversion time with headless LibreOffice.

Prints the time for one document in its own soffice call, and the time per document
when a batch of N is converted by docgen.convert.convert (one soffice process per core,
each with its own profile). Goal: <= 0.15 s per document in a batch of 50.

    python bench/bench_convert.py [N]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from templates.common import kop, new_document, para, signature_block  # noqa: E402

from docgen import convert, render, workspace  # noqa: E402


def main(n: int = 50) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-convert-"))
    ws = workspace.init(tmp / "ws")
    doc = new_document()
    kop(doc)
    para(doc, "Nomor: {{ dokumen.nomor }}")
    for i in range(12):
        para(doc, f"Paragraf {i + 1}: {{{{ isi }}}}", align="justify")
    signature_block(doc, "pejabat.kepala", place_date="{{ kop.kota }}, {{ hari_ini }}")
    tpl = tmp / "surat.docx"
    doc.save(tpl)
    isi = "Dengan hormat, bersama ini kami sampaikan laporan capaian kinerja triwulan. " * 4
    docs = [
        render.render(ws, tpl, {"isi": isi}, tmp / "in" / f"surat-{i:03d}.docx",
                      render.DocProps(kind="uji", nomor=f"000.7.5/{i + 1}/Diskominfo/2026"))
        for i in range(n)
    ]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"soffice: {convert.find_soffice()}")

    singles = []
    for d in docs[:3]:
        t = time.perf_counter()
        convert.convert([d], tmp / "single")
        singles.append(time.perf_counter() - t)
    print(f"one document per soffice call: {statistics.mean(singles):.2f} s/doc (mean of 3)")

    for workers in (1, None):
        out = tmp / f"batch-{workers}"
        t = time.perf_counter()
        pdfs = convert.convert(docs, out, workers=workers)
        dt = time.perf_counter() - t
        assert len(pdfs) == n and all(p.stat().st_size > 0 for p in pdfs)
        label = "1 process" if workers == 1 else f"{min(os.cpu_count() or 1, 4)} processes"
        print(f"batch of {n}, {label}: {dt:.2f} s total, {dt / n:.3f} s/doc (goal <= 0.15)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
