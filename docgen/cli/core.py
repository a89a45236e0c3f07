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


# `docgen init`'s questions: (name, prompt, required); the names are office.NAMES.
_QUESTIONS = [
    ("pemerintah", "Pemerintah (e.g. PEMERINTAH KABUPATEN SIGI)", True),
    ("instansi", "Instansi, the office's name ('|' between lines, e.g. KECAMATAN BIROMARU)", True),
    ("alamat", "Alamat (street and town)", True),
    ("kode_pos", "Kode pos", False),
    ("telepon", "Telepon", False),
    ("email", "Email", False),
    ("laman", "Laman (website)", False),
    ("kota", "Kota, the place written before dates (e.g. Biromaru)", True),
    ("kode_unit", "Kode unit, the office's code in letter numbers (e.g. Kec.Brm)", True),
    ("kepala_jabatan", "Jabatan of the head (e.g. Camat Biromaru)", True),
    ("kepala_nama", "Nama of the head, with titles", True),
    ("kepala_pangkat", "Pangkat/golongan of the head", False),
    ("kepala_nip", "NIP of the head (18 digits)", False),
]


def _name_options(f):
    for name, question, _ in reversed(_QUESTIONS):
        label = question.split(" (")[0].split(",")[0]
        f = click.option(f"--{name.replace('_', '-')}", name, multiple=name == "instansi",
                         metavar="TEXT", help=f"{label}." + (" Repeat for a second and third line."
                                                             if name == "instansi" else ""))(f)
    return f


def interactive() -> bool:
    """A clerk at a terminal (not a script or a test): init asks for the names."""
    import sys

    return sys.stdin.isatty()


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_name_options
@click.option("--zona-waktu", "zona_waktu", type=click.Choice(["WIB", "WITA", "WIT"]),
              help="The office's time zone, for signing times and the archive (default WIB).")
@click.option("--contoh", is_flag=True,
              help="Keep the example office (Dinas Kominfo Kota Kediri) without asking: to try docgen.")
@click.option("--force", is_flag=True, help="Overwrite an existing docgen.toml and templates.")
def init(directory: Path, contoh: bool, force: bool, **given: object) -> None:
    """Create a workspace in DIRECTORY: docgen.toml, templates, examples, archive/.

    In a terminal it asks for the office's names (kop surat and the head); the options
    give them without asking. What is not given stays the example office's, and
    `docgen check-config` lists it.

    \b
    Examples:
      docgen init ~/kantor
      docgen init kecamatan --pemerintah "PEMERINTAH KABUPATEN SIGI" --instansi "KECAMATAN BIROMARU" \\
        --alamat "Jalan Poros Palu-Palolo, Biromaru" --kota Biromaru --kode-unit Kec.Brm \\
        --kepala-jabatan "Camat Biromaru" --kepala-nama "ANDI MAHMUD, S.STP." --zona-waktu WITA
      docgen init coba --contoh
    """
    from .. import office

    names: dict[str, str | list[str]] = {}
    for name, value in given.items():
        if value:
            names[name] = list(value) if isinstance(value, tuple) else str(value)  # type: ignore[arg-type]
    if not contoh and interactive():
        click.echo("The office's names for the kop surat and the head (Enter skips an optional one):")
        for name, question, required in _QUESTIONS:
            if name not in names:
                answer = click.prompt(f"  {question}", default="" if not required else None,
                                      show_default=False).strip()
                if answer:
                    names[name] = answer
        if "zona_waktu" not in names:
            names["zona_waktu"] = click.prompt("  Zona waktu of the office", default="WIB",
                                               type=click.Choice(["WIB", "WITA", "WIT"]))
    ws = workspace.init(directory, force=force, names=names or None)
    click.echo(f"workspace created: {ws.root}")
    click.echo(f"  settings:  {ws.config_file}  (edit the kop surat, pejabat and bidang)")
    click.echo(f"  templates: {ws.templates_dir}  (open and restyle in Word)")
    click.echo(f"  examples:  {ws.root / 'contoh'}")
    click.echo(f"  archive:   {ws.archive_dir}")
    left = office.leftovers(ws)
    if names and left:
        click.echo(f"still the example office's in docgen.toml: {', '.join(x.field for x in left)}; "
                   "edit them (`docgen check-config` lists them)")
    elif not names:
        click.echo("docgen.toml holds the example office (Dinas Kominfo Kota Kediri): edit it, or "
                   "run `docgen init DIR --force` in a terminal to be asked for your office's names")
    click.echo(f"next: cd {ws.root} && docgen make sop contoh/sop/000-kediri-diskominfo.yaml --pdf")


@click.command()
@click.option("--fields/--no-fields", default=True, help="Show each kind's fields.")
@pass_app
def kinds(app: App, fields: bool) -> None:
    """List the document kinds and the fields each needs.

    \b
    Examples:
      docgen kinds
      docgen kinds --no-fields
    """
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
    """Check a data FILE of KIND against the format, without writing anything.

    \b
    Example:
      docgen check disposisi contoh/disposisi.yaml
    """
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

    Making the same FILE again keeps its nomor; --draft takes none.

    \b
    Examples:
      docgen make disposisi contoh/disposisi.yaml --pdf
      docgen make sop contoh/sop/000-kediri-diskominfo.yaml -o keluaran/sop
      docgen make surat-pengantar contoh/surat-pengantar.yaml --draft --pdf
      docgen make surat-pengantar sp.yaml --nomor-baru --alasan "salah tujuan"
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
    classification table, and that [bidang] and [tte.penandatangan] name known pejabat.
    Warns about every value still the example office's.

    \b
    Example:
      docgen check-config
    """
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
    from .. import office

    left = office.leftovers(ws)
    for x in left:
        click.echo(f"warning: {ws.config_file}: {x}", err=True)
    click.echo(f"{ws.config_file}: ok" + (f" ({len(left)} value(s) still the example office's: "
                                          "edit them before the first letter)" if left else ""))
    click.echo(f"  {cfg.kop.pemerintah} / {' '.join(cfg.kop.instansi)}")
    n_pejabat = len(cfg.pejabat) - (cfg.pimpinan not in (None, "kepala"))  # "kepala" is then an alias
    click.echo(f"  {n_pejabat} pejabat, {len(cfg.bidang)} bidang, kertas {cfg.kertas.ukuran}, "
               f"nomor {cfg.penomoran.format} (lingkup {cfg.penomoran.lingkup})")
