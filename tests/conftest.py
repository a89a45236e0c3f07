"""Shared fixtures: a real workspace in a temp folder, real LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import workspace
from docgen.convert import find_soffice


@pytest.fixture
def ws(tmp_path: Path) -> workspace.Workspace:
    """A fresh workspace made by `docgen init` (example config, templates, examples)."""
    return workspace.init(tmp_path / "ws")


@pytest.fixture(scope="session")
def soffice() -> Path:
    """LibreOffice is part of the product: its absence is a failure, not a skip."""
    exe = find_soffice()
    assert exe is not None, "LibreOffice not found: run scripts/bootstrap.sh"
    return exe


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run the docgen CLI in-process; returns (exit_code, stdout, stderr)."""
    from docgen.cli import main

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
        import contextlib
        import io

        if cwd is not None:
            monkeypatch.chdir(cwd)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    return run
