"""The tamper suite: every edit an adversary can make to the archive is seen by
`docgen archive verify` (or `verify --deep`), and an untouched archive reports intact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from test_other_pdfs import tsa_url, vendor  # noqa: F401  (pytest fixtures)

from docgen.archive.catalog import CATALOG_NAME, HEAD_FILE, entry_hash_v2, index_terms
from docgen.archive.samples import letter_text, write_pdf
from docgen.sign import Pkcs12Signer, sign_pdf
from docgen.sign.demo_keys import make_demo_pki
from docgen.workspace import load

SEAL_ENV = "DOCGEN_TEST_SEGEL_PASS"


@pytest.fixture
def arsip(ws, tmp_path, cli, monkeypatch):
    """A sealed archive of three entries: a signed letter linked to the register, two plain."""
    from docgen.register import Register

    pj = ws.pejabat("kepala")
    ca, p12, pw = make_demo_pki(ws.root / "kunci", pj, name="kepala")
    seal_dir = ws.root / "kunci-arsip"
    seal_ca, _seal_p12, seal_pw = make_demo_pki(seal_dir, pj, name="arsip")
    monkeypatch.setenv(SEAL_ENV, seal_pw)
    cfg = ws.config_file.read_text(encoding="utf-8")
    cfg = cfg.replace("trust_roots = []", 'trust_roots = ["kunci/demo-ca.pem", "kunci-arsip/demo-ca.pem"]', 1)
    cfg = cfg.replace('segel_p12 = ""', 'segel_p12 = "kunci-arsip/arsip.p12"', 1)
    cfg = cfg.replace('segel_passphrase_env = "DOCGEN_ARSIP_SEGEL_PASSPHRASE"', f'segel_passphrase_env = "{SEAL_ENV}"')
    ws.config_file.write_text(cfg, encoding="utf-8")
    ws = load(ws.root)
    reg = Register.for_workspace(ws)
    entry = reg.take(klasifikasi="000.5.3.1", perihal="Penyampaian laporan kinerja", doc_id="doc-1")
    reg.close()
    unsigned = write_pdf(tmp_path / "u.pdf", [letter_text(entry.nomor, "Laporan kinerja", "isi laporan")
                                              + "\n" + pj.nama],
                         {"DocgenId": "doc-1", "DocgenNomor": entry.nomor, "DocgenKind": "surat-pengantar"})
    signed = sign_pdf(unsigned, ws.inbox_dir / "ttd.pdf", Pkcs12Signer(p12, pw), pejabat=pj, doc_id="doc-1",
                      footer=ws.config.tte.footer)
    for i in (2, 3):
        write_pdf(ws.inbox_dir / f"s{i}.pdf", [letter_text(f"000.5.3.1/{i}/Diskominfo/2026", f"Undangan rapat {i}",
                                                           f"Dengan hormat, kami mengundang bidang {i}.")])
    code, out, err = cli("-W", str(ws.root), "archive", "ingest", str(signed), str(ws.inbox_dir / "s2.pdf"),
                         str(ws.inbox_dir / "s3.pdf"))
    assert code == 0, out + err
    return ws


def run_verify(cli, ws, *extra: str) -> tuple[int, str]:
    code, out, err = cli("-W", str(ws.root), "archive", "verify", *extra)
    assert "Traceback" not in err, err
    return code, " ".join((out + err).split())  # unwrapped


def sql(ws, *statements: tuple) -> None:
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    for st in statements:
        con.execute(*st) if isinstance(st, tuple) else con.execute(st)
    con.commit()
    con.close()


def row(ws, entry_id: int) -> dict:
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.row_factory = sqlite3.Row
    r = dict(con.execute("SELECT * FROM entries WHERE id=?", (entry_id,)).fetchone())
    con.close()
    return r


def test_untouched_archive_is_intact_quick_full_and_deep(arsip, cli):
    for extra in ((), ("--quick",), ("--deep",)):
        code, out = run_verify(cli, arsip, *extra)
        assert code == 0, out
        assert "archive intact: 3 entries" in out and "search index matches" in out
        assert "problem" not in out
    assert "signatures validated again" in run_verify(cli, arsip, "--deep")[1]
    assert (arsip.archive_dir / (HEAD_FILE + ".p7s")).is_file()


def _changed(col: str, value):
    """Another value of the column's kind, that a forger would write."""
    if col in ("signatures",):
        sigs = json.loads(value)
        sigs[0]["trusted"] = not sigs[0]["trusted"]
        return json.dumps(sigs)
    if col == "info":
        d = json.loads(value)
        d["Title"] = "Palsu"
        return json.dumps(d)
    if col == "register":
        d = json.loads(value)
        d["perihal"] = "Perihal palsu"
        return json.dumps(d)
    if isinstance(value, int):
        return 1 - value if value in (0, 1) else value + 100
    if value is None:
        return 1
    return value + "-x" if col != "state" else "filing"


