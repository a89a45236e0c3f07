"""PAdES signing of a PDF as an incremental update, with the visible TTE marks."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation.pdf_embedded import read_certification_data
from pyhanko.stamp import NoOpStampStyle
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..config import Pejabat
from ..errors import ConfigError, InputError
from ..render import new_doc_id
from . import content, pages, stamp
from .signer import Signer

REASON = "Dokumen ini ditandatangani secara elektronik"


_MAGIC = [
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP file: DOCX, XLSX or ODT"), (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
]


def default_output(pdf_in: Path) -> Path:
    """``laporan.pdf`` -> ``laporan-ttd.pdf`` next to it."""
    return pdf_in.with_name(f"{pdf_in.stem}-ttd.pdf")


def check_pdf(path: Path) -> None:
    """Fail early (before any passphrase prompt) on a missing file or a non-PDF."""
    if not path.is_file():
        raise InputError("file not found", file=path, fix="give the path of an existing PDF")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        raise InputError("the file is empty (0 bytes)", file=path,
                         fix="the save or copy did not finish: export the PDF again")
    if b"%PDF-" not in head:
        kind = next((what for magic, what in _MAGIC if head.startswith(magic)), "")
        raise InputError(f"not a PDF file{f' ({kind})' if kind else ''}", file=path,
                         fix="sign the PDF, not the DOCX or the scan image (make ... --pdf)")


def read_pdf_bytes(path: Path) -> bytes:
    check_pdf(path)
    return path.read_bytes()


def _info_doc_id(reader: PdfReader) -> str:
    """/DocgenId from /Info (what docgen.convert.read_pdf_properties reads), or ''."""
    from ..render import PDF_KEYS, PROP_ID

    try:
        return str((reader.metadata or {}).get(PDF_KEYS[PROP_ID], "") or "")
    except (PyPdfError, ValueError, KeyError, TypeError):  # unreadable /Info: not fatal
        return ""


def _record_doc_id(writer: IncrementalPdfFileWriter, doc_id: str) -> None:
    """Put the id the QR code carries into /Info (/DocgenId), where the archive reads it."""
    from pyhanko.pdf_utils import generic

    from ..render import PDF_KEYS, PROP_ID

    info = generic.DictionaryObject()
    with contextlib.suppress(KeyError):  # /Info is optional
        info.update(writer.trailer["/Info"])
    info[generic.pdf_name(PDF_KEYS[PROP_ID])] = generic.pdf_string(doc_id)
    writer.set_info(info)


def _spot(reader: PdfReader, name: str) -> pages.SignatureSpot | None:
    """Where the signer's name is printed; text pypdf cannot read just means the
    free-place fallback (stamp.layout_free) instead of a failed signature."""
    try:
        return pages.find_signature_spot(reader, name)
    except (PyPdfError, ValueError, KeyError, TypeError):
        return None


def _printed(reader: PdfReader, index: int, view: pages.PageView) -> list[pages.Box]:
    """What the page prints, as view-space boxes; a content stream pypdf cannot read
    means placing by the annotations alone, not a failed signature."""
    try:
        return content.content_boxes(reader.pages[index], view)
    except Exception:  # noqa: BLE001 - any parse error: fall back, never fail to sign
        return []


def _check_certification(writer: IncrementalPdfFileWriter, src: Path) -> None:
    """Refuse a certified PDF (a DocMDP author signature) before breaking it: docgen's
    visible stamp is new page content (first signature) or a new visible signature
    field, and validators (pyHanko, so `docgen verify`) allow neither after a
    certification, whatever its permission."""
    try:
        cert = read_certification_data(writer.prev)
    except (PdfError, ValueError, KeyError, TypeError):
        return  # an odd /Perms: pyHanko's own check at signing time still applies
    if cert is None:
        return
    allowed = {
        fields.MDPPerm.NO_CHANGES: "no changes at all",
        fields.MDPPerm.FILL_FORMS: "only filling in its form fields",
    }.get(cert.permission, "only comments and form filling")
    raise InputError(
        f"the PDF is certified by its author and allows {allowed}: a new visible signature "
        "would break that certification", file=src, field="DocMDP",
        fix="sign the PDF before it is certified, or ask its author for a copy that is not "
            "certified (an ordinary signature is fine)",
    )


def _check_earlier_signatures(data: bytes, src: Path) -> None:
    """Refuse to countersign a PDF whose earlier signature is broken, or that was changed
    after it: a new signature would vouch for altered content, and `docgen verify`
    reports the document as broken (12) forever after. Trust is not checked here."""
    from .verify import verify_pdf

    bad = [s for s in verify_pdf(data) if not (s.intact and s.valid) or s.modified_after]
    if bad:
        s = bad[0]
        raise InputError(
            f"its earlier signature {s.field_name} ({s.signer or 'unknown signer'}) does not "
            f"hold: {s.summary}", file=src, field=f"signature {s.field_name}",
            fix="sign the file exactly as the earlier signer signed it (ask them for it again); "
                "`docgen verify` shows what changed",
        )


def _field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _v, _r in fields.enumerate_sig_fields(writer.prev, filled_status=None)}
    n = 1
    while f"TTE{n}" in taken:
        n += 1
    return f"TTE{n}"


def sign_pdf(
    pdf_in: str | Path,
    pdf_out: str | Path,
    signer: Signer,
    *,
    pejabat: Pejabat,
    doc_id: str | None,
    footer: str,
    verify_url: str = "",
    when: dt.datetime | None = None,
    tsa_url: str = "",
    tsa_timeout: float = 15,
) -> Path:
    """Sign `pdf_in` (PAdES B-B; B-T with a timestamp from `tsa_url`) and write `pdf_out`.

    The output starts with the exact bytes of the input. The first signature also
    prints the TTE footer on every page and the QR stamp over the signer's printed
    name (its signature block, searched from the last page back; else on the last
    page, where clerks look for it, at the free place nearest the bottom-right: see
    stamp.layout_free); a later signature adds only its stamp as the field's appearance, since
    changing page content would invalidate the earlier signature.
    The output appears only when complete (temp file + rename).
    """
    src, dst = Path(pdf_in), Path(pdf_out)
    data = read_pdf_bytes(src)
    when = when or dt.datetime.now()
    if when.tzinfo is None:  # local time, with the machine's offset (WIB on an office PC)
        when = when.astimezone()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the PDF: {exc}", file=src, fix="re-export the PDF") from exc
    if writer.prev.encrypted:
        raise InputError(
            "the PDF is encrypted (password protected, or locked against changes by an "
            "owner password)", file=src,
            fix="sign the unencrypted original; encrypt afterwards if needed",
        )
    _check_certification(writer, src)
    try:
        reader = PdfReader(io.BytesIO(data))  # pypdf: page text and /Info, read once
    except (PyPdfError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the PDF: {exc}", file=src, fix="re-export the PDF") from exc
    recorded = _info_doc_id(reader)
    doc_id = doc_id or recorded or new_doc_id()
    payload = stamp.qr_payload(doc_id, pejabat, when, verify_url)
    already_signed = bool(writer.prev.embedded_signatures)
    if already_signed:
        _check_earlier_signatures(data, src)

    try:
        # layout in view space (the page as the reader sees it: /Rotate, CropBox)
        views = pages.page_views(reader)
        spot = _spot(reader, pejabat.nama)
        on = spot.page_index if spot else len(views) - 1
        view = views[on]
        foot_h = stamp.footer_height(footer, view.width) if footer.strip() else 0.0
        variants = [stamp.stamp_lines(pejabat, when), stamp.stamp_lines(pejabat, when, compact=True)]
        annots = pages.annotation_boxes(reader.pages[on])
        if spot is None:
            lay = stamp.layout_free(view.box, variants, [*annots, *_printed(reader, on, view)],
                                    foot_h)
        else:
            lay = stamp.layout_stamp(view.box, variants, (spot.name.x, spot.name.y, spot.name.size),
                                     spot.line_above, foot_h)
        lay = stamp.clear_of(lay, view.box, annots, foot_h)
        box = view.box_to_page(lay.box)
        field_name = _field_name(writer)
        if already_signed:
            style, params = stamp.qr_style(lay, view.turn), stamp.stamp_params(lay, payload)
        else:
            if doc_id != recorded:
                _record_doc_id(writer, doc_id)
            stamp.draw_footer(writer, enumerate(views), footer)
            stamp.draw_stamp(writer, on, view, lay, payload=payload, link=bool(verify_url))
            style, params = NoOpStampStyle(), None
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=REASON,
            name=pejabat.nama,
        )
        timestamper = None
        reserved = signer.bytes_reserved()
        if tsa_url:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(tsa_url, timeout=tsa_timeout)
            if reserved is not None:  # the token carries the TSA's certificates too
                reserved += 2 * 16384
        pdf_signer = signers.PdfSigner(
            meta, signer=signer.pyhanko_signer(), stamp_style=style, timestamper=timestamper,
            new_field_spec=fields.SigFieldSpec(
                sig_field_name=field_name, on_page=on,
                box=(round(box.x1), round(box.y1), round(box.x2), round(box.y2)),
            ),
        )
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params,
                            bytes_reserved=reserved)
    except TimestampRequestError as exc:
        cause = exc.__cause__ or exc
        raise ConfigError(
            f"the timestamp server {tsa_url} did not answer ({type(cause).__name__}: {cause}); "
            "nothing was signed", field="tte.tsa_url",
            fix="check the network and the address, or empty tte.tsa_url to sign without a timestamp",
        ) from None
    except SigningError as exc:  # e.g. a certification signature that forbids changes
        raise InputError(
            f"pyHanko refuses to sign this PDF: {exc}", file=src,
            fix="sign the PDF before it is certified, or ask its author for an unlocked copy",
        ) from exc
    except (PdfError, PyPdfError) as exc:
        raise InputError(f"cannot sign this PDF: {exc}", file=src, fix="re-export the PDF") from exc
    _write_atomic(dst, out.getbuffer())
    return dst


def _write_atomic(dst: Path, data: memoryview | bytes) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
