"""The first run of a new office: `docgen init` with its names (asked or given),
check-config naming what is still the example office's, make refusing Kediri's kop for
another office, and `docgen tte demo-key`."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from test_sign import BLOCK, make_pdf  # tests/ is on sys.path

from docgen import workspace
from docgen.cli import core

SIGI = ["--pemerintah", "Pemerintah Kabupaten Sigi", "--instansi", "Kecamatan Biromaru",
        "--alamat", "Jalan Poros Palu-Palolo Nomor 1, Biromaru", "--kode-pos", "94364",
        "--kota", "Biromaru", "--kode-unit", "Kec.Brm", "--kepala-jabatan", "Camat Biromaru",
        "--kepala-nama", "ANDI MAHMUD, S.STP., M.Si.", "--kepala-nip", "197805122000121001",
        "--zona-waktu", "WITA"]


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.startswith("word/") and n.endswith(".xml"))
    return re.sub(r"<[^>]+>", "", xml)


def test_init_with_the_offices_names(cli, tmp_path):
    code, out, err = cli("init", str(tmp_path / "kec"), *SIGI)
    assert code == 0, err
    ws = workspace.load(tmp_path / "kec")
    kop = ws.config.kop
    assert (kop.pemerintah, kop.instansi, kop.kota, kop.kode_unit, kop.kode_pos) == (
        "PEMERINTAH KABUPATEN SIGI", ["KECAMATAN BIROMARU"], "Biromaru", "Kec.Brm", "94364")
    # what was not given is empty, never Kediri's telephone or the example head's NIP
    assert (kop.telepon, kop.email, kop.laman) == ("", "", "")
    kepala = ws.config.pejabat["kepala"]
    assert (kepala.nama, kepala.nip, kepala.pangkat) == ("ANDI MAHMUD, S.STP., M.Si.", "197805122000121001", "")
    assert ws.config.tte.zona_waktu == "WITA"
    # comments of the example stay, to guide the next edit
    assert "# The letterhead (kop surat)" in ws.config_file.read_text(encoding="utf-8")
    # what is left of the example (other officials, Bidang, the logo) is said at once
    assert "still the example office's in docgen.toml: kop.logo, pejabat.sekretaris" in out


def test_init_asks_in_a_terminal(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(core, "interactive", lambda: True)
    answers = ["PEMERINTAH KOTA PALU", "DINAS KESEHATAN|KOTA PALU", "Jalan Balai Kota Nomor 2, Palu",
               "", "(0451) 421000", "", "", "Dinkes", "Kepala Dinas Kesehatan",
               "dr. RAHMAT HIDAYAT, M.Kes.", "Pembina Utama Muda", "197001011995031002", "WITA"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(answers) + "\n"))
    code, out, err = cli("init", str(tmp_path / "dinkes"), "--kota", "Palu")
    assert code == 0, err
    assert "Pemerintah (e.g. PEMERINTAH KABUPATEN SIGI)" in out
    assert "Kota, the place" not in out  # given as an option: not asked
    ws = workspace.load(tmp_path / "dinkes")
    assert ws.config.kop.instansi == ["DINAS KESEHATAN", "KOTA PALU"]
    assert ws.config.kop.telepon == "(0451) 421000" and ws.config.kop.kota == "Palu"
    assert ws.config.pejabat["kepala"].nip == "197001011995031002"
    assert ws.config.tte.zona_waktu == "WITA"


def test_init_with_a_bad_nip_names_the_option_and_makes_nothing(cli, tmp_path):
    code, out, err = cli("init", str(tmp_path / "kec"), *SIGI[:-4], "--kepala-nip", "1978051220")
    assert code == 1 and "Traceback" not in err
    assert "pejabat.kepala.nip" in err and "must have 18 digits" in err
    assert "fix: give --kepala-nip again" in err
    assert not (tmp_path / "kec").exists()


def test_check_config_warns_about_every_value_still_the_examples(ws, cli):
    code, out, err = cli("-W", str(ws.root), "check-config")
    assert code == 0
    warned = re.findall(r"^warning: \S+docgen\.toml: (\S+): still the example office's value", err, re.M)
    assert warned[:9] == ["kop.pemerintah", "kop.instansi", "kop.alamat", "kop.telepon", "kop.laman",
                          "kop.email", "kop.kota", "kop.kode_unit", "kop.logo"]
    assert {"pejabat.kepala", "pejabat.sekretaris", "pejabat.kabid_ikp", "bidang.ikp"} <= set(warned)
    assert "bidang.sekretariat" not in warned  # "Sekretariat" is every office's
    assert f"{ws.config_file}: ok ({len(warned)} value(s) still the example office's" in out
    # once the office's own, nothing is said
    code, out, err = cli("init", str(ws.root.parent / "kec"), *SIGI)
    code, out, err = cli("-W", str(ws.root.parent / "kec"), "check-config")
    assert "kop." not in err.replace("kop.logo", "")
    assert "pejabat.kepala:" not in err


def test_make_refuses_the_example_kop_for_another_office(ws, cli):
    text = ws.config_file.read_text(encoding="utf-8")
    text = text.replace('"PEMERINTAH KOTA KEDIRI"', '"PEMERINTAH KABUPATEN SIGI"').replace(
        '["DINAS KOMUNIKASI DAN INFORMATIKA"]', '["KECAMATAN BIROMARU"]')
    ws.config_file.write_text(text, encoding="utf-8")
    src = ws.root / "contoh" / "disposisi.yaml"
    code, out, err = cli("-W", str(ws.root), "make", "disposisi", str(src))
    assert code == 1 and "Traceback" not in err
    assert (f"error: {ws.config_file}: kop.alamat: the kop would print the example office's alamat "
            "(Jalan Basuki Rahmat Nomor 15, Kediri, Jawa Timur 64129) for PEMERINTAH KABUPATEN SIGI / "
            "KECAMATAN BIROMARU; also still the example's: kop.telepon, kop.laman, kop.email, kop.kota, "
            "kop.kode_unit") in err
    assert "fix: edit kop.alamat in docgen.toml" in err
    assert not any(ws.output_dir.iterdir())


def test_the_example_office_itself_still_makes_letters(ws, cli):
    src = ws.root / "contoh" / "disposisi.yaml"
    code, out, err = cli("-W", str(ws.root), "make", "disposisi", str(src))
    assert code == 0, err


def test_the_new_offices_kop_is_printed(cli, tmp_path):
    cli("init", str(tmp_path / "kec"), *SIGI)
    root = tmp_path / "kec"
    code, out, err = cli("-W", str(root), "make", "disposisi", str(root / "contoh" / "disposisi.yaml"))
    assert code == 0, err
    text = _docx_text(next(p for p in (root / "keluaran").iterdir() if p.suffix == ".docx"))
    assert "KECAMATAN BIROMARU" in text and "Jalan Poros Palu-Palolo" in text
    assert "Basuki Rahmat" not in text and "kedirikota" not in text


def test_tte_demo_key_prints_where_and_the_passphrase_in_words(ws, cli, monkeypatch):
    monkeypatch.delenv("DOCGEN_WORKSPACE", raising=False)
    code, out, err = cli("-W", str(ws.root), "tte", "demo-key", "kepala")
    assert code == 0, err
    assert "key (PKCS#12): kunci/kepala.p12" in out
    assert "demo CA:       kunci/demo-ca-kepala.pem" in out
    words = re.search(r"passphrase:\s+(\S+)", out)[1]
    assert re.fullmatch(r"[a-z]+(-[a-z]+){4}", words), words
    assert "a DEMO certificate" in out and "DOCGEN_P12_PASSPHRASE_KEPALA" in out
    assert (ws.root / "kunci" / "kepala.p12").is_file()
    # the key signs and verifies as trusted with what was printed
    lines = [(x, y, s, ws.pejabat("kepala").nama if i == 2 else t) for i, (x, y, s, t) in enumerate(BLOCK)]
    pdf = make_pdf(ws.root / "surat.pdf", [lines])
    code, out, err = cli("-W", str(ws.root), "sign", str(pdf), "--signer", "kepala",
                         env={"DOCGEN_P12_PASSPHRASE_KEPALA": words})
    assert code == 0, err
    code, out, err = cli("-W", str(ws.root), "verify", str(pdf.with_name("surat-ttd.pdf")))
    assert code == 0 and "trusted:   yes" in out
    # a second signer keeps the first one's CA; asking again for the same is refused
    code, out, err = cli("-W", str(ws.root), "tte", "demo-key", "sekretaris")
    assert code == 0, err
    roots = workspace.load(ws.root).config.tte.trust_roots
    assert roots == ["kunci/demo-ca-kepala.pem", "kunci/demo-ca-sekretaris.pem"]
    code, out, err = cli("-W", str(ws.root), "tte", "demo-key", "kepala")
    assert code == 1 and "already has a key" in err and "--force" in err


def test_tte_demo_key_for_an_unknown_pejabat(ws, cli):
    code, out, err = cli("-W", str(ws.root), "tte", "demo-key", "bupati")
    assert code == 1 and "unknown pejabat 'bupati'" in err and "known: kabid_aptika" in err
    assert not (ws.root / "kunci").exists()


@pytest.mark.parametrize("bad", ["Kepala", "kepala dinas"])
def test_tte_demo_key_name_must_be_a_key(ws, cli, bad):
    code, out, err = cli("-W", str(ws.root), "tte", "demo-key", bad)
    assert code == 1 and "must be lowercase letters" in err
