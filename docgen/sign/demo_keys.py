"""A demo/test PKI made with `cryptography`: a CA and one signer PKCS#12.

Only for tests and `docgen demo`: real offices sign with BSrE certificates. The
signer certificate carries the non-repudiation (content commitment) key usage,
because pyHanko does not trust a signing certificate without it by default.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ..config import Pejabat

if TYPE_CHECKING:
    from ..workspace import Workspace

CA_NAME = "docgen Demo CA (BUKAN UNTUK PRODUKSI)"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str, *, serial: str = "") -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "docgen demo"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def make_ca(cn: str = CA_NAME, *, days: int = 3650) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    name = _name(cn)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_signer_cert(
    ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate, cn: str, *, nip: str = "",
    days: int = 730, non_repudiation: bool = True,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = _key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, serial=nip))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=non_repudiation,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def write_p12(
    path: Path, key: rsa.RSAPrivateKey, cert: x509.Certificate, ca_cert: x509.Certificate,
    passphrase: str,
) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        name=cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value.encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_demo_pki(
    directory: str | Path, pejabat: Pejabat, *, name: str = "penandatangan",
    passphrase: str | None = None,
) -> tuple[Path, Path, str]:
    """Write ``demo-ca.pem`` and ``<name>.p12`` into directory.

    Returns (ca_cert_path, p12_path, passphrase). The CA's private key is not kept:
    a demo CA never signs anything else.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    passphrase = passphrase or secrets.token_urlsafe(12)
    ca_key, ca_cert = make_ca()
    key, cert = make_signer_cert(ca_key, ca_cert, pejabat.nama, nip=pejabat.nip)
    ca_path = directory / "demo-ca.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12_path = write_p12(directory / f"{name}.p12", key, cert, ca_cert, passphrase)
    return ca_path, p12_path, passphrase


# Passphrases of a demo key are words, so a clerk can read them out and type them.
_WORDS = (  # noqa: SIM905 (easier to read as one text)
    "apel batu buku bunga candi danau daun elang embun gajah garam gunung hujan ikan jagung "
    "jalan jeruk kabut kapal kelapa kopi kuda lampu langit laut madu mangga meja merpati "
    "nanas padi pagi pantai pasir pelangi pena perahu pintu pisang rusa sagu sawah sapi "
    "sepeda sungai surat taman teh teluk tikar topi udang ular umbi wajan warung payung "
    "rotan sirih kenari cengkih pala lada rumah"
).split()


def passphrase_in_words(n: int = 5) -> str:
    """e.g. "kopi-pantai-rotan-teluk-sagu": 5 of 64 words, about 30 bits; demo keys only."""
    return "-".join(secrets.choice(_WORDS) for _ in range(n))


@dataclass(frozen=True)
class DemoKey:
    name: str
    pejabat: Pejabat
    p12: Path
    ca: Path
    passphrase: str
    passphrase_env: str
    added: bool  # [tte.penandatangan.NAME] written into docgen.toml


def enable_demo_signer(ws: Workspace, name: str, *, pejabat_key: str | None = None,
                       force: bool = False) -> DemoKey:
    """A demo CA and NAME's PKCS#12 in kunci/, the signer and the CA recorded in docgen.toml."""
    from .. import office
    from ..errors import ConfigError, InputError

    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise InputError(f"signer name {name!r} must be lowercase letters, digits and _",
                         field="NAME", fix="e.g. docgen tte demo-key kepala")
    key = pejabat_key or name
    pejabat = ws.pejabat(key, field="--pejabat" if pejabat_key else "NAME")
    existing = ws.config.tte.penandatangan.get(name)
    if existing is not None and not force:
        raise ConfigError(f"signer {name!r} already has a key ({existing.p12})", file=ws.config_file,
                          field=f"tte.penandatangan.{name}",
                          fix="use it, or --force to replace it with a new demo key")
    directory = ws.root / "kunci"
    env = f"DOCGEN_P12_PASSPHRASE_{name.upper()}"
    passphrase = passphrase_in_words()
    ca = directory / f"demo-ca-{name}.pem"
    ca_tmp, p12, _ = make_demo_pki(directory, pejabat, name=name, passphrase=passphrase)
    ca_tmp.replace(ca)  # one demo CA per signer: a second demo key keeps the first one valid
    rel = lambda p: p.relative_to(ws.root).as_posix()  # noqa: E731
    text = ws.config_file.read_text(encoding="utf-8-sig")
    roots = list(ws.config.tte.trust_roots)
    if rel(ca) not in roots:
        text = office.set_value(text, "tte", "trust_roots", [*roots, rel(ca)])
    table = f"tte.penandatangan.{name}"
    if existing is None:
        text = text.rstrip("\n") + (
            f"\n\n# Added by `docgen tte demo-key {name}`: a DEMO key, not a BSrE certificate.\n"
            f"[{table}]\npejabat = \"{key}\"\np12 = \"{rel(p12)}\"\npassphrase_env = \"{env}\"\n")
    else:
        for k, v in (("pejabat", key), ("p12", rel(p12)), ("passphrase_env", env)):
            text = office.set_value(text, table, k, v)
    ws.config_file.write_text(text, encoding="utf-8")
    return DemoKey(name, pejabat, p12, ca, passphrase, env, existing is None)
