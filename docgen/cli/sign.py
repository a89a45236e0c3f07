"""sign, verify: thin commands over docgen.sign."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..sign import cli_support, verdict, verify_pdf
from ..sign import verify as v
from ..sign.sign import check_pdf
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

    \b
    Examples:
      docgen sign keluaran/laporan-2026-TW3.pdf --signer kepala
      docgen sign keluaran/*.pdf --signer sekretaris
    """
    if out is not None and len(pdfs) > 1:
        raise click.UsageError("-o/--out takes one input PDF; without it each gets <name>-ttd.pdf")
    ws = app.ws
    for pdf in pdfs:  # check every input before asking for the passphrase
        check_pdf(pdf)
    prompt = _prompt if sys.stdin.isatty() else None
    key = cli_support.signer_for_workspace(ws, name, prompt=prompt)
    for pdf in pdfs:
        dst = cli_support.sign_for_workspace(ws, pdf, name, out, signer=key)
        click.echo(f"signed: {dst}  ({key[1].nama})")


def _prompt(text: str) -> str:
    return click.prompt(text, hide_input=True, err=True)


_VERIFY_HELP = f"""Verify the electronic signatures (TTE) of each PDF.

Each signature is checked: intact, cryptographically valid, trusted (chains to a
trust root: --trust, else [tte] trust_roots of the workspace), who signed and when,
what it covers, and whether the document was modified after signing.

\b
Exit codes (with several PDFs, the worst of them):
  {v.OK}   every signature intact, valid and trusted; nothing modified after
      (document timestamps are checked too; their TSA need not be trusted)
  {v.NO_SIGNATURE}  no signature in the PDF (a document timestamp alone is none)
  {v.UNTRUSTED}  signatures intact, but a certificate is not trusted
  {v.BROKEN}  a signature is broken, or the document was modified after signing
  {v.METADATA_CHANGED}  signatures intact and valid over what they signed, but the metadata
      (/Title, /DocgenNomor... or XMP) was changed after signing
  1   bad input (not a PDF, unreadable trust root)

\b
Examples:
  docgen verify keluaran/laporan-2026-TW3-ttd.pdf
  docgen verify surat.pdf --trust bsre-root.pem
"""


def _yn(flag: bool) -> str:
    return "yes" if flag else "NO"


@click.command(help=_VERIFY_HELP)
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path),
                metavar="PDF...")
@click.option("--trust", "trust", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="CERT", help="CA certificate (PEM/DER) to trust; repeatable. "
              "Default: [tte] trust_roots of the workspace.")
@pass_app
def verify(app: App, pdfs: tuple[Path, ...], trust: tuple[Path, ...]) -> None:
    ws = app.ws_or_none()
    roots = list(trust) or cli_support.trust_roots(ws)
    if not roots:
        click.echo("note: no trust roots (use --trust CERT or [tte] trust_roots)")
    # times as the stamp prints them: in the office's zone (WIB...), not the CMS's UTC
    zone = ws.config.tte.sekarang().tzinfo if ws is not None else None
    worst = v.OK
    for pdf in pdfs:
        code = _verify_one(pdf, roots, zone)
        worst = v.worst(worst, code)
    if len(pdfs) > 1:
        click.echo(f"{len(pdfs)} PDF(s) checked: " + _RINGKASAN[worst])
    if worst:
        raise click.exceptions.Exit(worst)


def _when(t: dt.datetime | None, zone: dt.tzinfo | None) -> str:
    if t is None:
        return "unknown"
    return waktu(t.astimezone(zone) if zone is not None and t.tzinfo is not None else t)


def _verify_one(pdf: Path, roots: list[Path], zone: dt.tzinfo | None = None) -> int:
    statuses = verify_pdf(pdf, roots)
    code = verdict(statuses)
    n_ts = sum(s.kind == "timestamp" for s in statuses)
    extra = f", {n_ts} document timestamp(s)" if n_ts else ""
    click.echo(f"{pdf}: {len(statuses) - n_ts} signature(s){extra}")
    for s in statuses:
        if s.kind == "timestamp":
            click.echo(f"  document timestamp {s.field_name}")
            click.echo(f"    TSA:       {s.signer_subject or s.signer}")
            click.echo(f"    time:      {_when(s.signing_time, zone)}")
        else:
            click.echo(f"  signature {s.field_name}")
            click.echo(f"    signer:    {s.signer}")
            click.echo(f"    subject:   {s.signer_subject}")
            click.echo(f"    signed at: {_when(s.signing_time, zone)}"
                       + (" (the signer's computer clock)" if s.timestamp else ""))
            if s.timestamp_ok is not None:
                state = ("valid" if s.timestamp_ok else "BROKEN") + (
                    ", TSA trusted" if s.timestamp_trusted else ", TSA not trusted")
                click.echo(f"    timestamp: {_when(s.timestamp, zone)} by {s.timestamp_by or '?'} ({state})")
        click.echo("    intact:    " + ("yes (the signed revision hashes to the signed digest)" if s.intact
                                        else "NO (the signed bytes were altered)"))
        # pyHanko's "valid" is the signature over the signed attributes: never "yes" beside
        # bytes that no longer match them
        click.echo("    valid:     " + ("yes (the signature over the signed revision)" if s.valid and s.intact
                                        else "NO"))
        click.echo(f"    trusted:   {_yn(s.trusted)}")
        click.echo(f"    coverage:  {s.coverage}")
        click.echo(f"    modified after signing: {'YES' if s.modified_after else 'no'}"
                   f" (level {s.modification}, docmdp {'ok' if s.docmdp_ok else s.docmdp_ok})")
        if s.metadata_changed:
            click.echo(f"    metadata changed after signing: {', '.join(s.metadata_changed)}")
        click.echo(f"    {s.summary}")
    click.echo(_RINGKASAN[code])
    return code


_RINGKASAN = {
    v.OK: f"{v.SAH_ID}.",
    v.NO_SIGNATURE: "Dokumen tidak memiliki tanda tangan elektronik.",
    v.UNTRUSTED: "Tanda tangan elektronik utuh, tetapi sertifikatnya tidak dipercaya.",
    v.BROKEN: "Tanda tangan elektronik tidak sah atau dokumen telah diubah setelah ditandatangani.",
    v.METADATA_CHANGED: ("Tanda tangan elektronik utuh, tetapi metadata dokumen diubah setelah "
                         "ditandatangani (metadata changed after signing)."),
}
