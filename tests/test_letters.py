"""The letters: surat pengantar (numbered), lembar disposisi. Real register, real LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from docgen import make, render
from docgen.convert import read_pdf_properties
from docgen.errors import InputError
from docgen.register import Register


def docx_text(path: Path) -> str:
    """All visible text of a DOCX: paragraphs, then table cells (nested too)."""
    return "\n".join(docx_paragraphs(path))


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of a DOCX, body and table cells (nested too), in order."""
    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]

    def cells(tables):
        for t in tables:
            for row in t.rows:
                for c in row.cells:
                    out.extend(p.text for p in c.paragraphs)
                    cells(c.tables)

    cells(doc.tables)
    return out


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def example(ws, name: str) -> dict:
    return yaml.safe_load((ws.root / "contoh" / name).read_text(encoding="utf-8"))


def output_files(ws) -> list[Path]:
    return sorted(p for p in ws.output_dir.rglob("*") if p.is_file()) if ws.output_dir.exists() else []


# --- surat pengantar -----------------------------------------------------------------

def test_surat_pengantar_docx_and_pdf_from_the_example(ws, soffice, cli):
    code, out, err = cli("make", "surat-pengantar", "contoh/surat-pengantar.yaml", "--pdf", cwd=ws.root)
    assert code == 0, err
    assert "nomor: 000.7.5/1/Diskominfo/2026" in out
    docx = ws.output_dir / "surat-pengantar-000.7.5-1-Diskominfo-2026.docx"
    pdf = docx.with_suffix(".pdf")
    text = docx_text(docx)
    for want in (
        "PEMERINTAH KOTA KEDIRI", "SURAT PENGANTAR", "Nomor: 000.7.5/1/Diskominfo/2026",
        "Yth. Inspektur Kota Kediri", "Kediri, 22 November 2026",
        "Kepala Dinas Komunikasi dan Informatika,", "Drs. APIP PERMANA, MM.", "Pembina Utama Muda",
        "NIP. 19650125 199303 1 008", "Diterima tanggal", "Sekretaris Inspektorat",
    ):
        assert want in text, want
    table = next(t for t in Document(str(docx)).tables if t.rows[0].cells[0].text == "No")
    assert [c.text for c in table.rows[0].cells] == [
        "No", "Naskah Dinas/Barang yang Dikirimkan", "Banyaknya", "Keterangan"]
    assert [r.cells[0].text for r in table.rows[1:]] == ["1", "2"]
    assert table.rows[1].cells[2].text == "1 (satu) eksemplar"

    props = render.read_properties(docx)
    assert props["docgen.kind"] == "surat-pengantar"
    assert props["docgen.nomor"] == "000.7.5/1/Diskominfo/2026"
    ptext = pdf_text(pdf)
    assert "SURAT PENGANTAR" in ptext and "000.7.5/1/Diskominfo/2026" in ptext
    assert "Kediri, 22 November 2026" in ptext and "19650125 199303 1 008" in ptext
    assert read_pdf_properties(pdf) == {
        "docgen.kind": "surat-pengantar", "docgen.nomor": "000.7.5/1/Diskominfo/2026",
        "docgen.id": props["docgen.id"],
    }
    entry = Register.for_workspace(ws).find_by_doc_id(props["docgen.id"])
    assert entry is not None and entry.nomor == "000.7.5/1/Diskominfo/2026"
    assert entry.jenis == "surat-pengantar" and entry.tujuan == "Inspektur Kota Kediri"


