"""`docgen collect` on forms filled the ways clerks fill them: the issued DOCX/XLSX
edited with python-docx/openpyxl, and saved again by LibreOffice as another word
processor would. Each test asserts on what the user sees: the values in the rekap, or
the one line naming the file, the row, the column and the fix."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from docgen import make
from docgen.collect import CollectError, collect
from docgen.convert import find_soffice

# Rows of the example Bidang ikp, TW III: 1 "%" 95 | 2 konten 500 | 3 indeks 82 | 4 aduan 6 (turun)
GOOD = {1: ("90", ""), 2: ("400", ""), 3: ("80", ""), 4: ("5", "")}


@pytest.fixture
def issued(ws):
    """The forms `docgen make permintaan-data` writes for the example (TW III)."""
    make.make(ws, "permintaan-data", ws.root / "contoh" / "permintaan-data.yaml")
    return lambda bidang, ext="docx": ws.output_dir / f"permintaan-data-2026-TW3-{bidang}.{ext}"


def _table(doc):
    for t in doc.tables:
        for i, row in enumerate(t.rows):
            texts = [c.text.strip() for c in row.cells]
            if "Indikator Kinerja" in texts and "Realisasi" in texts:
                return t, i
    raise AssertionError("no indicator table")


def fill_docx(src: Path, out: Path, values: dict, edit=None) -> Path:
    """Type into Realisasi/Keterangan of the issued DOCX; ``edit(doc, table, header)`` does more."""
    doc = Document(str(src))
    t, h = _table(doc)
    for row in t.rows[h + 1:]:
        no = row.cells[0].text.strip()
        if no.isdigit() and int(no) in values:
            real, ket = values[int(no)]
            row.cells[5].text = real
            row.cells[6].text = ket
    if edit:
        edit(doc, t, h)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def fill_xlsx(src: Path, out: Path, values: dict, edit=None) -> Path:
    wb = load_workbook(src)
    sh = wb.active
    head = next(r[0].row for r in sh.iter_rows() if "Indikator Kinerja" in [c.value for c in r])
    for r in range(head + 1, sh.max_row + 1):
        no = sh.cell(r, 1).value
        if no in values:
            sh.cell(r, 6).value, sh.cell(r, 7).value = values[no]
    if edit:
        edit(sh, head)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def problems(ws, paths, **kw) -> list[str]:
    with pytest.raises(CollectError) as e:
        collect(ws, paths, **kw)
    assert not (ws.data_dir / "rekap").exists(), "a refused run writes nothing"
    return [str(p) for p in e.value.problems]


def rows(result, bidang="ikp") -> list[tuple]:
    return [(r["realisasi"], r["capaian"], r["keterangan"])
            for r in result.rekap["2026-TW3"]["bidang"][bidang]["rows"]]


def soffice_to(src: Path, fmt: str, outdir: Path) -> Path:
    """Save a file as another program would: LibreOffice opens it and writes ``fmt``."""
    exe = find_soffice()
    assert exe is not None
    subprocess.run([str(exe), f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                   capture_output=True, timeout=180, check=False)
    out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    return out


# --- numbers as typed -------------------------------------------------------------

def test_numbers_written_with_their_unit_are_read(ws, issued, tmp_path):
    f = fill_docx(issued("ikp"), tmp_path / "ikp.docx",
                  {1: ("85,5 %", ""), 2: ("1.234 konten", ""), 3: ("-", "Survei IKM belum selesai"),
                   4: ("5 Aduan", "")})
    assert rows(collect(ws, [f])) == [(85.5, 90.0, ""), (1234.0, 246.8, ""),
                                      (None, None, "Survei IKM belum selesai"), (5.0, 120.0, "")]


def test_numbers_in_another_unit_are_refused_naming_the_satuan(ws, issued, tmp_path):
    # "85%" for a count is a capaian typed where the realisasi belongs: it used to be read as 85
    f = fill_docx(issued("ikp"), tmp_path / "ikp.docx",
                  {1: ("Rp 1.500.000", ""), 2: ("85%", ""), 3: ("12 orang", ""), 4: ("n/a", "")})
    assert problems(ws, [f]) == [
        "ikp.docx: row 1, column Realisasi: 'Rp 1.500.000' is an amount of money, but the satuan "
        "is '%' (write only the number, counted in %)",
        "ikp.docx: row 2, column Realisasi: '85%' is a percentage, but the satuan is 'konten' "
        "(write the realisasi counted in konten; docgen computes the capaian (%))",
        "ikp.docx: row 3, column Realisasi: '12 orang': the unit 'orang' is not the satuan 'indeks' "
        "(write only the number, counted in indeks)",
        "ikp.docx: row 4, column Realisasi: has no value ('n/a') and Keterangan/Kendala gives no "
        "reason (write the realisasi, or explain in Keterangan/Kendala why there is none)",
    ]


def test_excel_percent_cell_for_a_count_is_refused(ws, issued, tmp_path):
    def edit(sh, head):
        sh.cell(head + 1, 6).number_format = "0%"  # 0,9 shown as 90% where satuan is %: fine
        sh.cell(head + 2, 6).number_format = "0.0%"  # 0,85 shown as 85,0% where satuan is konten

    f = fill_xlsx(issued("ikp", "xlsx"), tmp_path / "ikp.xlsx",
                  {1: (0.9, None), 2: (0.85, None), 3: (80, None), 4: (5, None)}, edit)
    assert problems(ws, [f]) == [
        "ikp.xlsx: row 2 (cell F20), column Realisasi: '85%' is a percentage, but the satuan is "
        "'konten' (write the realisasi counted in konten; docgen computes the capaian (%))"]


# --- text -------------------------------------------------------------------------

def test_keterangan_keeps_the_clerks_line_breaks(ws, issued, tmp_path):
    def edit(doc, t, h):
        cell = t.rows[h + 1].cells[6]
        cell.text = "Kendala:"
        cell.add_paragraph("1. anggaran terlambat")
        cell.add_paragraph("2.  SDM   kurang")

    f = fill_docx(issued("ikp"), tmp_path / "ikp.docx", GOOD, edit)
    x = fill_xlsx(issued("aptika", "xlsx"), tmp_path / "aptika.xlsx",
                  {1: (85, "Server\nbaru  rusak"), 2: (10, None), 3: (99, None), 4: (3, None)})
    res = collect(ws, [f, x])
    assert rows(res)[0][2] == "Kendala:\n1. anggaran terlambat\n2. SDM kurang"
    assert rows(res, "aptika")[0][2] == "Server\nbaru rusak"
    sheet = load_workbook(ws.output_dir / "rekap-2026-TW3.xlsx")["Rekap"]
    assert "Kendala:\n1. anggaran terlambat\n2. SDM kurang" in [c.value for c in sheet["I"]]


def test_values_typed_with_track_changes_or_in_content_controls_are_read(ws, issued, tmp_path):
    """Word with Track Changes on wraps what the clerk types in w:ins; python-docx's .text
    skipped it: a typed value read as empty, a typed Keterangan was silently dropped."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    mark = 'w:author="Bidang IKP" w:date="2026-10-10T10:00:00Z"'

    def typed(cell, xml: str) -> None:
        p = cell.paragraphs[0]
        for r in list(p.runs):
            p._p.remove(r._r)
        for part in xml.split("|"):
            p._p.append(parse_xml(part.replace("W", w, 1)))

    def edit(doc, t, h):
        typed(t.rows[h + 1].cells[5], f'<w:ins W w:id="1" {mark}><w:r><w:t>90</w:t></w:r></w:ins>')
        typed(t.rows[h + 2].cells[5],  # 300 corrected to 400, both tracked
              f'<w:del W w:id="2" {mark}><w:r><w:delText>300</w:delText></w:r></w:del>|'
              f'<w:ins W w:id="3" {mark}><w:r><w:t>400</w:t></w:r></w:ins>')
        typed(t.rows[h + 3].cells[5], "<w:sdt W><w:sdtContent><w:r><w:t>80</w:t></w:r></w:sdtContent></w:sdt>")
        typed(t.rows[h + 3].cells[6], f'<w:ins W w:id="4" {mark}><w:r><w:t>survei ulang</w:t></w:r></w:ins>')

    f = fill_docx(issued("ikp"), tmp_path / "ikp.docx", {1: ("", ""), 2: ("", ""), 4: ("5", "")}, edit)
    assert rows(collect(ws, [f])) == [(90.0, 94.74, ""), (400.0, 80.0, ""), (80.0, 97.56, "survei ulang"),
                                      (5.0, 120.0, "")]


