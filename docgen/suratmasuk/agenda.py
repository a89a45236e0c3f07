"""The buku agenda surat masuk: incoming letters, each with its agenda number.

It lives in the register's database beside the buku agenda surat keluar and takes its
numbers the same way: one short write transaction bumps the counter row of the scope
``surat-masuk`` and inserts the entry, so a number is never handed out twice, a failed
command consumes none, and a void stays in the book with its reason.

The letter itself is filed in the archive first (its OCR'd text makes it searchable); the
agenda entry then records the archive entry it belongs to.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ConfigError, InputError
from ..register import nomor as nomor_mod

if TYPE_CHECKING:
    from ..register import Register
    from ..workspace import Workspace

LINGKUP = "surat-masuk"  # the counter scope in the register's counter table
STATUS_TERDAFTAR = "terdaftar"
STATUS_BATAL = "batal"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS surat_masuk (
    id INTEGER PRIMARY KEY,
    agenda TEXT NOT NULL, tahun INTEGER NOT NULL, urut INTEGER NOT NULL,
    nomor_surat TEXT NOT NULL, tanggal_surat TEXT NOT NULL, asal TEXT NOT NULL,
    perihal TEXT NOT NULL, sifat TEXT NOT NULL, diterima TEXT NOT NULL,
    arsip_id INTEGER, arsip_no TEXT NOT NULL, sha256 TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('terdaftar', 'batal')),
    alasan TEXT NOT NULL, dibuat TEXT NOT NULL,
    UNIQUE (tahun, urut), UNIQUE (tahun, agenda)
);
CREATE INDEX IF NOT EXISTS surat_masuk_sha ON surat_masuk (sha256);
"""
_COLUMNS = ("agenda, tahun, urut, nomor_surat, tanggal_surat, asal, perihal, sifat, diterima, "
            "arsip_id, arsip_no, sha256, status, alasan, dibuat")
REQUIRED = ("nomor_surat", "tanggal_surat", "asal", "perihal")
# the CLI option that gives each field, for the fix in an error
OPTION = {"nomor_surat": "--nomor", "tanggal_surat": "--tanggal", "asal": "--asal",
          "perihal": "--perihal", "sifat": "--sifat", "diterima": "--diterima"}


@dataclass(frozen=True)
class SuratMasuk:
    """One line of the buku agenda surat masuk."""

    agenda: str
    tahun: int
    urut: int
    nomor_surat: str
    tanggal_surat: dt.date
    asal: str
    perihal: str
    sifat: str
    diterima: dt.date
    arsip_id: int | None
    arsip_no: str
    sha256: str
    status: str
    alasan: str
    dibuat: dt.datetime

    @property
    def batal(self) -> bool:
        return self.status == STATUS_BATAL

    @classmethod
    def _from_row(cls, row: tuple) -> SuratMasuk:
        (agenda, tahun, urut, nomor, tgl, asal, perihal, sifat, diterima, arsip_id, arsip_no, sha,
         status, alasan, dibuat) = row
        return cls(agenda, tahun, urut, nomor, dt.date.fromisoformat(tgl), asal, perihal, sifat,
                   dt.date.fromisoformat(diterima), arsip_id, arsip_no, sha, status, alasan,
                   dt.datetime.fromisoformat(dibuat))


