"""Kinds defined by a schema and a template only: nota-dinas, and a new one made in a test."""

from __future__ import annotations

from pathlib import Path

import yaml
from docx import Document
from pypdf import PdfReader

import docgen.kinds
from docgen import make, render
from docgen.convert import read_pdf_properties
from docgen.register import Register


def text_of(docx: Path) -> str:
    doc = Document(str(docx))
    parts = [p.text for p in doc.paragraphs]
    parts += [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(parts)


def test_nota_dinas_has_no_python_of_its_own(ws, soffice):
    pkg = Path(docgen.kinds.__file__).parent
    assert not list(pkg.glob("nota_dinas*")) and "nota_dinas" not in docgen.kinds.PY_KINDS
    kind = docgen.kinds.get("nota-dinas", ws)
    assert kind.numbered and kind.title == "Nota Dinas"

    r = make.make(ws, "nota-dinas", ws.root / "contoh" / "nota-dinas.yaml", pdf=True)
    assert r.nomor == "000.7.5/1/Diskominfo/2026"
    text = text_of(r.docx[0])
    for want in (
        "NOTA DINAS", "Kepada\t:\tYth. Sekretaris Dinas Komunikasi dan Informatika",
        "Dari\t:\tKepala Dinas Komunikasi dan Informatika",
        "Tembusan\t:\tKepala Subbagian Penyusunan Program dan Keuangan",
        "Tanggal\t:\t5 Oktober 2026", "Nomor\t:\t000.7.5/1/Diskominfo/2026", "Sifat\t:\tSegera",
        "Hal\t:\tPengumpulan Data Kinerja Triwulan III Tahun 2026",
        "Demikian untuk dilaksanakan dengan penuh tanggung jawab.",
        "Drs. APIP PERMANA, MM.", "NIP. 19650125 199303 1 008",
    ):
        assert want in text, want
    assert render.read_properties(r.docx[0])["docgen.kind"] == "nota-dinas"
    ptext = "\n".join(p.extract_text() for p in PdfReader(str(r.pdf[0])).pages)
    assert "NOTA DINAS" in ptext and "000.7.5/1/Diskominfo/2026" in ptext and "5 Oktober 2026" in ptext
    assert read_pdf_properties(r.pdf[0])["docgen.nomor"] == r.nomor
    (entry,) = Register.for_workspace(ws).list()
    assert (entry.jenis, entry.perihal, entry.doc_id) == (
        "nota-dinas", "Pengumpulan Data Kinerja Triwulan III Tahun 2026", r.doc_ids[0])


def test_nota_dinas_without_tembusan_leaves_the_line_out(ws):
    data = yaml.safe_load((ws.root / "contoh" / "nota-dinas.yaml").read_text(encoding="utf-8"))
    data["tembusan"] = []
    data["dari"] = "sekretaris"
    f = ws.root / "nd.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    text = text_of(make.make(ws, "nota-dinas", f).docx[0])
    assert "Tembusan" not in text
    assert "a.n. Kepala Dinas Komunikasi dan Informatika\nSekretaris," in text


def test_nota_dinas_kepada_typed_with_yth_gets_it_once(ws):
    data = yaml.safe_load((ws.root / "contoh" / "nota-dinas.yaml").read_text(encoding="utf-8"))
    data["kepada"] = "yth Sekretaris Dinas Komunikasi dan Informatika"
    f = ws.root / "nd.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = make.make(ws, "nota-dinas", f)
    text = text_of(r.docx[0])
    assert "Kepada\t:\tYth. Sekretaris Dinas Komunikasi dan Informatika" in text
    assert "Yth. yth" not in text and "Yth. Yth." not in text
    (entry,) = Register.for_workspace(ws).list()
    assert entry.tujuan == "Sekretaris Dinas Komunikasi dan Informatika"


def _undangan(ws) -> None:
    """An office adds its own kind: a schema and a Word template in its templates folder."""
    (ws.templates_dir / "undangan.schema.yaml").write_text(
        "title: Undangan\n"
        "description: Undangan rapat\n"
        "fields:\n"
        "  - {name: acara, type: text, required: true, description: what the meeting is}\n"
        "  - {name: hari, type: date, required: true, description: date of the meeting}\n"
        "  - {name: peserta, type: list, description: who is invited}\n"
        "  - {name: jumlah, type: number, description: how many seats}\n"
        "  - {name: pengundang, type: pejabat, default: sekretaris, description: who invites}\n",
        encoding="utf-8",
    )
    doc = Document()
    doc.add_paragraph("UNDANGAN {{ acara }}")
    doc.add_paragraph("Hari: {{ hari|tanggal }}; kursi: {{ jumlah }}")
    doc.add_paragraph("{%p for p in peserta %}")
    doc.add_paragraph("- {{ p }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ pengundang.jabatan }} / NIP. {{ pengundang.nip }}")
    doc.save(ws.templates_dir / "undangan.docx")


def test_a_new_kind_needs_only_a_schema_and_a_template(ws, cli):
    _undangan(ws)
    code, out, err = cli("kinds", cwd=ws.root)
    assert code == 0 and "undangan" in out and "who is invited" in out
    (ws.root / "u.yaml").write_text(
        "acara: Rapat Koordinasi Data Kinerja\nhari: 2026-10-07\njumlah: 1250\n"
        "peserta: [Kepala Bidang IKP, Kepala Bidang Aptika]\n", encoding="utf-8")
    code, out, err = cli("make", "undangan", "u.yaml", cwd=ws.root)
    assert code == 0, err
    docx = Path(out.strip().splitlines()[-1])
    text = text_of(docx)
    assert "UNDANGAN Rapat Koordinasi Data Kinerja" in text
    assert "Hari: 7 Oktober 2026; kursi: 1.250" in text
    assert "- Kepala Bidang IKP\n- Kepala Bidang Aptika" in text
    assert "Sekretaris / NIP. 19720315 199803 2 004" in text
    assert Register.for_workspace(ws).list() == []  # not numbered


def test_generic_kind_bad_input_names_file_field_and_fix(ws, cli):
    _undangan(ws)
    (ws.root / "u.yaml").write_text("hari: 2026-10-07\npengundang: bendahara\n", encoding="utf-8")
    code, out, err = cli("make", "undangan", "u.yaml", cwd=ws.root)
    assert code != 0 and "u.yaml" in err and "acara" in err and "add this field" in err
    (ws.root / "u.yaml").write_text("acara: Rapat\nhari: 2026-10-07\npengundang: bendahara\n", encoding="utf-8")
    code, out, err = cli("make", "undangan", "u.yaml", cwd=ws.root)
    assert code != 0 and "pengundang" in err and "unknown pejabat" in err and "fix:" in err
    assert not list(ws.output_dir.glob("*.docx"))


def test_a_broken_schema_names_its_file_and_field(ws, cli):
    (ws.templates_dir / "rusak.schema.yaml").write_text(
        "title: Rusak\nfields:\n  - {name: isi, type: paragraf}\n", encoding="utf-8")
    code, out, err = cli("kinds", cwd=ws.root)
    assert code != 0 and "rusak.schema.yaml" in err and "fields.0.type" in err and "fix:" in err


def test_nota_dinas_sifat_outside_the_choices_is_refused(ws, cli):
    # `sifat: Kilat` was printed on the nota dinas and took a nomor
    src = (ws.root / "contoh" / "nota-dinas.yaml").read_text(encoding="utf-8")
    (ws.root / "nd.yaml").write_text(src.replace("sifat: Segera", "sifat: Kilat"), encoding="utf-8")
    code, out, err = cli("make", "nota-dinas", "nd.yaml", cwd=ws.root)
    assert code == 1 and "nd.yaml: sifat:" in err and "'Sangat Segera'" in err
    assert not list(ws.output_dir.glob("*.docx"))
    code, out, err = cli("register", "list", cwd=ws.root)
    assert "no entries" in out
    (ws.root / "nd.yaml").write_text(src.replace("sifat: Segera\n", ""), encoding="utf-8")
    code, out, err = cli("make", "nota-dinas", "nd.yaml", cwd=ws.root)
    assert code == 0, err
