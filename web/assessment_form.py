"""Reading a self-assessment or coach assessment form: one radio group `i<indicator id>` each."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from models import Indicator


def read_answers(
    form: Any, indicators: list[Indicator]
) -> tuple[dict[int, int | None], dict[str, str]]:
    """Answers by indicator id (None when skipped) and, per field name, what was wrong."""
    answers: dict[int, int | None] = {}
    errors: dict[str, str] = {}
    for indicator in indicators:
        raw = (form.get(f"i{indicator.id}") or "").strip()
        if not raw:
            answers[indicator.id] = None
            continue
        try:
            answers[indicator.id] = int(raw)
        except ValueError:
            errors[f"i{indicator.id}"] = _("Välj ett av alternativen.")
    return answers, errors


def messages(problems: dict[str, str]) -> dict[str, str]:
    """services.progression.AssessmentError problems as messages next to the right question."""
    text = {
        "out_of_scale": _("Välj ett av alternativen."),
        "unknown_indicator": _("Frågan finns inte längre. Ladda om sidan."),
        "nothing_answered": _("Svara på minst en fråga."),
    }
    return {(f"i{k}" if k else ""): text.get(v, v) for k, v in problems.items()}