# --- table shape ------------------------------------------------------------------

def test_added_and_deleted_rows_are_named_without_a_cascade(ws, issued, tmp_path):
    def add_note_row(doc, t, h):
        new = copy.deepcopy(t.rows[h + 2]._tr)  # Word: "Insert Row Below" under row 2
        t.rows[h + 2]._tr.addnext(new)
        for c in t.rows[h + 3].cells:
            c.text = ""
        t.rows[h + 3].cells[6].text = "catatan untuk baris 2"

    def delete_row_2(doc, t, h):
        tr = t.rows[h + 2]._tr
        tr.getparent().remove(tr)

    a = fill_docx(issued("ikp"), tmp_path / "a.docx", GOOD, add_note_row)
    b = fill_docx(issued("ikp"), tmp_path / "b.docx", GOOD, delete_row_2)
    assert problems(ws, [a]) == [
        "a.docx: row 3: added row without an indicator (delete it; write its text in the "
        "Keterangan/Kendala of the row it belongs to)"]
    assert problems(ws, [b]) == [
        "b.docx: indicator 2 ('Jumlah konten informasi publik yang dipublikasikan melalui kanal "
        "resmi') is missing: its row was deleted (use the issued form with all its rows; with no "
        "data, leave Realisasi empty and say why in Keterangan/Kendala)"]


