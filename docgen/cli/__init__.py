"""The `docgen` command: a thin shell over the library.

Each command group lives in its own module and registers itself on the main group.
Errors the user can fix are printed as one clear message (file, field, fix) with a
non-zero exit code and no traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from .. import __version__
from ..errors import DocgenError
from ..workspace import Workspace, find

# Modules under docgen.cli that add commands; each exposes register(group).
COMMAND_MODULES = ["core", "register", "codes", "collect", "sign", "archive", "suratmasuk", "demo", "tte",
                   "web"]


class App:
    """Per-invocation state: the workspace is found lazily, only by commands that need it."""

    def __init__(self, workspace: str | None) -> None:
        self._explicit = workspace
        self._ws: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            self._ws = find(explicit=self._explicit)
        return self._ws

    def ws_or_none(self) -> Workspace | None:
        try:
            return self.ws
        except DocgenError:
            return None


pass_app = click.make_pass_decorator(App)


def console(**kwargs: object) -> Console:
    """Rich output for the commands. Piped output (tests, `| grep`, a script) gets wide
    lines, so a nomor or a file name is never wrapped in two."""
    return Console(width=None if sys.stdout.isatty() else 200, **kwargs)  # type: ignore[arg-type]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--workspace", "-W", envvar="DOCGEN_WORKSPACE", type=click.Path(file_okay=False, path_type=Path),
    help="Workspace folder (default: the folder holding docgen.toml, from here upward).",
)
@click.version_option(__version__, prog_name="docgen")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """Produce, number, sign and file the official documents of an Indonesian
    regional-government office (SOP, disposisi, permintaan-data, laporan, surat-pengantar).

    \b
    Examples:
      docgen init ~/kantor
      docgen make disposisi contoh/disposisi.yaml --pdf
      docgen --workspace D:/kantor register list --tahun 2026

    \b
    Shell completion (bash; zsh and fish alike, see the README):
      eval "$(_DOCGEN_COMPLETE=bash_source docgen)"
    """
    ctx.obj = App(str(workspace) if workspace else None)


def _load_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # command group not built yet
            raise
        module.register(cli)


_load_commands()


def main(argv: list[str] | None = None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="docgen", standalone_mode=False)
    except DocgenError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except PermissionError as exc:
        # On Windows a file open in Word or Excel cannot be written, replaced or (for Excel)
        # read: every command meets it, so it is said here once, not in each command.
        click.secho(f"error: {_held_file(exc)} is open in another program (Word/Excel): "
                    "close it and run again", fg="red", err=True)
        click.echo("  fix: if it is not open anywhere, check that you may write to it and "
                   "to its folder", err=True)
        return 1
    except Exception as exc:  # a bug, not bad input: short message unless debugging
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        click.secho(f"internal error: {type(exc).__name__}: {exc}", fg="red", err=True)
        click.echo("  set DOCGEN_DEBUG=1 to see the traceback, and report it", err=True)
        return 70
    return rv if isinstance(rv, int) else 0


def _held_file(exc: PermissionError) -> str:
    """The file a PermissionError is about (on a replace, the target Word holds)."""
    name = exc.filename2 or exc.filename
    return str(name) if name is not None else "a file"


def run() -> None:  # pragma: no cover - console entry
    sys.exit(main())
