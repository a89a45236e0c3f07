"""The SOP data file (YAML) as a pydantic model.

Three parts: the identity (nomor, dates, who approved it, the lists of the identity
sheet), the pelaksana (actors, in column order) and the langkah (steps). Field names
are the Indonesian terms of Permenpan RB 35/2012 so a clerk can write one by copying
an example; `docgen kinds` prints every description below.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from ... import formatting
from ...config import LembarSop
from ...datafile import FieldValueError
from . import waktu as waktu_mod


class _Strict(BaseModel):
    # A misspelt field name is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


def _lines(v: object) -> object:
    """Accept one text where a list is expected (a clerk writes one item without '-')."""
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v.strip() else []
    return v


class Pengesah(_Strict):
    """The official who approves the SOP, written out in the file (seeds from other offices)."""

    jabatan: str = Field("", description='e.g. "Plt. Kepala Dinas"')
    nama: str = Field(description="name with titles, as it is signed")
    pangkat: str = Field("", description='pangkat/golongan, e.g. "Pembina Utama Muda"')
    nip: str = Field("", description="18 digits; printed as 19650125 199303 1 008")

    # the same rule as a pejabat in docgen.toml
    _nip = field_validator("nip", mode="before")(classmethod(lambda cls, v: formatting.parse_nip(v)))


class KopSop(_Strict):
    """Office name on the identity sheet when the SOP belongs to another office."""

    pemerintah: str = Field("", description='e.g. "PEMERINTAH KABUPATEN JENEPONTO"')
    instansi: list[str] = Field(description="office name, one to three lines, in capitals")
    alamat: str = Field("", description="address line under the office name (optional)")
    # Without it the sheet carries no logo: the workspace's own would be the wrong office's.
    logo: str = Field("", description="that office's logo (PNG/JPG), relative to this SOP file (optional)")

    _instansi = field_validator("instansi", mode="before")(classmethod(lambda cls, v: _lines(v)))


class WaktuJumlah(_Strict):
    """A duration written as its parts."""

    jumlah: Decimal = Field(ge=0, description="the number, e.g. 15")
    satuan: Literal["menit", "jam", "hari"] = Field(description="menit, jam or hari")


class Keputusan(_Strict):
    """Makes a step a decision (diamond) with two labelled exits."""

    ya: int = Field(description="step number the 'Ya' exit goes to")
    tidak: int = Field(description="step number the 'Tidak' exit goes to (often back, to be corrected)")
    label_ya: str = Field("Ya", description='label of the first exit, e.g. "Lengkap"')
    label_tidak: str = Field("Tidak", description='label of the second exit, e.g. "Tidak lengkap"')


class Langkah(_Strict):
    """One step (row) of the flowchart."""

    aktivitas: str = Field(description='what is done, starting with a verb: "Menyusun ..."')
    pelaksana: str = Field(description="who does it: one of the names under `pelaksana`")
    kelengkapan: str = Field("", description="Mutu Baku: documents/tools needed")
    waktu: str | WaktuJumlah = Field(
        "", description='Mutu Baku: "15 menit", "2 jam", "1 hari" (text may follow), or {jumlah, satuan}'
    )
    output: str = Field("", description="Mutu Baku: what the step produces")
    keterangan: str = Field("", description="remarks")
    keputusan: Keputusan | None = Field(None, description="only for a decision: {ya, tidak, label_ya, label_tidak}")
    lanjut: int | None = Field(
        None, description="only for a plain step: the step number the flow goes to after this one "
        "(default: the next step), e.g. to skip a rejection branch or go back to an earlier step",
    )

    @field_validator("waktu", mode="before")
    @classmethod
    def _waktu(cls, v: object) -> object:
        if v is None:
            return ""
        if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
            return str(v)  # a bare number: lint asks for the unit
        return v

    @field_validator("kelengkapan", "output", "keterangan", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return "" if v is None else str(v) if isinstance(v, int | float) else v

    def durasi(self) -> waktu_mod.Waktu | None:
        """The parsed waktu (raises ValueError when it cannot be read)."""
        if isinstance(self.waktu, WaktuJumlah):
            return waktu_mod.from_parts(self.waktu.jumlah, self.waktu.satuan)
        return waktu_mod.parse(self.waktu)

    def waktu_teks(self) -> str:
        """The waktu as printed in the Mutu Baku column."""
        if isinstance(self.waktu, WaktuJumlah):
            return str(self.durasi())
        return self.waktu.strip()


class BagianProses(_Strict):
    """One section (A, B, C, ...) of the Proses Kegiatan narrative."""

    judul: str = Field(description='section title, e.g. "Dasar Hukum"')
    teks: str = Field("", description="a paragraph of text")
    butir: list[str] = Field(default_factory=list, description="numbered items")
    penomoran: Literal["angka", "huruf"] = Field("angka", description="number items 1. 2. (angka) or a. b. (huruf)")

    _butir = field_validator("butir", mode="before")(classmethod(lambda cls, v: _lines(v)))


Tanggal = dt.date | str | None

# A key (text) or the official written out: tagged so an error inside the written-out
# form names only its field (disahkan_oleh.pengesah.nip), not also "should be a string".
_PengesahField = Annotated[
    Annotated[str, Tag("kunci")] | Annotated[Pengesah, Tag("pengesah")] | Annotated[None, Tag("kosong")],
    Discriminator(lambda v: "kosong" if v is None else "pengesah" if isinstance(v, dict | Pengesah) else "kunci"),
]

_BULAN = {formatting.bulan(i).lower(): i for i in range(1, 13)}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")


def _text_date(text: str) -> dt.date | str:
    """A date a clerk typed as text: "22-11-2026" (day first) or "18 Januari 2021".

    Both become dates (printed "22 November 2026"). Anything else, including a day
    that does not exist ("31 Februari 2021"), stays text: lint reports it
    (`looks_like_bad_date`).
    """
    m = _NUMERIC_DATE.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
    else:
        m = _WORD_DATE.match(text)
        if not m or m.group(2).lower() not in _BULAN:
            return text
        d, mo, y = int(m.group(1)), _BULAN[m.group(2).lower()], int(m.group(3))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return text


def looks_like_bad_date(text: str) -> bool:
    """Text that is meant as a date but is none: "2021-13-01", "31 Februari 2021", "2021"."""
    t = text.strip()
    if re.fullmatch(r"[\d\s./-]+", t) and re.search(r"\d", t):
        return True
    m = _WORD_DATE.match(t)
    return bool(m and m.group(2).lower() in _BULAN)


class Sop(_Strict):
    """Standar Operasional Prosedur (Permenpan RB 35/2012): identity sheet + flowchart."""

    nomor: str = Field("", description='Nomor SOP, e.g. "067/108/419.113/2021" (may be empty)')
    tanggal_pembuatan: Tanggal = Field(None, description="date made: YYYY-MM-DD, or text as written")
    tanggal_revisi: Tanggal = Field(None, description="date of the last revision (optional)")
    tanggal_efektif: Tanggal = Field(None, description="date it takes effect")
    disahkan_oleh: _PengesahField = Field(
        None, description="key in docgen.toml [pejabat] (e.g. kepala), or {jabatan, nama, pangkat, nip}"
    )
    nama: str = Field(description='Nama SOP, e.g. "Mekanisme Pengumpulan Data Kinerja"')
    unit: str = Field("", description='unit under the office name, e.g. "SEKRETARIAT"')
    instansi: KopSop | None = Field(
        None, description="{pemerintah, instansi, alamat}: another office's name instead of the workspace kop"
    )
    kertas: Literal["A4", "F4"] | None = Field(None, description="paper; default docgen.toml [kertas] ukuran")
    lembar: LembarSop | None = Field(
        None, description="this SOP's own sheet labels and header rows (another office's SOP); "
                          "default docgen.toml [sop]")
    dasar_hukum: list[str] = Field(default_factory=list, description="Dasar Hukum: one item per regulation")
    kualifikasi_pelaksana: list[str] = Field(default_factory=list, description="Kualifikasi Pelaksana")
    keterkaitan: list[str] = Field(default_factory=list, description="Keterkaitan: related SOPs")
    peralatan_perlengkapan: list[str] = Field(default_factory=list, description="Peralatan/Perlengkapan")
    peringatan: list[str] = Field(default_factory=list, description="Peringatan")
    pencatatan_pendataan: list[str] = Field(default_factory=list, description="Pencatatan dan Pendataan")
    pelaksana: list[str] = Field(min_length=1, description="the actors (jabatan), one flowchart column each, in order")
    langkah: list[Langkah] = Field(
        min_length=2,
        description="the steps in order (first = start, last = end); each: aktivitas, pelaksana, kelengkapan, "
        'waktu ("15 menit"), output, keterangan, for a decision keputusan {ya, tidak, label_ya, label_tidak}, '
        "and for a plain step that does not go on to the next one lanjut (a step number)",
    )
    proses_kegiatan: list[BagianProses] = Field(
        default_factory=list, description="optional narrative after the flowchart: [{judul, teks, butir}]"
    )

    _lists = field_validator(
        "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan",
        "peringatan", "pencatatan_pendataan", "pelaksana", mode="before",
    )(classmethod(lambda cls, v: _lines(v)))

    @field_validator("nomor", mode="before")
    @classmethod
    def _nomor(cls, v: object) -> object:
        return "" if v is None else str(v)

    @field_validator("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif", mode="before")
    @classmethod
    def _tanggal(cls, v: object) -> object:
        # An ISO text becomes a date (printed "18 Januari 2021"); other text stays as written.
        if isinstance(v, int) and not isinstance(v, bool):
            raise ValueError(f"{v} is not a date; write YYYY-MM-DD, e.g. 2026-11-22")
        if isinstance(v, str):
            try:  # as people write dates: "2 Okt 2026", "02/10/2026", ISO (day first)
                return formatting.parse_tanggal(v)
            except ValueError:
                return _text_date(v.strip()) if v.strip() else None
        return v

    @model_validator(mode="after")
    def _pelaksana_unique(self) -> Sop:
        seen = set()
        for name in self.pelaksana:
            if name in seen:
                raise FieldValueError("pelaksana", f"pelaksana {name!r} is listed twice")
            seen.add(name)
        return self

    @model_validator(mode="after")
    def _lanjut_where_allowed(self) -> Sop:
        for no, step in enumerate(self.langkah, start=1):
            if step.lanjut is None:
                continue
            if step.keputusan is not None:
                raise FieldValueError(
                    f"langkah[{no}].lanjut", f"step {no} is a decision: its exits are keputusan.ya and keputusan.tidak",
                    "remove lanjut (put the step number in keputusan.ya or keputusan.tidak)")
            if no == len(self.langkah):
                raise FieldValueError(
                    f"langkah[{no}].lanjut", f"step {no} is the last step (the end terminator): the flow stops there",
                    "remove lanjut from the last step, or move the end to a later step")
        return self

    def total_waktu(self) -> str:
        """Jangka Waktu Penyelesaian, summed per unit: "13 hari 6 jam"."""
        return waktu_mod.format_total(waktu_mod.total(s.durasi() for s in self.langkah))


def tanggal_teks(value: Tanggal) -> str:
    """A date as the sheet prints it: "18 Januari 2021", or the text as written."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return formatting.tanggal(value)
    return value
