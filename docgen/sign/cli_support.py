"""Signing and verifying with a workspace's settings ([tte] in docgen.toml).

What `docgen sign` / `docgen verify` and `docgen demo` share: finding the signer's
key and pejabat, the passphrase (environment variable, else a prompt the caller
supplies; never a command-line option), the trust roots.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..config import Pejabat
from ..errors import ConfigError, InputError
from ..workspace import Workspace
from .sign import default_output, sign_pdf
from .signer import Pkcs12Signer
from .verify import SignatureStatus, verify_pdf

Prompt = Callable[[str], str]
# Written by `docgen serve` while it runs: the address its public /v/<doc id> page answers at.
SERVED_FILE = ".docgen-serve"


def served_verify_url(ws: Workspace) -> str:
    """"<address of docgen serve>/v/" while the workspace is served, else ""."""
    try:
        url = (ws.root / SERVED_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return url.rstrip("/") + "/v/" if url.startswith(("http://", "https://")) else ""


def signer_for_workspace(
    ws: Workspace, name: str, *, prompt: Prompt | None = None, passphrase: str | None = None,
) -> tuple[Pkcs12Signer, Pejabat]:
    """The key of [tte.penandatangan.NAME], opened once, and the pejabat it signs as.
    A ``passphrase`` given (typed by the signer in the browser) is used as it is."""
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
    p12 = ws.path(pen.p12)
    if not p12.is_file():
        raise ConfigError(
            f"PKCS#12 key file {p12} not found", file=ws.config_file, field=f"{where}.p12",
            fix="put the signer's .p12 there, or fix the path (relative to the workspace)",
        )
    source = "the passphrase typed"
    if passphrase is None:
        passphrase = os.environ.get(pen.passphrase_env)
        source = f"${pen.passphrase_env}"
    if passphrase is None:
        if prompt is None:
            raise ConfigError(
                f"no passphrase: ${pen.passphrase_env} is not set and there is no terminal to ask",
                file=ws.config_file, field=f"{where}.passphrase_env",
                fix=f"set {pen.passphrase_env} in the environment, or run interactively",
            )
        passphrase = prompt(f"Passphrase for {p12.name}")
        source = "the prompt"
    return Pkcs12Signer(p12, passphrase, field=f"{where}.p12", passphrase_from=source), pejabat


def sign_for_workspace(
    ws: Workspace, pdf: str | Path, name: str, out: str | Path | None = None, *,
    signer: tuple[Pkcs12Signer, Pejabat] | None = None, prompt: Prompt | None = None,
    verify_url: str | None = None,
) -> Path:
    """Sign one PDF as [tte.penandatangan.NAME] with the workspace's footer and
    verification URL; with [tte] verifikasi_url empty, ``verify_url`` (the web app's own
    page) or, while `docgen serve` runs, its /v/ page; default output ``<name>-ttd.pdf``."""
    pdf = Path(pdf)
    if not pdf.is_file():
        raise InputError("file not found", file=pdf, fix="give the path of an existing PDF")
    key, pejabat = signer or signer_for_workspace(ws, name, prompt=prompt)
    tte = ws.config.tte
    try:
        return sign_pdf(pdf, Path(out) if out else default_output(pdf), key, pejabat=pejabat,
                        doc_id=None, footer=tte.footer, verify_url=tte.verifikasi_url or verify_url or served_verify_url(ws),
                        when=tte.sekarang(), tsa_url=tte.tsa_url, tsa_timeout=tte.tsa_timeout)
    except ConfigError as exc:
        if exc.file is None:  # a setting sign_pdf was given: it lives in docgen.toml
            exc.file = str(ws.config_file)
        raise


def trust_roots(ws: Workspace | None) -> list[Path]:
    return [ws.path(r) for r in ws.config.tte.trust_roots] if ws is not None else []


def verify_for_workspace(
    ws: Workspace | None, pdf: str | Path | bytes, trust: Sequence[Path] = (),
) -> list[SignatureStatus]:
    """verify_pdf against --trust certificates if given, else [tte] trust_roots."""
    return verify_pdf(pdf, list(trust) or trust_roots(ws))
