"""DrawingML builders: one inline group per table cell holding preset shapes, open polylines
(connector pieces) and text labels. All sizes in EMU; coordinates relative to the group.

Rules learnt in LibreOffice (shared/notes/sop-flowchart.md): the first child is an invisible
rectangle the size of the group (else the group shrinks to its children's bounding box);
a line's box is at least 12700 EMU thick with the path drawn in its middle; the arrowhead
(`a:tailEnd`) goes on the last piece of a connector only.
"""

from __future__ import annotations

from .ns import esc

MIN_THICK = 12700
BLACK = '<a:solidFill><a:srgbClr val="000000"/></a:solidFill>'


def _line(width: int, arrow: bool = False) -> str:
    tail = '<a:tailEnd type="triangle" w="med" len="med"/>' if arrow else ""
    return f'<a:ln w="{width}">{BLACK}{tail}</a:ln>'


def _xfrm(x: int, y: int, w: int, h: int) -> str:
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


def _txbx(text: str, size_pt: float, font: str, bold: bool, align: str) -> str:
    """Text box content; each line of `text` is its own paragraph (LibreOffice ignores
    `w:br` in a group's text box)."""
    sz = round(size_pt * 2)
    b = "<w:b/>" if bold else ""
    rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>{b}'
           f'<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>')
    paras = "".join(
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:jc w:val="{align}"/></w:pPr><w:r>{rpr}<w:t xml:space="preserve">{esc(line)}</w:t></w:r></w:p>'
        for line in text.split("\n"))
    return f"<wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx>"


NO_TEXT = "<wps:bodyPr/>"  # shapes without text: the smallest valid body


def _body(anchor: str = "ctr", wrap: str = "square") -> str:
    return (f'<wps:bodyPr wrap="{wrap}" lIns="0" tIns="0" rIns="0" bIns="0" '
            f'anchor="{anchor}"><a:noAutofit/></wps:bodyPr>')


def invisible_rect(sid: int, w: int, h: int) -> str:
    return (
        f'<wps:wsp><wps:cNvPr id="{sid}" name="Sel {sid}"/><wps:cNvSpPr/><wps:spPr>'
        f'{_xfrm(0, 0, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
        "<a:ln><a:noFill/></a:ln></wps:spPr>" + NO_TEXT + "</wps:wsp>"
    )


def preset_shape(sid: int, prst: str, x: int, y: int, w: int, h: int, line_w: int, *,
                 text: str = "", size_pt: float = 8, font: str = "Arial") -> str:
    """A flowchart symbol with white fill (hides line ends under it) and optional centred text."""
    body = _txbx(text, size_pt, font, True, "center") if text else ""
    return (
        f'<wps:wsp><wps:cNvPr id="{sid}" name="{prst} {sid}"/><wps:cNvSpPr/><wps:spPr>'
        f'{_xfrm(x, y, w, h)}<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>{_line(line_w)}</wps:spPr>'
        f"{body}{_body() if text else NO_TEXT}</wps:wsp>"
    )