def test_two_letters_get_consecutive_numbers_and_the_register_lists_them(ws):
    src = ws.root / "contoh" / "surat-pengantar.yaml"
    other = ws.root / "sp-2.yaml"
    other.write_bytes(src.read_bytes())
    r1 = make.make(ws, "surat-pengantar", src)
    r2 = make.make(ws, "surat-pengantar", other)
    assert (r1.nomor, r2.nomor) == ("000.7.5/1/Diskominfo/2026", "000.7.5/2/Diskominfo/2026")
    assert r1.docx[0] != r2.docx[0] and r1.docx[0].is_file() and r2.docx[0].is_file()
    listed = Register.for_workspace(ws).list(tahun=2026)
    assert [(e.nomor, e.doc_id, e.status) for e in listed] == [
        (r1.nomor, r1.doc_ids[0], "terbit"), (r2.nomor, r2.doc_ids[0], "terbit")]
    assert render.read_properties(r2.docx[0])["docgen.id"] == r2.doc_ids[0]


def test_signer_on_behalf_prints_atas_nama(ws):
    data = example(ws, "surat-pengantar.yaml") | {"penandatangan": "sekretaris"}
    r = make.make(ws, "surat-pengantar", write_yaml(ws.root / "sp.yaml", data))
    text = docx_text(r.docx[0])
    assert "a.n. Kepala Dinas Komunikasi dan Informatika\nSekretaris," in text
    assert "NIP. 19720315 199803 2 004" in text


def test_a_failed_render_consumes_no_number(ws, cli):
    shipped = (ws.templates_dir / "surat-pengantar.docx").read_bytes()
    broken = Document()
    broken.add_paragraph("Nomor: {{ dokumen.nomor }")  # unclosed tag: the template cannot render
    broken.save(ws.templates_dir / "surat-pengantar.docx")
    code, out, err = cli("make", "surat-pengantar", "contoh/surat-pengantar.yaml", cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert "surat-pengantar.docx" in err and "template" in err
    assert Register.for_workspace(ws).list() == []
    assert output_files(ws) == []

    (ws.templates_dir / "surat-pengantar.docx").write_bytes(shipped)  # fixed: the number is 1
    assert make.make(ws, "surat-pengantar", ws.root / "contoh" / "surat-pengantar.yaml").nomor == \
        "000.7.5/1/Diskominfo/2026"


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"klasifikasi": None}, "klasifikasi", "add this field"),
        ({"klasifikasi": "999.99.9"}, "klasifikasi", "unknown kode klasifikasi"),
        ({"penandatangan": "bendahara"}, "penandatangan", "unknown pejabat"),
        ({"naskah": []}, "naskah", "at least 1"),
        ({"penerima": {"jabatan": "Sekretaris", "nama": "X", "nip": "123"}}, "penerima.nip", "18 digits"),
    ],
)
def test_bad_surat_pengantar_names_file_field_and_fix(ws, cli, change, field, words):
    data = example(ws, "surat-pengantar.yaml")
    for k, v in change.items():
        if v is None:
            data.pop(k)
        else:
            data[k] = v
    write_yaml(ws.root / "salah.yaml", data)
    code, out, err = cli("make", "surat-pengantar", "salah.yaml", cwd=ws.root)
    assert code != 0
    assert "salah.yaml" in err and field in err and words in err and "fix:" in err
    assert "Traceback" not in err
    assert output_files(ws) == [] and Register.for_workspace(ws).list() == []


# --- disposisi --------------------------------------------------------------------------

