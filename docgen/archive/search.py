"""Search the catalog: exact letter numbers, stemmed words and phrases, prefixes, filters.

Query language (what a clerk types):
    laporan kinerja          both words, any inflected form (stemmed at index and query time)
    "laporan kinerja"        the phrase
    lap*                     words starting with "lap" (as written)
    000.5.3.1/15/Diskominfo/2026   a pasted letter number: that letter, exactly

Speed: FTS5 computes bm25 for every match before it can sort, so a common word costs
O(matches). When a query has more than ``RANK_WINDOW`` matches, only the newest
``RANK_WINDOW`` of them are ranked (found with a cheap rowid-ordered scan). Snippets are made
for the returned rows only.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field

from . import stem
from .stages import LETTER_NO, looks_like_number, normalize_number

RANK_WINDOW = 1000
SNIPPET_CHARS = 80


@dataclass
class Filters:
    year: int | None = None
    classification: str | None = None
    kind: str | None = None
    signed: bool | None = None
    valid: bool | None = None
    signer: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def sql(self) -> tuple[str, list]:
        where, args = ["e.state = 'filed'"], []
        if self.year:
            where.append("e.doc_date >= ? AND e.doc_date < ?")
            args += [f"{self.year:04d}-01-01", f"{self.year + 1:04d}-01-01"]
        if self.classification:
            where.append("(e.classification = ? OR e.classification LIKE ?)")
            args += [self.classification, self.classification + ".%"]
        if self.kind:
            where.append("e.kind = ?")
            args.append(self.kind)
        if self.signed is not None:
            where.append("e.signed = ?")
            args.append(int(self.signed))
        if self.valid is not None:
            where.append("e.sig_valid = 1" if self.valid else "COALESCE(e.sig_valid, 0) = 0")
        if self.signer:
            where.append("e.signer LIKE ?")
            args.append(f"%{self.signer}%")
        if self.date_from:
            where.append("e.doc_date >= ?")
            args.append(self.date_from.isoformat())
        if self.date_to:
            where.append("e.doc_date <= ?")
            args.append(self.date_to.isoformat())
        return " AND ".join(where), args


@dataclass
class Hit:
    id: int
    archive_no: str
    title: str
    letter_no: str
    doc_date: str
    classification: str
    kind: str
    signed: bool
    sig_valid: bool | None
    signer: str
    path: str
    score: float = 0.0
    exact: bool = False
    by_date: bool = False  # one of very many matches of a phrase: newest first, not ranked
    snippet: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)  # highlighted spans in snippet


@dataclass
class Query:
    fts: str  # MATCH expression on fts (stems) ('' = none)
    patterns: list[str]  # regex alternatives for the snippet highlight
    number: str = ""  # normalised letter number when the query is one
    prefix: str = ""  # MATCH expression on fts_words (prefix terms) ('' = none)


_PART = re.compile(r'"([^"]*)"|(\S+)')


def _phrase(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


def parse(text: str) -> Query:
    text = text.strip()
    if text and looks_like_number(text):
        toks = [stem.stem(t) for t in stem.tokens(text)]
        return Query(fts=_phrase(toks) if toks else "", patterns=[re.escape(text)],
                     number=normalize_number(text))
    terms: list[str] = []
    prefixes: list[str] = []
    patterns: list[str] = []
    for m in _PART.finditer(text):
        if m.group(1) is not None:  # "a phrase"
            toks = stem.tokens(m.group(1))
            if toks:
                terms.append(_phrase([stem.stem(t) for t in toks]))
                patterns.append(r"\W+".join(re.escape(t) + r"\w*" for t in toks))
            continue
        word = m.group(2)
        if LETTER_NO.fullmatch(word):  # a number inside a longer query: match it as written
            terms.append(_phrase([stem.stem(t) for t in stem.tokens(word)]))
            patterns.append(re.escape(word))
            continue
        prefix = word.endswith("*")
        toks = stem.tokens(word)
        if not toks:
            continue
        if prefix:
            # fts_words holds distinct words, not their order: "e-off*" becomes e AND off*
            prefixes.append(" AND ".join(f'"{t}"' for t in toks[:-1]) + (" AND " if toks[:-1] else "")
                            + f'"{toks[-1]}" *')
            patterns.append(r"\b" + re.escape(toks[-1]) + r"\w*")
        else:
            stems = [stem.stem(t) for t in toks]
            alts = stem.variants(stems[0]) if len(stems) == 1 else ()
            if len(alts) > 1:  # "kiriman" must find "mengirim" (stem "irim")
                terms.append("(" + " OR ".join(_phrase([a]) for a in alts) + ")")
            else:
                terms.append(_phrase(stems))
            for t, s in zip(toks, stems, strict=True):
                patterns.append(r"\w*" + re.escape(s) + r"\w*")
                if s != t:
                    patterns.append(re.escape(t) + r"\w*")
    return Query(fts=" AND ".join(terms), patterns=patterns, prefix=" AND ".join(prefixes))


_COLS = ("e.id, e.archive_no, e.title, e.letter_no, e.doc_date, e.classification, e.kind, "
         "e.signed, e.sig_valid, e.signer, e.path")


def _hit(row: sqlite3.Row, score: float = 0.0, exact: bool = False) -> Hit:
    return Hit(id=row[0], archive_no=row[1], title=row[2], letter_no=row[3], doc_date=row[4],
               classification=row[5], kind=row[6], signed=bool(row[7]),
               sig_valid=None if row[8] is None else bool(row[8]), signer=row[9], path=row[10],
               score=score, exact=exact)


def search(con: sqlite3.Connection, text: str, filters: Filters | None = None,
           limit: int = 20) -> list[Hit]:
    filters = filters or Filters()
    where, args = filters.sql()
    q = parse(text)
    hits: list[Hit] = []
    if q.number:
        rows = con.execute(f"SELECT {_COLS} FROM entries e WHERE e.letter_no_norm = ? AND {where} "
                           "ORDER BY e.id LIMIT ?", [q.number, *args, limit]).fetchall()
        hits = [_hit(r, exact=True) for r in rows]
    if not q.fts and not q.prefix:
        if not q.number:  # filters only: newest first
            rows = con.execute(f"SELECT {_COLS} FROM entries e WHERE {where} ORDER BY e.id DESC LIMIT ?",
                               [*args, limit]).fetchall()
            hits = [_hit(r) for r in rows]
    elif len(hits) < limit:
        seen = {h.id for h in hits}
        if q.fts:  # rank on the stems; prefix terms (if any) only narrow the set
            table, expr = "fts", q.fts
            if q.prefix:
                where += " AND e.id IN (SELECT rowid FROM fts_words WHERE fts_words MATCH ?)"
                args = [*args, q.prefix]
        else:
            table, expr = "fts_words", q.prefix
        for h in _ranked(con, table, expr, where, args, limit):
            if h.id not in seen:
                hits.append(h)
        hits = hits[:limit]
    _snippets(con, hits, q.patterns)
    return hits


def _ranked(con: sqlite3.Connection, table: str, expr: str, where: str, args: list,
            limit: int) -> list[Hit]:
    base = f"FROM {table} t JOIN entries e ON e.id = t.rowid WHERE {table} MATCH ? AND {where}"
    try:
        if args:  # real filters: count the window among the filtered rows, within their id band
            lo, hi = con.execute(f"SELECT min(e.id), max(e.id) FROM entries e WHERE {where}", args).fetchone()
            if lo is None:
                return []
            base += " AND t.rowid BETWEEN ? AND ?"
            args = [*args, lo, hi]
            cut = con.execute(f"SELECT t.rowid {base} ORDER BY t.rowid DESC LIMIT 1 OFFSET ?",
                              [expr, *args, RANK_WINDOW]).fetchone()
        else:  # no filter but state='filed' (at most one row is not): the index alone
            cut = con.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
                              "ORDER BY rowid DESC LIMIT 1 OFFSET ?", [expr, RANK_WINDOW]).fetchone()
        window, wargs = ("", []) if cut is None else (" AND t.rowid > ?", [cut[0]])
        if cut is not None and _PHRASE_EXPR.search(expr):
            # bm25 first counts the phrase in the WHOLE table (its IDF) with position checks:
            # ~40 ms for a phrase of two very common words in 100k documents. A phrase in more
            # than RANK_WINDOW documents is listed newest first instead.
            rows = con.execute(f"SELECT {_COLS} {base}{window} ORDER BY t.rowid DESC LIMIT ?",
                               [expr, *args, *wargs, limit]).fetchall()
            return [_by_date(r) for r in rows]
        rows = con.execute(f"SELECT {_COLS}, bm25({table}) AS score {base}{window} ORDER BY score LIMIT ?",
                           [expr, *args, *wargs, limit]).fetchall()
    except sqlite3.OperationalError as exc:  # a query FTS5 cannot parse: say so plainly
        from ..errors import InputError

        raise InputError(f"cannot search for this: {exc}",
                         fix='use words, "a phrase", a prefix like lap*, or a letter number') from None
    return [_hit(r, score=r["score"]) for r in rows]


_PHRASE_EXPR = re.compile(r'"[^"]* [^"]*"')


def _by_date(row: sqlite3.Row) -> Hit:
    h = _hit(row)
    h.by_date = True
    return h


def make_snippet(body: str, patterns: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of text around the first match, with the matched words' spans."""
    flat = " ".join(body.split())
    if not patterns:
        return flat[: SNIPPET_CHARS * 2], []
    rx = re.compile("|".join(f"(?:{p})" for p in patterns), re.I)
    m = rx.search(flat)
    if not m:
        return flat[: SNIPPET_CHARS * 2], []
    start = max(0, m.start() - SNIPPET_CHARS)
    if start:
        sp = flat.find(" ", start)
        start = sp + 1 if 0 <= sp < m.start() else start
    end = min(len(flat), m.end() + SNIPPET_CHARS)
    sp = flat.rfind(" ", m.end(), end)
    end = sp if sp > m.end() and end < len(flat) else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(flat) else ""
    window = flat[start:end]
    marks = [(mm.start() + len(prefix), mm.end() + len(prefix)) for mm in rx.finditer(window)]
    return prefix + window + suffix, marks


def _snippets(con: sqlite3.Connection, hits: list[Hit], patterns: list[str]) -> None:
    if not hits:
        return
    ids = [h.id for h in hits]
    bodies = dict(con.execute(f"SELECT id, body FROM texts WHERE id IN ({','.join('?' * len(ids))})",
                              ids).fetchall())
    for h in hits:
        h.snippet, h.marks = make_snippet(bodies.get(h.id, ""), patterns)
