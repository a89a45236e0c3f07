"""The one rendering path every document kind goes through.

A docxtpl template is compiled once per (template file, logo) and kept: the Jinja
source of each XML part is prepared with docxtpl's own ``patch_xml`` and compiled, the
other package parts are kept as bytes. Rendering a document then means rendering a
few strings and writing one zip, which is what makes 80+ letters/s possible (plain
``DocxTemplate`` load-render-save reloads and recompiles everything each time).

Templates that need a live ``DocxTemplate`` at render time (InlineImage, Subdoc) use
``render_with_template``, the plain docxtpl path; both paths stamp the same document
properties (kind, nomor, document id) into ``docProps/custom.xml``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import threading
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from . import formatting, terbilang
from .errors import InputError

# Names of the docgen custom properties in DOCX (docProps/custom.xml) and PDF (/Info).
PROP_KIND = "docgen.kind"
PROP_NOMOR = "docgen.nomor"
PROP_ID = "docgen.id"
# a disposisi names the incoming letter it is written on by its agenda number
PROP_SURAT_MASUK = "docgen.surat_masuk"
PDF_KEYS = {PROP_KIND: "/DocgenKind", PROP_NOMOR: "/DocgenNomor", PROP_ID: "/DocgenId",
            PROP_SURAT_MASUK: "/DocgenSuratMasuk"}

LOGO_NAME = "logo"  # name or description of the placeholder picture in templates

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_TEMPLATED = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


def new_doc_id() -> str:
    """A short, sortable, unguessable document id: ``DG-20261122-9F3A1C2B``."""
    return f"DG-{dt.date.today():%Y%m%d}-{secrets.token_hex(4).upper()}"


@dataclass
class DocProps:
    """What every generated document records about itself."""

    kind: str
    doc_id: str = field(default_factory=new_doc_id)
    nomor: str = ""
    title: str = ""
    subject: str = ""
    author: str = ""
    surat_masuk: str = ""  # agenda number of the incoming letter (disposisi)

    def custom(self) -> dict[str, str]:
        out = {PROP_KIND: self.kind, PROP_NOMOR: self.nomor, PROP_ID: self.doc_id}
        if self.surat_masuk:
            out[PROP_SURAT_MASUK] = self.surat_masuk
        return out


# --- Jinja environment shared by every template ------------------------------

def _env() -> jinja2.Environment:
    # autoescape: values such as "Jl. A & B" must not break the XML.
    env = jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined)
    env.filters.update(
        tanggal=formatting.tanggal,
        nip=formatting.nip,
        angka=formatting.angka,
        persen=formatting.persen,
        romawi=formatting.romawi,
        bulan=formatting.bulan,
    )
    env.filters.update({name: _filter(fn) for name, fn in terbilang.FILTERS.items()})
    return env


def _filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose bad input ("satu" for a number) is a template error naming the value,
    which render turns into a clear message, not a traceback."""
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise jinja2.TemplateRuntimeError(f"{fn.__name__}: {exc}") from None
    return run


JINJA_ENV = _env()


# --- package writing ----------------------------------------------------------

