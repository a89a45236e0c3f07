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


# --- subfolders of the inbox -------------------------------------------------------------
# (dot-names such as ".tersembunyi.pdf" are filed since issue 16: tests/test_archive_hostile.py)
JUNK = ("~$memo.docx", ".~lock.surat.pdf#", "scan.pdf.part", "unduhan.pdf.crdownload", "salin.tmp",
        "Thumbs.db")


def signed_letters(ws, tmp_path: Path, n: int) -> tuple[list[bytes], bytes]:
    """n signed letters and one unsigned, as bytes; the workspace trusts the demo CA."""
    from docgen.archive.samples import write_pdf
    from docgen.sign import Pkcs12Signer, sign_pdf
    from docgen.sign.demo_keys import make_demo_pki

    pj = ws.pejabat("kepala")
    ca, p12, pw = make_demo_pki(ws.root / "kunci", pj)
    ws.config.tte.trust_roots = [str(ca.relative_to(ws.root))]
    signer = Pkcs12Signer(p12, pw)
    signed = []
    for i in range(n):
        plain = write_pdf(tmp_path / f"polos{i}.pdf",
                          [letter_text(f"000.5.3.1/{70 + i}/Diskominfo/2026", f"Surat masuk {i}", "isi")
                           + "\n" + pj.nama])
        out = sign_pdf(plain, tmp_path / f"ttd{i}.pdf", signer, pejabat=pj, doc_id=f"sub-{i}",
                       footer=ws.config.tte.footer)
        signed.append(out.read_bytes())
    unsigned = pdf_bytes([letter_text("000.5.3.1/99/Diskominfo/2026", "Tanpa TTE", "isi")])
    return signed, unsigned


def inbox_state(ws) -> list[str]:
    """Everything left in the inbox (but the processing folder), '/'-separated and sorted."""
    return sorted(p.relative_to(ws.inbox_dir).as_posix() for p in ws.inbox_dir.rglob("*")
                  if PROCESSING not in p.relative_to(ws.inbox_dir).parts)


