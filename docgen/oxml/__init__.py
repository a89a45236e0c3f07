"""Low-level OOXML builders (DrawingML shapes and groups, table/row/cell properties).

Kept apart from the document logic, as python-docx keeps its `oxml` package: these
functions return XML text fragments (fast to build in bulk) that callers parse once
with :func:`docgen.oxml.ns.parse`.
"""
