"""The shared core: formatting rules, workspace config, render path, converter."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from docgen import convert, formatting, render, workspace
from docgen.errors import ConfigError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))


def test_indonesian_date_and_nip():
    assert formatting.tanggal(dt.date(2026, 11, 22)) == "22 November 2026"
    assert formatting.tanggal(dt.date(2026, 2, 5)) == "5 Februari 2026"
    assert formatting.tempat_tanggal("Kediri", "2026-08-17") == "Kediri, 17 Agustus 2026"
    assert formatting.nip("196501251993031008") == "19650125 199303 1 008"
    assert formatting.romawi(11) == "XI"


@pytest.mark.parametrize(
    "text,value",
    [("1.234,5", Decimal("1234.5")), ("85%", Decimal("85")), ("85,5 %", Decimal("85.5")),
     ("1.234", Decimal("1234")), ("12.5", Decimal("12.5")), ("", None), (7, Decimal("7"))],
)
def test_parse_indonesian_numbers(text, value):
    assert formatting.parse_angka(text) == value


@pytest.mark.parametrize(
    "value,text",
    [(Decimal("0.005"), "0,005"), (0.005, "0,005"), (1234.5, "1.234,5"), (1 / 3, "0,333333"),
     (100, "100"), (Decimal("85.50"), "85,5"), (Decimal("1234567"), "1.234.567")],
)
def test_angka_keeps_the_decimals_the_value_has(value, text):
    # a target of 0,005 printed as "0" on the form would be read back as a changed target
    assert formatting.angka(value) == text
    assert formatting.parse_angka(text) == Decimal(str(value)).quantize(Decimal("0.000001")).normalize()


def test_parse_rejects_text():
    with pytest.raises(ValueError):
        formatting.parse_angka("delapan")


@pytest.mark.parametrize("text", ["1,234.5", "12.34,5", "1.2.3", "1,234,567", "±80", "1.234,"])
def test_parse_rejects_ambiguous_separators(text):
    # "1,234.5" used to read as 1,2345 and "1.2.3" as 123: a wrong figure in the rekap
    with pytest.raises(ValueError, match="not a number"):
        formatting.parse_angka(text)


@pytest.mark.parametrize(
    "text,value",
    [("1.234.567", Decimal("1234567")), ("-1.234,5", Decimal("-1234.5")), ("0,5%", Decimal("0.5")),
     ("1,234", Decimal("1.234")), ("1234.5", Decimal("1234.5"))],
)
def test_parse_separators_indonesian_way(text, value):
    assert formatting.parse_angka(text) == value


def test_bad_config_names_file_field_and_fix(tmp_path):
    ws = workspace.init(tmp_path / "w")
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('nip = "196501251993031008"', 'nip = "1965"'), encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        workspace.load(ws.root)
    text = str(e.value)
    assert "docgen.toml" in text and "pejabat.kepala.nip" in text and "18 digits" in text


def test_cli_reports_missing_workspace_without_traceback(cli, tmp_path):
    code, out, err = cli("make", "sop", "x.yaml", cwd=tmp_path)
    assert code != 0
    assert "docgen init" in err and "Traceback" not in err


def test_render_path_stamps_properties_and_kop(ws, tmp_path):
    from templates.common import kop, new_document, para

    doc = new_document()
    kop(doc)
    para(doc, "Hal: {{ hal }}")
    tpl = tmp_path / "t.docx"
    doc.save(tpl)
    props = render.DocProps(kind="uji", nomor="000.5.3.1/15/Diskominfo/2026")
    out = render.render(ws, tpl, {"hal": "Data & Informasi <Kinerja>"}, tmp_path / "o.docx", props)
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "Hal: Data & Informasi <Kinerja>" in text
    cells = " ".join(c.text for t in Document(out).tables for r in t.rows for c in r.cells)
    assert "PEMERINTAH KOTA KEDIRI" in cells and "DINAS KOMUNIKASI DAN INFORMATIKA" in cells
    assert render.read_properties(out) == {
        "docgen.kind": "uji", "docgen.nomor": "000.5.3.1/15/Diskominfo/2026", "docgen.id": props.doc_id,
    }


def test_convert_carries_properties_into_pdf(ws, tmp_path, soffice):
    from pypdf import PdfReader
    from templates.common import new_document, para

    doc = new_document()
    para(doc, "Nomor {{ dokumen.nomor }} tanggal {{ hari_ini }}")
    tpl = tmp_path / "t.docx"
    doc.save(tpl)
    props = render.DocProps(kind="uji", nomor="000.5.3.1/7/Diskominfo/2026")
    out = render.render(ws, tpl, {}, tmp_path / "surat.docx", props)
    (pdf,) = convert.convert([out])
    assert pdf.stat().st_size > 0
    assert "000.5.3.1/7/Diskominfo/2026" in PdfReader(pdf).pages[0].extract_text()
    assert convert.read_pdf_properties(pdf)["docgen.id"] == props.doc_id


def test_impossible_yaml_date_names_field_and_writes_nothing(ws, cli):
    # 2026-02-29 is a YAML timestamp PyYAML cannot build: it was an "internal error"
    src = (ws.root / "contoh" / "surat-pengantar.yaml").read_text(encoding="utf-8")
    bad = ws.root / "sp.yaml"
    bad.write_text(src.replace("tanggal: 2026-11-22", "tanggal: 2026-02-29"), encoding="utf-8")
    code, out, err = cli("make", "surat-pengantar", str(bad), cwd=ws.root)
    assert code == 1
    assert "internal error" not in err and "Traceback" not in err
    assert "sp.yaml: tanggal (line" in err and "date 2026-02-29 does not exist" in err
    assert "fix: write a day that exists, e.g. 2026-02-28" in err
    code, out, _ = cli("register", "list", cwd=ws.root)
    assert "the register has no entries" in out
    assert not any(ws.output_dir.iterdir())


def test_folder_given_as_data_file(ws, cli):
    code, out, err = cli("make", "disposisi", str(ws.root / "contoh"), cwd=ws.root)
    assert code == 1 and "is a folder, not a file" in err


def test_non_utf8_config_is_a_config_error(ws, cli):
    # a docgen.toml saved as Latin-1 (Notepad's ANSI) was an "internal error"
    cfg = ws.config_file
    cfg.write_bytes(cfg.read_bytes() + "\n# kantor caf\u00e9\n".encode("latin-1"))
    code, out, err = cli("make", "disposisi", str(ws.root / "contoh" / "disposisi.yaml"), cwd=ws.root)
    assert code == 1 and "internal error" not in err
    assert "docgen.toml: not UTF-8 text (byte 0xe9 on line" in err
    assert "fix: save the file as UTF-8" in err


def test_check_config_named_in_docgen_toml_exists_and_lists_every_problem(ws, cli):
    # docgen.toml's first line sends the clerk to `docgen check-config`: it did not exist
    assert "`docgen check-config`" in ws.config_file.read_text(encoding="utf-8")
    code, out, err = cli("check-config", cwd=ws.root)
    assert code == 0 and "docgen.toml: ok" in out and "PEMERINTAH KOTA KEDIRI" in out
    cfg = ws.config_file
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace('pejabat = "kabid_ikp"', 'pejabat = "kabid_ikpp"')
                   .replace('format = "{klasifikasi}/{urut}/{unit}/{tahun}"', 'format = "{klasifikasi}/{tahun}"'),
                   encoding="utf-8")
    code, out, err = cli("check-config", cwd=ws.root)
    assert code == 1 and "Traceback" not in err
    assert "docgen.toml: bidang.ikp.pejabat: unknown pejabat 'kabid_ikpp'" in err
    assert "docgen.toml: penomoran.format:" in err and "has no {urut}" in err


def test_data_file_of_another_kind_is_named(ws, cli):
    # `make disposisi` on a surat-pengantar file listed 14 missing fields and no hint why
    code, out, err = cli("make", "disposisi", "contoh/surat-pengantar.yaml", cwd=ws.root)
    assert code == 1 and "Traceback" not in err
    assert "this looks like a surat-pengantar file: `docgen make surat-pengantar contoh/surat-pengantar.yaml`" in err
    code, out, err = cli("make", "disposisi", "contoh/disposisi.yaml", cwd=ws.root)
    assert code == 0


def test_key_written_twice_in_a_data_file_is_an_error(ws, cli):
    # YAML keeps the last of two `tanggal:` lines silently: the clerk's letter got the other date
    src = (ws.root / "contoh" / "disposisi.yaml").read_text(encoding="utf-8")
    (ws.root / "d.yaml").write_text(src + "tanggal: 2026-10-06\n", encoding="utf-8")
    code, out, err = cli("make", "disposisi", "d.yaml", cwd=ws.root)
    assert code == 1 and "Traceback" not in err
    assert "d.yaml: tanggal (line" in err and "'tanggal' is written twice" in err
    assert not any(ws.output_dir.iterdir())


def test_wrong_shape_says_how_to_write_it(ws, cli):
    # `langkah: "..."` (text where a list belongs) only said "correct the value"
    src = (ws.root / "contoh" / "sop" / "000-kediri-diskominfo.yaml").read_text(encoding="utf-8")
    head = src[: src.index("\nlangkah:")]
    (ws.root / "s.yaml").write_text(head + '\nlangkah: "Menyusun laporan"\n', encoding="utf-8")
    code, out, err = cli("check", "sop", "s.yaml", cwd=ws.root)
    assert code == 1 and "Traceback" not in err
    assert "s.yaml: langkah" in err
    assert "fix: write a list: one item per line, each starting with '- '" in err


def test_head_keyed_camat_signs_what_names_no_signer(ws, cli):
    # a Kecamatan keys its head "camat": every data file had to write `pendisposisi: camat`
    cfg = ws.config_file
    text = cfg.read_text(encoding="utf-8").replace("[pejabat.kepala]", "[pejabat.camat]")
    cfg.write_text(text.replace('pimpinan = "kepala"', 'pimpinan = "camat"'), encoding="utf-8")
    src = (ws.root / "contoh" / "surat-pengantar.yaml").read_text(encoding="utf-8")
    (ws.root / "sp.yaml").write_text(src.replace("penandatangan: kepala\n", ""), encoding="utf-8")
    code, out, err = cli("make", "surat-pengantar", "sp.yaml", cwd=ws.root)
    assert code == 0, err
    made = next(ws.output_dir.glob("surat-pengantar-*.docx"))
    doc = Document(made)
    seen = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "APIP PERMANA" in seen and "1965012519" not in seen  # the head signs, NIP grouped
    code, out, err = cli("check-config", cwd=ws.root)
    assert code == 0 and "6 pejabat" in out

    cfg.write_text(text.replace('pimpinan = "kepala"', 'pimpinan = "lurah"'), encoding="utf-8")
    code, out, err = cli("check-config", cwd=ws.root)
    assert code == 1 and "Traceback" not in err
    assert "docgen.toml: pimpinan" in err and "unknown pejabat 'lurah'" in err


def test_slug_is_ascii_and_short_enough_for_windows_paths():
    long = ("Pelayanan Informasi Publik oleh Pejabat Pengelola Informasi dan Dokumentasi (PPID) "
            "termasuk Penanganan Keberatan atas Permohonan Informasi")
    s = formatting.slug(long, 60)
    assert len(s) <= 60 and s.startswith("pelayanan-informasi-publik") and not s.endswith("-")
    assert s.split("-")[-1] in long.lower()  # cut between words, not inside one
    assert formatting.slug("Évaluasi Kinerja Triwulan III") == "evaluasi-kinerja-triwulan-iii"
    assert formatting.slug("000.7.5/15/Diskominfo/2026", lower=False, keep=".") == "000.7.5-15-Diskominfo-2026"
    assert formatting.slug("///", default="sop") == "sop"
