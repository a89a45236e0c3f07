"""The workspace settings (``docgen.toml``) as pydantic models.

Everything that differs between offices and regions lives here as data: the kop
surat, the officials, the Bidang, number formats, paper, TTE wording, archive rules.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import formatting

TTE_FOOTER_DEFAULT = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
    "yang diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), "
    "Badan Siber dan Sandi Negara (BSSN)."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Kop(_Strict):
    """Office identity printed as the letterhead (kop surat)."""

    pemerintah: str = Field(description='e.g. "PEMERINTAH KOTA KEDIRI"')
    instansi: list[str] = Field(description="office name, one to three lines, in capitals")
    alamat: str
    telepon: str = ""
    faksimile: str = ""
    laman: str = ""
    email: str = ""
    kode_pos: str = Field("", description='printed after the address: "... Kode Pos 92311"')
    logo: str = Field("", description="path of the lambang daerah, relative to the workspace")
    kota: str = Field(description='place written before dates, e.g. "Kediri"')
    kode_unit: str = Field(description="unit code used in letter numbers")

    @field_validator("instansi", mode="before")
    @classmethod
    def _lines(cls, v: object) -> object:
        if isinstance(v, str):
            v = [v]
        if isinstance(v, list) and not 1 <= len(v) <= 3:
            raise ValueError("instansi takes one to three lines")
        return v

    @property
    def alamat_lengkap(self) -> str:
        """The address line of the kop: the address, then the postal code unless it is in it."""
        kode = self.kode_pos.strip()
        if not kode or kode in self.alamat:
            return self.alamat
        return f"{self.alamat.rstrip(' ,.')} Kode\u00a0Pos\u00a0{kode}"

    @property
    def kontak(self) -> str:
        """The contact line under the address."""
        parts = []
        if self.telepon:
            parts.append(f"Telepon {self.telepon}")
        if self.faksimile:
            parts.append(f"Faksimile {self.faksimile}")
        if self.laman:
            parts.append(f"Laman {self.laman}")
        if self.email:
            parts.append(f"Pos\u2011el {self.email}")  # no-break hyphen: never "Pos-" / "el"
        # no-break spaces: a long line wraps between items, never between "Laman" and the address
        return ", ".join(p.replace(" ", "\u00a0") for p in parts)


# An acting official's prefix is part of the jabatan line ("Plt. Kepala Dinas ...,");
# a.n./u.b. name the principal on a line of their own above it.
_PREFIX_SEBARIS = re.compile(r"^(plt|plh|pj|pjs|pgs)\.?$", re.IGNORECASE)


class Pejabat(_Strict):
    """An official: jabatan, name, pangkat/golongan and NIP."""

    jabatan: str
    nama: str
    pangkat: str = ""
    nip: str = ""
    # Signing on behalf: "a.n.", "u.b.", "Plt.", "Plh." before the jabatan.
    atas_nama: str = Field(
        "", description='"a.n. Kepala Dinas" (a line above the jabatan) or "Plt."/"Plh." (before it)'
    )

    @field_validator("nip", mode="before")
    @classmethod
    def _nip(cls, v: object) -> str:
        return formatting.parse_nip(v)

    @property
    def nip_tampil(self) -> str:
        return formatting.nip(self.nip)

    @property
    def jabatan_ttd(self) -> str:
        """The jabatan as signed: "Plt. Kepala Dinas ..." for an acting official."""
        prefix = self.atas_nama.strip()
        if prefix and _PREFIX_SEBARIS.match(prefix):
            return f"{prefix} {self.jabatan}"
        return self.jabatan

    def konteks(self) -> dict[str, str]:
        """The official as templates see it: jabatan as signed, atas_nama only when it is
        a line of its own, NIP grouped (``nip``) and as digits (``nip_angka``)."""
        inline = self.jabatan_ttd != self.jabatan
        return {
            **self.model_dump(),
            "jabatan": self.jabatan_ttd,
            "jabatan_dasar": self.jabatan,
            "atas_nama": "" if inline else self.atas_nama.strip(),
            "nip": self.nip_tampil,
            "nip_angka": self.nip,
        }


class Bidang(_Strict):
    """A unit that receives a permintaan-data form (Bidang, Seksi, Subbagian)."""

    nama: str
    pejabat: str = Field("", description="key of its head in [pejabat]")
    singkatan: str = ""


class Penomoran(_Strict):
    """Letter numbering (register)."""

    format: str = "{klasifikasi}/{urut}/{unit}/{tahun}"
    padding: int = Field(0, ge=0, le=8)
    lingkup: Literal["tahun", "tahun-klasifikasi", "tahun-unit"] = "tahun"
    izinkan_kode_lain: bool = Field(False, description="accept codes not in the table")
    klasifikasi: str = Field("", description="CSV of codes to use instead of the shipped table")
    # Fixed codes some regions put in every number (419 = Kota Kediri in 067/108/419.113/2021).
    kode: dict[str, str] = Field(
        default_factory=dict, description='own fixed tokens, e.g. kode = { kode_instansi = "419" }'
    )

    @field_validator("kode")
    @classmethod
    def _kode(cls, v: dict[str, str]) -> dict[str, str]:
        from .register.nomor import TOKENS

        for name in v:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise ValueError(f"token name {name!r} must be lowercase letters, digits and _, "
                                 "e.g. kode_instansi")
            if name in TOKENS:
                raise ValueError(f"{{{name}}} is a built-in token; give your code another name")
        return v


class Kertas(_Strict):
    ukuran: Literal["A4", "F4"] = "A4"
    font: str = "Arial"

    @field_validator("ukuran", mode="before")
    @classmethod
    def _ukuran(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v  # "f4" is what the clerk meant


class Penandatangan(_Strict):
    """A signer for `docgen sign --signer NAME`."""

    pejabat: str
    p12: str = Field(description="PKCS#12 file, relative to the workspace")
    passphrase_env: str = "DOCGEN_P12_PASSPHRASE"


class Tte(_Strict):
    footer: str = TTE_FOOTER_DEFAULT
    trust_roots: list[str] = Field(default_factory=list)
    penandatangan: dict[str, Penandatangan] = Field(default_factory=dict)
    verifikasi_url: str = Field("", description="printed in the QR code, followed by the document id")
    # PAdES B-T: a time from a timestamp authority, not the signing PC's clock.
    tsa_url: str = Field("", description="RFC 3161 timestamp server (e.g. BSrE's); empty: no timestamp")
    tsa_timeout: float = Field(15, gt=0, description="seconds to wait for the timestamp server")
    # Fixed offsets rather than tz names: Windows has no tz database without an extra package.
    zona_waktu: Literal["WIB", "WITA", "WIT", ""] = Field(
        "WIB", description='time zone of signing times: WIB, WITA, WIT, or "" for the machine clock'
    )

    def zona(self) -> dt.tzinfo | None:
        """The office's time zone (None: the machine's)."""
        hours = {"WIB": 7, "WITA": 8, "WIT": 9}.get(self.zona_waktu)
        return None if hours is None else dt.timezone(dt.timedelta(hours=hours))

    def sekarang(self) -> dt.datetime:
        """Now, in the office's time zone."""
        zone = self.zona()
        return dt.datetime.now().astimezone() if zone is None else dt.datetime.now(zone)

    def waktu(self, when: dt.datetime | str | None) -> str:
        """A time as the stamp prints it, in the office's zone: "22 November 2026 10:15 WITA".
        '' for none; text that is no time is shown as it is."""
        from .sign.stamp import waktu

        if isinstance(when, str):
            try:
                when = dt.datetime.fromisoformat(when) if when else None
            except ValueError:
                return when
        if when is None:
            return ""
        when = when if when.tzinfo else when.astimezone()  # naive: this machine's clock
        return waktu(when.astimezone(self.zona()))


