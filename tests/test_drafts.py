"""Drafts (KONSEP), a letter keeping its nomor through corrections, --nomor-baru, warnings
before numbering, durable register, `register mulai`."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docgen import make, workspace
from docgen.errors import InputError, NeedsConfirmation
from docgen.register import Register

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_letters import docx_paragraphs  # noqa: E402


@pytest.fixture
def letter(tmp_path):
    ws = workspace.init(tmp_path / "ws")
    return ws, ws.root / "contoh" / "surat-pengantar.yaml"


def _entries(ws):
    reg = Register.for_workspace(ws)
    try:
        return reg.list()
    finally:
        reg.close()


def _xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml"))


def test_draft_is_watermarked_takes_no_number_and_shows_the_year(letter, soffice):
    ws, data = letter
    r = make.make(ws, "surat-pengantar", data, pdf=True, draft=True)
    assert r.nomor == "…/…/…/2026" and not r.reused
    assert _entries(ws) == []
    paras = docx_paragraphs(r.docx[0])
    assert any("…/…/…/2026" in p for p in paras)
    assert "KONSEP" in _xml(r.docx[0])
    text = PdfReader(r.pdf[0]).pages[0].extract_text()
    assert "KONSEP" in text and "…/…/…/2026" in text
    assert r.docx[0].name.startswith("surat-pengantar-2026-") and r.docx[0].name.endswith("-konsep.docx")
    assert not [p for p in r.docx[0].parent.iterdir() if "tmp" in p.name]


def test_same_file_again_keeps_its_nomor_and_a_new_one_voids_the_old(letter):
    ws, data = letter
    first = make.make(ws, "surat-pengantar", data)
    again = make.make(ws, "surat-pengantar", data)
    assert again.reused and again.nomor == first.nomor and again.docx == first.docx
    assert [e.nomor for e in _entries(ws)] == [first.nomor]
    with pytest.raises(InputError) as exc:
        make.make(ws, "surat-pengantar", data, nomor_baru="  ")
    assert exc.value.field == "alasan"
    fresh = make.make(ws, "surat-pengantar", data, nomor_baru="salah tujuan")
    assert fresh.nomor != first.nomor and not fresh.reused
    by = {e.nomor: e for e in _entries(ws)}
    assert by[first.nomor].batal and by[first.nomor].alasan == "salah tujuan"
    assert not by[fresh.nomor].batal
    assert make.make(ws, "surat-pengantar", data).nomor == fresh.nomor


def test_changed_klasifikasi_is_refused_without_nomor_baru(letter, tmp_path):
    ws, data = letter
    make.make(ws, "surat-pengantar", data)
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    raw["klasifikasi"] = "000.5.3.1"
    data.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        make.make(ws, "surat-pengantar", data)
    assert exc.value.field == "klasifikasi" and "--nomor-baru" in exc.value.fix
    assert len(_entries(ws)) == 1


def test_backdating_is_asked_before_a_number_is_taken(letter, cli):
    ws, data = letter
    make.make(ws, "surat-pengantar", data)
    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    raw["tanggal"] = "2026-01-02"
    older = ws.root / "contoh" / "lama.yaml"
    older.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert make.preflight(ws, "surat-pengantar", older)[0].field == "tanggal"
    with pytest.raises(NeedsConfirmation):
        make.make(ws, "surat-pengantar", older)
    assert len(_entries(ws)) == 1
    code, _, err = cli("make", "surat-pengantar", str(older), cwd=ws.root)
    assert code == 5 and "backwards in time" in err and "Traceback" not in err and len(_entries(ws)) == 1
    code, out, _ = cli("make", "surat-pengantar", str(older), "--yes", cwd=ws.root)
    assert code == 0 and "nomor:" in out and len(_entries(ws)) == 2


def test_register_writes_are_durable(letter):
    ws, data = letter
    make.make(ws, "surat-pengantar", data)
    reg = Register.for_workspace(ws)
    try:
        assert reg.con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        reg.close()
    assert sqlite3.connect(ws.register_db).execute("SELECT count(*) FROM sumber").fetchone()[0] == 1


def test_register_start_continues_from_the_paper_agenda(letter):
    ws, data = letter
    reg = Register.for_workspace(ws)
    try:
        reg.start(2026, 148)
        assert reg.starts(2026) == [(2026, "tahun", "", 148)]
    finally:
        reg.close()
    r = make.make(ws, "surat-pengantar", data)
    assert r.nomor.split("/")[1] == "148"
    reg = Register.for_workspace(ws)
    try:
        with pytest.raises(InputError) as exc:
            reg.start(2026, 100)
        assert "148" in exc.value.message and exc.value.field == "dari"
    finally:
        reg.close()


def test_register_mulai_cli(letter, cli):
    ws, data = letter
    code, out, err = cli("register", "mulai", "--dari", "148", "--tahun", "2026", cwd=ws.root)
    assert code == 0 and "the next number is 148" in out
    code, out, _ = cli("make", "surat-pengantar", str(data), cwd=ws.root)
    assert code == 0 and "nomor: 000.7.5/148/Diskominfo/2026" in out
    code, out, _ = cli("register", "list", "--tahun", "2026", cwd=ws.root)
    assert "continued from the paper agenda at 148" in out and "000.7.5/148/Diskominfo/2026" in out
    code, out, err = cli("register", "mulai", "--dari", "148", "--tahun", "2026", cwd=ws.root)
    assert code == 1 and "already holds number 148" in err and "Traceback" not in err


_KILL_CHILD = """
import sys
from pathlib import Path
from docgen import make, workspace
ws = workspace.load(sys.argv[1])
for i in range(50):
    make.make(ws, "surat-pengantar", Path(sys.argv[1]) / f"sp-{i}.yaml", pdf=sys.argv[2] == "pdf", yes=True)
"""


def test_a_kill_at_any_moment_leaves_no_file_with_a_rolled_back_number(letter, soffice):
    """SIGKILL `make` at random moments (20 runs): every numbered file left under a name a
    clerk sends carries a number the register holds as issued."""
    import os
    import random
    import signal
    import subprocess
    import time

    from docgen.render import read_properties

    ws, data = letter
    for i in range(50):
        (ws.root / f"sp-{i}.yaml").write_bytes(data.read_bytes())
    rng = random.Random(14)
    for run in range(20):
        mode = "pdf" if run % 4 == 0 else "docx"
        p = subprocess.Popen([sys.executable, "-c", _KILL_CHILD, str(ws.root), mode])
        time.sleep(rng.uniform(0.3, 3.0 if mode == "pdf" else 1.5))
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        issued = {e.nomor for e in _entries(ws) if e.status == "terbit"}
        for f in ws.output_dir.glob("surat-pengantar-*"):
            if f.name.startswith("."):
                continue  # a temporary name, never sent
            if f.suffix == ".docx":
                nomor = read_properties(f).get("docgen.nomor", "")
                assert nomor in issued, (run, f.name)
            elif f.suffix == ".pdf":
                nomor = str((PdfReader(f).metadata or {}).get("/DocgenNomor", ""))
                assert nomor in issued, (run, f.name)
    assert len(_entries(ws)) > 0
