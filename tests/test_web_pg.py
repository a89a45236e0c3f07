"""The web app's own tables on PostgreSQL ([database] url / DOCGEN_DATABASE_URL): the
migrations (the audit log's append-only trigger in its PostgreSQL form), an account, a
login, the audit log. In a process of its own: Django is configured once per process.

Uses the local PostgreSQL 15 cluster (scripts/bootstrap.sh) with a throwaway role and
database; the `pg` helper's shared fixture can replace `_database` when it lands.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow


def _psql(sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-qAtc", sql],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def _database():
    if shutil.which("runuser") is None or shutil.which("psql") is None:
        pytest.skip("no local PostgreSQL tools (scripts/bootstrap.sh installs them)")
    if _psql("select 1").returncode != 0:
        pytest.skip("the local PostgreSQL cluster is not running (pg_ctlcluster 15 main start)")
    name = f"docgen_web_{secrets.token_hex(4)}"
    password = secrets.token_hex(12)
    assert _psql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'").returncode == 0
    assert _psql(f"CREATE DATABASE {name} OWNER {name}").returncode == 0
    try:
        yield f"postgresql://{name}:{password}@127.0.0.1:5432/{name}"
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name}")
        _psql(f"DROP ROLE IF EXISTS {name}")


def test_web_tables_on_postgresql(tmp_path, _database):
    from docgen import workspace

    root = tmp_path / "kantor"
    workspace.init(root)
    env = {**os.environ, "DOCGEN_DATABASE_URL": _database}
    r = subprocess.run([sys.executable, "-m", "docgen", "-W", str(root), "user", "add", "admin", "--peran",
                        "admin"], input="admin-rahasia-1\n", capture_output=True, text=True, env=env,
                       timeout=180)
    assert r.returncode == 0, r.stderr
    script = textwrap.dedent(f"""
        from docgen import workspace, web
        ws = workspace.load({str(root)!r})
        web.setup(ws)
        from django.db import DatabaseError, connection, transaction
        from django.test import Client
        assert connection.vendor == "postgresql"
        c = Client()
        assert c.post("/masuk/", {{"username": "admin", "password": "admin-rahasia-1"}}).status_code == 302
        assert "Masuk" in c.get("/jejak/").content.decode()
        for sql in ("UPDATE docgen_web_jejak SET aksi = 'x'", "DELETE FROM docgen_web_jejak"):
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute(sql)
            except DatabaseError as exc:
                assert "append-only" in str(exc)
            else:
                raise SystemExit("the audit log accepted: " + sql)
        print("ok")
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stderr[-2000:]
    assert not (root / "web.sqlite").exists()  # nothing went to the SQLite default
