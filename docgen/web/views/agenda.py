"""Buku agenda: the register by year and classification; void; export XLSX/DOCX."""

from __future__ import annotations

import datetime as dt
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ...errors import DocgenError
from ...register import Register
from ...register import agenda as agenda_mod
from .. import akun, jejak, state

PER_HALAMAN = 50


@contextmanager
def register(ws):
    reg = Register.for_workspace(ws)
    try:
        yield reg
    finally:
        reg.close()


def _tahun(request) -> int:
    try:
        return int(request.GET.get("tahun") or request.POST.get("tahun") or dt.date.today().year)
    except ValueError:
        return dt.date.today().year


@require_GET
def index(request):
    ws = state.ws()
    tahun = _tahun(request)
    klas = request.GET.get("klasifikasi", "").strip()[:50]
    try:
        hal = max(1, int(request.GET.get("hal", "1")))
    except ValueError:
        hal = 1
    with register(ws) as reg:
        jumlah = reg.count(tahun=tahun, klasifikasi=klas or None)
        pages = max(1, -(-jumlah // PER_HALAMAN))
        hal = min(hal, pages)
        # newest first on screen; the export keeps the register's order
        entries = reg.page(tahun=tahun, klasifikasi=klas or None, offset=(hal - 1) * PER_HALAMAN,
                           limit=PER_HALAMAN)
        years = sorted(set(reg.years()) | {dt.date.today().year}, reverse=True)
    page = {"items": entries, "number": hal, "num_pages": pages, "has_previous": hal > 1,
            "has_next": hal < pages, "previous": hal - 1, "next": hal + 1}
    return render(request, "web/agenda.html", {
        "aktif": "agenda", "tahun": tahun, "klasifikasi": klas, "years": years, "page": page,
        "jumlah": jumlah,
    })


@akun.perlu("batal")
@require_POST
def batal(request):
    ws = state.ws()
    nomor = request.POST.get("nomor", "").strip()
    alasan = request.POST.get("alasan", "").strip()
    tahun = _tahun(request)
    try:
        with register(ws) as reg:
            entry = reg.void(nomor, alasan, tahun=tahun)
    except DocgenError as exc:
        messages.error(request, f"Nomor tidak dibatalkan: {exc.message}" + (f" ({exc.fix})" if exc.fix else ""))
    else:
        jejak.catat(request, "batal", nomor=entry.nomor, doc_id=entry.doc_id, keterangan=alasan)
        messages.success(request, f"Nomor {entry.nomor} dibatalkan.")
    return redirect(f"/agenda/?tahun={tahun}")


@require_GET
def ekspor(request, fmt: str):
    if fmt not in ("xlsx", "docx"):
        raise Http404()
    ws = state.ws()
    tahun = _tahun(request)
    klas = request.GET.get("klasifikasi", "").strip()[:50]
    with register(ws) as reg:
        entries = reg.list(tahun=tahun, klasifikasi=klas or None)
    tmp = Path(tempfile.mkdtemp(prefix="docgen-agenda-"))
    xlsx, docx = agenda_mod.export(ws, entries, tahun, tmp)
    path = xlsx if fmt == "xlsx" else docx
    jejak.catat(request, "ekspor", keterangan=f"buku agenda {tahun} ({fmt})")
    # the file is read into memory, so the temporary folder can go at once
    data = path.read_bytes()
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    from django.http import HttpResponse

    ctype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
             else "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return resp


__all__ = ["index", "batal", "ekspor", "FileResponse"]
