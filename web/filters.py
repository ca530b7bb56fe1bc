"""Template helpers shared by every audience's pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime


def register(app: Flask) -> None:
    from web import current_lang

    @app.template_filter("date")
    def _date(value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            return format_datetime(value, "yyyy-MM-dd HH:mm")
        return format_date(value, "yyyy-MM-dd")

    @app.template_filter("pct")
    def _pct(value: float | None) -> str:
        return "–" if value is None else f"{round(100 * value)} %"

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"lang": current_lang(), "current_path": request.path}
