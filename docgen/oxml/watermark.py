"""The "KONSEP" watermark of a draft: a large grey text box behind the text of every page.

It lives in a header part, as Word's own watermarks do, so it repeats on every page. It is
a DrawingML text box (not Word's VML WordArt), because LibreOffice keeps that as real text
in the PDF: a clerk, a test and a search all read "KONSEP"."""

from __future__ import annotations

import re

from .ns import DECLS, esc

HEADER_PART = "word/header-konsep.xml"
_REL_ID = "rIdDocgenKonsep"
_HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
EMU_PER_CM = 360000


def _shape(text: str) -> str:
    w, h = 16 * EMU_PER_CM, 4 * EMU_PER_CM
    run = ('<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:b/>'
           '<w:color w:val="C8C8C8"/><w:sz w:val="144"/><w:szCs w:val="144"/></w:rPr>'
           f'<w:t>{esc(text)}</w:t></w:r>')
    return (
        '<w:r><w:rPr><w:noProof/></w:rPr><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="0" '
        'behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:align>center</wp:align></wp:positionV>'
        f'<wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="9001" name="Watermark KONSEP"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm rot="-2700000"><a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        '<wps:txbx><w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
        f'{run}</w:p></w:txbxContent></wps:txbx>'
        '<wps:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr"><a:noAutofit/></wps:bodyPr>'
        '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
    )


def add(entries: dict[str, bytes], text: str = "KONSEP") -> None:
    """Put the watermark on every page of the package ``entries`` (in place).

    Sections that already have a default header get the shape added to that header;
    the others point at a new header part holding only the watermark."""
    shape = _shape(text)
    doc = entries["word/document.xml"].decode("utf-8")
    rels = entries["word/_rels/document.xml.rels"].decode("utf-8")
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})

    def section(m: re.Match[str]) -> str:
        sect = m.group(0)
        ref = re.search(r'<w:headerReference[^>]*w:type="default"[^>]*r:id="([^"]+)"', sect) or \
            re.search(r'<w:headerReference[^>]*r:id="([^"]+)"[^>]*w:type="default"', sect)
        if ref:
            part = "word/" + targets[ref.group(1)].lstrip("/").removeprefix("word/")
            hdr = entries[part].decode("utf-8")
            entries[part] = re.sub(r"(<w:p[ >](?:(?!</w:p>).)*?)(</w:p>)", lambda p: p.group(1) + shape + p.group(2),
                                   hdr, count=1, flags=re.S).encode("utf-8")
            return sect
        first = f'<w:headerReference w:type="default" r:id="{_REL_ID}"/>'
        if sect.endswith("/>"):
            return f"{sect[:-2]}>{first}</w:sectPr>"
        head, _, rest = sect.partition(">")
        return f"{head}>{first}{rest}"

    doc = re.sub(r"<w:sectPr\b[^>]*?(?:/>|>.*?</w:sectPr>)", section, doc, flags=re.S)
    if _REL_ID in doc:
        if 'xmlns:r="' not in doc[:2000]:
            doc = doc.replace("<w:document ", '<w:document xmlns:r="http://schemas.openxmlformats.org/'
                              'officeDocument/2006/relationships" ', 1)
        entries[HEADER_PART] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {DECLS}>'
            f"<w:p>{shape}</w:p></w:hdr>").encode()
        entries["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>",
            f'<Relationship Id="{_REL_ID}" Type="{_HEADER_TYPE}" Target="header-konsep.xml"/></Relationships>',
        ).encode("utf-8")
        ct = entries["[Content_Types].xml"].decode("utf-8")
        entries["[Content_Types].xml"] = ct.replace(
            "</Types>", f'<Override PartName="/{HEADER_PART}" ContentType="{_HEADER_CT}"/></Types>').encode("utf-8")
    entries["word/document.xml"] = doc.encode("utf-8")