def wait_until(cond, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not cond():
        assert time.monotonic() < end, what
        time.sleep(0.05)


def test_files_in_subfolders_are_filed_like_top_level_ones(fast_ws, tmp_path):
    """A folder made in the inbox while watching, a sub-subfolder, junk beside the PDFs."""
    ws = fast_ws
    ws.config.arsip.wajib_tte = True
    (a, b, c), unsigned = signed_letters(ws, tmp_path, 3)
    with Running(ws) as w:
        surat = ws.inbox_dir / "Surat Masuk Oktober"
        (surat / "Minggu 2").mkdir(parents=True)
        (surat / "a.pdf").write_bytes(a)
        (surat / "Minggu 2" / "b.pdf").write_bytes(b)
        (surat / "Minggu 2" / "tanpa-ttd.pdf").write_bytes(unsigned)
        (ws.inbox_dir / "atas.pdf").write_bytes(c)
        for name in JUNK:
            (surat / name).write_bytes(a)
        (surat / ".Trash-1000").mkdir()  # trash folder: never entered (other dot-folders are)
        (surat / ".Trash-1000" / "salinan.pdf").write_bytes(b)
        results = w.wait_for(4)
        # "Minggu 2" is empty now and goes after the grace; "Surat Masuk Oktober" holds junk: stays
        wait_until(lambda: not (surat / "Minggu 2").exists(), "emptied subfolder not removed")
        time.sleep(1.0)  # nothing more may come (junk, hidden folder, duplicates)
    by_name = {r.name: r for r in results}
    assert len(results) == 4, [r.line() for r in results]
    assert {n: r.status for n, r in by_name.items()} == {
        "Surat Masuk Oktober/a.pdf": "filed", "Surat Masuk Oktober/Minggu 2/b.pdf": "filed",
        "atas.pdf": "filed", "Surat Masuk Oktober/Minggu 2/tanpa-ttd.pdf": "quarantined"}
    for name, data in (("Surat Masuk Oktober/a.pdf", a), ("Surat Masuk Oktober/Minggu 2/b.pdf", b),
                       ("atas.pdf", c)):
        r = by_name[name]
        assert r.path.read_bytes() == data  # signed bytes unchanged
        e = archive.show(ws, r.entry_id)
        assert e["original_name"] == name  # where it came from
        assert e["signed"] == 1 and e["sig_valid"] == 1
    # refused: in the same subfolder of the quarantine, with its reason, nothing lost
    q = ws.quarantine_dir / "Surat Masuk Oktober" / "Minggu 2" / "tanpa-ttd.pdf"
    assert by_name["Surat Masuk Oktober/Minggu 2/tanpa-ttd.pdf"].path == q
    assert q.read_bytes() == unsigned
    reason = q.with_name("tanpa-ttd.pdf.alasan.txt").read_text(encoding="utf-8")
    assert reason.startswith("File:        Surat Masuk Oktober/Minggu 2/tanpa-ttd.pdf") and "wajib_tte" in reason
    assert inbox_state(ws) == sorted(["Surat Masuk Oktober", "Surat Masuk Oktober/.Trash-1000",
                                      "Surat Masuk Oktober/.Trash-1000/salinan.pdf",
                                      *(f"Surat Masuk Oktober/{n}" for n in JUNK)])
    assert list((ws.inbox_dir / PROCESSING).iterdir()) == []
    assert archive.verify(ws).ok


def _prepared_folder(root: Path, first: int) -> dict[str, bytes]:
    """A folder with PDFs two levels deep, as a clerk or a scanner prepares it elsewhere."""
    files = {"Surat Masuk Oktober/s1.pdf": doc(first), "Surat Masuk Oktober/s2.pdf": doc(first + 1),
             "Surat Masuk Oktober/2026-10-22/scan.pdf": doc(first + 2),
             "Surat Masuk Oktober/2026-10-22/pagi/scan.pdf": doc(first + 3)}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


@pytest.mark.parametrize("only_dir_events", [False, True], ids=["native", "only-the-folder-event"])
def test_a_folder_moved_in_with_one_rename_is_picked_up(fast_ws, tmp_path, monkeypatch, only_dir_events):
    from docgen.archive import watcher as watcher_mod

    ws = fast_ws
    if only_dir_events:  # platforms/versions that report the folder move and nothing inside
        real = watcher_mod._Handler.on_any_event
        monkeypatch.setattr(watcher_mod._Handler, "on_any_event",
                            lambda self, e: real(self, e) if e.is_directory else None)
    files = _prepared_folder(tmp_path / "siap", 80)
    with Running(ws) as w:
        os.rename(tmp_path / "siap" / "Surat Masuk Oktober", ws.inbox_dir / "Surat Masuk Oktober")
        results = w.wait_for(4)
        wait_until(lambda: inbox_state(ws) == [], "emptied folders not removed")
        time.sleep(0.5)
    assert sorted((r.name, r.status) for r in results) == sorted((n, "filed") for n in files)
    for r in results:
        assert r.path.read_bytes() == files[r.name]
        assert archive.show(ws, r.entry_id)["original_name"] == r.name
    assert [p.name for p in ws.inbox_dir.iterdir()] == [PROCESSING]  # the inbox itself stays
    assert archive.verify(ws).ok


def test_a_folder_copied_under_a_temporary_name_waits_for_its_rename(fast_ws):
    ws = fast_ws
    with Running(ws) as w:
        tmp = ws.inbox_dir / "Kiriman.tmp"
        tmp.mkdir()
        (tmp / "surat.pdf").write_bytes(doc(90))
        time.sleep(1.2)  # a temporary folder is not entered
        assert w.results == []
        os.replace(tmp, ws.inbox_dir / "Kiriman")
        [r] = w.wait_for(1)
    assert (r.name, r.status) == ("Kiriman/surat.pdf", "filed")


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_startup_scan_and_rescans_see_subfolders(fast_ws, tmp_path, polling):
    ws = fast_ws
    files = _prepared_folder(ws.inbox_dir, 100)  # arrived while nobody watched
    with Running(ws, polling=polling) as w:
        w.wait_for(4)
        (ws.inbox_dir / "baru" / "lagi").mkdir(parents=True)
        (ws.inbox_dir / "baru" / "lagi" / "x.pdf").write_bytes(doc(110))
        results = w.wait_for(5)
    assert sorted(r.name for r in results) == sorted([*files, "baru/lagi/x.pdf"])
    assert {r.status for r in results} == {"filed"}


def test_a_half_written_file_in_a_subfolder_waits_and_keeps_its_folder(fast_ws):
    ws = fast_ws
    data = doc(120, "kata " * 500)
    folder = ws.inbox_dir / "scanner" / "2026-10-22"
    folder.mkdir(parents=True)
    target = folder / "scan001.pdf"
    with Running(ws) as w:
        (folder / "scan000.pdf").write_bytes(doc(121))
        w.wait_for(1)
        target.write_bytes(data[: len(data) // 2])  # the next scan, not finished yet
        time.sleep(2.0)  # beyond the empty-folder grace: the folder holds a file, so it stays
        assert len(w.results) == 1 and folder.is_dir() and target.is_file()
        with target.open("ab") as fh:
            fh.write(data[len(data) // 2:])
        results = w.wait_for(2)
    assert [(r.name, r.status) for r in results] == [("scanner/2026-10-22/scan000.pdf", "filed"),
                                                     ("scanner/2026-10-22/scan001.pdf", "filed")]
    assert results[1].path.read_bytes() == data


def test_a_damaged_file_in_a_subfolder_is_quarantined_there_and_can_be_filed_again(fast_ws):
    ws = fast_ws
    with Running(ws) as w:
        (ws.inbox_dir / "Scan").mkdir()
        (ws.inbox_dir / "Scan" / "rusak.pdf").write_bytes(b"%PDF-1.4\n garbage\n%%EOF\n")
        [r] = w.wait_for(1)
    assert (r.name, r.status, r.stage) == ("Scan/rusak.pdf", "quarantined", "check")
    q = ws.quarantine_dir / "Scan" / "rusak.pdf"
    assert q.read_bytes() == b"%PDF-1.4\n garbage\n%%EOF\n"
    assert (ws.quarantine_dir / "Scan" / "rusak.pdf.alasan.txt").is_file()
    q.write_bytes(doc(130))  # the clerk replaces it with a good copy and files it from there
    [ok] = archive.ingest(ws, [ws.quarantine_dir])
    assert (ok.name, ok.status) == ("Scan/rusak.pdf", "filed")
    assert list(ws.quarantine_dir.iterdir()) == []  # reason gone with its PDF, empty folder too
