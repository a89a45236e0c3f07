"""`docgen verify` over several PDFs at once, as an auditor checks a folder."""

from __future__ import annotations

from test_sign_cli import ENV, letter, signing_ws  # noqa: F401  (pytest fixtures)

from docgen.sign import verify as v


def test_verify_several_pdfs_exits_with_the_worst(cli, signing_ws, letter, tmp_path):  # noqa: F811
    ws, pw = signing_ws
    assert cli("sign", str(letter), "--signer", "kepala", cwd=ws.root, env={ENV: pw})[0] == 0
    signed = letter.with_name("laporan-ttd.pdf")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(signed.read_bytes() + b"\n%%EOF\n")

    code, out, _ = cli("verify", str(signed), str(signed), cwd=ws.root)
    assert code == v.OK and out.count("2 PDF(s) checked: Tanda tangan elektronik sah") == 1

    code, out, _ = cli("verify", str(signed), str(letter), cwd=ws.root)
    assert code == v.NO_SIGNATURE
    assert f"{signed}: 1 signature(s)" in out and f"{letter}: 0 signature(s)" in out

    code, out, _ = cli("verify", str(letter), str(tampered), str(signed), cwd=ws.root)
    assert code == v.BROKEN  # the worst wins, whatever the order
    assert "telah diubah" in out and out.rstrip().endswith("telah diubah setelah ditandatangani.")
