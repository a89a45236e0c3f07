from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ... import formatting

register = template.Library()


@register.filter
def tgl(value) -> str:
    """22 November 2026."""
    try:
        return formatting.tanggal(value) if value else ""
    except (ValueError, TypeError):
        return str(value)


@register.filter
def waktu(value) -> str:
    """22 November 2026 14.05 (local time)."""
    if not isinstance(value, dt.datetime):
        return str(value or "")
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    from .. import state

    zona = state.ws().config.tte.zona_waktu  # settings.TIME_ZONE follows it
    return f"{formatting.tanggal(value)} {value:%H.%M}" + (f" {zona}" if zona else "")


@register.simple_tag
def cuplikan(text: str, marks) -> str:
    """The snippet with the matched words in <mark>, everything else escaped."""
    out, pos = [], 0
    for a, b in sorted(marks or []):
        if a < pos:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


@register.filter
def iso_waktu(value) -> str:
    """An ISO time from the archive or a signature ("2026-12-06T01:43:03+00:00") as the
    office reads it: 6 Desember 2026 08.43, in the server's time zone."""
    if not value:
        return ""
    try:
        t = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return waktu(t)
