"""`docgen collect`: forms made exactly per docs/CONTRACTS.md, filled, read back.

The helpers here (issue_form, fill_docx, fill_xlsx) are also used by the laporan tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from docgen import render
from docgen.collect import CollectError, collect

HEADER = ["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Keterangan/Kendala"]

ROWS = {
    "ikp": [
        ("Meningkatnya keterbukaan informasi publik", "Persentase informasi publik yang dipublikasikan",
         "%", 90, "naik"),
        ("Meningkatnya keterbukaan informasi publik", "Jumlah aduan masyarakat yang belum ditindaklanjuti",
         "aduan", 10, "turun"),
        ("Meningkatnya kualitas layanan informasi", "Jumlah siaran pers yang diterbitkan", "rilis", 1200, "naik"),
    ],
    "aptika": [
        ("Meningkatnya layanan e-government", "Indeks SPBE", "indeks", 3.5, "naik"),
        ("Meningkatnya layanan e-government", "Jumlah aplikasi terintegrasi", "aplikasi", 0, "naik"),
    ],
    "statistik": [
        ("Tersedianya data statistik sektoral", "Jumlah dataset terbit", "dataset", 40, "naik"),
    ],
}


def issue_form(ws, bidang: str, periode: str = "2026-TW3", doc_id: str | None = None) -> dict:
    """Write the manifest of an issued form, as kinds/permintaan_data does."""
    doc_id = doc_id or f"DG-20261001-{bidang.upper()[:4]}{periode[-1]}{len(periode):02d}"
    label = {"2026-TW3": "Triwulan III Tahun 2026", "2026-TW2": "Triwulan II Tahun 2026"}.get(periode, periode)
    m = {
        "doc_id": doc_id, "bidang": bidang, "bidang_nama": ws.config.bidang[bidang].nama,
        "tahun": 2026, "periode": periode, "periode_label": label, "tenggat": "2026-10-10",
        "dibuat": "2026-10-01T08:00:00",
        "rows": [{"no": i, "sasaran": s, "indikator": ind, "satuan": sat, "target": t, "arah": a}
                 for i, (s, ind, sat, t, a) in enumerate(ROWS[bidang], start=1)],
    }
    d = ws.data_dir / "permintaan"
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{doc_id}.json").write_text(json.dumps(m), encoding="utf-8")
    return m


def _target_text(t) -> str:
    return f"{t:,}".replace(",", "X").replace(".", ",").replace("X", ".")


def fill_docx(m: dict, values: dict[int, tuple[str, str]], out: Path, *, props: bool = True,
              rows: list[list[str]] | None = None) -> Path:
    """A filled DOCX form per the contract (custom property + visible ID line + table)."""
    doc = Document()
    doc.add_paragraph("FORMAT PERMINTAAN DATA KINERJA")
    doc.add_paragraph(f"{m['bidang_nama']} - {m['periode_label']}")
    doc.add_paragraph(f"ID Formulir: {m['doc_id']}")
    body = rows or [
        [str(r["no"]), r["sasaran"], r["indikator"], r["satuan"], _target_text(r["target"]),
         *values.get(r["no"], ("", ""))]
        for r in m["rows"]
    ]
    t = doc.add_table(rows=1 + len(body), cols=7)
    for c, h in enumerate(HEADER):
        t.rows[0].cells[c].text = h
    for r, vals in enumerate(body, start=1):
        for c, v in enumerate(vals):
            t.rows[r].cells[c].text = v
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    if props:
        render.apply_properties(out, render.DocProps(kind="permintaan-data", doc_id=m["doc_id"]))
    return out


def fill_xlsx(m: dict, values: dict[int, tuple[object, str]], out: Path) -> Path:
    """A filled XLSX form per the contract: "ID Formulir" cell, id to its right, header row."""
    wb = Workbook()
    sh = wb.active
    sh.append(["FORMAT PERMINTAAN DATA KINERJA"])
    sh.append([m["bidang_nama"]])
    sh.append(["ID Formulir", m["doc_id"]])
    sh.append([])
    sh.append(HEADER)
    for r in m["rows"]:
        real, note = values.get(r["no"], ("", ""))
        sh.append([r["no"], r["sasaran"], r["indikator"], r["satuan"], r["target"], real, note])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


GOOD_IKP = {1: ("85,5", ""), 2: ("8", ""), 3: ("1.234,5", "")}
GOOD_APTIKA = {1: ("3,2", "Evaluasi belum final"), 2: ("4", "")}


@pytest.fixture
def forms(ws, tmp_path):
    """ikp returns Word, aptika returns Excel; statistik was sent a form but has not replied."""
    mi, ma = issue_form(ws, "ikp"), issue_form(ws, "aptika")
    issue_form(ws, "statistik")
    masuk = tmp_path / "masuk"
    fill_docx(mi, GOOD_IKP, masuk / "bidang-ikp.docx")
    fill_xlsx(ma, {1: ("3,2", "Evaluasi belum final"), 2: (4, "")}, masuk / "bidang-aptika.xlsx")
    (masuk / "~$bidang-ikp.docx").write_bytes(b"lock")  # Word's owner file: ignored
    return masuk


def test_collect_builds_rekap_json_with_capaian(ws, forms):
    res = collect(ws, [forms])
    assert len(res.forms) == 2
    data = json.loads((ws.data_dir / "rekap" / "2026-TW3.json").read_text("utf-8"))
    ikp = data["bidang"]["ikp"]["rows"]
    assert [r["capaian"] for r in ikp] == [95.0, 125.0, 102.88]
    assert ikp[2]["realisasi"] == 1234.5
    apt = data["bidang"]["aptika"]
    assert apt["format"] == "xlsx"
    assert apt["rows"][0]["capaian"] == 91.43 and apt["rows"][0]["keterangan"] == "Evaluasi belum final"
    assert apt["rows"][1]["capaian"] is None and "Target 0" in apt["rows"][1]["catatan_capaian"]
    assert data["kelengkapan"]["belum"] == ["statistik"]
    assert data["periode_label"] == "Triwulan III Tahun 2026"
    # accepted forms are kept for the lampiran
    assert (ws.data_dir / "rekap" / "2026-TW3" / "formulir" / "ikp.docx").is_file()
    assert (ws.data_dir / "rekap" / "2026-TW3" / "formulir" / "aptika.xlsx").is_file()


def test_rekap_xlsx_contents(ws, forms):
    res = collect(ws, [forms])
    xlsx = ws.output_dir / "rekap-2026-TW3.xlsx"
    assert xlsx in res.outputs
    sh = load_workbook(xlsx)["Rekap"]
    rows = [[c.value for c in r] for r in sh.iter_rows()]
    head = rows.index(["No", "Bidang", "Sasaran", "Indikator Kinerja", "Satuan", "Target",
                       "Realisasi", "Capaian (%)", "Keterangan"])
    body = rows[head + 1:]
    assert [r[0] for r in rows[:4]] == ["REKAPITULASI CAPAIAN KINERJA", "DINAS KOMUNIKASI DAN INFORMATIKA",
                                        "PEMERINTAH KOTA KEDIRI", "TRIWULAN III TAHUN 2026"]
    assert body[0][1] == "Bidang Informasi dan Komunikasi Publik" and body[0][7] == 95.0
    assert body[2][6] == 1234.5 and body[2][7] == 102.88
    zero = body[4]
    assert zero[3] == "Jumlah aplikasi terintegrasi" and zero[7] == "-" and "Target 0" in zero[8]
    kl = [[c.value for c in r] for r in load_workbook(xlsx)["Kelengkapan"].iter_rows()]
    assert ["Bidang Statistik dan Persandian", "Belum masuk", None, None, None] in kl


def test_recollect_is_idempotent_and_other_bidang_merge_in(ws, forms, tmp_path):
    collect(ws, [forms])
    first = json.loads((ws.data_dir / "rekap" / "2026-TW3.json").read_text("utf-8"))
    collect(ws, [forms])
    again = json.loads((ws.data_dir / "rekap" / "2026-TW3.json").read_text("utf-8"))
    assert again["bidang"].keys() == first["bidang"].keys()
    assert [r["capaian"] for r in again["bidang"]["ikp"]["rows"]] == [95.0, 125.0, 102.88]
    ms = json.loads(next((ws.data_dir / "permintaan").glob("*STAT*.json")).read_text("utf-8"))
    late = fill_docx(ms, {1: ("38", "")}, tmp_path / "late" / "statistik.docx")
    res = collect(ws, [late])
    data = res.rekap["2026-TW3"]
    assert list(data["bidang"]) == ["ikp", "aptika", "statistik"]
    assert data["kelengkapan"]["lengkap"] is True
    assert data["bidang"]["statistik"]["rows"][0]["capaian"] == 95.0


def _problems(ws, paths, **kw) -> list[str]:
    before = sorted(p for p in ws.root.rglob("*") if p.is_file())
    with pytest.raises(CollectError) as e:
        collect(ws, paths, **kw)
    after = sorted(p for p in ws.root.rglob("*") if p.is_file())
    assert after == before, "a run with errors must write nothing"
    return [str(p) for p in e.value.problems]


def test_cell_errors_name_file_row_and_column(ws, tmp_path):
    m = issue_form(ws, "ikp")
    f = fill_docx(m, {1: ("delapan", ""), 2: ("", ""), 3: ("1.000", "")}, tmp_path / "bidang-ikp.docx")
    probs = _problems(ws, [f])
    assert probs == [
        "bidang-ikp.docx: row 1, column Realisasi: 'delapan' is not a number "
        "(write e.g. 1.234,5; or leave it empty and say why in Keterangan/Kendala)",
        "bidang-ikp.docx: row 2, column Realisasi: is empty and Keterangan/Kendala gives no reason "
        "(write the realisasi, or explain in Keterangan/Kendala why there is none)",
    ]


def test_english_style_and_ambiguous_numbers_are_refused(ws, tmp_path):
    # "1,234.5" used to be read as 1,2345: a wrong capaian in the rekap, no error
    m = issue_form(ws, "ikp")
    f = fill_docx(m, {1: ("1,234.5", ""), 2: ("±80", ""), 3: ("1.2.3", "")}, tmp_path / "ikp.docx")
    separators = "(write e.g. 1.234,5: dots for thousands, a comma for decimals)"
    assert _problems(ws, [f]) == [
        f"ikp.docx: row 1, column Realisasi: '1,234.5' is not a number {separators}",
        "ikp.docx: row 2, column Realisasi: '±80' is not a number (write e.g. 1.234,5; or leave it empty and say why in Keterangan/Kendala)",
        f"ikp.docx: row 3, column Realisasi: '1.2.3' is not a number {separators}",
    ]


def test_corrupt_docx_is_a_clear_problem(ws, cli, tmp_path):
    bad = tmp_path / "rusak.docx"
    bad.write_bytes(b"PK\x03\x04" + b"garbage" * 20)  # a zip header, then nothing readable
    code, out, err = cli("collect", str(bad), cwd=ws.root)
    assert code != 0
    assert "internal error" not in err and "Traceback" not in err
    assert "rusak.docx: not a readable Word file" in err
    assert "save it again as .docx" in err


def test_empty_realisasi_with_keterangan_is_accepted(ws, tmp_path):
    m = issue_form(ws, "ikp")
    f = fill_docx(m, {1: ("90", ""), 2: ("", "Data belum tersedia dari Inspektorat"), 3: ("1.200", "")},
                  tmp_path / "ikp.docx")
    row = collect(ws, [f]).rekap["2026-TW3"]["bidang"]["ikp"]["rows"][1]
    assert row["realisasi"] is None and row["capaian"] is None
    assert row["keterangan"] == "Data belum tersedia dari Inspektorat"


def test_xlsx_errors_give_the_cell(ws, tmp_path):
    m = issue_form(ws, "aptika")
    f = fill_xlsx(m, {1: ("tiga", ""), 2: (4, "")}, tmp_path / "aptika.xlsx")
    assert _problems(ws, [f]) == [
        "aptika.xlsx: row 1 (cell F6), column Realisasi: 'tiga' is not a number (write e.g. 1.234,5; or leave it empty and say why in Keterangan/Kendala)"
    ]


def test_edited_indicator_rows_are_refused(ws, tmp_path):
    m = issue_form(ws, "ikp")
    rows = [[str(r["no"]), r["sasaran"], r["indikator"], r["satuan"], _target_text(r["target"]), "1", ""]
            for r in m["rows"]]
    rows[0][2] = "Persentase informasi yang dipublikasikan"  # indikator reworded
    rows[1][4] = "12"                                         # target changed
    probs = _problems(ws, [fill_docx(m, {}, tmp_path / "a.docx", rows=rows)])
    assert probs[0].startswith("a.docx: row 1, column Indikator Kinerja: changed from "
                               "'Persentase informasi publik yang dipublikasikan'")
    assert probs[1] == ("a.docx: row 2, column Target: changed from 10 to '12' "
                        "(targets are fixed; restore the issued target)")
    extra = fill_docx(m, {}, tmp_path / "b.docx", rows=rows[:2])
    assert _problems(ws, [extra]) == [  # named by its indicator, rows 1-2 checked as they are
        "b.docx: row 1, column Indikator Kinerja: changed from 'Persentase informasi publik yang "
        "dipublikasikan' to 'Persentase informasi yang dipublikasikan' (indicator rows are fixed; "
        "restore the issued text)",
        "b.docx: row 2, column Target: changed from 10 to '12' (targets are fixed; restore the issued target)",
        "b.docx: indicator 3 ('Jumlah siaran pers yang diterbitkan') is missing: its row was deleted "
        "(use the issued form with all its rows; with no data, leave Realisasi empty and say why in "
        "Keterangan/Kendala)",
    ]


def test_foreign_forms_are_refused(ws, tmp_path):
    m = issue_form(ws, "ikp")
    stranger = dict(m, doc_id="DG-20260101-FFFFFFFF")  # no manifest in this workspace
    f1 = fill_docx(stranger, GOOD_IKP, tmp_path / "asing.docx")
    f2 = fill_docx(m, GOOD_IKP, tmp_path / "surat.docx")
    render.apply_properties(f2, render.DocProps(kind="surat-pengantar", doc_id=m["doc_id"]))
    other = issue_form(ws, "aptika", periode="2026-TW2")
    f3 = fill_xlsx(other, {1: ("3", ""), 2: ("1", "")}, tmp_path / "tw2.xlsx")
    doc = Document()
    doc.add_paragraph("Notulen rapat")
    doc.save(tmp_path / "notulen.docx")
    probs = _problems(ws, [tmp_path], periode="2026-TW3")
    text = "\n".join(probs)
    assert "asing.docx: unknown form id 'DG-20260101-FFFFFFFF'" in text
    assert "surat.docx: is a 'surat-pengantar' document, not a permintaan-data form" in text
    assert "tw2.xlsx: form is for period 2026-TW2 (Triwulan II Tahun 2026), not 2026-TW3" in text
    assert "notulen.docx: no form id found" in text
    assert len(probs) == 4 and f1 and f3


def test_duplicates_are_refused(ws, tmp_path):
    m = issue_form(ws, "ikp")
    fill_docx(m, GOOD_IKP, tmp_path / "d" / "ikp.docx")
    fill_xlsx(m, {1: ("85,5", ""), 2: (9, ""), 3: ("1.234,5", "")}, tmp_path / "d" / "ikp.xlsx")
    probs = _problems(ws, [tmp_path / "d"])
    assert len(probs) == 2 and all("duplicate form: id " + m["doc_id"] in p for p in probs)
    assert all("they differ in row(s) 2" in p for p in probs)
    # a second form issued to the same Bidang for the same period
    m2 = issue_form(ws, "ikp", doc_id="DG-20261002-ABCDEF01")
    fill_docx(m2, GOOD_IKP, tmp_path / "e" / "ikp-baru.docx")
    fill_docx(m, GOOD_IKP, tmp_path / "e" / "ikp-lama.docx")
    probs = _problems(ws, [tmp_path / "e"])
    assert all("two forms for Bidang ikp and period 2026-TW3" in p for p in probs) and len(probs) == 2


def test_identical_copies_of_one_form_are_read_once(ws, tmp_path, cli):
    # the Bidang sent it twice, or the clerk downloaded the attachment twice
    m = issue_form(ws, "ikp")
    masuk = tmp_path / "masuk"
    fill_xlsx(m, {1: ("85,5", ""), 2: (8, ""), 3: ("1.234,5", "")}, masuk / "p2p (1).xlsx")
    fill_xlsx(m, {1: ("85,5", ""), 2: (8, ""), 3: ("1.234,5", "")}, masuk / "p2p.xlsx")
    fill_docx(m, GOOD_IKP, masuk / "p2p - Copy.docx")
    result = collect(ws, [masuk])
    assert result.forms == [masuk / "p2p.xlsx"]
    assert (f"p2p (1).xlsx, p2p - Copy.docx: the same form as p2p.xlsx (form id {m['doc_id']}, "
            "same values), read once") in result.notes
    assert result.rekap["2026-TW3"]["bidang"]["ikp"]["rows"][0]["realisasi"] == 85.5
    # the CLI says it too
    (masuk / "p2p (1).xlsx").unlink()
    code, out, err = cli("-W", str(ws.root), "collect", str(masuk))
    assert code == 0, err
    assert "note: p2p - Copy.docx: the same form as p2p.xlsx" in out


def test_copy_pasted_form_keeps_identity_by_visible_line(ws, tmp_path):
    m = issue_form(ws, "ikp")
    f = fill_docx(m, GOOD_IKP, tmp_path / "salinan.docx", props=False)
    assert render.read_properties(f) == {}
    assert collect(ws, [f]).rekap["2026-TW3"]["bidang"]["ikp"]["doc_id"] == m["doc_id"]


def test_one_bad_file_blocks_the_run(ws, forms, tmp_path):
    m = issue_form(ws, "statistik")
    fill_docx(m, {1: ("4O", "")}, forms / "statistik.docx")  # letter O typed for zero
    probs = _problems(ws, [forms])
    assert probs == ["statistik.docx: row 1, column Realisasi: '4O' is not a number (write e.g. 1.234,5)"]
    assert not (ws.data_dir / "rekap" / "2026-TW3.json").exists()


def test_cli_collect_reports_and_exits(ws, forms, cli, tmp_path):
    code, out, err = cli("collect", str(forms), "--periode", "2026-TW3", cwd=ws.root)
    assert code == 0, err
    assert "2 form(s) collected" in out
    assert "still missing: Bidang Statistik dan Persandian" in out
    assert "rekap-2026-TW3.xlsx" in out
    m = issue_form(ws, "ikp")
    bad = fill_docx(m, {1: ("delapan", ""), 2: ("8", ""), 3: ("9", "")}, tmp_path / "bad" / "bidang-ikp.docx")
    code, out, err = cli("collect", str(bad), cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert "bidang-ikp.docx: row 1, column Realisasi: 'delapan' is not a number" in err
    assert "nothing was written" in err


def test_xlsx_numbers_typed_as_excel_numbers(ws, tmp_path):
    """Excel keeps numbers as floats: 1234.567 must not read as 1.234.567, and a
    percent-formatted 0.855 is 85,5 (what the clerk sees)."""
    m = issue_form(ws, "ikp")
    f = fill_xlsx(m, {1: (0.855, ""), 2: (8.0, ""), 3: (1234.567, "")}, tmp_path / "ikp.xlsx")
    wb = load_workbook(f)
    wb.active["F6"].number_format = "0.0%"
    wb.save(f)
    rows = collect(ws, [f]).rekap["2026-TW3"]["bidang"]["ikp"]["rows"]
    assert [r["realisasi"] for r in rows] == [85.5, 8.0, 1234.567]
    assert rows[0]["capaian"] == 95.0


def test_failure_while_writing_leaves_no_files(ws, forms, monkeypatch):
    """A disk error in the last step (the XLSX) must not leave the JSON or form copies behind."""
    from docgen.collect import rekap as rekap_mod

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(rekap_mod, "write_xlsx", broken)
    with pytest.raises(OSError):
        collect(ws, [forms])
    assert [p for p in (ws.data_dir / "rekap").rglob("*") if p.is_file()] == []
    assert not (ws.output_dir / "rekap-2026-TW3.xlsx").exists()


def test_rekap_xlsx_shows_indonesian_times_and_whole_numbers_without_separator(ws, forms):
    # Dikumpulkan was "2026-11-22T04:20:48"; "#,##0.##" shows 100 as "100," in Excel
    import re as re_mod

    collect(ws, [forms])
    wb = load_workbook(ws.output_dir / "rekap-2026-TW3.xlsx")
    kl = [[c.value for c in r] for r in wb["Kelengkapan"].iter_rows()]
    masuk = next(r for r in kl if r[1] == "Sudah masuk")
    assert re_mod.fullmatch(r"\d{1,2} [A-Z][a-z]+ 20\d\d \d\d\.\d\d", masuk[4]), masuk[4]
    sh = wb["Rekap"]
    for row in sh.iter_rows():
        for c in row[5:7]:
            if isinstance(c.value, int | float):
                want = "#,##0" if float(c.value).is_integer() else "#,##0.##"
                assert c.number_format == want, (c.coordinate, c.value, c.number_format)
