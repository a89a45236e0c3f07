"""The archive catalog: one SQLite file, the source of truth, with its FTS5 index.

An entry is written in two steps (the journal is the ``state`` column):
1. one transaction allocates the archive number and inserts the row (``state='filing'``), its
   text and its FTS row, and extends the hash chain;
2. after the file is in place, ``state='filed'`` makes it visible.
Recovery finishes any ``filing`` row (the claimed input is still there) or, if it cannot, removes
it. Only one entry is ever ``filing`` because filing is serial.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..formatting import slug
from . import stem
from .stages import Prepared, normalize_number, now_iso

CATALOG_NAME = "arsip.sqlite"
HEAD_FILE = ".arsip-rantai"  # a copy of the chain head outside the database
GENESIS = "0" * 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries(
    id INTEGER PRIMARY KEY,
    archive_no TEXT NOT NULL UNIQUE,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL UNIQUE,           -- relative to the archive folder, '/' separated
    state TEXT NOT NULL CHECK (state IN ('filing', 'filed')),
    claimed TEXT NOT NULL,               -- the claimed input, for recovery
    original_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    title TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    doc_id TEXT NOT NULL DEFAULT '',
    letter_no TEXT NOT NULL DEFAULT '',
    letter_no_norm TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    classification TEXT NOT NULL DEFAULT '',
    doc_date TEXT NOT NULL,              -- ISO date of the document (filing date if unknown)
    filed_at TEXT NOT NULL,
    signed INTEGER NOT NULL DEFAULT 0,
    sig_valid INTEGER,                   -- NULL: unsigned or not verifiable
    sig_trusted INTEGER,
    signer TEXT NOT NULL DEFAULT '',
    signing_time TEXT NOT NULL DEFAULT '',
    signatures TEXT NOT NULL DEFAULT '[]',
    info TEXT NOT NULL DEFAULT '{}',
    register TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    original_path TEXT NOT NULL DEFAULT '',   -- a scan's original beside its OCR'd PDF/A
    original_sha256 TEXT NOT NULL DEFAULT '',
    UNIQUE(year, seq)
);
CREATE INDEX IF NOT EXISTS entries_letter_no ON entries(letter_no_norm);
CREATE INDEX IF NOT EXISTS entries_doc_date ON entries(doc_date);
CREATE INDEX IF NOT EXISTS entries_classification ON entries(classification);
CREATE INDEX IF NOT EXISTS entries_doc_id ON entries(doc_id);
CREATE INDEX IF NOT EXISTS entries_original_sha ON entries(original_sha256) WHERE original_sha256 != '';
CREATE TABLE IF NOT EXISTS texts(id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Two contentless FTS5 tables (the text itself lives once, in `texts`):
# - fts(stems): the words stemmed, in order, for word and phrase queries (bm25 ranking);
# - fts_words(words): each distinct word as written, once per document, for prefix queries.
#   prefix='2 3' makes "lap*" one posting-list lookup instead of a scan of the vocabulary; on
#   distinct words only, so the prefix index stays small and filing stays fast.
FTS_SCHEMA = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(stems, content='', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts_words USING fts5(words, content='', prefix='2 3', "
    "tokenize='unicode61 remove_diacritics 2')",
]

INDEX_VERSION = f"3-{stem.VERSION}"  # bump when FTS_SCHEMA or index_terms change; stem.VERSION follows its lists

# Fields covered by the hash chain: editing any of them breaks it.
CHAINED = ("id", "archive_no", "year", "seq", "sha256", "path", "original_name", "size", "pages",
           "title", "doc_id", "letter_no", "kind", "classification", "doc_date", "filed_at",
           "signed", "sig_valid", "signer")
# Chained when set: entries filed before these columns existed keep their hashes.
CHAINED_IF_SET = ("original_path", "original_sha256")
# Columns added after the first release: (name, definition), added in place on open.
ADDED_COLUMNS = (("original_path", "TEXT NOT NULL DEFAULT ''"),
                 ("original_sha256", "TEXT NOT NULL DEFAULT ''"))


# Chain 2 (entries filed since ``meta.chain_v2_from``): every column but the journal ones,
# and the SHA-256 of the stored text, so no field of an entry can change unseen. Entries
# hashed before keep the chain-1 hash; verify re-derives their other fields from the PDF.
UNCHAINED = ("state", "prev_hash", "entry_hash")  # the journal: state changes once, by design
# A column added later goes into a chain 3 (CHAINED_V2 stays as it is), else every older
# entry's hash would change; tests/test_archive_tamper.py lists every column.


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def entry_hash(prev: str, row: dict) -> str:
    """Chain 1: the fields in CHAINED (and CHAINED_IF_SET when set) only."""
    fields = {k: row[k] for k in CHAINED}
    fields.update({k: row[k] for k in CHAINED_IF_SET if row.get(k)})
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256((prev + body).encode()).hexdigest()


# Chain 2's fields: every column of the entries table but the journal, as of chain 2.
CHAINED_V2 = ("id", "archive_no", "year", "seq", "sha256", "path", "claimed", "original_name",
              "size", "pages", "title", "subject", "doc_id", "letter_no", "letter_no_norm", "kind",
              "classification", "doc_date", "filed_at", "signed", "sig_valid", "sig_trusted",
              "signer", "signing_time", "signatures", "info", "register", "original_path",
              "original_sha256")


def entry_hash_v2(prev: str, row: dict, text: str) -> str:
    """Chain 2: every column of the entry (but the journal) and the stored text's hash."""
    fields = {k: row[k] for k in CHAINED_V2}
    fields["text_sha256"] = text_sha256(text)
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(("2:" + prev + body).encode()).hexdigest()


