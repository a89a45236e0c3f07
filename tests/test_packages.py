"""Every package docgen imports is declared in pyproject.toml; the pre-1.0 libraries whose
internals we use are bounded; requirements.lock pins every declared package within its
bounds, so bootstrap installs the versions the tests passed with."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
MAIN = [Requirement(r) for r in PYPROJECT["dependencies"]]
DEV = [Requirement(r) for r in PYPROJECT["optional-dependencies"]["dev"]]


def _names(reqs: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in reqs}


def _optional(node: ast.Try) -> bool:
    """`try: import x / except ImportError:` is an optional import (a bench's extra column)."""
    for h in node.handlers:
        names = [h.type] if not isinstance(h.type, ast.Tuple) else list(h.type.elts)
        if any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names):
            return True
    return False


def imports(folder: Path) -> dict[str, str]:
    """Top-level modules imported (anywhere, also inside functions) -> first file:line."""
    found: dict[str, str] = {}
    # the repository's own modules (a bench imports tests/stemset.py, tools/templates/)
    repo = [ROOT / d for d in ("docgen", "tests", "bench", "tools", "scripts") if (ROOT / d).is_dir()]
    local = {p.stem for d in repo for p in d.rglob("*.py")} | {
        p.name for d in (ROOT, folder) for p in d.iterdir() if p.is_dir()}

    def visit(node: ast.AST, where: Path) -> None:
        if isinstance(node, ast.Try) and _optional(node):
            for child in node.handlers + node.orelse + node.finalbody:
                visit(child, where)
            return
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods = [node.module]
        else:
            mods = []
        for m in mods:
            top = m.split(".")[0]
            if top not in sys.stdlib_module_names and top != "docgen" and top not in local:
                found.setdefault(top, f"{where.relative_to(ROOT)}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child, where)

    for p in sorted(folder.rglob("*.py")):
        visit(ast.parse(p.read_text(encoding="utf-8")), p)
    return found


def _undeclared(folder: str, declared: set[str]) -> list[str]:
    dists = packages_distributions()
    out = []
    for mod, where in sorted(imports(ROOT / folder).items()):
        names = {canonicalize_name(d) for d in dists.get(mod, [])}
        if not names & declared:
            out.append(f"{where}: import {mod} (distribution {', '.join(names) or 'not installed'})")
    return out


def test_the_library_declares_every_package_it_imports():
    assert _undeclared("docgen", _names(MAIN)) == []


@pytest.mark.parametrize("folder", ["tests", "bench", "tools"])
def test_tests_benches_and_tools_import_only_declared_packages(folder):
    assert _undeclared(folder, _names(MAIN) | _names(DEV)) == []


def test_the_scan_sees_imports_inside_functions(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(
        "import os\ndef f():\n    from lxml import etree\n"
        "try:\n    import snowballstemmer\nexcept ImportError:\n    pass\n", encoding="utf-8")
    assert set(imports(tmp_path / "pkg")) == {"lxml"}


@pytest.mark.parametrize("name", ["pyhanko", "pyhanko-certvalidator", "docxtpl"])
def test_pre_1_0_libraries_whose_internals_we_use_are_bounded(name):
    [req] = [r for r in MAIN if canonicalize_name(r.name) == name]
    uppers = [Version(s.version) for s in req.specifier if s.operator in ("<", "<=")]
    assert uppers and max(uppers) < Version("1.0"), f"{req}: needs an upper bound (< next minor)"


def _lock() -> dict[str, Version]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
            assert m, f"requirements.lock: {line!r} is not NAME==VERSION"
            pins[canonicalize_name(m[1])] = Version(m[2])
    return pins


def test_the_lock_pins_every_declared_package_within_its_bounds():
    pins = _lock()
    for req in MAIN + DEV:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared but not in requirements.lock (run scripts/lock.sh)"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock pins {req.name}=={pins[name]}, outside pyproject's {req.specifier}"
        for extra in req.extras:  # psycopg[binary] needs psycopg-binary pinned too
            assert canonicalize_name(f"{req.name}-{extra}") in pins


def test_bootstrap_installs_from_the_lock():
    text = (ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")
    assert "pip install -q -c requirements.lock -e '.[dev]'" in text
