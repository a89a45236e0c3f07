"""collect refuses zip bombs from the zip directory, before any XML is parsed."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from docgen.collect import reader
from docgen.collect.bombs import docx_bomb
from docgen.errors import InputError


def test_a_docx_bomb_is_refused_naming_the_file_and_the_part(tmp_path):
    bomb = docx_bomb(tmp_path / "isian-bidang.docx", 200 * 1024 * 1024)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(InputError) as exc:
        reader.read_form(bomb)
    msg = str(exc.value)
    assert "isian-bidang.docx" in msg and "word/document.xml" in msg and "zip bomb" in msg
    assert exc.value.fix


def test_refusal_stays_small_in_memory(tmp_path):
    """Peak RSS of a fresh process reading the bomb (imports included) stays under 200 MB."""
    bomb = docx_bomb(tmp_path / "bom.docx", 300 * 1024 * 1024)
    # A forked child starts with its parent's peak RSS (the pytest worker's, hundreds of MB)
    # and exec keeps it: on Linux the peak is reset through /proc/self/clear_refs first.
    child = ("import json, resource, sys\n"
             "from docgen.collect.reader import read_form\n"
             "from docgen.errors import InputError\n"
             "from pathlib import Path\n"
             "proc = Path('/proc/self/clear_refs')\n"
             "if proc.exists():\n    proc.write_text('5')\n"
             "try:\n    read_form(sys.argv[1]); said = 'read'\n"
             "except InputError as e:\n    said = str(e)\n"
             "if proc.exists():\n"
             "    hwm = [ln for ln in Path('/proc/self/status').read_text().splitlines() if ln.startswith('VmHWM')]\n"
             "    peak = int(hwm[0].split()[1])\n"
             "else:\n    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
             "print(json.dumps([said, peak]))\n")
    if sys.platform == "win32":
        pytest.skip("resource is POSIX")
    out = subprocess.run([sys.executable, "-c", child, str(bomb)], capture_output=True, text=True, check=True)
    said, maxrss_kib = json.loads(out.stdout)
    assert "zip bomb" in said
    assert maxrss_kib / 1024 < 200, maxrss_kib


def test_ratio_and_member_count_limits(tmp_path):
    ratio = docx_bomb(tmp_path / "rasio.xlsx", 20 * 1024 * 1024)  # below the size limit
    with pytest.raises(InputError, match="compressed .* to 1"):
        reader.read_form(ratio)
    many = tmp_path / "banyak.xlsx"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(reader.ZIP_MAX_MEMBERS + 1):
            z.writestr(f"xl/x{i}.xml", b"")
    with pytest.raises(InputError, match="parts"):
        reader.read_form(many)


def test_total_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "ZIP_MAX_TOTAL", 3 * 1024 * 1024)
    f = tmp_path / "total.docx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(4):
            z.writestr(f"word/m{i}.xml", bytes(range(256)) * 4096)  # 1 MiB each, ratio ~ 100
    with pytest.raises(InputError, match="would unpack to 4 MiB"):
        reader.read_form(f)


def test_a_normal_form_still_reads(tmp_path):
    from docx import Document

    d = Document()
    d.add_paragraph("Formulir")
    p = tmp_path / "biasa.docx"
    d.save(str(p))
    form = reader.read_form(Path(p))
    assert form.format == "docx"
