"""Ingest throughput: 1,000 ten-page text PDFs through the full archive pipeline.

    python bench/bench_archive_ingest.py [--n 1000] [--workers 2] [--pypdf]

Prints PDFs/s (goal: >= 40/s on 2 cores). The PDFs are generated once and cached under the
system temp folder; each run files copies into a fresh workspace.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from docgen import workspace
from docgen.archive import Archive
from docgen.archive.samples import letter_text, write_pdf

WORDS = ["laporan", "kinerja", "kegiatan", "pelaksanaan", "program", "anggaran", "pelayanan", "publik", "data", "statistik", "informasi", "komunikasi", "aplikasi", "jaringan", "keamanan", "persandian", "rapat", "koordinasi", "evaluasi", "capaian", "target", "realisasi", "triwulan", "sasaran", "indikator", "dokumen", "surat", "undangan", "permohonan", "melaporkan", "dilaksanakan", "menyusun", "penyusunan", "perencanaan", "pengembangan", "sistem", "layanan", "masyarakat", "pemerintah", "daerah", "kota", "kecamatan", "kelurahan", "desa", "bidang", "seksi", "subbagian"]


def make_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(folder.glob("*.pdf"))
    if len(files) >= n:
        return files[:n]
    rnd = random.Random(5)
    for i in range(n):
        pages = [letter_text(f"000.5.3.1/{i + 1}/Diskominfo/2026", f"Laporan kegiatan nomor {i}",
                             " ".join(rnd.choices(WORDS, k=280)))]
        pages += [" ".join(rnd.choices(WORDS, k=560)) for _ in range(9)]
        write_pdf(folder / f"doc{i:05d}.pdf", pages)
    return sorted(folder.glob("*.pdf"))[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pypdf", action="store_true", help="Extract text with pypdf, not pdftotext.")
    args = ap.parse_args()

    cache = Path(tempfile.gettempdir()) / "docgen-bench-archive-ingest"
    t0 = time.perf_counter()
    corpus = make_corpus(cache / "pdfs", args.n)
    print(f"corpus: {len(corpus)} ten-page PDFs ({time.perf_counter() - t0:.1f} s to prepare)")

    with tempfile.TemporaryDirectory() as tmp:
        ws = workspace.init(Path(tmp) / "ws")
        inbox_copies = []
        for f in corpus:
            dst = ws.inbox_dir / f.name
            shutil.copyfile(f, dst)
            inbox_copies.append(dst)
        with Archive.open(ws) as arc:
            if args.pypdf:
                import docgen.archive.stages as st

                st.shutil.which = lambda name: None  # type: ignore[assignment]
            t0 = time.perf_counter()
            results = arc.ingest(inbox_copies, workers=args.workers)
            dt = time.perf_counter() - t0
        filed = sum(r.status == "filed" for r in results)
        print(f"filed {filed}/{len(corpus)} in {dt:.2f} s with {args.workers} worker(s), "
              f"text via {'pypdf' if args.pypdf else 'pdftotext'}: {filed / dt:.1f} PDFs/s "
              f"({1000 * dt / max(filed, 1):.1f} ms per PDF)")


if __name__ == "__main__":
    main()