def test_excel_inserted_row_names_the_sheet_row(ws, issued, tmp_path):
    def edit(sh, head):
        sh.protection.sheet = False
        sh.insert_rows(head + 3)
        sh.cell(head + 3, 7).value = "catatan"

    f = fill_xlsx(issued("ikp", "xlsx"), tmp_path / "ikp.xlsx",
                  {1: (90, None), 2: (400, None), 3: (80, None), 4: (5, None)}, edit)
    assert problems(ws, [f]) == [
        "ikp.xlsx: row 3 (cell A21): added row without an indicator (delete it; write its text in "
        "the Keterangan/Kendala of the row it belongs to)"]


def test_table_after_an_added_paragraph_is_found(ws, issued, tmp_path):
    def edit(doc, t, h):
        t._tbl.addprevious(doc.add_paragraph("Catatan: data sementara, menunggu verifikasi.")._p)

    f = fill_docx(issued("ikp"), tmp_path / "ikp.docx", GOOD, edit)
    assert [r[0] for r in rows(collect(ws, [f]))] == [90.0, 400.0, 80.0, 5.0]


def test_table_split_by_word_is_read_as_one(ws, issued, tmp_path):
    """Word's Split Table (rows moved to the next page) used to make rows 3-4 'deleted'."""
    def split_before_row_3(doc, t, h):
        from docx.oxml import OxmlElement

        tail = copy.deepcopy(t._tbl)
        for tr in t._tbl.tr_lst[h + 3:]:
            t._tbl.remove(tr)
        for tr in tail.tr_lst[:h + 3]:
            tail.remove(tr)
        gap = OxmlElement("w:p")
        t._tbl.addnext(gap)
        gap.addnext(tail)

    f = fill_docx(issued("ikp"), tmp_path / "ikp.docx", GOOD, split_before_row_3)
    assert [r[0] for r in rows(collect(ws, [f]))] == [90.0, 400.0, 80.0, 5.0]


