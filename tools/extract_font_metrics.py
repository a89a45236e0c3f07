"""Extract advance widths of Liberation Sans (metric-compatible with Arial) into a small JSON.

Run once: `python tools/extract_font_metrics.py [FONT_DIR]`. The JSON ships in
docgen/data/fonts/ so row heights can be estimated on machines without the font.
Widths are in font units per 1000 em, measured with Pillow at 1000 px (no kerning,
which is what Word and LibreOffice apply by default to table text).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation")
OUT = Path(__file__).resolve().parents[1] / "docgen" / "data" / "fonts" / "arial-metrics.json"
FACES = {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf"}
# Latin-1 plus the punctuation Indonesian office texts use (dashes, curly quotes, bullet, ellipsis).
EXTRA = "\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\u2122"
UNITS = 1000


def extract(font_dir: Path) -> dict:
    chars = [chr(c) for c in range(32, 127)] + [chr(c) for c in range(160, 256)] + list(EXTRA)
    out: dict = {"family": "Arial / Liberation Sans", "units_per_em": UNITS, "faces": {}}
    for face, file in FACES.items():
        font = ImageFont.truetype(str(font_dir / file), UNITS)
        widths = {ch: round(font.getlength(ch), 1) for ch in chars}
        out["faces"][face] = {
            "widths": widths,
            # unknown characters: the widest common glyph, so estimates stay on the safe side
            "default": max(widths["M"], widths["W"]),
        }
    return out


def main() -> None:
    font_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else FONT_DIR
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(extract(font_dir), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
