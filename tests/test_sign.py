"""Signing and verification with real pyHanko signatures and a test CA made here."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from docgen.config import TTE_FOOTER_DEFAULT, Pejabat
from docgen.errors import DocgenError, InputError
from docgen.sign import Pkcs12Signer, demo_keys, sign_pdf, verdict, verify_pdf
from docgen.sign import verify as v
from docgen.sign.stamp import qr_payload, waktu, zone_label

PEJABAT = Pejabat(
    jabatan="Kepala Dinas Komunikasi dan Informatika",
    nama="Drs. APIP PERMANA, MM.",
    pangkat="Pembina Utama Muda",
    nip="196501251993031008",
)
WIB = dt.timezone(dt.timedelta(hours=7))
WHEN = dt.datetime(2026, 11, 22, 10, 15, tzinfo=WIB)

# The signature block of the last page: jabatan at y=386, name at y=310.
JABATAN_Y, NAME_Y = 386, 310
BLOCK = [
    (330, 400, 11, "Kediri, 22 November 2026"),
    (330, JABATAN_Y, 11, PEJABAT.jabatan),
    (330, NAME_Y, 11, PEJABAT.nama),
    (330, 296, 11, "Pembina Utama Muda"),
    (330, 282, 11, "NIP 19650125 199303 1 008"),
]


def make_pdf(path: Path, pages: list[list[tuple[float, float, int, str]]], doc_id: str = "") -> Path:
    """A small text PDF written with pypdf (Helvetica, one text run per line)."""
    w = PdfWriter()
    for lines in pages:
        page = w.add_blank_page(595, 842)
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
        )
        ops = [f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET" for x, y, size, text in lines]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = w._add_object(stream)
    if doc_id:
        w.add_metadata({"/DocgenId": doc_id})
    with path.open("wb") as fh:
        w.write(fh)
    return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory):
    ca, p12, pw = demo_keys.make_demo_pki(tmp_path_factory.mktemp("pki"), PEJABAT)
    return ca, p12, pw


@pytest.fixture(scope="module")
def signer(pki) -> Pkcs12Signer:
    return Pkcs12Signer(pki[1], pki[2])


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    return make_pdf(
        tmp_path / "laporan.pdf",
        [[(72, 770, 12, "BAB I PENDAHULUAN")], [(72, 770, 12, "BAB IV PENUTUP"), *BLOCK]],
        doc_id="DG-20261122-ABCDEF12",
    )


def _sign(letter: Path, signer: Pkcs12Signer, **kw) -> Path:
    out = letter.with_name("laporan-ttd.pdf")
    args = {"pejabat": PEJABAT, "doc_id": None, "footer": TTE_FOOTER_DEFAULT, "when": WHEN} | kw
    return sign_pdf(letter, out, signer, **args)


def _sig_rect(pdf: Path, page_index: int = -1) -> list[float]:
    page = PdfReader(pdf).pages[page_index]
    for annot in page.get("/Annots", []):
        a = annot.get_object()
        if a.get("/FT") == "/Sig":
            return [float(x) for x in a["/Rect"]]
    raise AssertionError(f"no signature widget on page {page_index}")


def _xobject_names(resources, seen=None) -> set[str]:
    """Names of all XObjects reachable from a resource dictionary (forms nest)."""
    names: set[str] = set()
    xobjs = resources.get("/XObject") if resources else None
    if not xobjs:
        return names
    for name, ref in xobjs.items():
        names.add(name)
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Form" and "/Resources" in obj:
            names |= _xobject_names(obj["/Resources"].get_object())
    return names


# --- signing ---------------------------------------------------------------

def test_sign_then_verify_intact_valid_trusted(letter, signer, pki):
    signed = _sign(letter, signer)
    [st] = verify_pdf(signed, [pki[0]])
    assert (st.intact, st.valid, st.trusted, st.modified_after) == (True, True, True, False)
    assert st.coverage == "ENTIRE_FILE"
    assert st.signer == PEJABAT.nama
    assert st.signing_time is not None
    assert abs(st.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert "sah dan dokumen tidak berubah" in st.summary
    assert verdict([st]) == v.OK


def test_signed_file_keeps_the_original_bytes(letter, signer):
    original = letter.read_bytes()
    signed = _sign(letter, signer).read_bytes()
    assert signed.startswith(original)
    assert len(signed) > len(original)
    assert letter.read_bytes() == original  # the input is untouched


def test_stamp_and_footer_are_page_text(letter, signer):
    reader = PdfReader(_sign(letter, signer))
    last = reader.pages[-1].extract_text()
    assert "Ditandatangani secara elektronik oleh:" in last
    assert "NIP 19650125 199303 1 008" in last
    assert last.count(PEJABAT.nama) == 2  # printed name + stamp
    assert "22 November 2026 10:15 WIB" in last
    footer_start = "Dokumen ini telah ditandatangani secara elektronik"
    for page in reader.pages:  # the footer is on every page
        text = " ".join(page.extract_text().split())
        assert footer_start in text
        assert "(BSSN)." in text


def test_qr_code_is_drawn(letter, signer):
    page = PdfReader(_sign(letter, signer)).pages[-1]
    assert "/QR" in _xobject_names(page["/Resources"].get_object())
    assert "/QR" not in _xobject_names(PdfReader(letter).pages[-1]["/Resources"].get_object())


def test_stamp_sits_in_the_gap_above_the_name(letter, signer):
    x1, y1, x2, y2 = _sig_rect(_sign(letter, signer))
    assert y1 > NAME_Y and y2 < JABATAN_Y, (y1, y2)
    assert x1 >= 320 and x2 <= 595


def test_stamp_goes_bottom_right_when_the_name_is_not_printed(tmp_path, signer):
    pdf = make_pdf(tmp_path / "nota.pdf", [[(72, 770, 12, "Nota dinas tanpa blok tanda tangan")]])
    x1, y1, x2, y2 = _sig_rect(_sign(pdf, signer))
    assert x1 > 595 / 2 and y2 < 842 / 3
    assert y1 > 20  # above the footer


def test_qr_carries_doc_id_and_verification_link(letter, signer):
    signed = _sign(letter, signer, verify_url="https://tte.kedirikota.go.id/v/")
    uris = [
        a.get_object()["/A"]["/URI"] for a in PdfReader(signed).pages[-1]["/Annots"]
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert uris == ["https://tte.kedirikota.go.id/v/DG-20261122-ABCDEF12"]
    text = qr_payload("DG-20261122-ABCDEF12", PEJABAT, WHEN)
    assert text == (
        "TTE docgen | DG-20261122-ABCDEF12 | Drs. APIP PERMANA, MM. | 196501251993031008 "
        "| 2026-11-22T10:15+07:00"
    )


@pytest.mark.parametrize(("hours", "label"), [(7, "WIB"), (8, "WITA"), (9, "WIT"), (0, "UTC"),
                                              (5.5, "UTC+5:30"), (-3, "UTC-3")])
def test_time_zone_labels(hours, label):
    assert zone_label(dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=hours)))) == label


def test_signing_time_in_indonesian():
    assert waktu(dt.datetime(2026, 8, 5, 7, 3, tzinfo=dt.timezone(dt.timedelta(hours=8)))) == (
        "5 Agustus 2026 07:03 WITA"
    )


def test_second_signature_keeps_the_first_valid(letter, signer, pki, tmp_path):
    sek = Pejabat(jabatan="Sekretaris", nama="SITI AMINAH, S.Sos., M.Si.", nip="197203151998032004")
    ca2, p12, pw = demo_keys.make_demo_pki(tmp_path / "pki2", sek)
    once = _sign(letter, signer)
    twice = sign_pdf(once, tmp_path / "dua.pdf", Pkcs12Signer(p12, pw), pejabat=sek, doc_id=None,
                     footer=TTE_FOOTER_DEFAULT, when=WHEN)
    first, second = verify_pdf(twice, [pki[0], ca2])
    assert (first.field_name, second.field_name) == ("TTE1", "TTE2")
    assert first.intact and first.valid and first.trusted and not first.modified_after
    assert second.ok and second.signer == sek.nama
    assert verdict([first, second]) == v.OK


# --- tampering and trust -----------------------------------------------------

def test_appended_bytes_count_as_modified(letter, signer, pki):
    data = _sign(letter, signer).read_bytes() + b"\n% changed after signing\n"
    [st] = verify_pdf(data, [pki[0]])
    assert st.intact and st.modified_after
    assert verdict([st]) == v.BROKEN


def test_resaved_with_pypdf_is_broken(letter, signer, pki):
    w = PdfWriter(clone_from=PdfReader(_sign(letter, signer)))
    buf = io.BytesIO()
    w.write(buf)
    [st] = verify_pdf(buf.getvalue(), [pki[0]])
    assert not st.intact
    assert verdict([st]) == v.BROKEN
    assert "rusak" in st.summary


def test_content_changed_in_an_incremental_update_is_modified(letter, signer, pki, tmp_path):
    signed = _sign(letter, signer)
    w = PdfWriter(signed, incremental=True)
    w.pages[-1].merge_page(PdfReader(letter).pages[0])  # paint other content on the page
    buf = io.BytesIO()
    w.write(buf)
    [st] = verify_pdf(buf.getvalue(), [pki[0]])
    assert st.intact and st.valid  # the signed revision itself is fine...
    assert st.modified_after  # ...but the page changed after it
    assert verdict([st]) == v.BROKEN


def test_untrusted_root_is_reported(letter, signer, tmp_path):
    other_ca, _p12, _pw = demo_keys.make_demo_pki(tmp_path / "lain", PEJABAT)
    [st] = verify_pdf(_sign(letter, signer), [other_ca])
    assert st.intact and st.valid and not st.trusted and not st.modified_after
    assert verdict([st]) == v.UNTRUSTED
    assert "tidak dipercaya" in st.summary


def test_certificate_without_non_repudiation_is_not_trusted(letter, tmp_path):
    ca_key, ca_cert = demo_keys.make_ca()
    key, cert = demo_keys.make_signer_cert(ca_key, ca_cert, PEJABAT.nama, non_repudiation=False)
    p12 = demo_keys.write_p12(tmp_path / "nr.p12", key, cert, ca_cert, "rahasia")
    ca_pem = tmp_path / "ca.pem"
    from cryptography.hazmat.primitives.serialization import Encoding

    ca_pem.write_bytes(ca_cert.public_bytes(Encoding.PEM))
    [st] = verify_pdf(_sign(letter, Pkcs12Signer(p12, "rahasia")), [ca_pem])
    assert st.intact and not st.trusted


def test_unsigned_pdf_has_no_signature(letter, pki):
    assert verify_pdf(letter, [pki[0]]) == []
    assert verdict([]) == v.NO_SIGNATURE


# --- bad input -----------------------------------------------------------------

def test_wrong_passphrase_names_the_key_file(pki):
    with pytest.raises(InputError) as exc:
        Pkcs12Signer(pki[1], "salah")
    assert str(pki[1]) in str(exc.value) and "passphrase" in str(exc.value)


def test_missing_key_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        Pkcs12Signer(tmp_path / "tidak-ada.p12", "x")


def test_not_a_pdf_writes_nothing(tmp_path, signer):
    bad = tmp_path / "surat.pdf"
    bad.write_bytes(b"PK\x03\x04 this is a docx")
    with pytest.raises(InputError, match="not a PDF") as exc:
        sign_pdf(bad, tmp_path / "out.pdf", signer, pejabat=PEJABAT, doc_id=None, footer="")
    assert str(bad) in str(exc.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["surat.pdf"]


def test_encrypted_pdf_is_refused(letter, signer, tmp_path):
    w = PdfWriter(clone_from=PdfReader(letter))
    w.encrypt("rahasia")
    enc = tmp_path / "enc.pdf"
    with enc.open("wb") as fh:
        w.write(fh)
    with pytest.raises(InputError, match="encrypted"):
        sign_pdf(enc, tmp_path / "enc-ttd.pdf", signer, pejabat=PEJABAT, doc_id=None, footer="")
    assert not (tmp_path / "enc-ttd.pdf").exists()


def test_bad_trust_root_file(letter, tmp_path):
    junk = tmp_path / "ca.pem"
    junk.write_text("not a certificate")
    with pytest.raises(DocgenError, match="certificate") as exc:
        verify_pdf(letter, [junk])
    assert exc.value.field == "trust_roots"


@pytest.mark.slow
def test_real_document_from_libreoffice(tmp_path, signer, pki, soffice):
    """A DOCX with the usual signature block (jabatan, 3 empty lines, name, NIP),
    converted by LibreOffice: the stamp lands in the gap, above the bold name."""
    from docx import Document

    from docgen import convert

    doc = Document()
    doc.add_paragraph("Demikian laporan ini disampaikan untuk dipergunakan sebagaimana mestinya.")
    cell = doc.add_table(rows=1, cols=2).rows[0].cells[1]
    cell.paragraphs[0].add_run("Kediri, 22 November 2026")
    for text in [f"{PEJABAT.jabatan},", "", "", ""]:
        cell.add_paragraph(text)
    name = cell.add_paragraph().add_run(PEJABAT.nama)
    name.bold = name.underline = True
    cell.add_paragraph(f"NIP. {PEJABAT.nip_tampil}")
    docx = tmp_path / "surat.docx"
    doc.save(docx)
    [pdf] = convert.convert([docx])

    signed = _sign(pdf, signer)
    [st] = verify_pdf(signed, [pki[0]])
    assert st.ok
    from docgen.sign.pages import find_name, text_runs

    hit = find_name(text_runs(pdf.read_bytes(), 0), PEJABAT.nama)
    assert hit is not None
    name_run, line_above = hit
    x1, y1, x2, y2 = _sig_rect(signed)
    assert name_run.y < y1 < y2 < line_above
    assert abs(x1 - name_run.x) < 2  # aligned with the printed name


def test_doc_id_is_kept_or_recorded(letter, signer, tmp_path):
    from docgen.convert import read_pdf_properties

    kept = _sign(letter, signer)
    assert read_pdf_properties(kept)["docgen.id"] == "DG-20261122-ABCDEF12"
    bare = make_pdf(tmp_path / "bare.pdf", [BLOCK])
    signed = sign_pdf(bare, tmp_path / "bare-ttd.pdf", signer, pejabat=PEJABAT, doc_id=None,
                      footer="", verify_url="https://v.example/")
    new_id = read_pdf_properties(signed)["docgen.id"]
    assert new_id.startswith("DG-")
    link = [a.get_object()["/A"]["/URI"] for a in PdfReader(signed).pages[-1]["/Annots"]
            if a.get_object().get("/Subtype") == "/Link"]
    assert link == [f"https://v.example/{new_id}"]
    assert verify_pdf(signed, [])[0].intact


def test_pages_sharing_one_resource_dictionary(tmp_path, signer, pki):
    """LibreOffice and pypdf merges let pages share /Resources: the footer goes on each."""
    pdf = make_pdf(tmp_path / "shared.pdf", [[(72, 770, 12, "Satu")], [(72, 770, 12, "Dua")], BLOCK])
    w = PdfWriter(clone_from=PdfReader(pdf))
    shared = w.pages[0].get_object().raw_get("/Resources")
    shared_ref = shared if hasattr(shared, "idnum") else w._add_object(shared)
    for page in w.pages:
        page[NameObject("/Resources")] = shared_ref
    with pdf.open("wb") as fh:
        w.write(fh)
    signed = _sign(pdf, signer)
    assert verify_pdf(signed, [pki[0]])[0].ok
    for page in PdfReader(signed).pages:
        assert "Dokumen ini telah ditandatangani" in page.extract_text()


def test_stamp_goes_to_the_signature_block_before_the_lampiran(tmp_path, signer, pki):
    """A laporan: the head signs at the end of the body; lampiran pages follow, one of
    which mentions the head's name in a table (no NIP under it)."""
    pdf = make_pdf(tmp_path / "laporan.pdf", [
        [(72, 770, 12, "BAB I PENDAHULUAN")],
        [(72, 770, 12, "BAB IV PENUTUP"), *BLOCK],
        [(72, 770, 12, "Lampiran 1"), (72, 700, 10, f"Penanggung jawab: {PEJABAT.nama}")],
    ])
    signed = _sign(pdf, signer)
    x1, y1, x2, y2 = _sig_rect(signed, 1)
    assert y1 > NAME_Y and y2 < JABATAN_Y
    with pytest.raises(AssertionError):
        _sig_rect(signed, 2)
    texts = [p.extract_text() for p in PdfReader(signed).pages]
    assert ["oleh:" in t for t in texts] == [False, True, False]
    assert verify_pdf(signed, [pki[0]])[0].ok


