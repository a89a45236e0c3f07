"""Builds the SOP document: identity sheet (docxtpl template) + flowchart + totals.

The identity sheet goes through the shared render path (kop, logo, properties); the
rendered DOCX is then opened with python-docx, the flowchart engine appends its
landscape pages, and "Jangka Waktu Penyelesaian" and the optional "Proses Kegiatan"
narrative follow. Everything is written to a temporary name and renamed at the end,
so a failure leaves no half-written file.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ... import formatting, render
from ...config import LembarSop
from ...errors import InputError
from ...kinds import MakeOptions, MakeResult
from ...workspace import Workspace
from .model import Pengesah, Sop, tanggal_teks

# Paper sizes (portrait width, height in mm); the SOP is printed landscape.
KERTAS_MM = {"A4": (210, 297), "F4": (215, 330)}
MARGIN_MM = 15
TEMPLATE = "sop.docx"
TEMPLATE_WIDTH_MM = 297 - 2 * MARGIN_MM  # the shipped template is laid out for A4


def output_name(sop: Sop, source: Path) -> str:
    """nama SOP + source stem: the five seeds share one nama, so the stem keeps them apart."""
    name = formatting.slug(sop.nama, 60, default="sop")
    stem = formatting.slug(source.stem, 40, default="sop")
    return f"{name}.docx" if stem == name else f"{name}-{stem}.docx"


def _pengesah(ws: Workspace, sop: Sop, source: Path) -> dict[str, str]:
    who = sop.disahkan_oleh
    if who is None:
        return {"jabatan": "", "nama": "", "pangkat": "", "nip": ""}
    p = who if isinstance(who, Pengesah) else ws.pejabat(who, file=source, field="disahkan_oleh")
    return {"jabatan": p.jabatan, "nama": p.nama, "pangkat": p.pangkat, "nip": formatting.nip(p.nip)}


def _logo(sop: Sop, source: Path) -> Path | bool:
    """The workspace's logo for its own SOPs; another office's SOP gets that office's
    logo (instansi.logo) or none at all."""
    if sop.instansi is None:
        return True
    if not sop.instansi.logo:
        return False
    path = (source.parent / sop.instansi.logo).resolve()
    if not path.is_file():
        raise InputError(f"logo file {path} not found", file=source, field="instansi.logo",
                         fix="give the PNG or JPG of that office's logo, relative to this SOP file, "
                             "or leave instansi.logo out for a sheet without a logo")
    try:
        from PIL import Image

        with Image.open(path) as im:
            im.verify()
    except Exception:  # Pillow raises many kinds for a file that is not an image
        raise InputError(f"{path.name} is not a readable image", file=source, field="instansi.logo",
                         fix="save the logo as PNG or JPG") from None
    return path


def lembar(ws: Workspace, sop: Sop) -> LembarSop:
    """The sheet's labels and header rows: the SOP's own, else the office's [sop]."""
    return sop.lembar or ws.config.sop


def context(ws: Workspace, sop: Sop, source: Path) -> dict[str, Any]:
    if sop.instansi is not None:
        kop = sop.instansi.model_dump(exclude={"logo"})
    else:  # the workspace's own office; its address belongs to the kop surat, not the SOP
        kop = {"pemerintah": ws.config.kop.pemerintah, "instansi": list(ws.config.kop.instansi), "alamat": ""}
    sheet = lembar(ws, sop)
    return {
        "label_tanggal_efektif": sheet.label_tanggal_efektif,
        "judul_sampul": [baris.replace("{nama}", sop.nama.upper()) for baris in sheet.judul],
        "sop_kop": kop,
        "unit": sop.unit,
        "nomor": sop.nomor,
        "nama": sop.nama,
        "tanggal_pembuatan": tanggal_teks(sop.tanggal_pembuatan),
        "tanggal_revisi": tanggal_teks(sop.tanggal_revisi),
        "tanggal_efektif": tanggal_teks(sop.tanggal_efektif),
        "pengesah": _pengesah(ws, sop, source),
        "dasar_hukum": sop.dasar_hukum,
        "kualifikasi_pelaksana": sop.kualifikasi_pelaksana,
        "keterkaitan": sop.keterkaitan,
        "peralatan_perlengkapan": sop.peralatan_perlengkapan,
        "peringatan": sop.peringatan,
        "pencatatan_pendataan": sop.pencatatan_pendataan,
    }


