"""Verify the PAdES signatures of a PDF with pyHanko, against given trust roots."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import validation
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..errors import InputError

# Verdicts, also the exit codes of `docgen verify` (clear of 1 = bad input, 2 = usage).
OK = 0
NO_SIGNATURE = 10
UNTRUSTED = 11
BROKEN = 12
# The signed content is intact, but the document's metadata (/Info: /Title, /DocgenNomor...,
# or its XMP) was rewritten in an update after signing: what the file now says of itself is
# not what was signed. (13 is kept for a damaged file.)
METADATA_CHANGED = 14

# How bad each verdict is, for "the worst of several" (the numbers are the exit codes).
SEVERITY = {OK: 0, NO_SIGNATURE: 1, UNTRUSTED: 2, METADATA_CHANGED: 3, BROKEN: 4}
# Bookkeeping that any later update may rewrite: not a change of what the document says.
_METADATA_NOISE = frozenset({"ModDate", "Producer"})


def worst(*codes: int) -> int:
    return max(codes, key=lambda c: SEVERITY.get(c, max(SEVERITY.values()) + 1), default=OK)

SAH_ID = "Tanda tangan elektronik sah dan dokumen tidak berubah"


@dataclass(frozen=True)
class SignatureStatus:
    field_name: str
    signer: str  # CN of the signing certificate
    signer_subject: str
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # the certificate chains to a trust root
    coverage: str  # ENTIRE_FILE, ENTIRE_REVISION, ...
    modified_after: bool  # something changed after this signature
    modification: str  # pyHanko's modification level: NONE, LTA_UPDATES, FORM_FILLING, ...
    docmdp_ok: bool | None
    summary: str
    # "signature" (a person's /Sig) or "timestamp" (a /DocTimeStamp of PAdES B-LTA: the
    # TSA is in `signer`, its time in `signing_time`)
    kind: str = "signature"
    # the RFC 3161 timestamp on the signature (or the document timestamp's own time):
    # when, by which TSA, whether its token is intact and valid, and its TSA trusted
    timestamp: dt.datetime | None = None
    timestamp_by: str = ""
    timestamp_ok: bool | None = None
    timestamp_trusted: bool | None = None
    # metadata fields rewritten by updates after this signature ("Title", "DocgenNomor", "XMP")
    metadata_changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return (self.intact and self.valid and self.trusted and not self.modified_after
                and not self.metadata_changed)

    @property
    def verdict(self) -> int:
        if not (self.intact and self.valid) or self.modified_after or self.timestamp_ok is False:
            return BROKEN
        if self.metadata_changed:
            return METADATA_CHANGED
        # a document timestamp proves a time, not a signer: its TSA need not be a trust root
        if not self.trusted and self.kind == "signature":
            return UNTRUSTED
        return OK


def verdict(statuses: Sequence[SignatureStatus]) -> int:
    """One code for the document: the worst of its signatures; NO_SIGNATURE when it
    has none (document timestamps alone sign nothing)."""
    if not any(s.kind == "signature" for s in statuses):
        return BROKEN if any(s.verdict == BROKEN for s in statuses) else NO_SIGNATURE
    return worst(*(s.verdict for s in statuses))


def load_certs(paths: Sequence[Path]) -> list[asn1_x509.Certificate]:
    """PEM (possibly several certificates) or DER files."""
    certs = []
    for p in paths:
        p = Path(p)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read trust root: {exc.strerror}", file=p,
                             field="trust_roots", fix="give an existing CA certificate file") from exc
        try:
            if pem.detect(data):
                found = [asn1_x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
            else:
                found = [asn1_x509.Certificate.load(data)]
            for c in found:
                c.native  # noqa: B018 - parse now, so bad files fail here
        except Exception as exc:
            raise InputError("not a PEM or DER certificate", file=p, field="trust_roots",
                             fix="give the CA certificate (.pem/.crt/.cer)") from exc
        certs.extend(found)
    return certs


def _summary(ok: bool, intact: bool, valid: bool, trusted: bool, modified: bool,
             updated: bool = False) -> str:
    if ok:
        later = (" (later updates add only timestamps, validation data or metadata)"
                 if updated else "")
        return f"{SAH_ID} / signature valid, trusted, document unchanged{later}"
    if not (intact and valid):
        return "Tanda tangan elektronik rusak / signature broken: the signed content was altered"
    if modified:
        return "Dokumen diubah setelah ditandatangani / document modified after signing"
    if not trusted:
        return ("Tanda tangan utuh tetapi sertifikat tidak dipercaya / "
                "signature intact but the certificate is not trusted")
    return "Tanda tangan tidak sah / signature not valid"


def verify_pdf(path_or_bytes: str | Path | bytes, trust_roots: Sequence[Path] = ()) -> list[SignatureStatus]:
    """The status of every signature in the PDF, in file order ([] when unsigned)."""
    if isinstance(path_or_bytes, bytes | bytearray):
        data, name = bytes(path_or_bytes), "<bytes>"
    else:
        p = Path(path_or_bytes)
        if not p.is_file():
            raise InputError("file not found", file=p, fix="give the path of a signed PDF")
        data, name = p.read_bytes(), str(p)
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a PDF file", file=name, fix="give a PDF")
    roots = load_certs(trust_roots)
    try:
        reader, readable = _read(data)
        sigs = reader.embedded_signatures
    except (PdfError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the PDF: {exc}", file=name, fix="is the file complete?") from exc
    trailing = readable < len(data)
    out = []
    # pyHanko logs every untrusted chain as a warning; the status says it already
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    last = max(sigs, key=lambda s: s.signed_revision) if sigs else None
    for sig in sigs:
        vc = ValidationContext(trust_roots=roots, allow_fetching=False)
        is_ts = sig.sig_object_type == "/DocTimeStamp"
        try:
            if is_ts:
                st = validation.validate_pdf_timestamp(sig, validation_context=vc)
            else:
                st = validation.validate_pdf_signature(sig, signer_validation_context=vc)
        except Exception as exc:  # a mangled signature object: report it as broken
            out.append(_broken(sig.field_name, exc))
            continue
        cert = st.signing_cert
        subject = cert.subject.native if cert is not None else {}
        level = st.modification_level
        coverage = st.coverage or SignatureCoverageLevel.UNCLEAR
        modified = (
            coverage < SignatureCoverageLevel.ENTIRE_REVISION
            or st.docmdp_ok is False
            or (level is not None and level.name == "OTHER")
            or (coverage != SignatureCoverageLevel.ENTIRE_FILE and level is None)
            # bytes after the last signature that no signature covers (appended junk,
            # or an update that changes nothing pyHanko can see) are a modification too
            or (sig is last and coverage != SignatureCoverageLevel.ENTIRE_FILE
                and (level is None or level.name != "LTA_UPDATES"))
            or trailing
        )
        intact, valid, trusted = bool(st.intact), bool(st.valid), bool(st.trusted)
        # LTA_UPDATES below the file's end: later revisions add only validation data,
        # timestamps or metadata (/Info), never content
        updated = coverage != SignatureCoverageLevel.ENTIRE_FILE and not modified
        if is_ts:
            tst, when, summary = st, st.timestamp, _ts_summary(intact, valid, trusted, modified)
        else:
            tst, when = st.timestamp_validity, st.signer_reported_dt
            summary = _summary(intact and valid and trusted and not modified,
                               intact, valid, trusted, modified, updated)
        meta = () if modified else metadata_changes(data, sig.byte_range)
        if meta and not is_ts:
            summary = ("Tanda tangan utuh, tetapi metadata diubah setelah ditandatangani / "
                       "the signature over the signed revision is valid, but the metadata was "
                       f"changed after signing: {', '.join(meta)}")
        out.append(SignatureStatus(
            metadata_changed=meta,
            field_name=sig.field_name,
            signer=str(subject.get("common_name", "")),
            signer_subject=cert.subject.human_friendly if cert is not None else "",
            signing_time=when,
            intact=intact, valid=valid, trusted=trusted,
            coverage=coverage.name,
            modified_after=modified,
            modification=level.name if level is not None else "UNKNOWN",
            docmdp_ok=st.docmdp_ok,
            summary=summary,
            kind="timestamp" if is_ts else "signature",
            **_timestamp_fields(tst),
        ))
    if trailing and b"/ByteRange" in data[readable:]:
        # a signature sits in bytes that cannot be read (a truncated or damaged copy):
        # the file is not "unsigned", its signature is broken
        out.append(_broken("(unreadable)", f"the file is damaged or incomplete after byte "
                           f"{readable} of {len(data)}, where a signature is"))
    return out


def metadata_changes(data: bytes, byte_range) -> tuple[str, ...]:
    """The /Info keys (and "XMP") whose value differs between the revision a signature
    covers and the whole file: an update after signing rewrote them."""
    try:
        end = int(byte_range[2]) + int(byte_range[3])
    except (TypeError, ValueError, IndexError):
        return ()
    if end >= len(data) - 2:  # nothing after the signed revision (a line end at most)
        return ()
    from pypdf import PdfReader

    try:
        before = PdfReader(io.BytesIO(data[:end]), strict=False)
        after = PdfReader(io.BytesIO(data), strict=False)
        old, new = _info(before), _info(after)
        keys = sorted(k for k in old.keys() | new.keys()
                      if k not in _METADATA_NOISE and old.get(k) != new.get(k))
        if _xmp(before) != _xmp(after):
            keys.append("XMP")
    except Exception:  # unreadable revisions: the signature checks above speak for them
        return ()
    return tuple(keys)


def _info(reader) -> dict[str, str]:
    return {str(k).lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}


def _xmp(reader) -> bytes:
    meta = reader.trailer["/Root"].get("/Metadata")
    return meta.get_object().get_data() if meta is not None else b""


def _timestamp_fields(tst: object) -> dict[str, object]:
    """The timestamp token's time, TSA, and whether it checks out (none: empty)."""
    if tst is None:
        return {}
    cert = getattr(tst, "signing_cert", None)
    return {
        "timestamp": getattr(tst, "timestamp", None),
        "timestamp_by": str(cert.subject.native.get("common_name", "")) if cert is not None else "",
        "timestamp_ok": bool(tst.intact and tst.valid),  # type: ignore[attr-defined]
        "timestamp_trusted": bool(tst.trusted),  # type: ignore[attr-defined]
    }


