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
    return f"{formatting.tanggal(value)} {value:%H.%M}"


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
