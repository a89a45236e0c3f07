"""surat-masuk catat / list / export / batal: the buku agenda surat masuk."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .. import formatting
from . import App, console, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(group)


@click.group("surat-masuk")
def group() -> None:
    """Incoming letters: OCR, filing and the buku agenda surat masuk.

    \b
    Examples:
      docgen surat-masuk catat scan/undangan-inspektorat.pdf
      docgen surat-masuk list --tahun 2026
    """


# (field, the label the clerk is asked with)
_FIELDS = (("nomor_surat", "Nomor surat"), ("tanggal_surat", "Tanggal surat"), ("asal", "Asal surat"),
           ("perihal", "Perihal"), ("sifat", "Sifat"))


_OPTION = {"nomor_surat": "--nomor", "tanggal_surat": "--tanggal", "asal": "--asal", "perihal": "--perihal"}


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@group.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--nomor", help="Nomor surat, as printed on the letter.")
@click.option("--tanggal", help="Tanggal surat: 2 Oktober 2026, 02-10-2026 or 2026-10-02.")
@click.option("--asal", help="Asal surat (the sender's office).")
@click.option("--perihal", help="Perihal (what the letter is about).")
@click.option("--sifat", help="Sifat: Biasa, Segera, Penting, Rahasia ...")
@click.option("--diterima", help="Date received (default: today).")
@click.option("--yes", "-y", is_flag=True, help="Take the suggestions read from the letter without asking.")
@pass_app
def catat(app: App, file: Path, nomor: str | None, tanggal: str | None, asal: str | None,
          perihal: str | None, sifat: str | None, diterima: str | None, yes: bool) -> None:
    """File an incoming letter (a scan is OCR'd) and give it the next agenda number.

    The nomor, tanggal, asal, perihal and sifat are read from the letter's text as
    suggestions: confirm or correct each at the prompt, or give them as options.

    \b
    Example:
      docgen surat-masuk catat scan.jpg
      docgen surat-masuk catat undangan.pdf --perihal "Undangan Rapat" --yes
    """
    from .. import suratmasuk

    ws = app.ws
    got = suratmasuk.terima(ws, file)
    click.echo(f"filed in the archive as {got.arsip_no}", err=True)
    if got.sudah is not None and not got.sudah.batal:
        click.echo(f"already in the buku agenda: {got.sudah.agenda}")
        return
    given = {"nomor_surat": nomor, "tanggal_surat": tanggal, "asal": asal, "perihal": perihal,
             "sifat": sifat}
    saran = got.saran
    fields: dict = {}
    for key, label in _FIELDS:
        suggestion = _suggested(saran, key)
        value = given[key]
        if value is None:
            if _interactive() and not yes:
                value = click.prompt(label, default=suggestion or "", show_default=bool(suggestion))
            elif yes:
                value = suggestion
        fields[key] = value or ""
    fields["diterima"] = diterima or ""
    missing = [k for k in ("nomor_surat", "tanggal_surat", "asal", "perihal") if not fields[k]]
    if missing and not _interactive() and not yes:
        from ..errors import InputError

        read = "; ".join(f"{k}: {_suggested(saran, k)}" for k in missing if _suggested(saran, k))
        opts = " ".join(f"{_OPTION[k]} ..." for k in missing)
        raise InputError(
            f"{got.arsip_no} is filed, but not yet in the buku agenda: "
            + (f"confirm what was read from the letter ({read})" if read else
               f"the letter's text does not say {', '.join(missing)}"),
            field=missing[0], fix=f"run again with --yes to take what was read, or give {opts}")
    e = suratmasuk.catat(ws, got, fields)
    click.echo(e.agenda)
    click.echo(f"{e.nomor_surat} {formatting.tanggal(e.tanggal_surat)} dari {e.asal}: {e.perihal}", err=True)


def _suggested(saran, key: str) -> str:
    if key == "tanggal_surat":
        return saran.tanggal.isoformat() if saran.tanggal else ""
    return getattr(saran, {"nomor_surat": "nomor"}.get(key, key), "")


@group.command("list")
@click.option("--tahun", "--year", "tahun", type=int, help="Only this year.")
@pass_app
def list_(app: App, tahun: int | None) -> None:
    """Show the buku agenda surat masuk.

    \b
    Example:
      docgen surat-masuk list --tahun 2026
    """
    from rich.table import Table

    from .. import suratmasuk
    from ..suratmasuk.buku import KOLOM, rows

    entries = suratmasuk.daftar(app.ws, tahun)
    if not entries:
        click.echo("the buku agenda surat masuk has no entries" + (" for that year" if tahun else ""))
        return
    t = Table(show_header=True, header_style="bold")
    for name in KOLOM:
        t.add_column(name, no_wrap=name in ("Nomor Agenda", "Nomor Surat"))
    for e, r in zip(entries, rows(entries), strict=True):
        cells = [str(v) for v in r]
        if e.batal:
            cells = [f"[red]{c}[/red]" for c in cells]
        t.add_row(*cells)
    out = console()
    out.print(t)
    out.print(f"{len(entries)} letter(s), {sum(e.batal for e in entries)} void")


@group.command()
@click.option("--tahun", "--year", "tahun", type=int, help="Year of the book (default: this year).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output folder).")
@pass_app
def export(app: App, tahun: int | None, out_dir: Path | None) -> None:
    """Write the buku agenda surat masuk of a year as XLSX and DOCX.

    \b
    Example:
      docgen surat-masuk export --tahun 2026
    """
    from .. import suratmasuk

    ws = app.ws
    tahun = tahun or dt.date.today().year
    xlsx, docx = suratmasuk.export(ws, tahun, out_dir or ws.output_dir)
    click.echo(str(xlsx))
    click.echo(str(docx))


@group.command()
@click.argument("agenda")
@click.option("--alasan", "-r", required=True, help="Why the entry is void (printed in the book).")
@click.option("--tahun", "--year", "tahun", type=int, help="Year, when the format has no {tahun}.")
@pass_app
def batal(app: App, agenda: str, alasan: str, tahun: int | None) -> None:
    """Void an agenda number: it stays in the book marked BATAL and is never reused.

    \b
    Example:
      docgen surat-masuk batal 007/SM/2026 --alasan "dicatat dua kali"
    """
    from ..suratmasuk import Agenda

    with Agenda.for_workspace(app.ws) as book:
        e = book.void(agenda, alasan, tahun=tahun)
    click.echo(f"{e.agenda}: batal ({e.alasan})")
