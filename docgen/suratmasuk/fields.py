"""The fields of an incoming letter read from its text (pure: no I/O).

Indonesian naskah dinas put them in a few known places (Permendagri 1/2023 and the
regional variants before it):

- the kop: PEMERINTAH ... / DINAS ... in capitals above the address line -> asal;
- a block "Nomor : ... / Sifat : ... / Lampiran : ... / Hal (Perihal) : ...", on the left,
  or a centred "Nomor: ..." under the title (surat pengantar, surat tugas);
- the place and date, "Kediri, 22 November 2026", top right or above the signature.

OCR text has noise: a colon read as ';' or '.', spaces inside numbers, 'Nomor' as
'Nornor'. The patterns allow for what Tesseract commonly gets wrong, and every value is a
suggestion the clerk confirms.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "nopember": 11, "november": 11,
    "desember": 12,
}
_SIFAT = ("sangat segera", "segera", "penting", "biasa", "rahasia", "sangat rahasia", "terbatas")

# "Nomor", with OCR's usual misreadings, then a colon-like mark
_LABEL_SEP = r"\s*[:;.,]?\s*"
_NOMOR = re.compile(r"^\s*(?:N[o0][mn]+[o0]r|N[o0]\.?|Nomer)" + _LABEL_SEP + r"(\S.*)$", re.I | re.M)
_HAL = re.compile(r"^\s*(?:Perihal|Perihat|Hal|Ha1)" + _LABEL_SEP + r"(\S.*)$", re.I | re.M)
_SIFAT_RE = re.compile(r"^\s*Sifat" + _LABEL_SEP + r"(\S.*)$", re.I | re.M)
_LAMPIRAN = re.compile(r"^\s*Lampiran" + _LABEL_SEP, re.I | re.M)
_DATE = re.compile(
    r"(?:(?P<place>[A-Z][A-Za-z .'-]{1,40}?)\s*,\s*)?"
    r"(?P<d>[0-3]?\d)\s+(?P<m>" + "|".join(_MONTHS) + r")\s+(?P<y>(?:19|20)\d\d)",
    re.I,
)
# a letter number: groups joined by slashes (000.7.5/1/Diskominfo/2026, 005/123/418.20/2026)
_NUMBERISH = re.compile(r"[0-9A-Za-z.\-]+(?:\s*/\s*[0-9A-Za-z.\-]+)+")
_KOP_START = re.compile(r"^\s*PEMERINTAH\b", re.M)
_ADDRESS = re.compile(r"\b(Jalan|Jl\.|JL\.|Telepon|Telp|Laman|Pos-el|Email|E-mail|Kode Pos|Faksimile)\b", re.I)
_UNIT_WORDS = re.compile(r"\b(DINAS|BADAN|KECAMATAN|KELURAHAN|DESA|SEKRETARIAT|INSPEKTORAT|KANTOR|"
                         r"RUMAH SAKIT|SATUAN|BAGIAN|PUSAT|UPT|UPTD|DIREKTORAT|KEMENTERIAN|"
                         r"PEMERINTAH|BIRO|LEMBAGA|PUSKESMAS|SEKOLAH)\b")


@dataclass
class Fields:
    """Suggested fields; empty strings where nothing was found."""

    nomor: str = ""
    tanggal: dt.date | None = None
    asal: str = ""
    perihal: str = ""
    sifat: str = ""
    found: dict[str, str] = field(default_factory=dict)  # field -> the line it came from


def _clean(value: str) -> str:
    # OCR reads the label's colon as ';', '.', or a dash, and sometimes twice ("— : Hal")
    value = re.sub(r"^[\W_]*[:;]\s*", "", value.strip())
    return re.sub(r"\s+", " ", value).strip(" :;.,-\u2014\u2013|")


def _nomor(text: str) -> tuple[str, str]:
    for m in _NOMOR.finditer(text):
        raw = m.group(1)
        # the block's next label may share the line in a two-column layout
        raw = re.split(r"\s{3,}|\b(?:Sifat|Lampiran|Hal|Perihal)\b", raw)[0]
        num = _NUMBERISH.search(raw)
        if num:
            return re.sub(r"\s*/\s*", "/", num.group(0)).strip(".-"), m.group(0).strip()
    return "", ""


def _tanggal(text: str) -> tuple[dt.date | None, str]:
    """The letter's date: a 'Place, d Month yyyy' line first (the dating line), else
    the first date in the letter."""
    best = None
    for m in _DATE.finditer(text):
        try:
            when = dt.date(int(m["y"]), _MONTHS[m["m"].lower()], int(m["d"]))
        except ValueError:
            continue
        line = text[text.rfind("\n", 0, m.start()) + 1: text.find("\n", m.end()) % (len(text) + 1)]
        if m["place"] and not re.search(r"(?i)diterima|tanggal\s*$", line[: m.start() - line.find(m.group(0))]):
            return when, line.strip()
        best = best or (when, line.strip())
    return best or (None, "")


def _asal(text: str) -> tuple[str, str]:
    """The sender from the kop: the capitalised lines above the address line. 'PEMERINTAH
    KOTA KEDIRI' + 'DINAS KOMUNIKASI DAN INFORMATIKA' -> 'Dinas Komunikasi dan
    Informatika Kota Kediri'; a kop without a unit line gives the government itself."""
    lines = [ln.strip() for ln in text.splitlines()]
    head: list[str] = []
    for ln in lines[:25]:
        if not ln:
            continue
        if _ADDRESS.search(ln) or _NOMOR.match(ln) or _DATE.search(ln):
            break
        letters = [c for c in ln if c.isalpha()]
        if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
            head.append(re.sub(r"\s+", " ", ln))
    if not head:
        return "", ""
    pemerintah = next((h for h in head if _KOP_START.match(h)), "")
    unit = [h for h in head if h != pemerintah and _UNIT_WORDS.search(h)]
    # a unit's name may run onto a second capitalised line (DINAS KOMUNIKASI / DAN INFORMATIKA)
    if unit:
        i = head.index(unit[0])
        parts = [unit[0]]
        for h in head[i + 1:]:
            if _UNIT_WORDS.search(h) or _KOP_START.match(h):
                break
            parts.append(h)
        name = " ".join(parts)
    else:
        name = pemerintah
    if pemerintah and name != pemerintah:
        region = re.sub(r"^\s*PEMERINTAH\s+", "", pemerintah)
        if region and region.upper() not in name.upper():
            name = f"{name} {region}"
    return _title(name), " / ".join(head)


