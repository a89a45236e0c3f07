"""SOP (Standar Operasional Prosedur, Permenpan RB 35/2012): identity sheet + flowchart."""

from __future__ import annotations

from .. import Kind
from .document import build
from .lint import check
from .model import Sop

KIND = Kind(
    name="sop",
    title="Standar Operasional Prosedur",
    model=Sop,
    make=build,
    check=check,
    template="sop.docx",
    description="SOP AP sheet: identity, flowchart of the steps per pelaksana, Mutu Baku, total time",
    example="sop/000-kediri-diskominfo.yaml",
)
