"""The participant's own self-assessment: a few questions, big answer buttons, simple words."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from models import Session
from services import progression
from services.indicators import statement
from web import current_lang
from web.assessment_form import messages, read_answers
from web.charts import Series, line_chart
from web.participant.blueprint import bp
from web.participant.views import me


@bp.route("/assessment", methods=["GET", "POST"])
def assessment() -> Any:
    participant = me()
    indicators = progression.for_respondent(
        progression.indicator_set(participant.unit_id), "participant"
    )
    form = FlaskForm()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            answers, errors = read_answers(request.form, indicators)
            if not errors:
                try:
                    progression.record(
                        participant, "participant", answers, by=current_user, on=date.today()
                    )
                except progression.AssessmentError as exc:
                    errors = messages(exc.problems)
                else:
                    Session.commit()
                    return redirect(url_for("participant.assessment_thanks")), 303
        status = 400
    latest, _previous, charts = _own_progress(participant)
    return render_template(
        "participant/assessment.html",
        participant=participant,
        indicators=indicators,
        form=form,
        errors=errors,
        selected={k: request.form.get(k, type=int) for k in request.form} if errors else {},
        latest=latest,
        charts=charts,
        statement=statement,
    ), status


@bp.route("/assessment/thanks")
def assessment_thanks() -> Any:
    """After sending: a clear confirmation and a look at one's own answers over time, instead of
    the same form again."""
    participant = me()
    latest, previous, charts = _own_progress(participant)
    indicators = [
        i
        for i in progression.for_respondent(
            progression.indicator_set(participant.unit_id), "participant"
        )
        if i.id in latest
    ]
    return render_template(
        "participant/assessment_thanks.html",
        indicators=indicators,
        latest=latest,
        previous=previous,
        charts=charts,
        statement=statement,
    )


def _own_progress(participant: Any) -> tuple[dict, dict, list]:
    """Per indicator the newest and the one-before answer, and a chart where there are two."""
    latest, previous, charts = {}, {}, []
    for s in progression.series_for(participant):
        answered = [(d, v) for d, v in zip(s.dates, s.participant, strict=True) if v is not None]
        if answered:
            latest[s.indicator.id] = answered[-1]
        if len(answered) >= 2:
            previous[s.indicator.id] = answered[-2]
            charts.append((s.indicator, answered, _own_chart(s.indicator, answered)))
    return latest, previous, charts


def _own_chart(indicator: Any, answered: list[tuple[Any, int]]) -> str:
    """The participant's own answers over time (the coach's are shown to the coach)."""
    label = statement(indicator, current_lang())
    return line_chart(
        f"own-{indicator.key}",
        label,
        _(
            "Dina svar vid varje mätning, på skalan %(low)s–%(high)s.",
            low=indicator.scale_min,
            high=indicator.scale_max,
        ),
        [d.isoformat() for d, _v in answered],
        [Series(_("Dina svar"), [v for _d, v in answered])],
        y_min=indicator.scale_min,
        y_max=indicator.scale_max,
        height=220,
    )
