"""`docgen serve` and `docgen user`: the browser application and its accounts."""

from __future__ import annotations

import sys

import click

from . import App, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(serve)
    cli.add_command(user)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens it to the office LAN.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=24, show_default=True, type=int,
              help="Requests served at once (a letter waiting for its nomor holds one).")
@pass_app
def serve(app: App, host: str, port: int, threads: int) -> None:
    """Serve the workspace in the browser (waitress; Windows and Linux).

    \b
    Examples:
      docgen serve
      docgen serve --host 0.0.0.0 --port 8080
    """
    from waitress import serve as waitress_serve

    from ..web import application, public_url

    ws = app.ws
    wsgi = application(ws, host=host, port=port)
    from .. import convert

    warm = getattr(convert, "warm", None)  # a warm LibreOffice for Terbitkan (issue 17's converter)
    if warm is not None:
        warm(ws, wait=True)
    kw: dict = {}
    if ws.config.web.https:  # behind Caddy/nginx on this machine: trust its X-Forwarded-Proto
        kw = {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"}}
    click.echo(f"docgen serves {ws.root}")
    click.echo(f"  open http://{'localhost' if host in ('127.0.0.1', 'localhost') else host}:{port}/ "
               "(Ctrl-C to stop)")
    click.echo(f"  QR codes of documents signed here point to {public_url(ws, host, port)}/v/<id>"
               if not ws.config.tte.verifikasi_url else
               f"  QR codes point to {ws.config.tte.verifikasi_url}<id> ([tte] verifikasi_url)")
    # while serving, `docgen sign` on this workspace points its QR codes here too
    from ..sign.cli_support import SERVED_FILE

    marker = ws.root / SERVED_FILE
    marker.write_text(public_url(ws, host, port) + "\n", encoding="utf-8")
    import signal

    # a service manager's SIGTERM stops it like Ctrl-C: the marker goes with it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        waitress_serve(wsgi, host=host, port=port, threads=threads, ident="docgen", **kw)
    finally:
        marker.unlink(missing_ok=True)


@click.group()
def user() -> None:
    """Accounts of the browser application (docgen serve).

    \b
    Examples:
      docgen user add siti --peran staf
      docgen user list
    """


@user.command("add")
@click.argument("name")
@click.option("--peran", required=True, type=click.Choice(["staf", "pejabat", "arsiparis", "admin"]),
              help="staf: drafts and numbers; pejabat: signs, voids; arsiparis: archive; admin: users, audit.")
@click.option("--pejabat", "pejabat_key", default="", metavar="KEY",
              help="For --peran pejabat: their key of [pejabat] in docgen.toml.")
@pass_app
def user_add(app: App, name: str, peran: str, pejabat_key: str) -> None:
    """Create account NAME. The password is read from standard input when it is not a
    terminal (`echo ... | docgen user add`), else asked twice.

    \b
    Examples:
      docgen user add siti --peran staf
      docgen user add kepala --peran pejabat --pejabat kepala
    """
    from ..web import setup

    ws = app.ws
    setup(ws)
    from ..web import akun
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    a = akun.add_user(ws, name, password, peran, pejabat_key)
    from ..web.jejak import catat

    catat(None, "pengguna", pengguna="(docgen user add)", keterangan=f"{a.user.username} ({a.peran})")
    click.echo(f"user {a.user.username} created ({a.peran}{', ' + a.pejabat if a.pejabat else ''})")


@user.command("list")
@pass_app
def user_list(app: App) -> None:
    """List the accounts.

    \b
    Examples:
      docgen user list
    """
    from ..web import setup

    setup(app.ws)
    from ..web import akun
    rows = akun.list_users()
    if not rows:
        click.echo("no accounts yet: `docgen user add NAME --peran admin`")
        return
    for a in rows:
        last = a.user.last_login.isoformat(timespec="minutes") if a.user.last_login else "never"
        click.echo(f"{a.user.username:<20} {a.peran:<10} {a.pejabat or '-':<20} "
                   f"{'active' if a.user.is_active else 'inactive'}  last login: {last}")
