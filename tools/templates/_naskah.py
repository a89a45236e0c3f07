"""Pieces the letter templates of Permendagri 1/2023 share (surat dinas, undangan, tugas,
berita acara, keputusan): label columns, hanging-indent numbered lists, Jinja loops,
the addressee, the tembusan. Built on common.py; not a template itself (no build())."""

from __future__ import annotations

from docx.shared import Cm, Pt

from .common import no_borders, para, set_col_widths

TEXT_CM = 16.5  # text width of an A4 page with the margins of common.new_document


def tabbed(container, text: str, *, left_cm: float, hang_cm: float, tabs: list[float] | None = None,
           bold: bool = False, align: str | None = None, space_after: float = 0, size: float | None = None):
    """A paragraph whose first line starts ``hang_cm`` left of the rest: "1.\\ttext",
    "Nomor\\t:\\t...". Word and LibreOffice wrap the text under the text, not the number."""
    p = para(container, text, bold=bold, align=align, space_after=space_after, size=size)
    pf = p.paragraph_format
    pf.left_indent = Cm(left_cm)
    pf.first_line_indent = Cm(-hang_cm)
    for t in tabs if tabs is not None else [left_cm]:
        pf.tab_stops.add_tab_stop(Cm(t))
    return p


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}): it disappears."""
    return para(container, text)


def label_row(container, label: str, value: str, *, label_cm: float = 2.6, colon_cm: float = 0.4,
              indent_cm: float = 0.0, bold: bool = False, space_after: float = 0):
    """``Label : value``, the value wrapping under itself."""
    return tabbed(container, f"{label}\t:\t{value}", left_cm=indent_cm + label_cm + colon_cm,
                  hang_cm=label_cm + colon_cm, tabs=[indent_cm + label_cm, indent_cm + label_cm + colon_cm],
                  bold=bold, space_after=space_after)


def numbered_loop(container, items: str, text: str, *, marker: str = "{{ loop.index }}.",
                  left_cm: float = 0.75, hang_cm: float = 0.75, var: str = "x", space_after: float = 0,
                  last: str = "", align: str | None = "justify") -> None:
    """One hanging-indent paragraph per item of ``items``; ``last`` is written after the
    text of the last item instead of nothing (e.g. "." after a list ended by ";")."""
    tag(container, "{%p for " + var + " in " + items + " %}")
    body = text + ("{{ '" + last + "' if loop.last }}" if last else "")
    tabbed(container, f"{marker}\t{body}", left_cm=left_cm, hang_cm=hang_cm, align=align,
           space_after=space_after)
    tag(container, "{%p endfor %}")


def body(container, text: str, *, indent_cm: float = 1.25, space_after: float = 6, line: float = 1.15):
    """A justified body paragraph with a first-line indent."""
    p = para(container, text, align="justify", space_after=space_after)
    p.paragraph_format.first_line_indent = Cm(indent_cm)
    p.paragraph_format.line_spacing = line
    return p


def body_loop(container, items: str, *, var: str = "alinea", indent_cm: float = 1.25) -> None:
    tag(container, "{%p for " + var + " in " + items + " %}")
    body(container, "{{ " + var + " }}", indent_cm=indent_cm)
    tag(container, "{%p endfor %}")


def tembusan(container) -> None:
    """Tembusan at the foot, "Yth." before each, numbered when more than one (Permendagri
    1/2023); the block is left out when the list is empty."""
    tag(container, "{%p if tembusan %}")
    para(container, "", space_after=Pt(6).pt)
    para(container, "Tembusan:")
    tag(container, "{%p for t in tembusan %}")
    tabbed(container, "{{ (loop.index ~ '.') if tembusan|length > 1 }}\tYth. {{ t.rstrip(';. ') }}"
           "{{ ';' if not loop.last else '.' }}", left_cm=0.6, hang_cm=0.6, size=11)
    tag(container, "{%p endfor %}")
    tag(container, "{%p endif %}")


def yth(container, who: str = "kepada", di: str = "di") -> None:
    """The addressee: "Yth. JABATAN" / "di" / "    TEMPAT"."""
    para(container, "Yth. {{ " + who + " }}")
    para(container, "di")
    para(container, "{{ " + di + " }}").paragraph_format.left_indent = Cm(0.75)


def two_columns(doc, left_cm: float):
    """A borderless two-column table over the text width; returns its two cells."""
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    set_col_widths(t, [left_cm, TEXT_CM - left_cm])
    return t.rows[0].cells