def flow_steps(sop: Sop) -> list[Any]:
    from .flowchart import FlowStep

    actors = {name: i for i, name in enumerate(sop.pelaksana)}
    last = len(sop.langkah)
    out = []
    for no, s in enumerate(sop.langkah, start=1):
        k = s.keputusan
        symbol = "terminator" if no in (1, last) else "decision" if k else "process"
        out.append(FlowStep(
            no=no, aktivitas=s.aktivitas, pelaksana=actors[s.pelaksana], symbol=symbol,
            kelengkapan=s.kelengkapan, waktu=s.waktu_teks(), output=s.output, keterangan=s.keterangan,
            ya=k.ya if k else None, tidak=k.tidak if k else None,
            label_ya=k.label_ya if k else "Ya", label_tidak=k.label_tidak if k else "Tidak",
            lanjut=None if k else s.lanjut,
        ))
    return out


def _set_paper(doc: Any, kertas: str) -> None:
    """Landscape paper for the identity section; widen its tables on wider paper."""
    w, h = KERTAS_MM[kertas]
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(h), Mm(w)
    factor = (h - 2 * MARGIN_MM) / TEMPLATE_WIDTH_MM
    if abs(factor - 1) < 0.01:
        return
    for tbl in doc.element.body.iter(qn("w:tbl")):
        for el in tbl.iter(qn("w:gridCol"), qn("w:tcW"), qn("w:tblW")):
            val = el.get(qn("w:w"))
            if val and val.isdigit() and el.get(qn("w:type"), "dxa") == "dxa":
                el.set(qn("w:w"), str(int(int(val) * factor)))


def _shrink_section_breaks(doc: Any) -> None:
    """Make the empty paragraphs that carry a section break 1 pt high: at 10 pt, the
    one after a full identity sheet spills onto a blank page of its own."""
    body = doc.element.body
    for p in body.iterchildren(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        if ppr is None or ppr.find(qn("w:sectPr")) is None or "".join(p.itertext()).strip():
            continue
        for tag in ("w:spacing", "w:rPr"):
            old = ppr.find(qn(tag))
            if old is not None:
                ppr.remove(old)
        spacing = OxmlElement("w:spacing")
        for k, v in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
            spacing.set(qn(k), v)
        rpr = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), "2")
        rpr.append(sz)
        # schema order inside pPr: ... spacing ... rPr, sectPr
        anchor = ppr.find(qn("w:pStyle"))
        if anchor is not None:
            anchor.addnext(spacing)
        else:
            ppr.insert(0, spacing)
        ppr.find(qn("w:sectPr")).addprevious(rpr)


def _para(doc: Any, text: str = "", *, bold: bool = False, size: float = 10, indent_cm: float = 0,
          hanging_cm: float = 0, space_after: float = 2) -> Any:
    p = doc.add_paragraph()
    if text:
        r = p.add_run(text)
        r.bold = bold
        r.font.size = Pt(size)
    pf = p.paragraph_format
    pf.left_indent = Cm(indent_cm + hanging_cm)
    if hanging_cm:
        pf.first_line_indent = Cm(-hanging_cm)
        pf.tab_stops.add_tab_stop(Cm(indent_cm + hanging_cm))
    pf.space_after = Pt(space_after)
    return p


def _penutup(doc: Any, sop: Sop) -> None:
    """Jangka Waktu Penyelesaian and the optional Proses Kegiatan narrative."""
    p = _para(doc, space_after=6)
    p.paragraph_format.space_before = Pt(8)
    p.add_run("Jangka Waktu Penyelesaian: ").bold = True
    p.add_run(sop.total_waktu())
    if not sop.proses_kegiatan:
        return
    nama = sop.nama.upper()
    judul = nama if nama.startswith("SOP") else f"SOP {nama}"
    head = _para(doc, f"PROSES KEGIATAN {judul}", bold=True, size=11, space_after=6)
    head.paragraph_format.page_break_before = True
    for i, bagian in enumerate(sop.proses_kegiatan):
        huruf = chr(ord("A") + i) if i < 26 else str(i + 1)
        h = _para(doc, f"{huruf}.\t{bagian.judul}", bold=True, hanging_cm=0.7, space_after=2)
        h.paragraph_format.keep_with_next = True
        if i:  # space above, not a blank paragraph below: a blank one can spill onto an empty page
            h.paragraph_format.space_before = Pt(8)
        if bagian.teks:
            _para(doc, bagian.teks, indent_cm=0.7, space_after=4)
        for j, butir in enumerate(bagian.butir):
            mark = chr(ord("a") + j) if bagian.penomoran == "huruf" and j < 26 else str(j + 1)
            _para(doc, f"{mark}.\t{butir}", indent_cm=0.7, hanging_cm=0.7)


