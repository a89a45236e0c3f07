"""Sign time per PDF: the key loaded once (Pkcs12Signer) vs pyHanko reloading it each time.

    python bench/bench_sign.py [N]

Makes a demo CA + RSA-2048 signer and a 2-page PDF in a temp folder, signs it N
times (default 50) and prints mean and p95. Goal: <= 40 ms per signature.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyhanko.sign import signers
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from docgen.config import TTE_FOOTER_DEFAULT, Pejabat
from docgen.sign import Pkcs12Signer, Signer, demo_keys, sign_pdf, verify_pdf

PEJABAT = Pejabat(jabatan="Kepala Dinas Komunikasi dan Informatika",
                  nama="Drs. APIP PERMANA, MM.", nip="196501251993031008")


def make_pdf(path: Path) -> Path:
    w = PdfWriter()
    for lines in (["BAB I PENDAHULUAN"], ["Kediri, 22 November 2026", PEJABAT.jabatan, "", "", "",
                                          PEJABAT.nama, "NIP 19650125 199303 1 008"]):
        page = w.add_blank_page(595, 842)
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                 NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
        ops = [f"BT /F1 11 Tf 330 {420 - 14 * i} Td ({t}) Tj ET" for i, t in enumerate(lines) if t]
        s = DecodedStreamObject()
        s.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = w._add_object(s)
    with path.open("wb") as fh:
        w.write(fh)
    return path


class ReloadingSigner(Signer):
    """pyHanko's usual way: open the PKCS#12 for every signature (the baseline)."""

    def __init__(self, p12: Path, passphrase: str) -> None:
        self.p12, self.passphrase = p12, passphrase.encode()

    def pyhanko_signer(self) -> signers.Signer:
        return signers.SimpleSigner.load_pkcs12(str(self.p12), passphrase=self.passphrase)


def run(signer: Signer, pdf: Path, out: Path, n: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for i in range(n + 2):
        t, c = time.perf_counter(), time.process_time()
        sign_pdf(pdf, out, signer, pejabat=PEJABAT, doc_id="DG-20261122-BENCH001",
                 footer=TTE_FOOTER_DEFAULT)
        if i >= 2:  # the first runs warm caches (imports, font metrics)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def report(label: str, times: tuple[list[float], list[float]]) -> None:
    # CPU time too: on a shared machine the wall clock also counts other people's work
    wall, cpu = times
    p95 = statistics.quantiles(wall, n=20)[-1]
    print(f"{label:32s} n={len(wall):3d}  mean {statistics.mean(wall):6.1f} ms  "
          f"p95 {p95:6.1f} ms  (cpu mean {statistics.mean(cpu):6.1f} ms)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        ca, p12, pw = demo_keys.make_demo_pki(d, PEJABAT)
        pdf = make_pdf(d / "in.pdf")
        out = d / "out.pdf"
        t = time.perf_counter()
        once = Pkcs12Signer(p12, pw)
        print(f"load PKCS#12 once: {(time.perf_counter() - t) * 1000:.1f} ms")
        report("sign, key loaded once", run(once, pdf, out, n))
        report("sign, pyHanko reloads key each", run(ReloadingSigner(p12, pw), pdf, out, max(10, n // 5)))
        assert verify_pdf(out, [ca])[0].ok
        wall, cpu = [], []
        for _ in range(n):
            t, c = time.perf_counter(), time.process_time()
            verify_pdf(out, [ca])
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        report("verify", (wall, cpu))


if __name__ == "__main__":
    main()