COLUMNS = ["archive_no", "year", "seq", "sha256", "path", "state", "claimed", "original_name", "size",
           "pages", "title", "subject", "doc_id", "letter_no", "letter_no_norm", "kind", "classification",
           "doc_date", "filed_at", "signed", "sig_valid", "sig_trusted", "signer", "signing_time",
           "signatures", "info", "register", "prev_hash", "entry_hash", "original_path", "original_sha256"]


def test_every_column_is_in_the_list():
    from docgen.archive.catalog import SCHEMA

    con = sqlite3.connect(":memory:")
    con.executescript(SCHEMA)
    cols = [r[1] for r in con.execute("PRAGMA table_info(entries)")]
    assert sorted(cols) == sorted(["id", *COLUMNS])
    from docgen.archive.catalog import CHAINED_V2, UNCHAINED

    assert sorted(cols) == sorted([*CHAINED_V2, *UNCHAINED])


@pytest.mark.parametrize("col", COLUMNS)
def test_each_catalog_column_edited_is_detected_naming_entry_and_field(arsip, cli, col):
    old = row(arsip, 1)[col]
    sql(arsip, (f"UPDATE entries SET {col}=? WHERE id=1", (_changed(col, old),)))
    code, out = run_verify(cli, arsip)
    assert code == 1, out
    assert "entry 1 (" in out
    if col in ("state",):
        assert "pending" in out
    elif col in ("prev_hash", "entry_hash"):
        assert "chain" in out
    elif col == "path":
        assert "file missing" in out and "without an index row" in out
    elif col == "original_name":  # part of the searchable text
        assert "text: the catalog says" in out and "ttd.pdf-x" in out
    elif col == "register":  # the title comes from the register link
        assert "title: the catalog says 'Penyampaian laporan kinerja', the PDF gives 'Perihal palsu'" in out
    elif col == "signatures":
        assert "signatures[1].trusted: the catalog says False, the PDF gives True" in out
    elif col == "original_path":
        assert "original scan missing" in out
    elif col in ("archive_no", "year", "seq", "filed_at", "claimed", "original_sha256"):
        assert "a field no PDF can confirm was changed" in out
    else:
        assert f"{col}: the catalog says" in out, out


def test_signature_fields_are_named(arsip, cli):
    sql(arsip, "UPDATE entries SET sig_trusted=0, signing_time='2020-01-01T00:00:00+07:00' WHERE id=1")
    code, out = run_verify(cli, arsip)
    assert code == 1
    assert "edited entry 1 (" in out and "sig_trusted: the catalog says 0, the PDF gives 1" in out
    assert "signing_time: the catalog says '2020-01-01T00:00:00+07:00'" in out


def test_entry_id_changed(arsip, cli):
    sql(arsip, "UPDATE entries SET id=9 WHERE id=3")
    code, out = run_verify(cli, arsip)
    assert code == 1 and "entry 9 (" in out and "search-index row 3" in out


def test_stored_text_edited_is_detected_and_reindex_takes_the_pdf(arsip, cli):
    from docgen import archive

    sql(arsip, "UPDATE texts SET body=replace(body, 'mengundang', 'memecat') WHERE id=2")
    code, out = run_verify(cli, arsip)
    assert code == 1 and "text entry 2 (" in out and "text: the catalog says" in out and "memecat" in out
    code, out2, _ = cli("-W", str(arsip.root), "archive", "reindex")
    assert code == 0 and "reindexed 3 entries" in out2
    assert "entry 2" in out2 and "stored text differs from its PDF" in " ".join(out2.split())
    assert archive.search(arsip, "memecat") == []  # the forged word is not searchable
    assert [h.id for h in archive.search(arsip, "mengundang")] == [3, 2] or \
        {h.id for h in archive.search(arsip, "mengundang")} == {2, 3}