def format_archive_no(fmt: str, year: int, seq: int, when: dt.date) -> str:
    from ..formatting import romawi

    return fmt.format(tahun=year, urut=seq, bulan=when.month, bulan_romawi=romawi(when.month))


def index_text(title: str, letter_no: str, body: str) -> str:
    return f"{title}\n{letter_no}\n{body}"


def index_terms(title: str, letter_no: str, body: str) -> tuple[str, str]:
    """(stems in order, distinct words) of an entry: what the two FTS tables get."""
    toks = stem.tokens(index_text(title, letter_no, body))
    return " ".join([stem.stem(t) for t in toks]), " ".join(dict.fromkeys(toks))


def derived_columns(prep: Prepared, register: dict, today: dt.date) -> dict:
    """The catalog columns that follow from what the read stages found in the PDF (and the
    register link): what filing records and what `archive verify` re-derives to compare."""
    sigs = prep.signatures
    # a document timestamp (PAdES B-LTA) signs nothing: "signed" means a person's signature
    people = [s for s in sigs if s.get("kind", "signature") == "signature"]
    first = people[0] if people else {}
    letter_no = register.get("nomor") or prep.letter_no
    return {
        "sha256": prep.sha256, "size": prep.size, "pages": prep.pages,
        "title": register.get("perihal") or prep.title, "subject": prep.subject,
        "doc_id": prep.doc_id, "letter_no": letter_no,
        "letter_no_norm": normalize_number(letter_no),
        "kind": register.get("jenis") or prep.kind,
        "classification": register.get("klasifikasi") or prep.classification,
        "doc_date": register.get("tanggal") or prep.doc_date or today.isoformat(),
        "signed": int(bool(people)),
        # changed after signing is not valid, however intact the signed bytes are
        "sig_valid": (None if not people or first.get("valid") is None
                      else int(all(s.get("valid") and s.get("intact")
                                   and not s.get("modified_after") for s in sigs))),
        "sig_trusted": (None if not people or first.get("trusted") is None
                        else int(all(s.get("trusted") for s in people))),
        "signer": ", ".join(s.get("signer", "") for s in people if s.get("signer")),
        "signing_time": first.get("signing_time", ""),
        "signatures": json.dumps(sigs, ensure_ascii=False),
        "info": json.dumps(prep.info, ensure_ascii=False),
        "register": json.dumps(register, ensure_ascii=False, default=str),
    }



