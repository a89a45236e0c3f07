"""init, kinds, check, make."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import make as make_mod
from .. import workspace
from ..kinds import all_kinds, describe_fields
from . import App, console, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(init)
    cli.add_command(kinds)
    cli.add_command(check)
    cli.add_command(make)
    cli.add_command(check_config)


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
    out = console()
    for kind in all_kinds(ws).values():
        out.print(f"[bold]{kind.name}[/bold]  {kind.title}" + ("  (numbered)" if kind.numbered else ""))
        if kind.description:
            out.print(f"  {escape(kind.description)}")  # "[pejabat]" is not markup
        if fields:
            t = Table(show_header=True, box=None, padding=(0, 2))
            t.add_column("field")
            t.add_column("required")
            t.add_column("meaning")
            for name, desc, req in describe_fields(kind.model):
                t.add_row(name, "yes" if req else "", escape(desc))
            out.print(t)


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
@click.option("--draft", is_flag=True, help="A KONSEP: watermarked, nomor …/…/…/YYYY, no number taken.")
@click.option("--nomor-baru", is_flag=True, help="Take a new nomor and void the one this file had (needs --alasan).")
@click.option("--alasan", default=None, help="Why the old nomor is void (with --nomor-baru).")
@click.option("--yes", is_flag=True, help="Go on past warnings (back-dating) without asking.")
@pass_app
def make(app: App, kind: str, file: Path, out_dir: Path | None, pdf: bool, draft: bool, nomor_baru: bool,
         alasan: str | None, yes: bool) -> None:
    """Make a document of KIND from its YAML data FILE.

    Making the same FILE again keeps its nomor. Example:
    docgen make surat-pengantar contoh/surat-pengantar.yaml --draft --pdf
    """
    import sys

    from ..errors import InputError, NeedsConfirmation

    if alasan is not None and not nomor_baru:
        raise InputError("--alasan goes with --nomor-baru", field="alasan", fix="add --nomor-baru or drop --alasan")
    reason = (alasan or "") if nomor_baru else None
    try:
        result = make_mod.make(app.ws, kind, file, out_dir, pdf=pdf, draft=draft, nomor_baru=reason, yes=yes)
    except NeedsConfirmation as exc:
        # shown before any number is taken
        for f in exc.findings:
            click.secho(f"{file}: {f.field}: warning: {f.message}", fg="yellow", err=True)
        if not sys.stdin.isatty():
            raise
        click.confirm("take the number anyway?", abort=True)
        result = make_mod.make(app.ws, kind, file, out_dir, pdf=pdf, draft=draft, nomor_baru=reason, yes=True)
    if result.nomor:
        click.echo(f"nomor: {result.nomor}")
    for p in result.docx + result.pdf:
        click.echo(str(p))
    for note in result.notes:
        click.echo(note, err=note.startswith("warning:"))


@click.command("check-config")
@pass_app
def check_config(app: App) -> None:
    """Check docgen.toml: every field, the logo, the letter-number format, the
    classification table, and that [bidang] and [tte.penandatangan] name known pejabat."""
    from ..errors import ConfigError
    from ..register import codes as codes_mod
    from ..register import nomor as nomor_mod

    ws = app.ws  # loading validates every field
    cfg = ws.config
    problems: list[ConfigError] = []
    try:
        _ = ws.logo
    except ConfigError as exc:
        problems.append(exc)
    try:
        nomor_mod.parse(cfg.penomoran.format, cfg.penomoran.padding, cfg.penomoran.lingkup,
                        cfg.penomoran.kode)
    except nomor_mod.FormatProblem as exc:
        problems.append(ConfigError(str(exc), file=ws.config_file, field="penomoran.format", fix=exc.fix))
    try:
        codes_mod.table(ws)
    except ConfigError as exc:
        problems.append(exc)
    known = ", ".join(sorted(cfg.pejabat)) or "(none)"
    refs = [(f"bidang.{k}.pejabat", b.pejabat) for k, b in cfg.bidang.items() if b.pejabat]
    refs += [(f"tte.penandatangan.{k}.pejabat", p.pejabat) for k, p in cfg.tte.penandatangan.items()]
    for field, key in refs:
        if key not in cfg.pejabat:
            problems.append(ConfigError(f"unknown pejabat {key!r}", file=ws.config_file, field=field,
                                        fix=f"use one of the keys of [pejabat.*]: {known}"))
    if problems:
        for p in problems:
            click.echo(f"error: {p}", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"{ws.config_file}: ok")
    click.echo(f"  {cfg.kop.pemerintah} / {' '.join(cfg.kop.instansi)}")
    n_pejabat = len(cfg.pejabat) - (cfg.pimpinan not in (None, "kepala"))  # "kepala" is then an alias
    click.echo(f"  {n_pejabat} pejabat, {len(cfg.bidang)} bidang, kertas {cfg.kertas.ukuran}, "
               f"nomor {cfg.penomoran.format} (lingkup {cfg.penomoran.lingkup})")
