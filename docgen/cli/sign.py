"""sign, verify: thin commands over docgen.sign."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import ConfigError, InputError
from ..sign import Pkcs12Signer, default_output, sign_pdf, verdict, verify_pdf
from ..sign import verify as v
from ..sign.stamp import waktu
from . import App, pass_app


def register(cli: click.Group) -> None:
    cli.add_command(sign)
    cli.add_command(verify)


@click.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--signer", "name", required=True, metavar="NAME",
              help="A signer from [tte.penandatangan.NAME] in docgen.toml.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (one PDF only; default: <name>-ttd.pdf next to the input).")
@pass_app
def sign(app: App, pdfs: tuple[Path, ...], name: str, out: Path | None) -> None:
    """Sign PDF(s) with PAdES and a visible QR stamp, as an incremental update.

    The key is the PKCS#12 file of [tte.penandatangan.NAME]; its passphrase comes from
    the environment variable named there (passphrase_env), else from a prompt. It is
    never taken from the command line. The key is opened once for all PDFs.
    """
    if out is not None and len(pdfs) > 1:
        raise click.UsageError("-o/--out takes one input PDF; without it each gets <name>-ttd.pdf")
    ws = app.ws
    tte = ws.config.tte
    where = f"tte.penandatangan.{name}"
    pen = tte.penandatangan.get(name)
    if pen is None:
        known = ", ".join(sorted(tte.penandatangan)) or "(none)"
        raise ConfigError(
            f"unknown signer {name!r}; known: {known}", file=ws.config_file, field=where,
            fix=f"add [{where}] with pejabat, p12 and passphrase_env to docgen.toml",
        )
    pejabat = ws.pejabat(pen.pejabat, field=f"{where}.pejabat")
    for pdf in pdfs:  # check every input before asking for the passphrase
        if not pdf.is_file():
            raise InputError("file not found", file=pdf, fix="give the path of an existing PDF")
    p12 = ws.path(pen.p12)
    if not p12.is_file():
        raise ConfigError(
            f"PKCS#12 key file {p12} not found", file=ws.config_file, field=f"{where}.p12",
            fix="put the signer's .p12 there, or fix the path (relative to the workspace)",
        )
    passphrase = os.environ.get(pen.passphrase_env)
    source = f"${pen.passphrase_env}"
    if passphrase is None:
        if not sys.stdin.isatty():
            raise ConfigError(
                f"no passphrase: ${pen.passphrase_env} is not set and there is no terminal to ask",
                file=ws.config_file, field=f"{where}.passphrase_env",
                fix=f"set {pen.passphrase_env} in the environment, or run interactively",
            )
        passphrase = click.prompt(f"Passphrase for {p12.name}", hide_input=True, err=True)
        source = "the prompt"
    signer = Pkcs12Signer(p12, passphrase, field=f"{where}.p12", passphrase_from=source)
    for pdf in pdfs:
        dst = out or default_output(pdf)
        sign_pdf(pdf, dst, signer, pejabat=pejabat, doc_id=None, footer=tte.footer,
                 verify_url=tte.verifikasi_url)
        click.echo(f"signed: {dst}  ({pejabat.nama})")


_VERIFY_HELP = f"""Verify the electronic signatures (TTE) of PDF.

Each signature is checked: intact, cryptographically valid, trusted (chains to a
trust root: --trust, else [tte] trust_roots of the workspace), who signed and when,
what it covers, and whether the document was modified after signing.

\b
Exit codes:
  {v.OK}   every signature intact, valid and trusted; nothing modified after
  {v.NO_SIGNATURE}  no signature in the PDF
  {v.UNTRUSTED}  signatures intact, but a certificate is not trusted
  {v.BROKEN}  a signature is broken, or the document was modified after signing
  1   bad input (not a PDF, unreadable trust root)
"""


def _yn(flag: bool) -> str:
    return "yes" if flag else "NO"


@click.command(help=_VERIFY_HELP)
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--trust", "trust", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="CERT", help="CA certificate (PEM/DER) to trust; repeatable. "
              "Default: [tte] trust_roots of the workspace.")
@pass_app
def verify(app: App, pdf: Path, trust: tuple[Path, ...]) -> None:
    roots = list(trust)
    if not roots:
        ws = app.ws_or_none()
        if ws is not None:
            roots = [ws.path(r) for r in ws.config.tte.trust_roots]
    statuses = verify_pdf(pdf, roots)
    code = verdict(statuses)
    click.echo(f"{pdf}: {len(statuses)} signature(s)")
    if not roots:
        click.echo("  note: no trust roots (use --trust CERT or [tte] trust_roots)")
    for s in statuses:
        when = waktu(s.signing_time) if s.signing_time else "unknown"
        click.echo(f"  signature {s.field_name}")
        click.echo(f"    signer:    {s.signer}")
        click.echo(f"    subject:   {s.signer_subject}")
        click.echo(f"    signed at: {when}")
        click.echo(f"    intact:    {_yn(s.intact)}")
        click.echo(f"    valid:     {_yn(s.valid)}")
        click.echo(f"    trusted:   {_yn(s.trusted)}")
        click.echo(f"    coverage:  {s.coverage}")
        click.echo(f"    modified after signing: {'YES' if s.modified_after else 'no'}"
                   f" (level {s.modification}, docmdp {'ok' if s.docmdp_ok else s.docmdp_ok})")
        click.echo(f"    {s.summary}")
    click.echo(_RINGKASAN[code])
    if code:
        raise click.exceptions.Exit(code)


_RINGKASAN = {
    v.OK: f"{v.SAH_ID}.",
    v.NO_SIGNATURE: "Dokumen tidak memiliki tanda tangan elektronik.",
    v.UNTRUSTED: "Tanda tangan elektronik utuh, tetapi sertifikatnya tidak dipercaya.",
    v.BROKEN: "Tanda tangan elektronik tidak sah atau dokumen telah diubah setelah ditandatangani.",
}
