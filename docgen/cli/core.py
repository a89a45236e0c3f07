"""init, kinds, check, make."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import make as make_mod
from .. import workspace
from ..kinds import all_kinds, describe_fields
from . import App, pass_app

console = Console()


def register(cli: click.Group) -> None:
    cli.add_command(init)
    cli.add_command(kinds)
    cli.add_command(check)
    cli.add_command(make)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing docgen.toml and templates.")
def init(directory: Path, force: bool) -> None:
    """Create a workspace in DIRECTORY: docgen.toml, templates, examples, archive/."""
    ws = workspace.init(directory, force=force)
    click.echo(f"workspace created: {ws.root}")
    click.echo(f"  settings:  {ws.config_file}  (edit the kop surat, pejabat and bidang)")
    click.echo(f"  templates: {ws.templates_dir}  (open and restyle in Word)")
    click.echo(f"  examples:  {ws.root / 'contoh'}")
    click.echo(f"  archive:   {ws.archive_dir}")
    click.echo(f"next: cd {ws.root} && docgen make sop contoh/sop/000-kediri-diskominfo.yaml --pdf")


@click.command()
@click.option("--fields/--no-fields", default=True, help="Show each kind's fields.")
@pass_app
def kinds(app: App, fields: bool) -> None:
    """List the document kinds and the fields each needs."""
    ws = app.ws_or_none()
    for kind in all_kinds(ws).values():
        console.print(f"[bold]{kind.name}[/bold]  {kind.title}" + ("  (numbered)" if kind.numbered else ""))
        if kind.description:
            console.print(f"  {escape(kind.description)}")  # "[pejabat]" is not markup
        if fields:
            t = Table(show_header=True, box=None, padding=(0, 2))
            t.add_column("field")
            t.add_column("required")
            t.add_column("meaning")
            for name, desc, req in describe_fields(kind.model):
                t.add_row(name, "yes" if req else "", escape(desc))
            console.print(t)


@click.command()
@click.argument("kind")
@click.argument("file", type=click.Path(path_type=Path))
@pass_app
def check(app: App, kind: str, file: Path) -> None:
    """Check a data FILE of KIND against the format, without writing anything."""
    findings = make_mod.check(app.ws_or_none(), kind, file)
    errors = [f for f in findings if f.level == "error"]
    for f in findings:
        colour = "red" if f.level == "error" else "yellow"
        click.secho(f"{file}: {f.field}: {f.level}: {f.message}", fg=colour, err=True)
        if f.fix:
            click.echo(f"  fix: {f.fix}", err=True)
    if errors:
        raise click.exceptions.Exit(1)
    click.echo(f"{file}: ok" + (f" ({len(findings)} warning(s))" if findings else ""))


@click.command()
@click.argument("kind")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the workspace's output folder).")
@click.option("--pdf", is_flag=True, help="Also convert to PDF with LibreOffice.")
@pass_app
def make(app: App, kind: str, file: Path, out_dir: Path | None, pdf: bool) -> None:
    """Make a document of KIND from its YAML data FILE."""
    result = make_mod.make(app.ws, kind, file, out_dir, pdf=pdf)
    if result.nomor:
        click.echo(f"nomor: {result.nomor}")
    for p in result.docx + result.pdf:
        click.echo(str(p))
    for note in result.notes:
        click.echo(note, err=note.startswith("warning:"))
