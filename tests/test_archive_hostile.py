"""A hostile inbox, through the real pipeline and the real watcher (watchdog on temp folders).

Whoever can write to the inbox must not be able to file anything from outside it, file a
damaged copy as a valid document, leave a file there forever unreported, or take the machine
down with a bomb.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest
from test_sign_cli import ENV, letter, signing_ws  # noqa: F401  (pytest fixtures)

from docgen import archive
from docgen.archive import stages
from docgen.archive.pipeline import PROCESSING, Archive
from docgen.archive.samples import letter_text, write_pdf
from docgen.archive.watcher import Watcher

posix_only = pytest.mark.skipif(os.name == "nt", reason="symlinks, FIFOs and hard links as POSIX makes them")


def good(path: Path, n: int = 1) -> Path:
    return write_pdf(path, [letter_text(f"000.5.3.1/{n}/Diskominfo/2026", f"Surat nomor {n}",
                                        "Dengan hormat.", "22 November 2026")])


def reason_of(ws, name: str) -> str:
    return (ws.quarantine_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")


def filed_bytes(ws) -> set[bytes]:
    with Archive.open(ws, recover=False) as arc:
        return {(arc.archive_dir / r["path"]).read_bytes() for r in arc.catalog.entries()}


# --- links and special files -----------------------------------------------------------------
@posix_only
def test_links_fifos_and_hard_links_are_quarantined_never_followed(ws, tmp_path):
    outside = good(tmp_path / "rahasia.pdf", 1)
    outside.chmod(0o600)
    secret = outside.read_bytes()
    inbox = ws.inbox_dir
    (inbox / "tautan.pdf").symlink_to(outside)                      # link out
    (inbox / "putus.pdf").symlink_to(tmp_path / "tidak-ada.pdf")      # dangling
    os.link(outside, inbox / "keras.pdf")                             # hard link to outside
    os.mkfifo(inbox / "pipa.pdf")                                     # would block a reader
    (tmp_path / "luar").mkdir()
    good(tmp_path / "luar" / "x.pdf", 2)
    (inbox / "folder-tautan").symlink_to(tmp_path / "luar", target_is_directory=True)
    inside = good(inbox / "asli.pdf", 3)
    (inbox / "Sub").mkdir()
    (inbox / "Sub" / "ke-dalam.pdf").symlink_to(inside)               # link in (to an inbox file)

    results = archive.ingest(ws, [inbox])
    by_name = {r.name: r for r in results}
    assert by_name["asli.pdf"].status == "filed"
    for name in ("tautan.pdf", "putus.pdf", "keras.pdf", "pipa.pdf", "folder-tautan", "Sub/ke-dalam.pdf"):
        r = by_name[name]
        assert r.status == "quarantined" and stages.SPECIAL in r.reason, r.line()
        assert stages.SPECIAL in reason_of(ws, name)
    assert secret not in filed_bytes(ws)  # 0 files from outside filed
    assert len(filed_bytes(ws)) == 1
    assert outside.read_bytes() == secret and (outside.stat().st_mode & 0o777) == 0o600
    assert (ws.quarantine_dir / "tautan.pdf").is_symlink()  # the link moved, not its target copied
    assert [p for p in inbox.rglob("*") if PROCESSING not in p.parts and not p.is_dir()] == []
    # the archive's own mode, not the source's
    [entry] = Archive.open(ws, recover=False).catalog.entries()
    mode = (ws.archive_dir / entry["path"]).stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


@posix_only
def test_ingest_keep_refuses_a_link_in_place(ws, tmp_path):
    outside = good(tmp_path / "a.pdf")
    link = tmp_path / "tautan.pdf"
    link.symlink_to(outside)
    [r] = archive.ingest(ws, [link], keep=True)
    assert r.status == "failed" and stages.SPECIAL in r.reason
    assert link.is_symlink() and filed_bytes(ws) == set()


# --- names --------------------------------------------------------------------------------------
def test_every_name_leaves_the_inbox(ws):
    inbox = ws.inbox_dir
    names = ["...pdf", "..%2F..%2Fevil.pdf", ".tersembunyi.pdf", "a" * 236 + ".pdf",
             "é" * 125 + ".pdf", "baris\nbaru.pdf"]
    if os.name != "nt":
        names.append(os.fsdecode(b"bukan-utf8-\xff\xfe.pdf"))
    for i, n in enumerate(names, 1):
        good(inbox / n, i)
    (inbox / ".folder").mkdir()
    good(inbox / ".folder" / "di-folder-titik.pdf", 50)
    long_dir = inbox / ("d" * 250)
    long_dir.mkdir()
    good(long_dir / ("f" * 240 + ".pdf"), 51)
    results = archive.ingest(ws, [inbox])
    assert all(r.status == "filed" for r in results), [r.line() for r in results]
    assert len(results) == len(names) + 2
    left = [p for p in inbox.rglob("*") if PROCESSING not in p.parts and p.is_file()]
    assert left == []
    with Archive.open(ws, recover=False) as arc:
        shown = [r["original_name"] for r in arc.catalog.entries()]
    assert all(len(part.encode()) <= 255 for s in shown for part in s.split("/"))
    assert "...pdf" in shown and ".folder/di-folder-titik.pdf" in shown
    assert not any("\n" in s for s in shown)


def test_a_240_char_name_that_is_refused_gets_a_true_reason(ws):
    name = "x" * 240 + ".pdf"
    (ws.inbox_dir / name).write_bytes(b"not a pdf at all")
    [r] = archive.ingest(ws, [ws.inbox_dir])
    assert r.status == "quarantined" and r.stage == "check" and "not a PDF" in r.reason, r.line()
    [q] = [p for p in ws.quarantine_dir.iterdir() if p.name.endswith(".alasan.txt")]
    assert len(q.name.encode()) <= 255 and "not a PDF" in q.read_text(encoding="utf-8")


def test_status_lists_what_waits_in_the_inbox_past_the_quiet_period(ws):
    inbox = ws.inbox_dir
    (inbox / "~$draft.docx").write_bytes(b"lock")
    (inbox / ".Trash-1000").mkdir()
    (inbox / ".Trash-1000" / "buang.pdf").write_bytes(b"%PDF-1.4")
    fresh = good(inbox / "baru.pdf")
    old = time.time() - 3600
    for p in (inbox / "~$draft.docx", inbox / ".Trash-1000" / "buang.pdf"):
        os.utime(p, (old, old))
    st = archive.status(ws)
    waiting = {w.name: w for w in st.waiting}
    assert set(waiting) == {"~$draft.docx", ".Trash-1000/buang.pdf"}  # the fresh file is not late
    assert "temporary or system" in waiting["~$draft.docx"].why
    assert "trash" in waiting[".Trash-1000/buang.pdf"].why
    assert fresh.exists()


# --- damaged ------------------------------------------------------------------------------------
def test_a_signed_file_cut_at_ten_points_is_never_filed(cli, signing_ws, letter):  # noqa: F811
    ws, pw = signing_ws
    code, _o, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    data = letter.with_name("laporan-ttd.pdf").read_bytes()
    cuts = [int(len(data) * f) for f in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)] + [len(data) - 4]
    for i, cut in enumerate(cuts):
        (ws.inbox_dir / f"potong-{i}.pdf").write_bytes(data[:cut])
    results = archive.ingest(ws, [ws.inbox_dir])
    assert len(results) == 10
    for r in results:  # 0 truncated filed
        assert r.status == "quarantined" and "rusak/terpotong" in r.reason, r.line()
    code, out, _err = cli("verify", *(str(r.path) for r in results), cwd=ws.root)
    assert code == 13 and out.count("DAMAGED (rusak/terpotong)") == 10, out


def test_broken_xref_is_damaged_not_repaired(ws, tmp_path):
    data = good(tmp_path / "a.pdf").read_bytes()
    import re

    i = data.rindex(b"\nxref")
    # every object offset one byte late: a reader would "repair" it by guessing
    bad = data[:i] + re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 1), data[i:])
    (ws.inbox_dir / "xref.pdf").write_bytes(bad)
    [r] = archive.ingest(ws, [ws.inbox_dir])
    assert r.status == "quarantined" and "rusak/terpotong" in r.reason and "cross-reference" in r.reason, r.line()


# --- under the watcher ----------------------------------------------------------------------------
def _watch(ws, until, timeout: float = 60.0) -> list:
    ws.config.arsip.tenang_detik = 0.2
    with Archive.open(ws, recover=False) as arc:
        arc.lock()
        w = Watcher(arc, polling=False)
        t = threading.Thread(target=w.run, daemon=True)
        t.start()
        try:
            end = time.monotonic() + timeout
            while time.monotonic() < end and not until(w.results):
                time.sleep(0.1)
        finally:
            w.stop()
            t.join(30)
        return w.results


@posix_only
def test_the_watcher_quarantines_links_and_fifos_and_files_dot_names(ws, tmp_path):
    outside = good(tmp_path / "luar.pdf", 1)
    inbox = ws.inbox_dir

    def drop() -> None:
        time.sleep(0.5)
        (inbox / "tautan.pdf").symlink_to(outside)
        (inbox / "putus.pdf").symlink_to(tmp_path / "tidak-ada.pdf")
        os.mkfifo(inbox / "pipa.pdf")
        os.link(outside, inbox / "keras.pdf")
        good(inbox / "...pdf", 2)
        (inbox / ".titik").mkdir()
        good(inbox / ".titik" / "dalam.pdf", 3)

    threading.Thread(target=drop, daemon=True).start()
    results = _watch(ws, lambda rs: len(rs) >= 6)
    by = {r.name: r for r in results}
    assert {n for n, r in by.items() if r.status == "filed"} == {"...pdf", ".titik/dalam.pdf"}, [r.line() for r in results]
    for n in ("tautan.pdf", "putus.pdf", "pipa.pdf", "keras.pdf"):
        assert by[n].status == "quarantined" and stages.SPECIAL in by[n].reason
    assert outside.read_bytes() not in filed_bytes(ws)


def test_burst_of_200_files_ten_percent_bad_under_the_watcher(ws):
    """Each good file filed once, each bad one quarantined with its reason."""
    inbox = ws.inbox_dir
    bad_kinds = {0: (b"%PDF-1.4\n1 0 obj", "rusak/terpotong"), 1: (b"PK\x03\x04 docx", "not a PDF"),
                 2: (b"", "empty")}
    expected: dict[str, str] = {}

    def drop() -> None:
        time.sleep(0.5)
        for i in range(200):
            name = f"b{i:03d}.pdf"
            if i % 10 == 9:
                content, why = bad_kinds[(i // 10) % 3]
                tmp = inbox / (name + ".part")
                tmp.write_bytes(content)
                os.replace(tmp, inbox / name)
                expected[name] = why
            else:
                good(inbox / (name + ".part"), i + 1).rename(inbox / name)
                expected[name] = "filed"

    threading.Thread(target=drop, daemon=True).start()
    t0 = time.monotonic()
    stamps: list[float] = []
    results = _watch(ws, lambda rs: (stamps.append(time.monotonic() - t0) if len(rs) > len(stamps) else None)
                     or len(rs) >= 200, timeout=120)
    print(f"burst: {len(results)} results, first at {stamps[0]:.1f}s, last at {stamps[-1]:.1f}s")
    names = [r.name for r in results]
    assert len(names) == len(set(names)) == 200, len(names)
    for r in results:
        want = expected[r.name]
        if want == "filed":
            assert r.status == "filed", r.line()
        else:
            assert r.status == "quarantined" and want in r.reason, r.line()
            assert want in reason_of(ws, r.name)
    with Archive.open(ws, recover=False) as arc:
        assert len(arc.catalog.entries()) == 180


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_die_with_their_parent(tmp_path):
    import subprocess

    code = (
        "import os, sys, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from docgen.archive.pipeline import worker_init\n"
        "pool = ProcessPoolExecutor(2, initializer=worker_init)\n"
        "pids = [f.pid for f in pool._processes.values()] if pool.submit(int).result() == 0 else []\n"
        "print(' '.join(str(p) for p in pool._processes), flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert pids
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() and
                                              "Z" not in _state(p) for p in pids):
        time.sleep(0.1)
    assert not [p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


# --- after a crash, recovery is said ---------------------------------------------------------------
def test_ingest_says_what_recovery_did(ws, cli):
    proc = ws.inbox_dir / PROCESSING
    proc.mkdir(parents=True, exist_ok=True)
    for i in range(5):  # what a SIGKILLed run left claimed
        (proc / f"{i:012x}__rusak{i}.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    good(proc / f"{99:012x}__baik.pdf", 7)
    code, out, err = cli("archive", "ingest", str(ws.inbox_dir), cwd=ws.root)
    assert "Traceback" not in out + err
    assert "pemulihan: 1 berkas diarsipkan (selesai), 5 berkas dipindah ke karantina" in out, out
    assert "nothing to file" not in out
    assert code == 1  # quarantined files: as for any refused file


def test_archive_status_cli(ws, cli):
    (ws.inbox_dir / "Thumbs.db").write_bytes(b"x")
    old = time.time() - 600
    os.utime(ws.inbox_dir / "Thumbs.db", (old, old))
    code, out, _ = cli("archive", "status", cwd=ws.root)
    assert code == 1 and "waiting     Thumbs.db  (10 min" in out and "temporary or system" in out, out
    (ws.inbox_dir / "Thumbs.db").unlink()
    code, out, _ = cli("archive", "status", cwd=ws.root)
    assert code == 0 and "0 waiting" in out


# --- active content ---------------------------------------------------------------------------------
def _with_javascript(src: Path, dst: Path) -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    w = PdfWriter(clone_from=str(src))
    w._root_object[NameObject("/OpenAction")] = w._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('halo');")}))
    w.add_attachment("lampiran.exe", b"MZ...")
    w.write(dst)
    return dst


def test_active_content_is_reported_when_filing_and_refused_by_setting(ws, tmp_path):
    js = _with_javascript(good(tmp_path / "a.pdf", 1), ws.inbox_dir / "skrip.pdf")
    [r] = archive.ingest(ws, [js])
    assert r.status == "filed" and "active content: JavaScript, embedded files" in r.line(), r.line()
    ws.config.arsip.tolak_konten_aktif = True
    js2 = _with_javascript(good(tmp_path / "b.pdf", 2), ws.inbox_dir / "skrip2.pdf")
    [r] = archive.ingest(ws, [js2])
    assert r.status == "quarantined" and "tolak_konten_aktif" in r.reason, r.line()


def test_active_content_is_reported_when_signing(cli, signing_ws, letter):  # noqa: F811
    ws, pw = signing_ws
    js = _with_javascript(letter, letter.with_name("skrip.pdf"))
    code, _out, err = cli("sign", str(js), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0 and "warning:" in err and "JavaScript" in err, err
    toml = ws.root / "docgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[tte]", "[tte]\ntolak_konten_aktif = true", 1),
                    encoding="utf-8")
    code, _out, err = cli("sign", str(js), "--signer", "kepala", "-o", str(ws.root / "x.pdf"),
                          cwd=ws.root, env={ENV: pw})
    assert code == 1 and "skrip.pdf" in err and "tte.tolak_konten_aktif" in err, err
