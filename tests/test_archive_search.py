"""Search: letter numbers, words, stems, phrases, prefixes, filters; the stemmer and extractors."""

from __future__ import annotations

import pytest

from docgen import archive
from docgen.archive.samples import letter_text, write_pdf
from docgen.archive.stages import classification_of, find_date, find_letter_number
from docgen.archive.stem import stem, stem_text

LETTERS = [
    ("000.5.3.1/15/Diskominfo/2026", "Penyampaian laporan kinerja triwulan III",
     "Bersama ini kami melaporkan capaian kinerja triwulan ketiga.", "22 November 2026"),
    ("000.7.5/3/Diskominfo/2026", "Undangan rapat koordinasi",
     "Mengundang Saudara hadir pada rapat koordinasi pelayanan publik.", "5 Februari 2026"),
    ("067/108/419.113/2021", "Permohonan data statistik",
     "Kami mohon dikirimkan data statistik sektoral tahun 2020.", "3 Maret 2021"),
    ("000.5.3.1/16/Diskominfo/2026", "Nota dinas pelaksanaan kegiatan",
     "Pelaksanaan kegiatan sosialisasi dilaksanakan di aula. Laporan menyusul.", "1 Juni 2026"),
]


@pytest.fixture
def filed(ws, tmp_path):
    files = [write_pdf(tmp_path / f"l{i}.pdf", [letter_text(n, p, b, t)]) for i, (n, p, b, t) in enumerate(LETTERS)]
    results = archive.ingest(ws, files)
    assert [r.status for r in results] == ["filed"] * len(LETTERS)
    return ws


def numbers(hits) -> list[str]:
    return [h.letter_no for h in hits]


def test_pasted_letter_number_finds_exactly_that_letter(filed):
    hits = archive.search(filed, "000.5.3.1/15/Diskominfo/2026")
    assert numbers(hits)[0] == "000.5.3.1/15/Diskominfo/2026" and hits[0].exact
    assert "000.5.3.1/15/Diskominfo/2026" in hits[0].snippet
    # spaces and case as people paste them
    assert numbers(archive.search(filed, " 067/108/419.113/2021 "))[0] == "067/108/419.113/2021"
    assert archive.search(filed, "000.5.3.1/99/Diskominfo/2026") == []


def test_word_search_ranks_and_highlights(filed):
    hits = archive.search(filed, "statistik")
    assert numbers(hits) == ["067/108/419.113/2021"]
    h = hits[0]
    assert [h.snippet[a:b].lower() for a, b in h.marks][:1] == ["statistik"]


def test_inflected_forms_match_the_stem(filed):
    # "laporan" finds the letter that only says "melaporkan" (and those that say "Laporan")
    assert set(numbers(archive.search(filed, "laporan"))) == {
        "000.5.3.1/15/Diskominfo/2026", "000.5.3.1/16/Diskominfo/2026"}
    assert numbers(archive.search(filed, "melaksanakan")) == ["000.5.3.1/16/Diskominfo/2026"]
    assert numbers(archive.search(filed, "layanan")) == ["000.7.5/3/Diskominfo/2026"]
    h = archive.search(filed, "lapor")[0]
    assert any("lapor" in h.snippet[a:b].lower() for a, b in h.marks)
    # meng- before a vowel hides a dropped k: "mengirim" (= kirim) finds "dikirimkan"
    assert numbers(archive.search(filed, "mengirim")) == ["067/108/419.113/2021"]
    assert numbers(archive.search(filed, "kiriman")) == ["067/108/419.113/2021"]


def test_two_words_phrase_and_prefix(filed):
    assert numbers(archive.search(filed, "rapat publik")) == ["000.7.5/3/Diskominfo/2026"]
    assert numbers(archive.search(filed, '"rapat koordinasi"')) == ["000.7.5/3/Diskominfo/2026"]
    assert archive.search(filed, '"koordinasi rapat"') == []
    assert numbers(archive.search(filed, "sosial*")) == ["000.5.3.1/16/Diskominfo/2026"]
    assert set(numbers(archive.search(filed, "kin*"))) == {"000.5.3.1/15/Diskominfo/2026"}


