"""Who holds the key: a pluggable signer.

A local PKCS#12 file now; a remote service (BSrE signs server-side, the key never
leaves it) can be added later as another `Signer` whose `pyhanko_signer()` returns a
pyHanko signer that calls the service (pyHanko's `Signer.async_sign_raw`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys import internal as hanko_keys
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..errors import InputError


class Signer(ABC):
    """Something that can produce a CMS signature for pyHanko."""

    @abstractmethod
    def pyhanko_signer(self) -> signers.Signer:
        """The pyHanko signer to hand to PdfSigner (reused across documents)."""

    @property
    def certificate(self) -> asn1_x509.Certificate:
        cert = self.pyhanko_signer().signing_cert
        assert cert is not None
        return cert

    @property
    def common_name(self) -> str:
        return str(self.certificate.subject.native.get("common_name", ""))


class Pkcs12Signer(Signer):
    """A key in a PKCS#12 file, decrypted ONCE and reused for every document.

    Decrypting the PKCS#12 (key derivation) is the slow part of signing; a batch of
    documents pays it once.
    """

    def __init__(
        self, p12: str | Path, passphrase: str | bytes | None, *, field: str = "p12",
        passphrase_from: str = "the prompt",
    ) -> None:
        self.path = Path(p12)
        if not self.path.is_file():
            raise InputError(
                "PKCS#12 key file not found", file=self.path, field=field,
                fix="put the signer's .p12 file there, or fix the path in docgen.toml",
            )
        if isinstance(passphrase, str):
            passphrase = passphrase.encode()
        data = self.path.read_bytes()
        try:
            key, cert, others = pkcs12.load_key_and_certificates(data, passphrase or None)
        except ValueError as exc:
            # cryptography says "Invalid password or PKCS12 data" for both cases
            raise InputError(
                "cannot open the PKCS#12 key file: wrong passphrase, or not a PKCS#12 file",
                file=self.path, field="passphrase",
                fix=f"check the passphrase given by {passphrase_from}, and that the file is the key",
            ) from exc
        if key is None or cert is None:
            raise InputError(
                "the PKCS#12 file holds no private key with its certificate",
                file=self.path, field=field, fix="export the key together with its certificate",
            )
        store = SimpleCertificateStore()
        store.register_multiple(
            hanko_keys.translate_pyca_cryptography_cert_to_asn1(c) for c in others
        )
        self._signer = signers.SimpleSigner(
            signing_key=hanko_keys.translate_pyca_cryptography_key_to_asn1(key),
            signing_cert=hanko_keys.translate_pyca_cryptography_cert_to_asn1(cert),
            cert_registry=store,
        )

    def pyhanko_signer(self) -> signers.Signer:
        return self._signer
