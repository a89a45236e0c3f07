"""Every DOCX docgen writes validates against the Office schemas (openxml-audit), so Word
opens it without its "repair" dialog: the shipped templates, every kind made from its
example, the SOP sheets of the seeds and of the other procedures, the laporan."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

from docgen import make
from docgen.collect import collect

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOPS = sorted((EXAMPLES / "sop").glob("*.yaml")) + sorted((ROOT / "tests/fixtures/sop_lain").glob("*.yaml"))
KINDS = ["berita-acara", "disposisi", "nota-dinas", "permintaan-data", "surat-dinas", "surat-keputusan",
         "surat-pengantar", "surat-tugas", "surat-undangan"]


def errors(path: Path) -> list[str]:
    result = OpenXmlValidator(max_errors=0).validate(str(path))
    return [f"{path.name}: {e}" for e in result.errors]


@pytest.mark.parametrize("template", sorted((ROOT / "templates").glob("*.docx")), ids=lambda p: p.stem)
def test_shipped_template_is_schema_valid(template):
    assert errors(template) == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_schema_valid(ws, tmp_path, kind):
    r = make.make(ws, kind, EXAMPLES / f"{kind}.yaml", tmp_path / "out")
    assert r.docx
    for docx in r.docx:
        assert errors(docx) == []


@pytest.mark.parametrize("source", SOPS, ids=lambda p: p.stem)
def test_sop_sheet_is_schema_valid(ws, tmp_path, source):
    r = make.make(ws, "sop", source, tmp_path / "out")
    assert errors(r.docx[0]) == []


def test_laporan_is_schema_valid(ws, tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_collect import GOOD_IKP, fill_docx, issue_form

    mi = issue_form(ws, "ikp")
    fill_docx(mi, GOOD_IKP, tmp_path / "masuk" / "bidang-ikp.docx")
    collect(ws, [tmp_path / "masuk"])
    r = make.make(ws, "laporan", EXAMPLES / "laporan.yaml", tmp_path / "out")
    assert errors(r.docx[0]) == []


def test_validator_sees_the_faults_we_fixed(tmp_path):
    """The check can fail: tblBorders after tblLayout is reported."""
    import zipfile

    src = ROOT / "templates" / "sop.docx"
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                start, end = text.index("<w:tblBorders>"), text.index("</w:tblBorders>") + 15
                borders = text[start:end]
                text = text[:start] + text[end:]
                text = text.replace("</w:tblPr>", borders + "</w:tblPr>", 1)
                data = text.encode()
            zout.writestr(item, data)
    assert any("tblBorders" in e for e in errors(bad))
