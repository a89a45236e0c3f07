"""`docgen collect`: filled permintaan-data forms -> rekap (JSON + XLSX) with capaian."""

from __future__ import annotations

from pathlib import Path

import click

from . import App, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(collect)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--periode", help='Accept only forms of this period key, e.g. "2026-TW3".')
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the rekap XLSX (default: the workspace's output folder).")
@pass_app
def collect(app: App, paths: tuple[Path, ...], periode: str | None, out_dir: Path | None) -> None:
    """Read the filled forms (FILES, or the files in a DIR) into the rekap of their period.

    Forms saved as .doc/.odt/.rtf/.xls/.ods are converted with LibreOffice; a PDF or any
    other file in the folder is a problem, never skipped. All forms are checked first; if
    any has a problem, every problem is listed with its file, row and column and nothing
    is written.

    \b
    Examples:
      docgen collect masuk/
      docgen collect masuk/ikp.docx masuk/aptika.xlsx --periode 2026-TW3
    """
    from ..collect import collect as run

    result = run(app.ws, list(paths), periode=periode, out_dir=out_dir)
    click.echo(f"{len(result.forms)} form(s) collected")
    for note in result.notes:
        click.echo(f"note: {note}")
    for per, data in result.rekap.items():
        kl = data["kelengkapan"]
        n = len(kl["diharapkan"])
        label = data.get("periode_label") or per
        if kl["lengkap"]:
            click.echo(f"{label} ({per}): complete, {len(kl['masuk'])} of {n} Bidang")
        else:
            click.echo(f"{label} ({per}): {len(kl['masuk'])} of {n} Bidang in; still missing: "
                       + ", ".join(kl["belum_nama"]))
    for p in result.outputs:
        click.echo(str(p))
