"""`docgen tte demo-key NAME`: a demo signing key to try `docgen sign` without a BSrE certificate."""

from __future__ import annotations

import click

from . import App, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(tte)


@click.group()
def tte() -> None:
    """Signing keys (TTE) of the workspace.

    \b
    Example:
      docgen tte demo-key kepala
    """


@tte.command("demo-key")
@click.argument("name")
@click.option("--pejabat", "pejabat_key", metavar="KEY",
              help="The [pejabat] key the signer signs as (default: NAME).")
@click.option("--force", is_flag=True, help="Replace NAME's key if it has one.")
@pass_app
def demo_key(app: App, name: str, pejabat_key: str | None, force: bool) -> None:
    """Make a DEMO signing key for NAME and record it in docgen.toml as
    [tte.penandatangan.NAME], its demo CA in [tte] trust_roots.

    Only to try signing: a real office signs with its BSrE certificate (put its .p12
    path in [tte.penandatangan.NAME] p12).

    \b
    Examples:
      docgen tte demo-key kepala
      docgen tte demo-key sekretaris --pejabat sekretaris --force
    """
    from ..sign.demo_keys import enable_demo_signer

    ws = app.ws
    k = enable_demo_signer(ws, name, pejabat_key=pejabat_key, force=force)
    rel = lambda p: p.relative_to(ws.root)  # noqa: E731
    click.echo(f"demo key for {k.pejabat.nama} ({k.pejabat.jabatan}); a DEMO certificate, not BSrE's")
    click.echo(f"  key (PKCS#12): {rel(k.p12)}")
    click.echo(f"  demo CA:       {rel(k.ca)}  (in [tte] trust_roots, so `docgen verify` trusts it)")
    click.echo(f"  passphrase:    {k.passphrase}")
    click.echo(f"  docgen.toml:   [tte.penandatangan.{name}] " + ("added" if k.added else "updated"))
    click.echo(f"next: docgen sign FILE.pdf --signer {name}   (type the passphrase when asked, or set "
               f"{k.passphrase_env} to it first)")