def test_stored_text_deleted(arsip, cli):
    sql(arsip, "DELETE FROM texts WHERE id=3")
    code, out = run_verify(cli, arsip)
    assert code == 1 and "entry 3 (" in out and "stored text is gone" in out


def _terms(ws, entry_id: int) -> tuple[str, str]:
    r = row(ws, entry_id)
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    body = con.execute("SELECT body FROM texts WHERE id=?", (entry_id,)).fetchone()[0]
    con.close()
    return index_terms(r["title"], r["letter_no"], body)


@pytest.mark.parametrize("table", ["fts", "fts_words"])
def test_search_index_row_deleted(arsip, cli, table):
    stems, words = _terms(arsip, 2)
    col, terms = ("stems", stems) if table == "fts" else ("words", words)
    sql(arsip, (f"INSERT INTO {table}({table}, rowid, {col}) VALUES('delete', 2, ?)", (terms,)))
    code, out = run_verify(cli, arsip)
    assert code == 1 and "index entry 2 (" in out and "search-index row missing" in out


@pytest.mark.parametrize("table", ["fts", "fts_words"])
def test_search_index_row_added(arsip, cli, table):
    col = "stems" if table == "fts" else "words"
    sql(arsip, (f"INSERT INTO {table}(rowid, {col}) VALUES (77, 'dokumen palsu')",))
    code, out = run_verify(cli, arsip)
    assert code == 1 and "search-index row 77" in out and "belongs to no entry" in out


def test_search_index_row_altered(arsip, cli):
    stems, _ = _terms(arsip, 3)
    sql(arsip, ("INSERT INTO fts(fts, rowid, stems) VALUES('delete', 3, ?)", (stems,)),
        ("INSERT INTO fts(rowid, stems) VALUES (3, ?)", (stems.replace("undang", "pecat"),)))
    code, out = run_verify(cli, arsip)
    assert code == 1 and "index entry 3 (" in out and "does not match its text" in out


def test_index_moved_between_entries_same_words(arsip, cli):
    """Swap two entries' index rows: each word's totals stay, the entries' do not."""
    s2, _ = _terms(arsip, 2)
    s3, _ = _terms(arsip, 3)
    sql(arsip, ("INSERT INTO fts(fts, rowid, stems) VALUES('delete', 2, ?)", (s2,)),
        ("INSERT INTO fts(fts, rowid, stems) VALUES('delete', 3, ?)", (s3,)),
        ("INSERT INTO fts(rowid, stems) VALUES (2, ?)", (s3,)),
        ("INSERT INTO fts(rowid, stems) VALUES (3, ?)", (s2,)))
    code, out = run_verify(cli, arsip)
    assert code == 1 and "index entry 2 (" in out and "index entry 3 (" in out


def test_chain_head_in_catalog_and_head_file(arsip, cli):
    sql(arsip, "UPDATE meta SET value='" + "0" * 64 + "' WHERE key='chain_head'")
    code, out = run_verify(cli, arsip)
    assert code == 1 and "chain head does not match" in out
    sql(arsip, "UPDATE meta SET value=(SELECT entry_hash FROM entries WHERE id=3) WHERE key='chain_head'")
    assert run_verify(cli, arsip)[0] == 0
    head = arsip.archive_dir / HEAD_FILE
    head.write_text("3 " + "1" * 64 + "\n", encoding="ascii")
    code, out = run_verify(cli, arsip)
    assert code == 1 and "entry 3 recorded as filed is gone or changed" in out