def test_filters(filed):
    assert numbers(archive.search(filed, "", year=2021)) == ["067/108/419.113/2021"]
    assert set(numbers(archive.search(filed, "", classification="000.5"))) == {
        "000.5.3.1/15/Diskominfo/2026", "000.5.3.1/16/Diskominfo/2026"}
    import datetime as dt

    assert numbers(archive.search(filed, "", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 1))) == [
        "000.7.5/3/Diskominfo/2026"]
    assert numbers(archive.search(filed, "laporan", year=2026, classification="000.5.3.1",
                                  date_to=dt.date(2026, 6, 30))) == ["000.5.3.1/16/Diskominfo/2026"]
    assert archive.search(filed, "", signed=True) == []
    assert len(archive.search(filed, "", signed=False)) == 4


def test_very_common_word_is_ranked_within_the_newest_window(filed, monkeypatch):
    import importlib

    search_mod = importlib.import_module("docgen.archive.search")
    assert len(archive.search(filed, "kediri")) == 4  # every letter says Kediri
    monkeypatch.setattr(search_mod, "RANK_WINDOW", 1)  # more matches than the window: newest only
    assert numbers(archive.search(filed, "kediri")) == [LETTERS[-1][0]]


def test_very_common_phrase_is_listed_newest_first(filed, monkeypatch, cli):
    import importlib

    search_mod = importlib.import_module("docgen.archive.search")
    hits = archive.search(filed, '"kota kediri"')
    assert len(hits) == 4 and not any(h.by_date for h in hits)
    monkeypatch.setattr(search_mod, "RANK_WINDOW", 2)
    hits = archive.search(filed, '"kota kediri"')
    assert [h.letter_no for h in hits] == [n for n, *_ in LETTERS[::-1][:2]]
    assert all(h.by_date for h in hits)
    code, out, _ = cli("-W", str(filed.root), "archive", "search", '"kota kediri"')
    assert code == 0 and "newest first" in out


def test_cli_search_shows_numbered_hits(filed, cli):
    code, out, _ = cli("-W", str(filed.root), "archive", "search", "melaporkan", "--tahun", "2026")
    assert code == 0
    assert "000.5.3.1/15/Diskominfo/2026" in out and "067/108" not in out
    code, out, _ = cli("-W", str(filed.root), "archive", "search", "tidakadakatainidimanapun")
    assert code == 1 and "no match" in out


@pytest.mark.parametrize(("forms", "root"), [
    (["laporan", "melaporkan", "pelaporan", "dilaporkan", "laporannya"], "lapor"),
    (["layanan", "pelayanan", "melayani"], "layan"),
    (["pelaksanaan", "melaksanakan", "dilaksanakan"], "laksana"),
    (["kerja", "bekerja", "pekerjaan"], "kerja"),
    (["tulis", "menulis", "tulisan", "ditulis"], "tulis"),
    (["susun", "menyusun", "penyusunan", "disusun"], "susun"),
    (["rencana", "perencanaan", "direncanakan"], "rencana"),
    (["temu", "pertemuan", "bertemu"], "temu"),
])
def test_stemmer_conflates_inflected_forms(forms, root):
    assert {stem(f) for f in forms} == {root}


def test_stemmer_keeps_short_words_numbers_and_domain_words():
    for w in ("dinas", "data", "kota", "2026", "000", "rapat", "pegawai", "informasi"):
        assert stem(w) == w
    assert stem_text("Kami MELAPORKAN 3 kegiatan") == "kami lapor 3 giat"


def test_letter_number_date_and_classification_extraction():
    text = "Ref 067/1/2/2020 lama\nNomor : 000.5.3.1 / 15 / Diskominfo / 2026\nKediri, 22 November 2026"
    assert find_letter_number(text) == "000.5.3.1/15/Diskominfo/2026"  # the labelled one wins
    assert find_letter_number("lihat 060/301/5-16.01/2025 dan lainnya") == "060/301/5-16.01/2025"
    assert find_letter_number("tanggal 12/11/2026 saja") == ""
    assert find_letter_number("Nomor: 800/12/XI/2026") == "800/12/XI/2026"
    assert classification_of("000.5.3.1/15/Diskominfo/2026") == "000.5.3.1"
    assert find_date(text) == "2026-11-22"
    assert find_date("31 Februari 2026 dan 1 Maret 2026") == "2026-03-01"