class Arsip(_Strict):
    format_nomor: str = Field("ARS/{tahun}/{urut:05d}", description="archive number format")
    wajib_tte: bool = Field(False, description="reject PDFs without a valid signature")
    ukuran_maks_mb: float = 50
    polling: bool | None = Field(None, description="force polling (None: auto-detect shares)")
    pdf_password_env: str = ""
    rescan_detik: int = 300
    tenang_detik: float = 2.0
    # The archive's seal: the head of the hash chain signed after each batch, so a rewritten
    # chain is detected (with [tte] tsa_url set, the head is also timestamped).
    segel_p12: str = Field("", description="PKCS#12 of the office's archive key, relative to the workspace")
    segel_passphrase_env: str = "DOCGEN_ARSIP_SEGEL_PASSPHRASE"
    # Scans (image-only PDF pages, JPEG/PNG/TIFF) get a text layer by OCRmyPDF + Tesseract.
    ocr: bool = Field(True, description="OCR scans into a searchable PDF/A, keeping the original")
    ocr_bahasa: str = Field("ind+eng", description="Tesseract languages, e.g. ind+eng")
    ocr_batas_detik: float = Field(120, gt=0, description="OCR time limit per page, in seconds")
    ocr_program: str = Field("ocrmypdf", description="the OCRmyPDF command (a path on Windows)")
    ocr_pekerja: int = Field(1, ge=1, le=16, description="scans OCR'd at once by the watcher")


