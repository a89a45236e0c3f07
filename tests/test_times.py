"""The archive and verify show times in the office's time zone (docgen.toml [tte]
zona_waktu), as the signature stamp prints them."""

from __future__ import annotations

import datetime as dt
import re

from test_sign import BLOCK, make_pdf  # tests/ is on sys.path

from docgen import office, workspace
from docgen.config import Tte
from docgen.sign.demo_keys import enable_demo_signer


def test_a_time_in_the_offices_zone():
    utc = dt.datetime(2026, 11, 22, 2, 15, tzinfo=dt.UTC)
    assert Tte(zona_waktu="WIB").waktu(utc) == "22 November 2026 09:15 WIB"
    assert Tte(zona_waktu="WITA").waktu(utc.isoformat()) == "22 November 2026 10:15 WITA"
    assert Tte(zona_waktu="WIT").waktu("2026-11-21T23:30:00+07:00") == "22 November 2026 01:30 WIT"
    assert Tte(zona_waktu="WIT").waktu("") == "" and Tte().waktu("kemarin") == "kemarin"


def test_archive_show_and_verify_in_wita(ws, cli, monkeypatch):
    monkeypatch.delenv("DOCGEN_WORKSPACE", raising=False)
    ws.config_file.write_text(office.set_value(ws.config_file.read_text(encoding="utf-8"),
                                               "tte", "zona_waktu", "WITA"), encoding="utf-8")
    ws = workspace.load(ws.root)
    key = enable_demo_signer(ws, "kepala")
    lines = [(x, y, s, ws.pejabat("kepala").nama if i == 2 else t) for i, (x, y, s, t) in enumerate(BLOCK)]
    pdf = make_pdf(ws.root / "surat.pdf", [lines])
    w = ("-W", str(ws.root))
    code, out, err = cli(*w, "sign", str(pdf), "--signer", "kepala",
                         env={key.passphrase_env: key.passphrase})
    assert code == 0, err
    signed = pdf.with_name("surat-ttd.pdf")
    code, out, err = cli(*w, "verify", str(signed))
    assert re.search(r"signed at: \d{1,2} \w+ 20\d\d \d\d:\d\d WITA", out), out
    code, out, err = cli(*w, "archive", "ingest", str(signed))
    assert code == 0, out + err
    code, out, err = cli(*w, "archive", "show", "1")
    assert code == 0, err
    assert re.search(r"filed_at\s+\d{1,2} \w+ 20\d\d \d\d:\d\d WITA", out), out
    assert re.search(r"at \d{1,2} \w+ 20\d\d \d\d:\d\d WITA: intact=True", out), out
    assert "+00:00" not in out and "+07:00" not in out
