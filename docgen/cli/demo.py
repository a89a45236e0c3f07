"""`docgen demo DIR`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from .. import demo as demo_mod
from . import console as _console


def register(cli: click.Group) -> None:
    cli.add_command(demo)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Empty DIRECTORY first if it is not empty.")
def demo(directory: Path, force: bool) -> None:
    """Run the SOP "Mekanisme Pengumpulan Data Kinerja" end to end in a fresh workspace
    in DIRECTORY: disposisi, forms, filled forms, rekap, laporan, signature, surat
    pengantar, archive. Prints where each output is.

    \b
    Example:
      docgen demo demo-out
    """
    console = _console()
    with console.status("working...") as status:
        result = demo_mod.run(directory, force=force, progress=lambda m: (status.update(m), console.print(f"[dim]{m}[/dim]")))
    table = Table(title=f"docgen demo: outputs in {result.root}", show_lines=False)
    table.add_column("what")
    table.add_column("where", overflow="fold")
    for what, path in result.outputs:
        table.add_row(what, demo_mod._rel(path, result.root))
    console.print(table)
    for what, fact in result.facts:
        console.print(f"[bold]{what}:[/bold] {fact}", soft_wrap=True)
    console.print(
        f"\nnext: cd {result.root} && docgen verify {demo_mod._rel(result.signed_laporan, result.root)}"
        " ; docgen register list ; docgen archive search laporan",
        soft_wrap=True,
    )
    _demo_users(console, result.root)


def _demo_users(console, root: Path) -> None:
    """One account per role for `docgen serve`, and how to start it."""
    import os

    from .. import workspace
    from ..web.demo import make_demo_users

    users = make_demo_users(workspace.load(root))
    table = Table(title="accounts for the browser (docgen serve)")
    for col in ("name", "role", "password"):
        table.add_column(col)
    for name, peran, password in users:
        table.add_row(name, peran, password)
    console.print(table)
    passphrase = os.environ.get(demo_mod.DEMO_PASSPHRASE_ENV, "")
    if passphrase:
        console.print(f"passphrase of the demo signing key (pejabat 'kepala'): {passphrase}", soft_wrap=True)
    console.print(f"serve: docgen -W {root} serve   then open http://localhost:8000/", soft_wrap=True)

