"""Numbers in words, as naskah dinas write them (terbilang), through num2words (lang "id").

    terbilang(1500000)            -> "satu juta lima ratus ribu"
    banyaknya(1, "eksemplar")     -> "1 (satu) eksemplar"
    rupiah(1500000)               -> "Rp 1.500.000 (satu juta lima ratus ribu rupiah)"
    diktum(3)                     -> "KETIGA"       (the diktum of a keputusan)
    tanggal_terbilang(date)       -> "dua puluh dua bulan November tahun dua ribu dua puluh enam"

Each takes a number, a Decimal, or text as people type it ("1.500.000", "2,5", "1500000").
All are Jinja filters of every template (docgen.render).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from num2words import num2words

from . import formatting

_ID_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(,\d+)?$")


def angka_dari(value: Any) -> Decimal:
    """A number from what a data file or template holds: 1500000, 2.5, "1.500.000", "2,5".
    Text is read the Indonesian way (dot thousands, comma decimals); anything else is a
    ValueError naming the value."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "")
    if text.lower().startswith("rp"):
        text = text[2:].lstrip(".")
    if _ID_NUMBER.match(text):
        try:
            return Decimal(text.replace(".", "").replace(",", "."))
        except InvalidOperation:
            pass
    raise ValueError(f"{value!r} is not a number (write it as 1500000 or 1.500.000)")


def terbilang(value: Any) -> str:
    """"satu juta lima ratus ribu"; decimals after "koma" ("dua koma lima")."""
    n = angka_dari(value)
    if n == n.to_integral_value():
        words = num2words(int(n), lang="id")
    else:
        words = num2words(n.normalize(), lang="id")
    return re.sub(r"^min\b", "minus", words)


def banyaknya(value: Any, satuan: str = "") -> str:
    """"1 (satu) eksemplar", "12 (dua belas) orang": the figure, its words, the unit."""
    n = angka_dari(value)
    text = f"{formatting.angka(n)} ({terbilang(n)})"
    return f"{text} {satuan}".strip()


def rupiah(value: Any) -> str:
    """"Rp 1.500.000 (satu juta lima ratus ribu rupiah)"; sen when there are any."""
    n = angka_dari(value)
    whole = int(n)
    sen = int((abs(n) - abs(whole)) * 100)
    figure = formatting.angka(n, 2 if sen else 0)
    words = f"{terbilang(whole)} rupiah" + (f" {terbilang(sen)} sen" if sen else "")
    return f"Rp {figure} ({words})"


def diktum(value: Any) -> str:
    """The n-th diktum of a keputusan: KESATU, KEDUA, ... KESEBELAS, KEDUA BELAS."""
    n = int(angka_dari(value))
    if n < 1:
        raise ValueError(f"diktum numbers start at 1, not {n}")
    return ("ke" + terbilang(n)).upper()


def huruf(value: Any) -> str:
    """The n-th letter of a lettered list (menimbang a., b., ...): 1 -> "a", 27 -> "aa"."""
    n = int(angka_dari(value))
    if n < 1:
        raise ValueError(f"letters start at 1, not {n}")
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def hari(value: dt.date | str) -> str:
    """Day of the week in Indonesian: "Senin"."""
    d = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return _HARI[d.weekday()]


def tanggal_terbilang(value: dt.date | str) -> str:
    """A date in words, as a berita acara opens: "dua puluh dua bulan November tahun dua
    ribu dua puluh enam"."""
    d = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{terbilang(d.day)} bulan {formatting.bulan(d.month)} tahun {terbilang(d.year)}"


FILTERS = {
    "terbilang": terbilang,
    "banyaknya": banyaknya,
    "rupiah": rupiah,
    "diktum": diktum,
    "huruf": huruf,
    "hari": hari,
    "tanggal_terbilang": tanggal_terbilang,
}
