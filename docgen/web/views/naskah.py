"""Buat naskah: choose a kind, fill its form, save the draft (the YAML file the CLI
reads), preview the PDF, and Terbitkan (docgen.make.make: nomor, DOCX, PDF)."""

from __future__ import annotations

import inspect
import os
import shutil
import threading
from contextlib import nullcontext
from pathlib import Path

import yaml
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from ... import datafile
from ... import make as make_mod
from ...errors import DocgenError
from ...kinds import all_kinds, get
from ...register import codes as codes_mod
from .. import akun, jejak, skema, state
from ..models import Konsep

KONSEP_DIR = "konsep"  # drafts' data files, inside the workspace
# A numbered letter holds the register from its nomor to its PDF (so a failed PDF gives
# the nomor back). The server's clerks queue here, without a time limit, instead of in
# SQLite's busy wait, which gives up after the register's timeout.
_PENOMORAN = threading.Lock()


def _kinds(ws):
    return sorted(all_kinds(ws).values(), key=lambda k: k.title)


@akun.perlu("konsep")
@require_GET
def index(request):
    ws = state.ws()
    return render(request, "web/naskah_index.html", {
        "aktif": "naskah", "kinds": _kinds(ws),
        "konsep": Konsep.objects.filter(pemilik=request.user)[:50],
    })


def _file(ws, konsep: Konsep) -> Path:
    return ws.root / konsep.berkas


def _save_yaml(path: Path, data: dict) -> None:
    """The draft as the CLI's data file, written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("# docgen data file, saved from the browser (docgen serve)\n" + text, encoding="utf-8")
    os.replace(tmp, path)


def problems(ws, kind, data: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(errors, warnings) as (field, text), in the words `docgen check` uses."""
    try:
        model = kind.model.model_validate(data)
    except ValidationError as exc:
        return [(loc, f"{msg} ({fix})") for loc, msg, fix in datafile.problems(kind.model, exc)], []
    errors, warnings = [], []
    for f in (kind.check(ws, model) if kind.check else []):
        text = f.message + (f" (fix: {f.fix})" if f.fix else "")
        (errors if f.level == "error" else warnings).append((f.field, text))
    return errors, warnings


def _form(request, ws, kind, data: dict, konsep: Konsep | None, *, errors=(), warnings=(),
          status: int = 200, extra_rows: int = 1):
    widgets = skema.fields(ws, kind.model, data, {}, extra_rows=extra_rows)
    by, loose = skema.place_errors(skema.all_paths(widgets), list(errors))
    widgets = skema.fields(ws, kind.model, data, by, extra_rows=extra_rows)
    return render(request, "web/naskah_form.html", {
        "aktif": "naskah", "kind": kind, "widgets": widgets, "konsep": konsep,
        "galat_umum": loose, "peringatan": [f"{f}: {t}" for f, t in warnings],
        "ada_galat": bool(by), "pratinjau": konsep is not None and _preview_path(ws, konsep).is_file(),
        "pratinjau_url": f"/naskah/{konsep.pk}/unduh/pratinjau/?lihat=1" if konsep else "",
    }, status=status)


@akun.perlu("konsep")
@require_http_methods(["GET", "POST"])
def baru(request, jenis: str):
    ws = state.ws()
    try:
        kind = get(jenis, ws)
    except DocgenError:
        raise Http404("jenis naskah tidak dikenal") from None
    if request.method == "GET":
        data = _example(ws, kind) if request.GET.get("contoh") else {}
        return _form(request, ws, kind, data, None)
    konsep = Konsep.objects.create(pemilik=request.user, jenis=kind.name, berkas="")
    konsep.berkas = f"{KONSEP_DIR}/{kind.name}-{konsep.pk}.yaml"
    konsep.save()
    return _post(request, ws, kind, konsep)


@akun.perlu("konsep")
@require_http_methods(["GET", "POST"])
def ubah(request, pk: int):
    ws = state.ws()
    konsep = get_object_or_404(Konsep, pk=pk, pemilik=request.user)
    kind = get(konsep.jenis, ws)
    if request.method == "GET":
        data = datafile.load_yaml(_file(ws, konsep)) if _file(ws, konsep).is_file() else {}
        if konsep.status == Konsep.TERBIT:
            what = "pdf_ttd" if konsep.pdf_ttd else "pdf"
            return render(request, "web/naskah_terbit.html", {
                "aktif": "naskah", "konsep": konsep, "kind": kind,
                "pdf_url": f"/naskah/{konsep.pk}/unduh/{what}/?lihat=1"})
        errors, warnings = problems(ws, kind, data or {})
        return _form(request, ws, kind, data or {}, konsep, errors=errors, warnings=warnings)
    if konsep.status == Konsep.TERBIT:
        messages.error(request, "Naskah ini sudah diterbitkan; buat konsep baru untuk mengubahnya.")
        return redirect(f"/naskah/{konsep.pk}/")
    return _post(request, ws, kind, konsep)


def _example(ws, kind) -> dict:
    """The kind's example data file (contoh/ of the workspace), to start from."""
    folder = ws.root / "contoh"
    path = folder / (kind.example or f"{kind.name}.yaml")
    if kind.name == "sop":
        path = next(iter(sorted((folder / "sop").glob("*.yaml"))), path)
    try:
        data = datafile.load_yaml(path)
    except DocgenError:
        return {}
    return data if isinstance(data, dict) else {}


