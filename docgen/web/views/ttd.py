"""Tanda tangan: a pejabat signs a finished PDF with their own key and passphrase.

The passphrase comes in one POST body, opens the key, and is dropped: it is never
stored, never logged (sensitive_post_parameters), never put in a URL. The key file
stays on the server ([tte.penandatangan.NAME] p12).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from ...errors import DocgenError
from ...sign import cli_support, verdict
from ...sign import verify as v
from .. import akun, jejak, state
from ..models import Konsep
from .arsip import check_upload, file_now, record

RINGKASAN = {
    v.OK: "Tanda tangan elektronik sah dan dokumen tidak berubah.",
    v.NO_SIGNATURE: "Dokumen tidak memiliki tanda tangan elektronik.",
    v.UNTRUSTED: "Tanda tangan elektronik utuh, tetapi sertifikatnya tidak dipercaya.",
    v.BROKEN: "Tanda tangan elektronik tidak sah atau dokumen telah diubah setelah ditandatangani.",
}


def verify_url() -> str:
    return settings.DOCGEN_PUBLIC_URL.rstrip("/") + "/v/"


def _siap():
    """Issued documents with a PDF, not yet signed."""
    return Konsep.objects.filter(status=Konsep.TERBIT).exclude(pdf="").filter(pdf_ttd="")


@sensitive_post_parameters("passphrase")
@sensitive_variables("passphrase", "key")
@akun.perlu("ttd")
@require_http_methods(["GET", "POST"])
def index(request):
    ws = state.ws()
    names = akun.signers_of(ws, request.user)
    ctx = {"aktif": "ttd", "siap": _for_me(ws, request.user.akun.pejabat, _siap()[:100]), "signers": names,
           "pejabat": ws.config.pejabat.get(request.user.akun.pejabat)}
    if request.method == "GET":
        return render(request, "web/ttd.html", ctx)
    name = request.POST.get("penandatangan", names[0] if len(names) == 1 else "")
    if name not in names:  # only their own key, whatever the form says
        messages.error(request, "Kunci itu bukan milik akun Anda.")
        return render(request, "web/ttd.html", ctx, status=403)
    konsep = None
    if request.POST.get("konsep"):
        try:
            konsep = _siap().get(pk=int(request.POST["konsep"]))
        except (ValueError, Konsep.DoesNotExist):
            messages.error(request, "Naskah itu tidak ada atau sudah ditandatangani.")
            return render(request, "web/ttd.html", ctx, status=400)
        src = ws.root / konsep.pdf
    else:
        f = request.FILES.get("berkas")
        why = check_upload(ws, f)
        if why:
            messages.error(request, why)
            return render(request, "web/ttd.html", ctx, status=400)
        folder = ws.output_dir / "ttd" / uuid.uuid4().hex[:8]
        folder.mkdir(parents=True, exist_ok=True)
        src = folder / Path(f.name).name
        with src.open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
    passphrase = request.POST.get("passphrase", "")
    try:
        key = cli_support.signer_for_workspace(ws, name, passphrase=passphrase)
        out = cli_support.sign_for_workspace(ws, src, name, signer=key, verify_url=verify_url())
    except DocgenError as exc:
        wrong = exc.field == "passphrase"
        jejak.catat(request, "ttd_gagal", nomor=konsep.nomor if konsep else "",
                    doc_id=konsep.doc_id if konsep else "",
                    keterangan="kata sandi salah" if wrong else exc.message)
        messages.error(request, "Kata sandi kunci salah; tidak ada yang ditandatangani." if wrong
                       else f"Tidak ditandatangani: {exc.message}")
        return render(request, "web/ttd.html", ctx, status=400)
    finally:
        passphrase = ""  # noqa: F841 - not kept beyond the signing
    statuses = cli_support.verify_for_workspace(ws, out)
    code = verdict(statuses)
    doc_id = konsep.doc_id if konsep else _doc_id(out)
    if konsep:
        konsep.pdf_ttd = out.resolve().relative_to(ws.root).as_posix()
        konsep.save()
    jejak.catat(request, "ttd", nomor=konsep.nomor if konsep else "", doc_id=doc_id,
                keterangan=f"{out.name} ({name})")
    r = None
    if request.POST.get("arsipkan", "on") == "on":
        r = file_now(ws, _copy_for_inbox(ws, out))
        record(request, r, out.name, doc_id, konsep.nomor if konsep else "")
    return render(request, "web/ttd_hasil.html", {
        "aktif": "ttd", "statuses": statuses, "ringkasan": RINGKASAN.get(code, ""), "sah": code == v.OK,
        "berkas": out.name, "konsep": konsep, "doc_id": doc_id,
        "url": verify_url() + doc_id if doc_id else "", "arsip": r,
    })


SIGNER_FIELDS = ("penandatangan", "pendisposisi", "dari", "disahkan_oleh", "peminta")


def _for_me(ws, key: str, konsep) -> list[tuple[Konsep, bool]]:
    """The letters waiting, those whose data names this pejabat as signer first."""
    from ... import datafile

    out = []
    for k in konsep:
        try:
            data = datafile.load_yaml(ws.root / k.berkas)
        except DocgenError:
            data = {}
        given = {str(data[f]) for f in SIGNER_FIELDS if isinstance(data, dict) and data.get(f)}
        named = given or {"kepala"}  # a letter that names no signer means the head
        mine = key in named or ("kepala" in named and key == ws.config.pimpinan)
        out.append((k, mine))
    return sorted(out, key=lambda km: not km[1])


def _copy_for_inbox(ws, signed: Path) -> Path:
    import shutil

    ws.inbox_dir.mkdir(parents=True, exist_ok=True)
    tmp = ws.inbox_dir / f".ttd-{uuid.uuid4().hex}.tmp"
    shutil.copyfile(signed, tmp)
    target = ws.inbox_dir / signed.name
    if target.exists():
        target = ws.inbox_dir / f"{signed.stem}-{uuid.uuid4().hex[:6]}.pdf"
    tmp.replace(target)
    return target


def _doc_id(pdf: Path) -> str:
    """The document id the signature recorded in /Info (the one in its QR code)."""
    from pypdf import PdfReader

    from ...sign.sign import _info_doc_id

    try:
        return _info_doc_id(PdfReader(str(pdf)))
    except Exception:  # noqa: BLE001 - no id to show is not an error
        return ""


__all__ = ["index", "redirect"]
