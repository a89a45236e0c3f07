"""`docgen archive verify`: everything the archive claims, checked.

- Every file present and unchanged (SHA-256).
- The hash chain: each entry's hash covers all its columns, the SHA-256 of its stored text
  and the previous entry's hash (chain 2; entries filed before it keep the chain-1 hash over
  fewer fields). Deleting or editing a row breaks the chain there; the head is kept in the
  catalog, in a file beside it, and signed by the archive's seal (`seal.py`), so cutting off
  the last rows or rewriting the whole chain shows too.
- An entry whose hash does not match is read again from its PDF, to name the field(s) changed.
- The search index is rebuilt in memory from the (chained) stored texts and compared with the
  real one: rows missing, added or altered are named by entry.
- ``deep``: every PDF is read again (text, metadata, signatures validated again) and compared
  with its entry.
- Archive numbers missing from a year's sequence are reported as gaps.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import (
    CATALOG_NAME,
    FTS_SCHEMA,
    GENESIS,
    Catalog,
    entry_hash,
    entry_hash_v2,
    index_terms,
)
from .stages import Settings, StageError, file_sha256


@dataclass
class Problem:
    kind: str  # missing | changed | edited | chain | head | text | index | signature | gap | orphan | pending
    where: str
    message: str
    field: str = ""  # the catalog column (or "text", "index", "signatures[1].trusted") concerned


@dataclass
class Report:
    checked: int = 0
    deep: bool = False
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not problems: what was not (yet) covered

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, where: str, message: str, field: str = "") -> None:
        self.problems.append(Problem(kind, where, message, field))


def _where(row) -> str:
    return f"entry {row['id']} ({row['archive_no']})"


def verify(catalog: Catalog, archive_dir: Path, *, hashes: bool = True, deep: bool = False,
           settings: Settings | None = None, seal: Callable[[dict[int, str], Report], None] | None = None,
           workers: int | None = None) -> Report:
    rep = Report(deep=deep)
    con = catalog.con
    con.execute("ATTACH ':memory:' AS chk")  # the index as the stored texts give it
    try:
        con.execute("BEGIN")  # one snapshot: a watcher filing meanwhile changes nothing here
        try:
            _verify(catalog, archive_dir, rep, hashes=hashes, deep=deep,
                    settings=settings or Settings(max_bytes=1 << 62), seal=seal, workers=workers)
        finally:
            con.execute("ROLLBACK")
    finally:
        con.execute("DETACH chk")
    return rep


def _verify(catalog: Catalog, archive_dir: Path, rep: Report, *, hashes: bool, deep: bool,
            settings: Settings, seal, workers: int | None) -> None:
    con = catalog.con
    rows = catalog.entries(state=None)
    texts = dict(con.execute("SELECT id, body FROM texts").fetchall())
    v2_from = int(catalog.meta("chain_v2_from", "1") or 1)
    prev = GENESIS
    hashes_by_id: dict[int, str] = {}
    seqs: dict[int, list[int]] = defaultdict(list)
    known: set[str] = set()
    edited: list = []  # rows whose hash does not match: their fields are named from the PDF
    bad_file: set[int] = set()
    legacy = 0
    for row in rows:
        rep.checked += 1
        where = _where(row)
        known.add(row["path"])
        seqs[row["year"]].append(row["seq"])
        if row["state"] != "filed":
            rep.add("pending", where, "half-filed (interrupted); the next archive command finishes it")
        if row["prev_hash"] != prev:
            rep.add("chain", where, "does not follow the entry before it: an entry was deleted or edited")
        text = texts.get(row["id"])
        if text is None:
            rep.add("text", where, "its stored text is gone (the search cannot show it)", "text")
        fields = dict(row)
        ok = entry_hash_v2(row["prev_hash"], fields, text or "") == row["entry_hash"]
        if not ok and row["id"] < v2_from and entry_hash(row["prev_hash"], fields) == row["entry_hash"]:
            ok, legacy = True, legacy + 1  # filed before chain 2: fewer fields in its hash
        if not ok:
            edited.append(row)
        prev = row["entry_hash"]
        hashes_by_id[row["id"]] = prev
        f = archive_dir / row["path"]
        if not f.is_file():
            rep.add("missing", where, f"file missing: {f}")
            bad_file.add(row["id"])
        elif f.stat().st_size != row["size"] or (hashes and file_sha256(f) != row["sha256"]):
            bad_file.add(row["id"])
            if ok:  # the entry is as filed: the file is what changed
                rep.add("changed", where, f"file content changed (SHA-256 differs): {f}")
        if row["original_path"]:  # a scan: its original is evidence too
            known.add(row["original_path"])
            o = archive_dir / row["original_path"]
            if not o.is_file():
                rep.add("missing", where, f"original scan missing: {o}")
            elif hashes and file_sha256(o) != row["original_sha256"]:
                rep.add("changed", where, f"original scan changed (SHA-256 differs): {o}")
    if catalog.meta("chain_head", GENESIS) != prev:
        rep.add("chain", "catalog", "the chain head does not match the last entry: entries were removed")
    _check_head_file(catalog, hashes_by_id, rep)
    if seal is not None:
        seal(hashes_by_id, rep)
    if legacy:
        rep.notes.append(f"{legacy} entries were filed before chain 2: their hash covers fewer "
                         "fields; `archive verify --deep` compares the others with their PDFs")

    _name_edits(archive_dir, edited, bad_file, texts, settings, rep, workers)
    suspect = {r["id"] for r in edited}
    check_index(con, rows, texts, rep, skip=suspect)
    if deep:
        _deep(archive_dir, [r for r in rows if r["id"] not in suspect and r["id"] not in bad_file],
              texts, settings, rep, workers)

    for year, nums in sorted(seqs.items()):
        missing = sorted(set(range(1, max(nums) + 1)) - set(nums))
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
            rep.add("gap", str(year), f"archive numbers missing from the sequence: {shown}")
    for f in sorted(archive_dir.glob("[0-9]*/*.pdf")):
        rel = f.relative_to(archive_dir).as_posix()
        if rel not in known:
            rep.add("orphan", rel, "file in the archive without an index row")


def _check_head_file(catalog: Catalog, hashes_by_id: dict[int, str], rep: Report) -> None:
    head_file = catalog.head_file()
    if not head_file.is_file():
        return
    parts = head_file.read_text(encoding="ascii", errors="replace").split()
    # The file may lag behind (written per batch) but must name an entry of this chain.
    named = int(parts[0]) if len(parts) == 2 and parts[0].isdigit() else 0
    if named and hashes_by_id.get(named) != parts[1]:
        rep.add("chain", str(head_file),
                f"entry {named} recorded as filed is gone or changed: entries were "
                "removed or the catalog was replaced")


def _name_edits(archive_dir: Path, edited: list, bad_file: set[int], texts: dict[int, str],
                settings: Settings, rep: Report, workers: int | None) -> None:
    """An entry whose hash fails: read its PDF again and say which fields differ."""
    from .rederive import NOT_IN_PDF, compare, prepare_rows

    for row, prep in prepare_rows(archive_dir, edited, settings, workers):
        where = _where(row)
        if prep is None or isinstance(prep, StageError):
            rep.add("edited", where, "its recorded fields do not match its hash, and its file is "
                    "missing or unreadable: the entry or the file was altered after filing")
            continue
        diffs = compare(row, prep, texts.get(row["id"]))
        for d in diffs:
            kind = "text" if d.field == "text" else "edited"
            rep.add(kind, where, d.message() + " (changed after filing)", d.field)
        if not diffs:
            rep.add("edited", where, "its hash does not match: a field no PDF can confirm was "
                    f"changed after filing (one of {', '.join(NOT_IN_PDF)})")


def _deep(archive_dir: Path, rows: list, texts: dict[int, str], settings: Settings, rep: Report,
          workers: int | None) -> None:
    """Every PDF read again, its signatures validated again, compared with its entry."""
    from .rederive import compare, prepare_rows

    for row, prep in prepare_rows(archive_dir, rows, settings, workers):
        if prep is None:
            continue  # reported as missing already
        where = _where(row)
        if isinstance(prep, StageError):
            rep.add("changed", where, f"the archived PDF cannot be read again: {prep.reason}")
            continue
        for d in compare(row, prep, texts.get(row["id"])):
            sig = d.field.startswith("sig") or d.field in ("signed", "signer", "signing_time")
            rep.add("signature" if sig else ("text" if d.field == "text" else "edited"), where,
                    d.message("validated again:" if sig else "the PDF gives"), d.field)


# --- the search index --------------------------------------------------------------------
# The real index is read back once through fts5vocab's 'instance' view: per document, the
# number of terms and the sum of a keyed 64-bit hash of each (term, position). The same
# figures are computed from the stored texts (which the chain covers): first in Python,
# splitting the terms as FTS5 does for docgen's terms; a document whose figures differ is
# then indexed for real in a memory database with the same FTS5 schema and compared again,
# so a term that FTS5 splits otherwise is never a false alarm. A row deleted, added or
# altered (even two rows swapped) changes its document's figures.
TABLES = (("fts", "its stemmed words (word and phrase search)"),
          ("fts_words", "its words as written (prefix search)"))
_MASK = (1 << 64) - 1


def _doc_sums(con: sqlite3.Connection, view: str) -> dict[int, tuple[int, int]]:
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    term_h = 0
    last = None
    for term, doc, offset in con.execute(f"SELECT term, doc, offset FROM {view}"):
        if term != last:  # rows come term by term: hash each term once
            last, term_h = term, hash(term)
        s = sums[doc]
        s[0] += 1
        s[1] = (s[1] + hash((term_h, offset))) & _MASK
    return {d: (n, h) for d, (n, h) in sums.items()}


def _text_sums(terms: str) -> tuple[int, int]:
    toks = terms.lower().split()
    h = 0
    for i, t in enumerate(toks):
        h = (h + hash((hash(t), i))) & _MASK
    return len(toks), h


def _vocab_sums(con: sqlite3.Connection, schema: str, table: str) -> dict[int, tuple[int, int]]:
    view = f"temp.v_{schema}_{table}"
    con.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {view} USING fts5vocab({schema}, {table}, instance)")
    try:
        return _doc_sums(con, view)
    finally:
        con.execute(f"DROP TABLE {view}")


def check_index(con: sqlite3.Connection, rows: list, texts: dict[int, str], rep: Report, *,
                skip: set[int] = frozenset()) -> None:
    terms = {r["id"]: index_terms(r["title"], r["letter_no"], texts[r["id"]])
             for r in rows if r["id"] in texts}
    by_id = {r["id"]: r for r in rows}
    bad: dict[int, set[str]] = defaultdict(set)
    added: set[int] = set()
    for col, (table, what) in enumerate(TABLES):
        real = _vocab_sums(con, "main", table)
        want = {d: _text_sums(t[col]) for d, t in terms.items()}
        want = {d: v for d, v in want.items() if v[0]}  # FTS5 keeps no row for no terms
        odd = {d for d in real.keys() | want.keys() if d in terms and real.get(d) != want.get(d)}
        if odd:  # index them as FTS5 does, and compare again
            con.execute(FTS_SCHEMA[col].replace("IF NOT EXISTS fts", "IF NOT EXISTS chk.fts"))
            con.executemany(f"INSERT INTO chk.{table}(rowid, {('stems', 'words')[col]}) VALUES (?, ?)",
                            [(d, terms[d][col]) for d in sorted(odd)])
            again = _vocab_sums(con, "chk", table)
            for d in odd:
                if d in again:
                    want[d] = again[d]
                else:
                    want.pop(d, None)
        for doc in real.keys() - want.keys():
            if doc in by_id and doc not in texts:
                continue  # its text is gone: reported already
            if doc in by_id:
                bad[doc].add(what)
            else:
                added.add(doc)
        for doc in sorted(want.keys() - real.keys()):
            rep.add("index", _where(by_id[doc]), f"search-index row missing ({what}): a search "
                    "does not find this entry; `docgen archive reindex` rebuilds it from the PDF",
                    table)
        for doc in real.keys() & want.keys():
            if real[doc] != want[doc]:
                bad[doc].add(what)
    for doc in sorted(added):
        rep.add("index", f"search-index row {doc}", "belongs to no entry (added to the index): "
                "a search shows what the archive does not hold", "index")
    for doc, whats in sorted(bad.items()):
        if doc in skip:
            continue  # the entry itself is reported as edited
        rep.add("index", _where(by_id[doc]), "search-index row does not match its text ("
                + "; ".join(sorted(whats)) + "): altered in the index", "index")


__all__ = ["CATALOG_NAME", "Problem", "Report", "check_index", "verify"]
