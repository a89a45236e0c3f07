"""SOP kind: durations, lint rules, the five seeds, the generated DOCX, the CLI."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.shared import Mm

from docgen import make, render
from docgen.datafile import validate
from docgen.errors import InputError
from docgen.kinds.sop import waktu
from docgen.kinds.sop.lint import check
from docgen.kinds.sop.model import Sop

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sop"
SEEDS = sorted(EXAMPLES.glob("*.yaml"))


def seed(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def lint(data: dict, ws=None):
    return check(ws, validate(Sop, data, "uji.yaml"))


def errors(findings):
    return [f for f in findings if f.level == "error"]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


# --- waktu (pure) ----------------------------------------------------------------

def test_waktu_parses_units_and_free_text():
    assert str(waktu.parse("15 Menit")) == "15 menit"
    w = waktu.parse("1 Hari Untuk Penyusunan Laporan Triwulan dan 15 Hari untuk Laporan Kinerja Tahunan")
    assert (str(w), w.teks.startswith("Untuk Penyusunan")) == ("1 hari", True)
    assert str(waktu.parse("0,5 jam")) == "0,5 jam"
    assert waktu.parse("") is None
    with pytest.raises(ValueError, match="unknown unit"):
        waktu.parse("3 minggu")
    with pytest.raises(ValueError, match="number and a unit"):
        waktu.parse("segera")


def test_total_is_summed_per_unit_minutes_carry_into_hours_never_hours_into_days():
    items = [waktu.parse(t) for t in ("1 hari", "20 jam", "2 jam", "90 menit", "")]
    assert waktu.format_total(waktu.total(items)) == "1 hari 23 jam 30 menit"
    items = [waktu.parse(t) for t in ("1 hari", "60 menit", "60 menit", "0,5 menit")]
    assert waktu.format_total(waktu.total(items)) == "1 hari 2 jam 0,5 menit"
    assert waktu.format_total(waktu.total([waktu.parse("45 menit")])) == "45 menit"
    assert waktu.format_total(waktu.total([])) == "-"


def test_waktu_in_weeks_says_how_many_days_to_write():
    with pytest.raises(ValueError, match='2 minggu = 10 hari kerja: write "10 hari"'):
        waktu.parse("2 minggu")


def test_seed_003_totals_13_hari_6_jam():
    sop = validate(Sop, seed("003-tanjungpinang-diskominfo.yaml"), "003")
    assert sop.total_waktu() == "13 hari 6 jam"


def test_waktu_as_parts():
    data = seed("000-kediri-diskominfo.yaml")
    data["langkah"][0]["waktu"] = {"jumlah": 2, "satuan": "jam"}
    sop = validate(Sop, data, "x")
    assert sop.langkah[0].waktu_teks() == "2 jam"
    assert sop.total_waktu() == "26 jam 15 menit"


# --- lint ------------------------------------------------------------------------

@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_passes_check(ws, path):
    assert errors(make.check(ws, "sop", path)) == []


def test_five_seeds_are_shipped():
    assert len(SEEDS) == 5
    counts = {p.name[:3]: len(yaml.safe_load(p.read_text(encoding="utf-8"))["langkah"]) for p in SEEDS}
    assert counts == {"000": 6, "001": 6, "002": 15, "003": 13, "004": 6}


def test_decision_first_is_an_error():
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][0]["keputusan"] = {"ya": 2, "tidak": 3}
    errs = errors(lint(data))
    assert any(e.field == "langkah[1].keputusan" and "start" in e.message for e in errs)


def test_decision_last_is_an_error():
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][-1]["keputusan"] = {"ya": 2, "tidak": 3}
    assert any(e.field == "langkah[13].keputusan" and "end" in e.message for e in errors(lint(data)))


def test_decision_to_missing_step_and_to_itself():
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][9]["keputusan"] = {"ya": 40, "tidak": 10}
    errs = errors(lint(data))
    fields = {e.field: e for e in errs}
    assert "step 40" in fields["langkah[10].keputusan.ya"].message
    assert "1 to 13" in fields["langkah[10].keputusan.ya"].fix
    assert "itself" in fields["langkah[10].keputusan.tidak"].message


def test_second_start_is_unreachable():
    # Step 12 jumped over by a decision: a second entry point nobody reaches.
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][10]["keputusan"] = {"ya": 13, "tidak": 9}
    errs = errors(lint(data))
    assert [e.field for e in errs] == ["langkah[12].keputusan"]
    assert "cannot be reached" in errs[0].message and errs[0].fix


def test_loop_without_way_out():
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][9]["keputusan"] = {"ya": 8, "tidak": 9}
    errs = errors(lint(data))
    trapped = sorted(int(e.field[8:e.field.index("]")]) for e in errs if "never reaches the end" in e.message)
    assert trapped == [10]
    assert any("cannot be reached" in e.message and e.field == "langkah[11].keputusan" for e in errs)


def test_undeclared_pelaksana_suggests_the_close_name():
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][2]["pelaksana"] = "Tiim"
    errs = errors(lint(data))
    assert errs[0].field == "langkah[3].pelaksana"
    assert "'Tiim' is not declared" in errs[0].message and "'Tim'" in errs[0].fix


def test_unreadable_waktu_is_an_error():
    data = seed("000-kediri-diskominfo.yaml")
    data["langkah"][1]["waktu"] = 5  # the seed's column says minutes; the file must say it
    errs = errors(lint(data))
    assert errs[0].field == "langkah[2].waktu" and "menit" in errs[0].fix


def test_activity_starting_with_actor_warns_but_passes():
    data = seed("003-tanjungpinang-diskominfo.yaml")
    data["langkah"][6]["aktivitas"] = "Sekretaris melaporkan hasil pengumpulan data"
    findings = lint(data)
    assert errors(findings) == []
    (w,) = [f for f in findings if f.level == "warning" and f.field.startswith("langkah")]
    assert w.field == "langkah[7].aktivitas" and "Sekretaris" in w.message
    assert "Melaporkan hasil" in w.fix


def test_impossible_date_is_an_error_text_date_is_kept():
    data = seed("001-jeneponto-diskominfostik.yaml")
    data["tanggal_efektif"] = "2023-02-30"
    errs = errors(lint(data))
    assert [(e.field, "YYYY-MM-DD" in e.fix) for e in errs] == [("tanggal_efektif", True)]


@pytest.mark.parametrize("text", ["31 Februari 2021", "30-02-2023", "2023", "18/13/2021"])
def test_impossible_text_dates_are_errors(text):
    # "31 Februari 2021" used to be printed on the sheet as written
    data = seed("001-jeneponto-diskominfostik.yaml")
    data["tanggal_efektif"] = text
    errs = errors(lint(data))
    assert [(e.field, text in e.message) for e in errs] == [("tanggal_efektif", True)]


@pytest.mark.parametrize("text", ["22-11-2026", "22/11/2026", "22 November 2026", "22 november 2026"])
def test_day_first_and_worded_dates_are_printed_the_indonesian_way(ws, tmp_path, text):
    data = seed("000-kediri-diskominfo.yaml")
    data["tanggal_efektif"] = text
    f = tmp_path / "sop.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = make.make(ws, "sop", f, tmp_path / "out")
    body = docx_text(r.docx[0])
    assert "22 November 2026" in body and "22-11-2026" not in body and "22/11/2026" not in body


def test_written_out_pengesah_with_bad_nip_names_only_the_nip(tmp_path):
    data = seed("000-kediri-diskominfo.yaml")
    data["disahkan_oleh"] = {"jabatan": "Kepala", "nama": "X", "nip": "19650125199303100"}  # 17 digits
    f = tmp_path / "nip.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as e:
        make.check(None, "sop", f)
    text = str(e.value)
    assert "1 invalid field(s)" in text and "disahkan_oleh.pengesah.nip" in text and "18 digits" in text
    assert "valid string" not in text


def test_revision_or_effect_before_the_sop_was_made_is_an_error():
    data = seed("000-kediri-diskominfo.yaml")  # made 2021-01-18
    data["tanggal_revisi"] = "2020-12-01"
    errs = errors(lint(data))
    assert [(e.field, "before tanggal_pembuatan (18 Januari 2021)" in e.message) for e in errs] == [
        ("tanggal_revisi", True)]
    data["tanggal_revisi"] = "2022-03-01"
    assert errors(lint(data)) == []


def test_unknown_pejabat_key(ws):
    data = seed("000-kediri-diskominfo.yaml")
    data["disahkan_oleh"] = "walikota"
    errs = errors(lint(data, ws))
    assert errs[0].field == "disahkan_oleh" and "kepala" in errs[0].fix


def test_model_errors_name_file_and_field(tmp_path):
    data = seed("000-kediri-diskominfo.yaml")
    del data["langkah"][2]["aktivitas"]
    data["disahkan_oleh"] = {"nama": "X", "nip": "123"}
    f = tmp_path / "rusak.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as e:
        make.check(None, "sop", f)
    text = str(e.value)
    assert "rusak.yaml" in text and "langkah[3].aktivitas" in text and "18 digits" in text


# --- the DOCX ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """All five seeds built once in one workspace (DOCX only)."""
    from docgen import workspace

    ws = workspace.init(tmp_path_factory.mktemp("sop") / "ws")
    return ws, {p.name[:3]: make.make(ws, "sop", p) for p in SEEDS}


def test_seeds_build_with_distinct_names(built):
    _, results = built
    paths = [r.docx[0] for r in results.values()]
    assert len(set(paths)) == 5 and all(p.is_file() for p in paths)
    assert paths[0].name == "mekanisme-pengumpulan-data-kinerja-000-kediri-diskominfo.docx"
    assert not list(paths[0].parent.glob(".*part*"))  # no temporary left behind


def test_identity_sheet_of_seed_000(built):
    _, results = built
    out = results["000"].docx[0]
    text = docx_text(out)
    for expected in ("067/108/419.113/2021", "18 Januari 2021", "Drs. APIP PERMANA, MM.", "Pembina Utama Muda",
                     "NIP. 19650125 199303 1 008", "Mekanisme Pengumpulan Data Kinerja",
                     "PEMERINTAH KOTA KEDIRI", "DINAS KOMUNIKASI DAN INFORMATIKA", "Nomor SOP",
                     "Tanggal Pembuatan", "Tanggal Efektif", "Disahkan oleh",
                     "Dasar Hukum", "Kualifikasi Pelaksana", "Pencatatan dan Pendataan",
                     "4.\tPeraturan Walikota Nomor 19 Tahun 2011", "1.\tSOP Penyusunan Renstra"):
        assert expected in text, expected
    ident = Document(str(out)).tables[0]
    rows = {r.cells[1].text: r.cells[2].text for r in ident.rows}
    assert rows["Nomor SOP"] == "067/108/419.113/2021"
    assert rows["Tanggal Revisi"] == ""
    assert "{{" not in text and "{%" not in text
    props = render.read_properties(out)
    assert props["docgen.kind"] == "sop" and props["docgen.nomor"] == "067/108/419.113/2021"
    assert props["docgen.id"] == results["000"].doc_ids[0]


def test_foreign_seed_shows_its_own_office(built):
    _, results = built
    text = docx_text(results["001"].docx[0])
    assert "PEMERINTAH KABUPATEN JENEPONTO" in text and "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK" in text
    assert "KEDIRI" not in text and "Pebruari 2023" in text and "NIP. 19840206 201101 1 005" in text
    text4 = docx_text(results["004"].docx[0])
    assert "SUB BAGIAN PENYUSUNAN PROGRAM DAN KEUANGAN" in text4 and "5 Oktober 2023" in text4


def test_steps_total_and_narrative_in_docx(built):
    _, results = built
    out = results["003"].docx[0]
    text = docx_text(out)
    for step in seed("003-tanjungpinang-diskominfo.yaml")["langkah"]:
        assert step["aktivitas"] in text
    assert "Jangka Waktu Penyelesaian: 13 hari 6 jam" in text
    assert "PROSES KEGIATAN SOP MEKANISME PENGUMPULAN DAN PENGUKURAN DATA KINERJA" in text
    assert "G.\tProses Pelaksanaan" in text and "m.\tSub Bagian Perencanaan, Program menyimpan dokumen" in text
    doc = Document(str(out))
    assert all(s.page_width > s.page_height for s in doc.sections)  # landscape throughout
    assert abs(doc.sections[0].page_width - Mm(297)) < Mm(1)


@pytest.mark.parametrize("where", ["file", "config"])
def test_f4_paper(ws, tmp_path, where):
    data = seed("000-kediri-diskominfo.yaml")
    if where == "file":
        data["kertas"] = "F4"
    else:
        ws.config.kertas.ukuran = "F4"  # as docgen.toml [kertas] ukuran = "F4"
    f = tmp_path / "f4.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    doc = Document(str(make.make(ws, "sop", f, tmp_path / "out").docx[0]))
    for sec in doc.sections:  # identity sheet and flowchart
        assert abs(sec.page_width - Mm(330)) < Mm(1) and abs(sec.page_height - Mm(215)) < Mm(1)
    # the identity tables widen with the paper: 300 mm of text width
    grid = doc.tables[0]._tbl.tblGrid
    total_twips = sum(int(g.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
                      for g in grid.gridCol_lst)
    assert abs(total_twips / 56.7 - 300) < 3


def test_unknown_pejabat_writes_nothing(ws, tmp_path):
    data = copy.deepcopy(seed("000-kediri-diskominfo.yaml"))
    data["disahkan_oleh"] = "walikota"
    f = tmp_path / "x.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="walikota"):
        make.make(ws, "sop", f, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- CLI -----------------------------------------------------------------------------

def test_cli_check_and_make_from_a_fresh_workspace(cli, tmp_path):
    code, out, err = cli("init", str(tmp_path / "ws"))
    assert code == 0, err
    code, out, err = cli("check", "sop", "contoh/sop/002-bakesbangpol.yaml", cwd=tmp_path / "ws")
    assert code == 0 and "ok (8 warning(s))" in out and "langkah[7].aktivitas" in err
    code, out, err = cli("make", "sop", "contoh/sop/000-kediri-diskominfo.yaml")
    assert code == 0, err
    assert (tmp_path / "ws" / "keluaran" / "mekanisme-pengumpulan-data-kinerja-000-kediri-diskominfo.docx").is_file()


def test_cli_bad_input_exits_nonzero_without_traceback(cli, ws, tmp_path):
    data = seed("000-kediri-diskominfo.yaml")
    data["langkah"][3]["pelaksana"] = "Kabid"
    bad = tmp_path / "salah.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out_dir = tmp_path / "hasil"
    code, out, err = cli("make", "sop", str(bad), "-o", str(out_dir), cwd=ws.root)
    assert code != 0
    assert "salah.yaml" in err and "langkah[4].pelaksana" in err and "fix:" in err
    assert "Traceback" not in err
    assert not out_dir.exists() or not any(out_dir.iterdir())
    code, out, err = cli("check", "sop", str(bad), cwd=tmp_path)  # no workspace needed to check
    assert code == 1 and "langkah[4].pelaksana: error" in err and "Traceback" not in err


def test_cli_kinds_describes_the_fields(cli):
    code, out, err = cli("kinds")
    assert code == 0
    assert "Standar Operasional Prosedur" in out and "disahkan_oleh" in out and "langkah" in out


# --- the flowchart, as integrated ------------------------------------------------------

_SYMBOLS = {"flowChartTerminator": "terminator", "flowChartProcess": "process", "flowChartDecision": "decision"}


def _symbols_by_step(path: Path, n_actors: int) -> dict[int, tuple[int, str]]:
    """step number -> (actor column, symbol) read from the flowchart tables' rows."""
    found: dict[int, tuple[int, str]] = {}
    for table in Document(str(path)).tables:
        if not any("Aktivitas" in r.cells[1].text for r in table.rows[:2]):
            continue
        for row in table.rows:
            cells = row.cells
            if not cells[0].text.strip().isdigit():
                continue
            for col in range(n_actors):
                xml = cells[2 + col]._tc.xml
                for prst, name in _SYMBOLS.items():
                    if f'prst="{prst}"' in xml:
                        assert int(cells[0].text) not in found, "two symbols for one step"
                        found[int(cells[0].text)] = (col, name)
    return found


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_each_step_has_its_symbol_in_its_actors_column(built, key):
    _, results = built
    src = seed(next(p.name for p in SEEDS if p.name.startswith(key)))
    actors = src["pelaksana"]
    found = _symbols_by_step(results[key].docx[0], len(actors))
    n = len(src["langkah"])
    expected = {}
    for no, step in enumerate(src["langkah"], start=1):
        kind = "terminator" if no in (1, n) else "decision" if step.get("keputusan") else "process"
        expected[no] = (actors.index(step["pelaksana"]), kind)
    assert found == expected


