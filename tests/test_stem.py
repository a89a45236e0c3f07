"""The archive's stemmer: the measured word families, the decisions, and what search finds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from docgen import archive
from docgen.archive.catalog import CATALOG_NAME, INDEX_VERSION, Catalog
from docgen.archive.samples import letter_text, write_pdf
from docgen.archive.stem import VERSION, stem

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stemset  # noqa: E402


def test_word_families_meet_the_goals():
    s = stemset.score(stem)
    assert s.families >= 300
    assert s.conflated_pct >= 95, [st for _, st in s.split]
    assert s.false_pct <= 2, s.collisions


@pytest.mark.parametrize("words", [
    ["berjalan", "perjalanan", "menjalankan", "jalan"],      # "berjal" vs "jalan" before
    ["disahkan", "pengesahan", "mengesahkan", "sah"],        # "disah" vs "esah" before
    ["pengadaan", "mengadakan", "diadakan"],
    ["pelaksana", "pelaksanaan", "melaksanakan", "dilaksanakan"],  # decided: one family
    ["mengirim", "dikirimkan", "pengiriman", "kiriman"],
    ["pengendalian", "mengendalikan", "dikendalikan"],
])
def test_families_a_clerk_expects_are_one_stem(words):
    assert len({stem(w) for w in words}) == 1, {w: stem(w) for w in words}


@pytest.mark.parametrize(("a", "b"), [
    ("kinerja", "kerja"), ("pemerintah", "perintah"), ("peraturan", "aturan"),
    ("pengadaan", "ada"), ("pendapatan", "dapat"), ("pendapatan", "pendapat"),
    ("menyampaikan", "sampai"), ("peserta", "serta"), ("tersebut", "menyebutkan"),
    ("penduduk", "kedudukan"),
])
def test_words_of_other_meanings_stay_apart(a, b):
    assert stem(a) != stem(b)


def test_names_codes_and_noise_are_kept_as_written():
    for w in ("2026", "000", "diskominfo", "tanjungpinang", "jeneponto", "xqzvbre"):
        assert stem(w) == w


LETTERS = [
    ("000.5.3.1/21/Diskominfo/2026", "Surat tugas perjalanan dinas", "Perjalanan dinas ke Surabaya."),
    ("000.5.3.1/22/Diskominfo/2026", "Pengesahan dokumen", "Mohon pengesahan dokumen renstra."),
    ("000.5.3.1/23/Diskominfo/2026", "Pengadaan komputer", "Rencana pengadaan komputer kantor."),
    ("000.5.3.1/24/Diskominfo/2026", "Laporan kinerja", "Capaian kinerja triwulan ketiga."),
    ("000.5.3.1/25/Diskominfo/2026", "Jam kerja", "Perubahan jam kerja sampai akhir tahun ada."),
]


@pytest.fixture
def filed(ws, tmp_path):
    files = [write_pdf(tmp_path / f"s{i}.pdf", [letter_text(n, p, b, "2 Oktober 2026")])
             for i, (n, p, b) in enumerate(LETTERS)]
    assert [r.status for r in archive.ingest(ws, files)] == ["filed"] * len(LETTERS)
    return ws


def _found(ws, query):
    return {h.letter_no.split("/")[1] for h in archive.search(ws, query)}


def test_archive_search_finds_families_and_keeps_meanings_apart(filed):
    assert _found(filed, "berjalan") == {"21"}
    assert _found(filed, "disahkan") == {"22"}
    assert _found(filed, "mengadakan") == {"23"}
    assert _found(filed, "kinerja") == {"24"}
    assert _found(filed, "bekerja") == {"25"}       # not the letter about kinerja
    assert _found(filed, "menyampaikan") == set()   # "sampai" is in letter 25 only as a word
    assert _found(filed, "pengadaan") == {"23"}     # and "ada" there does not count


def test_a_catalog_indexed_by_the_old_stemmer_is_reindexed(filed):
    path = filed.archive_dir / CATALOG_NAME
    cat = Catalog(path)
    cat.con.execute("UPDATE meta SET value = '2' WHERE key = 'index_version'")
    cat.con.execute("INSERT INTO fts(fts) VALUES('delete-all')")  # stems of another stemmer
    cat.close()
    cat = Catalog(path)
    assert cat.meta("index_version") == INDEX_VERSION and VERSION in INDEX_VERSION
    cat.close()
    assert _found(filed, "disahkan") == {"22"}