def _ts_summary(intact: bool, valid: bool, trusted: bool, modified: bool) -> str:
    if not (intact and valid):
        return "Stempel waktu rusak / document timestamp broken: the stamped content was altered"
    if modified:
        return "Dokumen diubah setelah stempel waktu / document modified after the timestamp"
    if not trusted:
        return "Stempel waktu utuh; TSA tidak dipercaya / document timestamp intact, TSA not trusted"
    return "Stempel waktu sah / document timestamp valid and trusted"


def _read(data: bytes) -> tuple[PdfFileReader, int]:
    """A reader, and how many leading bytes it reads (less than the file when
    unreadable bytes follow the last readable revision).

    Junk appended after a signed file (even a bare "%%EOF") can make the whole file
    unreadable; the signed revision before it is still there to be judged.
    """
    try:
        return PdfFileReader(io.BytesIO(data), strict=False), len(data)
    except (PdfError, ValueError, KeyError):
        end = len(data)
        for _ in range(8):  # a few earlier revisions at most
            end = data.rfind(b"%%EOF", 0, end)
            if end < 0:
                break
            cut = end + 5
            while cut < len(data) and data[cut] in b"\r\n":  # the EOL is part of the revision
                cut += 1
            try:
                return PdfFileReader(io.BytesIO(data[:cut]), strict=False), cut
            except (PdfError, ValueError, KeyError):
                continue
        raise


def _broken(field_name: str, exc: Exception | str) -> SignatureStatus:
    return SignatureStatus(
        field_name=field_name, signer="", signer_subject="", signing_time=None,
        intact=False, valid=False, trusted=False, coverage="UNCLEAR", modified_after=True,
        modification="UNKNOWN", docmdp_ok=None,
        summary=f"Tanda tangan elektronik rusak / signature unreadable: {exc}",
    )
