"""codes search: find a kode klasifikasi (Permendagri 83/2022 plus the office's own table)."""

from __future__ import annotations

import click
from rich.table import Table

from ..register import codes as codes_mod
from . import App, console, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(codes)



@click.group()
def codes() -> None:
    """Classification codes (kode klasifikasi arsip) used in letter numbers.

    \b
    Example:
      docgen codes search laporan kinerja
    """


@codes.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(min=1), default=50, show_default=True,
              help="Show at most this many codes.")
@pass_app
def search(app: App, text: tuple[str, ...], limit: int) -> None:
    """Find codes by words of their uraian (all words must match) or by code prefix.

    \b
    Examples:
      docgen codes search agenda
      docgen codes search laporan kinerja
      docgen codes search 000.5.3

    Exits 1 when nothing matches.
    """
    table = codes_mod.table(app.ws_or_none())
    query = " ".join(text).strip()
    if not query:
        click.echo("error: give words of the uraian or a code prefix to search for", err=True)
        click.echo('  fix: e.g. docgen codes search "laporan kinerja"', err=True)
        raise click.exceptions.Exit(1)
    hits = codes_mod.search(table, query)
    if not hits:
        click.echo(f"no code matches {query!r} among {len(table):,} codes", err=True)
        click.echo("  try fewer or shorter words, or a code prefix such as 000.5", err=True)
        raise click.exceptions.Exit(1)
    t = Table(show_header=True, header_style="bold")
    t.add_column("Kode", no_wrap=True)
    t.add_column("Uraian")
    # Many uraian repeat ("Pelaporan" under several headings): show where each belongs.
    t.add_column("Bagian dari")
    for kode, uraian in hits[:limit]:
        parts = kode.split(".")
        parents = [table.get(".".join(parts[:i]), "") for i in range(1, len(parts))]
        t.add_row(kode, uraian, " › ".join(p for p in parents if p))
    out = console()
    out.print(t)
    if len(hits) > limit:
        out.print(f"{len(hits) - limit} more; narrow the search or use --limit {len(hits)}")
