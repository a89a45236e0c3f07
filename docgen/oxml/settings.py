"""settings.xml tweaks."""

from __future__ import annotations

from docx.document import Document

from .ns import q


def set_compat_mode(doc: Document, mode: int = 15) -> None:
    """Word compatibility mode (15 = Word 2013+ layout); added or updated in place."""
    settings = doc.settings.element
    compat = settings.find(q("w:compat"))
    if compat is None:
        compat = settings.makeelement(q("w:compat"), {})
        # w:compat sits after most settings; appending keeps the file valid for Word and LO
        anchor = next((settings.find(q(t)) for t in ("w:rsids", "w:themeFontLang", "w:clrSchemeMapping",
                                                          "w:shapeDefaults", "w:decimalSymbol")
                       if settings.find(q(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(compat)
        else:
            settings.append(compat)
    uri = "http://schemas.microsoft.com/office/word"
    for cs in compat.findall(q("w:compatSetting")):
        if cs.get(q("w:name")) == "compatibilityMode" and cs.get(q("w:uri")) == uri:
            cs.set(q("w:val"), str(mode))
            return
    cs = compat.makeelement(q("w:compatSetting"), {q("w:name"): "compatibilityMode", q("w:uri"): uri,
                                                    q("w:val"): str(mode)})
    compat.append(cs)
