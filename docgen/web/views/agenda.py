"""Buku agenda: the register by year and classification; void; export XLSX/DOCX."""

from __future__ import annotations

import datetime as dt
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
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
    with register(ws) as reg:
        entries = reg.list(tahun=tahun, klasifikasi=klas or None)
        years = sorted(set(reg.years()) | {dt.date.today().year}, reverse=True)
    entries.reverse()  # newest first on screen; the export keeps the register's order
    page = Paginator(entries, PER_HALAMAN).get_page(request.GET.get("hal"))
    return render(request, "web/agenda.html", {
        "aktif": "agenda", "tahun": tahun, "klasifikasi": klas, "years": years, "page": page,
        "jumlah": len(entries),
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