def test_disposisi_docx_and_pdf(ws, soffice):
    r = make.make(ws, "disposisi", ws.root / "contoh" / "disposisi.yaml", pdf=True)
    assert r.nomor == "" and len(r.docx) == 1 and len(r.pdf) == 1
    text = docx_text(r.docx[0])
    for want in (
        "LEMBAR DISPOSISI", "Surat dari\t:\tInspektorat Kota Kediri",
        "Nomor surat\t:\t700.1.2/412/419.105/2026", "Tanggal surat\t:\t2 Oktober 2026",
        "Diterima tanggal\t:\t5 Oktober 2026", "Nomor agenda\t:\t1187",
        "\u2611 Segera", "\u2610 Sangat Segera", "\u2610 Biasa", "\u2610 Rahasia",
        "Hal\t:\tPermintaan Data Capaian Kinerja Triwulan III Tahun 2026",
        "Diteruskan kepada Sdr.:", "\u2611\tSekretaris",
        "\u2611\tKepala Subbagian Penyusunan Program dan Keuangan",
        "\u2610\tKepala Bidang Aplikasi Informatika",
        "Dengan hormat harap:", "\u2611\tProses Lebih Lanjut", "\u2611\tKoordinasi/Konfirmasikan",
        "\u2610\tTanggapan dan Saran", "\u2610\tArsip",
        "Siapkan format permintaan data kinerja untuk seluruh Bidang.",
        "Kediri, 5 Oktober 2026", "Drs. APIP PERMANA, MM.", "NIP. 19650125 199303 1 008",
    ):
        assert want in text, want
    # the one who disposes is not in his own "diteruskan kepada" list
    assert "Kepala Dinas Komunikasi dan Informatika" not in text.split("Diteruskan kepada Sdr.:")[1].split(
        "Dengan hormat harap:")[0]
    assert render.read_properties(r.docx[0])["docgen.kind"] == "disposisi"
    ptext = pdf_text(r.pdf[0])
    assert "LEMBAR DISPOSISI" in ptext and "5 Oktober 2026" in ptext and "19650125 199303 1 008" in ptext
    assert read_pdf_properties(r.pdf[0])["docgen.id"] == r.doc_ids[0]
    assert Register.for_workspace(ws).list() == []  # a disposisi takes no number


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"diteruskan_kepada": ["sekretaris", "bendahara"]}, "diteruskan_kepada[2]", "unknown pejabat"),
        ({"harap": ["Proses Lebih Lanjut", "Segera Dikerjakan"]}, "harap[2]", "pilihan_harap"),
        ({"sifat": "Kilat"}, "salah.yaml: sifat: sifat 'Kilat'", "Sangat Segera"),
        ({"tanggal_surat": "2 Oktobr 2026"}, "tanggal_surat", "'oktobr' is not a month"),
        ({"diterima_tanggal": "2026-09-05"}, "diterima_tanggal", "received (5 September 2026) before it is dated"),
        ({"tanggal": "2026-10-04"}, "tanggal", "dated before the letter was received"),
    ],
)
def test_bad_disposisi_names_file_field_and_fix(ws, cli, change, field, words):
    write_yaml(ws.root / "salah.yaml", example(ws, "disposisi.yaml") | change)
    code, out, err = cli("make", "disposisi", "salah.yaml", cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert "salah.yaml" in err and field in err and words in err and "fix:" in err
    assert output_files(ws) == []


def test_disposisi_nomor_agenda_written_as_a_number(ws):
    # `nomor_agenda: 1187` without quotes was refused as "Input should be a valid string"
    src = ws.root / "contoh" / "disposisi.yaml"
    f = ws.root / "angka.yaml"
    f.write_text(src.read_text(encoding="utf-8").replace('nomor_agenda: "1187"', "nomor_agenda: 1187"),
                 encoding="utf-8")
    r = make.make(ws, "disposisi", f)
    assert "1187" in docx_text(r.docx[0])


def test_disposisi_check_without_making(ws, cli):
    code, out, err = cli("check", "disposisi", "contoh/disposisi.yaml", cwd=ws.root)
    assert code == 0 and "ok" in out
    with pytest.raises(InputError):
        make.make(ws, "disposisi", write_yaml(ws.root / "x.yaml", example(ws, "disposisi.yaml") | {
            "pendisposisi": "sekretaris", "diteruskan_kepada": ["sekretaris"]}))


def _clerk(root: str, n: int) -> list[str]:
    import os
    import shutil

    from docgen import make as make_mod
    from docgen import workspace

    ws = workspace.load(root)
    src = ws.root / "contoh" / "surat-pengantar.yaml"
    out = []
    for i in range(n):  # one data file per letter: the same file again keeps its nomor
        mine = ws.root / f"sp-{os.getpid()}-{i}.yaml"
        shutil.copy(src, mine)
        out.append(make_mod.make(ws, "surat-pengantar", mine).nomor)
    return out


def test_two_clerks_at_the_same_moment_get_distinct_consecutive_numbers(ws):
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_clerk, [(str(ws.root), 6), (str(ws.root), 6)])
    numbers = [n for r in results for n in r]
    assert sorted(numbers) == sorted(f"000.7.5/{i}/Diskominfo/2026" for i in range(1, 13))
    for r in results:  # each clerk's own letters come in increasing order
        urut = [int(n.split("/")[1]) for n in r]
        assert urut == sorted(urut)
    files = sorted(p.name for p in ws.output_dir.glob("surat-pengantar-*.docx"))
    assert len(files) == 12
    entries = Register.for_workspace(ws).list()
    assert sorted(e.nomor for e in entries) == sorted(numbers)
    for e in entries:  # each register entry points at the document carrying its number
        docx = ws.output_dir / f"surat-pengantar-000.7.5-{e.urut}-Diskominfo-2026.docx"
        assert render.read_properties(docx)["docgen.id"] == e.doc_id


