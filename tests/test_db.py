"""The database setting: where it comes from, and one clear message for each bad url."""

from __future__ import annotations

import psycopg

from docgen import db


def set_url(ws, url: str) -> None:
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8") + f'\n[database]\nurl = "{url}"\n', encoding="utf-8")


def reload(ws):
    from docgen import workspace

    return workspace.load(ws.root)


def test_no_url_means_the_workspace_sqlite_files(ws, monkeypatch):
    monkeypatch.delenv(db.ENV, raising=False)
    assert db.database_url(ws) is None


def test_url_from_docgen_toml_and_environment_wins(ws, monkeypatch):
    monkeypatch.delenv(db.ENV, raising=False)
    set_url(ws, "postgresql://docgen@server:5432/docgen")
    ws = reload(ws)
    assert db.database_url(ws) == "postgresql://docgen@server:5432/docgen"
    monkeypatch.setenv(db.ENV, "postgresql://other@host/db")
    assert db.database_url(ws) == "postgresql://other@host/db"


def test_password_is_never_shown():
    assert db.redact("postgresql://u:geheim@h:5432/d") == "postgresql://u:***@h:5432/d"


def _fails_cleanly(cli, ws, url: str, *words: str) -> str:
    code, out, err = cli("register", "take", "-k", "000.7.5", "-p", "x", cwd=ws.root,
                         env={db.ENV: url})
    assert code != 0 and out == ""
    assert "database.url" in err and "Traceback" not in err
    for w in words:
        assert w in err, err
    assert not ws.register_db.exists()  # nothing written, no SQLite fallback
    return err


def test_unreachable_server(cli, ws):
    _fails_cleanly(cli, ws, "postgresql://docgen@127.0.0.1:1/docgen", "cannot connect",
                   "start the database server")


def test_not_a_postgresql_url(cli, ws):
    _fails_cleanly(cli, ws, "mysql://docgen@host/docgen", "not a PostgreSQL url")


def test_wrong_password(cli, ws, pg_session):
    url = pg_session.base_url().replace(pg_session.password, "salah")
    err = _fails_cleanly(cli, ws, url, "password")
    assert "salah" not in err


def _new_schema_with(pg_session, name: str, sql: str) -> str:
    url = pg_session.url(name)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(sql)
    return url


def test_database_of_another_program(cli, ws, pg_session):
    url = _new_schema_with(pg_session, "lain", "CREATE TABLE wp_posts (id int)")
    _fails_cleanly(cli, ws, url, "belongs to another program", "wp_posts")
    with psycopg.connect(url) as con:  # nothing created beside the other program's table
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='lain'")}
    assert tables == {"wp_posts"}


def test_schema_newer_than_this_docgen(cli, ws, pg_session):
    url = _new_schema_with(pg_session, "baru", "CREATE TABLE docgen_schema (component TEXT PRIMARY KEY, "
                           "version INTEGER NOT NULL); INSERT INTO docgen_schema VALUES ('register', 99)")
    _fails_cleanly(cli, ws, url, "newer than this docgen", "upgrade docgen")