def _title(kind, data: dict) -> str:
    for key in ("perihal", "hal", "judul", "tentang", "nama"):
        if isinstance(data.get(key), str) and data[key].strip():
            return data[key].strip()[:300]
    return kind.title


def _post(request, ws, kind, konsep: Konsep):
    aksi = request.POST.get("aksi", "simpan")
    data = skema.parse(kind.model, request.POST)
    _save_yaml(_file(ws, konsep), data)
    konsep.judul = _title(kind, data)
    konsep.save()
    jejak.catat(request, "konsep", doc_id="", keterangan=f"{kind.name} #{konsep.pk}: {konsep.judul}")
    errors, warnings = problems(ws, kind, data)
    if aksi == "baris":
        return _form(request, ws, kind, data, konsep, errors=errors, warnings=warnings, extra_rows=2)
    if aksi in ("pratinjau", "terbitkan") and errors:
        messages.error(request, "Perbaiki isian yang ditandai, lalu coba lagi.")
        return _form(request, ws, kind, data, konsep, errors=errors, warnings=warnings, status=422)
    if aksi == "pratinjau":
        try:
            _preview(ws, kind, konsep)
        except DocgenError as exc:
            return _form(request, ws, kind, data, konsep, errors=[(exc.field or "", _text(exc))],
                         warnings=warnings, status=422)
        messages.success(request, "Pratinjau PDF dibuat (tanpa nomor).")
    elif aksi == "terbitkan":
        try:
            with _PENOMORAN if kind.numbered else nullcontext():
                result = make_mod.make(ws, kind.name, _file(ws, konsep), ws.output_dir, pdf=True)
        except DocgenError as exc:
            return _form(request, ws, kind, data, konsep, errors=[(exc.field or "", _text(exc))],
                         warnings=warnings, status=422)
        konsep.status = Konsep.TERBIT
        konsep.nomor = result.nomor
        konsep.doc_id = result.doc_ids[0] if result.doc_ids else ""
        konsep.docx = _rel(ws, result.docx[0]) if result.docx else ""
        konsep.pdf = _rel(ws, result.pdf[0]) if result.pdf else ""
        konsep.save()
        jejak.catat(request, "terbit", nomor=result.nomor, doc_id=konsep.doc_id,
                    keterangan=f"{kind.name}: {konsep.judul}")
        messages.success(request, f"Diterbitkan dengan nomor {result.nomor}." if result.nomor
                         else "Naskah dibuat.")
        return redirect(f"/naskah/{konsep.pk}/")
    else:
        messages.success(request, "Konsep disimpan." if not errors else
                         "Konsep disimpan; masih ada isian yang perlu diperbaiki.")
    return _form(request, ws, kind, data, konsep, errors=errors, warnings=warnings)


def _text(exc: DocgenError) -> str:
    return exc.message + (f" (fix: {exc.fix})" if exc.fix else "")


def _rel(ws, p: Path) -> str:
    return Path(p).resolve().relative_to(ws.root).as_posix()


def _preview_path(ws, konsep: Konsep) -> Path:
    return ws.output_dir / ".pratinjau" / f"konsep-{konsep.pk}.pdf"


def _preview(ws, kind, konsep: Konsep) -> Path:
    """A PDF of the draft that takes no number (make(..., draft=True))."""
    params = inspect.signature(make_mod.make).parameters
    tmp = ws.output_dir / ".pratinjau" / f"kerja-{konsep.pk}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if "draft" in params:
            result = make_mod.make(ws, kind.name, _file(ws, konsep), tmp, pdf=True, draft=True)
        elif not kind.numbered:
            result = make_mod.make(ws, kind.name, _file(ws, konsep), tmp, pdf=True)
        else:
            raise DocgenError("a preview of a numbered kind needs make(..., draft=True)",
                              fix="Terbitkan makes the PDF with its nomor")
        out = _preview_path(ws, konsep)
        os.replace(result.pdf[0], out)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@require_GET
def unduh(request, pk: int, what: str):
    ws = state.ws()
    konsep = get_object_or_404(Konsep, pk=pk)
    if konsep.status != Konsep.TERBIT and konsep.pemilik_id != request.user.pk:
        raise Http404()
    if what == "pratinjau":
        if konsep.pemilik_id != request.user.pk:
            raise Http404()
        path = _preview_path(ws, konsep)
    elif what in ("docx", "pdf", "pdf_ttd"):
        rel = getattr(konsep, what)
        if not rel:
            raise Http404()
        path = ws.root / rel
    elif what == "yaml":
        path = _file(ws, konsep)
    else:
        return HttpResponseBadRequest()
    if not path.is_file():
        raise Http404("berkas tidak ada lagi")
    inline = request.GET.get("lihat") == "1" and path.suffix == ".pdf"
    return FileResponse(path.open("rb"), as_attachment=not inline, filename=path.name)


@require_GET
def kode(request):
    """Search the kode klasifikasi (htmx partial): code prefix or words of the uraian."""
    ws = state.ws()
    # htmx sends the field under its own name ("klasifikasi", "rincian.0.kode")
    q = (request.GET.get("q") or request.GET.get(request.GET.get("nama", ""), ""))[:100]
    target = request.GET.get("untuk", "klasifikasi")[:100]
    hits = codes_mod.search(codes_mod.table(ws), q, limit=15) if q.strip() else []
    return render(request, "web/_kode.html", {"hits": hits, "q": q, "untuk": target})
