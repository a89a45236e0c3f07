"""Pure text measurement: widths from shipped font metrics, greedy wrapping, row heights.

No font needs to be installed: advance widths of Liberation Sans (= Arial metrics) ship in
docgen/data/fonts/arial-metrics.json (made by tools/extract_font_metrics.py). The rules
(97% of the text width, 1.15 line pitch, 4 pt padding, whole points) come from measuring
LibreOffice output: they never under-estimated, and an exact row height that is too small
clips text silently.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class TextRules:
    width_factor: float = 0.97   # wrap against 97% of the cell's text width
    line_pitch: float = 1.15     # line height / font size
    padding_pt: float = 4.0      # added once per cell (top + bottom)


RULES = TextRules()


@lru_cache(maxsize=1)
def _faces() -> dict[str, tuple[dict[str, float], float]]:
    raw = json.loads(
        resources.files("docgen").joinpath("data/fonts/arial-metrics.json").read_text(encoding="utf-8")
    )
    units = raw["units_per_em"]
    return {
        face: ({ch: w / units for ch, w in d["widths"].items()}, d["default"] / units)
        for face, d in raw["faces"].items()
    }


@lru_cache(maxsize=65536)
def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Advance width of a single line of text, in points."""
    widths, default = _faces()["bold" if bold else "regular"]
    return sum(widths.get(ch, default) for ch in text) * size_pt


def _split_long_word(word: str, limit: float, size_pt: float, bold: bool) -> list[str]:
    """A word wider than the cell breaks between characters, as Word and LibreOffice do."""
    parts, cur = [], ""
    for ch in word:
        if cur and text_width_pt(cur + ch, size_pt, bold) > limit:
            parts.append(cur)
            cur = ch
        else:
            cur += ch
    parts.append(cur)
    return parts


@lru_cache(maxsize=16384)
def wrap(text: str, width_pt: float, size_pt: float, bold: bool = False,
         rules: TextRules = RULES) -> tuple[str, ...]:
    """Greedy wrap on spaces against `width_factor` of the width; explicit newlines kept."""
    limit = width_pt * rules.width_factor
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        if not words:
            lines.append("")
            continue
        cur = ""
        for word in words:
            trial = f"{cur} {word}" if cur else word
            if text_width_pt(trial, size_pt, bold) <= limit:
                cur = trial
                continue
            if cur:
                lines.append(cur)
            pieces = _split_long_word(word, limit, size_pt, bold)
            lines.extend(pieces[:-1])
            cur = pieces[-1]
        lines.append(cur)
    return tuple(lines)


def line_count(text: str, width_pt: float, size_pt: float, bold: bool = False,
               rules: TextRules = RULES) -> int:
    return len(wrap(text, width_pt, size_pt, bold, rules)) if text.strip() else 0


def text_height_pt(text: str, width_pt: float, size_pt: float, bold: bool = False,
                   rules: TextRules = RULES) -> int:
    """Height a cell needs for `text` at `width_pt` of text width, whole points, padding included."""
    n = max(1, line_count(text, width_pt, size_pt, bold, rules))
    return math.ceil(n * rules.line_pitch * size_pt + rules.padding_pt)