def test_f4_paper_from_docgen_toml_reaches_every_letter(ws, soffice):
    # [kertas] ukuran = "F4" was ignored by every kind but the SOP: letters came out A4
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('ukuran = "A4"', 'ukuran = "F4"'), encoding="utf-8")
    from docgen import workspace

    ws = workspace.load(ws.root)
    r = make.make(ws, "surat-pengantar", ws.root / "contoh" / "surat-pengantar.yaml", pdf=True)
    box = PdfReader(r.pdf[0]).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (215, 330)
    d = make.make(ws, "disposisi", ws.root / "contoh" / "disposisi.yaml")
    sec = Document(d.docx[0]).sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (215, 330)
    p = make.make(ws, "permintaan-data", ws.root / "contoh" / "permintaan-data.yaml")
    sec = Document(p.docx[0]).sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (330, 215)  # landscape kept


def _broken_soffice(tmp_path: Path) -> str:
    exe = tmp_path / "soffice"
    exe.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")  # runs, converts nothing
    exe.chmod(0o755)
    return str(exe)


def test_failed_pdf_conversion_gives_the_nomor_back_and_leaves_nothing(ws, cli, tmp_path):
    # the DOCX stayed and the nomor was consumed when LibreOffice failed after numbering
    code, out, err = cli("make", "surat-pengantar", "contoh/surat-pengantar.yaml", "--pdf", cwd=ws.root,
                         env={"DOCGEN_SOFFICE": _broken_soffice(tmp_path)})
    assert code == 4 and "Traceback" not in err
    assert "LibreOffice produced no PDF" in err and "no nomor was taken" in err
    assert output_files(ws) == []
    assert Register.for_workspace(ws).list() == []


def test_stale_pdf_of_an_earlier_run_is_not_taken_for_new_output(ws, cli, tmp_path):
    # a SOP made again with a broken LibreOffice "succeeded" by returning the old PDF
    sop = "contoh/sop/002-bakesbangpol.yaml"
    r = make.make(ws, "sop", ws.root / sop)
    stale = r.docx[0].with_suffix(".pdf")
    stale.write_bytes(b"%PDF-1.4 old content")
    code, out, err = cli("make", "sop", sop, "--pdf", cwd=ws.root, env={"DOCGEN_SOFFICE": _broken_soffice(tmp_path)})
    assert code == 4 and "LibreOffice produced no PDF" in err and "nothing was written" in err
    assert not stale.exists() and not r.docx[0].exists()


def test_kepada_written_with_yth_is_not_doubled(ws):
    # the template prints "Yth."; `kepada: Yth. Inspektur` gave "Yth. Yth. Inspektur"
    data = example(ws, "surat-pengantar.yaml") | {"kepada": "Yth. Inspektur Kota Kediri"}
    r = make.make(ws, "surat-pengantar", write_yaml(ws.root / "yth.yaml", data))
    text = docx_text(r.docx[0])
    assert "Yth. Inspektur Kota Kediri" in text and "Yth. Yth." not in text
    assert Register.for_workspace(ws).get(r.nomor).tujuan == "Inspektur Kota Kediri"


