"""Pure formatting rules for Indonesian official documents (no I/O).

Dates: "22 November 2026" (no zero padding, Indonesian month names, via babel).
NIP:   18 digits written "19650125 199303 1 008".
Numbers: "1.234,5" (dot thousands, comma decimals).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "id_ID"

_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def tanggal(value: dt.date | dt.datetime | str | None) -> str:
    """Indonesian long date, e.g. ``22 November 2026``; '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "d MMMM y", locale=LOCALE)


# Month names as clerks write them: Indonesian in full or short, English (a form from
# an English Excel), lower or upper case.
_BULAN_TULIS = {
    **{n: i for i, n in enumerate(
        ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember"], start=1)},
    **{n: i for i, n in enumerate(
        ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"], start=1)},
    "agt": 8, "ags": 8, "nop": 11, "pebruari": 2, "nopember": 11, "sept": 9,
    **{n: i for i, n in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], start=1)},
    "aug": 8, "oct": 10, "dec": 12,
}
_HARI = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
_TGL_ANGKA = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{2,4})")
_TGL_KATA = re.compile(r"(\d{1,2})\s+([a-z']+)\.?\s+(\d{2,4})")
_TGL_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
TANGGAL_CONTOH = "2 Oktober 2026, 02-10-2026, 2/10/2026 or 2026-10-02"


def parse_tanggal(value: object) -> dt.date:
    """A date as people write it: "2 Oktober 2026", "02-10-2026", "2/10/2026", "2.10.2026",
    "Senin, 2 Oktober 2026" or ISO "2026-10-02". Numbers are read day first, the
    Indonesian way ("02/10/2026" is 2 Oktober, never February 10).

    Raises ValueError saying what is wrong (no such day, a two-digit year, not a date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date; write e.g. {TANGGAL_CONTOH}")
    text = re.sub(rf"^{_HARI},?\s*", "", " ".join(value.split()).lower())
    if m := _TGL_ISO.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _TGL_ANGKA.fullmatch(text):
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
        if len(m[4]) != 4:
            raise ValueError(f"{value!r}: write the year in full (e.g. {d}-{mo}-20{m[4]})")
    elif (m := _TGL_KATA.fullmatch(text)) and m[2] in _BULAN_TULIS:
        d, mo, y = int(m[1]), _BULAN_TULIS[m[2]], int(m[3])
        if len(m[3]) != 4:
            raise ValueError(f"{value!r}: write the year in full (e.g. {d} {bulan(mo)} 20{m[3]})")
    elif m:
        raise ValueError(f"{value!r}: {m[2]!r} is not a month; write e.g. {TANGGAL_CONTOH}")
    else:
        raise ValueError(f"{value!r} is not a date; write e.g. {TANGGAL_CONTOH}")
    if not 1 <= mo <= 12:
        raise ValueError(f"{value!r}: there is no month {mo} (the day comes first: "
                         f"{TANGGAL_CONTOH})")
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"{value!r}: {d} {bulan(mo)} {y} does not exist") from None


def tempat_tanggal(tempat: str, value: dt.date | dt.datetime | str) -> str:
    """Place first, as letters write it: ``Kediri, 22 November 2026``."""
    return f"{tempat}, {tanggal(value)}" if tempat else tanggal(value)


def bulan(month: int) -> str:
    """Indonesian month name (1..12)."""
    return format_date(dt.date(2000, month, 1), "MMMM", locale=LOCALE)


def romawi(number: int) -> str:
    """Roman numeral, used for months in letter numbers (XI) and triwulan (III)."""
    if number <= 0:
        raise ValueError("roman numerals start at 1")
    out = []
    for value, sym in _ROMAN:
        while number >= value:
            out.append(sym)
            number -= value
    return "".join(out)


def nip(value: str | int | None) -> str:
    """Group an 18-digit NIP as ``19650125 199303 1 008``.

    Anything that is not 18 digits (an NRPTT, an empty field) is returned as given.
    """
    if value is None:
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 18:
        return str(value).strip()
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def nip_is_valid(value: str | int) -> bool:
    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 18:
        return False
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return digits[14] in "12"


def parse_nip(value: object) -> str:
    """The 18 digits of a NIP typed with or without spaces ('' for an empty field).

    Raises ValueError naming the NIP when it is not 18 digits or its birth date and
    sex digit are impossible (a slip that would be printed under a signature).
    """
    if value in (None, ""):
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 18:
        raise ValueError(f"NIP {value!r} must have 18 digits, e.g. 19650125 199303 1 008")
    if not nip_is_valid(digits):
        raise ValueError(f"NIP {value!r} does not start with a valid birth date")
    return digits


def angka(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """Indonesian number notation: ``1.234,5``; '' for None."""
    if value is None:
        return ""
    if decimals is None:
        # as many decimals as the value has (a target of 0,005 must not print as "0"),
        # up to 6 for floats such as 1/3
        exp = Decimal(str(value)).normalize().as_tuple().exponent
        places = min(-exp, 6) if isinstance(exp, int) and exp < 0 else 0
        fmt = "#,##0." + "#" * max(2, places)
    elif decimals == 0:
        fmt = "#,##0"
    else:
        fmt = "#,##0." + "0" * decimals
    return format_decimal(value, format=fmt, locale=LOCALE)


def persen(value: float | Decimal | None, decimals: int = 2) -> str:
    """``85,50%``; '' for None."""
    if value is None:
        return ""
    return f"{angka(value, decimals)}%"


_NUM_RE = re.compile(r"^[+-]?[\d.,\s]+$")
_ID_FULL_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")   # 1.234,5
_COMMA_RE = re.compile(r"^\d*,\d+$|^\d+,\d*$")           # 1234,5
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")      # 1.234 / 1.234.567


def parse_angka(text: str | int | float | None) -> Decimal | None:
    """Read a number written the Indonesian way ("1.234,5", "85%", "85,5 %").

    Returns None for an empty cell. Raises ValueError for text that is not a number.
    A lone dot group like "1.234" is a thousands separator (Indonesian), but "12.5"
    (one dot, not three digits after) is taken as a decimal point, as Excel users type it.
    """
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Decimal(str(text))
    s = str(text).strip().replace("\u00a0", " ")
    if s in ("", "-", "–"):
        return None
    s = s.rstrip("%").strip()
    if not _NUM_RE.match(s):
        raise ValueError(f"not a number: {text!r}")
    s = s.replace(" ", "")
    sign, body = ("-", s[1:]) if s[:1] in "+-" else ("", s)
    sign = "" if s[:1] == "+" else sign
    if "," in body and "." in body:
        # Only the Indonesian order is a number: dots group thousands, one comma, decimals.
        if not _ID_FULL_RE.match(body):
            raise ValueError(
                f"not a number: {text!r} (mixed separators; write it the Indonesian way, e.g. 1.234,5)"
            )
        body = body.replace(".", "").replace(",", ".")
    elif "," in body:
        if not _COMMA_RE.match(body):
            raise ValueError(f"not a number: {text!r} (use one comma for decimals, e.g. 1234,5)")
        body = body.replace(",", ".")
    elif "." in body:
        if _THOUSANDS_RE.match(body):
            body = body.replace(".", "")  # "1.234", "1.234.567": thousands
        elif body.count(".") != 1 or body.endswith("."):
            raise ValueError(f"not a number: {text!r} (write e.g. 1.234,5)")
        # else "12.5": a decimal point, as Excel users type it
    s = sign + body
    try:
        return Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def slug(text: str, max_len: int = 60, *, lower: bool = True, keep: str = "",
         default: str = "dokumen") -> str:
    """A file-name-safe form of a title or nomor: ASCII letters, digits and the characters
    in ``keep``, joined by "-"; cut at a word boundary to ``max_len``, since a long nama
    SOP in a deep folder otherwise passes Windows' 260-character path limit."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(rf"[^A-Za-z0-9{re.escape(keep)}]+", "-", t).strip("-" + keep)
    t = t.lower() if lower else t
    if len(t) > max_len:
        cut = t[:max_len + 1]
        t = cut[:cut.rfind("-")] if "-" in cut[max_len // 2:] else t[:max_len]
    return t.strip("-" + keep) or default