_SMALL = {"dan", "atau", "di", "ke", "dari", "untuk", "pada", "yang", "serta"}


def _title(s: str) -> str:
    words = _clean(s).lower().split()
    return " ".join(w if (w in _SMALL and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _perihal(text: str) -> tuple[str, str]:
    m = _HAL.search(text)
    if not m:
        return "", ""
    value = m.group(1)
    # a perihal may wrap onto the next lines, indented under its value, until a blank line
    # or the addressee ("Yth.", "Kepada")
    rest = text[m.end():].splitlines()[1:4]
    for ln in rest:
        s = ln.strip()
        if not s or re.match(r"(?i)(yth|kepada|di\b|dengan hormat|sifat|lampiran|nomor)", s):
            break
        if len(ln) - len(ln.lstrip()) < 2 and len(s) > 40:
            break
        value += " " + s
    # a second column (the date, "Kepada Yth.") sits far to the right; OCR's layout text
    # also widens the gaps between justified words, so only a wide gap ends the perihal
    value = re.split(r"\s{8,}", value)[0]
    return _clean(value), m.group(0).strip()


def _sifat(text: str) -> tuple[str, str]:
    m = _SIFAT_RE.search(text)
    if not m:
        return "", ""
    value = m.group(1).lower()
    for s in sorted(_SIFAT, key=len, reverse=True):
        if s in value:
            return s.title(), m.group(0).strip()
    return _clean(m.group(1)).split("  ")[0].title(), m.group(0).strip()


def parse_tanggal(value: str) -> dt.date | None:
    """A date as a clerk types it (formatting.parse_tanggal: day first), or None."""
    from ..formatting import parse_tanggal as parse

    try:
        return parse(value)
    except ValueError:
        return None


def read_fields(text: str) -> Fields:
    """Everything the text says of nomor, tanggal, asal, perihal and sifat."""
    out = Fields()
    for name, reader in (("nomor", _nomor), ("tanggal", _tanggal), ("asal", _asal),
                         ("perihal", _perihal), ("sifat", _sifat)):
        value, line = reader(text)
        setattr(out, name, value)
        if line:
            out.found[name] = line
    return out
