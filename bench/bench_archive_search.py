"""Search latency on a 100,000-document synthetic archive, per query class.

    python bench/bench_archive_search.py [--n 100000] [--queries 60] [--rebuild]

Prints median and p95 (goal: p95 <= 20 ms for every class) for: a rare word, a common word,
two words, a phrase, a 3-letter prefix, a letter number. Each query goes through the same
function as `docgen archive search` (ranking, filters of state, snippets for the returned
rows). The archive is built once with the catalog's own schema and indexing functions and
cached under the system temp folder.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from docgen.archive.catalog import CATALOG_NAME, INDEX_VERSION, Catalog, index_terms
from docgen.archive.search import Filters, search
from docgen.archive.stages import normalize_number

VERSION = "3"

DOMAIN = ["laporan", "melaporkan", "pelaporan", "dilaporkan", "kinerja", "kegiatan", "pelaksanaan", "melaksanakan", "program", "anggaran", "pelayanan", "layanan", "melayani", "publik", "data", "statistik", "informasi", "komunikasi", "aplikasi", "jaringan", "keamanan", "persandian", "rapat", "koordinasi", "evaluasi", "capaian", "target", "realisasi", "triwulan", "sasaran", "indikator", "dokumen", "surat", "undangan", "permohonan", "menyusun", "penyusunan", "perencanaan", "pengembangan", "sistem", "masyarakat", "pemerintah", "daerah", "kota", "kecamatan", "kelurahan", "desa", "bidang", "seksi", "subbagian", "kepala", "dinas", "sekretaris", "tahun", "bulan", "tanggal", "nomor", "perihal", "lampiran", "hormat", "bersama", "ini", "kami", "mohon", "untuk", "dengan", "dalam", "pada", "dan", "yang", "di", "ke", "dari"]
PHRASES = ["laporan kinerja", "rapat koordinasi", "pelayanan publik", "data statistik",
           "sistem informasi", "capaian target"]
SYL = ["ka", "ri", "ma", "lu", "ne", "to", "pa", "si", "da", "go", "ba", "ku", "le", "mi", "sa",
       "te", "ra", "wi", "ja", "no", "ha", "pe", "bu", "ci", "de"]


def vocabulary(rnd: random.Random, n: int = 40_000) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rnd.choices(SYL, k=rnd.randint(2, 4))))
    return list(DOMAIN) + sorted(words)


def build(path: Path, n: int) -> None:
    rnd = random.Random(2026)
    vocab = vocabulary(rnd)
    import itertools

    cum = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(vocab))))  # Zipf-like
    if path.exists():
        path.unlink()
    cat = Catalog(path)
    con = cat.con
    t0 = time.perf_counter()
    con.execute("BEGIN")
    batch_e, batch_t, batch_f, batch_w = [], [], [], []
    for i in range(1, n + 1):
        body_words = rnd.choices(vocab, cum_weights=cum, k=120)
        for _ in range(rnd.randint(0, 2)):
            body_words.insert(rnd.randrange(len(body_words)), rnd.choice(PHRASES))
        body = " ".join(body_words)
        year = 2020 + i * 7 // n
        klas = rnd.choice(["000.5.3.1", "000.7.5", "000.8.3.3", "400.14", "067", "800.1.2"])
        nomor = f"{klas}/{rnd.randint(1, 999)}/{rnd.choice(['Diskominfo', '419.113', 'Bappeda'])}/{year}"
        title = " ".join(rnd.choices(vocab[:200], k=5)).capitalize()
        sha = f"{i:064x}"
        batch_e.append((i, f"ARS/{year}/{i:06d}", year, i, sha, f"{year}/{i}.pdf", "filed", "", f"{i}.pdf",
                        1000, 1, title, nomor, normalize_number(nomor), klas, f"{year}-06-01",
                        "2026-01-01T00:00:00", "0" * 64, "0" * 64))
        batch_t.append((i, body))
        stems, words = index_terms(title, nomor, body)
        batch_f.append((i, stems))
        batch_w.append((i, words))
        if len(batch_e) == 5000 or i == n:
            con.executemany(
                "INSERT INTO entries(id, archive_no, year, seq, sha256, path, state, claimed, original_name, "
                "size, pages, title, letter_no, letter_no_norm, classification, doc_date, filed_at, prev_hash, "
                "entry_hash) VALUES (" + ",".join("?" * 19) + ")", batch_e)
            con.executemany("INSERT INTO texts(id, body) VALUES (?, ?)", batch_t)
            con.executemany("INSERT INTO fts(rowid, stems) VALUES (?, ?)", batch_f)
            con.executemany("INSERT INTO fts_words(rowid, words) VALUES (?, ?)", batch_w)
            batch_e, batch_t, batch_f, batch_w = [], [], [], []
    con.execute("INSERT INTO fts(fts) VALUES('optimize')")
    con.execute("INSERT INTO fts_words(fts_words) VALUES('optimize')")
    con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('bench', ?)", (json.dumps([VERSION, n, INDEX_VERSION]),))
    con.execute("COMMIT")
    cat.close()
    print(f"built {n} documents in {time.perf_counter() - t0:.1f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)")


def doc_freq(con, word: str) -> int:
    return con.execute("SELECT count(*) FROM (SELECT rowid FROM fts_words WHERE fts_words MATCH ? LIMIT 200000)",
                       (f'"{word}"',)).fetchone()[0]


def query_classes(con, rnd: random.Random, k: int) -> dict[str, list[str]]:
    vocab = vocabulary(random.Random(2026))
    tail = vocab[len(DOMAIN) + 2000:]
    rare = []
    while len(rare) < k:
        w = rnd.choice(tail)
        if 1 <= doc_freq(con, w) <= 200:
            rare.append(w)
    common = rnd.choices(["dan", "yang", "di", "ke", "dari", "laporan", "kinerja", "kegiatan",
                          "program", "data"], k=k)
    mid = vocab[len(DOMAIN):len(DOMAIN) + 300]
    two = [f"{rnd.choice(DOMAIN[:40])} {rnd.choice(mid)}" for _ in range(k)]
    phrase = [f'"{rnd.choice(PHRASES)}"' for _ in range(k)]
    prefix = [w[:3] + "*" for w in rnd.choices(DOMAIN[:60] + mid[:40], k=k)]
    ids = rnd.sample(range(1, con.execute("SELECT max(id) FROM entries").fetchone()[0] + 1), k)
    numbers = [con.execute("SELECT letter_no FROM entries WHERE id=?", (i,)).fetchone()[0] for i in ids]
    return {"rare word": rare, "common word": common, "two words": two, "phrase": phrase,
            "3-letter prefix": prefix, "letter number": numbers}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()

    folder = Path(tempfile.gettempdir()) / "docgen-bench-archive-search"
    folder.mkdir(exist_ok=True)
    db = folder / CATALOG_NAME
    cached = ""
    if db.exists():
        import sqlite3

        raw = sqlite3.connect(db)
        try:
            row = raw.execute("SELECT value FROM meta WHERE key='bench'").fetchone()
            cached = row[0] if row else ""
        except sqlite3.Error:
            pass
        raw.close()
    if args.rebuild or cached != json.dumps([VERSION, args.n, INDEX_VERSION]):
        build(db, args.n)
    cat = Catalog(db)
    con = cat.con
    rnd = random.Random(7)
    classes = query_classes(con, rnd, args.queries)
    for q in classes["common word"][:3]:  # warm the page cache
        search(con, q, Filters())
    print(f"archive: {args.n} documents; {args.queries} queries per class; limit 20, with snippets")
    worst = 0.0
    for name, queries in classes.items():
        times, found = [], 0
        for q in queries:
            t0 = time.perf_counter()
            hits = search(con, q, Filters(), limit=20)
            times.append((time.perf_counter() - t0) * 1000)
            found += bool(hits)
            if name == "letter number":
                assert hits and hits[0].exact, q
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        worst = max(worst, p95)
        print(f"  {name:<16} median {statistics.median(times):6.2f} ms   p95 {p95:6.2f} ms   "
              f"({found}/{len(queries)} with hits)")
    times = []
    for q in classes["common word"][:30]:
        t0 = time.perf_counter()
        search(con, q, Filters(year=rnd.randint(2020, 2026), classification="000.5"), limit=20)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"  (common word + --year + --klasifikasi: median {statistics.median(times):.2f} ms, "
          f"p95 {times[round(0.95 * len(times)) - 1]:.2f} ms; not a goal class)")
    print(f"worst p95: {worst:.2f} ms (goal <= 20 ms)")
    cat.close()


if __name__ == "__main__":
    main()
