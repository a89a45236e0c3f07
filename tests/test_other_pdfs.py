"""PDFs docgen did not make: signed by other tools and CAs, timestamped, certified,
encrypted, damaged. Real pyHanko signatures (a second CA and a TSA made here), real
SQLite, real files; asserts on what the clerk sees (exit codes, messages, entries)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.keys import internal as hanko_keys
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfWriter
from test_sign import BLOCK, make_pdf
from test_sign_cli import ENV, letter, signing_ws  # noqa: F401  (pytest fixtures)

from docgen import archive
from docgen.sign import demo_keys
from docgen.sign import verify as v

_asn1 = hanko_keys.translate_pyca_cryptography_cert_to_asn1
_asn1_key = hanko_keys.translate_pyca_cryptography_key_to_asn1


class OtherVendor:
    """Another CA with a signer ("Budi Santoso") and a timestamp authority."""

    def __init__(self) -> None:
        ca_key, ca = demo_keys.make_ca("Other Vendor Root CA")
        key, cert = demo_keys.make_signer_cert(ca_key, ca, "Budi Santoso")
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(dt.UTC)
        tsa_cert = (
            x509.CertificateBuilder().subject_name(demo_keys._name("Test TSA"))
            .issuer_name(ca.subject).public_key(tsa_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        chain = SimpleCertificateStore.from_certs([_asn1(ca)])
        self.signer = signers.SimpleSigner(signing_cert=_asn1(cert), signing_key=_asn1_key(key),
                                           cert_registry=chain)
        self.tsa = DummyTimeStamper(tsa_cert=_asn1(tsa_cert), tsa_key=_asn1_key(tsa_key),
                                    certs_to_embed=chain)

    def sign(self, src: Path, dst: Path, *, field: str = "Signature1", box=(50, 50, 200, 100),
             timestamp: bool = False, certify: fields.MDPPerm | None = None) -> Path:
        w = IncrementalPdfFileWriter(io.BytesIO(src.read_bytes()), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            certify=certify is not None, docmdp_permissions=certify or fields.MDPPerm.FILL_FORMS)
        out = io.BytesIO()
        signers.PdfSigner(meta, signer=self.signer, timestamper=self.tsa if timestamp else None,
                          new_field_spec=fields.SigFieldSpec(field, box=box)).sign_pdf(w, output=out)
        dst.write_bytes(out.getvalue())
        return dst

    def doc_timestamp(self, src: Path, dst: Path) -> Path:
        w = IncrementalPdfFileWriter(io.BytesIO(src.read_bytes()))
        out = io.BytesIO()
        signers.PdfTimeStamper(self.tsa, field_name="DocTS").timestamp_pdf(w, "sha256", output=out)
        dst.write_bytes(out.getvalue())
        return dst


@pytest.fixture(scope="module")
def vendor() -> OtherVendor:
    return OtherVendor()


@pytest.fixture
def signed(cli, signing_ws, letter) -> Path:  # noqa: F811
    ws, pw = signing_ws
    code, _out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    return letter.with_name("laporan-ttd.pdf")


def _verify(cli, ws, *pdfs: Path) -> tuple[int, str]:
    code, out, err = cli("verify", *map(str, pdfs), cwd=ws.root)
    assert "Traceback" not in out + err
    return code, out + err


# --- verify ----------------------------------------------------------------------------
def test_a_document_timestamp_is_checked_not_called_broken(cli, signing_ws, signed, vendor):  # noqa: F811
    """PAdES B-LTA adds a /DocTimeStamp after the signature: that is no damage."""
    ws, _pw = signing_ws
    lta = vendor.doc_timestamp(signed, signed.with_name("lta.pdf"))
    code, out = _verify(cli, ws, lta)
    assert code == v.OK, out
    assert "1 signature(s), 1 document timestamp(s)" in out
    assert "document timestamp DocTS" in out and "Test TSA" in out
    assert "later updates add only timestamps" in out

    only = vendor.doc_timestamp(make_pdf(ws.root / "polos.pdf", [BLOCK]), ws.root / "ts-only.pdf")
    code, out = _verify(cli, ws, only)
    assert code == v.NO_SIGNATURE, out  # a timestamp proves a time, it is nobody's signature
    assert "0 signature(s), 1 document timestamp(s)" in out


def test_a_signature_timestamp_is_shown_with_its_tsa_in_office_time(cli, signing_ws, vendor, tmp_path):  # noqa: F811
    ws, _pw = signing_ws
    pdf = vendor.sign(make_pdf(tmp_path / "a.pdf", [BLOCK]), tmp_path / "vendor.pdf", timestamp=True)
    code, out = _verify(cli, ws, pdf)
    assert code == v.UNTRUSTED, out  # another CA: intact, not trusted here
    assert "signer:    Budi Santoso" in out
    assert "by Test TSA (valid, TSA not trusted)" in out
    assert "timestamp: " in out and " WIB" in out and " UTC" not in out


def test_a_truncated_signed_file_is_broken_not_unsigned(cli, signing_ws, signed):  # noqa: F811
    ws, _pw = signing_ws
    cut = signed.with_name("terpotong.pdf")
    cut.write_bytes(signed.read_bytes()[:-300])  # a copy that stopped early
    code, out = _verify(cli, ws, cut)
    assert code == v.BROKEN, out
    assert "damaged or incomplete" in out


def test_metadata_changed_after_signing_stays_valid_but_is_said(cli, signing_ws, signed):  # noqa: F811
    ws, _pw = signing_ws
    w = PdfWriter(signed, incremental=True)
    w.add_metadata({"/Author": "pypdf"})
    info = signed.with_name("info.pdf")
    w.write(info)
    code, out = _verify(cli, ws, info)
    # the signed revision is intact and valid; what the file says of itself changed (issue 16)
    assert code == v.METADATA_CHANGED, out
    assert "metadata changed after signing: Author" in out
    assert "valid:     yes (the signature over the signed revision)" in out


def test_an_added_comment_after_signing_is_a_modification(cli, signing_ws, signed):  # noqa: F811
    ws, _pw = signing_ws
    w = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    page = w.root["/Pages"]["/Kids"][-1].get_object()
    note = w.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
        generic.pdf_name("/Rect"): generic.ArrayObject(map(generic.NumberObject, (72, 500, 300, 540))),
        generic.pdf_name("/Contents"): generic.TextStringObject("PALSU"),
    }))
    page[generic.pdf_name("/Annots")] = generic.ArrayObject([*(page.get("/Annots") or []), note])
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    annotated = signed.with_name("komentar.pdf")
    annotated.write_bytes(out.getvalue())
    code, text = _verify(cli, ws, annotated)
    assert code == v.BROKEN, text
    assert "modified after signing: YES" in text


# --- sign ------------------------------------------------------------------------------
@pytest.mark.parametrize("perm, says", [(fields.MDPPerm.FILL_FORMS, "only filling in its form fields"),
                                        (fields.MDPPerm.NO_CHANGES, "no changes at all"),
                                        (fields.MDPPerm.ANNOTATE, "only comments and form filling")])
def test_a_certified_pdf_is_refused_before_its_certification_breaks(
        cli, signing_ws, letter, vendor, perm, says):  # noqa: F811
    """Even P=3: pyHanko (so `docgen verify`) allows no new visible signature field after
    a certification, so signing would turn the author's valid certification into 12."""
    ws, pw = signing_ws
    certified = vendor.sign(letter, letter.with_name("sertifikasi.pdf"), certify=perm)
    code, out, err = cli("sign", str(certified), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 1 and "Traceback" not in out + err
    assert str(certified) in err and "DocMDP" in err and says in err and "fix:" in err
    assert not certified.with_name("sertifikasi-ttd.pdf").exists()


def _widget_rects(pdf: Path) -> dict[str, tuple[float, ...]]:
    r = PdfFileReader(io.BytesIO(pdf.read_bytes()))
    return {s.field_name: tuple(float(x) for x in s.sig_field["/Rect"]) for s in r.embedded_signatures}


def test_the_stamp_does_not_cover_another_tools_signature(cli, signing_ws, letter, vendor):  # noqa: F811
    ws, pw = signing_ws
    # the other tool signed visibly right where docgen would put its stamp: above the name
    other = vendor.sign(letter, letter.with_name("vendor.pdf"), box=(330, 322, 540, 384))
    code, _out, err = cli("sign", str(other), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    rects = _widget_rects(other.with_name("vendor-ttd.pdf"))
    (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = rects["Signature1"], rects["TTE1"]
    assert bx2 <= ax1 or ax2 <= bx1 or by2 <= ay1 or ay2 <= by1, rects
    code, out = _verify(cli, ws, other.with_name("vendor-ttd.pdf"))
    assert code == v.UNTRUSTED and out.count("intact:    yes") == 2, out


def test_an_empty_signature_field_leaves_the_stamp_in_the_signature_block(cli, signing_ws, letter):  # noqa: F811
    ws, pw = signing_ws
    w = IncrementalPdfFileWriter(io.BytesIO(letter.read_bytes()))
    fields.append_signature_field(w, fields.SigFieldSpec("Kepala", box=(330, 322, 540, 384), on_page=0))
    out = io.BytesIO()
    w.write(out)
    form = letter.with_name("kolom.pdf")
    form.write_bytes(out.getvalue())
    code, _o, err = cli("sign", str(form), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    x1, y1, _x2, y2 = _widget_rects(form.with_name("kolom-ttd.pdf"))["TTE1"]
    assert x1 == pytest.approx(330, abs=2) and 310 < y1 < y2 <= 386  # between jabatan and name


@pytest.mark.parametrize("data, says", [(b"", "the file is empty (0 bytes)"),
                                        (b"\x89PNG\r\n\x1a\n" + bytes(64), "not a PDF file (a PNG image)")])
def test_sign_names_what_the_file_is(cli, signing_ws, data, says):  # noqa: F811
    ws, pw = signing_ws
    bad = ws.root / "laporan final.pdf"
    bad.write_bytes(data)
    code, out, err = cli("sign", str(bad), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 1 and "Traceback" not in out + err
    assert str(bad) in err and says in err and "fix:" in err


# --- archive ---------------------------------------------------------------------------
def _owner_locked(src: Path, dst: Path) -> Path:
    w = PdfWriter(clone_from=str(src))
    w.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
    w.write(dst)
    return dst


def test_archive_files_other_pdfs_and_says_what_their_signatures_are(
        cli, signing_ws, signed, vendor):  # noqa: F811
    ws, _pw = signing_ws
    inbox = ws.inbox_dir / "Dari Vendor & Mitra"
    inbox.mkdir(parents=True)
    body = [(72, 770, 12, "Perihal: Rencana anggaran perubahan kecamatan"), *BLOCK]
    plain = make_pdf(ws.root / "p.pdf", [body])
    _owner_locked(plain, inbox / "dikunci pemilik.pdf")
    vendor.sign(plain, inbox / "vendor ts.pdf", timestamp=True)
    vendor.doc_timestamp(plain, inbox / "hanya stempel waktu.pdf")
    cut = inbox / "terpotong.pdf"
    cut.write_bytes(signed.read_bytes()[:-300])
    w = PdfWriter(clone_from=str(signed))  # re-saved by another program: signature broken
    w.write(inbox / "disimpan ulang.pdf")
    titled = make_pdf(inbox / "Laporan Désa Sukamaju & Mitra.pdf", [[(72, 770, 12, "1.00 2.00 3.00")]])
    w = PdfWriter(clone_from=str(titled))
    w.add_metadata({"/Title": "Neraca pembangunan jembatan"})
    w.write(titled)

    code, out, err = cli("archive", "ingest", str(ws.inbox_dir), cwd=ws.root)
    assert "Traceback" not in out + err
    assert code == 0, out + err
    assert out.count("filed") >= 6 and "quarantined" not in out
    entries = {e["original_name"].split("/")[-1]: e for e in (archive.show(ws, i) for i in range(1, 7))}

    locked = entries["dikunci pemilik.pdf"]
    assert locked["signed"] == 0 and "anggaran" in locked["title"].lower()
    assert locked["id"] in {h.id for h in archive.search(ws, "anggaran perubahan kecamatan")}

    ts = entries["vendor ts.pdf"]
    assert ts["signed"] == 1 and ts["sig_valid"] == 1 and ts["signer"] == "Budi Santoso"
    assert ts["signatures"][0]["timestamp_by"] == "Test TSA"

    only = entries["hanya stempel waktu.pdf"]
    assert only["signed"] == 0  # a document timestamp is nobody's signature
    for broken in ("terpotong.pdf", "disimpan ulang.pdf"):
        assert entries[broken]["signed"] == 1 and entries[broken]["sig_valid"] == 0, broken

    # what the clerk remembers instead of the text: the file's name, its /Info title
    for query in ("Sukamaju", "jembatan"):
        assert {h.id for h in archive.search(ws, query)} == {
            entries["Laporan Désa Sukamaju & Mitra.pdf"]["id"]}, query
    assert entries["Laporan Désa Sukamaju & Mitra.pdf"]["title"] == "Neraca pembangunan jembatan"


def test_wajib_tte_quarantines_a_document_modified_after_signing(signing_ws, signed):  # noqa: F811
    ws, _pw = signing_ws
    ws.config.arsip.wajib_tte = True
    w = PdfWriter(clone_from=str(signed))
    bad = ws.inbox_dir / "diubah.pdf"
    w.write(bad)
    [r] = archive.ingest(ws, [bad])
    assert r.status == "quarantined" and r.stage == "inspect", r.line()
    reason = (ws.quarantine_dir / "diubah.pdf.alasan.txt").read_text(encoding="utf-8")
    assert "Stage:       inspect" in reason and "docgen sign" in reason
    assert (ws.quarantine_dir / "diubah.pdf").is_file() and not bad.exists()  # kept, not lost


def test_a_pdf_changed_after_its_first_signature_is_not_countersigned(cli, signing_ws, signed):  # noqa: F811
    ws, pw = signing_ws
    w = PdfWriter(clone_from=str(signed))  # re-saved by another program after the signature
    resaved = signed.with_name("disimpan ulang.pdf")
    w.write(resaved)
    code, out, err = cli("sign", str(resaved), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 1 and "Traceback" not in out + err
    assert str(resaved) in err and "signature TTE1" in err and "does not hold" in err and "fix:" in err
    assert not resaved.with_name("disimpan ulang-ttd.pdf").exists()
    # an intact earlier signature is countersigned as before
    code, _out, err = cli("sign", str(signed), "--signer", "kepala", "-o", str(ws.root / "dua.pdf"),
                          cwd=ws.root, env={ENV: pw})
    assert code == 0, err


def test_a_pdf_with_bytes_before_its_header_is_filed_and_found(signing_ws, tmp_path):  # noqa: F811
    """Some mail gateways and scanners prepend a line; every viewer still opens the file."""
    ws, _pw = signing_ws
    pdf = make_pdf(tmp_path / "a.pdf", [[(72, 770, 12, "Perihal: Undangan rapat koordinasi gateway")]])
    odd = ws.inbox_dir / "dari gateway.pdf"
    odd.write_bytes(b"X-Scanner: HP\r\n" + pdf.read_bytes())
    [r] = archive.ingest(ws, [odd])
    assert r.status == "filed", r.line()
    assert [h.id for h in archive.search(ws, "undangan gateway")] == [r.entry_id]


def test_a_nomor_written_into_info_after_signing_does_not_relabel_the_archive_entry(cli, signing_ws, signed):  # noqa: F811
    # pyHanko accepts an /Info-only update after signing: the archive read the nomor from it
    ws, _pw = signing_ws
    before = archive.ingest(ws, [signed], keep=True)[0]
    assert before.status == "filed", before.line()
    true_no = archive.show(ws, before.entry_id)["letter_no"]
    w = PdfWriter(signed, incremental=True)
    w.add_metadata({"/DocgenNomor": "999/999/PALSU/2026", "/DocgenId": "DG-PALSU"})
    relabelled = ws.inbox_dir / "relabel.pdf"
    w.write(relabelled)
    [r] = archive.ingest(ws, [relabelled])
    assert r.status == "filed", r.line()
    entry = archive.show(ws, r.entry_id)
    assert entry["letter_no"] == true_no and "PALSU" not in entry["letter_no"]
    assert "DocgenNomor" in entry["info"]["DiubahSetelahTTE"]
    assert not archive.search(ws, "999/999/PALSU/2026")
    code, out, err = cli("archive", "show", str(r.entry_id), cwd=ws.root)
    assert code == 0 and "DocgenNomor, DocgenId changed in /Info after signing" in out


# --- a timestamp on signing (PAdES B-T) from a TSA over HTTP ----------------------------
@pytest.fixture
def tsa_url(vendor):
    """A real RFC 3161 server on localhost, answering with the vendor's test TSA."""
    import http.server
    import threading

    from asn1crypto import tsp

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  (http.server's name)
            req = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = vendor.tsa.request_tsa_response(req).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()


def _set_tsa(ws, url: str) -> None:
    cfg = ws.config_file.read_text(encoding="utf-8")
    assert 'tsa_url = ""' in cfg  # docgen init writes the setting, empty
    ws.config_file.write_text(cfg.replace('tsa_url = ""', f'tsa_url = "{url}"\ntsa_timeout = 3', 1),
                              encoding="utf-8")


def test_sign_with_a_timestamp_server_gives_the_tsa_time(cli, signing_ws, letter, tsa_url):  # noqa: F811
    ws, pw = signing_ws
    _set_tsa(ws, tsa_url)
    code, out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    code, out = _verify(cli, ws, letter.with_name("laporan-ttd.pdf"))
    assert code == v.OK, out  # the TSA's CA need not be trusted for the signature to be
    assert "by Test TSA (valid, TSA not trusted)" in out and "timestamp: " in out


def test_an_unreachable_timestamp_server_signs_nothing(cli, signing_ws, letter):  # noqa: F811
    import socket

    ws, pw = signing_ws
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _set_tsa(ws, f"http://127.0.0.1:{port}/tsa")
    code, out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 1 and "Traceback" not in err
    assert "docgen.toml: tte.tsa_url: the timestamp server" in err and "nothing was signed" in err
    assert "fix: check the network and the address" in err
    assert not letter.with_name("laporan-ttd.pdf").exists()