class SuratMasukCfg(_Strict):
    """The buku agenda surat masuk: its own number sequence per year."""

    format: str = Field("{urut}/SM/{tahun}", description="agenda number, e.g. {urut}/SM/{tahun}")
    padding: int = Field(3, ge=0, le=8)


class Paths(_Strict):
    templates: str = "templates"
    output: str = "keluaran"
    archive: str = "archive"
    inbox: str = "archive/inbox"
    quarantine: str = "archive/karantina"
    register_db: str = "register.sqlite"
    data: str = "data"


class LembarSop(_Strict):
    """How an office prints its SOP sheet (Permenpan RB 35/2012 leaves these to the office)."""

    label_tanggal_efektif: str = Field(
        "Tanggal Efektif", description='label of the third date: "Tanggal Efektif" or "Tanggal Pengesahan"')
    judul: list[str] = Field(
        default_factory=list,
        description='cover heading lines above the identity table; "{nama}" is the Nama SOP in capitals, '
                    'e.g. ["PROSEDUR BAKU PELAKSANAAN KEGIATAN", "STANDAR OPERASIONAL PROSEDUR (SOP)", "{nama}"]')
    kelompok_uraian: str = Field(
        "", description='header over No and Aktivitas, e.g. "Uraian Prosedur" (empty: No and Aktivitas '
                        "span both header rows)")
    nomor_kolom: bool = Field(False, description="a row numbering the columns (1, 2, 3 ...) under the header")


class Web(_Strict):
    """The browser application (`docgen serve`)."""

    url: str = Field("", description="public address of `docgen serve` (https://surat.dinas.go.id); "
                     "the QR of a document signed in the browser points to URL/v/<doc id> "
                     "when tte.verifikasi_url is empty")
    hosts: list[str] = Field(default_factory=list, description="host names the server answers to "
                             "(default: localhost and the --host given)")
    https: bool = Field(False, description="behind Caddy/nginx with HTTPS: trust X-Forwarded-Proto")
    verifikasi_perihal: bool = Field(False, description="the public page /v/<id> shows the perihal")
    unggah_maks_mb: float = Field(20, gt=0, description="largest file a browser may upload")
    verifikasi_per_menit: int = Field(30, gt=0, description="requests per minute per address on /v/")
    login_gagal_maks: int = Field(5, gt=0, description="failed logins per name in 15 minutes before a pause")


class Config(_Strict):
    # The head's key: data files that name no signer (penandatangan, pendisposisi,
    # peminta) mean the head, written "kepala"; a Kecamatan keys its head "camat".
    pimpinan: str | None = Field(None, description="key of [pejabat] of the head of the office")
    kop: Kop
    pejabat: dict[str, Pejabat]
    bidang: dict[str, Bidang] = Field(default_factory=dict)
    penomoran: Penomoran = Field(default_factory=Penomoran)
    kertas: Kertas = Field(default_factory=Kertas)
    sop: LembarSop = Field(default_factory=LembarSop)
    tte: Tte = Field(default_factory=Tte)
    arsip: Arsip = Field(default_factory=Arsip)
    surat_masuk: SuratMasukCfg = Field(default_factory=SuratMasukCfg)
    paths: Paths = Field(default_factory=Paths)
    web: Web = Field(default_factory=Web)

    @model_validator(mode="after")
    def _pimpinan(self) -> Config:
        from .datafile import FieldValueError

        if self.pimpinan is None:
            return self
        if self.pimpinan not in self.pejabat:
            known = ", ".join(sorted(self.pejabat)) or "(none)"
            raise FieldValueError("pimpinan", f"unknown pejabat {self.pimpinan!r}; known: {known}",
                                  "set pimpinan to the key of [pejabat.*] of the head of the office")
        if self.pimpinan != "kepala":
            if "kepala" in self.pejabat:
                raise FieldValueError(
                    "pimpinan", f"pimpinan is {self.pimpinan!r} but [pejabat.kepala] exists too",
                    "a data file that names no signer would mean two people: rename "
                    "[pejabat.kepala], or remove pimpinan")
            # "kepala" (the data files' default) is then another name of the head
            self.pejabat["kepala"] = self.pejabat[self.pimpinan]
        return self
