"""Regenerate the shipped .docx templates: `python tools/build_templates.py [KIND ...]`.

Each module in tools/templates/ (other than common and _helpers) exposes build() -> Path.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import templates  # noqa: E402  (tools/templates)


def main(names: list[str]) -> None:
    for mod in pkgutil.iter_modules(templates.__path__):
        if mod.name == "common" or mod.name.startswith("_") or (names and mod.name not in names):
            continue
        out = importlib.import_module(f"templates.{mod.name}").build()
        print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