def test_narrow_gap_gets_the_compact_stamp(tmp_path, signer):
    """Three empty lines (baselines 56 pt apart) leave ~40 pt: the heading and time
    share a line so the text stays at 6 pt, and the stamp fits between jabatan and name."""
    block = [(330, 400, 11, PEJABAT.jabatan), (330, 344, 11, PEJABAT.nama),
             (330, 330, 11, "NIP 19650125 199303 1 008")]
    signed = _sign(make_pdf(tmp_path / "surat.pdf", [block]), signer)
    text = PdfReader(signed).pages[0].extract_text()
    assert "Ditandatangani secara elektronik, 22 November 2026 10:15 WIB" in text
    x1, y1, x2, y2 = _sig_rect(signed)
    assert 344 + 8 < y1 < y2 < 400 - 3 and x2 < 595 - 19


def test_certified_no_changes_pdf_is_refused(letter, signer, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm

    certified = tmp_path / "certified.pdf"
    with letter.open("rb") as fh, certified.open("wb") as out:
        meta = signers.PdfSignatureMetadata(field_name="Author", certify=True,
                                            docmdp_permissions=MDPPerm.NO_CHANGES)
        signers.PdfSigner(meta, signer.pyhanko_signer()).sign_pdf(
            IncrementalPdfFileWriter(fh), output=out)
    with pytest.raises(InputError, match="allows no changes at all") as exc:
        sign_pdf(certified, tmp_path / "again.pdf", signer, pejabat=PEJABAT, doc_id=None, footer="")
    assert str(certified) in str(exc.value)
    assert not (tmp_path / "again.pdf").exists()
