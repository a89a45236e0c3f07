"""The archive's stemmer: word families conflated, false conflations, and indexing speed.

    python bench/bench_stem.py [--docs 20000]

Figures on tests/data/stem_families.txt (the test set) and stem_families_holdout.txt
(families written after docgen's lists were tuned, so an estimate on unseen words), for:

- ``docgen before``: the rule stripper docgen used before (bench/stem_baseline.py, frozen);
- ``PySastrawi``: PySastrawi 1.2.1 as shipped (its dictionary, no changes);
- ``snowball``: Snowball's Indonesian stemmer (snowballstemmer), the algorithm of
  PostgreSQL's ``indonesian`` text search configuration (``indonesian_stem``), if installed;
- ``docgen``: docgen.archive.stem (Sastrawi on our dictionary with our exceptions).

Goals: families conflated >= 95%, false conflations <= 2%.

Indexing speed: catalog.index_terms (what the archive runs for every filed PDF) on two
corpora, with a cold stem cache, docgen before vs docgen now (goal: within 2x):
- ``real text``: documents drawn from the words of examples/ (the five seed SOPs, the
  example letters) and the test set;
- ``synthetic``: the corpus of bench_archive_search.py (Zipf over 40,000 made-up words,
  most unknown to any dictionary: the worst case for a dictionary stemmer).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import stem_baseline  # noqa: E402
import stemset  # noqa: E402

from docgen.archive import catalog  # noqa: E402
from docgen.archive import stem as docgen_stem  # noqa: E402

HOLDOUT = stemset.FAMILIES_FILE.with_name("stem_families_holdout.txt")
EXAMPLES = ROOT / "examples"  # the seed SOPs and the example letters: real office text


def stemmers() -> dict[str, object]:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    out: dict[str, object] = {"docgen before": stem_baseline.stem,
                              "PySastrawi 1.2.1": StemmerFactory().create_stemmer().delegatedStemmer.stem_word}
    try:
        import snowballstemmer
    except ImportError:
        print("(snowballstemmer not installed: `pip install snowballstemmer` for the PostgreSQL column)")
    else:
        out["snowball (PG indonesian)"] = snowballstemmer.stemmer("indonesian").stemWord
    out["docgen"] = docgen_stem.stem
    return out


def traps(path: Path) -> int:
    """Index of the first family under the TRAPS heading."""
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# -- TRAPS"):
            return n
        if line.split("#", 1)[0].split():
            n += 1
    return n


def figures() -> None:
    sets = [("test set", stemset.FAMILIES_FILE), ("held out", HOLDOUT)]
    loaded = {name: stemset.load(p) for name, p in sets}
    print("Word families (conflated = all words one stem; false = a stem shared with another family)")
    head = f"{'stemmer':26}" + "".join(f"{name + f' ({len(f)})':>22}" for name, f in loaded.items()) + \
        f"{'test set, no traps':>22}"
    print(head)
    for name, fn in stemmers().items():
        cells = []
        for set_name, fams in loaded.items():
            s = stemset.score(fn, fams)  # type: ignore[arg-type]
            cells.append(f"{s.conflated_pct:5.1f}% / {s.false_pct:4.1f}%")
            if set_name == "test set":
                plain = stemset.score(fn, fams[: traps(stemset.FAMILIES_FILE)])  # type: ignore[arg-type]
        cells.append(f"{plain.conflated_pct:5.1f}% / {plain.false_pct:4.1f}%")
        print(f"{name:26}" + "".join(f"{c:>22}" for c in cells))
    print("(conflated / false; goals: >= 95% / <= 2%)")
    s = stemset.score(docgen_stem.stem, loaded["test set"])
    for _fam, stems in s.split:
        print("  docgen splits:", " ".join(f"{w}->{t}" for w, t in stems.items()))
    h = stemset.score(docgen_stem.stem, loaded["held out"])
    for _fam, stems in h.split:
        print("  docgen splits (held out):", " ".join(f"{w}->{t}" for w, t in stems.items()))
    for st, fams in h.collisions.items():
        print(f"  docgen false (held out): {st!r} shared by", [loaded["held out"][i][0] for i in fams])


def real_corpus(n: int, rnd: random.Random) -> list[str]:
    words: list[str] = []
    for f in sorted(EXAMPLES.rglob("*.yaml")):
        words += re.findall(r"[^\W_]+", f.read_text(encoding="utf-8", errors="replace"))
    words += [w for fam in stemset.load() for w in fam]
    return [" ".join(rnd.choices(words, k=300)) for _ in range(n)]


def synthetic_corpus(n: int, rnd: random.Random) -> list[str]:
    import itertools

    from bench_archive_search import PHRASES, vocabulary

    vocab = vocabulary(rnd)
    cum = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(vocab))))
    out = []
    for _ in range(n):
        body = rnd.choices(vocab, cum_weights=cum, k=120)
        body.insert(rnd.randrange(len(body)), rnd.choice(PHRASES))
        out.append(" ".join(body))
    return out


def index_rate(stem_module: object, docs: list[str]) -> tuple[float, int]:
    """Documents per second through catalog.index_terms with ``stem_module`` as the stemmer,
    its cache cleared first; and the number of distinct words stemmed."""
    saved = catalog.stem
    catalog.stem = stem_module  # type: ignore[assignment]
    stem_module.stem.cache_clear()  # type: ignore[attr-defined]
    try:
        t0 = time.perf_counter()
        for i, body in enumerate(docs):
            catalog.index_terms(f"Laporan {i}", f"000.7.5/{i}/Diskominfo/2026", body)
        dt = time.perf_counter() - t0
    finally:
        catalog.stem = saved  # type: ignore[assignment]
    return len(docs) / dt, stem_module.stem.cache_info().currsize  # type: ignore[attr-defined]


def speed(n: int) -> None:
    t0 = time.perf_counter()
    docgen_stem._engine.cache_clear()
    docgen_stem._engine()
    print(f"\nDictionary load (once per process): {(time.perf_counter() - t0) * 1000:.0f} ms")
    print(f"Indexing speed: catalog.index_terms on {n:,} documents, cold stem cache")
    print(f"{'corpus':12}{'distinct words':>16}{'before docs/s':>16}{'now docs/s':>14}{'now/before':>12}")
    rnd = random.Random(2026)
    for name, docs in (("real text", real_corpus(n, rnd)), ("synthetic", synthetic_corpus(n, rnd))):
        before, _ = index_rate(stem_baseline, docs)
        now, distinct = index_rate(docgen_stem, docs)
        print(f"{name:12}{distinct:>16,}{before:>16,.0f}{now:>14,.0f}{now / before:>11.2f}x")
    print("(goal: now at least 0.5x before, i.e. indexing within 2x of the old time)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000, help="documents per corpus for the speed run")
    args = ap.parse_args()
    figures()
    speed(args.docs)


if __name__ == "__main__":
    main()