def test_signed_head_removed_or_broken(arsip, cli):
    p7s = arsip.archive_dir / (HEAD_FILE + ".p7s")
    data = bytearray(p7s.read_bytes())
    i = bytes(data).index(b"3 ") + 2  # the first hex digit of the signed head line
    data[i] = ord("0") if data[i] != ord("0") else ord("1")
    p7s.write_bytes(bytes(data))
    code, out = run_verify(cli, arsip)
    assert code == 1 and "head" in out and ("broken" in out or "cannot be read" in out)
    p7s.unlink()
    code, out = run_verify(cli, arsip)
    assert code == 1 and "the chain head is not signed although [arsip] segel_p12 is set" in out


def rewrite_chain(ws) -> None:
    """What a forger with write access does: edit, then recompute every hash and the head."""
    con = sqlite3.connect(ws.archive_dir / CATALOG_NAME)
    con.row_factory = sqlite3.Row
    con.execute("UPDATE entries SET sig_trusted=0, title='Laporan palsu' WHERE id=1")
    prev = "0" * 64
    for r in con.execute("SELECT * FROM entries ORDER BY id").fetchall():
        body = con.execute("SELECT body FROM texts WHERE id=?", (r["id"],)).fetchone()[0]
        d = dict(r)
        d["prev_hash"] = prev
        h = entry_hash_v2(prev, d, body)
        con.execute("UPDATE entries SET prev_hash=?, entry_hash=? WHERE id=?", (prev, h, r["id"]))
        prev = h
    con.execute("UPDATE meta SET value=? WHERE key='chain_head'", (prev,))
    con.commit()
    con.close()
    (ws.archive_dir / HEAD_FILE).write_text(f"3 {prev}\n", encoding="ascii")


def test_whole_rewritten_chain_is_detected_by_the_signed_head(arsip, cli):
    rewrite_chain(arsip)
    code, out = run_verify(cli, arsip)
    assert code == 1
    assert "head" in out and "is not in this chain: the catalog was rewritten" in out


def test_old_entries_outside_chain_2_are_checked_by_deep(arsip, cli):
    """An archive filed before chain 2: its entries' hashes cover fewer fields; --deep
    compares the rest with the PDF."""
    from docgen.archive.catalog import entry_hash

    con = sqlite3.connect(arsip.archive_dir / CATALOG_NAME)
    con.row_factory = sqlite3.Row
    prev = "0" * 64
    for r in con.execute("SELECT * FROM entries ORDER BY id").fetchall():
        d = dict(r)
        d["prev_hash"] = prev
        h = entry_hash(prev, d)
        con.execute("UPDATE entries SET prev_hash=?, entry_hash=? WHERE id=?", (prev, h, r["id"]))
        prev = h
    con.execute("UPDATE meta SET value=? WHERE key='chain_head'", (prev,))
    con.execute("UPDATE meta SET value='100' WHERE key='chain_v2_from'")
    con.commit()
    con.close()
    (arsip.archive_dir / HEAD_FILE).write_text(f"3 {prev}\n", encoding="ascii")
    (arsip.archive_dir / (HEAD_FILE + ".p7s")).unlink()  # sealed again below, as a writer would
    from docgen.archive import Archive

    with Archive.open(arsip) as arc:
        arc.catalog.write_head_file()
    code, out = run_verify(cli, arsip)
    assert code == 0 and "filed before chain 2" in out
    sql(arsip, "UPDATE entries SET sig_trusted=0 WHERE id=1")
    assert run_verify(cli, arsip)[0] == 0  # outside chain 1: only --deep can see it
    code, out = run_verify(cli, arsip, "--deep")
    assert code == 1 and "entry 1 (" in out and "sig_trusted: the catalog says 0" in out


def test_deep_validates_signatures_again(arsip, cli):
    cfg = arsip.config_file.read_text(encoding="utf-8")
    arsip.config_file.write_text(cfg.replace('"kunci/demo-ca.pem", ', ""), encoding="utf-8")
    assert run_verify(cli, arsip)[0] == 0  # the catalog is as filed
    code, out = run_verify(cli, arsip, "--deep")
    assert code == 1 and "signature entry 1 (" in out
    assert "signatures[1].trusted: the catalog says True, validated again: False" in out


def test_file_changed_names_sha256_when_the_column_was_forged_too(arsip, cli):
    r = row(arsip, 2)
    f: Path = arsip.archive_dir / r["path"]
    f.write_bytes(f.read_bytes() + b"\n% tail\n")
    code, out = run_verify(cli, arsip)
    assert code == 1 and "changed entry 2 (" in out


