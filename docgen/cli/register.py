"""register take / confirm / void / list / export: the buku agenda surat keluar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.table import Table

from .. import formatting
from ..register import Register, agenda
from . import App, console, options, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(register_group)



@click.group("register")
def register_group() -> None:
    """The register of letter numbers (buku agenda surat keluar).

    \b
    Examples:
      docgen register take -k 000.7.5 -p "Laporan Kinerja"
      docgen register list --tahun 2026
    """


@register_group.command()
@click.option("--klasifikasi", "-k", required=True, help="Kode klasifikasi, e.g. 000.7.5 (`docgen codes search`).")
@click.option("--perihal", "-p", required=True, help="What the letter is about.")
@click.option("--tujuan", "-t", default="", help="Addressee (Yth. ...).")
@click.option("--tanggal", type=options.TANGGAL, metavar="TANGGAL",
              help="Letter date, e.g. 22-11-2026 or 2026-11-22 (default: today).")
@click.option("--unit", help="Unit code for {unit} (default: kop.kode_unit).")
@click.option("--reserve", is_flag=True, help="Reserve the number for a draft; `confirm` it once signed.")
@pass_app
def take(app: App, klasifikasi: str, perihal: str, tujuan: str, tanggal: dt.date | None,
         unit: str | None, reserve: bool) -> None:
    """Take the next letter number and print it.

    \b
    Examples:
      docgen register take -k 000.7.5 -p "Laporan Kinerja Triwulan III" -t "Wali Kota Kediri"
      docgen register take -k 000.7.5 -p "Undangan Rapat" --tanggal 22-11-2026 --reserve
    """
    with Register.for_workspace(app.ws) as reg:
        fn = reg.reserve if reserve else reg.take
        e = fn(klasifikasi=klasifikasi, perihal=perihal, tujuan=tujuan,
               tanggal=tanggal, unit=unit)
        later = reg.dated_later_before(e)
    click.echo(e.nomor)
    if later is not None:
        click.echo(f"warning: {e.nomor} is dated {formatting.tanggal(e.tanggal)}, but the earlier "
                   f"{later.nomor} is dated {formatting.tanggal(later.tanggal)}: the buku agenda runs "
                   "backwards in time; check --tanggal (or void the number and take a new one)", err=True)
    if reserve:
        click.echo(f"reserved (dipesan); once signed: docgen register confirm {e.nomor}", err=True)


@register_group.command()
@click.argument("nomor")
@options.tahun("Year, when the format has no {tahun}.")
@pass_app
def confirm(app: App, nomor: str, tahun: int | None) -> None:
    """Issue a reserved NOMOR once the letter is signed.

    \b
    Example:
      docgen register confirm 000.7.5/16/Diskominfo/2026
    """
    with Register.for_workspace(app.ws) as reg:
        e = reg.confirm(nomor, tahun=tahun)
    click.echo(f"{e.nomor}: terbit")


@register_group.command()
@click.argument("nomor")
@click.option("--reason", "-r", required=True, help="Why the number is void (printed in the buku agenda).")
@options.tahun("Year, when the format has no {tahun}.")
@pass_app
def void(app: App, nomor: str, reason: str, tahun: int | None) -> None:
    """Void NOMOR: it stays in the register marked BATAL and is never reused.

    \b
    Example:
      docgen register void 000.7.5/16/Diskominfo/2026 -r "salah tujuan, diganti nomor 17"
    """
    with Register.for_workspace(app.ws) as reg:
        e = reg.void(nomor, reason, tahun=tahun)
    click.echo(f"{e.nomor}: batal ({e.alasan})")


@register_group.command()
@click.option("--klasifikasi", "-k", default="", help="The counter's code (when penomoran.lingkup is tahun-klasifikasi).")
@click.option("--unit", help="The counter's unit (when penomoran.lingkup is tahun-unit; default kop.kode_unit).")
@click.option("--dari", type=int, required=True, help="The first number docgen takes (the paper agenda's last + 1).")
@options.tahun("Year of the counter (default: this year).")
@pass_app
def mulai(app: App, klasifikasi: str, unit: str | None, dari: int, tahun: int | None) -> None:
    """Continue a counter from the paper agenda.

    Refused once the register holds a number at or above the one given.

    \b
    Example:
      docgen register mulai --dari 148
    """
    tahun = tahun or dt.date.today().year
    with Register.for_workspace(app.ws) as reg:
        reg.start(tahun, dari, klasifikasi=klasifikasi, unit=unit)
    click.echo(f"{tahun}" + (f" {klasifikasi or unit or ''}".rstrip()) + f": the next number is {dari}")


@register_group.command("list")
@options.tahun("Only this year.")
@click.option("--klasifikasi", "-k", help="Only this code and the codes under it.")
@options.dari_sampai("Only letters dated")
@pass_app
def list_(app: App, tahun: int | None, klasifikasi: str | None, dari: dt.date | None,
          sampai: dt.date | None) -> None:
    """Show the register; void numbers are marked BATAL.

    \b
    Examples:
      docgen register list --tahun 2026
      docgen register list -k 000.7 --dari 1-10-2026 --sampai 31-12-2026
    """
    with Register.for_workspace(app.ws) as reg:
        entries = reg.list(tahun=tahun, klasifikasi=klasifikasi)
        starts = reg.starts(tahun)
    for t_, _lingkup, kunci, awal in starts:  # where docgen took over from the paper agenda
        click.echo(f"{t_}" + (f" {kunci}" if kunci else "") + f": continued from the paper agenda at {awal}")
    entries = [e for e in entries if (dari is None or e.tanggal >= dari)
               and (sampai is None or e.tanggal <= sampai)]
    if not entries:
        click.echo("the register has no entries"
                   + (" for that filter" if tahun or klasifikasi or dari or sampai else ""))
        return
    t = Table(show_header=True, header_style="bold")
    for name in agenda.KOLOM[:-1]:
        t.add_column(name, no_wrap=name in ("Nomor Surat", "Tanggal", "Kode Klasifikasi"))
    t.add_column("Status")
    for i, e in enumerate(entries, start=1):
        status = {"batal": f"[red]BATAL: {e.alasan}[/red]", "dipesan": "[yellow]dipesan[/yellow]"}.get(
            e.status, "terbit")
        nomor = f"[red strike]{e.nomor}[/red strike]" if e.batal else e.nomor
        t.add_row(str(i), nomor, formatting.tanggal(e.tanggal), e.klasifikasi, e.perihal, e.tujuan, status)
    out = console()
    out.print(t)
    batal = sum(e.batal for e in entries)
    out.print(f"{len(entries)} number(s), {batal} void")


@register_group.command()
@options.tahun("Year of the buku agenda (default: this year).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output folder).")
@pass_app
def export(app: App, tahun: int | None, out_dir: Path | None) -> None:
    """Write the buku agenda surat keluar of a year as XLSX and DOCX.

    \b
    Example:
      docgen register export --tahun 2026 -o arsip/agenda
    """
    ws = app.ws
    tahun = tahun or dt.date.today().year
    with Register.for_workspace(ws) as reg:
        entries = reg.list(tahun=tahun)
    xlsx, docx = agenda.export(ws, entries, tahun, out_dir or ws.output_dir)
    click.echo(f"{agenda.judul(tahun)}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
    click.echo(str(xlsx))
    click.echo(str(docx))
