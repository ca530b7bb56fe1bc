"""Template helpers shared by every audience's pages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime, gettext
from markupsafe import Markup, escape

# A date or a time never breaks across lines ("2026-12-" at the end of one line, "07" on the
# next): it is wrapped in a span that the style sheet keeps on one line. A span, not
# non-breaking hyphens (U+2011), so copying the date and reading it aloud stay right.
NOWRAP = Markup('<span class="nowrap">%s</span>')
NBSP = "\N{NO-BREAK SPACE}"
# A date, with its time when it has one, inside a sentence made in Python (a flash message, a
# notification, a plan warning): "2026-12-07", "2026-12-07 kl. 14.00", "2026-12-07 14:00".
DATE_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?: (?:kl\. )?\d{2}[.:]\d{2})?")


def nowrap(text: str) -> Markup:
    """`text` escaped, in a span that does not wrap."""
    return NOWRAP % text


def keep_dates(text: Any) -> Markup:
    """Plain text escaped, each date in it in a span that does not wrap. Markup is left as it
    is: its dates came through the date filter already, and a pattern must not reach into tags."""
    if isinstance(text, Markup):
        return text
    text, parts, last = str(text), [], 0
    for m in DATE_IN_TEXT.finditer(text):
        parts += [text[last : m.start()], nowrap(m.group(0))]
        last = m.end()
    parts.append(text[last:])
    return Markup("").join(parts)  # escapes the plain parts


def date_text(value: date | datetime, lang: str) -> str:
    """2026-12-07; with a time, "2026-12-07 kl. 14.00" in Swedish, "2026-12-07 14:00" in English."""
    if isinstance(value, datetime):
        pattern = "yyyy-MM-dd 'kl.' HH.mm" if lang == "sv" else "yyyy-MM-dd HH:mm"
        return format_datetime(value, pattern)
    return format_date(value, "yyyy-MM-dd")


def number(value: float | int, lang: str) -> str:
    """25.0 as "25", 7.5 as "7,5" in Swedish."""
    text = f"{float(value):g}"
    return text.replace(".", ",") if lang == "sv" else text


def register(app: Flask) -> None:
    from web import current_lang

    @app.template_filter("date")
    def _date(value: date | datetime | str | None) -> Markup | str:
        """A date, a time, or a stored ISO date ("2026-12-07", as report figures keep it)."""
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return nowrap(value)
        return nowrap(date_text(value, current_lang()))

    app.add_template_filter(keep_dates, "keep_dates")

    @app.template_filter("num")
    def _num(value: float | int | None) -> str:
        """25.0 as "25", 7.5 as "7,5" in Swedish."""
        return "–" if value is None else number(value, current_lang())

    @app.template_filter("hours_range")
    def _hours_range(low: float | None, high: float | None) -> Markup | str:
        """ "10–25", or "25" when both ends are the same; one open end says so. A line may
        break after an en dash, so a range is kept on one line."""
        if low is None and high is None:
            return "–"
        if low is not None and high is not None:
            if float(low) == float(high):
                return _num(low)
            return nowrap(f"{_num(low)}–{_num(high)}")
        if low is not None:
            return gettext("minst %(n)s", n=_num(low))
        return gettext("högst %(n)s", n=_num(high))

    @app.template_filter("period")
    def _period(start: date | None, end: date | None) -> Markup | str:
        """ "2026-12-07 – 2027-01-04"; an open end is said in words, never "– –". The
        translated words are escaped; the dates keep their spans."""
        if start is None and end is None:
            return "–"
        if end is None:
            return escape(gettext("från %(day)s")) % {"day": _date(start)}
        if start is None:
            return escape(gettext("till %(day)s")) % {"day": _date(end)}
        # No break before the dash: a line may end after it, never begin with it.
        return Markup("%s%s– %s") % (_date(start), NBSP, _date(end))

    @app.template_filter("pct")
    def _pct(value: float | None) -> str:
        return "–" if value is None else f"{round(100 * value)}{NBSP}%"

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"lang": current_lang(), "current_path": request.path}
