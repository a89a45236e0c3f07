"""`docgen sign` and `docgen verify` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sign import BLOCK, make_pdf  # tests/ is on sys.path (pytest rootdir import mode)

from docgen.sign import demo_keys
from docgen.sign import verify as v
from docgen.workspace import Workspace, load

ENV = "DOCGEN_TEST_P12_PASS"


@pytest.fixture
def signing_ws(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> tuple[Workspace, str]:
    """The example workspace with a demo key for `kepala` and its CA as trust root."""
    monkeypatch.delenv("DOCGEN_WORKSPACE", raising=False)
    monkeypatch.delenv(ENV, raising=False)
    ca, p12, pw = demo_keys.make_demo_pki(ws.root / "kunci", ws.pejabat("kepala"), name="kepala")
    cfg = ws.config_file.read_text(encoding="utf-8")
    assert "trust_roots = []" in cfg
    cfg = cfg.replace("trust_roots = []", 'trust_roots = ["kunci/demo-ca.pem"]', 1)
    cfg += f'\n[tte.penandatangan.kepala]\npejabat = "kepala"\np12 = "kunci/kepala.p12"\npassphrase_env = "{ENV}"\n'
    ws.config_file.write_text(cfg, encoding="utf-8")
    return load(ws.root), pw


@pytest.fixture
def letter(signing_ws) -> Path:
    ws, _pw = signing_ws
    nama = ws.pejabat("kepala").nama
    lines = [(x, y, s, nama if i == 2 else t) for i, (x, y, s, t) in enumerate(BLOCK)]
    return make_pdf(ws.root / "laporan.pdf", [lines])


def test_sign_and_verify_in_a_workspace(cli, signing_ws, letter):
    ws, pw = signing_ws
    code, out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    signed = letter.with_name("laporan-ttd.pdf")
    assert signed.is_file() and f"signed: {signed}" in out
    code, out, err = cli("verify", str(signed), cwd=ws.root)
    assert code == 0, out + err
    assert "intact:    yes" in out and "trusted:   yes" in out
    assert "Drs. APIP PERMANA, MM." in out
    assert "Tanda tangan elektronik sah dan dokumen tidak berubah." in out


def test_wrong_passphrase_is_a_clear_error_and_writes_nothing(cli, signing_ws, letter):
    ws, _pw = signing_ws
    before = sorted(p.name for p in letter.parent.iterdir())
    code, out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: "salah"})
    assert code != 0
    assert "kepala.p12" in err and "passphrase" in err and f"${ENV}" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in letter.parent.iterdir()) == before


def test_no_passphrase_and_no_terminal(cli, signing_ws, letter):
    ws, _pw = signing_ws
    code, _out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root)
    assert code != 0 and ENV in err and "passphrase_env" in err
    assert not letter.with_name("laporan-ttd.pdf").exists()


def test_unknown_signer_lists_the_known_ones(cli, signing_ws, letter):
    ws, pw = signing_ws
    code, _out, err = cli("sign", str(letter), "--signer", "bupati", cwd=ws.root, env={ENV: pw})
    assert code != 0 and "tte.penandatangan.bupati" in err and "known: kepala" in err


def test_missing_key_file_names_the_config_field(cli, signing_ws, letter):
    ws, pw = signing_ws
    (ws.root / "kunci" / "kepala.p12").unlink()
    code, _out, err = cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})
    assert code != 0 and "tte.penandatangan.kepala.p12" in err and "docgen.toml" in err


def test_sign_to_named_output(cli, signing_ws, letter, tmp_path):
    ws, pw = signing_ws
    out_pdf = tmp_path / "keluar" / "final.pdf"
    code, _out, err = cli("sign", str(letter), "--signer", "kepala", "-o", str(out_pdf),
                          cwd=ws.root, env={ENV: pw})
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(letter.read_bytes())


def test_verify_exit_codes_without_a_workspace(cli, signing_ws, letter, tmp_path):
    ws, pw = signing_ws
    assert cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})[0] == 0
    signed = letter.with_name("laporan-ttd.pdf")
    ca = ws.root / "kunci" / "demo-ca.pem"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    code, out, _ = cli("verify", str(signed), "--trust", str(ca), cwd=elsewhere)
    assert code == v.OK, out

    code, out, _ = cli("verify", str(signed), cwd=elsewhere)  # no workspace, no --trust
    assert code == v.UNTRUSTED
    assert "trusted:   NO" in out and "tidak dipercaya" in out

    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(signed.read_bytes() + b"\n%%EOF\n")
    code, out, _ = cli("verify", str(tampered), "--trust", str(ca), cwd=elsewhere)
    assert code == v.BROKEN
    assert "intact:    yes" in out  # the signed revision is still there...
    assert "modified after signing: YES" in out and "telah diubah" in out  # ...but bytes follow

    code, out, _ = cli("verify", str(letter), "--trust", str(ca), cwd=elsewhere)
    assert code == v.NO_SIGNATURE and "tidak memiliki tanda tangan" in out


def test_verify_not_a_pdf(cli, tmp_path):
    f = tmp_path / "x.pdf"
    f.write_text("hello")
    code, _out, err = cli("verify", str(f), cwd=tmp_path)
    assert code == 1 and "not a PDF" in err and str(f) in err


def test_verify_help_documents_exit_codes(cli):
    code, out, _ = cli("verify", "--help")
    assert code == 0
    for c in (v.NO_SIGNATURE, v.UNTRUSTED, v.BROKEN):
        assert f"  {c}  " in out


def test_workspace_helpers_as_the_demo_uses_them(signing_ws, letter, monkeypatch):
    from docgen.sign import cli_support

    ws, pw = signing_ws
    monkeypatch.setenv(ENV, pw)
    signed = cli_support.sign_for_workspace(ws, letter, "kepala")
    assert signed == letter.with_name("laporan-ttd.pdf")
    [st] = cli_support.verify_for_workspace(ws, signed)
    assert st.ok and st.signer == ws.pejabat("kepala").nama
    monkeypatch.delenv(ENV)
    asked = []
    cli_support.signer_for_workspace(ws, "kepala", prompt=lambda text: asked.append(text) or pw)
    assert asked == ["Passphrase for kepala.p12"]


def test_not_a_pdf_is_refused_before_the_passphrase(cli, signing_ws):
    ws, _pw = signing_ws
    docx = ws.root / "surat.docx"
    docx.write_bytes(b"PK\x03\x04 a docx")
    code, _out, err = cli("sign", str(docx), "--signer", "kepala", cwd=ws.root)  # no passphrase set
    assert code != 0 and "not a PDF" in err and str(docx) in err
    assert "passphrase" not in err
    assert not (ws.root / "surat-ttd.pdf").exists()


def test_verify_reports_metadata_changed_after_signing(cli, signing_ws, letter, tmp_path):
    from pypdf import PdfWriter

    ws, pw = signing_ws
    assert cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})[0] == 0
    signed = letter.with_name("laporan-ttd.pdf")
    w = PdfWriter(signed, incremental=True)  # an /Info-only update: pyHanko accepts it
    w.add_metadata({"/Title": "Surat palsu", "/DocgenNomor": "999/999/PALSU/2026"})
    relabelled = tmp_path / "relabel.pdf"
    w.write(relabelled)
    code, out, _ = cli("verify", str(relabelled), cwd=ws.root)
    assert code == v.METADATA_CHANGED == 14, out
    assert "metadata changed after signing: DocgenNomor, Title" in out
    assert "document unchanged" not in out and "tidak berubah" not in out
    assert "intact:    yes" in out and "valid:     yes (the signature over the signed revision)" in out
    # several files: the metadata change ranks above untrusted, below broken
    code, out, _ = cli("verify", str(relabelled), str(signed), cwd=ws.root)
    assert code == v.METADATA_CHANGED and "2 PDF(s) checked: Tanda tangan elektronik utuh, tetapi metadata" in out
    assert cli("verify", str(signed), cwd=ws.root)[0] == v.OK  # the signed file itself is unchanged


def test_verify_never_says_valid_beside_intact_no(cli, signing_ws, letter, tmp_path):
    ws, pw = signing_ws
    assert cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})[0] == 0
    data = bytearray(letter.with_name("laporan-ttd.pdf").read_bytes())
    i = data.index(b"BT")  # inside the signed page content
    data[i:i + 2] = b"bt"
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(bytes(data))
    code, out, _ = cli("verify", str(forged), cwd=ws.root)
    assert code == v.BROKEN, out
    assert "intact:    NO (the signed bytes were altered)" in out
    assert "valid:     NO" in out and "valid:     yes" not in out