def test_flowchart_headers_name_every_actor(built):
    _, results = built
    src = seed("003-tanjungpinang-diskominfo.yaml")
    tables = [t for t in Document(str(results["003"].docx[0])).tables
              if "Aktivitas" in t.rows[1].cells[1].text]
    assert len(tables) == 2  # two pages of flowchart
    for t in tables:  # seed 003's own sheet: "Uraian Prosedur" over No and Aktivitas, column numbers
        assert [c.text for c in t.rows[1].cells[2:7]] == src["pelaksana"]
        top = [c.text for c in t.rows[0].cells]
        assert top[0] == "Uraian Prosedur" and "Pelaksana" in top and "Mutu Baku" in top
        assert top[-1] == "Keterangan"
        assert [c.text for c in t.rows[1].cells[:2]] == ["No", "Aktivitas"]
        assert [c.text for c in t.rows[1].cells[7:10]] == ["Kelengkapan", "Waktu", "Output"]
        assert [c.text for c in t.rows[2].cells][:3] == ["1", "2", "3"]


def test_failure_while_drawing_leaves_no_file(ws, tmp_path, monkeypatch):
    from docgen.kinds.sop import flowchart

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(flowchart, "add_flowchart", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        make.make(ws, "sop", EXAMPLES / "000-kediri-diskominfo.yaml", out)
    assert not out.exists() or list(out.iterdir()) == []


def test_cli_yaml_syntax_error_names_the_line(cli, ws, tmp_path):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("nama: SOP Uji\npelaksana: [Kepala\nlangkah: []\n", encoding="utf-8")
    code, out, err = cli("check", "sop", str(bad), cwd=ws.root)
    assert code != 0 and "rusak.yaml" in err and "line" in err and "Traceback" not in err


def _pictures(docx: Path) -> list[bytes]:
    """The image bytes of the pictures in the document body, in order."""
    doc = Document(str(docx))
    blips = doc.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    return [doc.part.related_parts[b.get(rid)].blob for b in blips]


def test_another_offices_sop_never_carries_the_workspace_logo(ws, tmp_path, cli):
    import io

    from PIL import Image

    own = make.make(ws, "sop", EXAMPLES / "000-kediri-diskominfo.yaml", tmp_path / "a")
    (pic,) = _pictures(own.docx[0])  # the office's own SOP: its logo from docgen.toml
    with Image.open(io.BytesIO(pic)) as im, Image.open(ws.logo) as want:
        assert im.size == want.size and im.convert("RGB").tobytes() == want.convert("RGB").tobytes()

    # Jeneponto's SOP kept by this office: no logo rather than Kediri's
    other = make.make(ws, "sop", EXAMPLES / "001-jeneponto-diskominfostik.yaml", tmp_path / "b")
    assert _pictures(other.docx[0]) == []
    assert "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK" in docx_text(other.docx[0])

    # ... or that office's own logo, given next to the SOP file
    data = seed("001-jeneponto-diskominfostik.yaml")
    Image.new("RGB", (120, 160), (200, 30, 30)).save(tmp_path / "logo-jeneponto.png")
    data["instansi"]["logo"] = "logo-jeneponto.png"
    f = tmp_path / "jeneponto.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with_logo = make.make(ws, "sop", f, tmp_path / "c")
    (pic,) = _pictures(with_logo.docx[0])
    with Image.open(io.BytesIO(pic)) as im:
        assert im.size == (120, 160) and im.getpixel((5, 5))[:3] == (200, 30, 30)

    data["instansi"]["logo"] = "tidak-ada.png"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = cli("make", "sop", str(f), "-o", str(tmp_path / "d"), cwd=ws.root)
    assert code != 0 and "Traceback" not in err
    assert "jeneponto.yaml: instansi.logo" in err and "tidak-ada.png not found" in err
    assert not (tmp_path / "d").exists() or not list((tmp_path / "d").iterdir())
