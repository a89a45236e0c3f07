"""Lembar disposisi: the head's instruction on an incoming letter (not numbered).

"Diteruskan kepada" lists every official of the workspace except the one who
disposes, checked for those named in the data; the option lists (sifat, "dengan
hormat harap") are data with the usual defaults, so an office can use its own.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import formatting
from ..datafile import Tanggal
from ..render import DocProps, new_doc_id, render
from . import Finding, Kind, MakeOptions, MakeResult
from .generic import DOTS, check_pejabat, pejabat_context

if TYPE_CHECKING:
    from ..workspace import Workspace

TEMPLATE = "disposisi.docx"
CHECKED, UNCHECKED = "\u2611", "\u2610"  # ☑ ☐

SIFAT = ["Sangat Segera", "Segera", "Biasa", "Rahasia"]
HARAP = [
    "Tanggapan dan Saran",
    "Proses Lebih Lanjut",
    "Koordinasi/Konfirmasikan",
    "Untuk Diketahui",
    "Untuk Dilaksanakan",
    "Disiapkan Bahan",
    "Arsip",
]


class Disposisi(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surat_masuk: str = Field(
        "", description="agenda number of the letter in `docgen surat-masuk list`: its sender, "
                        "number, dates, perihal and sifat are taken from the buku agenda")
    surat_dari: str = Field("", description="sender of the incoming letter")
    nomor_surat: str = Field("", description="its number, as written on it")
    tanggal_surat: Tanggal | None = Field(None, description="its date")
    diterima_tanggal: Tanggal | None = Field(None, description="date received")
    nomor_agenda: str = Field("", description="number in the buku agenda surat masuk")
    sifat: str = Field("", description="one of pilihan_sifat (checked box); default Biasa")
    hal: str = Field("", description="perihal of the incoming letter")
    diteruskan_kepada: list[str] = Field(
        min_length=1, description="keys of [pejabat] the letter goes to (checked in the list)"
    )
    harap: list[str] = Field(min_length=1, description="instructions checked, from pilihan_harap")
    catatan: str = Field("", description="the head's note (several lines allowed)")
    pendisposisi: str = Field("kepala", description="who disposes: key of [pejabat]")
    tanggal: Tanggal | None = Field(None, description="date of the disposisi (default: today)")
    pilihan_sifat: list[str] = Field(default_factory=lambda: list(SIFAT), description="sifat options printed")
    pilihan_harap: list[str] = Field(
        default_factory=lambda: list(HARAP), description='"Dengan hormat harap" options printed'
    )

    @model_validator(mode="after")
    def _the_letter(self) -> Disposisi:
        # without an agenda number the clerk writes the letter's details by hand
        if not self.surat_masuk:
            missing = [n for n in ("surat_dari", "nomor_surat", "tanggal_surat", "diterima_tanggal", "hal")
                       if not getattr(self, n)]
            if missing:
                raise ValueError(f"{', '.join(missing)} missing: write the incoming letter's details, "
                                 "or name it by its agenda number (surat_masuk: 001/SM/2026)")
        return self

    @field_validator("nomor_agenda", "nomor_surat", "surat_masuk", mode="before")
    @classmethod
    def _number_as_text(cls, v: object) -> object:
        # a clerk writes `nomor_agenda: 1187` without quotes
        if v is None:
            return ""
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


def with_letter(ws: Workspace | None, data: Disposisi) -> Disposisi:
    """The disposisi with its letter's details from the buku agenda surat masuk, where it
    names the letter by ``surat_masuk``; what the data file writes itself wins."""
    if not data.surat_masuk or ws is None:
        return data if data.sifat else data.model_copy(update={"sifat": "Biasa"})
    from ..errors import InputError
    from ..suratmasuk import Agenda

    with Agenda.for_workspace(ws) as book:
        e = book.get(data.surat_masuk)
    if e is None or e.batal:
        why = "is void" if e is not None else "is not in the buku agenda surat masuk"
        raise InputError(f"surat_masuk {data.surat_masuk!r} {why}", field="surat_masuk",
                         fix="copy the agenda number from `docgen surat-masuk list`, or record the "
                             "letter first with `docgen surat-masuk catat FILE`")
    sifat = data.sifat or next((s for s in data.pilihan_sifat if s.lower() == e.sifat.lower()), "Biasa")
    return data.model_copy(update={
        "surat_dari": data.surat_dari or e.asal, "nomor_surat": data.nomor_surat or e.nomor_surat,
        "tanggal_surat": data.tanggal_surat or e.tanggal_surat,
        "diterima_tanggal": data.diterima_tanggal or e.diterima,
        "nomor_agenda": data.nomor_agenda or e.agenda, "hal": data.hal or e.perihal, "sifat": sifat,
    })


def check(ws: Workspace | None, data: Disposisi) -> list[Finding]:
    from ..errors import InputError

    try:
        data = with_letter(ws, data)
    except InputError as exc:
        return [Finding("error", "surat_masuk", exc.message, exc.fix or "")]
    keys = {"pendisposisi": data.pendisposisi}
    keys.update({f"diteruskan_kepada[{i}]": k for i, k in enumerate(data.diteruskan_kepada, 1)})
    out = check_pejabat(ws, keys, data)
    if data.sifat not in data.pilihan_sifat:
        out.append(Finding("error", "sifat", f"sifat {data.sifat!r} is not one of the options",
                           f"use one of: {', '.join(data.pilihan_sifat)} (or add it to pilihan_sifat)"))
    for i, h in enumerate(data.harap, 1):
        if h not in data.pilihan_harap:
            out.append(Finding("error", f"harap[{i}]", f"harap {h!r} is not one of the options",
                               f"use one of: {', '.join(data.pilihan_harap)} (or add it to pilihan_harap)"))
    if data.diterima_tanggal < data.tanggal_surat:
        out.append(Finding(
            "error", "diterima_tanggal",
            f"the letter is received ({formatting.tanggal(data.diterima_tanggal)}) before it is dated "
            f"({formatting.tanggal(data.tanggal_surat)})",
            "check tanggal_surat and diterima_tanggal (YYYY-MM-DD)"))
    if data.tanggal is not None and data.tanggal < data.diterima_tanggal:
        out.append(Finding(
            "error", "tanggal",
            f"the disposisi ({formatting.tanggal(data.tanggal)}) is dated before the letter was received "
            f"({formatting.tanggal(data.diterima_tanggal)})",
            "check tanggal and diterima_tanggal (YYYY-MM-DD)"))
    if data.pendisposisi in data.diteruskan_kepada:
        out.append(Finding("error", "diteruskan_kepada",
                           f"{data.pendisposisi!r} disposes the letter and cannot receive it",
                           "remove it from diteruskan_kepada"))
    return out


def _checklist(options: list[str], chosen: set[str]) -> list[dict[str, str]]:
    return [{"cek": CHECKED if o in chosen else UNCHECKED, "teks": o} for o in options]


def context(ws: Workspace, data: Disposisi, source=None) -> dict:
    data = with_letter(ws, data)
    pejabat = ws.config.pejabat
    chosen = set(data.diteruskan_kepada)
    diteruskan = [
        {"cek": CHECKED if key in chosen else UNCHECKED, "teks": p.jabatan}
        for key, p in pejabat.items()
        if key != data.pendisposisi
    ]
    return {
        "surat_dari": data.surat_dari,
        "nomor_surat": data.nomor_surat,
        "tanggal_surat": formatting.tanggal(data.tanggal_surat),
        "diterima_tanggal": formatting.tanggal(data.diterima_tanggal),
        "nomor_agenda": data.nomor_agenda or DOTS,
        "hal": data.hal,
        "sifat": _checklist(data.pilihan_sifat, {data.sifat}),
        "diteruskan": diteruskan,
        "harap": _checklist(data.pilihan_harap, set(data.harap)),
        "catatan": [line for line in data.catatan.splitlines() if line.strip()] or [""],
        "pendisposisi": pejabat_context(ws, data.pendisposisi, file=source, field="pendisposisi"),
        "tempat_tanggal": formatting.tempat_tanggal(ws.config.kop.kota, data.tanggal or dt.date.today()),
    }


def make(ws: Workspace, data: Disposisi, opts: MakeOptions) -> MakeResult:
    ctx = context(ws, data, opts.source)
    props = DocProps(kind="disposisi", doc_id=new_doc_id(), title="Lembar Disposisi", subject=ctx["hal"],
                     surat_masuk=data.surat_masuk)
    out = opts.out_dir / f"disposisi-{props.doc_id}.docx"
    render(ws, TEMPLATE, ctx, out, props)
    return MakeResult(docx=[out], doc_ids=[props.doc_id])


KIND = Kind(
    name="disposisi",
    title="Lembar Disposisi",
    model=Disposisi,
    make=make,
    template=TEMPLATE,
    description="Boxed disposisi form on an incoming letter: sifat, diteruskan kepada, harap, catatan.",
    numbered=False,
    check=check,
    example="disposisi.yaml",
)
