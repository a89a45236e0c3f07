"""Check filled forms against the manifest of the form that was issued.

Every problem names the file, the row and the column, and says how to fix it.
All problems of all files are gathered, so the planner fixes them in one round.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..formatting import angka, parse_angka
from .reader import LABELS, Form, FormRow, norm

KIND = "permintaan-data"
REQUIRED = ("no", "sasaran", "indikator", "satuan", "target", "realisasi", "keterangan")

# Written for "no value" (then Keterangan/Kendala must say why); compared lower-case.
NO_VALUE = {"-", "--", "–", "—", "n/a", "na", "n.a.", "#n/a", "tidak ada data", "belum ada data"}
PERCENT = {"%", "persen", "prosen", "persentase"}
MONEY = {"rp", "rp.", "idr", "rupiah"}
# A number with what clerks write around it: "Rp 1.500.000", "85 %", "12 orang".
_VALUE_RE = re.compile(r"^(?P<pre>rp\.?|idr)?\s*(?P<num>[+-]?\d[\d.,\s]*?)\s*(?P<unit>%|[^\W\d_].*)?$",
                       re.IGNORECASE)


class NumberError(ValueError):
    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


def _unit(text: str) -> str:
    return norm(text).lower().rstrip(".")


def read_value(text: str, satuan: str) -> Decimal | None:
    """Realisasi as typed -> number, or None for "no value" ("", "-", "n/a").

    A unit written after the number is accepted when it is the row's satuan ("12 orang",
    "85 %", "Rp 1.500.000"), refused when it is another one: "85%" for an indicator
    counted in konten is a capaian typed where the realisasi belongs."""
    raw = norm(text)
    if not raw or raw.lower() in NO_VALUE:
        return None
    sat = _unit(satuan)
    example = f"write only the number, counted in {satuan}"
    m = _VALUE_RE.match(raw)
    if m is None:
        raise NumberError(f"{text!r} is not a number", "write e.g. 1.234,5; or leave it empty "
                          "and say why in Keterangan/Kendala")
    unit = _unit(m["unit"] or "")
    money_satuan = sat in MONEY or sat.startswith("rp")
    if m["pre"] and not money_satuan or unit in MONEY and not money_satuan:
        raise NumberError(f"{text!r} is an amount of money, but the satuan is {satuan!r}", example)
    if unit in PERCENT and sat not in PERCENT:
        raise NumberError(f"{text!r} is a percentage, but the satuan is {satuan!r}",
                          f"write the realisasi counted in {satuan}; docgen computes the capaian (%)")
    if unit and unit not in PERCENT | MONEY and unit != sat:
        if len(unit) < 2:  # "4O": a letter typed for a digit, not a unit
            raise NumberError(f"{text!r} is not a number", "write e.g. 1.234,5")
        raise NumberError(f"{text!r}: the unit {m['unit']!r} is not the satuan {satuan!r}", example)
    try:
        return parse_angka(m["num"])
    except ValueError:
        raise NumberError(f"{text!r} is not a number",
                          "write e.g. 1.234,5: dots for thousands, a comma for decimals") from None


@dataclass
class Problem:
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    fix: str = ""
    cell: str = ""  # spreadsheet reference, XLSX only

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}" + (f" (cell {self.cell})" if self.cell else ""))
        if self.column:
            where.append(f"column {self.column}")
        text = where[0] + ": " + ", ".join(where[1:]) + (": " if len(where) > 1 else "") + self.message
        return text + (f" ({self.fix})" if self.fix else "")


@dataclass
class Entry:
    """One indicator of a valid form, with numbers parsed."""

    no: int
    sasaran: str
    indikator: str
    satuan: str
    arah: str
    target: Decimal | None
    realisasi: Decimal | None
    keterangan: str


@dataclass
class ValidForm:
    form: Form
    manifest: dict[str, Any]
    entries: list[Entry] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return self.manifest["bidang"], self.manifest["periode"]


def load_manifest(data_dir: Path, doc_id: str) -> dict[str, Any] | None:
    path = data_dir / "permintaan" / f"{doc_id}.json"
    if "/" in doc_id or "\\" in doc_id or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _period_end(key: object) -> tuple[int, int] | None:
    """(year, last month) of a period key: "2026-TW3" -> (2026, 9), "2026-09" -> (2026, 9)."""
    m = re.fullmatch(r"(\d{4})-(?:TW([1-4])|(\d{2}))", str(key))
    if not m:
        return None
    return int(m[1]), int(m[2]) * 3 if m[2] else int(m[3])


def newer_period(data_dir: Path, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The latest later period a form was issued to the same Bidang for, if any: a clerk
    who fills last quarter's file with this quarter's figures returns the old form."""
    mine = _period_end(manifest.get("periode"))
    latest, latest_end = None, mine
    for f in (data_dir / "permintaan").glob("*.json"):
        try:
            m = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        end = _period_end(m.get("periode"))
        if m.get("bidang") == manifest.get("bidang") and end and latest_end and end > latest_end:
            latest, latest_end = m, end
    return latest


