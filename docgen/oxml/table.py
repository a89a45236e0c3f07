"""Table, row, cell and paragraph builders (text fragments, `w:` prefix declared by the caller)."""

from __future__ import annotations

from .ns import esc


def run_props(font: str, size_pt: float, bold: bool = False) -> str:
    sz = round(size_pt * 2)
    return (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsia="{font}"/>'
            f'{"<w:b/><w:bCs/>" if bold else ""}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>')


def paragraph(text: str, rpr: str, align: str = "left", *, inner: str = "") -> str:
    """A paragraph without spacing; `text` lines become separate runs joined by breaks."""
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{esc(line)}</w:t>' for line in text.split("\n"))
    body = f"<w:r>{rpr}{runs}</w:r>" if text else ""
    # spacing and indents set here: the caller's Normal style must not change the wrapping
    return (f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:left="0" w:right="0" w:firstLine="0"/>'
            f'<w:jc w:val="{align}"/>{"" if text else rpr}</w:pPr>'
            f"{body}{inner}</w:p>")


def cell(width_twips: int, content: str, *, span: int = 1, vmerge: str | None = None,
         shading: str | None = None, zero_margins: bool = False, valign: str = "center") -> str:
    props = [f'<w:tcW w:w="{width_twips}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge is not None:
        props.append(f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>")
    if shading:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{shading}"/>')
    if zero_margins:
        props.append('<w:tcMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
                     '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tcMar>')
    props.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{content}</w:tc>"


def row(cells: list[str], height_twips: int, *, header: bool = False) -> str:
    hdr = "<w:tblHeader/>" if header else ""
    return (f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height_twips}" w:hRule="exact"/>'
            f"{hdr}</w:trPr>{''.join(cells)}</w:tr>")


def table(widths_twips: list[int], rows: list[str], decls: str, *, margin_twips: int = 85,
          border_sz: int = 4) -> str:
    """A fixed-layout table with single borders; `decls` are the namespace declarations."""
    total = sum(widths_twips)
    b = "".join(f'<w:{side} w:val="single" w:sz="{border_sz}" w:space="0" w:color="000000"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths_twips)
    return (
        f'<w:tbl {decls}><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{b}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margin_twips}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margin_twips}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
