"""The register of letter numbers: formats, scopes, year change, voids, reservations."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from docgen import workspace
from docgen.config import Penomoran
from docgen.errors import ConfigError, InputError
from docgen.register import Register
from docgen.register import nomor as nomor_mod

pytestmark = pytest.mark.usefixtures("backend")  # every test on SQLite and on PostgreSQL


class Clock:
    """A frozen, movable 'today'."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f'"{v}"' if isinstance(v, str) else str(v)


def set_penomoran(ws, **values) -> workspace.Workspace:
    """Rewrite [penomoran] in the workspace's docgen.toml and reload it, as a user would."""
    cfg = ws.config_file
    lines = cfg.read_text(encoding="utf-8").splitlines()
    start = lines.index("[penomoran]")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("["))
    body = [f"{k} = {toml_value(v)}" for k, v in values.items()]
    cfg.write_text("\n".join(lines[: start + 1] + body + [""] + lines[end:]) + "\n", encoding="utf-8")
    return workspace.load(ws.root)


def reg(ws, day=dt.date(2026, 11, 22)) -> Register:
    return Register.for_workspace(ws, today=Clock(day))


# --- number formats (pure) ---------------------------------------------------------

@pytest.mark.parametrize(
    "template,padding,klas,urut,unit,day,expected",
    [
        ("{klasifikasi}/{urut}/{unit}/{tahun}", 0, "000.5.3.1", 15, "Diskominfo", dt.date(2026, 11, 22),
         "000.5.3.1/15/Diskominfo/2026"),
        ("{klasifikasi}/{urut}/{unit}/{tahun}", 0, "067", 108, "419.113", dt.date(2021, 3, 1),
         "067/108/419.113/2021"),
        ("{klasifikasi}/{urut}/{unit}/{tahun}", 0, "065", 111, "416-317", dt.date(2023, 5, 2),
         "065/111/416-317/2023"),
        ("{klasifikasi}/{urut}/{unit}/{tahun}", 0, "060", 301, "5-16.01", dt.date(2025, 1, 9),
         "060/301/5-16.01/2025"),
        ("{klasifikasi}/{urut}/{unit}/{bulan_romawi}/{tahun}", 3, "000.7.5", 7, "Bappeda",
         dt.date(2026, 11, 3), "000.7.5/007/Bappeda/XI/2026"),
        ("{urut:04d}/{klasifikasi}/{unit}/{bulan:02d}.{tahun}", 0, "800", 42, "BKD", dt.date(2026, 4, 1),
         "0042/800/BKD/04.2026"),
        ("{klasifikasi}/{urut}/{unit}", 2, "000.1", 5, "Kec.Mojoroto", dt.date(2026, 9, 30),
         "000.1/05/Kec.Mojoroto"),
    ],
)
def test_format_tokens(template, padding, klas, urut, unit, day, expected):
    fmt = nomor_mod.parse(template, padding)
    assert fmt.render(klasifikasi=klas, urut=urut, unit=unit, tanggal=day) == expected


@pytest.mark.parametrize(
    "template,lingkup,says",
    [
        ("{klasifikasi}/{nomor}/{tahun}", "tahun", "unknown token {nomor}"),
        ("{klasifikasi}/{unit}/{tahun}", "tahun", "no {urut}"),
        ("{klasifikasi}/{urut}/{tahun", "tahun", "not a valid template"),
        ("{klasifikasi}/{urut:zz}/{tahun}", "tahun", "cannot be filled in"),
        ("{urut}/{unit}/{tahun}", "tahun-klasifikasi", "has no {klasifikasi}"),
        ("{}/{urut}", "tahun", "empty token"),
    ],
)
def test_bad_format_is_refused_with_a_fix(template, lingkup, says):
    with pytest.raises(nomor_mod.FormatProblem) as e:
        nomor_mod.parse(template, 0, lingkup)
    assert says in str(e.value) and e.value.fix


def test_bad_format_in_config_names_file_field_and_fix(ws):
    ws = set_penomoran(ws, format="{klasifikasi}/{no}/{tahun}")
    with pytest.raises(ConfigError) as e:
        Register.for_workspace(ws)
    text = str(e.value)
    assert "docgen.toml" in text and "penomoran.format" in text and "{no}" in text and "fix:" in text
    assert "{urut}" in text  # the fix lists the known tokens


# --- taking numbers ----------------------------------------------------------------

def test_take_numbers_in_sequence_with_workspace_unit(ws):
    r = reg(ws)
    a = r.take(klasifikasi="000.5.3.1", perihal="Penyampaian Laporan", tujuan="Inspektorat")
    b = r.take(klasifikasi="000.7.5", perihal="Data Kinerja", tujuan="Bappeda")
    unit = ws.config.kop.kode_unit
    assert a.nomor == f"000.5.3.1/1/{unit}/2026" and a.urut == 1 and a.status == "terbit"
    assert b.nomor == f"000.7.5/2/{unit}/2026"
    assert a.tanggal == dt.date(2026, 11, 22) and a.tujuan == "Inspektorat"
    assert [e.nomor for e in r.list()] == [a.nomor, b.nomor]
    assert r.get(a.nomor) == a
    assert reg(ws).get(b.nomor) == b  # persisted: a new process sees it


def test_year_change_restarts_at_one(ws):
    clock = Clock(dt.date(2026, 12, 31))
    r = Register.for_workspace(ws, today=clock)
    for _ in range(3):
        last = r.take(klasifikasi="000.7.5", perihal="Akhir tahun")
    assert last.urut == 3 and last.tahun == 2026
    clock.day = dt.date(2027, 1, 1)
    first = r.take(klasifikasi="000.7.5", perihal="Awal tahun")
    assert first.urut == 1 and first.tahun == 2027 and first.nomor.endswith("/1/Diskominfo/2027")
    assert [e.urut for e in r.list(tahun=2026)] == [1, 2, 3]
    assert [e.urut for e in r.list(tahun=2027)] == [1]