def test_text_outside_the_form_is_told_not_dropped(ws, issued, cli, tmp_path):
    def capaian_column(doc, t, h):  # the clerk adds a "Capaian (%)" column of their own
        for row in t.rows:
            row.cells[5]._tc.addnext(copy.deepcopy(row.cells[5]._tc))
        t._tbl.tblGrid.gridCol_lst[5].addnext(copy.deepcopy(t._tbl.tblGrid.gridCol_lst[5]))
        t.rows[h].cells[6].text = "Capaian (%)"
        for i in range(1, 5):
            t.rows[h + i].cells[6].text = "95%"

    def beside_and_under(sh, head):
        sh.cell(head + 2, 8).value = "data sementara, menunggu BPS"  # H20, beside the table
        sh.cell(head + 6, 6).value = "Kediri, 10 Oktober 2026"       # signed under it
        sh.cell(head + 9, 6).value = "RINA WULANDARI, S.Kom."

    masuk = tmp_path / "masuk"
    fill_docx(issued("ikp"), masuk / "ikp.docx", GOOD, capaian_column)
    fill_xlsx(issued("aptika", "xlsx"), masuk / "aptika.xlsx",
              {1: (85, None), 2: (10, None), 3: (99, None), 4: (3, None)}, beside_and_under)
    code, out, err = cli("collect", str(masuk), cwd=ws.root)
    assert code == 0, err
    assert ("note: ikp.docx: column 'Capaian (%)', rows 1, 2, 3, 4: outside the form's columns, "
            "not collected") in out
    assert ("note: aptika.xlsx: row 2 (cell H20), column H: 'data sementara, menunggu BPS': "
            "outside the form's columns, not collected") in out
    assert "note: aptika.xlsx: text under the indicator rows (sheet row(s) 24, 27) is not collected" in out


def test_merged_realisasi_is_refused_merged_keterangan_is_shared(ws, issued, tmp_path):
    # One value in a merged Realisasi used to be copied into the next row: a capaian of 18%
    def merge_docx(doc, t, h):
        t.rows[h + 1].cells[5].merge(t.rows[h + 2].cells[5]).text = "90"
        t.rows[h + 3].cells[6].merge(t.rows[h + 4].cells[6]).text = "kendala bersama"

    def merge_xlsx(sh, head):
        sh.protection.sheet = False
        sh.merge_cells(start_row=head + 1, start_column=6, end_row=head + 2, end_column=6)

    d = fill_docx(issued("ikp"), tmp_path / "ikp.docx", GOOD, merge_docx)
    x = fill_xlsx(issued("ikp", "xlsx"), tmp_path / "ikp.xlsx",
                  {1: (90, None), 2: (None, None), 3: (80, None), 4: (5, None)}, merge_xlsx)
    fix = ("(split the merged cell (Word: Split Cells, Excel: Unmerge Cells), then write each "
           "row's own value)")
    assert problems(ws, [d]) == [
        f"ikp.docx: row 2, column Realisasi: is one merged cell with row 1, so one value would "
        f"count for two indicators {fix}"]
    assert problems(ws, [x]) == [
        f"ikp.xlsx: row 2 (cell F20), column Realisasi: is one merged cell with row 1, so one "
        f"value would count for two indicators {fix}"]

    def merge_ket_only(doc, t, h):
        t.rows[h + 3].cells[6].merge(t.rows[h + 4].cells[6]).text = "kendala bersama"

    ok = fill_docx(issued("ikp"), tmp_path / "ok.docx", GOOD, merge_ket_only)
    assert [r[2] for r in rows(collect(ws, [ok]))] == ["", "", "kendala bersama", "kendala bersama"]


def test_unfilled_form_is_one_problem(ws, issued, tmp_path):
    f = shutil.copy(issued("aptika"), tmp_path / "aptika.docx")
    assert problems(ws, [f]) == [
        "aptika.docx: nothing is filled in: Realisasi and Keterangan/Kendala are empty in every row "
        "(was the unfilled form sent by mistake? Ask the Bidang for the filled one)"]


# --- Excel cells ------------------------------------------------------------------

