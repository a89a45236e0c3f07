"""The web application's own tables: accounts' roles, drafts, the audit log.

Users themselves are django.contrib.auth users; the register and the archive stay the
library's, never touched here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

STAF, PEJABAT, ARSIPARIS, ADMIN = "staf", "pejabat", "arsiparis", "admin"
PERAN = [(STAF, "Staf"), (PEJABAT, "Pejabat"), (ARSIPARIS, "Arsiparis"), (ADMIN, "Admin")]


class Akun(models.Model):
    """A user's role, and for a pejabat the key of [pejabat] whose signing key is theirs."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="akun")
    peran = models.CharField(max_length=16, choices=PERAN)
    pejabat = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.peran})"


class Konsep(models.Model):
    """A draft: its data is the YAML file the CLI reads (``berkas``, relative to the workspace)."""

    KONSEP, TERBIT = "konsep", "terbit"
    pemilik = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="konsep")
    jenis = models.CharField(max_length=64)
    judul = models.CharField(max_length=300, blank=True, default="")
    berkas = models.CharField(max_length=500)
    status = models.CharField(max_length=16, default=KONSEP)
    nomor = models.CharField(max_length=200, blank=True, default="")
    doc_id = models.CharField(max_length=64, blank=True, default="")
    docx = models.CharField(max_length=500, blank=True, default="")
    pdf = models.CharField(max_length=500, blank=True, default="")
    pdf_ttd = models.CharField(max_length=500, blank=True, default="")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-diubah"]


class JejakError(Exception):
    pass


class Jejak(models.Model):
    """The audit log: append-only (the model refuses changes; the database's triggers too)."""

    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    pengguna = models.CharField(max_length=150, db_index=True)  # a name, kept if the user goes
    aksi = models.CharField(max_length=32, db_index=True)
    nomor = models.CharField(max_length=200, blank=True, default="")
    doc_id = models.CharField(max_length=64, blank=True, default="")
    keterangan = models.TextField(blank=True, default="")
    alamat = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise JejakError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise JejakError("the audit log is append-only")
