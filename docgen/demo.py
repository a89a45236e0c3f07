"""`docgen demo DIR`: the SOP "Mekanisme Pengumpulan Data Kinerja" end to end.

In a fresh workspace, on the shipped example data:
  0. the SOP sheets of the five seed SOPs (DOCX + PDF);
  1. the lembar disposisi by which the head orders the data collection;
  2. a permintaan-data form for each Bidang;
  3. the forms filled in as the Bidang would (realistic example values; one Bidang returns Excel);
  4. collect: the rekap with capaian;
  5. the laporan as a PDF with the forms as lampiran;
  6. signing with a demo key made for the demo (PAdES, visible QR stamp) and verification;
  7. the surat pengantar with its number from the register, signed;
  8. the signed PDFs dropped into the archive inbox and filed.
Every step calls the same library functions as the CLI commands.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import convert, make, workspace
from .workspace import Workspace

DEMO_PASSPHRASE_ENV = "DOCGEN_P12_PASSPHRASE"


@dataclass
class DemoResult:
    root: Path
    outputs: list[tuple[str, Path]] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    signed_laporan: Path | None = None

    def add(self, what: str, path: Path) -> None:
        self.outputs.append((what, path))


def _enable_demo_signing(ws: Workspace) -> Workspace:
    """Make a demo CA + the head's PKCS#12 and record them in docgen.toml."""
    from .sign import demo_keys

    kepala = ws.config.pejabat["kepala"]
    ca, p12, passphrase = demo_keys.make_demo_pki(ws.root / "kunci", kepala)
    os.environ[DEMO_PASSPHRASE_ENV] = passphrase  # demo only: a real office types it at the prompt
    cfg = ws.config_file
    text = cfg.read_text(encoding="utf-8")
    rel_ca = Path(ca).resolve().relative_to(ws.root).as_posix()
    rel_p12 = Path(p12).resolve().relative_to(ws.root).as_posix()
    text = re.sub(r"^trust_roots = \[\].*$", f'trust_roots = ["{rel_ca}"]', text, count=1, flags=re.M)
    text += (
        "\n# Added by `docgen demo`: a DEMO key, not a BSrE certificate.\n"
        "[tte.penandatangan.kepala]\n"
        'pejabat = "kepala"\n'
        f'p12 = "{rel_p12}"\n'
        f'passphrase_env = "{DEMO_PASSPHRASE_ENV}"\n'
    )
    cfg.write_text(text, encoding="utf-8")
    return workspace.load(ws.root)


def _fill_forms(ws: Workspace, forms: list[Path], dest: Path, seed: int = 2026) -> list[Path]:
    """Fill each Bidang's form like a clerk would: realisasi near the target, a few short
    of it with a kendala; the last Bidang returns the Excel version."""
    import json

    from .kinds import permintaan_data

    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    docx_forms = [f for f in forms if f.suffix == ".docx"]
    filled = []
    for i, form in enumerate(docx_forms):
        props = __import__("docgen.render", fromlist=["read_properties"]).read_properties(form)
        manifest = json.loads((ws.data_dir / "permintaan" / f"{props['docgen.id']}.json").read_text("utf-8"))
        use_xlsx = i == len(docx_forms) - 1 and form.with_suffix(".xlsx").is_file()
        src = form.with_suffix(".xlsx") if use_xlsx else form
        values: dict[int, tuple[str, str]] = {}
        for row in manifest["rows"]:
            target = float(row["target"])
            ratio = rng.choice([0.82, 0.9, 0.97, 1.0, 1.03, 1.08])
            if row.get("arah") == "turun":
                ratio = 2 - ratio
            real = round(target * ratio, 2 if target < 100 else 0)
            if row.get("satuan") == "%":
                real = min(real, 100.0)  # a percentage of a whole cannot pass 100
            text = f"{real:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
            text = text.removesuffix(",00")
            note = ""
            if ratio < 0.95 and row.get("arah") != "turun":
                note = rng.choice([
                    "Keterbatasan anggaran pada triwulan berjalan",
                    "Kegiatan bergeser ke triwulan berikutnya",
                    "Data dari perangkat daerah belum lengkap",
                ])
            values[int(row["no"])] = (text, note)
        out = dest / f"{src.stem}-terisi{src.suffix}"
        filled.append(permintaan_data.fill_form(src, values, out))
    return filled