def check_form(form: Form, data_dir: Path, periode: str | None) -> tuple[ValidForm | None, list[Problem]]:
    """Identity, then table shape against the manifest, then each cell."""
    name = form.path.name
    probs: list[Problem] = []
    if form.kind and form.kind != KIND:
        return None, [Problem(name, f"is a {form.kind!r} document, not a permintaan-data form",
                              fix="give only the filled permintaan-data forms")]
    if not form.doc_id:
        return None, [Problem(name, "no form id found (no 'ID Formulir' line or property)",
                              fix="use the form issued by `docgen make permintaan-data`; "
                                  "keep its 'ID Formulir' line")]
    if form.id_conflict:
        return None, [Problem(name, f"carries two form ids: {form.doc_id} and {form.id_conflict}",
                              fix="copy the values into the Bidang's own form, not into another one")]
    manifest = load_manifest(data_dir, form.doc_id)
    if manifest is None:
        return None, [Problem(name, f"unknown form id {form.doc_id!r}: not issued by this workspace",
                              fix="use the form issued by `docgen make permintaan-data` in this workspace")]
    if periode and manifest.get("periode") != periode:
        return None, [Problem(name, f"form is for period {manifest.get('periode')} "
                                    f"({manifest.get('periode_label', '')}), not {periode}",
                              fix=f"leave it out, or collect with --periode {manifest.get('periode')}")]
    if not form.table_found:
        return None, [Problem(name, "indicator table not found (header with 'Indikator Kinerja' "
                                    "and 'Realisasi')", fix="use the issued form without changing its table header")]
    missing = [LABELS[c] for c in REQUIRED if c not in form.columns]
    if missing:
        return None, [Problem(name, "table header lacks column(s) " + ", ".join(missing),
                              fix="use the issued form without changing its table header")]

    rows = manifest["rows"]
    if form.rows and not any(r.cells.get("realisasi") or r.cells.get("keterangan") or r.issues
                             for r in form.rows):
        return None, [Problem(name, "nothing is filled in: Realisasi and Keterangan/Kendala are "
                                    "empty in every row", fix="was the unfilled form sent by mistake? "
                                    "Ask the Bidang for the filled one")]
    entries: list[Entry] = []
    for issued, row in _align(rows, form.rows):
        if row is None:
            probs.append(Problem(name, f"indicator {issued['no']} ({norm(issued['indikator'])!r}) is "
                                       "missing: its row was deleted",
                                 fix="use the issued form with all its rows; with no data, leave "
                                     "Realisasi empty and say why in Keterangan/Kendala"))
            continue
        c = row.cells
        if issued is None:
            what = c.get("indikator") or c.get("sasaran")
            probs.append(Problem(
                name, f"added row, not in the issued form ({what!r})" if what else
                "added row without an indicator", row.number,
                fix="delete it; indicators are set by the planner" if what else
                "delete it; write its text in the Keterangan/Kendala of the row it belongs to",
                cell=next(iter(row.refs.values()), "")))
            continue

        def bad(col: str, msg: str, fix: str, row: FormRow = row) -> None:
            probs.append(Problem(name, msg, row.number, LABELS[col], fix, row.refs.get(col, "")))

        for col in ("sasaran", "indikator", "satuan"):
            if norm(c[col]) != norm(issued[col]):
                bad(col, f"changed from {norm(issued[col])!r} to {c[col]!r}",
                    "indicator rows are fixed; restore the issued text")
        want = parse_angka(issued["target"])  # a number per the contract; text tolerated
        try:
            got = parse_angka(c["target"])
        except ValueError:
            got = None
        if got != want:
            bad("target", f"changed from {angka(want)} to {c['target']!r}",
                "targets are fixed; restore the issued target")
        for col, (msg, fix) in row.issues.items():
            bad(col, msg, fix)
        real = None
        if "realisasi" not in row.issues:
            try:
                real = read_value(c["realisasi"], issued["satuan"])
            except NumberError as exc:
                bad("realisasi", exc.message, exc.fix)
            else:
                if real is None and not c["keterangan"]:
                    shown = f"has no value ({c['realisasi']!r})" if c["realisasi"] else "is empty"
                    bad("realisasi", f"{shown} and Keterangan/Kendala gives no reason",
                        "write the realisasi, or explain in Keterangan/Kendala why there is none")
                elif real is not None and real < 0:
                    bad("realisasi", f"{c['realisasi']!r} is negative", "write the realisasi as 0 or more")
        entries.append(Entry(
            no=int(issued["no"]), sasaran=issued["sasaran"], indikator=issued["indikator"],
            satuan=issued["satuan"], arah=issued.get("arah", "naik"), target=want,
            realisasi=real, keterangan=c["keterangan"],
        ))
    if probs:
        return None, probs
    return ValidForm(form, manifest, entries), []


