"""The web app's speed: page server time on a big archive and register, Terbitkan with
PDF, and a load test of clerks issuing numbers and searching at once.

    python bench/bench_web.py [--docs 100000] [--agenda 100000] [--threads 20] [--seconds 60]

Prints, for the search page and the buku agenda page, median and p95 server time (the
request handled in-process by Django, no network; goal p95 <= 200 ms); Terbitkan with PDF
(goal <= 1.5 s); and for the load test (waitress, real HTTP, 20 clerk threads logged in
with their own sessions) requests, errors, numbers issued, duplicate numbers (goal 0 and
0) and throughput. The archive is built with the catalog's own schema and indexing
functions (bench_archive_search.build); the register through Register.take.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from bench_archive_search import build, query_classes  # noqa: E402

from docgen import workspace  # noqa: E402

PASSWORD = "bench-rahasia-1"
FORM = {
    "klasifikasi": "000.7.5", "kepada": "Inspektur Kota Kediri", "di": "Kediri", "tanggal": "2026-11-22",
    "naskah.0.uraian": "Laporan Kinerja Triwulan III", "naskah.0.banyaknya": "1 (satu) eksemplar",
    "penandatangan": "kepala",
}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def fill_register(ws, n: int) -> float:
    from docgen.register import Register

    t0 = time.perf_counter()
    with Register.for_workspace(ws, today=lambda: dt.date(2026, 6, 1)) as reg:
        klas = ["000.5.3.1", "000.7.5", "000.8.3.3", "400.14", "800.1.2"]
        for i in range(n):
            reg.take(klasifikasi=klas[i % len(klas)], perihal=f"Surat bench nomor {i}", tujuan="Bappeda",
                     jenis="surat-dinas", tanggal=dt.date(2026, 1 + i * 11 // n, 1 + i % 28))
    return time.perf_counter() - t0


def timed_get(client, url: str) -> float:
    t0 = time.perf_counter()
    r = client.get(url)
    ms = (time.perf_counter() - t0) * 1000
    assert r.status_code == 200, (url, r.status_code)
    return ms


class Clerk:
    """One clerk at one browser: own cookies, own CSRF token."""

    def __init__(self, base: str, name: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.get("/masuk/")
        self.post("/masuk/", {"username": name, "password": PASSWORD})

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "docgen_csrf"), "")

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        return self._open(req)

    def _open(self, req) -> tuple[int, str, str]:
        try:
            with self.opener.open(req, timeout=180) as resp:
                return resp.status, resp.headers.get("Location", ""), resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location", ""), e.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--agenda", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--terbit", type=int, default=5)
    ap.add_argument("--ws", type=Path, help="keep the built workspace here and reuse it next time")
    ap.add_argument("--no-load", action="store_true", help="skip the load test")
    args = ap.parse_args()
    root = args.ws or Path(tempfile.mkdtemp(prefix="docgen-bench-web-")) / "ws"
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if (root / "docgen.toml").is_file():
        ws = workspace.load(root)
        print(f"reusing {root}")
    else:
        ws = workspace.init(root)
        build(ws.archive_dir / "arsip.sqlite", args.docs)
        print(f"register: {args.agenda} numbers in {fill_register(ws, args.agenda):.1f} s")

    from docgen import web

    web.setup(ws)
    from django.contrib.auth.models import User
    from django.test import Client

    from docgen.web import akun

    for i in range(args.threads):
        if not User.objects.filter(username=f"staf{i}").exists():
            akun.add_user(ws, f"staf{i}", PASSWORD, "staf")
    c = Client()
    c.force_login(__import__("django.contrib.auth.models", fromlist=["User"]).User.objects.get(username="staf0"))

    import sqlite3

    con = sqlite3.connect(ws.archive_dir / "arsip.sqlite")
    classes = query_classes(con, random.Random(7), args.queries)
    con.close()
    timed_get(c, "/arsip/?q=laporan")  # warm: first stem, template compile
    print(f"\nsearch page, {args.docs} documents (server time in ms; goal p95 <= 200)")
    for name, qs in classes.items():
        times = [timed_get(c, "/arsip/?" + urllib.parse.urlencode({"q": q})) for q in qs]
        print(f"  {name:<16} median {statistics.median(times):6.1f}  p95 {pct(times, 95):6.1f}")
    times = [timed_get(c, f"/arsip/?q=laporan&tahun={2020 + i % 7}&hal={1 + i % 5}") for i in range(args.queries)]
    print(f"  {'word+year+page':<16} median {statistics.median(times):6.1f}  p95 {pct(times, 95):6.1f}")

    print(f"\nbuku agenda page, {args.agenda} numbers in 2026 (server time in ms; goal p95 <= 200)")
    for label, extra in (("year", ""), ("year+code", "&klasifikasi=000.7")):
        times = [timed_get(c, f"/agenda/?tahun=2026{extra}&hal={1 + (i * 37) % 200}") for i in range(args.queries)]
        print(f"  {label:<16} median {statistics.median(times):6.1f}  p95 {pct(times, 95):6.1f}")

    print("\nTerbitkan with PDF (s; goal <= 1.5)")
    times = []
    for i in range(args.terbit):
        t0 = time.perf_counter()
        r = c.post("/naskah/baru/surat-pengantar/", {**FORM, "perihal": f"Bench terbit {i}", "aksi": "terbitkan"})
        times.append(time.perf_counter() - t0)
        assert r.status_code == 302, r.content.decode()[:2000]
    print(f"  median {statistics.median(times):.2f}  max {max(times):.2f}  ({args.terbit} letters)")

    if not args.no_load:
        load_test(ws, args.threads, args.seconds)


def load_test(ws, threads: int, seconds: float) -> None:
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    from docgen.register import Register

    # as `docgen serve`: more server threads than clerks, so searches never queue behind letters
    srv = create_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=threads + 4)
    base = f"http://127.0.0.1:{srv.effective_port}"
    threading.Thread(target=srv.run, daemon=True).start()
    clerks = [Clerk(base, f"staf{i}") for i in range(threads)]
    counts = {"requests": 0, "errors": 0, "numbers": 0, "searches": 0}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    words = ["laporan", "kinerja", "rapat koordinasi", "data", "pelayanan publik", "anggaran"]

    def clerk(i: int, cl: Clerk) -> None:
        rnd = random.Random(i)
        n = 0
        while time.monotonic() < stop:
            n += 1
            if n % 4 == 1:  # one letter issued for three searches
                status, loc, body = cl.post("/naskah/baru/surat-pengantar/",
                                            {**FORM, "perihal": f"Beban {i}-{n}", "aksi": "terbitkan"})
                ok = status == 302 and re.fullmatch(r"/naskah/\d+/", loc or "")
                key = "numbers"
            else:
                status, _, body = cl.get("/arsip/?" + urllib.parse.urlencode({"q": rnd.choice(words)}))
                ok = status == 200
                key = "searches"
            with lock:
                counts["requests"] += 1
                if ok:
                    counts[key] += 1
                else:
                    counts["errors"] += 1
                    said = re.findall(r'class="(?:galat[^"]*)"[^>]*>([^<]+)<', body)
                    errors.append(f"{status} {said or body[:200]!r}")

    t0 = time.perf_counter()
    ts = [threading.Thread(target=clerk, args=(i, cl)) for i, cl in enumerate(clerks)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - t0
    srv.close()
    with Register.for_workspace(ws) as reg:
        issued = [e.nomor for e in reg.list(tahun=2026) if e.perihal.startswith("Beban ")]
    dup = len(issued) - len(set(issued))
    print(f"\nload test: {threads} clerk threads, {elapsed:.0f} s, waitress {threads + 4} threads")
    print(f"  requests {counts['requests']}, errors {counts['errors']}, numbers issued {counts['numbers']} "
          f"(register: {len(issued)}), duplicate numbers {dup}, searches {counts['searches']}")
    print(f"  throughput {counts['requests'] / elapsed:.1f} requests/s, "
          f"{counts['numbers'] / elapsed * 60:.1f} letters/min with PDF")
    for e in errors[:5]:
        print("  error:", e)


if __name__ == "__main__":
    main()
