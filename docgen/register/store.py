"""The register of letter numbers (buku agenda surat keluar): one SQLite file, or the
office's PostgreSQL database when ``[database] url`` is set (see docgen.db).

Taking a number is one short ``BEGIN IMMEDIATE`` transaction: bump the counter row of
the scope, insert the entry. SQLite's own file locking serialises writers across
processes (Windows and Linux alike), so no two letters get the same number, and a
number is only consumed when its transaction commits, so there are no silent gaps.

Pragmas: WAL lets readers (``list``, ``export``) run while a number is taken;
``synchronous=FULL``: every commit is on the disk before the number is handed out. With
NORMAL a power cut could lose the last commits, and a number already printed on a letter
would then be issued again (bench/bench_register.py measures the cost).

A numbered letter is recorded against its data file (table ``sumber``: the file's path
relative to the workspace, else its absolute path), so making the same file again keeps
its nomor. ``mulai`` records where a counter continues from a paper agenda.

On PostgreSQL the same SQL runs: the upsert of the counter row locks that row until commit,
so takers of one scope queue on it (other scopes do not wait), and a taker that dies
mid-transaction is rolled back by the server: its number is taken by the next one.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING

from .. import db
from ..config import Penomoran
from ..errors import ConfigError, DocgenError, InputError
from . import codes as codes_mod
from . import nomor as nomor_mod

if TYPE_CHECKING:
    from ..workspace import Workspace

STATUS_TERBIT = "terbit"    # issued
STATUS_DIPESAN = "dipesan"  # reserved for a draft, not yet signed
STATUS_BATAL = "batal"      # void: stays in the register, never reused

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS counter (
    tahun INTEGER NOT NULL, lingkup TEXT NOT NULL, kunci TEXT NOT NULL,
    terakhir INTEGER NOT NULL,
    PRIMARY KEY (tahun, lingkup, kunci)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entry (
    id INTEGER PRIMARY KEY,
    nomor TEXT NOT NULL, tahun INTEGER NOT NULL,
    lingkup TEXT NOT NULL, kunci TEXT NOT NULL, urut INTEGER NOT NULL,
    klasifikasi TEXT NOT NULL, unit TEXT NOT NULL,
    perihal TEXT NOT NULL, tujuan TEXT NOT NULL, tanggal TEXT NOT NULL,
    jenis TEXT NOT NULL, doc_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('terbit', 'dipesan', 'batal')),
    alasan TEXT NOT NULL, dibuat TEXT NOT NULL,
    UNIQUE (tahun, nomor),
    UNIQUE (tahun, lingkup, kunci, urut)
);
CREATE INDEX IF NOT EXISTS entry_doc_id ON entry (doc_id) WHERE doc_id != '';
CREATE TABLE IF NOT EXISTS sumber (
    sumber TEXT PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entry (id)
);
CREATE TABLE IF NOT EXISTS mulai (
    tahun INTEGER NOT NULL, lingkup TEXT NOT NULL, kunci TEXT NOT NULL,
    dari INTEGER NOT NULL, dibuat TEXT NOT NULL,
    PRIMARY KEY (tahun, lingkup, kunci)
) WITHOUT ROWID;
"""
def on_network_share(path: Path) -> bool:
    """True for a UNC path (\\\\server\\share\\...) or a folder on a network file system."""
    if str(path).startswith("\\\\") and PureWindowsPath(str(path)).drive:
        return True  # checked on the text: Windows paths are tested on Linux too
    from ..archive.watcher import is_network_path

    return is_network_path(path.parent if not path.is_dir() else path)


_COLUMNS = ("nomor, tahun, urut, klasifikasi, unit, perihal, tujuan, tanggal, jenis, doc_id, "
            "status, alasan, dibuat")


@dataclass(frozen=True)
class Entry:
    """One line of the buku agenda."""

    nomor: str
    tahun: int
    urut: int
    klasifikasi: str
    unit: str
    perihal: str
    tujuan: str
    tanggal: dt.date
    jenis: str
    doc_id: str
    status: str
    alasan: str
    dibuat: dt.datetime

    @property
    def batal(self) -> bool:
        return self.status == STATUS_BATAL

    @classmethod
    def _from_row(cls, row: tuple) -> Entry:
        (nomor, tahun, urut, klas, unit, perihal, tujuan, tanggal, jenis, doc_id,
         status, alasan, dibuat) = row
        return cls(nomor, tahun, urut, klas, unit, perihal, tujuan, dt.date.fromisoformat(tanggal),
                   jenis, doc_id, status, alasan, dt.datetime.fromisoformat(dibuat))