def test_left_out_signer_in_an_office_without_kepala_says_it_is_the_default(ws, cli):
    # another office keys its head "kadis": a left-out penandatangan said only "unknown pejabat 'kepala'"
    cfg = ws.config_file
    text = cfg.read_text(encoding="utf-8").replace("[pejabat.kepala]", "[pejabat.kadis]")
    cfg.write_text(text, encoding="utf-8")
    data = example(ws, "surat-pengantar.yaml")
    data.pop("penandatangan")
    write_yaml(ws.root / "sp.yaml", data)
    # docgen.toml still says pimpinan = "kepala": that line is where to say who the head is
    code, out, err = cli("make", "surat-pengantar", "sp.yaml", cwd=ws.root)
    assert code == 1 and "Traceback" not in err
    assert "docgen.toml: pimpinan" in err and "unknown pejabat 'kepala'" in err
    assert "fix: set pimpinan to the key of [pejabat.*] of the head of the office" in err
    # without pimpinan, the data file is where the signer is missing
    cfg.write_text(text.replace('pimpinan = "kepala"\n', ""), encoding="utf-8")
    code, out, err = cli("make", "surat-pengantar", "sp.yaml", cwd=ws.root)
    assert code == 1
    assert "'kepala' is the default when penandatangan is left out; write `penandatangan: KEY`" in err
    assert output_files(ws) == []


def _picture_count(docx: Path) -> int:
    doc = Document(str(docx))
    parts = [doc.element.body] + [s.header._element for s in doc.sections] + [s.first_page_header._element
                                                                               for s in doc.sections]
    return sum(1 for el in parts for _ in el.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))


def test_an_office_without_a_logo_gets_no_placeholder_picture(ws):
    # logo = "" printed the templates' grey "LOGO" placeholder on official letters
    for kind, src in (("disposisi", "disposisi.yaml"), ("surat-pengantar", "surat-pengantar.yaml"),
                      ("nota-dinas", "nota-dinas.yaml")):
        assert _picture_count(make.make(ws, kind, ws.root / "contoh" / src, yes=True).docx[0]) == 1, kind
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('logo = "logo.png"', 'logo = ""'), encoding="utf-8")
    from docgen import workspace
    bare = workspace.load(ws.root)
    for kind, src in (("disposisi", "disposisi.yaml"), ("surat-pengantar", "surat-pengantar.yaml"),
                      ("nota-dinas", "nota-dinas.yaml"), ("sop", "sop/000-kediri-diskominfo.yaml")):
        out = make.make(bare, kind, ws.root / "contoh" / src, ws.root / "tanpa-logo", yes=True)
        assert _picture_count(out.docx[0]) == 0, kind
        assert "KOTA KEDIRI" in docx_text(out.docx[0]).upper(), kind


def test_sender_and_receiver_names_are_level_when_the_sender_signs_an(ws, cli):
    # an a.n. line (and a long jabatan) pushed the sender's name below the receiver's
    data = example(ws, "surat-pengantar.yaml")
    data["penandatangan"] = "sekretaris"
    write_yaml(ws.root / "sp.yaml", data)
    code, out, err = cli("make", "surat-pengantar", "sp.yaml", cwd=ws.root)
    assert code == 0, err
    sig = Document(str(next(ws.output_dir.glob("surat-pengantar-*.docx")))).tables[-1]
    names = [c.paragraphs[0].text for c in sig.rows[-1].cells]
    assert names[1] == "SITI AMINAH, S.Sos., M.Si." and names[0].startswith("....")
    assert "a.n. Kepala Dinas" in sig.rows[0].cells[1].text