def _with_cached_values(path: Path, cached: dict[str, str]) -> None:
    """What Excel writes: the formula and its last result (openpyxl writes no result)."""
    data = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                for ref, value in cached.items():
                    kind = ' t="e"' if value.startswith("#") else ""  # an error value
                    text, n = re.subn(rf'<c r="{ref}"([^>]*)>(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                                      rf'<c r="{ref}"\1{kind}>\2<v>{value}</v>', text)
                    assert n == 1, ref
                body = text.encode()
            zout.writestr(item, body)
    path.write_bytes(out.getvalue())


def test_excel_formulas_with_and_without_saved_result(ws, issued, tmp_path):
    def formulas(sh, head):
        sh.cell(head + 1, 6).value = "=40+50"
        sh.cell(head + 2, 6).value = f"=E{head + 2}*0.8"

    src = issued("ikp", "xlsx")
    vals = {1: (None, None), 2: (None, "dihitung dari target"), 3: (80, None), 4: (5, None)}
    bare = fill_xlsx(src, tmp_path / "a" / "ikp.xlsx", vals, formulas)
    # without a result the formula read as an empty cell: row 2 was accepted with no realisasi
    fix = "(open the file in Excel or LibreOffice, save it and send it again; or type the number)"
    assert problems(ws, [bare]) == [
        f"ikp.xlsx: row 1 (cell F19), column Realisasi: holds the formula =40+50 without a saved result {fix}",
        f"ikp.xlsx: row 2 (cell F20), column Realisasi: holds the formula =E20*0.8 without a saved result {fix}",
    ]
    saved = fill_xlsx(src, tmp_path / "b" / "ikp.xlsx", vals, formulas)
    # Excel's binary float result; the clerk sees 89,1 (15 significant digits)
    _with_cached_values(saved, {"F19": "89.100000000000009", "F20": "400"})
    assert [r[0] for r in rows(collect(ws, [saved]))] == [89.1, 400.0, 80.0, 5.0]


def test_excel_error_and_date_cells_are_named(ws, issued, tmp_path):
    import datetime as dt

    def edit(sh, head):
        sh.cell(head + 1, 6).value = "=1/0"
        sh.cell(head + 2, 6).value = dt.datetime(2026, 10, 5)  # "5/10" typed, Excel made a date
        sh.cell(head + 2, 6).number_format = "d/m"

    f = fill_xlsx(issued("ikp", "xlsx"), tmp_path / "ikp.xlsx",
                  {1: (None, None), 2: (None, None), 3: (80, None), 4: (5, None)}, edit)
    _with_cached_values(f, {"F19": "#DIV/0!"})
    assert problems(ws, [f]) == [
        "ikp.xlsx: row 1 (cell F19), column Realisasi: shows the error #DIV/0! of the formula =1/0 "
        "(correct the formula, or type the number)",
        "ikp.xlsx: row 2 (cell F20), column Realisasi: is a date, not a number (Excel turns e.g. "
        "5/10 into a date) (format the cell as Number and type the number again)",
    ]


# --- files in the folder ----------------------------------------------------------

def test_pdf_csv_and_empty_files_are_reported_never_skipped(ws, issued, tmp_path):
    masuk = tmp_path / "masuk"
    fill_docx(issued("ikp"), masuk / "ikp.docx", GOOD)
    (masuk / "aptika-scan.pdf").write_bytes(b"%PDF-1.4\n%scan\n")
    (masuk / "statistik.csv").write_text("No;Realisasi\n1;72\n")
    (masuk / "sekretariat.docx").write_bytes(b"")
    for junk in ("Thumbs.db", "desktop.ini", ".DS_Store"):
        (masuk / junk).write_bytes(b"x")
    assert problems(ws, [masuk]) == [
        "aptika-scan.pdf: is a PDF (a scan or print of the form?): its values cannot be read (ask "
        "the Bidang for the filled Word or Excel file, .docx or .xlsx, and move this file out of "
        "the folder)",
        "sekretariat.docx: is empty (0 bytes): it was not saved or not copied completely (ask the "
        "Bidang to send the filled form again)",
        "statistik.csv: not a form file (.csv) (give only the filled .docx or .xlsx forms; move "
        "other files out of the folder)",
    ]


def test_open_form_and_subfolder_are_told(ws, issued, cli, tmp_path):
    masuk = tmp_path / "masuk"
    name = "permintaan-data-2026-TW3-ikp.docx"
    fill_docx(issued("ikp"), masuk / name, GOOD)
    (masuk / ("~$" + name[2:])).write_bytes(b"\x0bBidang IKP" + b"\0" * 150)  # Word's owner file
    fill_docx(issued("aptika"), masuk / "sudah" / "aptika.docx",
              {1: ("85", ""), 2: ("10", ""), 3: ("99", ""), 4: ("3", "")})
    code, out, err = cli("collect", str(masuk), cwd=ws.root)
    assert code == 0, err
    assert f"note: {name} is open in Word, Excel or LibreOffice (~${name[2:]} is next to it)" in out
    assert "note: subfolder sudah/ not read (1 file(s) in it)" in out
    assert "still missing: Sekretariat, Bidang Aplikasi Informatika" in out


def test_excel_file_renamed_docx_is_read_as_excel(ws, issued, tmp_path):
    f = fill_xlsx(issued("ikp", "xlsx"), tmp_path / "ikp.xlsx",
                  {1: (90, None), 2: (400, None), 3: (80, None), 4: (5, None)})
    renamed = f.rename(tmp_path / "ikp.docx")  # it used to stop the run with an internal error
    res = collect(ws, [renamed])
    entry = res.rekap["2026-TW3"]["bidang"]["ikp"]
    assert entry["format"] == "xlsx" and entry["berkas"].endswith("ikp.xlsx")
    assert [r[0] for r in rows(res)] == [90.0, 400.0, 80.0, 5.0]


def test_corrected_form_sent_later_replaces_and_says_so(ws, issued, cli, tmp_path):
    fill_docx(issued("ikp"), tmp_path / "1" / "ikp.docx", GOOD)
    assert cli("collect", str(tmp_path / "1"), cwd=ws.root)[0] == 0
    fill_xlsx(issued("ikp", "xlsx"), tmp_path / "2" / "ikp-revisi.xlsx",
              {1: (92, "dikoreksi"), 2: (400, None), 3: (80, None), 4: (5, None)})
    code, out, err = cli("collect", str(tmp_path / "2"), cwd=ws.root)
    assert code == 0, err
    assert ("note: ikp-revisi.xlsx: replaces what Bidang Informasi dan Komunikasi Publik sent "
            "before (ikp.docx); 1 row(s) changed") in out
    data = json.loads((ws.data_dir / "rekap" / "2026-TW3.json").read_text(encoding="utf-8"))
    assert data["bidang"]["ikp"]["rows"][0]["realisasi"] == 92.0
    kept = sorted(p.name for p in (ws.data_dir / "rekap" / "2026-TW3" / "formulir").iterdir())
    assert kept == ["ikp.xlsx"]


# --- saved by another word processor (real LibreOffice) -----------------------------

def test_word_forms_saved_by_libreoffice_as_docx_doc_odt(ws, issued, soffice, tmp_path, cli):
    work = tmp_path / "work"
    masuk = tmp_path / "masuk"
    masuk.mkdir()
    vals = {"ikp": {1: ("85,5", ""), 2: ("1.234", ""), 3: ("80", "Kendala:\nsurvei terlambat"),
                    4: ("5", "")},
            "aptika": {1: ("85", ""), 2: ("10", ""), 3: ("99,5", ""), 4: ("3", "")},
            "sekretariat": {1: ("100", ""), 2: ("68,25", ""), 3: ("4,5", "")}}
    for bidang, fmt in (("ikp", "docx"), ("aptika", "doc"), ("sekretariat", "odt")):
        filled = fill_docx(issued(bidang), work / f"{bidang}.docx", vals[bidang])
        out = soffice_to(filled, fmt, work / fmt)
        assert out.is_file(), f"LibreOffice wrote no .{fmt}"
        shutil.move(out, masuk / out.name)
    code, out, err = cli("collect", str(masuk), cwd=ws.root)
    assert code == 0, err
    assert "note: aptika.doc: saved as .doc, read after converting it to .docx with LibreOffice" in out
    assert "note: sekretariat.odt: saved as .odt" in out
    data = json.loads((ws.data_dir / "rekap" / "2026-TW3.json").read_text(encoding="utf-8"))
    got = {k: [(r["realisasi"], r["capaian"]) for r in b["rows"]] for k, b in data["bidang"].items()}
    assert got["ikp"] == [(85.5, 90.0), (1234.0, 246.8), (80.0, 97.56), (5.0, 120.0)]
    assert got["aptika"][2] == (99.5, 100.51)
    assert got["sekretariat"] == [(100.0, 100.0), (68.25, 97.5), (4.5, 88.89)]
    assert data["bidang"]["ikp"]["rows"][2]["keterangan"] == "Kendala:\nsurvei terlambat"
    assert data["bidang"]["aptika"]["berkas"].endswith("aptika.docx")  # what the lampiran converts
    assert data["bidang"]["aptika"]["asal"] == "aptika.doc"
    assert "still missing: Bidang Statistik dan Persandian" in out


@pytest.fixture(scope="session")
def calc(soffice, tmp_path_factory) -> Path:
    """LibreOffice Calc (a separate package from Writer) for the spreadsheet round trips."""
    from openpyxl import Workbook

    d = tmp_path_factory.mktemp("calc")
    Workbook().save(d / "probe.xlsx")
    if not soffice_to(d / "probe.xlsx", "ods", d).is_file():
        pytest.skip("LibreOffice Calc not installed (apt-get install libreoffice-calc-nogui)")
    return soffice


def test_excel_forms_saved_by_libreoffice_as_xlsx_xls_ods(ws, issued, calc, tmp_path):
    work = tmp_path / "work"
    masuk = tmp_path / "masuk"
    masuk.mkdir()

    def formula(sh, head):
        sh.cell(head + 2, 6).value = f"=E{head + 2}*0.8"  # LibreOffice saves its result

    for bidang, fmt in (("ikp", "xlsx"), ("aptika", "xls"), ("statistik", "ods")):
        filled = fill_xlsx(issued(bidang, "xlsx"), work / f"{bidang}.xlsx",
                           {1: (85.5, None), 2: (None, None), 3: (80, "Kendala:\nSDM"), 4: (1, None)},
                           formula)
        out = soffice_to(filled, fmt, work / fmt)
        assert out.is_file()
        shutil.move(out, masuk / out.name)
    res = collect(ws, [masuk])
    data = res.rekap["2026-TW3"]
    for bidang in ("ikp", "aptika", "statistik"):
        r = data["bidang"][bidang]["rows"]
        assert r[0]["realisasi"] == 85.5 and r[2]["keterangan"] == "Kendala:\nSDM", bidang
        assert r[1]["realisasi"] == pytest.approx(r[1]["target"] * 0.8), bidang
        assert data["bidang"][bidang]["berkas"].endswith(f"{bidang}.xlsx")
    assert data["kelengkapan"]["belum"] == ["sekretariat"]


def test_cli_refusal_names_every_file_and_exits_non_zero(ws, issued, cli, tmp_path):
    masuk = tmp_path / "masuk"
    fill_docx(issued("ikp"), masuk / "ikp.docx", {**GOOD, 2: ("85%", "")})
    (masuk / "aptika.pdf").write_bytes(b"%PDF-1.4\n")
    code, out, err = cli("collect", str(masuk), cwd=ws.root)
    assert code != 0 and "Traceback" not in err and "internal error" not in err
    assert "2 problem(s) in the forms, nothing was written" in err
    assert "ikp.docx: row 2, column Realisasi: '85%' is a percentage" in err
    assert "aptika.pdf: is a PDF" in err
    assert not (ws.data_dir / "rekap").exists()


def test_last_quarters_form_is_collected_into_its_period_with_a_warning(ws, issued, cli, tmp_path):
    src = ws.root / "contoh" / "permintaan-data.yaml"
    tw2 = src.with_name("tw2.yaml")
    tw2.write_text(src.read_text(encoding="utf-8").replace("triwulan: 3", "triwulan: 2"), encoding="utf-8")
    make.make(ws, "permintaan-data", tw2, tmp_path / "tw2")
    masuk = tmp_path / "masuk"
    fill_docx(issued("ikp"), masuk / "ikp.docx", GOOD)
    fill_docx(tmp_path / "tw2" / "permintaan-data-2026-TW2-aptika.docx", masuk / "aptika.docx",
              {1: ("85", ""), 2: ("10", ""), 3: ("99", ""), 4: ("3", "")})
    code, out, err = cli("collect", str(masuk), cwd=ws.root)
    assert code == 0, err
    assert ("note: aptika.docx is the form of Triwulan II Tahun 2026 (2026-TW2), collected into that "
            "period; Bidang Aplikasi Informatika was sent a later form, of Triwulan III Tahun 2026") in out
    assert "Triwulan III Tahun 2026 (2026-TW3): 1 of 4 Bidang in; still missing: Sekretariat, " \
           "Bidang Aplikasi Informatika, Bidang Statistik dan Persandian" in out
    # with --periode the old form is refused, naming the period it belongs to
    code, out, err = cli("collect", str(masuk), "--periode", "2026-TW3", cwd=ws.root)
    assert code != 0
    assert ("aptika.docx: form is for period 2026-TW2 (Triwulan II Tahun 2026), not 2026-TW3 "
            "(leave it out, or collect with --periode 2026-TW2)") in err


def test_retitled_headings_damaged_and_locked_files(ws, issued, tmp_path, monkeypatch):
    def headings(doc, t, h):
        t.rows[h].cells[5].text = "Realisasi TW III"
        t.rows[h].cells[6].text = "Keterangan /"
        t.rows[h].cells[6].add_paragraph("Kendala")
        t.rows[h].cells[0].text = "No."

    ok = fill_docx(issued("ikp"), tmp_path / "ok" / "ikp.docx", {**GOOD, 1: ("90", "x")}, headings)
    assert rows(collect(ws, [ok]))[0] == (90.0, 94.74, "x")

    masuk = tmp_path / "masuk"
    masuk.mkdir()
    for ext in ("docx", "xlsx"):  # a valid zip whose XML is cut in half
        with zipfile.ZipFile(issued("aptika", ext)) as zin, \
                zipfile.ZipFile(masuk / f"rusak.{ext}", "w") as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename in ("word/document.xml", "xl/worksheets/sheet1.xml"):
                    data = data[: len(data) // 2]
                zout.writestr(item, data)
    locked = fill_docx(issued("ikp"), masuk / "ikp.docx", GOOD)
    from docgen.collect import reader

    real = reader._read_docx

    def held_by_excel(path):  # what Windows does while Word/Excel holds the file
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(reader, "_read_docx", held_by_excel)
    with pytest.raises(CollectError) as e:
        collect(ws, [masuk])
    got = [str(p) for p in e.value.problems]
    assert got[0] == ("ikp.docx: cannot be opened (Permission denied) (close it if it is open in Word "
                      "or Excel, check that you may read it, and run again)")
    assert got[1].startswith("rusak.docx: not a readable Word file (")
    assert got[2].startswith("rusak.xlsx: not a readable Excel file (")


def test_same_bidang_twice_in_one_batch_says_which_rows_differ(ws, issued, tmp_path):
    masuk = tmp_path / "masuk"
    fill_docx(issued("ikp"), masuk / "ikp.docx", GOOD)
    fill_docx(issued("ikp"), masuk / "ikp-revisi.docx", {**GOOD, 1: ("92", "dikoreksi")})
    got = problems(ws, [masuk])
    assert len(got) == 2
    assert re.fullmatch(r"ikp-revisi\.docx: duplicate form: id \S+ is also in ikp\.docx; they differ "
                        r"in row\(s\) 1 \(keep only the Bidang's final copy; move the other out of "
                        r"the folder\)", got[0]), got[0]


def test_a_fraction_typed_for_a_percentage_is_said(ws, issued, tmp_path):
    # 0,9 against a target of 95%: Excel's "90%" from a plain-number cell gave capaian 0,95%
    f = fill_xlsx(issued("ikp", "xlsx"), tmp_path / "ikp.xlsx", {**GOOD, 1: (0.9, "")})
    result = collect(ws, [f])
    assert rows(result)[0][0] == 0.9  # read as written, not guessed
    [note] = [n for n in result.notes if "fraction" in n]
    assert note.startswith("ikp.xlsx: row 1, Realisasi 0,9% against a target of 95%")
    assert "90% was perhaps meant" in note
    assert not [n for n in collect(ws, [fill_xlsx(issued("ikp", "xlsx"), tmp_path / "b" / "ikp.xlsx",
                                                  GOOD)]).notes if "fraction" in n]
