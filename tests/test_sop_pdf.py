"""SOP through real LibreOffice: the five seeds as PDF, read back as a user sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from docgen import convert, make

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "sop"
SEEDS = sorted(EXAMPLES.glob("*.yaml"))


def _flat(text: str) -> str:
    # Table cells wrap lines anywhere: compare without whitespace.
    return "".join(text.split())


def _in_cell_text(needle: str, text: str) -> bool:
    """True when ``needle`` is in the PDF text as a cell shows it: the text extractor
    interleaves the lines of neighbouring cells (Kelengkapan, Waktu ...), so accept
    the characters in order, starting with the first word, within a short span."""
    needle, text = _flat(needle), _flat(text)
    head = needle[:8]
    start = text.find(head)
    while start != -1:
        pos = start
        for ch in needle:
            pos = text.find(ch, pos)
            if pos == -1:
                break
            pos += 1
        if pos != -1 and pos - start <= 2 * len(needle) + 120:
            return True
        start = text.find(head, start + 1)
    return False


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, soffice):
    """The five seeds built and converted in one LibreOffice call."""
    from docgen import workspace

    ws = workspace.init(tmp_path_factory.mktemp("sop-pdf") / "ws")
    docx = {p.name[:3]: make.make(ws, "sop", p).docx[0] for p in SEEDS}
    out = convert.convert(list(docx.values()))
    return dict(zip(docx, out, strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_every_aktivitas_is_in_the_pdf(pdfs, key):
    reader = PdfReader(str(pdfs[key]))
    assert len(reader.pages) >= 2  # identity sheet, then the flowchart
    text = "\n".join(p.extract_text() for p in reader.pages)
    src = yaml.safe_load(next(EXAMPLES.glob(f"{key}-*.yaml")).read_text(encoding="utf-8"))
    for no, step in enumerate(src["langkah"], start=1):
        assert _in_cell_text(step["aktivitas"], text), f"step {no} missing"
    assert _in_cell_text(src["nama"], text)
    first = _flat(reader.pages[0].extract_text())
    assert "NomorSOP" in first and "DasarHukum" in first and "PencatatandanPendataan" in first


@pytest.mark.slow
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_no_blank_pages(pdfs, key):
    reader = PdfReader(str(pdfs[key]))
    for i, page in enumerate(reader.pages, start=1):
        assert page.extract_text().strip(), f"page {i} is blank"


@pytest.mark.slow
def test_page_counts(pdfs):
    # identity sheet on one page; 6 steps on one flowchart page; seed 003: two
    # flowchart pages and the Proses Kegiatan narrative on its own page.
    assert len(PdfReader(str(pdfs["000"])).pages) == 2
    assert len(PdfReader(str(pdfs["003"])).pages) == 4


@pytest.mark.slow
def test_seed_003_pdf_states_the_total_and_properties(pdfs):
    reader = PdfReader(str(pdfs["003"]))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Jangka Waktu Penyelesaian: 13 hari 6 jam" in text
    assert "PROSES KEGIATAN" in text
    props = convert.read_pdf_properties(pdfs["003"])
    assert props.get("docgen.kind") == "sop" and props.get("docgen.nomor") == "060/301/5-16.01/2025"
    # landscape pages
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)


@pytest.mark.slow
def test_cli_make_pdf_from_contoh(cli, tmp_path, soffice):
    code, _, err = cli("init", str(tmp_path / "ws"))
    assert code == 0, err
    code, out, err = cli("make", "sop", "contoh/sop/001-jeneponto-diskominfostik.yaml", "--pdf",
                         cwd=tmp_path / "ws")
    assert code == 0, err
    pdf = Path(next(line for line in out.splitlines() if line.endswith(".pdf")))
    assert pdf.suffix == ".pdf" and pdf.is_file()
    text = PdfReader(str(pdf)).pages[0].extract_text()
    assert "PEMERINTAH KABUPATEN JENEPONTO" in text and "19840206 201101 1 005" in text


def _generated(n: int, n_actors: int) -> dict:
    actors = [f"Pelaksana Nomor {i + 1}" for i in range(n_actors)]
    steps = []
    for i in range(1, n + 1):
        step = {"aktivitas": f"Menyiapkan berkas kegiatan nomor {i} untuk diperiksa",
                "pelaksana": actors[(i * 3) % n_actors], "waktu": "1 jam", "output": f"Berkas {i}"}
        if 3 <= i < n and i % 6 == 0:
            step["keputusan"] = {"ya": i + 1, "tidak": i - 2, "label_ya": "Lengkap", "label_tidak": "Tidak lengkap"}
        steps.append(step)
    return {"nama": f"Uji {n} Langkah", "pelaksana": actors, "langkah": steps}


@pytest.mark.slow
def test_short_and_long_generated_sops(ws, tmp_path, soffice):
    docx = []
    for n, k in ((3, 2), (40, 8)):
        f = tmp_path / f"uji-{n}.yaml"
        f.write_text(yaml.safe_dump(_generated(n, k), allow_unicode=True), encoding="utf-8")
        # generated flows have no identity (nomor, pengesah, dates): only those warnings
        identity = {"nomor", "disahkan_oleh", "tanggal_pembuatan", "tanggal_efektif"}
        assert [x for x in make.check(ws, "sop", f) if x.field not in identity] == []
        docx.append(make.make(ws, "sop", f, tmp_path / "out").docx[0])
    short, long_ = convert.convert(docx)
    for pdf, n in ((short, 3), (long_, 40)):
        reader = PdfReader(str(pdf))
        text = "\n".join(p.extract_text() for p in reader.pages)
        for i in range(1, n + 1):
            assert _in_cell_text(f"Menyiapkan berkas kegiatan nomor {i} untuk diperiksa", text), (n, i)
        assert f"Jangka Waktu Penyelesaian: {n} jam" in text
        assert all(p.extract_text().strip() for p in reader.pages)
    assert len(PdfReader(str(short)).pages) == 2
    assert len(PdfReader(str(long_)).pages) >= 4  # 40 steps do not fit on fewer than 3 flowchart pages
