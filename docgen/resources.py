"""Where shipped files live: templates, examples and data.

In a checkout (``pip install -e .``) they are the top-level ``templates/`` and
``examples/`` folders; an installed wheel carries copies inside the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def _first_existing(*candidates: Path) -> Path:
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def templates_dir() -> Path:
    return _first_existing(PACKAGE_DIR / "_templates", PACKAGE_DIR.parent / "templates")


def examples_dir() -> Path:
    return _first_existing(PACKAGE_DIR / "_examples", PACKAGE_DIR.parent / "examples")


def data_file(name: str) -> Path:
    return DATA_DIR / name
