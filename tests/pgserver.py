"""A real PostgreSQL for the tests: the system cluster, a throwaway role and database.

CI runs as root on a fresh machine, where the server refuses to run as root: the Debian
cluster is started with ``pg_ctlcluster`` (it runs as ``postgres``) and administered through
``su postgres``. Each test session (each xdist worker) gets its own role and database, dropped
at the end; each test gets its own schema in it, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time

HOST, PORT = "127.0.0.1", 5432


def _psql(sql: str, db: str = "postgres") -> subprocess.CompletedProcess:
    return subprocess.run(["su", "postgres", "-c", f"psql -X -q -v ON_ERROR_STOP=1 -d {db}"],
                          input=sql, text=True, capture_output=True, timeout=60)


def _answers() -> bool:
    return _psql("SELECT 1").returncode == 0


def ensure_server() -> None:
    """Start the system cluster if no server answers; fail with a message if that fails."""
    if shutil.which("psql") is None or shutil.which("pg_ctlcluster") is None:
        raise RuntimeError("PostgreSQL is not installed: run scripts/bootstrap.sh "
                           "(installs Debian's postgresql); these tests never skip it")
    if _answers():
        return
    subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True, text=True, timeout=120)
    for _ in range(60):
        if _answers():
            return
        time.sleep(0.5)
    raise RuntimeError("PostgreSQL 15 does not answer after `pg_ctlcluster 15 main start`: "
                       "see /var/log/postgresql/postgresql-15-main.log")


class Session:
    """A role and database of one test session; ``url(schema)`` points into one schema."""

    def __init__(self, worker: str) -> None:
        ensure_server()
        self.name = f"dgtest_{worker}_{os.getpid()}_{secrets.token_hex(3)}"
        self.password = secrets.token_hex(12)
        self.admin(f"CREATE ROLE {self.name} LOGIN CREATEDB PASSWORD '{self.password}'")
        self.admin(f"CREATE DATABASE {self.name} OWNER {self.name}")
        self.admin("CREATE EXTENSION IF NOT EXISTS pg_trgm", db=self.name)

    def admin(self, sql: str, db: str = "postgres") -> None:
        r = _psql(sql, db)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}: {r.stderr.strip()}")

    def base_url(self, db: str | None = None) -> str:
        return f"postgresql://{self.name}:{self.password}@{HOST}:{PORT}/{db or self.name}"

    def url(self, schema: str) -> str:
        import psycopg

        with psycopg.connect(self.base_url(), autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
        return f"{self.base_url()}?options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        self.admin(f"DROP ROLE IF EXISTS {self.name}")
