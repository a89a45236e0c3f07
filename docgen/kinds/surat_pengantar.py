"""Surat pengantar: the cover letter that sends naskah dinas, numbered by the register.

The nomor is taken inside the register's ``taking`` block and the DOCX rendered in the
same block, so a failed render consumes no number.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import formatting
from ..datafile import Tanggal
from ..render import DocProps, new_doc_id, render
from . import Finding, Kind, MakeOptions, MakeResult  # noqa: F401
from .generic import (
    DOTS,
    check_klasifikasi,
    check_pejabat,
    make_numbered,
    pejabat_context,
    strip_prefix,
)

if TYPE_CHECKING:
    from ..workspace import Workspace

TEMPLATE = "surat-pengantar.docx"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Naskah(_Strict):
    uraian: str = Field(min_length=1, description="the naskah dinas or item sent")
    banyaknya: str = Field(description='how many, e.g. "1 (satu) berkas"')
    keterangan: str = Field("", description='e.g. "Dikirim dengan hormat untuk diketahui"')

    @field_validator("banyaknya", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v


class Penerima(_Strict):
    jabatan: str = Field("", description="receiver's jabatan (blank: a line to fill by hand)")
    nama: str = ""
    nip: str = Field("", description="18 digits, as in docgen.toml (blank: filled in by hand)")

    # Same rule as a pejabat's NIP: "NIP. 123" must not reach the letter.
    _nip = field_validator("nip", mode="before")(classmethod(lambda cls, v: formatting.parse_nip(v)))


class SuratPengantar(_Strict):
    klasifikasi: str = Field(
        min_length=1, description="kode klasifikasi (Permendagri 83/2022), e.g. 000.7.5; `docgen codes search`"
    )
    perihal: str = Field(min_length=1, description="what is sent, for the buku agenda")
    kepada: str = Field(min_length=1, description='addressee after "Yth.", e.g. "Kepala Inspektorat Kota Kediri"')
    di: str = Field("Tempat", description='place after "di", e.g. "Kediri" or "Tempat"')
    tanggal: Tanggal | None = Field(None, description="date of the letter (default: today)")
    naskah: list[Naskah] = Field(min_length=1, description="rows of the table: uraian, banyaknya, keterangan")
    penandatangan: str = Field("kepala", description="sender: key of [pejabat] in docgen.toml")
    penerima: Penerima = Field(default_factory=Penerima, description="receiver for the receipt block (optional)")
    diterima_tanggal: Tanggal | None = Field(None, description="date received (blank: filled in by hand)")

    @field_validator("kepada", mode="before")
    @classmethod
    def _tanpa_yth(cls, v: object) -> object:
        # the template writes "Yth."; a clerk who types it too got "Yth. Yth. Inspektur"
        return strip_prefix(v, "Yth.") if isinstance(v, str) else v


def check(ws: Workspace | None, data: SuratPengantar) -> list[Finding]:
    return check_pejabat(ws, {"penandatangan": data.penandatangan}, data) + check_klasifikasi(ws, data.klasifikasi)


def context(ws: Workspace, data: SuratPengantar, source=None) -> dict:
    tanggal = data.tanggal or dt.date.today()
    pen = data.penerima
    return {
        "kepada": data.kepada,
        "di": data.di,
        "perihal": data.perihal,
        "naskah": [n.model_dump() for n in data.naskah],
        "tempat_tanggal": formatting.tempat_tanggal(ws.config.kop.kota, tanggal),
        "pengirim": pejabat_context(ws, data.penandatangan, file=source, field="penandatangan"),
        "penerima": {
            "jabatan": pen.jabatan or DOTS,
            "nama": pen.nama or DOTS,
            "nip": formatting.nip(pen.nip) if pen.nip else DOTS,
        },
        "diterima_tanggal": formatting.tanggal(data.diterima_tanggal) if data.diterima_tanggal else DOTS,
    }


def make(ws: Workspace, data: SuratPengantar, opts: MakeOptions) -> MakeResult:
    ctx = context(ws, data, opts.source)  # before numbering: a bad pejabat takes no number
    props = DocProps(kind="surat-pengantar", doc_id=new_doc_id(), title="Surat Pengantar",
                     subject=data.perihal)
    return make_numbered(ws, opts, jenis="surat-pengantar", klasifikasi=data.klasifikasi,
                         perihal=data.perihal, tujuan=data.kepada, tanggal=data.tanggal or dt.date.today(),
                         props=props, write=lambda out, p: render(ws, TEMPLATE, ctx, out, p))


KIND = Kind(
    name="surat-pengantar",
    title="Surat Pengantar",
    model=SuratPengantar,
    make=make,
    template=TEMPLATE,
    description="Cover letter listing the naskah sent; nomor from the register, receipt block.",
    numbered=True,
    check=check,
    example="surat-pengantar.yaml",
)
