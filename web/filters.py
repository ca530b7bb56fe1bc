"""Template helpers shared by every audience's pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime, gettext


def register(app: Flask) -> None:
    from web import current_lang

    @app.template_filter("date")
    def _date(value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            return format_datetime(value, "yyyy-MM-dd HH:mm")
        return format_date(value, "yyyy-MM-dd")

    @app.template_filter("num")
    def _num(value: float | int | None) -> str:
        """25.0 as "25", 7.5 as "7,5" in Swedish."""
        if value is None:
            return "–"
        text = f"{float(value):g}"
        return text.replace(".", ",") if current_lang() == "sv" else text

    @app.template_filter("hours_range")
    def _hours_range(low: float | None, high: float | None) -> str:
        """"10–25", or "25" when both ends are the same; one open end says so."""
        if low is None and high is None:
            return "–"
        if low is not None and high is not None:
            return _num(low) if float(low) == float(high) else f"{_num(low)}–{_num(high)}"
        if low is not None:
            return gettext("minst %(n)s", n=_num(low))
        return gettext("högst %(n)s", n=_num(high))

    @app.template_filter("period")
    def _period(start: date | None, end: date | None) -> str:
        """"2026-12-07 – 2027-01-04"; an open end is said in words, never "– –"."""
        if start is None and end is None:
            return "–"
        if end is None:
            return gettext("från %(day)s", day=_date(start))
        if start is None:
            return gettext("till %(day)s", day=_date(end))
        return f"{_date(start)} – {_date(end)}"

    @app.template_filter("pct")
    def _pct(value: float | None) -> str:
        return "–" if value is None else f"{round(100 * value)} %"

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"lang": current_lang(), "current_path": request.path}
