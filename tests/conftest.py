"""Shared fixtures: a real workspace in a temp folder, real LibreOffice."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import pytest

from docgen import workspace
from docgen.convert import find_soffice

sys.path.insert(0, str(Path(__file__).parent))  # tests/pgserver.py


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


# --- the two database backends ------------------------------------------------------------
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_session(worker_id: str):
    """This session's PostgreSQL role and database (one per xdist worker), dropped at the end.
    A missing or dead PostgreSQL fails the tests that need it: never a silent skip."""
    import pgserver

    try:
        session = pgserver.Session(worker_id)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield session
    session.drop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """Run the test on each backend: SQLite files (no url), then PostgreSQL (DOCGEN_DATABASE_URL
    pointing at a schema of its own). Returns the url, or None for SQLite."""
    monkeypatch.delenv("DOCGEN_DATABASE_URL", raising=False)
    if request.param == "sqlite":
        return None
    session = request.getfixturevalue("pg_session")
    url = session.url(f"t_{secrets.token_hex(6)}")
    monkeypatch.setenv("DOCGEN_DATABASE_URL", url)
    return url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked sqlite_only (a file's own behaviour: WAL, a corrupt file) run once."""
    items[:] = [i for i in items
                if not (i.get_closest_marker("sqlite_only") and "[postgresql" in i.nodeid)]