# --- the seal as an auditor checks it, with public tools ----------------------------------
def test_auditor_checks_the_signed_head_with_openssl_and_sqlite(arsip):
    import shutil
    import subprocess

    openssl = shutil.which("openssl")
    assert openssl, "openssl is part of the auditor's tools"
    a = arsip.archive_dir
    res = subprocess.run([openssl, "cms", "-verify", "-inform", "DER", "-in", str(a / (HEAD_FILE + ".p7s")),
                          "-CAfile", str(arsip.root / "kunci-arsip" / "demo-ca.pem"), "-purpose", "any"],
                         capture_output=True, text=True)
    assert res.returncode == 0 and "Verification successful" in res.stderr, res.stderr
    n, head = res.stdout.split()
    con = sqlite3.connect(a / CATALOG_NAME)
    assert con.execute("SELECT entry_hash FROM entries WHERE id=?", (int(n),)).fetchone()[0] == head
    lines = "".join(f"{h}  {p}\n" for h, p in con.execute("SELECT sha256, path FROM entries"))
    con.close()
    res = subprocess.run(["sha256sum", "-c"], input=lines, capture_output=True, text=True, cwd=a)
    assert res.returncode == 0 and res.stdout.count(": OK") == 3


def test_seal_key_without_passphrase_fails_before_filing(arsip, cli, monkeypatch, tmp_path):
    monkeypatch.delenv(SEAL_ENV)
    f = write_pdf(arsip.inbox_dir / "baru.pdf", [letter_text("000.5.3.1/9/Diskominfo/2026", "Baru", "isi")])
    code, _out, err = cli("-W", str(arsip.root), "archive", "ingest", str(f))
    assert code == 1 and "arsip.segel_passphrase_env" in err and SEAL_ENV in err
    assert f.exists()  # nothing filed, nothing lost


@pytest.fixture
def stamped(ws, cli, tsa_url, vendor, tmp_path):  # noqa: F811
    """An archive sealed by an RFC 3161 timestamp only ([tte] tsa_url; no archive key)."""
    ca = next(iter(vendor.signer.cert_registry))
    (ws.root / "tsa-ca.der").write_bytes(ca.dump())
    cfg = ws.config_file.read_text(encoding="utf-8")
    cfg = cfg.replace("trust_roots = []", 'trust_roots = ["tsa-ca.der"]', 1)
    cfg = cfg.replace('tsa_url = ""', f'tsa_url = "{tsa_url}"\ntsa_timeout = 3', 1)
    ws.config_file.write_text(cfg, encoding="utf-8")
    for i in (1, 2, 3):
        write_pdf(ws.inbox_dir / f"s{i}.pdf", [letter_text(f"000.5.3.1/{i}/Diskominfo/2026", f"Surat {i}", "isi")])
    code, out, err = cli("-W", str(ws.root), "archive", "ingest", str(ws.inbox_dir))
    assert code == 0, out + err
    return load(ws.root)


def test_timestamped_head_detects_a_rewritten_chain(stamped, cli):
    import shutil
    import subprocess

    a = stamped.archive_dir
    assert (a / (HEAD_FILE + ".tst")).is_file() and (a / (HEAD_FILE + ".stempel")).is_file()
    code, out = run_verify(cli, stamped)
    assert code == 0, out
    res = subprocess.run([shutil.which("openssl"), "ts", "-verify", "-data", str(a / (HEAD_FILE + ".stempel")),
                          "-in", str(a / (HEAD_FILE + ".tst")), "-token_in", "-CAfile",
                          str(_pem(stamped.root / "tsa-ca.der"))], capture_output=True, text=True)
    assert res.returncode == 0 and "Verification: OK" in res.stdout, res.stdout + res.stderr
    rewrite_chain(stamped)
    code, out = run_verify(cli, stamped)
    assert code == 1 and "timestamped chain head (entry 3" in out and "catalog was rewritten" in out


def _pem(der: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = der.with_suffix(".pem")
    pem.write_bytes(x509.load_der_x509_certificate(der.read_bytes()).public_bytes(Encoding.PEM))
    return pem
