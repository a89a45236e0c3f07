"""Writing the audit log: one call per action, from every view that changes something."""

from __future__ import annotations

import datetime as dt

from .models import Jejak

# actions, as the log shows them
AKSI = {
    "masuk": "Masuk", "masuk_gagal": "Gagal masuk", "keluar": "Keluar",
    "konsep": "Konsep disimpan", "terbit": "Diterbitkan (nomor diambil)", "batal": "Nomor dibatalkan",
    "ttd": "Ditandatangani", "ttd_gagal": "Gagal tanda tangan", "arsip": "Diarsipkan",
    "karantina": "Masuk karantina", "coba_lagi": "Dicoba lagi", "unggah": "Diunggah",
    "ekspor": "Diekspor", "pengguna": "Akun dibuat",
}


def alamat(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64] if request is not None else ""


def catat(request, aksi: str, *, nomor: str = "", doc_id: str = "", keterangan: str = "",
          pengguna: str | None = None) -> Jejak:
    if pengguna is None:
        user = getattr(request, "user", None)
        pengguna = user.username if user is not None and user.is_authenticated else "-"
    return Jejak.objects.create(pengguna=pengguna, aksi=aksi, nomor=nomor[:200], doc_id=doc_id[:64],
                                keterangan=keterangan, alamat=alamat(request))


def gagal_masuk_baru(username: str, minutes: int = 15) -> int:
    """Failed logins for this name in the last minutes: the throttle reads the log itself,
    so it holds across restarts and across server processes."""
    from django.utils import timezone

    since = timezone.now() - dt.timedelta(minutes=minutes)
    return Jejak.objects.filter(aksi="masuk_gagal", pengguna=username[:150], waktu__gte=since).count()