def _rel(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _watch_and_drop(ws: Workspace, pdfs: list[Path], timeout: float = 60.0) -> list:
    """Start the watcher, copy the PDFs into the inbox as a clerk would, wait until filed."""
    import threading
    import time

    from . import archive

    stop = threading.Event()
    results: list = []
    done = threading.Event()

    def on_result(r) -> None:
        results.append(r)
        if len(results) >= len(pdfs):
            done.set()

    t = threading.Thread(target=archive.watch, args=(ws,), kwargs={"on_result": on_result, "stop": stop},
                         daemon=True)
    t.start()
    time.sleep(0.5)  # let the observer start
    for pdf in pdfs:
        shutil.copy2(pdf, ws.inbox_dir / pdf.name)
    done.wait(timeout)
    stop.set()
    t.join(10)
    if len(results) < len(pdfs):
        from .errors import DocgenError

        raise DocgenError(f"the watcher filed {len(results)} of {len(pdfs)} files within {timeout:.0f} s",
                          file=ws.inbox_dir, fix="run `docgen archive ingest` on the inbox")
    return results


def run(root: str | Path, *, force: bool = False, progress: Callable[[str], None] = print) -> DemoResult:
    root = Path(root).resolve()
    if root.exists() and any(root.iterdir()) and not force:
        from .errors import InputError

        raise InputError(
            "folder is not empty", file=root, fix="give a new folder, or --force to reuse it"
        )
    if force and root.exists():
        shutil.rmtree(root)
    res = DemoResult(root=root)
    ws = workspace.init(root)
    res.add("workspace settings", ws.config_file)
    contoh = ws.root / "contoh"
    convert.require_soffice()

    # 0. SOP sheets of the five seeds (one LibreOffice batch)
    progress("SOP sheets of the five seed SOPs")
    sop_docx: list[Path] = []
    for f in sorted((contoh / "sop").glob("*.yaml")):
        r = make.make(ws, "sop", f, ws.output_dir / "sop")
        sop_docx += r.docx
    for pdf in convert.convert(sop_docx):
        res.add("SOP sheet", pdf)

    # 1. disposisi
    progress("1. lembar disposisi")
    r = make.make(ws, "disposisi", contoh / "disposisi.yaml", pdf=True)
    res.add("lembar disposisi", r.pdf[0])

    # 2. permintaan-data forms
    progress("2. permintaan-data forms for each Bidang")
    r = make.make(ws, "permintaan-data", contoh / "permintaan-data.yaml")
    forms = r.docx
    for f in forms:
        res.add("permintaan-data form", f)

    # 3. filled forms
    progress("3. forms filled in by the Bidang")
    masuk = ws.root / "masuk"
    filled = _fill_forms(ws, forms, masuk)
    for f in filled:
        res.add("filled form", f)

    # 4. collect -> rekap
    progress("4. collect and rekap")
    from . import collect

    rekap = collect.collect(ws, [masuk])
    for p in getattr(rekap, "outputs", []) or []:
        res.add("rekap", Path(p))

    # 5. laporan PDF with lampiran
    progress("5. laporan (PDF with lampiran)")
    r = make.make(ws, "laporan", contoh / "laporan.yaml", pdf=True)
    laporan_pdf = r.pdf[0]
    res.add("laporan (DOCX)", r.docx[0])
    res.add("laporan", laporan_pdf)

    # 6. sign + verify
    progress("6. signing the laporan with a demo key")
    ws = _enable_demo_signing(ws)
    from .sign import cli_support

    laporan_ttd = cli_support.sign_for_workspace(ws, laporan_pdf, "kepala")
    res.add("laporan, signed", laporan_ttd)
    res.signed_laporan = laporan_ttd
    statuses = cli_support.verify_for_workspace(ws, laporan_ttd)
    res.facts.append(("verify laporan", "; ".join(s.summary for s in statuses)))

    # 7. surat pengantar, numbered, signed
    progress("7. surat pengantar with its number")
    r = make.make(ws, "surat-pengantar", contoh / "surat-pengantar.yaml", pdf=True)
    res.facts.append(("surat pengantar nomor", r.nomor))
    res.add("surat pengantar", r.docx[0])
    sp_ttd = cli_support.sign_for_workspace(ws, r.pdf[0], "kepala")
    res.add("surat pengantar, signed", sp_ttd)

    # 8. archive: drop the signed PDFs into the inbox while the watcher runs
    progress("8. the watcher files the signed PDFs dropped into the inbox")
    from . import archive

    filed = _watch_and_drop(ws, [laporan_ttd, sp_ttd])
    for item in filed:
        res.facts.append((f"archived {item.archive_no}", f"{item.name} -> {_rel(item.path, root)}"))
    hits = archive.search(ws, r.nomor)
    res.facts.append((f"archive search {r.nomor!r}", ", ".join(f"{h.archive_no} {h.title}" for h in hits) or "nothing"))
    report = archive.verify(ws)
    res.facts.append(("archive verify", f"{report.checked} entries, " + ("intact" if report.ok else f"{len(report.problems)} problem(s)")))
    res.add("archive", ws.archive_dir)
    return res
