"""`docgen archive verify`: every file present and unchanged, and the hash chain unbroken.

Each entry's hash covers its fields and the previous entry's hash, so deleting or editing a row
breaks the chain at that point; the head is kept in the catalog and in a file beside it, so
cutting off the last rows shows too. Archive numbers that are missing from a year's sequence
are reported as gaps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import CATALOG_NAME, GENESIS, Catalog, entry_hash
from .stages import file_sha256


@dataclass
class Problem:
    kind: str  # missing | changed | edited | chain | gap | orphan | pending
    where: str
    message: str


@dataclass
class Report:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, where: str, message: str) -> None:
        self.problems.append(Problem(kind, where, message))


def verify(catalog: Catalog, archive_dir: Path, *, hashes: bool = True) -> Report:
    rep = Report()
    prev = GENESIS
    hashes_by_id: dict[int, str] = {}
    seqs: dict[int, list[int]] = defaultdict(list)
    known: set[str] = set()
    for row in catalog.entries(state=None):
        rep.checked += 1
        where = f"entry {row['id']} ({row['archive_no']})"
        known.add(row["path"])
        seqs[row["year"]].append(row["seq"])
        if row["state"] != "filed":
            rep.add("pending", where, "half-filed (interrupted); the next archive command finishes it")
        if row["prev_hash"] != prev:
            rep.add("chain", where, "does not follow the entry before it: an entry was deleted or edited")
        if entry_hash(row["prev_hash"], dict(row)) != row["entry_hash"]:
            rep.add("edited", where, "its recorded fields were changed after filing")
        prev = row["entry_hash"]
        hashes_by_id[row["id"]] = prev
        f = archive_dir / row["path"]
        if not f.is_file():
            rep.add("missing", where, f"file missing: {f}")
        elif f.stat().st_size != row["size"] or (hashes and file_sha256(f) != row["sha256"]):
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
    head_file = catalog.head_file()
    if head_file.is_file():
        parts = head_file.read_text(encoding="ascii").split()
        # The file may lag behind (written per batch) but must name an entry of this chain.
        named = int(parts[0]) if len(parts) == 2 and parts[0].isdigit() else 0
        if named and hashes_by_id.get(named) != parts[1]:
            rep.add("chain", str(head_file),
                    f"entry {named} recorded as filed is gone or changed: entries were "
                    "removed or the catalog was replaced")
    for year, nums in sorted(seqs.items()):
        missing = sorted(set(range(1, max(nums) + 1)) - set(nums))
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
            rep.add("gap", str(year), f"archive numbers missing from the sequence: {shown}")
    for f in sorted(archive_dir.glob("[0-9]*/*.pdf")):
        rel = f.relative_to(archive_dir).as_posix()
        if rel not in known:
            rep.add("orphan", rel, "file in the archive without an index row")
    return rep


__all__ = ["CATALOG_NAME", "Problem", "Report", "verify"]