def polyline(sid: int, points: list[tuple[int, int]], line_w: int, arrow: bool) -> str:
    """An open axis-aligned polyline; its box is at least MIN_THICK thick on each side."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 - x0 < MIN_THICK:
        x0 = (x0 + x1) // 2 - MIN_THICK // 2
        x1 = x0 + MIN_THICK
    if y1 - y0 < MIN_THICK:
        y0 = (y0 + y1) // 2 - MIN_THICK // 2
        y1 = y0 + MIN_THICK
    w, h = x1 - x0, y1 - y0
    rel = [(x - x0, y - y0) for x, y in points]
    path = f'<a:moveTo><a:pt x="{rel[0][0]}" y="{rel[0][1]}"/></a:moveTo>' + "".join(
        f'<a:lnTo><a:pt x="{x}" y="{y}"/></a:lnTo>' for x, y in rel[1:])
    return (
        f'<wps:wsp><wps:cNvPr id="{sid}" name="Garis {sid}"/><wps:cNvSpPr/><wps:spPr>'
        f"{_xfrm(x0, y0, w, h)}<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>"
        f'<a:rect l="0" t="0" r="r" b="b"/><a:pathLst><a:path w="{w}" h="{h}" fill="none">{path}'
        f"</a:path></a:pathLst></a:custGeom><a:noFill/>{_line(line_w, arrow)}</wps:spPr>"
        + NO_TEXT + "</wps:wsp>"
    )


def label(sid: int, text: str, x: int, y: int, w: int, h: int, *, size_pt: float = 7,
          font: str = "Arial", align: str = "left") -> str:
    """A text box without fill or line (exit labels such as Ya / Tidak)."""
    return (
        f'<wps:wsp><wps:cNvPr id="{sid}" name="Label {sid}"/><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
        f"<a:ln><a:noFill/></a:ln></wps:spPr>{_txbx(text, size_pt, font, False, align)}"
        + _body("t", "none") + "</wps:wsp>"
    )


def inline_group(doc_pr_id: int, w: int, h: int, children: list[str]) -> str:
    """A run holding one inline group of exactly w x h EMU."""
    return (
        '<w:r><w:rPr><w:noProof/></w:rPr><w:drawing>'
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{doc_pr_id}" name="Alur {doc_pr_id}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup">'
        '<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{w}" cy="{h}"/><a:chOff x="0" y="0"/><a:chExt cx="{w}" cy="{h}"/></a:xfrm>'
        "</wpg:grpSpPr>" + "".join(children) + "</wpg:wgp></a:graphicData></a:graphic>"
        "</wp:inline></w:drawing></w:r>"
    )


# ---------------------------------------------------------------- VML fallback
# Word writes every wpg group inside mc:AlternateContent with a VML copy for readers that
# do not know Word 2010 drawings (Word 2007, older converters). The copy below holds the
# same symbols, lines, arrowheads and texts, in the group's own coordinates (EMU).

_VML_PATHS = {  # 21600-unit outlines of the flowchart presets VML has no name for
    "flowChartDecision": "m10800,l21600,10800,10800,21600,,10800xe",
    "flowChartOffpageConnector": "m,l21600,,21600,17322,10800,21600,,17322xe",
}


def _pos(x: int, y: int, w: int, h: int) -> str:
    return f"position:absolute;left:{x};top:{y};width:{w};height:{h}"


def _vml_text(text: str, size_pt: float, font: str, bold: bool, align: str) -> str:
    inner = _txbx(text, size_pt, font, bold, align)
    inner = inner.removeprefix("<wps:txbx>").removesuffix("</wps:txbx>")
    return f'<v:textbox inset="0,0,0,0" style="v-text-anchor:middle">{inner}</v:textbox>'


def vml_polyline(points: list[tuple[int, int]], line_w: int, arrow: bool) -> str:
    """An open path in its own box (readers differ on v:polyline's coordinate space)."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if x1 - x0 < MIN_THICK:  # as in DrawingML: a box with a thin side misrenders
        x0 = (x0 + x1) // 2 - MIN_THICK // 2
        x1 = x0 + MIN_THICK
    if y1 - y0 < MIN_THICK:
        y0 = (y0 + y1) // 2 - MIN_THICK // 2
        y1 = y0 + MIN_THICK
    w, h = x1 - x0, y1 - y0
    rel = [(x - x0, y - y0) for x, y in points]
    path = f"m{rel[0][0]},{rel[0][1]} l" + ",".join(f"{x},{y}" for x, y in rel[1:]) + " e"
    head = '<v:stroke endarrow="block"/>' if arrow else ""
    return (f'<v:shape style="{_pos(x0, y0, w, h)}" coordsize="{w},{h}" path="{path}" filled="f" '
            f'strokecolor="black" strokeweight="{line_w / 12700:g}pt">{head}</v:shape>')


def vml_shape(prst: str, x: int, y: int, w: int, h: int, line_w: int, *, text: str = "",
              size_pt: float = 8, font: str = "Arial") -> str:
    attrs = f'style="{_pos(x, y, w, h)}" fillcolor="white" strokecolor="black" strokeweight="{line_w / 12700:g}pt"'
    body = _vml_text(text, size_pt, font, True, "center") if text else ""
    if prst == "flowChartTerminator":
        return f'<v:roundrect arcsize="50%" {attrs}>{body}</v:roundrect>'
    if prst in _VML_PATHS:
        return (f'<v:shape coordsize="21600,21600" path="{_VML_PATHS[prst]}" {attrs}>{body}</v:shape>')
    return f"<v:rect {attrs}>{body}</v:rect>"


def vml_label(text: str, x: int, y: int, w: int, h: int, *, size_pt: float = 7, font: str = "Arial",
              align: str = "left") -> str:
    return (f'<v:rect style="{_pos(x, y, w, h)}" filled="f" stroked="f">'
            f"{_vml_text(text, size_pt, font, False, align)}</v:rect>")


def with_fallback(drawing_run: str, w: int, h: int, vml_children: list[str]) -> str:
    """The run of :func:`inline_group` wrapped in mc:AlternateContent with a VML group of
    the same size as its fallback (`v`, `o` and `mc` are declared on w:document)."""
    start = drawing_run.index("<w:drawing>")
    end = drawing_run.index("</w:drawing>") + len("</w:drawing>")
    pt_w, pt_h = w / 12700, h / 12700
    group = (f'<v:group style="width:{pt_w:.2f}pt;height:{pt_h:.2f}pt" coordorigin="0,0" '
             f'coordsize="{w},{h}">' + "".join(vml_children) + "</v:group>")
    return (drawing_run[:start] + '<mc:AlternateContent><mc:Choice Requires="wpg">'
            + drawing_run[start:end] + f"</mc:Choice><mc:Fallback><w:pict>{group}</w:pict>"
            "</mc:Fallback></mc:AlternateContent>" + drawing_run[end:])