def _core_xml(props: DocProps) -> bytes:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    keywords = f"docgen; {props.kind}; {props.doc_id}" + (f"; {props.nomor}" if props.nomor else "")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(props.title)}</dc:title>"
        f"<dc:subject>{escape(props.subject)}</dc:subject>"
        f"<dc:creator>{escape(props.author or 'docgen')}</dc:creator>"
        f"<cp:keywords>{escape(keywords)}</cp:keywords>"
        f"<dc:identifier>{escape(props.doc_id)}</dc:identifier>"
        "<dc:language>id-ID</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def _custom_xml(values: Mapping[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{escape(k)}">'
        f"<vt:lpwstr>{escape(v)}</vt:lpwstr></property>"
        for i, (k, v) in enumerate(values.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def _ensure_custom_part(entries: dict[str, bytes]) -> None:
    """Declare docProps/custom.xml in [Content_Types].xml and _rels/.rels if missing."""
    ct = entries["[Content_Types].xml"].decode("utf-8")
    if "/docProps/custom.xml" not in ct:
        ct = ct.replace(
            "</Types>",
            f'<Override PartName="/docProps/custom.xml" ContentType="{_CUSTOM_CT}"/></Types>',
        )
        entries["[Content_Types].xml"] = ct.encode("utf-8")
    rels = entries["_rels/.rels"].decode("utf-8")
    if _CUSTOM_REL not in rels:
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdDocgenCustom" Type="{_CUSTOM_REL}" Target="docProps/custom.xml"/>'
            "</Relationships>",
        )
        entries["_rels/.rels"] = rels.encode("utf-8")


def write_package(entries: Mapping[str, bytes], out: Path, props: DocProps) -> Path:
    """Write a DOCX zip with docgen's properties, atomically (temp name, then rename)."""
    entries = dict(entries)
    _ensure_custom_part(entries)
    entries["docProps/core.xml"] = _core_xml(props)
    entries["docProps/custom.xml"] = _custom_xml(props.custom())
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    # [Content_Types].xml first, as Word and the OPC spec prefer.
    order = ["[Content_Types].xml"] + [n for n in entries if n != "[Content_Types].xml"]
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name in order:
                zf.writestr(name, entries[name])
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def read_package(data: bytes | Path) -> dict[str, bytes]:
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    with zipfile.ZipFile(src) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def apply_properties(path: Path, props: DocProps) -> None:
    """Stamp docgen's properties into a DOCX written by something else (python-docx)."""
    write_package(read_package(Path(path)), Path(path), props)