class Register:
    """The register of one workspace. Keep one per process: it holds its connection open."""

    SYNCHRONOUS = "FULL"  # a number handed out survives a power cut (see module doc)

    def __init__(
        self,
        db_path: str | Path,
        penomoran: Penomoran | None = None,
        *,
        unit: str = "",
        codes: dict[str, str] | None = None,
        config_file: str | Path | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        timeout: float = 60.0,
        url: str | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.url = url or None
        self.where = db.redact(url) if url else str(self.db_path)
        self.penomoran = penomoran or Penomoran()
        self.unit = unit
        self._codes = codes
        self.config_file = config_file
        self.today = today
        self.timeout = timeout
        try:
            self.format = nomor_mod.parse(self.penomoran.format, self.penomoran.padding,
                                          self.penomoran.lingkup, self.penomoran.kode)
        except nomor_mod.FormatProblem as exc:
            raise ConfigError(str(exc), file=config_file, field="penomoran.format", fix=exc.fix) from None
        self._con: sqlite3.Connection | db.PgConnection | None = None
        # One connection per Register; the lock lets threads (the archive watcher) share it.
        self._lock = threading.RLock()

    @classmethod
    def for_workspace(cls, ws: Workspace, *, today: Callable[[], dt.date] | None = None) -> Register:
        """The workspace's register, with its number format, unit code and code table."""
        return cls(
            ws.register_db, ws.config.penomoran, unit=ws.config.kop.kode_unit,
            codes=codes_mod.table(ws), config_file=ws.config_file,
            today=today or dt.date.today, url=db.database_url(ws),
        )

    # --- connection ----------------------------------------------------------
    @property
    def con(self) -> sqlite3.Connection | db.PgConnection:
        with self._lock:
            if self._con is None:
                self._con = self._open()
            return self._con

    def _open(self) -> sqlite3.Connection | db.PgConnection:
        if self.url:
            return self._open_pg(self.url)
        if on_network_share(self.db_path):
            # SQLite's locks and WAL's shared memory are not reliable over SMB/NFS: two PCs
            # could be handed the same nomor. Refuse before the file is touched.
            raise ConfigError(
                f"the register {self.db_path} is on a network share, where SQLite cannot "
                "guarantee that two PCs never get the same number", file=self.config_file,
                field="paths.register_db",
                fix='share the register through a database server instead: [database] url = '
                    '"postgresql://..." in docgen.toml; or keep register.sqlite on a local disk '
                    "of one PC (paths.register_db)")
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
        con = sqlite3.connect(self.db_path, timeout=self.timeout, isolation_level=None,
                              check_same_thread=False)
        try:
            for attempt in range(50):  # many processes opening a brand-new file at once
                try:
                    con.execute("PRAGMA journal_mode=WAL")
                    con.execute(f"PRAGMA synchronous={self.SYNCHRONOUS}")
                    if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                        con.execute("BEGIN IMMEDIATE")
                        # statement by statement: executescript would commit the open transaction
                        for stmt in filter(str.strip, _SCHEMA.split(";")):
                            con.execute(stmt)
                        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                        con.execute("COMMIT")
                    break
                except sqlite3.OperationalError as exc:
                    if con.in_transaction:
                        con.execute("ROLLBACK")
                    if "locked" not in str(exc) or attempt == 49:
                        raise
                    time.sleep(0.05)
        except sqlite3.DatabaseError as exc:
            con.close()
            raise ConfigError(f"cannot open the register {self.db_path}: {exc}", file=self.config_file,
                              field="paths.register_db",
                              fix="point paths.register_db at a writable register.sqlite "
                                  "(a local disk: SQLite WAL does not work on network shares)") from None
        return con

    def _open_pg(self, url: str) -> db.PgConnection:
        con = db.PgConnection(url, config_file=self.config_file)
        try:
            with db.migrating(con):
                if db.check_schema(con, "register", SCHEMA_VERSION, ("counter", "entry", "surat_masuk"),
                                   config_file=self.config_file):
                    for stmt in filter(str.strip, _SCHEMA.split(";")):
                        con.execute(stmt)
                    con.set_schema_version("register", SCHEMA_VERSION)
        except BaseException:
            con.close()
            raise
        return con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection | db.PgConnection]:
        """One write transaction (docgen.db.write): committed if the block succeeds."""
        with self._lock:
            try:
                with db.write(self.con) as con:
                    yield con
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                raise DocgenError(f"the register {self.where} is busy: {exc}",
                                  fix="try again; if it stays busy, close the program that holds it") from None

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self.con.execute(sql, args).fetchall()

    # --- taking numbers ------------------------------------------------------
    def _prepare(self, klasifikasi: str, perihal: str, tujuan: str, jenis: str, doc_id: str,
                 tanggal: dt.date | dt.datetime | str | None, unit: str | None) -> dict:
        """Check the input before any lock is taken: bad input consumes no number."""
        codes = self._codes if self._codes is not None else codes_mod.shipped()
        klasifikasi = codes_mod.check(codes, klasifikasi or "",
                                      izinkan_kode_lain=self.penomoran.izinkan_kode_lain)
        if not (perihal or "").strip():
            raise InputError("perihal is empty", field="perihal",
                             fix="say what the letter is about, e.g. --perihal \"Laporan Kinerja\"")
        if isinstance(tanggal, str):
            try:
                tanggal = dt.date.fromisoformat(tanggal)
            except ValueError:
                raise InputError(f"tanggal {tanggal!r} is not a date", field="tanggal",
                                 fix="write it as YYYY-MM-DD, e.g. 2026-11-22") from None
        if isinstance(tanggal, dt.datetime):
            tanggal = tanggal.date()
        tanggal = tanggal or self.today()
        unit = (unit if unit is not None else self.unit).strip()
        if "unit" in self.format.tokens and not unit:
            raise ConfigError("the unit code is empty", file=self.config_file, field="kop.kode_unit",
                              fix='set kop.kode_unit, e.g. kode_unit = "Diskominfo"')
        lingkup = self.penomoran.lingkup
        kunci = {"tahun": "", "tahun-klasifikasi": klasifikasi, "tahun-unit": unit}[lingkup]
        return {
            "klasifikasi": klasifikasi, "perihal": perihal.strip(), "tujuan": (tujuan or "").strip(),
            "jenis": jenis or "", "doc_id": doc_id or "", "tanggal": tanggal, "unit": unit,
            "lingkup": lingkup, "kunci": kunci,
        }

    def _insert(self, con: sqlite3.Connection | db.PgConnection, f: dict, status: str,
                sumber: str = "") -> Entry:
        tahun = f["tanggal"].year
        (urut,) = con.execute(
            "INSERT INTO counter (tahun, lingkup, kunci, terakhir) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (tahun, lingkup, kunci) DO UPDATE SET terakhir = counter.terakhir + 1 "
            "RETURNING terakhir",
            (tahun, f["lingkup"], f["kunci"]),
        ).fetchone()
        nomor = self.format.render(klasifikasi=f["klasifikasi"], urut=urut, unit=f["unit"],
                                   tanggal=f["tanggal"])
        dibuat = dt.datetime.now().replace(microsecond=0)
        try:
            con.execute(
                "INSERT INTO entry (nomor, tahun, lingkup, kunci, urut, klasifikasi, unit, perihal, "
                "tujuan, tanggal, jenis, doc_id, status, alasan, dibuat) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
                (nomor, tahun, f["lingkup"], f["kunci"], urut, f["klasifikasi"], f["unit"],
                 f["perihal"], f["tujuan"], f["tanggal"].isoformat(), f["jenis"], f["doc_id"],
                 status, dibuat.isoformat()),
            )
            if sumber:
                (entry_id,) = con.execute("SELECT id FROM entry WHERE tahun = ? AND nomor = ?",
                                          (tahun, nomor)).fetchone()
                con.execute("INSERT INTO sumber (sumber, entry_id) VALUES (?, ?) "
                            "ON CONFLICT (sumber) DO UPDATE SET entry_id = excluded.entry_id",
                            (sumber, entry_id))
        except (sqlite3.IntegrityError, db.IntegrityError):
            # Only possible when penomoran changed mid-year so two scopes print the same nomor.
            raise ConfigError(
                f"nomor {nomor} is already in the register for {tahun}", file=self.config_file,
                field="penomoran", fix="penomoran.format or lingkup changed this year; restore it") from None
        return Entry(nomor, tahun, urut, f["klasifikasi"], f["unit"], f["perihal"], f["tujuan"],
                     f["tanggal"], f["jenis"], f["doc_id"], status, "", dibuat)

    @contextmanager
    def taking(self, *, klasifikasi: str, perihal: str, tujuan: str = "", jenis: str = "",
               doc_id: str = "", tanggal: dt.date | None = None, unit: str | None = None,
               sumber: str = "", replaces: tuple[Entry, str] | None = None,
               _status: str = STATUS_TERBIT) -> Iterator[Entry]:
        """Take the next number; it is committed only if the ``with`` block succeeds.

        The register stays locked for writers while the block runs (others wait, up to
        ``timeout``), which is what lets a failed render give its number back without a gap.
        Keep the block short: render the DOCX inside (and, for `make --pdf`, the PDF, so a
        failed LibreOffice gives the number back; other writers wait meanwhile).

        ``sumber`` records the data file the letter is made from; ``replaces`` (entry,
        reason) voids that entry in the same transaction (`make --nomor-baru`).
        """
        f = self._prepare(klasifikasi, perihal, tujuan, jenis, doc_id, tanggal, unit)
        if replaces is not None and not (replaces[1] or "").strip():
            raise InputError("a new number voids the old one, and a void needs a reason", field="alasan",
                             fix='say why, e.g. --alasan "salah tujuan"')
        with self._write() as con:
            if replaces is not None:
                old, reason = replaces
                con.execute("UPDATE entry SET status = ?, alasan = ? WHERE tahun = ? AND nomor = ?",
                            (STATUS_BATAL, reason.strip(), old.tahun, old.nomor))
            yield self._insert(con, f, _status, sumber)

    def take(self, *, klasifikasi: str, perihal: str, tujuan: str = "", jenis: str = "",
             doc_id: str = "", tanggal: dt.date | None = None, unit: str | None = None) -> Entry:
        """Take and issue the next number (status "terbit")."""
        with self.taking(klasifikasi=klasifikasi, perihal=perihal, tujuan=tujuan, jenis=jenis,
                         doc_id=doc_id, tanggal=tanggal, unit=unit) as entry:
            return entry

    def reserve(self, *, klasifikasi: str, perihal: str, tujuan: str = "", jenis: str = "",
                doc_id: str = "", tanggal: dt.date | None = None, unit: str | None = None) -> Entry:
        """Reserve the next number for a draft (status "dipesan"); `confirm` it once signed."""
        with self.taking(klasifikasi=klasifikasi, perihal=perihal, tujuan=tujuan, jenis=jenis,
                         doc_id=doc_id, tanggal=tanggal, unit=unit, _status=STATUS_DIPESAN) as entry:
            return entry

    # --- changing entries ----------------------------------------------------
    def _require(self, con: sqlite3.Connection | db.PgConnection, nomor: str, tahun: int | None) -> tuple[int, Entry]:
        row = self._lookup(con, nomor, tahun)
        if row is None:
            raise InputError(f"nomor {nomor!r} is not in the register", field="nomor",
                             fix="copy the nomor exactly from `docgen register list`")
        return row[0], Entry._from_row(row[1:])

    def _lookup(self, con: sqlite3.Connection | db.PgConnection, nomor: str, tahun: int | None) -> tuple | None:
        sql = f"SELECT id, {_COLUMNS} FROM entry WHERE nomor = ?"
        args: list = [nomor.strip()]
        if tahun is not None:
            sql += " AND tahun = ?"
            args.append(tahun)
        # A format without {tahun} repeats numbers across years: the latest year wins.
        with self._lock:
            return con.execute(sql + " ORDER BY tahun DESC LIMIT 1", args).fetchone()

    def confirm(self, nomor: str, *, tahun: int | None = None) -> Entry:
        """Issue a reserved number once the letter is signed ("dipesan" -> "terbit")."""
        with self._write() as con:
            rowid, entry = self._require(con, nomor, tahun)
            if entry.status == STATUS_TERBIT:
                return entry  # confirming twice is harmless
            if entry.status == STATUS_BATAL:
                raise InputError(f"nomor {entry.nomor} is void ({entry.alasan}) and cannot be issued",
                                 field="nomor", fix="take a new number with `docgen register take`")
            con.execute("UPDATE entry SET status = ? WHERE id = ?", (STATUS_TERBIT, rowid))
        return self.get(entry.nomor, tahun=entry.tahun)  # type: ignore[return-value]

    def void(self, nomor: str, reason: str, *, tahun: int | None = None) -> Entry:
        """Void a number: it stays in the register marked "batal" and is never reused."""
        if not (reason or "").strip():
            raise InputError("a void needs a reason", field="reason",
                             fix='say why, e.g. --reason "salah tujuan, diganti nomor berikutnya"')
        with self._write() as con:
            rowid, entry = self._require(con, nomor, tahun)
            if entry.status == STATUS_BATAL:
                raise InputError(f"nomor {entry.nomor} is already void ({entry.alasan})", field="nomor")
            con.execute("UPDATE entry SET status = ?, alasan = ? WHERE id = ?",
                        (STATUS_BATAL, reason.strip(), rowid))
        return self.get(entry.nomor, tahun=entry.tahun)  # type: ignore[return-value]

    # --- reading -------------------------------------------------------------
    def get(self, nomor: str, *, tahun: int | None = None) -> Entry | None:
        row = self._lookup(self.con, nomor, tahun)
        return Entry._from_row(row[1:]) if row else None

    def find_by_doc_id(self, doc_id: str) -> Entry | None:
        if not doc_id:
            return None
        rows = self._read(f"SELECT {_COLUMNS} FROM entry WHERE doc_id = ? ORDER BY id LIMIT 1", (doc_id,))
        return Entry._from_row(rows[0]) if rows else None

    def find_by_source(self, sumber: str) -> Entry | None:
        """The live (not void) entry made from the data file ``sumber``, or None."""
        cols = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
        rows = self._read(f"SELECT {cols} FROM sumber s JOIN entry e ON e.id = s.entry_id "
                          "WHERE s.sumber = ? AND e.status != ?", (sumber, STATUS_BATAL))
        return Entry._from_row(rows[0]) if rows else None

    def correct(self, entry: Entry, *, perihal: str, tujuan: str, tanggal: dt.date) -> Entry:
        """A corrected letter keeps its nomor; the buku agenda follows its perihal, tujuan, date."""
        with self._write() as con:
            con.execute("UPDATE entry SET perihal = ?, tujuan = ?, tanggal = ? WHERE tahun = ? AND nomor = ?",
                        (perihal.strip(), (tujuan or "").strip(), tanggal.isoformat(), entry.tahun, entry.nomor))
        return self.get(entry.nomor, tahun=entry.tahun)  # type: ignore[return-value]

    def scope_of(self, klasifikasi: str = "", unit: str | None = None) -> tuple[str, str]:
        """(lingkup, kunci) of the counter a letter with this klasifikasi/unit counts on."""
        lingkup = self.penomoran.lingkup
        unit = (unit if unit is not None else self.unit).strip()
        return lingkup, {"tahun": "", "tahun-klasifikasi": klasifikasi, "tahun-unit": unit}[lingkup]

    def start(self, tahun: int, dari: int, *, klasifikasi: str = "", unit: str | None = None) -> None:
        """Continue a counter from a paper agenda: the next number taken is ``dari``.

        Refused once the register holds a number at or above ``dari`` on that counter
        (those letters exist; starting lower or at them would repeat numbers)."""
        if dari < 1:
            raise InputError(f"--dari {dari} is not a number of the agenda", field="dari",
                             fix="give the first number docgen should take, e.g. --dari 148")
        if self.penomoran.lingkup == "tahun-klasifikasi":
            if not klasifikasi:
                raise InputError("the counter runs per klasifikasi (penomoran.lingkup = tahun-klasifikasi)",
                                 field="klasifikasi", fix="say which: --klasifikasi 000.7.5")
            codes = self._codes if self._codes is not None else codes_mod.shipped()
            klasifikasi = codes_mod.check(codes, klasifikasi, izinkan_kode_lain=self.penomoran.izinkan_kode_lain)
        lingkup, kunci = self.scope_of(klasifikasi, unit)
        with self._write() as con:
            row = con.execute("SELECT terakhir FROM counter WHERE tahun = ? AND lingkup = ? AND kunci = ?",
                              (tahun, lingkup, kunci)).fetchone()
            terakhir = row[0] if row else 0
            if terakhir >= dari:
                raise InputError(
                    f"the register already holds number {terakhir} of {tahun}"
                    + (f" ({kunci})" if kunci else "") + f"; it cannot continue from {dari}",
                    field="dari", fix=f"give a number above {terakhir}, or leave the counter as it is")
            con.execute("INSERT INTO counter (tahun, lingkup, kunci, terakhir) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (tahun, lingkup, kunci) DO UPDATE SET terakhir = excluded.terakhir",
                        (tahun, lingkup, kunci, dari - 1))
            con.execute("INSERT INTO mulai (tahun, lingkup, kunci, dari, dibuat) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (tahun, lingkup, kunci) DO UPDATE SET dari = excluded.dari, "
                        "dibuat = excluded.dibuat",
                        (tahun, lingkup, kunci, dari, dt.datetime.now().replace(microsecond=0).isoformat()))

    def starts(self, tahun: int | None = None) -> list[tuple[int, str, str, int]]:
        """(tahun, lingkup, kunci, dari) of every counter continued from a paper agenda."""
        sql = "SELECT tahun, lingkup, kunci, dari FROM mulai"
        args: list = []
        if tahun is not None:
            sql += " WHERE tahun = ?"
            args.append(tahun)
        return [tuple(r) for r in self._read(sql + " ORDER BY tahun, kunci", args)]  # type: ignore[misc]

    def list(self, tahun: int | None = None, klasifikasi: str | None = None) -> list[Entry]:
        """Entries in the order they were taken; klasifikasi matches the code and its children."""
        where, args = self._where(tahun, klasifikasi)
        return [Entry._from_row(r) for r in
                self._read(f"SELECT {_COLUMNS} FROM entry WHERE {where} ORDER BY tahun, id", args)]

    @staticmethod
    def _where(tahun: int | None, klasifikasi: str | None) -> tuple[str, list]:
        sql, args = "1=1", []
        if tahun is not None:
            sql += " AND tahun = ?"
            args.append(tahun)
        if klasifikasi:
            k = klasifikasi.strip().rstrip(".")
            sql += " AND (klasifikasi = ? OR substr(klasifikasi, 1, ?) = ?)"
            args += [k, len(k) + 1, k + "."]
        return sql, args

    def count(self, tahun: int | None = None, klasifikasi: str | None = None) -> int:
        where, args = self._where(tahun, klasifikasi)
        if klasifikasi:  # one pass over the rows beats a lookup per row from the (tahun, nomor) index
            where = where.replace("tahun = ?", "+tahun = ?")
        return self._read(f"SELECT count(*) FROM entry WHERE {where}", args)[0][0]

    def page(self, tahun: int | None = None, klasifikasi: str | None = None, *, offset: int = 0,
             limit: int = 50) -> list[Entry]:
        """One page of the buku agenda, the newest first (a screen, not the whole year)."""
        where, args = self._where(tahun, klasifikasi)
        # "+tahun": walk the rows newest first and stop at the page, instead of sorting the
        # whole year from the (tahun, nomor) index (240 ms for 100,000 letters)
        where = where.replace("tahun = ?", "+tahun = ?")
        rows = self._read(f"SELECT {_COLUMNS} FROM entry WHERE {where} ORDER BY id DESC "
                          "LIMIT ? OFFSET ?", [*args, limit, offset])
        return [Entry._from_row(r) for r in rows]

    def dated_later_before(self, entry: Entry) -> Entry | None:
        """An earlier number of the same counter dated after ``entry`` (the buku agenda
        would run backwards in time: an auditor asks why), or None."""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM entry WHERE (tahun, lingkup, kunci) = "
            "(SELECT tahun, lingkup, kunci FROM entry WHERE tahun = ? AND nomor = ?) "
            "AND urut < ? AND tanggal > ? AND status != ? ORDER BY tanggal DESC, urut LIMIT 1",
            (entry.tahun, entry.nomor, entry.urut, entry.tanggal.isoformat(), STATUS_BATAL),
        )
        return Entry._from_row(rows[0]) if rows else None

    def dated_after(self, tanggal: dt.date, *, klasifikasi: str = "", unit: str | None = None) -> Entry | None:
        """The latest live entry of the counter a new letter of ``tanggal`` would count on,
        if it is dated after ``tanggal`` (taking a number now would back-date)."""
        lingkup, kunci = self.scope_of(klasifikasi.strip(), unit)
        rows = self._read(
            f"SELECT {_COLUMNS} FROM entry WHERE tahun = ? AND lingkup = ? AND kunci = ? AND tanggal > ? "
            "AND status != ? ORDER BY tanggal DESC, urut LIMIT 1",
            (tanggal.year, lingkup, kunci, tanggal.isoformat(), STATUS_BATAL))
        return Entry._from_row(rows[0]) if rows else None

    def years(self) -> list[int]:
        return [r[0] for r in self._read("SELECT DISTINCT tahun FROM entry ORDER BY tahun")]
