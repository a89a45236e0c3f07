"""The public page behind every QR code: /v/<doc id>, no login, rate-limited.

It says whether the document is in the archive, with its nomor, date, signer and
signature status, and checks a PDF the visitor holds: byte-identical (hash) and a
valid signature. The perihal is shown only when [web] verifikasi_perihal allows it.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ...archive.lookup import by_doc_id
from ...errors import DocgenError
from ...sign import cli_support, verdict
from ...sign import verify as v
from .. import jejak, state
from .arsip import check_upload
from .ttd import RINGKASAN


def _limited(request, per_minute: int) -> bool:
    key = f"v:{jejak.alamat(request)}:{int(time.time() // 60)}"
    cache.add(key, 0, 70)
    try:
        n = cache.incr(key)
    except ValueError:
        n = 1
    return n > per_minute


def _register_entry(ws, doc_id: str):
    from .agenda import register

    with register(ws) as reg:
        return reg.find_by_doc_id(doc_id)


@require_http_methods(["GET", "POST"])
def halaman(request, doc_id: str):
    ws = state.ws()
    if _limited(request, ws.config.web.verifikasi_per_menit):
        return render(request, "web/verifikasi.html", {"batas": True}, status=429)
    doc_id = doc_id.strip()[:64]
    entries = by_doc_id(ws, doc_id)
    entry = entries[0] if entries else None
    reg = _register_entry(ws, doc_id)
    ctx = {"doc_id": doc_id, "e": entry, "reg": reg, "tampil_perihal": ws.config.web.verifikasi_perihal,
           "dikenal": bool(entry or reg)}
    status = 200 if ctx["dikenal"] else 404
    if request.method == "POST" and ctx["dikenal"]:
        f = request.FILES.get("berkas")
        why = check_upload(ws, f)
        if why:
            ctx["galat"] = why
            status = 400
        else:
            data = f.read()
            sha = hashlib.sha256(data).hexdigest()
            ctx["cek"] = {
                "identik": any(e["sha256"] == sha for e in entries),
                "ada_arsip": bool(entries),
                "sha256": sha,
            }
            try:
                statuses = cli_support.verify_for_workspace(ws, data)
                code = verdict(statuses)
            except DocgenError:
                statuses, code = [], v.BROKEN
            ctx["cek"]["ttd_sah"] = code == v.OK
            ctx["cek"]["ringkasan"] = RINGKASAN.get(code, "")
    return render(request, "web/verifikasi.html", ctx, status=status)