def test_scope_per_klasifikasi(ws):
    r = reg(set_penomoran(ws, lingkup="tahun-klasifikasi"))
    got = [r.take(klasifikasi=k, perihal="x").nomor for k in ("000.7.5", "000.7.5", "800", "000.7.5", "800")]
    assert [n.split("/")[:2] for n in got] == [
        ["000.7.5", "1"], ["000.7.5", "2"], ["800", "1"], ["000.7.5", "3"], ["800", "2"]]


def test_scope_per_unit(ws):
    r = reg(set_penomoran(ws, lingkup="tahun-unit"))
    got = [r.take(klasifikasi="000.7.5", perihal="x", unit=u).nomor for u in ("Sekretariat", "Bid.IKP", "Sekretariat")]
    assert got == ["000.7.5/1/Sekretariat/2026", "000.7.5/1/Bid.IKP/2026", "000.7.5/2/Sekretariat/2026"]


def test_padding_and_roman_month_from_config(ws):
    r = reg(set_penomoran(ws, format="{klasifikasi}/{urut}/{unit}/{bulan_romawi}/{tahun}", padding=3),
            day=dt.date(2026, 8, 17))
    assert r.take(klasifikasi="000.7.5", perihal="x").nomor == "000.7.5/001/Diskominfo/VIII/2026"


def test_void_is_listed_and_never_reused(ws):
    r = reg(ws)
    a = r.take(klasifikasi="000.7.5", perihal="Salah kirim")
    v = r.void(a.nomor, "salah tujuan")
    assert v.status == "batal" and v.alasan == "salah tujuan" and v.batal
    b = r.take(klasifikasi="000.7.5", perihal="Pengganti")
    assert b.urut == 2 and b.nomor != a.nomor
    assert [(e.urut, e.status) for e in r.list()] == [(1, "batal"), (2, "terbit")]
    with pytest.raises(InputError, match="already void"):
        r.void(a.nomor, "lagi")
    with pytest.raises(InputError, match="needs a reason"):
        r.void(b.nomor, "  ")
    with pytest.raises(InputError, match="void"):
        r.confirm(a.nomor)


def test_reserve_then_confirm(ws):
    r = reg(ws)
    d = r.reserve(klasifikasi="000.7.5", perihal="Draf", doc_id="abc123")
    assert d.status == "dipesan"
    nxt = r.take(klasifikasi="000.7.5", perihal="Lain")
    assert nxt.urut == d.urut + 1  # a reservation holds its number
    c = r.confirm(d.nomor)
    assert c.status == "terbit" and c.nomor == d.nomor and c.urut == 1
    assert r.find_by_doc_id("abc123") == c
    assert r.find_by_doc_id("nope") is None
    with pytest.raises(InputError, match="not in the register"):
        r.confirm("000.7.5/99/Diskominfo/2026")


def test_taking_with_failure_consumes_no_number(ws):
    r = reg(ws)
    with pytest.raises(RuntimeError), r.taking(klasifikasi="000.7.5", perihal="Gagal render") as e:
        assert e.urut == 1
        raise RuntimeError("render failed")
    assert r.list() == []
    with r.taking(klasifikasi="000.7.5", perihal="Berhasil", jenis="surat-pengantar", doc_id="d1") as e:
        pass
    assert e.urut == 1 and r.find_by_doc_id("d1").nomor == e.nomor


def test_unknown_code_refused_unless_allowed(ws):
    r = reg(ws)
    with pytest.raises(InputError) as e:
        r.take(klasifikasi="999.9.9", perihal="x")
    text = str(e.value)
    assert "klasifikasi" in text and "docgen codes search" in text
    assert r.list() == []
    allowed = reg(set_penomoran(ws, izinkan_kode_lain=True))
    assert allowed.take(klasifikasi="999.9.9", perihal="x").nomor.startswith("999.9.9/1/")


def test_empty_perihal_refused(ws):
    r = reg(ws)
    with pytest.raises(InputError, match="perihal"):
        r.take(klasifikasi="000.7.5", perihal=" ")
    assert r.list() == []


def test_tanggal_sets_the_year(ws):
    r = reg(ws)
    e = r.take(klasifikasi="000.7.5", perihal="x", tanggal=dt.date(2025, 12, 30))
    assert e.tahun == 2025 and e.nomor.endswith("/2025")


@pytest.mark.sqlite_only
def test_not_a_database_is_a_config_error(ws):
    ws.register_db.write_text("not sqlite at all, just text " * 50, encoding="utf-8")
    with pytest.raises(ConfigError, match="paths.register_db"):
        reg(ws).list()


@pytest.mark.sqlite_only
def test_register_without_workspace_uses_defaults(tmp_path):
    r = Register(tmp_path / "r.sqlite", Penomoran(padding=2), unit="419.113", today=Clock(dt.date(2021, 1, 4)))
    assert r.take(klasifikasi="000.7.5", perihal="x").nomor == "000.7.5/01/419.113/2021"
    con = sqlite3.connect(tmp_path / "r.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_one_register_shared_by_threads(ws):
    # The archive watcher looks entries up from its observer thread.
    import threading

    r = reg(ws)
    first = r.take(klasifikasi="000.7.5", perihal="utama", doc_id="d0")
    got, errors = [], []

    def work(i: int) -> None:
        try:
            got.append(r.take(klasifikasi="000.7.5", perihal=f"thread {i}").urut)
            assert r.find_by_doc_id("d0") == first
        except Exception as exc:  # reported below: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(got) == list(range(2, 10))
