"""The font of the TTE stamp and footer: a TrueType font found on the machine,
embedded as a subset, so any name prints as written ("é", "’", "–", ...).

Liberation Sans first (metric-compatible with Arial/Helvetica; Debian's
fonts-liberation, which scripts/bootstrap.sh installs), then Arial (Windows, macOS),
then DejaVu Sans. The font is not shipped: Debian's Liberation 1.07 is GPLv2 with a
font exception, not OFL. Without any of them the stamp falls back to the standard,
non-embedded Helvetica, which only prints WinAnsi characters.

The subset is a CIDFontType2 with CIDs = glyph ids (Identity-H) and a ToUnicode map,
so the text stays extractable and searchable. No shaping (kerning, ligatures): not
needed for Latin text at 5-8 pt. Written here because pyHanko's own embedding
(pyhanko.pdf_utils.font.opentype) needs uharfbuzz, which docgen does not depend on.
"""

from __future__ import annotations

import io
import logging
import os
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory, ShapeResult
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

_NAMES = ("LiberationSans-Regular.ttf", "arial.ttf", "Arial.ttf", "DejaVuSans.ttf")
_DIRS = (
    "/usr/share/fonts/truetype/liberation",  # Debian/Ubuntu fonts-liberation
    "/usr/share/fonts/truetype/liberation2",  # Debian fonts-liberation2
    "/usr/share/fonts/liberation-sans",  # Fedora
    "/usr/share/fonts/liberation",
    "/usr/share/fonts/TTF",  # Arch
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
)
FONT_ENV = "DOCGEN_TTE_FONT"  # a .ttf to use instead (e.g. the office's own)


def candidates() -> list[Path]:
    """Font files to try, best first (names outrank folders: Liberation anywhere
    before Arial)."""
    dirs = [Path(d) for d in _DIRS]
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.insert(0, Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed per user on Windows 10+
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs.append(Path.home() / ".local" / "share" / "fonts")
    found = [d / n for n in _NAMES for d in dirs]
    if os.environ.get(FONT_ENV):
        found.insert(0, Path(os.environ[FONT_ENV]))
    return found


@dataclass(frozen=True)
class Face:
    """What shaping and measuring need, read once per process."""

    path: Path
    data: bytes
    ps_name: str
    units_per_em: int
    cmap: dict[int, int]  # code point -> glyph id
    widths: tuple[int, ...]  # advance by glyph id, in font units
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]

    def gid(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)  # 0: .notdef, a box, but the text still reads right

    def advance(self, text: str) -> float:
        """Width in em."""
        return sum(self.widths[self.gid(c)] for c in text) / self.units_per_em


def _embeddable(tt: ttLib.TTFont) -> bool:
    fs_type = getattr(tt.get("OS/2"), "fsType", 0)
    # 0x2: restricted licence (no embedding); 0x200: bitmap embedding only
    return (fs_type & 0xF) != 0x2 and not fs_type & 0x200


def _load(path: Path) -> Face | None:
    try:
        data = path.read_bytes()
        tt = ttLib.TTFont(io.BytesIO(data))
        if "glyf" not in tt or not _embeddable(tt):  # CFF-based .otf: not handled here
            return None
        order = tt.getGlyphOrder()
        ids = {name: i for i, name in enumerate(order)}
        cmap = {cp: ids[name] for cp, name in (tt.getBestCmap() or {}).items() if name in ids}
        hmtx = tt["hmtx"]
        head, hhea, os2 = tt["head"], tt["hhea"], tt.get("OS/2")
        ps = next((n.toUnicode() for n in tt["name"].names if n.nameID == 6), "") or path.stem
    except (OSError, ttLib.TTLibError, KeyError, UnicodeDecodeError, AssertionError):
        return None
    return Face(
        path=path, data=data, ps_name="".join(c for c in ps if c.isalnum() or c in "-_"),
        units_per_em=head.unitsPerEm, cmap=cmap,
        widths=tuple(hmtx[name][0] for name in order),
        ascent=hhea.ascent, descent=hhea.descent,
        cap_height=getattr(os2, "sCapHeight", 0) or hhea.ascent,
        bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
    )


@cache
def face() -> Face | None:
    """The stamp font, or None when the machine has none of the candidates."""
    for path in candidates():
        if path.is_file() and (found := _load(path)) is not None:
            return found
    return None


# Subsetting costs ~10 ms; the footer and a signer's stamp repeat, so keep a few.
_SUBSETS: OrderedDict[tuple[Path, frozenset[int]], bytes] = OrderedDict()
_SUBSET_CACHE = 16


