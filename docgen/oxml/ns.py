"""Namespaces and parsing of XML fragments built as text."""

from __future__ import annotations

from docx.oxml import parse_xml
from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
}
DECLS = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items())


def q(tag: str) -> str:
    """'w:tbl' -> '{uri}tbl'."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def parse(fragment: str) -> etree._Element:
    """Parse a fragment whose root element is written as `<w:tbl {DECLS}>`-style text.

    Goes through python-docx's parser so the elements get its custom classes."""
    return parse_xml(fragment)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
