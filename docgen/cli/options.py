"""Options shared by the commands, so they read the same everywhere: `--tahun` (alias
`--year`), dates as `--dari/--sampai`, dates written as people write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from .. import formatting


class TanggalType(click.ParamType):
    """A date on the command line as in a data file: 22-11-2026, 22/11/2026,
    "22 November 2026" or 2026-11-22 (day first)."""

    name = "tanggal"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return formatting.parse_tanggal(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


TANGGAL = TanggalType()
F = Callable[..., Any]


def tahun(help: str, dest: str = "tahun") -> Callable[[F], F]:
    """--tahun YEAR, also spelt --year."""
    return click.option("--tahun", "--year", dest, type=click.IntRange(1900, 2999), metavar="YYYY",
                        help=help)


def dari_sampai(what: str) -> Callable[[F], F]:
    """--dari DATE / --sampai DATE (also --from/--to), both days included."""
    def deco(f: F) -> F:
        f = click.option("--sampai", "--to", "sampai", type=TANGGAL, metavar="TANGGAL",
                         help=f"{what} on or before this day (22-11-2026, 2026-11-22, ...).")(f)
        return click.option("--dari", "--from", "dari", type=TANGGAL, metavar="TANGGAL",
                            help=f"{what} on or after this day (22-11-2026, 2026-11-22, ...).")(f)
    return deco
