"""Coach pages: a participant's individual plan with parallel activities and its warnings."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from models import Session
from services import access, plans
from web.coach.blueprint import bp

KIND_LABELS = {
    "job_focused": _l("Jobbinriktat (praktik, arbetsgivarbesök, jobbsök)"),
    "health": _l("Hälsa"),
    "skills": _l("Kompetens och studier"),
    "social": _l("Socialt och praktiskt"),
}
STATUS_LABELS = {
    "planned": _l("Planerad"),
    "ongoing": _l("Pågår"),
    "done": _l("Klar"),
    "cancelled": _l("Inställd"),
}


class ActivityForm(FlaskForm):
    kind = SelectField(
        _l("Typ av aktivitet"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()]
    )
    title = StringField(_l("Aktivitet"), validators=[DataRequired(), Length(max=200)])
    start_on = DateField(_l("Startdatum"), validators=[DataRequired()])
    end_on = DateField(_l("Slutdatum"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()]
    )
    notes = TextAreaField(_l("Anteckning"), validators=[Optional(), Length(max=2000)])

    def validate_end_on(self, field: DateField) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("Slutdatumet kan inte vara före startdatumet."))


def warning_text(w: plans.PlanWarning) -> str:
    if w.kind == "no_job_focused":
        return _(
            "Ingen pågående eller planerad jobbinriktad aktivitet. Jobbinriktade aktiviteter parallellt med andra ökar chansen till arbete."
        )
    if w.kind == "gap":
        if w.params["current"]:
            return _(
                "Ingen aktivitet på %(days)s dagar (sedan %(start)s).",
                days=w.params["days"],
                start=w.params["from"].isoformat(),
            )
        return _(
            "Uppehåll utan aktivitet i %(days)s dagar (%(start)s – %(end)s).",
            days=w.params["days"],
            start=w.params["from"].isoformat(),
            end=w.params["to"].isoformat(),
        )
    if w.kind == "coach_changed":
        return ngettext(
            "Deltagaren har bytt coach en gång, senast %(day)s. Byte av coach minskar chansen "
            "till arbete: ge extra stöd i överlämningen.",
            "Deltagaren har bytt coach %(num)s gånger, senast %(day)s. Byte av coach minskar "
            "chansen till arbete: ge extra stöd i överlämningen.",
            w.params["count"],
            day=w.params["last_on"].isoformat(),
        )
    return w.kind


@bp.route("/participants/<int:participant_id>/plan", methods=["GET", "POST"])
def plan_page(participant_id: int) -> Any:
    participant = access.participant(current_user, participant_id)
    form = ActivityForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                plans.add_activity(
                    participant,
                    kind=form.kind.data,
                    title=form.title.data,
                    start_on=form.start_on.data,
                    end_on=form.end_on.data,
                    status=form.status.data,
                    notes=form.notes.data or "",
                    by=current_user,
                )
            except plans.PlanError as exc:
                for name in exc.problems:
                    getattr(form, name).errors = [
                        *getattr(form, name).errors,
                        _("Kontrollera värdet."),
                    ]
            else:
                Session.commit()
                flash(_("Aktiviteten är tillagd."), "success")
                return redirect(url_for("coach.plan_page", participant_id=participant.id))
        status = 400
    plan = plans.plan_for(participant.id)
    return render_template(
        "coach/plan.html",
        p=participant,
        plan=plan,
        form=form,
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        warnings=[warning_text(w) for w in plan.warnings],
        csrf_form=FlaskForm(),
    ), status


@bp.route("/participants/<int:participant_id>/plan/<int:activity_id>/status", methods=["POST"])
def plan_activity_status(participant_id: int, activity_id: int) -> Any:
    participant = access.participant(current_user, participant_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        plans.set_status(participant, activity_id, request.form.get("status", ""), by=current_user)
    except plans.PlanError:
        abort(400)
    Session.commit()
    return redirect(url_for("coach.plan_page", participant_id=participant.id))
