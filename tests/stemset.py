"""The word-family test set of the archive's stemmer (tests/data/stem_families.txt) and its
two figures: families conflated and families falsely conflated. Used by tests/test_stem.py
and bench/bench_stem.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES_FILE = Path(__file__).resolve().parent / "data" / "stem_families.txt"


def load(path: Path = FAMILIES_FILE) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            out.append(words)
    return out


@dataclass
class Score:
    families: int
    conflated: int
    false: int
    split: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)  # not conflated
    collisions: dict[str, list[int]] = field(default_factory=dict)  # stem -> families sharing it

    @property
    def conflated_pct(self) -> float:
        return 100 * self.conflated / self.families

    @property
    def false_pct(self) -> float:
        return 100 * self.false / self.families


def score(stem: Callable[[str], str], families: list[list[str]] | None = None) -> Score:
    families = load() if families is None else families
    owners: dict[str, set[int]] = defaultdict(set)
    split = []
    conflated = 0
    for i, fam in enumerate(families):
        stems = {w: stem(w) for w in fam}
        for s in stems.values():
            owners[s].add(i)
        if len(set(stems.values())) == 1:
            conflated += 1
        else:
            split.append((fam, stems))
    collisions = {s: sorted(fs) for s, fs in owners.items() if len(fs) > 1}
    false = len({f for fs in collisions.values() for f in fs})
    return Score(len(families), conflated, false, split, collisions)