class Catalog:
    on_head: Callable[[Path], None] | None = None  # called after each write of the head file

    def __init__(self, path: Path, *, wal: bool = True) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a writer holds the lock
        # from the first read of the counter to the commit (no two processes get one number).
        self.con = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
        self.con.row_factory = sqlite3.Row
        # WAL needs shared memory: not on network shares, where the default journal is used.
        if wal:
            self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=FULL" if not wal else "PRAGMA synchronous=NORMAL")
        self._add_columns()
        self.con.executescript(SCHEMA)
        for sql in FTS_SCHEMA:
            self.con.execute(sql)
        if not self.meta("chain_v2_from"):  # entries from here on are hashed with chain 2
            with self.write() as con:
                con.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('chain_v2_from', "
                            "(SELECT CAST(COALESCE(MAX(id), 0) + 1 AS TEXT) FROM entries))")
        if self.meta("index_version") != INDEX_VERSION:  # index layout changed: rebuild it
            self.reindex()

    def _add_columns(self) -> None:
        """Upgrade a catalog made by an earlier docgen in place: new columns, no row lost."""
        have = {r[1] for r in self.con.execute("PRAGMA table_info(entries)")}
        if not have:
            return  # a new catalog: SCHEMA creates the table whole
        for name, definition in ADDED_COLUMNS:
            if name not in have:
                self.con.execute(f"ALTER TABLE entries ADD COLUMN {name} {definition}")

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # --- reading ---------------------------------------------------------------------
    def meta(self, key: str, default: str = "") -> str:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def by_sha(self, sha: str) -> sqlite3.Row | None:
        return self.con.execute("SELECT * FROM entries WHERE sha256=?", (sha,)).fetchone()

    def by_content(self, sha: str) -> sqlite3.Row | None:
        """The entry of these bytes: the archived PDF, or a scan's original."""
        return self.con.execute("SELECT * FROM entries WHERE sha256=? OR original_sha256=? "
                                "ORDER BY id LIMIT 1", (sha, sha)).fetchone()

    def get(self, ref: str | int) -> sqlite3.Row | None:
        """An entry by id, archive number, letter number or document id."""
        s = str(ref).strip()
        if s.isdigit():
            row = self.con.execute("SELECT * FROM entries WHERE id=?", (int(s),)).fetchone()
            if row:
                return row
        for sql, arg in (("archive_no=?", s), ("letter_no_norm=?", normalize_number(s)), ("doc_id=?", s)):
            row = self.con.execute(f"SELECT * FROM entries WHERE {sql} ORDER BY id LIMIT 1", (arg,)).fetchone()
            if row:
                return row
        return None

    def text(self, entry_id: int) -> str:
        row = self.con.execute("SELECT body FROM texts WHERE id=?", (entry_id,)).fetchone()
        return row[0] if row else ""

    def entries(self, state: str | None = "filed") -> list[sqlite3.Row]:
        if state is None:
            return self.con.execute("SELECT * FROM entries ORDER BY id").fetchall()
        return self.con.execute("SELECT * FROM entries WHERE state=? ORDER BY id", (state,)).fetchall()

    # --- writing ---------------------------------------------------------------------
    def reserve(self, prep: Prepared, *, number_format: str, register: dict | None = None,
                today: dt.date | None = None) -> sqlite3.Row:
        """Number + index row in ONE transaction (state 'filing'). Raises DuplicateError."""
        today = today or dt.date.today()
        register = register or {}
        derived = derived_columns(prep, register, today)
        with self.write() as con:
            # a scan is the same letter when its original bytes are: OCR output differs per run
            same = prep.original.get("sha256", prep.sha256)
            dup = con.execute("SELECT id, archive_no, path FROM entries WHERE sha256 IN (?, ?) "
                              "OR original_sha256 IN (?, ?)",
                              (prep.sha256, same, prep.sha256, same)).fetchone()
            if dup:
                raise DuplicateError(dup)
            year = today.year
            # A format without {tahun} means one counter for all years.
            scoped = "{tahun" in number_format
            seq = con.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM entries" + (" WHERE year=?" if scoped else ""),
                (year,) if scoped else (),
            ).fetchone()[0]
            archive_no = format_archive_no(number_format, year, seq, today)
            title = derived["title"]
            rel = f"{year}/{slug(archive_no, 40, lower=False)}_{slug(title)}.pdf"
            if con.execute("SELECT 1 FROM entries WHERE path=?", (rel,)).fetchone():
                rel = f"{year}/{slug(archive_no, 40, lower=False)}_{prep.sha256[:8]}_{slug(title)}.pdf"
            letter_no = derived["letter_no"]
            original_rel = ""
            if prep.original:
                original_rel = rel[: -len(".pdf")] + ".asli" + prep.original["suffix"]
            prev = self.meta("chain_head", GENESIS)
            row = {
                "id": (con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM entries").fetchone()[0]),
                "archive_no": archive_no, "year": year, "seq": seq, "sha256": prep.sha256,
                "path": rel, "state": "filing", "claimed": prep.claimed,
                "original_name": prep.name, "size": prep.size, "pages": prep.pages,
                "title": title, "subject": derived["subject"], "doc_id": derived["doc_id"],
                "letter_no": letter_no, "letter_no_norm": derived["letter_no_norm"],
                "kind": derived["kind"], "classification": derived["classification"],
                "doc_date": derived["doc_date"], "filed_at": now_iso(),
                **{k: derived[k] for k in ("signed", "sig_valid", "sig_trusted", "signer",
                                           "signing_time", "signatures", "info", "register")},
                "prev_hash": prev,
                "original_path": original_rel,
                "original_sha256": prep.original.get("sha256", ""),
            }
            row["entry_hash"] = entry_hash_v2(prev, row, prep.text)
            cols = ", ".join(row)
            con.execute(f"INSERT INTO entries({cols}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()))
            con.execute("INSERT INTO texts(id, body) VALUES (?, ?)", (row["id"], prep.text))
            if prep.terms[0] and (title, letter_no) == (prep.title, prep.letter_no):
                terms = prep.terms  # computed in the worker process
            else:
                terms = index_terms(title, letter_no, prep.text)
            self._fts_insert(con, row["id"], terms)
            self._set_head(con, row["entry_hash"], row["id"])
            return con.execute("SELECT * FROM entries WHERE id=?", (row["id"],)).fetchone()

    def mark_filed(self, entry_id: int) -> None:
        with self.write() as con:
            con.execute("UPDATE entries SET state='filed' WHERE id=?", (entry_id,))

    def drop_filing(self, entry_id: int) -> None:
        """Undo a 'filing' row whose input is gone (it is always the last one)."""
        with self.write() as con:
            row = con.execute("SELECT * FROM entries WHERE id=? AND state='filing'", (entry_id,)).fetchone()
            if not row:
                return
            body = con.execute("SELECT body FROM texts WHERE id=?", (entry_id,)).fetchone()
            stems, words = index_terms(row["title"], row["letter_no"], body[0] if body else "")
            con.execute("INSERT INTO fts(fts, rowid, stems) VALUES('delete', ?, ?)", (entry_id, stems))
            con.execute("INSERT INTO fts_words(fts_words, rowid, words) VALUES('delete', ?, ?)",
                        (entry_id, words))
            con.execute("DELETE FROM texts WHERE id=?", (entry_id,))
            con.execute("DELETE FROM entries WHERE id=?", (entry_id,))
            last = con.execute("SELECT entry_hash, id FROM entries ORDER BY id DESC LIMIT 1").fetchone()
            self._set_head(con, last[0] if last else GENESIS, last[1] if last else 0)
        self.write_head_file()

    @staticmethod
    def _fts_insert(con: sqlite3.Connection, rowid: int, terms: tuple[str, str]) -> None:
        con.execute("INSERT INTO fts(rowid, stems) VALUES (?, ?)", (rowid, terms[0]))
        con.execute("INSERT INTO fts_words(rowid, words) VALUES (?, ?)", (rowid, terms[1]))

    @staticmethod
    def _set_head(con: sqlite3.Connection, head: str, last_id: int) -> None:
        con.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                        [("chain_head", head), ("chain_last_id", str(last_id))])

    def head_file(self) -> Path:
        return self.path.parent / HEAD_FILE

    def write_head_file(self) -> None:
        """The chain head outside the database: deleting the last rows shows up in verify.

        Written after each batch (not each file): a head that lags behind the catalog is fine,
        one that points past its end or at another hash is not.
        """
        text = f"{self.meta('chain_last_id', '0')} {self.meta('chain_head', GENESIS)}\n"
        tmp = self.head_file().with_suffix(".tmp")
        tmp.write_text(text, encoding="ascii")
        os.replace(tmp, self.head_file())
        if self.on_head is not None:  # the archive's seal signs the new head (archive.seal)
            self.on_head(self.head_file())

    def reindex(self, texts: Mapping[int, str] | None = None) -> int:
        """Rebuild the FTS index: from ``texts`` (entry id -> the text read again from its PDF;
        an entry not in it gets no index row), else from the stored texts (when only the index
        layout changed: the stored text is covered by the hash chain)."""
        with self.write() as con:
            con.execute("DROP TABLE IF EXISTS fts")
            con.execute("DROP TABLE IF EXISTS fts_words")
            for sql in FTS_SCHEMA:  # execute, not executescript: that would commit early
                con.execute(sql)
            n = 0
            for row in con.execute(
                "SELECT e.id, e.title, e.letter_no, t.body FROM entries e JOIN texts t ON t.id = e.id"
            ).fetchall():
                body = row[3] if texts is None else texts.get(row[0])
                if body is None:
                    continue
                self._fts_insert(con, row[0], index_terms(row[1], row[2], body))
                n += 1
            con.execute("INSERT INTO fts(fts) VALUES('optimize')")
            con.execute("INSERT INTO fts_words(fts_words) VALUES('optimize')")
            con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('index_version', ?)",
                        (INDEX_VERSION,))
        return n


class DuplicateError(Exception):
    def __init__(self, existing: sqlite3.Row) -> None:
        super().__init__(existing["archive_no"])
        self.existing = existing