def subset_bytes(f: Face, gids: frozenset[int]) -> bytes:
    key = (f.path, gids)
    if key in _SUBSETS:
        _SUBSETS.move_to_end(key)
        return _SUBSETS[key]
    options = subset.Options()
    options.retain_gids = True  # the content streams already use the original glyph ids
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "kern", "DSIG", "FFTM"]
    options.notdef_outline = True  # a missing character shows as a box, not as nothing
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright and names travel with the font
    tt = ttLib.TTFont(io.BytesIO(f.data))
    sub = subset.Subsetter(options)
    sub.populate(gids=sorted(gids | {0}))
    quiet = logging.getLogger("fontTools.subset")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "table X not subset; dropped" on stderr at every signature
    try:
        sub.subset(tt)
    finally:
        quiet.setLevel(level)
    out = io.BytesIO()
    tt.save(out)
    _SUBSETS[key] = data = out.getvalue()
    if len(_SUBSETS) > _SUBSET_CACHE:
        _SUBSETS.popitem(last=False)
    return data


def _scale(f: Face, v: float) -> int:
    return round(v * 1000 / f.units_per_em)


class EmbeddedFontEngine(FontEngine):
    """Shows text as 2-byte glyph ids; embeds the glyphs used when the PDF is written."""

    def __init__(self, writer: BasePdfFileWriter, f: Face) -> None:
        super().__init__(writer, f.ps_name, embedded_subset=True)
        self.face = f
        self._used: dict[int, str] = {}  # glyph id -> the text it stands for
        self._ref = writer.allocate_placeholder()
        self._written = False

    @property
    def uses_complex_positioning(self) -> bool:
        return False  # one Tj per line, natural advance

    def shape(self, txt: str) -> ShapeResult:
        codes = []
        for ch in txt:
            gid = self.face.gid(ch)
            self._used.setdefault(gid, ch)
            codes.append(f"{gid:04x}")
        return ShapeResult(graphics_ops=f"<{''.join(codes)}> Tj".encode("ascii"),
                           x_advance=self.face.advance(txt), y_advance=0)

    def as_resource(self) -> generic.IndirectObject:
        return self._ref

    def prepare_write(self) -> None:
        if self._written:
            return
        self._written = True
        f, w = self.face, self.writer
        name = pdf_name(f"/{self.subset_prefix}+{f.ps_name}")
        font_file = generic.StreamObject(stream_data=subset_bytes(f, frozenset(self._used)))
        font_file.compress()
        descriptor = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): name,
            pdf_name("/Flags"): generic.NumberObject(32),  # non-symbolic
            pdf_name("/FontBBox"): generic.ArrayObject(
                generic.NumberObject(_scale(f, v)) for v in f.bbox),
            pdf_name("/ItalicAngle"): generic.NumberObject(0),
            pdf_name("/Ascent"): generic.NumberObject(_scale(f, f.ascent)),
            pdf_name("/Descent"): generic.NumberObject(_scale(f, f.descent)),
            pdf_name("/CapHeight"): generic.NumberObject(_scale(f, f.cap_height)),
            pdf_name("/StemV"): generic.NumberObject(80),
            pdf_name("/FontFile2"): w.add_object(font_file),
        })
        widths = generic.ArrayObject()
        for gid in sorted(self._used):
            widths.append(generic.NumberObject(gid))
            widths.append(generic.ArrayObject([generic.NumberObject(_scale(f, f.widths[gid]))]))
        cid_font = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
            pdf_name("/BaseFont"): name,
            pdf_name("/CIDSystemInfo"): generic.DictionaryObject({
                pdf_name("/Registry"): generic.pdf_string("Adobe"),
                pdf_name("/Ordering"): generic.pdf_string("Identity"),
                pdf_name("/Supplement"): generic.NumberObject(0),
            }),
            pdf_name("/FontDescriptor"): w.add_object(descriptor),
            pdf_name("/W"): widths,
            pdf_name("/CIDToGIDMap"): pdf_name("/Identity"),
        })
        type0 = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type0"),
            pdf_name("/BaseFont"): name,
            pdf_name("/Encoding"): pdf_name("/Identity-H"),
            pdf_name("/DescendantFonts"): generic.ArrayObject([w.add_object(cid_font)]),
            pdf_name("/ToUnicode"): w.add_object(self._to_unicode()),
        })
        w.add_object(type0, idnum=self._ref.idnum)

    def _to_unicode(self) -> generic.StreamObject:
        pairs = sorted(self._used.items())
        body = []
        for i in range(0, len(pairs), 100):  # at most 100 entries per block
            chunk = pairs[i:i + 100]
            body.append(f"{len(chunk)} beginbfchar")
            body += [f"<{gid:04x}> <{ch.encode('utf-16-be').hex()}>" for gid, ch in chunk]
            body.append("endbfchar")
        cmap = "\n".join([
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange",
            *body, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
        ])
        stream = generic.StreamObject(stream_data=cmap.encode("ascii"))
        stream.compress()
        return stream


class EmbeddedFontFactory(FontEngineFactory):
    """One engine per writer: the footer and the stamp share one embedded subset."""

    def __init__(self, f: Face) -> None:
        self.face = f
        self._engines: weakref.WeakKeyDictionary[BasePdfFileWriter, EmbeddedFontEngine] = (
            weakref.WeakKeyDictionary())

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream=None) -> FontEngine:  # noqa: ANN001
        engine = self._engines.get(writer)
        if engine is None:
            engine = self._engines[writer] = EmbeddedFontEngine(writer, self.face)
        return engine
