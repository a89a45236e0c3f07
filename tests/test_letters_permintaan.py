"""permintaan-data: one DOCX + XLSX per Bidang, identity per docs/CONTRACTS.md, fill_form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from docgen import make, render
from docgen.convert import read_pdf_properties
from docgen.kinds.permintaan_data import HEADER, fill_form

BIDANG = ["sekretariat", "ikp", "aptika", "statistik"]


def indicator_table(docx: Path):
    for t in Document(str(docx)).tables:
        if [c.text for c in t.rows[0].cells] == HEADER:
            return t
    raise AssertionError(f"no indicator table in {docx}")


def xlsx_grid(path: Path) -> list[list[object]]:
    return [[c.value for c in row] for row in load_workbook(path).worksheets[0].iter_rows()]


def xlsx_id(grid: list[list[object]]) -> str:
    for row in grid:
        for i, v in enumerate(row):
            if v == "ID Formulir":
                return row[i + 1]
    raise AssertionError("no ID Formulir cell")


def indicators(ws) -> dict:
    return yaml.safe_load((ws.root / "contoh" / "indikator-kinerja.yaml").read_text(encoding="utf-8"))


def test_one_docx_and_xlsx_per_bidang_with_identity_and_manifest(ws, soffice):
    r = make.make(ws, "permintaan-data", ws.root / "contoh" / "permintaan-data.yaml", pdf=True)
    assert [p.name for p in r.docx] == [f"permintaan-data-2026-TW3-{k}.docx" for k in BIDANG]
    assert len(set(r.doc_ids)) == 4 and len(r.pdf) == 4
    ind = indicators(ws)
    for key, docx, pdf, doc_id in zip(BIDANG, r.docx, r.pdf, r.doc_ids, strict=True):
        # DOCX: properties, visible id line, the Bidang's indicators with TW III targets
        assert render.read_properties(docx) == {
            "docgen.kind": "permintaan-data", "docgen.nomor": "", "docgen.id": doc_id}
        doc = Document(str(docx))
        texts = [p.text for p in doc.paragraphs] + [
            p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
        assert f"ID Formulir: {doc_id}" in texts
        assert "Periode\t:\tTriwulan III Tahun 2026" in texts
        assert any("paling lambat 16 Oktober 2026" in t for t in texts)
        table = indicator_table(docx)
        body = [[c.text for c in row.cells] for row in table.rows[1:]]
        want = [[str(i), x["sasaran"], x["indikator"], x["satuan"]] for i, x in enumerate(ind[key], 1)]
        assert [row[:4] for row in body] == want
        assert [row[4] for row in body] == [str(x["target"][2]) for x in ind[key]]
        assert all(row[5] == "" and row[6] == "" for row in body)  # left for the Bidang

        # XLSX: same id, same header and rows, numbers as numbers
        xlsx = docx.with_suffix(".xlsx")
        grid = xlsx_grid(xlsx)
        assert xlsx_id(grid) == doc_id
        h = next(i for i, row in enumerate(grid) if list(row[:7]) == HEADER)
        rows = grid[h + 1:]
        assert [row[2] for row in rows] == [x["indikator"] for x in ind[key]]
        assert [row[4] for row in rows] == [x["target"][2] for x in ind[key]]
        assert all(row[5] is None and row[6] is None for row in rows)
        wb_props = {p.name: p.value for p in load_workbook(xlsx).custom_doc_props.props}
        assert wb_props["docgen.kind"] == "permintaan-data" and wb_props["docgen.id"] == doc_id

        # manifest per the contract
        m = json.loads((ws.data_dir / "permintaan" / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert (m["doc_id"], m["bidang"], m["tahun"], m["periode"], m["periode_label"], m["tenggat"]) == (
            doc_id, key, 2026, "2026-TW3", "Triwulan III Tahun 2026", "2026-10-16")
        assert m["bidang_nama"] == ws.config.bidang[key].nama
        assert [(row["no"], row["indikator"], row["target"], row["arah"]) for row in m["rows"]] == [
            (i, x["indikator"], x["target"][2], x.get("arah", "naik")) for i, x in enumerate(ind[key], 1)]

        # PDF: the id is visible and in the metadata
        ptext = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
        assert f"ID Formulir: {doc_id}" in ptext and "FORMAT PERMINTAAN DATA KINERJA" in ptext
        assert read_pdf_properties(pdf)["docgen.id"] == doc_id


def test_a_month_and_a_subset_of_bidang(ws):
    src = ws.root / "contoh" / "permintaan-data.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data.pop("triwulan")
    data |= {"bulan": 9, "bidang": ["statistik"]}
    f = ws.root / "contoh" / "bulanan.yaml"  # next to the indicator file it names
    f.write_text(yaml.safe_dump(data), encoding="utf-8")
    r = make.make(ws, "permintaan-data", f)
    assert [p.name for p in r.docx] == ["permintaan-data-2026-09-statistik.docx"]
    body = [[c.text for c in row.cells] for row in indicator_table(r.docx[0]).rows[1:]]
    # dataset indicator has monthly targets (September: 300); others use TW III's
    assert [row[4] for row in body] == ["80", "300", "70", "2"]
    m = json.loads((ws.data_dir / "permintaan" / f"{r.doc_ids[0]}.json").read_text(encoding="utf-8"))
    assert (m["periode"], m["periode_label"]) == ("2026-09", "September 2026")


def test_filled_forms_keep_their_identity(ws, tmp_path):
    from docgen.collect.reader import read_form

    r = make.make(ws, "permintaan-data", ws.root / "contoh" / "permintaan-data.yaml")
    docx, doc_id = r.docx[1], r.doc_ids[1]  # ikp: 4 indicators
    values = {1: ("93,5", ""), 2: ("480", "Dua kegiatan bergeser ke Oktober"), 4: ("7", "Aduan meningkat")}
    filled_docx = fill_form(docx, values, tmp_path / "masuk" / "ikp-terisi.docx")
    filled_xlsx = fill_form(docx.with_suffix(".xlsx"), values, tmp_path / "masuk" / "ikp-terisi.xlsx")

    body = [[c.text for c in row.cells] for row in indicator_table(filled_docx).rows[1:]]
    assert [(row[5], row[6]) for row in body] == [
        ("93,5", ""), ("480", "Dua kegiatan bergeser ke Oktober"), ("", ""), ("7", "Aduan meningkat")]
    assert render.read_properties(filled_docx)["docgen.id"] == doc_id
    grid = xlsx_grid(filled_xlsx)
    assert xlsx_id(grid) == doc_id
    h = next(i for i, row in enumerate(grid) if list(row[:7]) == HEADER)
    assert [(row[5], row[6]) for row in grid[h + 1:]] == [
        (93.5, None), (480, "Dua kegiatan bergeser ke Oktober"), (None, None), (7, "Aduan meningkat")]

    for f in (filled_docx, filled_xlsx):  # the collector reads them back by that identity
        form = read_form(f)
        assert form.doc_id == doc_id and form.kind == "permintaan-data" and form.id_conflict is None
        assert [row.cells["realisasi"] for row in form.rows] == ["93,5", "480", "", "7"]

    with pytest.raises(Exception, match="rows \\[9\\]"):
        fill_form(docx, {9: ("1", "")}, tmp_path / "x.docx")


@pytest.mark.parametrize(
    "change,file,field,words",
    [
        ({"bidang": ["ikp", "keuangan"]}, "salah.yaml", "bidang[2]", "unknown bidang"),
        ({"bulan": 9}, "salah.yaml", "salah.yaml: bulan:", "exactly one of triwulan (1-4) or bulan (1-12); both"),
        ({"indikator": "tidak-ada.yaml"}, "salah.yaml", "indikator", "not found"),
        ({"peminta": "bendahara"}, "salah.yaml", "peminta", "unknown pejabat"),
        ({"tenggat": "2026-10-01"}, "salah.yaml", "salah.yaml: tenggat:",
         "tenggat 1 Oktober 2026 is before the forms are sent (6 Oktober 2026)"),
    ],
)
def test_bad_permintaan_data_writes_nothing(ws, cli, change, file, field, words):
    data = yaml.safe_load((ws.root / "contoh" / "permintaan-data.yaml").read_text(encoding="utf-8")) | change
    (ws.root / "contoh" / "salah.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, err = cli("make", "permintaan-data", "contoh/salah.yaml", cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert file in err and field in err and words in err and "fix:" in err
    assert not list(ws.output_dir.glob("*")) and not (ws.data_dir / "permintaan").exists()


def test_bidang_without_indicators_names_the_indicator_file(ws, cli):
    ind = indicators(ws)
    del ind["aptika"]
    (ws.root / "contoh" / "indikator-kinerja.yaml").write_text(yaml.safe_dump(ind, allow_unicode=True),
                                                               encoding="utf-8")
    code, out, err = cli("make", "permintaan-data", "contoh/permintaan-data.yaml", cwd=ws.root)
    assert code != 0
    assert "indikator-kinerja.yaml: aptika" in err and "no indicators" in err and "fix:" in err
    assert not list(ws.output_dir.glob("*")) and not (ws.data_dir / "permintaan").exists()


def test_kinds_tells_how_to_write_the_indicator_file():
    # `docgen kinds` said only "YAML of indicators per Bidang key": no word of target or arah
    from docgen.kinds import all_kinds, describe_fields

    desc = {n: d for n, d, _ in describe_fields(all_kinds()["permintaan-data"].model)}["indikator"]
    assert "target [TW I, II, III, IV]" in desc and "arah naik|turun" in desc
    assert "contoh/indikator-kinerja.yaml" in desc


def test_misspelt_bidang_key_in_the_indicator_file_is_named(ws, cli):
    # "aptikaa:" said only "no indicators for bidang 'aptika'" (and with bidang: [ikp] nothing at all)
    ind = indicators(ws)
    ind["aptikaa"] = ind.pop("aptika")
    (ws.root / "contoh" / "indikator-kinerja.yaml").write_text(yaml.safe_dump(ind, allow_unicode=True),
                                                               encoding="utf-8")
    code, out, err = cli("make", "permintaan-data", "contoh/permintaan-data.yaml", cwd=ws.root)
    assert code == 1
    assert "indikator-kinerja.yaml: aptikaa: unknown bidang key 'aptikaa'; did you mean 'aptika'?" in err
    assert not list(ws.output_dir.glob("*")) and not (ws.data_dir / "permintaan").exists()


def test_making_again_replaces_unfilled_forms_but_never_a_filled_one(ws, cli, tmp_path):
    src = ws.root / "contoh" / "permintaan-data.yaml"
    first = make.make(ws, "permintaan-data", src, pdf=False)
    second = make.make(ws, "permintaan-data", src, pdf=False)
    assert set(first.doc_ids).isdisjoint(second.doc_ids)
    assert any("replaced the unfilled forms of an earlier run" in n for n in second.notes)
    # both runs' manifests stay: a Bidang that got the first form can still return it
    manifests = {p.stem for p in (ws.data_dir / "permintaan").glob("*.json")}
    assert set(first.doc_ids) | set(second.doc_ids) <= manifests

    # a Bidang's answer saved over the form in the output folder
    xlsx = ws.output_dir / "permintaan-data-2026-TW3-ikp.xlsx"
    fill_form(xlsx, {1: ("93,5", "")}, xlsx)
    before = {p.name: p.read_bytes() for p in ws.output_dir.iterdir()}
    code, out, err = cli("make", "permintaan-data", "contoh/permintaan-data.yaml", cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert "permintaan-data-2026-TW3-ikp.xlsx" in err and "already holds filled-in data" in err
    assert "move permintaan-data-2026-TW3-ikp.xlsx to the folder of returned forms" in err
    assert {p.name: p.read_bytes() for p in ws.output_dir.iterdir()} == before
    assert {p.stem for p in (ws.data_dir / "permintaan").glob("*.json")} == manifests


def test_failed_pdf_leaves_the_forms_of_an_earlier_run(ws, cli, tmp_path):
    make.make(ws, "permintaan-data", ws.root / "contoh" / "permintaan-data.yaml")
    before = {p.name: p.read_bytes() for p in ws.output_dir.iterdir()}
    manifests = sorted((ws.data_dir / "permintaan").iterdir())
    exe = tmp_path / "soffice"
    exe.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")  # runs, converts nothing
    exe.chmod(0o755)
    code, out, err = cli("make", "permintaan-data", "contoh/permintaan-data.yaml", "--pdf", cwd=ws.root,
                         env={"DOCGEN_SOFFICE": str(exe)})
    assert code != 0 and "LibreOffice produced no PDF" in err
    assert {p.name: p.read_bytes() for p in ws.output_dir.iterdir()} == before  # no stage folder left
    assert sorted((ws.data_dir / "permintaan").iterdir()) == manifests
