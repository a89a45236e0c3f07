"""`docgen check sop`: the SOP format rules (Permenpan RB 35/2012), as pure checks.

Errors block `make`; warnings (style) do not. Every finding names the step number
and field and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import deque
from typing import TYPE_CHECKING

from ... import formatting
from ...kinds import Finding
from .model import Sop, looks_like_bad_date

if TYPE_CHECKING:
    from ...workspace import Workspace


def _f(level: str, no: int | None, field: str, message: str, fix: str) -> Finding:
    where = f"langkah[{no}].{field}" if no is not None else field
    prefix = f"step {no}: " if no is not None else ""
    return Finding(level, where, prefix + message, fix)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def exits(sop: Sop, no: int) -> list[int]:
    """Step numbers reachable in one move from step ``no`` (1-based)."""
    step = sop.langkah[no - 1]
    if step.keputusan is not None:
        return [step.keputusan.ya, step.keputusan.tidak]
    if step.lanjut is not None:
        return [step.lanjut]
    return [no + 1] if no < len(sop.langkah) else []


def check(ws: Workspace | None, sop: Sop) -> list[Finding]:
    out: list[Finding] = []
    n = len(sop.langkah)
    actors = set(sop.pelaksana)

    # Start and end: the first and last steps are the terminators.
    for no, what in ((1, "first"), (n, "last")):
        if sop.langkah[no - 1].keputusan is not None:
            out.append(_f(
                "error", no, "keputusan",
                f"the {what} step is the {'start' if no == 1 else 'end'} terminator and cannot be a decision",
                "move the decision to a middle step, or add a plain step before/after it",
            ))

    for no, step in enumerate(sop.langkah, start=1):
        if step.pelaksana not in actors:
            close = difflib.get_close_matches(step.pelaksana, sop.pelaksana, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            out.append(_f(
                "error", no, "pelaksana", f"pelaksana {step.pelaksana!r} is not declared",
                f"{hint}use one of: {', '.join(sop.pelaksana)} (or add it to `pelaksana`)",
            ))
        if not step.aktivitas.strip():
            out.append(_f("error", no, "aktivitas", "aktivitas is empty", "describe the activity"))
        try:
            step.durasi()
        except ValueError as exc:
            out.append(_f("error", no, "waktu", str(exc), 'write e.g. "15 menit", "2 jam" or "1 hari"'))
        k = step.keputusan
        if k is not None:
            for label, target in (("ya", k.ya), ("tidak", k.tidak)):
                if target == no:
                    out.append(_f("error", no, f"keputusan.{label}", "a decision exit cannot go to the decision itself",
                                  f"set keputusan.{label} to another step number"))
                elif not 1 <= target <= n:
                    out.append(_f("error", no, f"keputusan.{label}", f"exit goes to step {target}, which does not exist",
                                  f"use a step number from 1 to {n}"))
            if k.ya == k.tidak:
                out.append(_f("error", no, "keputusan", "both exits go to the same step",
                              "point 'tidak' to the step that is repeated or corrected"))
        j = step.lanjut
        if j is not None and k is None and no < n:  # a decision or the last step: model errors
            if j == no:
                out.append(_f("error", no, "lanjut", "lanjut goes to the step itself",
                              "set lanjut to the step the flow goes to after this one, or remove it"))
            elif not 1 <= j <= n:
                out.append(_f("error", no, "lanjut", f"lanjut goes to step {j}, which does not exist",
                              f"use a step number from 1 to {n}"))
            elif j == no + 1:
                out.append(_f("warning", no, "lanjut", f"lanjut: {j} is the next step, where the flow goes anyway",
                              "remove lanjut"))
        # Style: activities are verb phrases without a subject ("Menyusun ...").
        words = step.aktivitas.strip().lower()
        for actor in sorted(actors, key=len, reverse=True):
            if actor and words.startswith(actor.lower() + " "):
                out.append(_f(
                    "warning", no, "aktivitas",
                    f"aktivitas starts with its actor's name {actor!r} instead of a verb",
                    f"start with the verb, e.g. {_capital(step.aktivitas[len(actor):].strip())[:40]!r}",
                ))
                break

    # Every step reachable from the start (only when the exits are valid).
    if not any(f.level == "error" and (".keputusan" in f.field or ".lanjut" in f.field) for f in out):
        seen = {1}
        todo = deque([1])
        while todo:
            cur = todo.popleft()
            for nxt in exits(sop, cur):
                if 1 <= nxt <= n and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        for no in range(1, n + 1):
            if no not in seen:
                prev = sop.langkah[no - 2] if no > 1 else None
                why = (f" (step {no - 1} goes on to step {prev.lanjut}, its lanjut)"
                       if prev is not None and prev.lanjut is not None else "")
                out.append(_f(
                    "error", no, "keputusan", f"step cannot be reached from the start{why}",
                    "point a decision exit (keputusan.ya/tidak) or the lanjut of another step to it, "
                    "or remove it",
                ))
        # ... and the end reachable from every step: no loop without a way out.
        back: dict[int, list[int]] = {i: [] for i in range(1, n + 1)}
        for cur in range(1, n + 1):
            for nxt in exits(sop, cur):
                if 1 <= nxt <= n:
                    back[nxt].append(cur)
        ends = {n}
        todo = deque([n])
        while todo:
            for prev in back[todo.popleft()]:
                if prev not in ends:
                    ends.add(prev)
                    todo.append(prev)
        # The trap is at a step that jumps: a decision, or a plain step with lanjut.
        for no in sorted(seen - ends):
            step = sop.langkah[no - 1]
            if step.keputusan is not None:
                out.append(_f(
                    "error", no, "keputusan", "from this decision the flow never reaches the end",
                    "let one exit of the decision in this loop go forward, to a later step",
                ))
            elif step.lanjut is not None and step.lanjut < no:
                out.append(_f(
                    "error", no, "lanjut",
                    f"from this step the flow goes back to step {step.lanjut} and never reaches the end",
                    "point lanjut to a later step, or make a step of this loop a decision "
                    "(keputusan) with one exit going forward",
                ))

    # A date typed wrong ("2021-13-01", "31 Februari 2021") stays text on the sheet: say so.
    for name in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"):
        value = getattr(sop, name)
        if isinstance(value, str) and looks_like_bad_date(value):
            out.append(Finding("error", name, f"{value!r} is not a valid date",
                               "write the date as YYYY-MM-DD, e.g. 2021-01-18"))

    # An SOP cannot be revised, or take effect, before it was made.
    dibuat = sop.tanggal_pembuatan if isinstance(sop.tanggal_pembuatan, dt.date) else None
    if dibuat is not None:
        for name in ("tanggal_revisi", "tanggal_efektif"):
            value = getattr(sop, name)
            if isinstance(value, dt.date) and value < dibuat:
                out.append(Finding(
                    "error", name, f"{name} ({formatting.tanggal(value)}) is before tanggal_pembuatan "
                    f"({formatting.tanggal(dibuat)})", "check the dates (YYYY-MM-DD)"))

    # The official sheet needs its identity: an SOP without a number, a signer or a date
    # is a draft, not a procedure an auditor can cite.
    label = (sop.lembar or (ws.config.sop if ws is not None else None))
    label_efektif = label.label_tanggal_efektif if label is not None else "Tanggal Efektif"
    if not sop.nomor.strip():
        out.append(Finding("warning", "nomor", "Nomor SOP is empty: the identity sheet prints a blank",
                           'give the number from the register, e.g. nomor: "067/108/419.113/2021"'))
    pengesah = sop.disahkan_oleh
    if pengesah is None or (not isinstance(pengesah, str) and not pengesah.nama.strip()):
        out.append(Finding("warning", "disahkan_oleh", "Disahkan oleh is empty: nobody has approved this SOP",
                           "give a key of docgen.toml [pejabat] (e.g. kepala), or {jabatan, nama, pangkat, nip}"))
    for name, what in (("tanggal_pembuatan", "Tanggal Pembuatan"), ("tanggal_efektif", label_efektif)):
        if getattr(sop, name) in (None, ""):
            out.append(Finding("warning", name, f"{what} is empty on the identity sheet",
                               f"give {name} as YYYY-MM-DD"))

    # disahkan_oleh as a workspace key must exist there.
    if isinstance(sop.disahkan_oleh, str) and ws is not None and sop.disahkan_oleh not in ws.config.pejabat:
        known = ", ".join(sorted(ws.config.pejabat)) or "(none)"
        out.append(Finding(
            "error", "disahkan_oleh", f"unknown pejabat {sop.disahkan_oleh!r} in {ws.config_file}",
            f"use one of: {known}, or write {{jabatan, nama, pangkat, nip}} in the SOP file",
        ))
    return out
