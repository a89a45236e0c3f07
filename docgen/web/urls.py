from django.http import HttpResponse
from django.urls import path, re_path
from django.views.static import serve

from . import HERE
from .views import admin, agenda, arsip, common, naskah, ttd, verifikasi

urlpatterns = [
    path("", common.beranda),
    path("masuk/", common.masuk),
    path("keluar/", common.keluar),
    path("naskah/", naskah.index),
    path("naskah/baru/<slug:jenis>/", naskah.baru),
    path("naskah/<int:pk>/", naskah.ubah),
    path("naskah/<int:pk>/unduh/<str:what>/", naskah.unduh),
    path("naskah/kode/", naskah.kode),
    path("agenda/", agenda.index),
    path("agenda/batal/", agenda.batal),
    path("agenda/ekspor/<str:fmt>/", agenda.ekspor),
    path("arsip/", arsip.index),
    path("arsip/<int:pk>/", arsip.dokumen),
    path("arsip/<int:pk>/berkas/", arsip.berkas),
    path("arsip/unggah/", arsip.unggah),
    path("arsip/karantina/", arsip.karantina_list),
    path("arsip/karantina/coba/", arsip.coba_lagi),
    path("ttd/", ttd.index),
    path("v/<str:doc_id>", verifikasi.halaman),
    path("v/<str:doc_id>/", verifikasi.halaman),
    path("jejak/", admin.jejak_list),
    path("jejak/ekspor/", admin.jejak_ekspor),
    path("pengguna/", admin.pengguna),
    path("favicon.ico", lambda request: HttpResponse(status=204)),
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": str(HERE / "static")}),
]

handler403 = "docgen.web.views.common.dilarang"
handler404 = "docgen.web.views.common.tidak_ada"
