"""Who holds the key: a pluggable signer.

A local PKCS#12 file now; a remote service (BSrE signs server-side, the key never
leaves it) can be added later as another `Signer` whose `pyhanko_signer()` returns a
pyHanko signer that calls the service (pyHanko's `Signer.async_sign_raw`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.keys import internal as hanko_keys
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..errors import InputError


class Signer(ABC):
    """Something that can produce a CMS signature for pyHanko."""

    @abstractmethod
    def pyhanko_signer(self) -> signers.Signer:
        """The pyHanko signer to hand to PdfSigner (reused across documents)."""

    def bytes_reserved(self) -> int | None:
        """Room for the signature container (hex digits); None lets pyHanko estimate it
        with a dry-run signature, which costs as much as a real one."""
        return None

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
        self._signer = _KeptKeySigner(
            key,
            signing_key=hanko_keys.translate_pyca_cryptography_key_to_asn1(key),
            signing_cert=hanko_keys.translate_pyca_cryptography_cert_to_asn1(cert),
            cert_registry=store,
        )
        certs = [cert, *others]
        key_bytes = (getattr(key, "key_size", 4096) + 7) // 8
        # CMS = certificates + signature + signed attributes (< 2 KB); hex doubles it
        der = sum(len(c.public_bytes(Encoding.DER)) for c in certs)
        self._reserved = 2 * (der + key_bytes + 4096)

    def pyhanko_signer(self) -> signers.Signer:
        return self._signer

    def bytes_reserved(self) -> int | None:
        return self._reserved


class _KeptKeySigner(signers.SimpleSigner):
    """SimpleSigner re-parses its private key on every signature (about 40 ms for
    RSA-2048, as cryptography checks the key); keep the parsed key instead."""

    def __init__(self, pyca_key: object, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            algo = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            algo = ""
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        key = self._pyca_key
        if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hash_algo)
        if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)  # PSS, EdDSA...: pyHanko's way