class Agenda:
    """The buku agenda surat masuk of a workspace, on the workspace's register."""

    def __init__(self, register: Register, fmt: str, padding: int, *, unit: str = "",
                 config_file=None) -> None:
        self.register = register
        self.unit = unit
        self.config_file = config_file
        try:
            self.format = nomor_mod.parse(fmt, padding, "tahun")
        except nomor_mod.FormatProblem as exc:
            raise ConfigError(str(exc), file=config_file, field="surat_masuk.format", fix=exc.fix) from None
        self._ready = False

    @classmethod
    def for_workspace(cls, ws: Workspace) -> Agenda:
        from ..register import Register

        cfg = ws.config.surat_masuk
        return cls(Register.for_workspace(ws), cfg.format, cfg.padding, unit=ws.config.kop.kode_unit,
                   config_file=ws.config_file)

    def close(self) -> None:
        self.register.close()

    def __enter__(self) -> Agenda:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _schema(self) -> None:
        if self._ready:
            return
        with self.register._write() as con:
            for stmt in filter(str.strip, _SCHEMA.split(";")):
                con.execute(stmt)
        self._ready = True

    # --- writing ---------------------------------------------------------------------
    @staticmethod
    def check(fields: dict) -> dict:
        """The fields the book needs, checked before any number is taken."""
        out = dict(fields)
        for name in REQUIRED:
            v = out.get(name)
            if v is None or (isinstance(v, str) and not v.strip()):
                raise InputError(f"{name.replace('_', ' ')} of the incoming letter is empty", field=name,
                                 fix=f"give it with {OPTION[name]} (the text of the scan did not say it)")
        for name in ("tanggal_surat", "diterima"):
            v = out.get(name)
            if isinstance(v, str) and v.strip():
                from ..formatting import parse_tanggal

                try:
                    out[name] = parse_tanggal(v)
                except ValueError as exc:
                    raise InputError(f"{name.replace('_', ' ')}: {exc}", field=name,
                                     fix=f"write it as 2 Oktober 2026, 02-10-2026 or 2026-10-02 "
                                         f"with {OPTION[name]}") from None
            elif isinstance(v, dt.datetime):
                out[name] = v.date()
        out.setdefault("diterima", None)
        out["diterima"] = out["diterima"] or dt.date.today()
        for name in ("nomor_surat", "asal", "perihal", "sifat"):
            out[name] = " ".join(str(out.get(name) or "").split())
        if out["tanggal_surat"] > out["diterima"]:
            raise InputError(f"the letter is dated {out['tanggal_surat']} but received {out['diterima']}",
                             field="tanggal_surat", fix="check --tanggal and --diterima")
        return out

    def catat(self, fields: dict, *, arsip_id: int | None, arsip_no: str, sha256: str) -> SuratMasuk:
        """Give the letter the next agenda number and record it (one transaction)."""
        f = self.check(fields)
        self._schema()
        tahun = f["diterima"].year
        dibuat = dt.datetime.now().replace(microsecond=0)
        with self.register._write() as con:
            dup = con.execute("SELECT agenda FROM surat_masuk WHERE sha256 = ? AND status = ?",
                              (sha256, STATUS_TERDAFTAR)).fetchone() if sha256 else None
            if dup:
                raise InputError(f"this letter is already in the buku agenda as {dup[0]}", field="file",
                                 fix=f"nothing to do: `docgen surat-masuk list` shows {dup[0]}")
            (urut,) = con.execute(
                "INSERT INTO counter (tahun, lingkup, kunci, terakhir) VALUES (?, ?, '', 1) "
                "ON CONFLICT (tahun, lingkup, kunci) DO UPDATE SET terakhir = terakhir + 1 "
                "RETURNING terakhir", (tahun, LINGKUP)).fetchone()
            agenda = self.format.render(klasifikasi="", urut=urut, unit=self.unit, tanggal=f["diterima"])
            try:
                con.execute(
                    f"INSERT INTO surat_masuk ({_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                    (agenda, tahun, urut, f["nomor_surat"], f["tanggal_surat"].isoformat(), f["asal"],
                     f["perihal"], f["sifat"], f["diterima"].isoformat(), arsip_id, arsip_no, sha256,
                     STATUS_TERDAFTAR, "", dibuat.isoformat()))
            except sqlite3.IntegrityError:
                raise ConfigError(f"agenda number {agenda} is already in the book for {tahun}",
                                  file=self.config_file, field="surat_masuk.format",
                                  fix="surat_masuk.format changed this year; restore it") from None
        return self.get(agenda, tahun=tahun)  # type: ignore[return-value]

    def void(self, agenda: str, reason: str, *, tahun: int | None = None) -> SuratMasuk:
        if not (reason or "").strip():
            raise InputError("a void needs a reason", field="alasan",
                             fix='say why, e.g. --alasan "dicatat dua kali"')
        e = self.get(agenda, tahun=tahun)
        if e is None:
            raise InputError(f"agenda {agenda!r} is not in the buku agenda surat masuk", field="agenda",
                             fix="copy it exactly from `docgen surat-masuk list`")
        if e.batal:
            raise InputError(f"agenda {e.agenda} is already void ({e.alasan})", field="agenda")
        with self.register._write() as con:
            con.execute("UPDATE surat_masuk SET status = ?, alasan = ? WHERE tahun = ? AND agenda = ?",
                        (STATUS_BATAL, reason.strip(), e.tahun, e.agenda))
        return self.get(e.agenda, tahun=e.tahun)  # type: ignore[return-value]

    # --- reading ---------------------------------------------------------------------
    def _rows(self, where: str = "", args: tuple = ()) -> list[SuratMasuk]:
        self._schema()
        rows = self.register._read(f"SELECT {_COLUMNS} FROM surat_masuk {where} ORDER BY tahun, urut", args)
        return [SuratMasuk._from_row(r) for r in rows]

    def get(self, agenda: str, *, tahun: int | None = None) -> SuratMasuk | None:
        agenda = agenda.strip()
        rows = self._rows("WHERE agenda = ?" + (" AND tahun = ?" if tahun else ""),
                          (agenda, tahun) if tahun else (agenda,))
        return rows[-1] if rows else None

    def by_archive(self, arsip_id: int) -> SuratMasuk | None:
        rows = self._rows("WHERE arsip_id = ?", (arsip_id,))
        return rows[-1] if rows else None

    def list(self, tahun: int | None = None) -> list[SuratMasuk]:
        return self._rows("WHERE tahun = ?", (tahun,)) if tahun else self._rows()
