"""Put WordprocessingML property elements in the order the Office schemas require.

python-docx's `append` and hand-built fragments place children where they were added;
Word "repairs" a file whose `w:tblPr`, `w:pPr`, `w:rPr`, `w:tcPr` or `w:sectPr` holds them
out of sequence (ECMA-376 Part 1, transitional schema). :func:`normalise` sorts them,
keeps one of each (the last added wins) and writes on/off flags as the schema spells them.
"""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _names(text: str) -> list[str]:
    return text.split()


_PPR = _names("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
        "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
        "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
        "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
        "rPr sectPr pPrChange")
_RPR = _names("ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline "
        "shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz "
        "szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
        "oMath rPrChange")
_TBLPR = _names("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
          "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription "
          "tblPrChange")
_TCPR = _names("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
         "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange")
_SECTPR = _names("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
           "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
           "docGrid printerSettings sectPrChange")
_BORDERS = _names("top left start bottom right end insideH insideV")

SEQUENCES: dict[str, list[str]] = {
    "pPr": _PPR, "rPr": _RPR, "tblPr": _TBLPR, "tcPr": _TCPR, "sectPr": _SECTPR,
    "tblBorders": _BORDERS, "tcBorders": _BORDERS + ["tl2br", "tr2bl"], "tblCellMar": _BORDERS,
    "tcMar": _BORDERS, "pBdr": _names("top left bottom right between bar"),
}
_REPEATABLE = {"headerReference", "footerReference"}
# CT_OnOff in the transitional schema Word validates against: on/off, 1/0 (and true/false in
# newer readers); "1" is read by every Word and LibreOffice version.
_ONOFF = {"true": "1", "false": "0"}
_ROW_FLAGS = {"tblHeader", "cantSplit", "hidden"}
_FLAGS = {"tblHeader", "cantSplit", "hidden", "b", "bCs", "i", "iCs", "keepNext", "keepLines",
          "pageBreakBefore", "widowControl", "noProof", "vanish", "titlePg", "caps", "strike"}


def _sort(el: etree._Element, seq: list[str]) -> None:
    rank = {name: i for i, name in enumerate(seq)}
    kids = [k for k in el if isinstance(k.tag, str)]
    seen: dict[str, etree._Element] = {}
    keep = []
    for k in kids:  # one of each singleton; the one added last is the one meant
        local = etree.QName(k).localname
        if k.tag.startswith(f"{{{W}}}") and local not in _REPEATABLE:
            if local in seen:
                keep.remove(seen[local])
            seen[local] = k
        keep.append(k)
    known = [k for k in keep if k.tag.startswith(f"{{{W}}}") and etree.QName(k).localname in rank]
    known.sort(key=lambda k: rank[etree.QName(k).localname])  # stable: header/footer refs keep order
    others = [k for k in keep if k not in known]
    for k in kids:
        el.remove(k)
    for k in known + others:
        el.append(k)


def normalise(root: etree._Element) -> etree._Element:
    """Reorder property children under `root` in place (and return it)."""
    val = f"{{{W}}}val"
    for el in root.iter(f"{{{W}}}*"):
        local = etree.QName(el).localname
        if local in _FLAGS and el.get(val) in _ONOFF:
            if local in _ROW_FLAGS:  # CT_OnOffOnly: "on"/"off", and "on" is the default
                if _ONOFF[el.get(val)] == "1":
                    del el.attrib[val]
                else:
                    el.set(val, "off")
            else:
                el.set(val, _ONOFF[el.get(val)])
        seq = SEQUENCES.get(local)
        # w:rPr of a run and of a paragraph mark share one sequence; w:sectPr inside w:pPr too
        if seq is not None and len(el):
            _sort(el, seq)
    return root
