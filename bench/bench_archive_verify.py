"""`archive verify` and `verify --deep` on a 10,000-entry archive.

    python bench/bench_archive_verify.py [--n 10000] [--signed 200] [--workers 2]

Builds the archive once (cached under the system temp folder): two-page generated letters,
``--signed`` of them signed with a demo key (PAdES, docgen's stamp), all filed through the
real pipeline (pdftotext, pyHanko). Then prints the time of verify --quick, verify (every
file hashed, chain 2, the index rebuilt in memory and compared) and verify --deep (every PDF
read again, every signature validated again), and that each found the archive intact.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from docgen import archive, workspace
from docgen.archive.samples import letter_text, write_pdf

WORDS = ["laporan", "kinerja", "kegiatan", "pelaksanaan", "program", "anggaran", "pelayanan", "publik", "data", "statistik", "informasi", "komunikasi", "aplikasi", "jaringan", "keamanan", "persandian", "rapat", "koordinasi", "evaluasi", "capaian", "target", "realisasi", "triwulan", "sasaran", "indikator", "dokumen", "surat", "undangan", "permohonan", "melaporkan", "dilaksanakan", "menyusun", "penyusunan", "perencanaan", "pengembangan", "sistem", "layanan", "masyarakat", "pemerintah", "daerah", "kota", "kecamatan", "kelurahan", "desa", "bidang", "seksi", "subbagian"]


def build(root: Path, n: int, signed: int, workers: int) -> workspace.Workspace:
    done = root / "ws" / "SELESAI"
    if done.is_file() and done.read_text() == f"{n} {signed}":
        return workspace.load(root / "ws")
    shutil.rmtree(root, ignore_errors=True)
    ws = workspace.init(root / "ws")
    from docgen.sign import Pkcs12Signer, sign_pdf
    from docgen.sign.demo_keys import make_demo_pki

    pj = ws.pejabat("kepala")
    ca, p12, pw = make_demo_pki(ws.root / "kunci", pj)
    cfg = ws.config_file.read_text(encoding="utf-8")
    ws.config_file.write_text(cfg.replace("trust_roots = []", 'trust_roots = ["kunci/demo-ca.pem"]', 1),
                              encoding="utf-8")
    ws = workspace.load(ws.root)
    key = Pkcs12Signer(p12, pw)
    rnd = random.Random(7)
    src = root / "src"
    t0 = time.perf_counter()
    for i in range(n):
        body = " ".join(rnd.choices(WORDS, k=300))
        pages = [letter_text(f"000.5.3.1/{i + 1}/Diskominfo/2026", f"Laporan kegiatan nomor {i}", body)
                 + ("\n" + pj.nama if i < signed else ""), " ".join(rnd.choices(WORDS, k=450))]
        f = write_pdf(src / f"d{i:05d}.pdf", pages)
        if i < signed:
            sign_pdf(f, ws.inbox_dir / f.name, key, pejabat=pj, doc_id=f"doc-{i}", footer=ws.config.tte.footer)
        else:
            shutil.move(f, ws.inbox_dir / f.name)
    t1 = time.perf_counter()
    results = archive.ingest(ws, [ws.inbox_dir], workers=workers)
    t2 = time.perf_counter()
    filed = sum(r.status == "filed" for r in results)
    print(f"built: {n} PDFs ({signed} signed) in {t1 - t0:.0f} s, filed {filed} in {t2 - t1:.0f} s")
    done.write_text(f"{n} {signed}")
    return ws


def timed(label: str, fn) -> None:
    t0 = time.perf_counter()
    rep = fn()
    dt_ = time.perf_counter() - t0
    verdict = "intact" if rep.ok else f"{len(rep.problems)} problem(s): {rep.problems[:3]}"
    print(f"{label:<34} {dt_:7.1f} s  {rep.checked / dt_:8.0f} entries/s  {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--signed", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    root = Path(tempfile.gettempdir()) / f"docgen-bench-archive-verify-{args.n}"
    ws = build(root, args.n, args.signed, args.workers)
    print(f"archive: {args.n} entries, {args.signed} signed; {args.workers} worker(s) for --deep")
    timed("verify --quick (sizes)", lambda: archive.verify(ws, hashes=False))
    timed("verify (hashes, chain, index)", lambda: archive.verify(ws))
    timed("verify --deep", lambda: archive.verify(ws, deep=True, workers=args.workers))


if __name__ == "__main__":
    main()
