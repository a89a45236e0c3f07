"""The SOP sheet's labels and header rows as settings ([sop] in docgen.toml, or the SOP's
own `lembar`), and the warnings about an identity sheet left blank."""

from __future__ import annotations

from pathlib import Path

import yaml
from docx import Document

from docgen import make
from docgen.kinds.sop.lint import check
from docgen.kinds.sop.model import Sop

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sop"


def _seed(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    f = tmp_path / "sop.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return f


def _rows(doc: Document, table: int) -> list[list[str]]:
    out = []
    for r in doc.tables[table].rows:
        cells = []
        for c in r.cells:  # merged cells repeat: keep each once
            if not cells or cells[-1] is not c:
                cells.append(c)
        out.append([c.text.strip() for c in cells])
    return out


def test_seed_003_prints_its_own_labels_heading_group_header_and_column_numbers(ws, tmp_path):
    r = make.make(ws, "sop", EXAMPLES / "003-tanjungpinang-diskominfo.yaml", tmp_path / "out")
    doc = Document(r.docx[0])
    heading = [p.text for p in doc.paragraphs[:6] if p.text.strip()]
    assert heading[:4] == ["PEMERINTAH KOTA TANJUNGPINANG", "DINAS KOMUNIKASI DAN INFORMATIKA",
                           "PROSEDUR BAKU PELAKSANAAN KEGIATAN", "STANDAR OPERASIONAL PROSEDUR (SOP)"]
    assert heading[4] == "MEKANISME PENGUMPULAN DAN PENGUKURAN DATA KINERJA"
    identity = " | ".join(c.text for row in doc.tables[0].rows for c in row.cells)
    assert "Tanggal Pengesahan" in identity and "Tanggal Efektif" not in identity
    flow = _rows(doc, 2)  # identity, lists, first flowchart page
    assert flow[0][:2] == ["Uraian Prosedur", "Pelaksana"]
    assert flow[1][:3] == ["No", "Aktivitas", "Pimpinan SKPD"]
    assert flow[2] == [str(i) for i in range(1, 5 + 6 + 1)]  # 5 pelaksana: columns 1..11
    assert flow[3][0] == "1"
    # every flowchart page repeats the three header rows
    assert len(doc.tables) > 3
    for i in range(2, len(doc.tables)):
        assert _rows(doc, i)[2][:3] == ["1", "2", "3"]


def test_office_settings_apply_to_its_own_sops(ws, tmp_path):
    ws.config.sop.label_tanggal_efektif = "Tanggal Pengesahan"  # as docgen.toml [sop]
    ws.config.sop.kelompok_uraian = "Uraian Prosedur"
    r = make.make(ws, "sop", EXAMPLES / "000-kediri-diskominfo.yaml", tmp_path / "out")
    doc = Document(r.docx[0])
    identity = " | ".join(c.text for row in doc.tables[0].rows for c in row.cells)
    assert "Tanggal Pengesahan" in identity
    flow = _rows(doc, 2)
    assert flow[0][0] == "Uraian Prosedur" and flow[1][:2] == ["No", "Aktivitas"]
    assert flow[2][0] == "1" and flow[2][1] != "2"  # no column-number row unless asked


def test_defaults_keep_the_two_row_header_and_tanggal_efektif(ws, tmp_path):
    r = make.make(ws, "sop", EXAMPLES / "000-kediri-diskominfo.yaml", tmp_path / "out")
    doc = Document(r.docx[0])
    identity = " | ".join(c.text for row in doc.tables[0].rows for c in row.cells)
    assert "Tanggal Efektif" in identity
    flow = _rows(doc, 2)
    assert flow[0][:3] == ["No", "Aktivitas", "Pelaksana"]


def test_check_warns_about_an_empty_identity(ws, tmp_path):
    data = _seed("000-kediri-diskominfo.yaml")
    data.update(nomor="", disahkan_oleh=None, tanggal_efektif=None)
    found = check(ws, Sop.model_validate(data))
    warned = {f.field for f in found if f.level == "warning"}
    assert {"nomor", "disahkan_oleh", "tanggal_efektif"} <= warned
    assert not [f for f in found if f.level == "error"]  # a draft still builds
    data["lembar"] = {"label_tanggal_efektif": "Tanggal Pengesahan"}
    msgs = [f.message for f in check(ws, Sop.model_validate(data)) if f.field == "tanggal_efektif"]
    assert any("Tanggal Pengesahan" in m for m in msgs)


def test_cli_check_names_the_empty_fields(ws, tmp_path, cli):
    data = _seed("000-kediri-diskominfo.yaml")
    data.update(nomor="", disahkan_oleh=None)
    code, out, err = cli("check", "sop", str(_write(tmp_path, data)), cwd=ws.root)
    assert code == 0
    text = out + err
    assert "Nomor SOP is empty" in text and "Disahkan oleh is empty" in text
