"""Coach pages: a participant's progression over time, the coach's own assessment, the unit view."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from models import Participant, Session
from services import plans, progression
from web import current_lang
from web.assessment_form import messages, read_answers
from web.charts import Series, hbar_chart, line_chart
from web.coach.blueprint import bp
from web.coach.views import get_participant_or_404
from web.reports.present import GENDER_LABELS


def _label(indicator: Any) -> str:
    return indicator.label_en if current_lang() == "en" else indicator.label_sv


def _chart(s: progression.IndicatorSeries) -> str:
    i = s.indicator
    return line_chart(
        f"ind-{i.key}",
        _("%(indicator)s över tid", indicator=_label(i)),
        _(
            "Deltagarens och coachens svar vid varje mätning, på skalan %(low)s–%(high)s.",
            low=i.scale_min,
            high=i.scale_max,
        ),
        [d.isoformat() for d in s.dates],
        [Series(_("Deltagaren"), s.participant), Series(_("Coachen"), s.coach)],
        y_min=i.scale_min,
        y_max=i.scale_max,
    )


@bp.route("/participants/<int:participant_id>/progression", methods=["GET", "POST"])
def progression_page(participant_id: int) -> Any:
    participant = get_participant_or_404(participant_id)
    indicators = progression.for_respondent(progression.indicator_set(participant.unit_id), "coach")
    form = FlaskForm()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        answers, errors = read_answers(request.form, indicators)
        if not errors:
            try:
                progression.record(participant, "coach", answers, by=current_user, on=date.today())
            except progression.AssessmentError as exc:
                errors = messages(exc.problems)
            else:
                from models import Session

                Session.commit()
                flash(_("Din bedömning är sparad."), "success")
                return redirect(url_for("coach.progression_page", participant_id=participant.id))
        status = 400
    elif request.method == "POST":
        status = 400
    series = progression.series_for(participant)
    return render_template(
        "coach/progression.html",
        p=participant,
        series=[(s, _chart(s) if len(s.dates) >= 2 else None) for s in series],
        indicators=indicators,
        form=form,
        errors=errors,
        selected={k: request.form.get(k, type=int) for k in request.form} if errors else {},
        interval=progression.ASSESSMENT_INTERVAL_DAYS,
    ), status


@bp.route("/progression")
def progression_unit() -> str:
    """The share who moved up on each indicator: my caseload, and the whole unit."""
    mine = request.args.get("scope") != "unit"
    figures = progression.unit_moved_up(
        current_user.unit_id, coach_id=current_user.id if mine else None
    )
    indicators = progression.indicator_set(current_user.unit_id)
    rows = []
    for indicator in indicators:
        for respondent in progression.RESPONDENTS:
            entry = figures.get((indicator.key, respondent))
            if entry is not None:
                rows.append((indicator, respondent, entry))
    chart = None
    if rows:
        labels = [_label(i) for i in indicators]

        def shares(respondent: str) -> list[float | None]:
            return [
                (figures.get((i.key, respondent)) or {}).get("share", {}).get("total")
                for i in indicators
            ]

        chart = hbar_chart(
            "chart-moved-up",
            _("Andel som gått uppåt per indikator (%)"),
            _("Andel av dem som mätts minst två gånger vars senaste svar är högre än det första."),
            labels,
            [
                Series(_("Deltagarens svar"), shares("participant")),
                Series(_("Coachens svar"), shares("coach")),
            ],
            unit="%",
            x_max=100,
        )
    due = [
        (p, on)
        for p, on in progression.due_participants(date.today(), unit_id=current_user.unit_id)
        if p.coach_id == current_user.id
    ]
    caseload = Session.scalars(
        select(Participant)
        .where(
            Participant.unit_id == current_user.unit_id,
            Participant.coach_id == current_user.id,
            Participant.exited_on.is_(None),
        )
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    return render_template(
        "coach/progression_unit.html",
        caseload=[(p, len(plans.plan_for(p.id).warnings)) for p in caseload],
        rows=rows,
        chart=chart,
        mine=mine,
        due=due,
        label=_label,
        genders=GENDER_LABELS,
    )
