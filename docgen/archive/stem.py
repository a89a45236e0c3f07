"""Indonesian stemming for the archive's search, the same at index and at query time.

A dictionary-based stemmer: PySastrawi's confix stripping (Nazief-Adriani / ECS) finds a
word's root in a root-word dictionary, so "berjalan" and "perjalanan" both give "jalan"
and "disahkan", "pengesahan" give "sah", where a rule stripper without a dictionary cannot
tell the root "jalan" from "lapor" + -an. Three lists of ours adjust it:

- ``_BUANG``: rare roots in Sastrawi's dictionary that capture common words ("kesah" took
  "pengesahan", "nila" took "bernilai", "awat" took "perawatan");
- ``_TAMBAH``: roots it lacks ("kinerja", "validasi", "reviu", compounds such as
  "tandatangan");
- ``_PENGECUALIAN``: words whose meaning in an office's documents is not their root's.
  Kinerja is not kerja; pengadaan (procurement) is not the word "ada"; "tersebut", "serta",
  "sampai", "untuk", "umum", "baik", "tetap" are function words of every letter, so
  menyampaikan, peruntukan, pengumuman, perbaikan, penetapan keep stems of their own;
  pemerintah is not perintah, peraturan not aturan.

Decided: pelaksana, pelaksanaan, melaksanakan and dilaksanakan are one family ("laksana"),
as penyusun/penyusunan and pengawas/pengawasan are: the agent noun, the process noun and
the verbs of a root belong together, and PostgreSQL's ``indonesian`` configuration
conflates them too. tests/data/stem_families.txt is the measured test set (369 families);
``python bench/bench_stem.py`` prints the figures.

Changing any list changes ``VERSION``, which rebuilds the catalog's index on next open.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

MIN_LEN = 4  # shorter words (and anything with a digit) are indexed as they are


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BUANG = _words("""
    analis asai awat capa kesah kesiap meni mesan mes meta muas mungut nila organ paja
    pasu perinci pes rang tan tatanan terna tuai
""")

_TAMBAH = _words("""
    dayaguna kinerja reviu rinci setuju tandatangan tanggungjawab tindaklanjut
    validasi
""")

# stem: the words (after -nya is taken off) that get it instead of Sastrawi's root
_PENGECUALIAN_TEKS = """
berlaku: berlaku memberlakukan diberlakukan pemberlakuan keberlakuan
bagian: bagian
hargai: penghargaan menghargai dihargai hargai
kedudukan: kedudukan
kelakuan: kelakuan
ketua: ketua diketuai mengetuai
keuangan: keuangan
kuasa: dikuasai
pemerintah: pemerintah pemerintahan
pendapat: pendapat berpendapat
pendapatan: pendapatan
penduduk: penduduk kependudukan
penyakit: penyakit
perangkat: perangkat
peraturan: peraturan
perawat: perawat
program: pemrograman
proses: pemrosesan
setuju: menyetujui disetujui
tangani: menangani ditangani penanganan tertangani tangani
tunjangan: tunjangan
umumkan: pengumuman mengumumkan diumumkan umumkan
wenang: wewenang
wisata: wisatawan
"""


def _exceptions(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.strip().splitlines():
        root, words = line.split(":", 1)
        for w in words.split():
            out[w] = root.strip()
    return out


_PENGECUALIAN = _exceptions(_PENGECUALIAN_TEKS)

# Function words: indexed as they are. A content word built on one of them gets the root
# with a mark ("menyampaikan" -> "sampai0"), so a search for it is not a search for a
# word of every letter ("sampai", "untuk", "tentang"), and the other way round.
_FUNGSI = _words("""
    ada agar akan antara atas bagi bahwa baik berikut dalam dapat dengan diri guna harus
    hingga kepada lalu melalui menurut oleh pada sampai sebagai serta tentang terhadap
    tersebut tetap untuk yaitu yakni
""")
_TURUNAN = "0"  # the mark: a digit, so no word of a text can stem to it

ALGORITHM = "sastrawi-2"  # bump when stem() itself changes
VERSION = hashlib.sha256(
    "\n".join([ALGORITHM, *(" ".join(sorted(x)) for x in (_BUANG, _TAMBAH, _FUNGSI)),
               _PENGECUALIAN_TEKS, _TURUNAN]).encode()
).hexdigest()[:8]

_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _engine() -> Any:
    """Sastrawi's stemmer on its dictionary with our changes (about 10 ms, once per process)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = (set(StemmerFactory().get_words()) - _BUANG) | _TAMBAH
    words.discard("")
    return Stemmer(ArrayDictionary(sorted(words)))


_PREFIXES = sorted(_words("me mem men meng meny menge pe pem pen peng peny penge di ke se ter te ber be bel per pel"))
_RECODED = "kptsr"  # a root's first letter that a prefix swallows: meng+kirim, men+tulis, ber+rencana


@lru_cache(maxsize=1)
def _affixes() -> tuple[frozenset[str], frozenset[str]]:
    """Every run of up to three prefixes, and every run of suffix, possessive, particle."""
    import itertools

    pre = {""} | {"".join(c) for k in (1, 2, 3) for c in itertools.product(_PREFIXES, repeat=k)}
    suf = {a + b + c for a in ("", "i", "an", "kan") for b in ("", "ku", "mu", "nya")
           for c in ("", "lah", "kah", "tah", "pun")}
    return frozenset(pre), frozenset(suf)


def _may_have_root(w: str) -> bool:
    """Whether w is prefixes + a dictionary root + suffixes at all. Most words that fail this
    (names, codes, OCR noise) are what Sastrawi returns unchanged after trying every rule,
    at some 100 us a word; this check takes 2 us. (It also keeps Sastrawi from reading
    infixes: "kinerja" is not k-in-erja.)"""
    pre, suf = _affixes()
    contains = _engine().get_dictionary().contains
    n = len(w)
    ends = [j for j in range(n, 1, -1) if w[j:] in suf]
    for i in range(min(n, 13)):
        if w[:i] not in pre:
            continue
        for j in ends:
            if j - i < 2:
                break
            r = w[i:j]
            if contains(r) or (i and r[0] in "aeiou" and any(contains(c + r) for c in _RECODED)):
                return True
    return False


def known_root(word: str) -> bool:
    """Whether ``word`` is a root of the dictionary (with our changes)."""
    return _engine().get_dictionary().contains(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one word ("melaporkan" -> "lapor"); short words and numbers stay."""
    w = word.lower()
    if len(w) < MIN_LEN or not w.isalpha():
        return w
    hit = _PENGECUALIAN.get(w)
    if hit is None and w.endswith("nya"):
        hit = _PENGECUALIAN.get(w[:-3])
    if hit is not None:
        return hit
    if w in _FUNGSI:
        return w
    if w.endswith("nya") and w[:-3] in _FUNGSI:  # "adanya", "berikutnya"
        return w[:-3]
    if not _may_have_root(w):
        return w
    root = _engine().stem_word(w)
    return root + _TURUNAN if root in _FUNGSI else root


def variants(s: str) -> tuple[str, ...]:
    """Stems a query word may stand for in the index. The dictionary settles what a rule
    stripper could not (meng- + kirim or + ambil), so a stem stands for itself."""
    return (s,)


def tokens(text: str) -> list[str]:
    """Words as SQLite's unicode61 tokenizer sees them (letters/digits runs), lower-cased."""
    return _TOKEN.findall(text.lower())


def stem_text(text: str) -> str:
    """The text as a space-separated run of stems, in order (so phrases still match)."""
    return " ".join([stem(t) for t in _TOKEN.findall(text.lower())])
