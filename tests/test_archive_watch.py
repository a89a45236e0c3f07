"""The watched inbox with a real watchdog observer (native and polling) on a temporary folder."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from docgen import archive
from docgen.archive.pipeline import PROCESSING
from docgen.archive.samples import letter_text, pdf_bytes
from docgen.archive.watcher import is_network_path, mount_fs_type

DEADLINE = 60.0  # generous upper bound for slow CI; not a timing assertion


class Running:
    """The watcher in a background thread, as `docgen archive watch` runs it."""

    def __init__(self, ws, polling: bool | None = None) -> None:
        self.ws = ws
        self.stop = threading.Event()
        self.results: list[archive.Result] = []
        self.started = threading.Event()
        self.error: BaseException | None = None

        def run() -> None:
            try:
                archive.watch(ws, polling=polling, on_result=self.results.append,
                              on_event=lambda m: self.started.set(), stop=self.stop)
            except BaseException as exc:  # surfaced by wait_for
                self.error = exc
                self.started.set()

        self.thread = threading.Thread(target=run, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        assert self.started.wait(DEADLINE)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(DEADLINE)

    def wait_for(self, n: int) -> list[archive.Result]:
        end = time.monotonic() + DEADLINE
        while len(self.results) < n and time.monotonic() < end and self.error is None:
            time.sleep(0.05)
        if self.error:
            raise self.error
        assert len(self.results) >= n, [r.line() for r in self.results]
        return self.results


@pytest.fixture
def fast_ws(ws):
    ws.config.arsip.tenang_detik = 0.3
    return ws


def doc(i: int, words: str = "laporan kegiatan") -> bytes:
    return pdf_bytes([letter_text(f"000.5.3.1/{i}/Diskominfo/2026", f"Surat {i}", words)])


def test_a_burst_of_files_is_filed_once_each(fast_ws):
    ws = fast_ws
    with Running(ws) as w:
        for i in range(25):
            (ws.inbox_dir / f"burst{i:02d}.pdf").write_bytes(doc(i))
        results = w.wait_for(25)
        time.sleep(1.0)  # give stray duplicate events a chance to (wrongly) produce more results
    assert sorted(r.name for r in results) == [f"burst{i:02d}.pdf" for i in range(25)]
    assert {r.status for r in results} == {"filed"}
    assert len({r.archive_no for r in results}) == 25
    assert [p.name for p in ws.inbox_dir.iterdir()] == [PROCESSING]
    assert archive.verify(ws).ok


def test_a_bulk_drop_is_read_by_worker_processes(fast_ws, monkeypatch):
    from docgen.archive import watcher as watcher_mod

    ws = fast_ws
    batches = []
    real = watcher_mod.Watcher._take_many
    monkeypatch.setattr(watcher_mod.Watcher, "_take_many",
                        lambda self, paths: (batches.append(len(paths)), real(self, paths)))
    for i in range(20):  # already there when the watcher starts: one startup scan, one batch
        (ws.inbox_dir / f"bulk{i:02d}.pdf").write_bytes(doc(100 + i))
    (ws.inbox_dir / "bulk-rusak.pdf").write_bytes(b"%PDF-1.4 garbage\n%%EOF\n")
    with Running(ws) as w:
        results = w.wait_for(21)
    assert batches and batches[0] >= watcher_mod.BATCH
    assert sorted(r.status for r in results) == ["filed"] * 20 + ["quarantined"]
    assert archive.verify(ws).ok


def test_a_file_written_slowly_in_chunks_is_taken_only_when_complete(fast_ws):
    ws = fast_ws
    data = doc(1, "kata " * 2000)
    target = ws.inbox_dir / "lambat.pdf"
    with Running(ws) as w:
        with target.open("wb") as fh:
            step = len(data) // 6
            for k in range(0, len(data), step):
                fh.write(data[k:k + step])
                fh.flush()
                os.fsync(fh.fileno())
                time.sleep(0.2)  # slower than nothing, faster than the quiet period
        [r] = w.wait_for(1)
    assert r.status == "filed", r.line()
    assert r.path.read_bytes() == data


def test_a_stalled_half_file_waits_and_is_finished_later(fast_ws):
    """A copy that pauses longer than the quiet period (no trailer yet) is not taken half-done."""
    ws = fast_ws
    data = doc(2, "kata " * 500)
    target = ws.inbox_dir / "jeda.pdf"
    with Running(ws) as w:
        target.write_bytes(data[: len(data) // 2])
        time.sleep(1.2)  # > 2 quiet periods: the Wait stage has looked at it and found no %%EOF
        assert w.results == []
        with target.open("ab") as fh:
            fh.write(data[len(data) // 2:])
        [r] = w.wait_for(1)
    assert r.status == "filed", r.line()
    assert r.path.read_bytes() == data


def test_part_file_renamed_to_pdf_is_followed(fast_ws):
    ws = fast_ws
    with Running(ws) as w:
        part = ws.inbox_dir / "unduhan.pdf.part"
        part.write_bytes(doc(3))
        time.sleep(0.8)  # the .part is ignored meanwhile
        assert w.results == []
        os.replace(part, ws.inbox_dir / "unduhan.pdf")
        [r] = w.wait_for(1)
    assert (r.name, r.status) == ("unduhan.pdf", "filed")


def test_bad_files_and_a_duplicate_are_quarantined_while_watching(fast_ws):
    """The 'done means' scene: good files, broken ones and a duplicate dropped together."""
    ws = fast_ws
    with Running(ws) as w:
        (ws.inbox_dir / "baik.pdf").write_bytes(doc(10))
        (ws.inbox_dir / "baik-lagi.pdf").write_bytes(doc(11))
        (ws.inbox_dir / "rusak.pdf").write_bytes(b"%PDF-1.4\ngarbage that never ends")
        (ws.inbox_dir / "kosong.pdf").write_bytes(b"")
        (ws.inbox_dir / "memo.txt").write_text("bukan PDF", encoding="utf-8")
        w.wait_for(5)
        (ws.inbox_dir / "salinan-baik.pdf").write_bytes(doc(10))
        results = w.wait_for(6)
    by_name = {r.name: r for r in results}
    assert by_name["baik.pdf"].status == by_name["baik-lagi.pdf"].status == "filed"
    for name in ("rusak.pdf", "kosong.pdf", "memo.txt", "salinan-baik.pdf"):
        assert by_name[name].status == "quarantined", by_name[name].line()
        assert (ws.quarantine_dir / name).is_file()
        assert (ws.quarantine_dir / f"{name}.alasan.txt").read_text(encoding="utf-8").startswith(f"File:        {name}")
    assert by_name["salinan-baik.pdf"].stage == "hash"
    assert by_name["baik.pdf"].archive_no in by_name["salinan-baik.pdf"].reason
    assert [h.letter_no for h in archive.search(ws, "000.5.3.1/10/Diskominfo/2026")] == ["000.5.3.1/10/Diskominfo/2026"]
    assert archive.verify(ws).ok


def test_polling_observer_and_startup_scan(fast_ws):
    ws = fast_ws
    (ws.inbox_dir / "sebelum.pdf").write_bytes(doc(20))  # arrived while nobody watched
    with Running(ws, polling=True) as w:
        w.wait_for(1)
        (ws.inbox_dir / "sesudah.pdf").write_bytes(doc(21))
        results = w.wait_for(2)
    assert sorted((r.name, r.status) for r in results) == [("sebelum.pdf", "filed"), ("sesudah.pdf", "filed")]


def test_periodic_rescan_catches_a_missed_event(fast_ws, monkeypatch):
    ws = fast_ws
    ws.config.arsip.rescan_detik = 1
    from docgen.archive import watcher as watcher_mod

    monkeypatch.setattr(watcher_mod._Handler, "on_any_event", lambda self, event: None)  # events lost
    with Running(ws) as w:
        (ws.inbox_dir / "terlewat.pdf").write_bytes(doc(30))
        [r] = w.wait_for(1)
    assert (r.name, r.status) == ("terlewat.pdf", "filed")


def test_watcher_survives_an_error_and_retries_at_the_rescan(fast_ws, monkeypatch):
    import sqlite3

    from docgen.archive.pipeline import Archive

    ws = fast_ws
    ws.config.arsip.rescan_detik = 1
    real = Archive.process_claimed
    calls = []

    def flaky(self, claimed, prep=None):
        calls.append(claimed.name)
        if len(calls) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, claimed, prep)

    monkeypatch.setattr(Archive, "process_claimed", flaky)
    with Running(ws) as w:
        (ws.inbox_dir / "satu.pdf").write_bytes(doc(60))
        w.wait_for(1)
        (ws.inbox_dir / "dua.pdf").write_bytes(doc(61))
        results = w.wait_for(3)
    assert results[0].status == "failed" and "disk I/O error" in results[0].reason
    assert sorted(r.name for r in results if r.status == "filed") == ["dua.pdf", "satu.pdf"]
    assert archive.verify(ws).ok


MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw 0 0
//server/arsip /mnt/arsip cifs rw 0 0
nas:/export /mnt/nas nfs4 rw 0 0
/dev/sdb1 /mnt/arsip\\040lokal ext4 rw 0 0
"""


