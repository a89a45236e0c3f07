"""`docgen archive`: watch the inbox, ingest, search, show, verify, export, reindex."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import signal
import threading
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from . import App, options, pass_app
from . import console as _console

# Wide when piped, so a nomor or file name is never wrapped in two.
console = _console(highlight=False)


def register(cli: click.Group) -> None:
    cli.add_command(archive)


@click.group()
def archive() -> None:
    """File PDFs into the numbered archive, and search and check it.

    \b
    Examples:
      docgen archive watch
      docgen archive search "laporan kinerja" --tahun 2026
    """


def _style(status: str) -> str:
    return {"filed": "green", "quarantined": "yellow", "failed": "red"}.get(status, "dim")


def _print_result(r) -> None:
    console.print(Text(r.line(), style=_style(r.status)))
    if r.status in ("quarantined", "failed") and r.fix:
        console.print(Text(f"            fix: {r.fix}", style="dim"))


@archive.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--keep", is_flag=True, help="Leave the given files where they are (file a copy).")
@click.option("--workers", type=int, default=None, help="Processes reading PDFs (default: per CPU).")
@pass_app
def ingest(app: App, files: tuple[Path, ...], keep: bool, workers: int | None) -> None:
    """File FILES (or the files in a folder and its subfolders) through the archive pipeline.

    Good PDFs are numbered, filed and indexed; refused ones go to the quarantine folder with a
    reason file. Exit code 1 if any file was refused.

    \b
    Examples:
      docgen archive ingest keluaran/laporan-2026-TW3-ttd.pdf
      docgen archive ingest "D:/Scan/Surat Masuk" --keep
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .. import archive as lib
    from ..archive.pipeline import expand

    ws = app.ws
    counts: dict[str, int] = {}
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        total = sum(1 for _ in expand(files))  # folders count their subfolders' files too
        task = progress.add_task("filing", total=total)

        def on_result(r) -> None:
            counts[r.status] = counts.get(r.status, 0) + 1
            progress.advance(task)
            _print_result(r)

        lib.ingest(ws, list(files), keep=keep, workers=workers, on_result=on_result)
    console.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "nothing to file")
    if counts.get("quarantined") or counts.get("failed"):
        console.print(f"refused files are in {ws.quarantine_dir} with a .alasan.txt each")
        raise click.exceptions.Exit(1)


@archive.command()
@click.option("--polling/--no-polling", default=None,
              help="Poll the folder instead of OS events (default: auto, polling on network shares).")
@pass_app
def watch(app: App, polling: bool | None) -> None:
    """Watch the inbox (and its subfolders) and file every PDF dropped into it (Ctrl-C to stop).

    \b
    Examples:
      docgen archive watch
      docgen archive watch --polling
    """
    from .. import archive as lib

    ws = app.ws
    counts = {"filed": 0, "quarantined": 0}
    status = console.status("starting")

    def on_result(r) -> None:
        counts[r.status] = counts.get(r.status, 0) + 1
        _print_result(r)
        status.update(f"watching {ws.inbox_dir}: {counts['filed']} filed, "
                      f"{counts['quarantined']} quarantined")

    def on_event(msg: str) -> None:
        console.print(msg)
        status.update(msg)

    # Ctrl-C and SIGTERM (service managers) stop cleanly, between files.
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with status, contextlib.suppress(KeyboardInterrupt):
        lib.watch(ws, polling=polling, on_result=on_result, on_event=on_event, stop=stop)
    console.print(f"stopped: {counts['filed']} filed, {counts['quarantined']} quarantined")


@archive.command()
@click.argument("query", nargs=-1)
@options.tahun("Documents dated in this year.", dest="year")
@click.option("--klasifikasi", "classification", help="Classification code (and its sub-codes).")
@click.option("--kind", help="docgen document kind, e.g. surat-pengantar.")
@click.option("--signed/--unsigned", default=None, help="Only signed / unsigned PDFs.")
@click.option("--valid/--invalid", default=None, help="Only valid / not valid signatures.")
@click.option("--signer", help="Signer name (part of it).")
@options.dari_sampai("Documents dated")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1),
              help="Show at most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@pass_app
