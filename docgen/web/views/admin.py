"""Admin: the audit log (read and export) and the accounts."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from ...errors import DocgenError
from .. import akun, jejak, state
from ..models import PERAN, Jejak


def _filtered(request):
    qs = Jejak.objects.all()
    if request.GET.get("aksi"):
        qs = qs.filter(aksi=request.GET["aksi"])
    if request.GET.get("pengguna"):
        qs = qs.filter(pengguna=request.GET["pengguna"])
    return qs


@akun.perlu("jejak")
@require_GET
def jejak_list(request):
    page = Paginator(_filtered(request), 50).get_page(request.GET.get("hal"))
    return render(request, "web/jejak.html", {"aktif": "jejak", "page": page, "aksi": jejak.AKSI,
                                              "pilih": request.GET.get("aksi", ""),
                                              "pengguna": request.GET.get("pengguna", "")})


@akun.perlu("jejak")
@require_GET
def jejak_ekspor(request):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["No", "Waktu", "Pengguna", "Aksi", "Nomor", "ID dokumen", "Keterangan", "Alamat"])
    for j in _filtered(request).order_by("id").iterator():
        w.writerow([j.id, j.waktu.isoformat(), j.pengguna, jejak.AKSI.get(j.aksi, j.aksi), j.nomor,
                    j.doc_id, j.keterangan, j.alamat])
    jejak.catat(request, "ekspor", keterangan="jejak audit (CSV)")
    resp = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="jejak-audit.csv"'
    return resp


@sensitive_post_parameters("password")
@akun.perlu("pengguna")
@require_http_methods(["GET", "POST"])
def pengguna(request):
    ws = state.ws()
    status = 200
    if request.method == "POST":
        try:
            a = akun.add_user(ws, request.POST.get("username", "").strip(), request.POST.get("password", ""),
                              request.POST.get("peran", ""), request.POST.get("pejabat", "").strip())
        except DocgenError as exc:
            messages.error(request, f"Akun tidak dibuat: {exc.message}")
            status = 400
        else:
            jejak.catat(request, "pengguna", keterangan=f"{a.user.username} ({a.peran})")
            messages.success(request, f"Akun {a.user.username} dibuat.")
            return redirect("/pengguna/")
    return render(request, "web/pengguna.html", {
        "aktif": "pengguna", "akun": akun.list_users(), "peran_pilihan": PERAN,
        "pejabat": sorted(ws.config.pejabat.items()),
    }, status=status)
