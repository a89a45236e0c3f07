"""Arsip: search with filters, a document's page, upload into the inbox, karantina."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ... import archive as lib
from ...archive import karantina
from ...archive.pipeline import Result
from ...errors import DocgenError
from .. import akun, jejak, state

PER_HALAMAN = 20
# One filing at a time from this server (the archive takes one writer); another program's
# watcher holding it makes the file wait in the inbox instead.
_PENGARSIPAN = threading.Lock()


def karantina_items(ws) -> list:
    try:
        return karantina.items(ws)
    except OSError:
        return []


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_GET
def index(request):
    ws = state.ws()
    g = request.GET
    q = g.get("q", "").strip()[:200]
    f = {
        "tahun": g.get("tahun", "").strip(), "klasifikasi": g.get("klasifikasi", "").strip()[:50],
        "jenis": g.get("jenis", "").strip()[:64], "penandatangan": g.get("penandatangan", "").strip()[:100],
        "tte": g.get("tte", ""), "dari": g.get("dari", ""), "sampai": g.get("sampai", ""),
    }
    try:
        hal = max(1, int(g.get("hal", "1")))
    except ValueError:
        hal = 1
    error = ""
    hits: list = []
    searched = bool(q or any(f.values()) or "q" in g)
    if searched:
        try:
            hits = lib.search(
                ws, q, limit=hal * PER_HALAMAN + 1,
                year=int(f["tahun"]) if f["tahun"].isdigit() else None,
                classification=f["klasifikasi"] or None, kind=f["jenis"] or None,
                signer=f["penandatangan"] or None,
                signed=True if f["tte"] in ("sah", "tidak") else None,
                valid={"sah": True, "tidak": False}.get(f["tte"]),
                date_from=_date(f["dari"]), date_to=_date(f["sampai"]))
        except DocgenError as exc:
            error = exc.message + (f" ({exc.fix})" if exc.fix else "")
    more = len(hits) > hal * PER_HALAMAN
    shown = hits[(hal - 1) * PER_HALAMAN: hal * PER_HALAMAN]
    from ...kinds import all_kinds

    params = "&".join(f"{k}={v}" for k, v in [("q", q), *f.items()] if v)
    return render(request, "web/arsip.html", {
        "aktif": "arsip", "q": q, "f": f, "hits": shown, "hal": hal, "lanjut": more,
        "sebelum": hal > 1, "searched": searched, "error": error, "kinds": all_kinds(ws),
        "params": params, "mulai": (hal - 1) * PER_HALAMAN,
    })


def _entry(ws, pk: int) -> dict:
    try:
        return lib.show(ws, int(pk))
    except DocgenError:
        raise Http404("tidak ada di arsip") from None


@require_GET
def dokumen(request, pk: int):
    ws = state.ws()
    e = _entry(ws, pk)
    if e["id"] != pk:
        raise Http404()
    from ...kinds import all_kinds

    kind = all_kinds(ws).get(e["kind"] or "")
    return render(request, "web/dokumen.html", {"aktif": "arsip", "e": e,
                                                 "jenis": kind.title if kind else e["kind"],
                                                 "pdf_url": f"/arsip/{e['id']}/berkas/?lihat=1",
                                                 "url_verifikasi": f"/v/{e['doc_id']}" if e["doc_id"] else ""})


@require_GET
def berkas(request, pk: int):
    ws = state.ws()
    e = _entry(ws, pk)
    if e["id"] != pk or not e["file_present"]:
        raise Http404()
    path = Path(e["file"])
    inline = request.GET.get("lihat") == "1"
    return FileResponse(path.open("rb"), as_attachment=not inline, filename=path.name,
                        content_type="application/pdf")


def check_upload(ws, f) -> str:
    """'' when the upload may go into the inbox, else why not (size and type are checked
    here; the pipeline checks the rest, as for any file dropped in the inbox)."""
    maks = ws.config.web.unggah_maks_mb
    if f is None:
        return "Pilih berkas PDF terlebih dahulu."
    if f.size > maks * 1024 * 1024:
        return f"Berkas terlalu besar ({f.size / 1048576:.1f} MB); paling besar {maks:g} MB."
    if not f.name.lower().endswith(".pdf"):
        return "Hanya berkas PDF (.pdf) yang dapat diunggah."
    head = f.read(1024)
    f.seek(0)
    if b"%PDF-" not in head:
        return "Berkas ini bukan PDF (isinya tidak diawali %PDF-)."
    return ""


def save_to_inbox(ws, f) -> Path:
    ws.inbox_dir.mkdir(parents=True, exist_ok=True)
    safe = Path(f.name).name.replace("/", "_").replace("\\", "_")[:150] or "unggahan.pdf"
    tmp = ws.inbox_dir / f".unggah-{uuid.uuid4().hex}.tmp"
    with tmp.open("wb") as out:
        for chunk in f.chunks():
            out.write(chunk)
    target = ws.inbox_dir / safe
    n = 1
    while target.exists():
        target = ws.inbox_dir / f"{Path(safe).stem}-{n}{Path(safe).suffix}"
        n += 1
    tmp.replace(target)
    return target


def file_now(ws, path) -> Result | None:
    """File it at once; None when a watcher (or another ingest) holds the archive: it
    stays in the inbox, where the watcher takes it."""
    try:
        with _PENGARSIPAN:
            return lib.ingest(ws, [path])[0]
    except DocgenError:
        return None


def record(request, r: Result | None, name: str, doc_id: str = "", nomor: str = "") -> None:
    if r is None:
        messages.info(request, f"{name} diletakkan di kotak masuk; pengarsipan otomatis akan memprosesnya.")
    elif r.status == "filed":
        jejak.catat(request, "arsip", nomor=nomor, doc_id=doc_id, keterangan=f"{name} -> {r.archive_no}")
        messages.success(request, f"{name} diarsipkan sebagai {r.archive_no}.")
    elif r.status == "quarantined":
        jejak.catat(request, "karantina", nomor=nomor, doc_id=doc_id, keterangan=f"{name}: {r.reason}")
        messages.error(request, f"{name} masuk karantina: {r.reason}", extra_tags="pustaka")
    else:
        messages.error(request, f"{name} tidak diarsipkan: {r.reason}", extra_tags="pustaka")


@akun.perlu("unggah")
@require_http_methods(["GET", "POST"])
def unggah(request):
    ws = state.ws()
    if request.method == "POST":
        f = request.FILES.get("berkas")
        why = check_upload(ws, f)
        if why:
            messages.error(request, why)
            return render(request, "web/unggah.html", {"aktif": "arsip",
                                                        "maks": ws.config.web.unggah_maks_mb}, status=400)
        path = save_to_inbox(ws, f)
        jejak.catat(request, "unggah", keterangan=path.name)
        record(request, file_now(ws, path), path.name)
        return redirect("/arsip/unggah/")
    return render(request, "web/unggah.html", {"aktif": "arsip", "maks": ws.config.web.unggah_maks_mb})


@akun.perlu("karantina")
@require_GET
def karantina_list(request):
    ws = state.ws()
    return render(request, "web/karantina.html", {"aktif": "arsip", "items": karantina_items(ws)})


@akun.perlu("karantina")
@require_POST
def coba_lagi(request):
    ws = state.ws()
    name = request.POST.get("nama", "")
    try:
        with _PENGARSIPAN:
            r = karantina.retry(ws, name)
    except DocgenError as exc:
        messages.error(request, f"Tidak dapat dicoba lagi: {exc.message}", extra_tags="pustaka")
        return redirect("/arsip/karantina/")
    jejak.catat(request, "coba_lagi", keterangan=name)
    record(request, r, name)
    return redirect("/arsip/karantina/")
