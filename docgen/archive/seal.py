"""The archive's seal: the head of the hash chain, signed, so a rewritten chain shows.

The hash chain shows an entry edited or deleted, but whoever can write the catalog can
recompute every hash. So after each batch the head file (``.arsip-rantai``: "<last id>
<head hash>") is signed:

- with the office's archive key ([arsip] segel_p12): ``.arsip-rantai.p7s``, a CMS SignedData
  (DER) that carries the head line it signs: ``openssl cms -verify`` checks it;
- with an RFC 3161 timestamp when [tte] tsa_url is set: ``.arsip-rantai.stempel`` (the head
  line stamped) and ``.arsip-rantai.tst`` (the token): ``openssl ts -verify`` checks it.

Each file pair is replaced atomically and is self-contained, so a seal that lags behind the
catalog (the TSA did not answer) still vouches for the chain up to the entry it names.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from pathlib import Path

from ..errors import ConfigError
from ..workspace import Workspace

P7S = ".p7s"
STAMPED = ".stempel"
TOKEN = ".tst"


def _sibling(head_file: Path, suffix: str) -> Path:
    return head_file.with_name(head_file.name + suffix)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def parse_head(data: bytes) -> tuple[int, str] | None:
    parts = data.decode("ascii", errors="replace").split()
    if len(parts) == 2 and parts[0].isdigit() and len(parts[1]) == 64:
        return int(parts[0]), parts[1]
    return None


class Seal:
    """Signs the chain head for writers; checks the signed head for `archive verify`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cfg = ws.config.arsip
        self.tsa_url = ws.config.tte.tsa_url
        self._key = None

    @property
    def configured(self) -> bool:
        return bool(self.cfg.segel_p12 or self.tsa_url)

    # --- signing -----------------------------------------------------------------------
    def ready(self) -> None:
        """Open the key now (writers call this before filing): a wrong passphrase or path is
        a config error up front, never an unsigned head after the files are filed."""
        if not self.cfg.segel_p12 or self._key is not None:
            return
        from cryptography.hazmat.primitives.serialization import pkcs12

        where = "arsip.segel_p12"
        path = self.ws.path(self.cfg.segel_p12)
        if not path.is_file():
            raise ConfigError(f"the archive's key file {path} is not there", file=self.ws.config_file,
                              field=where, fix="put the archive key's .p12 there, or fix the path")
        env = self.cfg.segel_passphrase_env
        pw = os.environ.get(env)
        if pw is None:
            raise ConfigError(f"no passphrase for the archive's key: ${env} is not set",
                              file=self.ws.config_file, field="arsip.segel_passphrase_env",
                              fix=f"set {env} in the environment of the watcher / ingest")
        try:
            key, cert, others = pkcs12.load_key_and_certificates(path.read_bytes(), pw.encode() or None)
        except ValueError:
            raise ConfigError("cannot open the archive's key: wrong passphrase, or not a PKCS#12 file",
                              file=self.ws.config_file, field=where,
                              fix=f"check ${env} and that {path.name} is the key") from None
        if key is None or cert is None:
            raise ConfigError("the archive's PKCS#12 holds no key with its certificate",
                              file=self.ws.config_file, field=where,
                              fix="export the key together with its certificate")
        self._key = (key, cert, others)

    def __call__(self, head_file: Path) -> None:
        """Seal the head file just written."""
        data = head_file.read_bytes()
        if self.cfg.segel_p12:
            self.ready()
            _write_atomic(_sibling(head_file, P7S), self._sign(data))
        if self.tsa_url:
            try:
                token = self._timestamp(data)
            except Exception as exc:  # filed is filed: the next batch stamps the head again
                logging.getLogger("docgen.archive").warning(
                    "the timestamp server %s did not stamp the archive's chain head (%s: %s); "
                    "the next batch stamps it again", self.tsa_url, type(exc).__name__, exc)
                return
            # token first: a stamp without its content would fail verify, content alone is ignored
            _write_atomic(_sibling(head_file, TOKEN + ".new"), token)
            _write_atomic(_sibling(head_file, STAMPED), data)
            os.replace(_sibling(head_file, TOKEN + ".new"), _sibling(head_file, TOKEN))

    def _sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.serialization import Encoding
        from cryptography.hazmat.primitives.serialization.pkcs7 import (
            PKCS7Options,
            PKCS7SignatureBuilder,
        )

        key, cert, others = self._key
        b = PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
        for c in others:
            b = b.add_certificate(c)
        return b.sign(Encoding.DER, [PKCS7Options.Binary])  # attached: it carries the head line

    def _timestamp(self, data: bytes) -> bytes:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        ts = HTTPTimeStamper(self.tsa_url, timeout=self.ws.config.tte.tsa_timeout)
        token = asyncio.run(ts.async_timestamp(hashlib.sha256(data).digest(), "sha256"))
        return token.dump()

    # --- checking ----------------------------------------------------------------------
    def check(self, hashes_by_id: dict[int, str], rep) -> None:
        """Add to the verify report what the signed head says about the chain."""
        from .catalog import HEAD_FILE

        head_file = self.ws.archive_dir / HEAD_FILE
        p7s, token = _sibling(head_file, P7S), _sibling(head_file, TOKEN)
        last = max(hashes_by_id, default=0)
        sealed = False
        if p7s.is_file():
            sealed = True
            self._check_signed(p7s, hashes_by_id, last, rep)
        elif self.cfg.segel_p12 and last:
            rep.add("head", str(p7s), "the chain head is not signed although [arsip] segel_p12 is "
                    "set: the signature was removed, or the catalog was replaced", "chain_head")
        if token.is_file():
            sealed = True
            self._check_stamped(token, _sibling(head_file, STAMPED), hashes_by_id, last, rep)
        elif self.tsa_url and last and not self.cfg.segel_p12:
            rep.add("head", str(token), "the chain head has no timestamp although [tte] tsa_url is "
                    "set: it was removed, or the catalog was replaced", "chain_head")
        if not sealed and last:
            rep.notes.append("the chain head is not sealed, so a catalog rewritten as a whole "
                             "would not show: set [arsip] segel_p12 (the archive's key) or [tte] tsa_url")

    def _roots(self):
        from ..sign.verify import load_certs

        return load_certs([self.ws.path(p) for p in self.ws.config.tte.trust_roots])

    def _check_signed(self, p7s: Path, hashes_by_id, last: int, rep) -> None:
        from asn1crypto import cms
        from pyhanko.sign.validation.generic_cms import async_validate_cms_signature
        from pyhanko.sign.validation.settings import KeyUsageConstraints
        from pyhanko_certvalidator import ValidationContext

        where = str(p7s)
        try:
            signed = cms.ContentInfo.load(p7s.read_bytes())["content"]
            content = signed["encap_content_info"]["content"].native
            vc = ValidationContext(trust_roots=self._roots(), allow_fetching=False)
            st = asyncio.run(async_validate_cms_signature(  # the content is inside it
                signed, validation_context=vc,
                key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature"})))
        except Exception as exc:
            rep.add("head", where, f"the signature over the chain head cannot be read ({exc})",
                    "chain_head")
            return
        if not (st.intact and st.valid):
            rep.add("head", where, "the signature over the chain head is broken: the signed head "
                    "was altered", "chain_head")
            return
        if not st.trusted:
            rep.add("head", where, "the chain head is signed by a certificate that is not "
                    "trusted ([tte] trust_roots): " + st.signing_cert.subject.human_friendly,
                    "chain_head")
        self._compare(where, content, hashes_by_id, last, rep, "signed")

    def _check_stamped(self, token: Path, stamped: Path, hashes_by_id, last: int, rep) -> None:
        from asn1crypto import cms
        from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
        from pyhanko_certvalidator import ValidationContext

        where = str(token)
        try:
            content = stamped.read_bytes()
            signed = cms.ContentInfo.load(token.read_bytes())["content"]
            vc = ValidationContext(trust_roots=self._roots(), allow_fetching=False)
            st = asyncio.run(validate_tst_signed_data(
                signed, vc, lambda algo: hashlib.new(algo, content).digest()))
        except Exception as exc:
            rep.add("head", where, f"the timestamp over the chain head cannot be read ({exc})",
                    "chain_head")
            return
        if not (st["intact"] and st["valid"]):
            rep.add("head", where, "the timestamp over the chain head is broken: the stamped head "
                    "was altered", "chain_head")
            return
        self._compare(where, content, hashes_by_id, last, rep, "timestamped")

    @staticmethod
    def _compare(where: str, content: bytes, hashes_by_id, last: int, rep, how: str) -> None:
        head = parse_head(content)
        if head is None:
            rep.add("head", where, f"the {how} content is not a chain head", "chain_head")
            return
        n, h = head
        if n and hashes_by_id.get(n) != h:
            rep.add("head", where, f"the {how} chain head (entry {n}, {h[:12]}…) is not in this "
                    "chain: the catalog was rewritten or entries were removed", "chain_head")
        elif n < last:
            rep.notes.append(f"the {how} chain head covers entries 1-{n}; {last - n} filed since "
                             "are covered by the next seal")