@pytest.mark.parametrize(("path", "fstype"), [
    ("/home/tu/inbox", "ext4"), ("/mnt/arsip/inbox", "cifs"), ("/mnt/nas", "nfs4"),
    ("/mnt/arsipx/inbox", "ext4"), ("/mnt/arsip lokal/inbox", "ext4"),
])
def test_mount_type_of_a_path(path, fstype):
    assert mount_fs_type(Path(path), MOUNTS) == fstype


def test_local_temp_folder_is_not_a_network_share(tmp_path):
    assert is_network_path(tmp_path) is False


@pytest.mark.slow
def test_done_means_signed_docgen_letters_a_broken_file_and_a_duplicate(fast_ws, soffice, tmp_path):
    """The issue's scene, with a real docgen letter (LibreOffice) signed with pyHanko."""
    import shutil

    from docgen.make import make
    from docgen.sign import Pkcs12Signer, sign_pdf
    from docgen.sign.demo_keys import make_demo_pki

    ws = fast_ws
    pj = ws.pejabat("kepala")
    ca, p12, pw = make_demo_pki(ws.root / "kunci", pj)
    ws.config.tte.trust_roots = [str(ca.relative_to(ws.root))]
    ws.config.arsip.wajib_tte = True
    made = make(ws, "surat-pengantar", ws.root / "contoh" / "surat-pengantar.yaml", tmp_path / "out", pdf=True)
    signer = Pkcs12Signer(p12, pw)
    signed = sign_pdf(made.pdf[0], tmp_path / "surat-ttd.pdf", signer, pejabat=pj, doc_id=None,
                      footer=ws.config.tte.footer)
    other = sign_pdf(
        _plain(tmp_path / "nota.pdf", pj.nama), tmp_path / "nota-ttd.pdf", signer, pejabat=pj,
        doc_id="nota-1", footer=ws.config.tte.footer)
    with Running(ws) as w:
        shutil.copy(signed, ws.inbox_dir / "surat-pengantar.pdf")
        shutil.copy(other, ws.inbox_dir / "nota.pdf")
        (ws.inbox_dir / "hasil-scan.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
        w.wait_for(3)
        shutil.copy(signed, ws.inbox_dir / "surat-pengantar (1).pdf")
        results = w.wait_for(4)
    by_name = {r.name: r for r in results}
    assert by_name["surat-pengantar.pdf"].status == by_name["nota.pdf"].status == "filed"
    assert by_name["hasil-scan.pdf"].status == "quarantined"
    assert by_name["surat-pengantar (1).pdf"].stage == "hash"
    assert by_name["surat-pengantar.pdf"].path.read_bytes() == signed.read_bytes()

    [hit] = archive.search(ws, made.nomor)
    assert hit.exact and hit.signed and hit.sig_valid
    assert made.nomor in [h.letter_no for h in archive.search(ws, "inspektur")]
    e = archive.show(ws, hit.id)
    assert e["kind"] == "surat-pengantar" and e["signer"] == pj.nama
    assert e["register"]["perihal"].startswith("Penyampaian Laporan Hasil")
    assert e["classification"] == "000.7.5"
    assert archive.verify(ws).ok


def _plain(path: Path, name: str) -> Path:
    from docgen.archive.samples import write_pdf

    return write_pdf(path, [letter_text("000.5.3.1/40/Diskominfo/2026", "Nota dinas", "Mohon arahan.") + "\n" + name])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM semantics differ on Windows")
def test_cli_watch_files_and_stops_cleanly_on_sigterm(ws):
    import signal
    import subprocess

    cfg = ws.config_file.read_text(encoding="utf-8").replace("tenang_detik = 2.0", "tenang_detik = 0.3")
    ws.config_file.write_text(cfg, encoding="utf-8")
    env = {**os.environ, "DOCGEN_WORKSPACE": str(ws.root)}
    proc = subprocess.Popen([sys.executable, "-m", "docgen", "archive", "watch"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        (ws.inbox_dir / "surat.pdf").write_bytes(doc(50))
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end and not archive.search(ws, "000.5.3.1/50/Diskominfo/2026"):
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert "filed       surat.pdf -> ARS/" in out
    assert "stopped: 1 filed, 0 quarantined" in out