def _plain_flow_table(doc: Any, sop: Sop, kertas: str) -> None:
    """Stand-in while the flowchart engine is absent: the same columns, a mark per step."""
    w, h = KERTAS_MM[kertas]
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(h), Mm(w)
    heads = ["No", "Aktivitas", *sop.pelaksana, "Kelengkapan", "Waktu", "Output", "Keterangan"]
    t = doc.add_table(rows=1, cols=len(heads))
    t.style = "Table Grid"
    for c, text in zip(t.rows[0].cells, heads, strict=True):
        c.paragraphs[0].add_run(text).bold = True
    last = len(sop.langkah)
    for no, s in enumerate(sop.langkah, start=1):
        k = s.keputusan
        mark = "(  )" if no in (1, last) else "<>" if k else "[  ]"
        cells = t.add_row().cells
        cells[0].text, cells[1].text = str(no), s.aktivitas
        cells[2 + sop.pelaksana.index(s.pelaksana)].text = mark
        tail = [s.kelengkapan, s.waktu_teks(), s.output, s.keterangan]
        if k:
            tail[3] = (tail[3] + " " if tail[3] else "") + f"{k.label_ya}: {k.ya}; {k.label_tidak}: {k.tidak}"
        for c, text in zip(cells[2 + len(sop.pelaksana):], tail, strict=True):
            c.text = text


def _stored_zip(entries: dict[str, bytes]) -> bytes:
    """The rendered parts as an uncompressed zip, only for python-docx to open."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _package_entries(doc: Any, entries: dict[str, bytes]) -> dict[str, bytes]:
    """The edited document's parts, serialised without zipping them twice.

    Falls back to python-docx's own save when the edits added parts."""
    parts = {str(p.partname).lstrip("/"): p for p in doc.part.package.iter_parts()}
    if not set(parts) <= set(entries):
        buf = io.BytesIO()
        doc.save(buf)
        return render.read_package(buf.getvalue())
    out = dict(entries)
    for name, part in parts.items():
        out[name] = part.blob
        if part.rels:
            out[part.partname.rels_uri.lstrip("/")] = part.rels.xml
    return out


def build(ws: Workspace, sop: Sop, opts: MakeOptions) -> MakeResult:
    kertas = sop.kertas or ws.config.kertas.ukuran
    out = Path(opts.out_dir) / output_name(sop, opts.source)
    props = render.DocProps(kind="sop", nomor=sop.nomor, title=sop.nama, subject="Standar Operasional Prosedur")
    notes: list[str] = []
    entries = render.render_entries(ws, TEMPLATE, context(ws, sop, opts.source), props,
                                    logo=_logo(sop, Path(opts.source)))
    doc = Document(io.BytesIO(_stored_zip(entries)))
    _set_paper(doc, kertas)
    try:
        from .flowchart import STYLE, PageSpec, add_flowchart
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.flowchart":
            raise  # the engine exists but is broken: do not hide it
        _plain_flow_table(doc, sop, kertas)
        notes.append("note: flowchart engine not installed; steps drawn as a plain table")
    else:
        w, h = KERTAS_MM[kertas]
        page = PageSpec(width_mm=h, height_mm=w, margin_top_mm=MARGIN_MM, margin_bottom_mm=MARGIN_MM,
                        margin_left_mm=MARGIN_MM, margin_right_mm=MARGIN_MM,
                        font_name=ws.config.kertas.font, font_size_pt=9)
        nama = sop.nama.upper()
        sheet = lembar(ws, sop)
        style = dataclasses.replace(STYLE, group_header=sheet.kelompok_uraian, number_row=sheet.nomor_kolom)
        add_flowchart(doc, list(sop.pelaksana), flow_steps(sop), page,
                      title=nama if nama.startswith("SOP") else f"SOP {nama}", style=style)
    _penutup(doc, sop)
    _shrink_section_breaks(doc)
    # One compressed write, atomic (temp name, then rename): nothing half-written on failure.
    render.write_package(_package_entries(doc, entries), out, props)
    return MakeResult(docx=[out], nomor=sop.nomor, doc_ids=[props.doc_id], notes=notes)
