"""Check filled forms against the manifest of the form that was issued.

Every problem names the file, the row and the column, and says how to fix it.
All problems of all files are gathered, so the planner fixes them in one round.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..formatting import angka, parse_angka
from .reader import LABELS, Form, norm

KIND = "permintaan-data"
REQUIRED = ("no", "sasaran", "indikator", "satuan", "target", "realisasi", "keterangan")


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
    if len(form.rows) != len(rows):
        probs.append(Problem(name, f"table has {len(form.rows)} indicator rows, the issued form has "
                                   f"{len(rows)}", fix="do not add or delete rows; fill the issued rows"))
    entries: list[Entry] = []
    for issued, row in zip(rows, form.rows, strict=False):
        c = row.cells

        def bad(col: str, msg: str, fix: str, row=row) -> None:
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
        try:
            real = parse_angka(c["realisasi"])
        except ValueError:
            real = None
            bad("realisasi", f"{c['realisasi']!r} is not a number", "write e.g. 1.234,5")
        else:
            if real is None and not c["keterangan"]:
                bad("realisasi", "is empty and Keterangan/Kendala gives no reason",
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


def check_duplicates(valid: list[ValidForm]) -> tuple[list[ValidForm], list[Problem]]:
    """Same id twice, or two forms for one Bidang and period: all of them are refused,
    since docgen cannot know which one the Bidang meant."""
    by_id: dict[str, list[ValidForm]] = {}
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
                probs.append(Problem(g.form.path.name, f"duplicate form: id {doc_id} is also in "
                                     f"{others}", fix="give each Bidang's form once"))
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
