"""Classification codes: the shipped Permendagri 83/2022 table, office overrides, search."""

from __future__ import annotations

import pytest

from docgen import workspace
from docgen.errors import ConfigError, InputError
from docgen.register import Register
from docgen.register import codes as codes_mod


def use_own_table(ws, csv_text: str, name: str = "kode-kantor.csv") -> workspace.Workspace:
    (ws.root / name).write_text(csv_text, encoding="utf-8")
    cfg = ws.config_file
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('klasifikasi = ""', f'klasifikasi = "{name}"', 1),
                   encoding="utf-8")
    ws = workspace.load(ws.root)
    assert ws.config.penomoran.klasifikasi == name
    return ws


def test_shipped_table_is_loaded_once():
    table = codes_mod.shipped()
    assert len(table) == 2985
    assert table["000.5.3.1"].startswith("Penciptaan")
    assert codes_mod.shipped() is table
    assert codes_mod.table(None) is table


def test_search_by_words_and_by_prefix():
    table = codes_mod.shipped()
    by_words = dict(codes_mod.search(table, "buku AGENDA"))
    assert "000.5.3.1" in by_words and all("agenda" in u.lower() for u in by_words.values())
    by_prefix = [k for k, _ in codes_mod.search(table, "000.5.3")]
    assert by_prefix[0] == "000.5.3" and "000.5.3.1" in by_prefix
    assert all(k == "000.5.3" or k.startswith("000.5.3.") for k in by_prefix)
    assert "000.5.30" not in by_prefix
    assert codes_mod.search(table, "tidak ada kode seperti ini") == []


def test_office_table_corrects_and_extends(ws):
    ws = use_own_table(ws, 'kode,uraian\n000.7.5,"Pemantauan, evaluasi dan pelaporan kinerja"\n'
                           "000.99.1,Kode khusus kantor\n")
    table = codes_mod.table(ws)
    assert table["000.7.5"] == "Pemantauan, evaluasi dan pelaporan kinerja"
    assert table["000.99.1"] == "Kode khusus kantor" and len(table) == 2986
    reg = Register.for_workspace(ws)
    assert reg.take(klasifikasi="000.99.1", perihal="x").nomor.startswith("000.99.1/1/")


@pytest.mark.parametrize(
    "csv_text,says",
    [
        ("code;desc\n000.1;x\n", "line 1"),
        ("kode,uraian\n000.1,Satu\n000.2,Dua,tiga\n", "line 3: expected 2 columns"),
        ("kode,uraian\n000.1,Satu\n\nA.B,Salah\n", "line 4: 'A.B' is not a classification code"),
        ("kode,uraian\n000.1,\n", "line 2: code 000.1 has no uraian"),
    ],
)
def test_bad_office_csv_names_the_line(ws, csv_text, says):
    ws = use_own_table(ws, csv_text)
    with pytest.raises(InputError) as e:
        Register.for_workspace(ws)
    assert says in str(e.value) and "kode-kantor.csv" in str(e.value) and "fix:" in str(e.value)


def test_missing_office_csv_is_a_config_error(ws):
    ws = use_own_table(ws, "kode,uraian\n")
    (ws.root / "kode-kantor.csv").unlink()
    with pytest.raises(ConfigError, match="penomoran.klasifikasi"):
        codes_mod.table(ws)


def test_cli_codes_search(cli, ws):
    code, out, err = cli("codes", "search", "buku", "agenda", cwd=ws.root)
    assert code == 0, err
    assert "000.5.3.1" in out and "Buku Agenda" in out
    code, out, _ = cli("codes", "search", "000.8.3", cwd=ws.root)
    assert code == 0 and "000.8.3.3" in out


def test_cli_codes_search_without_match(cli, ws):
    code, out, err = cli("codes", "search", "qwertyuiop", cwd=ws.root)
    assert code == 1 and "no code matches 'qwertyuiop'" in err and out == ""


def test_cli_codes_search_shows_where_a_repeated_uraian_belongs(cli, ws):
    # "Pelaporan" is the uraian of several codes: without the parent heading a clerk cannot choose
    code, out, err = cli("codes", "search", "pelaporan", cwd=ws.root)
    assert code == 0 and "Bagian dari" in out
    line = next(ln for ln in out.splitlines() if "000.6.5.7" in ln)
    assert "Umum › Persandian › Layanan Sertifikasi Elektronik" in line


def test_cli_codes_search_empty_words(cli, ws):
    code, out, err = cli("codes", "search", " ", cwd=ws.root)
    assert code == 1 and "give words of the uraian or a code prefix" in err and "no code matches" not in err