def _align(issued: list[dict[str, Any]], rows: list[FormRow]) -> list[tuple[dict[str, Any] | None, FormRow | None]]:
    """Pair the issued indicators with the form's rows. Same count: by position (an edited
    row is reported as edited). Rows added or deleted: by indicator text, so the rows
    after them are still checked against their own indicator, not their neighbour's."""
    if len(issued) == len(rows):
        return list(zip(issued, rows, strict=True))

    def key(text: object) -> str:
        return norm(text).lower()

    sm = difflib.SequenceMatcher(None, [key(i["indikator"]) for i in issued],
                                 [key(r.cells.get("indikator")) for r in rows], autojunk=False)
    out: list[tuple[dict[str, Any] | None, FormRow | None]] = []
    for _, i1, i2, j1, j2 in sm.get_opcodes():
        a, b = issued[i1:i2], rows[j1:j2]
        n = min(len(a), len(b))
        out += list(zip(a[:n], b[:n], strict=True))  # equal, or edited in place
        out += [(x, None) for x in a[n:]] + [(None, y) for y in b[n:]]
    return out


# "p2p (1).xlsx", "p2p - Copy.xlsx", "Salinan p2p.xlsx": what Windows and browsers name a copy
_COPY_NAME = re.compile(r"\s*\(\d+\)$|\s*-\s*(copy|salinan)(\s*\(\d+\))?$|^(copy of|salinan)\s+",
                        re.IGNORECASE)


def _copy_rank(v: ValidForm) -> tuple[bool, int, str]:
    """The original before its copies: a name without a copy mark, then the shortest."""
    stem = v.form.path.stem
    return bool(_COPY_NAME.search(stem)), len(stem), v.form.path.name


def check_duplicates(valid: list[ValidForm],
                     notes: list[str] | None = None) -> tuple[list[ValidForm], list[Problem]]:
    """Same id twice, or two forms for one Bidang and period: all of them are refused,
    since docgen cannot know which one the Bidang meant. Copies of one form with the
    same values ("p2p.xlsx" and "p2p (1).xlsx", a second download) are read once, and
    said in ``notes``."""
    def values(v: ValidForm) -> list[tuple[Decimal | None, str]]:
        return [(e.realisasi, norm(e.keterangan)) for e in v.entries]

    by_id: dict[str, list[ValidForm]] = {}
    for v in valid:
        by_id.setdefault(v.manifest["doc_id"], []).append(v)
    copies: set[int] = set()
    for group in by_id.values():
        if len(group) > 1 and all(values(g) == values(group[0]) for g in group):
            keep, *rest = sorted(group, key=_copy_rank)
            copies |= {id(g) for g in rest}
            if notes is not None:
                names = ", ".join(g.form.path.name for g in rest)
                notes.append(f"{names}: the same form as {keep.form.path.name} (form id "
                             f"{keep.manifest['doc_id']}, same values), read once")
    valid = [v for v in valid if id(v) not in copies]
    by_id = {}
    by_key: dict[tuple[str, str], list[ValidForm]] = {}
    for v in valid:
        by_id.setdefault(v.manifest["doc_id"], []).append(v)
        by_key.setdefault(v.key, []).append(v)
    probs: list[Problem] = []
    bad: set[int] = set()

    for doc_id, group in by_id.items():
        if len(group) > 1:
            for g in group:
                bad.add(id(g))
                others = ", ".join(o.form.path.name for o in group if o is not g)
                # a corrected copy sent again: which rows differ tells the planner which is which
                differ = sorted({e.no for o in group if o is not g
                                 for e, a, b in zip(g.entries, values(g), values(o), strict=False)
                                 if a != b})
                how = (f"; they differ in row(s) {', '.join(map(str, differ))}" if differ
                       else "; same values")
                probs.append(Problem(g.form.path.name, f"duplicate form: id {doc_id} is also in "
                                     f"{others}{how}", fix="keep only the Bidang's final copy; "
                                     "move the other out of the folder"))
    for (bidang, per), group in by_key.items():
        ids = {g.manifest["doc_id"] for g in group}
        if len(ids) > 1:
            for g in group:
                bad.add(id(g))
                others = ", ".join(o.form.path.name for o in group if o is not g)
                probs.append(Problem(g.form.path.name, f"duplicate form: two forms for Bidang "
                                     f"{bidang} and period {per} (also {others})",
                                     fix="keep only the Bidang's final form"))
    return [v for v in valid if id(v) not in bad], probs
