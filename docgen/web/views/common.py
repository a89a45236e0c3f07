"""Login, logout, the home page, and what every page shows."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from .. import akun, jejak, state
from ..models import Konsep

MENU = [
    ("beranda", "/", "Beranda", None),
    ("naskah", "/naskah/", "Buat naskah", "konsep"),
    ("agenda", "/agenda/", "Buku agenda", None),
    ("arsip", "/arsip/", "Arsip", None),
    ("ttd", "/ttd/", "Tanda tangan", "ttd"),
    ("jejak", "/jejak/", "Jejak audit", "jejak"),
    ("pengguna", "/pengguna/", "Pengguna", "pengguna"),
]


def umum(request):
    try:
        kop = state.ws().config.kop
        kantor = " ".join(kop.instansi) + (f" {kop.pemerintah.title()}" if kop.pemerintah else "")
    except Exception:  # noqa: BLE001 - a broken docgen.toml shows on the pages that need it
        kantor = ""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "peran": "", "kantor": kantor}
    menu = [(key, url, text) for key, url, text, hak in MENU if hak is None or akun.boleh(user, hak)]
    return {"menu": menu, "peran": akun.peran(user), "kantor": kantor,
            "hak": {h: akun.boleh(user, h) for h in akun.HAK}}


def csrf_gagal(request, reason: str = ""):
    html = render_to_string("web/pesan.html", {
        "judul": "Formulir kedaluwarsa",
        "pesan": "Formulir ini tidak dapat diterima (token keamanan tidak cocok). "
                 "Muat ulang halaman, lalu kirim lagi."}, request=request)
    return HttpResponseForbidden(html)


def _throttled(ws, username: str, request) -> bool:
    maks = ws.config.web.login_gagal_maks
    if jejak.gagal_masuk_baru(username) >= maks:
        return True
    from django.utils import timezone

    from ..models import Jejak
    since = timezone.now() - __import__("datetime").timedelta(minutes=15)
    by_addr = Jejak.objects.filter(aksi="masuk_gagal", alamat=jejak.alamat(request), waktu__gte=since).count()
    return by_addr >= 4 * maks


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def masuk(request):
    ws = state.ws()
    error = ""
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        if _throttled(ws, username, request):
            jejak.catat(request, "masuk_gagal", pengguna=username, keterangan="ditahan: terlalu banyak percobaan")
            error = "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit, lalu coba lagi."
            return render(request, "web/masuk.html", {"error": error, "username": username, "next": nxt},
                          status=429)
        user = authenticate(request, username=username, password=password)
        if user is None or not akun.peran(user):
            jejak.catat(request, "masuk_gagal", pengguna=username)
            error = "Nama pengguna atau kata sandi salah."
        else:
            login(request, user)
            jejak.catat(request, "masuk")
            return redirect(nxt)
    return render(request, "web/masuk.html", {"error": error, "username": username, "next": nxt})


@require_POST
def keluar(request):
    if request.user.is_authenticated:
        jejak.catat(request, "keluar")
    logout(request)
    return redirect("/masuk/")


def beranda(request):
    import datetime as dt

    from .agenda import register
    from .arsip import karantina_items

    ws = state.ws()
    with register(ws) as reg:
        terakhir = reg.page(tahun=dt.date.today().year, limit=10)  # the newest first
    konsep = Konsep.objects.filter(pemilik=request.user, status=Konsep.KONSEP)[:10]
    return render(request, "web/beranda.html", {
        "aktif": "beranda", "terakhir": terakhir, "konsep": konsep,
        "karantina": karantina_items(ws)[:10],
    })


def dilarang(request, exception=None):
    html = render_to_string("web/pesan.html", {
        "judul": "Tidak diizinkan",
        "pesan": "Peran akun Anda tidak mengizinkan tindakan ini."}, request=request)
    return HttpResponseForbidden(html)


def tidak_ada(request, exception=None):
    from django.http import HttpResponseNotFound

    html = render_to_string("web/pesan.html", {
        "judul": "Halaman tidak ditemukan", "pesan": "Halaman yang Anda cari tidak ada."}, request=request)
    return HttpResponseNotFound(html)