def read_properties(path: Path) -> dict[str, str]:
    """docgen's custom properties of a DOCX ({} when it has none)."""
    try:
        with zipfile.ZipFile(path) as zf:
            raw = zf.read("docProps/custom.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    root = etree.fromstring(raw)
    out = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out


# --- logo ---------------------------------------------------------------------

def _png_bytes(path: Path) -> tuple[bytes, float]:
    """The logo as PNG bytes and its width/height ratio."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        ratio = im.width / im.height
        buf = io.BytesIO()
        im.save(buf, format="PNG")
    return buf.getvalue(), ratio


def _replace_logo(entries: dict[str, bytes], logo: Path) -> None:
    """Swap the bytes of the template's placeholder picture named "logo" for the
    workspace's logo, and keep the logo's own aspect ratio inside the placeholder's box."""
    png, ratio = _png_bytes(logo)
    for name in [n for n in entries if _TEMPLATED.match(n)]:
        xml = entries[name]
        if b"pic:cNvPr" not in xml:
            continue
        root = etree.fromstring(xml)
        rels_name = name.replace("word/", "word/_rels/") + ".rels"
        rels = etree.fromstring(entries[rels_name]) if rels_name in entries else None
        changed = False
        for inline in root.iter(f"{{{_NS['wp']}}}inline", f"{{{_NS['wp']}}}anchor"):
            cnv = inline.find(".//pic:cNvPr", _NS)
            if cnv is None or LOGO_NAME not in (cnv.get("name"), cnv.get("descr"), cnv.get("title")):
                continue
            blip = inline.find(".//a:blip", _NS)
            rid = blip.get(f"{{{_NS['r']}}}embed") if blip is not None else None
            if rels is None or rid is None:
                continue
            for rel in rels:
                if rel.get("Id") == rid:
                    target = "word/" + rel.get("Target").lstrip("/").removeprefix("word/")
                    entries[target] = png  # placeholder is a PNG, so the content type holds
            ext = inline.find("wp:extent", _NS)
            cx, cy = int(ext.get("cx")), int(ext.get("cy"))
            new_cx = min(cx, int(cy * ratio))
            new_cy = int(new_cx / ratio)
            for e in (ext, inline.find(".//a:xfrm/a:ext", _NS)):
                if e is not None:
                    e.set("cx", str(new_cx))
                    e.set("cy", str(new_cy))
            changed = True
        if changed:
            entries[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _remove_logo(entries: dict[str, bytes]) -> None:
    """Take the placeholder picture named "logo" out of the document (its run stays, empty)."""
    for name in [n for n in entries if _TEMPLATED.match(n)]:
        if b"pic:cNvPr" not in entries[name]:
            continue
        root = etree.fromstring(entries[name])
        drawings = [
            d for d in root.iter(f"{{{_NS['w']}}}drawing")
            if any(LOGO_NAME in (c.get("name"), c.get("descr"), c.get("title"))
                   for c in d.iterfind(".//pic:cNvPr", _NS))
        ]
        for d in drawings:
            cell = next(d.iterancestors(f"{{{_NS['w']}}}tc"), None)
            d.getparent().remove(d)
            if cell is not None:
                _merge_empty_cell(cell)
        if drawings:
            entries[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _merge_empty_cell(cell: Any) -> None:
    """A kop cell left empty by the logo is given to its neighbour (gridSpan), so the kop
    text is centred on the page instead of beside a blank column. A cell that still holds
    text (an SOP header's identity lines) stays."""
    w = _NS["w"]
    if "".join(cell.itertext()).strip() or cell.find(f".//{{{w}}}drawing") is not None:
        return
    after = cell.getnext()
    neighbour = after if after is not None and after.tag == f"{{{w}}}tc" else cell.getprevious()
    if neighbour is None or neighbour.tag != f"{{{w}}}tc":
        return
    if any(el.find(f"{{{w}}}vMerge") is not None for el in (cell.find(f"{{{w}}}tcPr"), neighbour.find(f"{{{w}}}tcPr"))
           if el is not None):
        return  # a vertically merged cell spans rows: leave the layout alone

    def pr(tc: Any) -> Any:
        tc_pr = tc.find(f"{{{w}}}tcPr")
        if tc_pr is None:
            tc_pr = etree.Element(f"{{{w}}}tcPr")
            tc.insert(0, tc_pr)
        return tc_pr

    def span(tc: Any) -> int:
        gs = pr(tc).find(f"{{{w}}}gridSpan")
        return int(gs.get(f"{{{w}}}val", "1")) if gs is not None else 1

    def width(tc: Any) -> int | None:
        tw = pr(tc).find(f"{{{w}}}tcW")
        if tw is None or tw.get(f"{{{w}}}type", "dxa") != "dxa":
            return None
        return int(tw.get(f"{{{w}}}w", "0"))

    n_pr = pr(neighbour)
    total_span = span(cell) + span(neighbour)
    gs = n_pr.find(f"{{{w}}}gridSpan")
    if gs is None:
        gs = etree.Element(f"{{{w}}}gridSpan")
        tw = n_pr.find(f"{{{w}}}tcW")  # schema order: cnfStyle, tcW, gridSpan, ...
        if tw is not None:
            tw.addnext(gs)
        else:
            n_pr.insert(0, gs)
    gs.set(f"{{{w}}}val", str(total_span))
    w_cell, w_next = width(cell), width(neighbour)
    if w_cell is not None and w_next is not None:
        n_pr.find(f"{{{w}}}tcW").set(f"{{{w}}}w", str(w_cell + w_next))
    cell.getparent().remove(cell)


# --- compiled templates -------------------------------------------------------

class CompiledTemplate:
    """A template prepared once, rendered many times."""

    def __init__(self, path: Path, logo: Path | None = None) -> None:
        self.path = Path(path)
        entries = read_package(self.path.read_bytes())
        if logo is not None:
            _replace_logo(entries, logo)
        else:  # no logo in docgen.toml: the template's "LOGO" placeholder must not be printed
            _remove_logo(entries)
        self._entries = entries
        self._helper = DocxTemplate(io.BytesIO(self.path.read_bytes()))
        self._helper.render_init()
        self._lock = threading.Lock()
        self._parts: dict[str, jinja2.Template] = {}
        for name, raw in entries.items():
            if not _TEMPLATED.match(name):
                continue
            src = raw.decode("utf-8")
            if "{{" not in src and "{%" not in src:
                continue
            src = self._helper.patch_xml(src)
            src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
            try:
                self._parts[name] = JINJA_ENV.from_string(src)
            except jinja2.TemplateSyntaxError as exc:
                raise InputError(
                    f"template syntax error: {exc.message}",
                    file=self.path,
                    field=f"{name} line {exc.lineno}",
                    fix="open the template in Word and correct the {{ }} / {% %} tag",
                ) from None

    def _render_part(self, name: str, context: Mapping[str, Any]) -> bytes:
        try:
            xml = self._parts[name].render(context)
        except jinja2.TemplateError as exc:
            raise InputError(
                f"template error: {exc}", file=self.path, field=name,
                fix="check the template tags against the kind's fields (`docgen kinds`)",
            ) from None
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = self._helper.resolve_listing(xml)
        if name == "word/document.xml":
            with self._lock:  # docPr id counter lives on the helper
                tree = self._helper.fix_tables(xml.encode("utf-8"))
                self._helper.fix_docpr_ids(tree)
            return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        return xml.encode("utf-8")

    def render_entries(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        entries = dict(self._entries)
        for name in self._parts:
            entries[name] = self._render_part(name, context)
        return entries

    def render(self, context: Mapping[str, Any], out: Path, props: DocProps) -> Path:
        return write_package(self.render_entries(context), out, props)


_CACHE: dict[tuple[str, float, str, float], CompiledTemplate] = {}


def compiled(path: Path, logo: Path | None = None) -> CompiledTemplate:
    """The cached compiled template; recompiled when the file or logo changes."""
    path = Path(path)
    key = (
        str(path.resolve()),
        path.stat().st_mtime,
        str(logo or ""),
        logo.stat().st_mtime if logo else 0.0,
    )
    tpl = _CACHE.get(key)
    if tpl is None:
        tpl = CompiledTemplate(path, logo)
        _CACHE[key] = tpl
    return tpl


def base_context(ws: Any, props: DocProps | None = None) -> dict[str, Any]:
    """What every template can use: the kop, the officials, today, the document's props."""
    cfg = ws.config
    kop = cfg.kop.model_dump()
    kop["kontak"] = cfg.kop.kontak
    kop["alamat_lengkap"] = cfg.kop.alamat_lengkap
    pejabat = {key: p.konteks() for key, p in cfg.pejabat.items()}
    ctx: dict[str, Any] = {
        "kop": kop,
        "pejabat": pejabat,
        "hari_ini": formatting.tanggal(dt.date.today()),
        "tte_footer": cfg.tte.footer,
    }
    if props is not None:
        ctx["dokumen"] = {"id": props.doc_id, "nomor": props.nomor, "jenis": props.kind}
    return ctx


# Paper sizes, portrait: docgen.toml [kertas] ukuran. F4 (folio) is 215 x 330 mm.
PAPER_MM = {"A4": (210, 297), "F4": (215, 330)}
# the same in twips (1/1440 inch), rounded as Word writes them
PAPER_TWIPS = {"A4": (11906, 16838), "F4": (12189, 18709)}
_PGSZ = re.compile(rb"<w:pgSz\b[^>]*?/>")


def apply_paper(entries: dict[str, bytes], ukuran: str) -> None:
    """Set every A4/F4 section of the document to ``ukuran``, keeping its orientation.

    Templates are drawn on A4; an office on F4 (folio) gets F4 without a second set of
    templates. A section with any other size (set by hand in Word) is left alone.
    """
    want = PAPER_TWIPS.get(ukuran)
    xml = entries.get("word/document.xml")
    if want is None or xml is None:
        return
    known = {tuple(sorted(v)) for v in PAPER_TWIPS.values()}

    def fix(m: re.Match[bytes]) -> bytes:
        tag = m.group(0)
        ww, hh = re.search(rb'w:w="(\d+)"', tag), re.search(rb'w:h="(\d+)"', tag)
        if not ww or not hh:
            return tag
        w, h = int(ww.group(1)), int(hh.group(1))
        if tuple(sorted((w, h))) not in known:
            return tag
        new_w, new_h = (want[1], want[0]) if w > h else want
        tag = re.sub(rb'w:w="\d+"', b'w:w="%d"' % new_w, tag)
        return re.sub(rb'w:h="\d+"', b'w:h="%d"' % new_h, tag)

    entries["word/document.xml"] = _PGSZ.sub(fix, xml)


def landscape_document(kertas: str = "A4", *, font: str | None = None, size_pt: float | None = None) -> Any:
    """A blank python-docx Document on landscape A4/F4 with 2 cm margins, for the lists
    docgen writes without a template (buku agenda, daftar arsip, an Excel form as lampiran)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    short, long_ = PAPER_MM.get(kertas, PAPER_MM["A4"])
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(long_), Mm(short)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(2))
    style = doc.styles["Normal"]
    if font:
        style.font.name = font
    if size_pt:
        style.font.size = Pt(size_pt)
    return doc


_CELL_MARGINS_TWIPS = 2 * 108  # Word's default left + right cell margins
_MIN_SHRINK = 0.6  # never below 60% of the template's size: a longer name wraps instead
_METRICS: dict[str, Any] | None = None


def _text_width_pt(text: str, size_pt: float, bold: bool) -> float:
    from . import resources

    global _METRICS
    if _METRICS is None:
        import json

        _METRICS = json.loads(resources.data_file("fonts/arial-metrics.json").read_text(encoding="utf-8"))
    face = _METRICS["faces"]["bold" if bold else "regular"]
    widths, default = face["widths"], face["default"]
    return sum(widths.get(ch, default) for ch in text) * size_pt / _METRICS["units_per_em"]


def fit_kop_lines(entries: dict[str, bytes], groups: list[list[str]]) -> None:
    """Shrink kop lines (the pemerintah line; the instansi lines) wider than their table
    cell, so "PEMERINTAH KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO" stays one line as the
    clerk wrote it instead of wrapping at the template's 14 pt. The lines of one group
    keep one size. Only runs with an explicit size are touched; widths are Arial's
    (Liberation Sans) advance widths."""
    w = _NS["w"]
    group_of = {" ".join(line.split()): i for i, g in enumerate(groups) for line in g if line.strip()}
    for name in [n for n in entries if _TEMPLATED.match(n)]:
        if b"<w:tc" not in entries[name]:
            continue
        root = etree.fromstring(entries[name])
        found: list[tuple[int, float, list[tuple[Any, Any, int]]]] = []  # group, factor, runs
        for tc in root.iter(f"{{{w}}}tc"):
            tcw = tc.find(f"{{{w}}}tcPr/{{{w}}}tcW")
            if tcw is None or tcw.get(f"{{{w}}}type", "dxa") != "dxa":
                continue
            avail_pt = (int(tcw.get(f"{{{w}}}w", "0")) - _CELL_MARGINS_TWIPS) / 20
            for p in tc.iter(f"{{{w}}}p"):
                runs = [r for r in p.iter(f"{{{w}}}r") if r.find(f"{{{w}}}t") is not None]
                text = " ".join("".join(t.text or "" for r in runs for t in r.iter(f"{{{w}}}t")).split())
                sizes = [r.find(f"{{{w}}}rPr/{{{w}}}sz") for r in runs]
                if text not in group_of or not runs or any(sz is None for sz in sizes):
                    continue
                width = 0.0
                for r, sz in zip(runs, sizes, strict=True):
                    b = r.find(f"{{{w}}}rPr/{{{w}}}b")
                    bold = b is not None and b.get(f"{{{w}}}val", "true") not in ("0", "false")
                    rtext = "".join(t.text or "" for t in r.iter(f"{{{w}}}t"))
                    width += _text_width_pt(rtext, int(sz.get(f"{{{w}}}val")) / 2, bold)
                factor = min(1.0, avail_pt / width * 0.98) if width else 1.0
                found.append((group_of[text], factor,
                              [(r, sz, int(sz.get(f"{{{w}}}val"))) for r, sz in zip(runs, sizes, strict=True)]))
        shrink = {g: max(min(f for gg, f, _ in found if gg == g), _MIN_SHRINK) for g, _, _ in found}
        changed = False
        for g, _, runs in found:
            if shrink[g] >= 1.0:
                continue
            for r, sz, half in runs:
                new = str(max(int(half * shrink[g]), 2))
                sz.set(f"{{{w}}}val", new)
                cs = r.find(f"{{{w}}}rPr/{{{w}}}szCs")
                if cs is not None:
                    cs.set(f"{{{w}}}val", new)
                changed = True
        if changed:
            entries[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def render(
    ws: Any,
    template: str | Path,
    context: Mapping[str, Any],
    out: Path,
    props: DocProps,
) -> Path:
    """Render a workspace template (by name) or a template path to ``out``, on the
    workspace's paper (docgen.toml [kertas] ukuran)."""
    path = Path(template) if isinstance(template, Path) else ws.template(template)
    tpl = compiled(path, ws.logo)
    ctx = base_context(ws, props)
    ctx.update(context)
    entries = tpl.render_entries(ctx)
    apply_paper(entries, ws.config.kertas.ukuran)
    fit_kop_lines(entries, [[ws.config.kop.pemerintah], list(ws.config.kop.instansi)])
    return write_package(entries, out, props)


def render_entries(
    ws: Any,
    template: str | Path,
    context: Mapping[str, Any],
    props: DocProps,
    *,
    logo: Path | bool = True,
) -> dict[str, bytes]:
    """As :func:`render`, but return the package parts instead of writing a zip, for
    kinds that post-process the document (SOP flowchart) and write it once.

    ``logo``: True for the workspace's logo, a file for another office's (an SOP kept
    for another office), False for none (better than the wrong office's logo)."""
    path = Path(template) if isinstance(template, Path) else ws.template(template)
    ctx = base_context(ws, props)
    ctx.update(context)
    chosen = ws.logo if logo is True else logo or None
    return compiled(path, chosen).render_entries(ctx)


def render_with_template(
    ws: Any,
    template: str | Path,
    build_context: Callable[[DocxTemplate], Mapping[str, Any]],
    out: Path,
    props: DocProps,
) -> Path:
    """Plain docxtpl path, for contexts that need the live template (InlineImage, Subdoc)."""
    path = Path(template) if isinstance(template, Path) else ws.template(template)
    tpl = DocxTemplate(str(path))
    ctx = base_context(ws, props)
    ctx.update(build_context(tpl))
    try:
        tpl.render(ctx, jinja_env=JINJA_ENV, autoescape=True)
    except jinja2.TemplateError as exc:
        raise InputError(
            f"template error: {exc}", file=path,
            fix="check the template tags against the kind's fields (`docgen kinds`)",
        ) from None
    buf = io.BytesIO()
    tpl.save(buf)
    entries = read_package(buf.getvalue())
    if ws.logo is not None:
        _replace_logo(entries, ws.logo)
    else:
        _remove_logo(entries)
    apply_paper(entries, ws.config.kertas.ukuran)
    return write_package(entries, out, props)
