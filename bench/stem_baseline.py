"""A small Indonesian affix stripper, used the same way at index and at query time.

Why not PySastrawi: it needs its root-word dictionary loaded per process (slow to build, heavy
for worker processes), and it has had no release since 2019. Search only needs *consistent*
conflation ("laporan", "melaporkan", "pelaporan", "dilaporkan" -> "lapor"), not linguistically
perfect roots, so a rule-based stripper with length guards is enough and is fast (cached).
"""

from __future__ import annotations

import re
from functools import lru_cache

VOWELS = frozenset("aeiou")
MIN_STEM = 4  # never strip down to fewer letters: keeps "dinas", "kerja", "terima" whole

# Common words of the domain that the rules would mangle; kept as they are.
KEEP = frozenset(
    ["dinas", "kepala", "diskominfo", "bidang", "data", "kota", "pemerintah", "sekretaris", "sekretariat", "peraturan", "keterangan", "keuangan", "perihal", "bupati", "walikota", "camat", "kecamatan", "kelurahan", "desa", "pegawai", "nomor", "tanggal", "lampiran"]
)

_TOKEN = re.compile(r"[^\W_]+")


def _strip_suffixes(w: str) -> str:
    if w.endswith("nya") and len(w) - 3 >= MIN_STEM:
        w = w[:-3]
    for suf in ("kan", "an", "i"):
        if not w.endswith(suf) or len(w) - len(suf) < MIN_STEM:
            continue
        if suf == "i" and w[-2] in "aes":  # -ai, -ei, -si: "pegawai", "informasi" are roots
            continue
        if suf == "an" and w.endswith("aan") and len(w) - 2 < MIN_STEM:
            continue
        return w[: -len(suf)]
    return w


def _strip_prefix(w: str) -> str:
    """Remove one prefix (with the nasal recoding of me-/pe-); '' when none applies."""
    n = len(w)
    for pre in ("meny", "peny"):  # menyusun -> susun
        if w.startswith(pre) and n > 4 and w[4] in VOWELS:
            return "s" + w[4:]
    for pre in ("meng", "peng"):  # mengirim -> irim (consistent), menggali -> gali
        if w.startswith(pre) and n > 4:
            return w[4:]
    for pre in ("mem", "pem"):
        if w.startswith(pre) and n > 3:
            nxt = w[3]
            if nxt in VOWELS:  # memeriksa -> periksa, memakai -> pakai
                return "p" + w[3:]
            if nxt in "bpf":
                return w[3:]
    for pre in ("men", "pen"):
        if w.startswith(pre) and n > 3:
            nxt = w[3]
            if nxt in VOWELS:  # menulis -> tulis, menerima -> terima
                return "t" + w[3:]
            if nxt in "cdjtsz":
                return w[3:]
    for pre in ("me", "pe"):  # melaporkan -> laporkan, perencanaan -> rencanaan
        if w.startswith(pre) and n > 3 and w[2] in "lmnwy" or (
            w.startswith(pre) and n > 3 and w[2] == "r" and w[3] in VOWELS
        ):
            return w[2:]
    if w.startswith("per") and n > 3 and w[3] not in VOWELS:  # pertemuan -> temuan
        return w[3:]
    if w.startswith("ber") and n > 3:
        return w[3:]
    if w.startswith("ter") and n > 3:
        return w[3:]
    for pre in ("be", "pe"):  # bekerja, pekerja -> kerja
        if w.startswith(pre) and n > 2 and w[2] not in VOWELS:
            return w[2:]
    for pre in ("di", "ke"):
        if w.startswith(pre):
            return w[2:]
    return ""


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case word ("melaporkan" -> "lapor"); digits and short words stay."""
    w = word.lower()
    if len(w) <= MIN_STEM or w in KEEP or not w.isalpha():
        return w
    w = _strip_suffixes(w)
    for _ in range(2):  # at most two prefixes: di-per-, mem-per-
        cut = _strip_prefix(w)
        if not cut or len(cut) < MIN_STEM:
            break
        w = cut
    return w


def variants(s: str) -> tuple[str, ...]:
    """Stems a query word may stand for in the index. meng-/peng- before a vowel hide
    whether the root began with k ("mengirim" = meng + kirim, "mengambil" = meng + ambil),
    so "irim" and "kirim" are searched together (the index keeps one stem per word)."""
    if len(s) > MIN_STEM and s[0] == "k" and s[1] in VOWELS:
        return (s, s[1:])
    if len(s) >= MIN_STEM - 1 and s[0] in VOWELS:
        return (s, "k" + s)
    return (s,)


def tokens(text: str) -> list[str]:
    """Words as SQLite's unicode61 tokenizer sees them (letters/digits runs), lower-cased."""
    return _TOKEN.findall(text.lower())


def stem_text(text: str) -> str:
    """The text as a space-separated run of stems, in order (so phrases still match)."""
    return " ".join([stem(t) for t in _TOKEN.findall(text.lower())])