def search(app: App, query: tuple[str, ...], year, classification, kind, signed, valid, signer,
           dari: dt.date | None, sampai: dt.date | None, limit: int, as_json: bool) -> None:
    """Search the archive: words (any inflected form), "a phrase", prefix*, or a letter number.

    \b
    Examples:
      docgen archive search "laporan kinerja" --tahun 2026
      docgen archive search pengadaan --dari 1-7-2026 --sampai 30-9-2026 --signed
      docgen archive search 000.7.5/16/Diskominfo/2026
    """
    from dataclasses import asdict

    from .. import archive as lib

    hits = lib.search(app.ws, " ".join(query), limit=limit, year=year, classification=classification,
                      kind=kind, signed=signed, valid=valid, signer=signer,
                      date_from=dari, date_to=sampai)
    if as_json:
        click.echo(json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        console.print("no match")
        raise click.exceptions.Exit(1)
    for i, h in enumerate(hits, start=1):
        head = Text(f"{i:>2}. ", style="dim")
        head.append(f"[{h.id}] {h.archive_no}", style="bold")
        head.append(f"  {h.doc_date}  {h.letter_no or '-'}  ")
        head.append(h.title)
        if h.exact:
            head.append("  (exact number)", style="green")
        if h.signed:
            head.append("  TTE " + ("valid" if h.sig_valid else "not valid"),
                        style="green" if h.sig_valid else "red")
        console.print(head)
        snip = Text("    " + h.snippet, style="dim")
        for a, b in h.marks:
            snip.stylize("bold yellow", a + 4, b + 4)
        console.print(snip)
    if any(h.by_date for h in hits):
        console.print(Text("this phrase is in very many documents: newest first; add words or "
                           "filters (--tahun, --klasifikasi) to rank by relevance", style="dim"))


@archive.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
@pass_app
def show(app: App, ref: str, as_json: bool) -> None:
    """Show entry REF (entry number, archive number or letter number): metadata, signatures, path.

    \b
    Examples:
      docgen archive show 12
      docgen archive show ARS/2026/00012
    """
    from .. import archive as lib

    e = lib.show(app.ws, ref)
    if as_json:
        click.echo(json.dumps(e, ensure_ascii=False, indent=1, default=str))
        return
    tte = app.ws.config.tte  # times as the stamp prints them: the office's WIB/WITA/WIT
    t = Table(show_header=False, box=None, padding=(0, 2), expand=False)
    for key in ("id", "archive_no", "title", "letter_no", "classification", "kind", "doc_date",
                "doc_id", "pages", "size", "original_name", "filed_at", "sha256", "file"):
        value = tte.waktu(e.get(key)) if key == "filed_at" else e.get(key)
        t.add_row(key, str(value or "-"))
    t.add_row("file present", "yes" if e["file_present"] else "[red]NO[/red]")
    if e["signed"]:
        t.add_row("signature", "valid" if e["sig_valid"] else
                  ("not checked" if e["sig_valid"] is None else "[red]not valid[/red]"))
        for s in e["signatures"]:
            what = "timestamp by " if s.get("kind") == "timestamp" else ""
            t.add_row("", f"{what}{s.get('signer') or '?'} at {tte.waktu(s.get('signing_time')) or '?'}: "
                      f"intact={s.get('intact')} valid={s.get('valid')} trusted={s.get('trusted')}"
                      + (" MODIFIED after signing" if s.get("modified_after") else "")
                      + (f", timestamp {tte.waktu(s['timestamp'])} by {s.get('timestamp_by') or '?'}"
                         if s.get("timestamp") else "")
                      + (f" ({s['summary']})" if s.get("summary") else ""))
    else:
        t.add_row("signature", "none")
    changed = (e.get("info") or {}).get("DiubahSetelahTTE")
    if changed:  # the entry keeps the signed values; the later ones were ignored
        t.add_row("warning", f"[red]{changed} changed in /Info after signing; the signed value is used[/red]")
    if e["register"]:
        t.add_row("register", ", ".join(f"{k}={v}" for k, v in e["register"].items() if v))
    if e.get("original_file"):
        t.add_row("original scan", f"{e['original_file']} (sha256 {e['original_sha256']})")
    sm = e.get("surat_masuk")
    if sm:
        t.add_row("surat masuk", f"agenda {sm['agenda']}: {sm['nomor_surat']} dari {sm['asal']}, "
                  f"{sm['perihal']}" + ("" if "disposisi" in e else f" (archive {sm['arsip_no']})"))
    for d in e.get("disposisi", []):
        t.add_row("disposisi", f"{d['archive_no']} (entry {d['id']}) {d['title']}")
    console.print(t)


@archive.command()
@click.option("--quick", is_flag=True, help="Compare sizes only, do not hash every file.")
@click.option("--deep", is_flag=True,
              help="Also read every PDF again (text, metadata) and validate its signatures again.")
@click.option("--workers", type=int, default=None, help="Processes reading PDFs (default: per CPU).")
@pass_app
def verify(app: App, quick: bool, deep: bool, workers: int | None) -> None:
    """Check everything the archive claims.

    Every filed PDF present and unchanged; every entry's fields, stored text and search-index
    rows as filed (hash chain, index rebuilt and compared); the chain head as signed by the
    archive's seal. --deep compares every entry with its PDF read again, signatures included.
    Exit code 1 if anything is wrong; each finding names the entry and the field.

    \b
    Examples:
      docgen archive verify
      docgen archive verify --quick
      docgen archive verify --deep
    """
    from .. import archive as lib

    rep = lib.verify(app.ws, hashes=not quick, deep=deep, workers=workers)
    for p in rep.problems:
        console.print(Text(f"{p.kind:<9} {p.where}: {p.message}", style="red"))
    for n in rep.notes:
        console.print(Text(f"note      {n}", style="dim"))
    if rep.ok:
        files = "the same size" if quick else "unchanged"
        extra = ", every PDF read again and its signatures validated again" if deep else ""
        console.print(Text(f"archive intact: {rep.checked} entries, every file present and {files}, "
                           f"chain unbroken, search index matches{extra}", style="green"))
        return
    console.print(f"{len(rep.problems)} problem(s) in {rep.checked} entries")
    raise click.exceptions.Exit(1)


@archive.command()
@options.tahun("Only documents dated in this year.", dest="year")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output folder).")
@pass_app
def export(app: App, year: int | None, out_dir: Path | None) -> None:
    """Write the Daftar Arsip (No, Kode Klasifikasi, Uraian, Tanggal, Jumlah, Keterangan).

    \b
    Example:
      docgen archive export --tahun 2026
    """
    from .. import archive as lib

    for p in lib.export(app.ws, year=year, out_dir=out_dir):
        click.echo(str(p))


@archive.command()
@click.option("--workers", type=int, default=None, help="Processes reading PDFs (default: per CPU).")
@pass_app
def reindex(app: App, workers: int | None) -> None:
    """Rebuild the full-text index from the text of each archived PDF (read again).

    \b
    Example:
      docgen archive reindex
    """
    from .. import archive as lib

    n, warnings = lib.reindex(app.ws, workers=workers)
    for w in warnings:
        console.print(Text(f"warning {w}", style="yellow"))
    click.echo(f"reindexed {n} entries")
