"""OCR of scans in the archive: speed, waiting, size, and how well the fields of incoming
letters are read. Real OCRmyPDF + Tesseract (ind+eng); the scans are made here.

    python bench/bench_archive_ocr.py            # all figures (the 50-page wait takes minutes)
    python bench/bench_archive_ocr.py --pages 10 # a shorter long scan

Prints:
- pages per minute with 1 and 2 OCR workers (wall time, 2 cores);
- the time a text PDF dropped after a long scan waits under the watcher (goal < 5 s);
- the size of the PDF/A against the original scan (JPEG and image-only PDF);
- field extraction on 30+ scans of varied layouts and offices: share of nomor, tanggal,
  asal and perihal read right (goal >= 90%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docgen import archive, workspace  # noqa: E402
from docgen.archive import ocr, scans  # noqa: E402
from docgen.archive.samples import letter_text, pdf_bytes, write_pdf  # noqa: E402
from docgen.suratmasuk.fields import read_fields  # noqa: E402

OFFICES = [  # (kop line 1, kop unit lines, city, the asal a clerk writes)
    ("PEMERINTAH KABUPATEN SLEMAN", ["DINAS KESEHATAN"], "Sleman", "Dinas Kesehatan Kabupaten Sleman"),
    ("PEMERINTAH KOTA KEDIRI", ["DINAS KOMUNIKASI DAN INFORMATIKA"], "Kediri",
     "Dinas Komunikasi dan Informatika Kota Kediri"),
    ("PEMERINTAH PROVINSI JAWA TIMUR", ["BADAN PERENCANAAN PEMBANGUNAN", "DAERAH"], "Surabaya",
     "Badan Perencanaan Pembangunan Daerah Provinsi Jawa Timur"),
    ("PEMERINTAH KABUPATEN MOJOKERTO", ["KECAMATAN DAWARBLANDONG"], "Mojokerto",
     "Kecamatan Dawarblandong Kabupaten Mojokerto"),
    ("PEMERINTAH KABUPATEN JENEPONTO", ["DINAS PENDIDIKAN DAN KEBUDAYAAN"], "Jeneponto",
     "Dinas Pendidikan dan Kebudayaan Kabupaten Jeneponto"),
    ("PEMERINTAH KOTA TANJUNGPINANG", ["BADAN KEPEGAWAIAN DAN PENGEMBANGAN", "SUMBER DAYA MANUSIA"],
     "Tanjungpinang", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Tanjungpinang"),
]
PERIHAL = ["Undangan Rapat Koordinasi Imunisasi", "Permintaan Data Capaian Kinerja Triwulan III",
           "Penyampaian Laporan Keuangan Semester I", "Pemberitahuan Jadwal Monitoring dan Evaluasi",
           "Permohonan Narasumber Pelatihan Arsip Digital", "Usulan Formasi Pegawai Tahun 2027"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]


def letter(layout: int, office: tuple, i: int) -> tuple[str, dict]:
    pem, units, city, asal = office
    nomor = f"{400 + i * 7}/{1000 + i * 37}/{410 + i}.{i % 9 + 1}/2026"
    when = dt.date(2026, 1 + i % 12, 1 + (i * 5) % 28)
    tgl = f"{when.day} {BULAN[when.month - 1]} 2026"
    hal = PERIHAL[i % len(PERIHAL)]
    sifat = ["Biasa", "Segera", "Penting"][i % 3]
    kop = "\n".join([pem, *units, f"Jalan Merdeka Nomor {i + 3}, {city}, Telepon (0354) 68{i:04d}", ""])
    body = ("Dengan hormat, sehubungan dengan pelaksanaan program kerja tahun 2026, bersama ini "
            "kami sampaikan hal tersebut untuk menjadi perhatian Bapak/Ibu. Atas perhatian dan "
            "kerja samanya kami ucapkan terima kasih.")
    if layout == 0:  # date top right, block on the left
        text = (f"{kop}{' ' * 50}{city}, {tgl}\nNomor : {nomor}\nSifat : {sifat}\nLampiran : -\n"
                f"Hal : {hal}\n\nYth. Kepala Dinas Komunikasi dan Informatika\ndi Kediri\n\n{body}")
    elif layout == 1:  # Perihal, and the date above the signature
        text = (f"{kop}Nomor : {nomor}\nSifat : {sifat}\nLampiran : 1 (satu) berkas\nPerihal : {hal}\n\n"
                f"Kepada Yth. Bupati Kediri\ndi Tempat\n\n{body}\n\n{' ' * 40}{city}, {tgl}\n"
                f"{' ' * 40}Kepala,")
    elif layout == 2:  # a title with the number under it (surat tugas, pengantar)
        text = (f"{kop}{' ' * 30}SURAT PEMBERITAHUAN\n{' ' * 26}Nomor: {nomor}\n\nHal: {hal}\n\n"
                f"{body}\n\n{' ' * 40}{city}, {tgl}")
    elif layout == 3:  # number and date on one line (two columns)
        text = (f"{kop}Nomor    : {nomor}{' ' * 12}{city}, {tgl}\nSifat    : {sifat}\n"
                f"Lampiran : -\nHal      : {hal}\n\nKepada\nYth. Sekretaris Daerah\ndi Kediri\n\n{body}")
    else:  # the old style with Nomor first and a long perihal that wraps
        text = (f"{kop}{city}, {tgl}\n\nNomor : {nomor}\nSifat : {sifat}\nHal : {hal} dan\n"
                f"      Tindak Lanjutnya\n\nYth. Kepala Bappeda\n\n{body}")
        hal = f"{hal} dan Tindak Lanjutnya"
    return text, {"nomor": nomor, "tanggal": when, "asal": asal, "perihal": hal}


def close(a: str, b: str) -> bool:
    norm = lambda s: " ".join(s.lower().split())  # noqa: E731
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() >= 0.9


def text_of(pdf: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


def bench_fields(tmp: Path, n: int) -> None:
    settings = ocr.OcrSettings()
    right = {k: 0 for k in ("nomor", "tanggal", "asal", "perihal")}
    misses: list[str] = []
    cases = [(layout, office, i) for i, (layout, office) in
             enumerate((lay, o) for o in OFFICES for lay in range(5))][:n]
    jobs = []
    for layout, office, i in cases:
        text, truth = letter(layout, office, i)
        src = write_pdf(tmp / f"l{i}.pdf", [text])
        fmt = ["jpg", "pdf", "tif", "png"][i % 4]
        scan = scans.scan(src, tmp / f"scan{i}.{fmt}", dpi=[150, 200, 300][i % 3], seed=i)
        jobs.append((scan, truth, layout))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_ocr_text, [j[0] for j in jobs], [settings] * len(jobs)))
    spent = time.perf_counter() - t0
    for (scan, truth, layout), text in zip(jobs, results, strict=True):
        f = read_fields(text)
        got = {"nomor": f.nomor == truth["nomor"], "tanggal": f.tanggal == truth["tanggal"],
               "asal": close(f.asal, truth["asal"]), "perihal": close(f.perihal, truth["perihal"])}
        for k, ok in got.items():
            right[k] += ok
            if not ok:
                misses.append(f"  {scan.name} (layout {layout}) {k}: read {getattr(f, k)!r}, "
                              f"want {truth[k]!r}")
    total = len(jobs)
    print(f"\nfield extraction on {total} scans (5 layouts x {len(OFFICES)} offices, 150/200/300 dpi, "
          f"JPEG/PDF/TIFF/PNG), OCR {spent:.0f} s with 2 workers:")
    for k, v in right.items():
        print(f"  {k:<8} {v}/{total} = {100 * v / total:.0f}% right")
    print(f"  all four fields: {100 * sum(right.values()) / (4 * total):.1f}% (goal >= 90%)")
    for m in misses[:12]:
        print(m)


def _ocr_text(scan: Path, settings) -> str:
    res = ocr.ocr(scan.read_bytes(), settings)
    try:
        return text_of(res.pdf)
    finally:
        import shutil

        shutil.rmtree(res.pdf.parent, ignore_errors=True)


def bench_speed(tmp: Path) -> None:
    page = scans.roughen(scans.render_pages(write_pdf(tmp / "p.pdf", [letter(0, OFFICES[0], 1)[0]]), 200)[0])
    four = tmp / "empat.pdf"
    page.save(four, "PDF", save_all=True, append_images=[page.copy() for _ in range(3)], resolution=200)
    settings = ocr.OcrSettings()
    for workers in (1, 2):
        t0 = time.perf_counter()
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_ocr_text, [four] * 2, [settings] * 2))
        wall = time.perf_counter() - t0
        print(f"OCR {workers} worker(s): 8 pages in {wall:.1f} s = {8 / wall * 60:.1f} pages/min")
    jpg = scans.scan(tmp / "p.pdf", tmp / "s.jpg", seed=2)
    for orig in (jpg, four):
        res = ocr.ocr(orig.read_bytes(), settings)
        a, b = orig.stat().st_size, res.pdf.stat().st_size
        print(f"PDF/A size: {orig.suffix} {a / 1024:.0f} KiB -> PDF/A {b / 1024:.0f} KiB ({b / a:.2f}x)")


def bench_wait(tmp: Path, pages: int) -> None:
    ws = workspace.init(tmp / "ws")
    ws.config.arsip.tenang_detik = 0.5
    page = scans.roughen(scans.render_pages(write_pdf(tmp / "w.pdf", [letter(1, OFFICES[1], 3)[0]]), 200)[0])
    long_scan = tmp / "panjang.pdf"
    page.save(long_scan, "PDF", save_all=True, append_images=[page.copy() for _ in range(pages - 1)],
              resolution=200)
    results, times = [], {}
    stop = threading.Event()
    started = threading.Event()

    def on_result(r) -> None:
        times[r.name] = time.perf_counter()
        results.append(r)

    t = threading.Thread(target=lambda: archive.watch(ws, on_result=on_result, stop=stop,
                                                      on_event=lambda m: started.set()), daemon=True)
    t.start()
    started.wait(30)
    t0 = time.perf_counter()
    (ws.inbox_dir / "panjang.pdf").write_bytes(long_scan.read_bytes())
    time.sleep(2.0)
    dropped = time.perf_counter()
    (ws.inbox_dir / "surat.pdf").write_bytes(pdf_bytes([letter_text("000.5.3.1/9/Diskominfo/2026",
                                                                     "Surat biasa", "isi")]))
    while len(results) < 2 and time.perf_counter() - t0 < pages * 30 + 120:
        time.sleep(0.1)
    stop.set()
    t.join(30)
    print(f"\nwatcher: a text PDF dropped 2 s after a {pages}-page scan was filed "
          f"{times.get('surat.pdf', float('nan')) - dropped:.1f} s after it was dropped (goal < 5 s); "
          f"the scan took {times.get('panjang.pdf', float('nan')) - t0:.0f} s "
          f"({pages / max(1e-9, times.get('panjang.pdf', t0) - t0) * 60:.1f} pages/min)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=50, help="pages of the long scan (default 50)")
    ap.add_argument("--scans", type=int, default=30, help="scans in the field test set (default 30)")
    ap.add_argument("--only", choices=["speed", "fields", "wait"], help="run one part")
    args = ap.parse_args()
    import os

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if args.only in (None, "speed"):
            bench_speed(tmp)
        if args.only in (None, "fields"):
            bench_fields(tmp, args.scans)
        if args.only in (None, "wait"):
            bench_wait(tmp, args.pages)


if __name__ == "__main__":
    main()
