"""The supervisor's assessment pages (`services.supervisor_assessments`).

- `/handledare/bedomning/<token>`: the form through a signed one-time link, for a supervisor
  without an account (no login; the token is the permission, and works once);
- `/employer/placements/<id>/assessment/<stage>`: the same form in the employer's portal;
- `/me/placements/<id>/feedback`: what the supervisor wrote, in plain words, for the participant.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from models import Placement
from services import access, supervisor_assessments
from services.supervisor_assessments import SCALE, STAGES, WOULD_HIRE, Answers, LinkError
from services.workflow import NotAllowed, WorkflowError
from web.choices import option

bp = Blueprint("supervisor", __name__, url_prefix="/handledare")


def _scale(label: Any) -> RadioField:
    return RadioField(
        label,
        choices=[option(str(k), v) for k, v in SCALE.items()],
        validators=[InputRequired(_l("Välj ett svar."))],
    )


class AssessmentForm(FlaskForm):
    punctuality = _scale(_l("Kommer i tid"))
    cooperation = _scale(_l("Samarbetar med andra"))
    tasks_done = _scale(_l("Gör arbetsuppgifterna"))
    competences = StringField(
        _l("Kompetenser som deltagaren har visat (skilj med komma)"),
        validators=[Optional(), Length(max=2000)],
    )
    would_hire = RadioField(
        _l("Skulle ni anställa eller rekommendera deltagaren?"),
        choices=[option(k, v) for k, v in WOULD_HIRE.items()],
        validators=[InputRequired(_l("Välj ett svar."))],
    )
    comment = TextAreaField(
        _l("Något mer till deltagaren och coachen (valfritt)"),
        validators=[Optional(), Length(max=2000)],
    )
    supervisor_name = StringField(_l("Ditt namn"), validators=[Optional(), Length(max=200)])

    def answers(self) -> Answers:
        return Answers(
            punctuality=int(self.punctuality.data),
            cooperation=int(self.cooperation.data),
            tasks_done=int(self.tasks_done.data),
            would_hire=self.would_hire.data,
            competences=[c for c in (self.competences.data or "").split(",") if c.strip()],
            comment=self.comment.data or "",
            supervisor_name=self.supervisor_name.data or "",
        )


def _form_page(
    placement: Placement, stage: str, form: AssessmentForm, action: str, status: int
) -> Any:
    return render_template(
        "supervisor/form.html",
        placement=placement,
        m=placement.match,
        stage_label=STAGES[stage],
        form=form,
        action=action,
    ), status


@bp.route("/bedomning/<token>", methods=["GET", "POST"])
def assess(token: str) -> Any:
    try:
        placement, stage = supervisor_assessments.read_token(token)
    except LinkError as err:
        return render_template("supervisor/message.html", message=str(err)), 410
    form = AssessmentForm()
    action = url_for("supervisor.assess", token=token)
    if form.validate_on_submit():
        try:
            supervisor_assessments.submit(placement, stage, form.answers(), token=token)
        except WorkflowError as err:
            flash(str(err), "error")
            return _form_page(placement, stage, form, action, 409)
        return render_template(
            "supervisor/message.html",
            message=_("Tack! Bedömningen är skickad till coachen och deltagaren."),
        ), 200
    if not form.is_submitted() and placement.supervisor_name:
        form.supervisor_name.data = placement.supervisor_name
    return _form_page(placement, stage, form, action, 400 if form.is_submitted() else 200)


def register_employer(employer_bp: Blueprint) -> None:
    """The form in the employer's portal, behind its role gate."""

    def assessment(match_id: int, stage: str) -> Any:
        placement = access.placement(current_user, match_id)
        if stage not in STAGES:
            raise access.AccessDenied(f"stage {stage}")
        form = AssessmentForm()
        action = url_for("employer.assessment", match_id=match_id, stage=stage)
        if form.validate_on_submit():
            try:
                supervisor_assessments.submit(placement, stage, form.answers(), actor=current_user)
            except NotAllowed as err:
                raise access.AccessDenied("assessment") from err
            except WorkflowError as err:
                flash(str(err), "error")
                return _form_page(placement, stage, form, action, 409)
            flash(_("Tack! Bedömningen är skickad till coachen och deltagaren."))
            return redirect(url_for("employer.candidates", offer_id=placement.offer_id))
        if not form.is_submitted():
            form.supervisor_name.data = placement.supervisor_name
        return _form_page(placement, stage, form, action, 400 if form.is_submitted() else 200)

    employer_bp.add_url_rule(
        "/placements/<int:match_id>/assessment/<stage>",
        "assessment",
        assessment,
        methods=["GET", "POST"],
    )


def register_participant(participant_bp: Blueprint) -> None:
    def feedback(match_id: int) -> Any:
        placement = access.placement(current_user, match_id)
        done = supervisor_assessments.assessments(placement)
        return render_template(
            "participant/feedback.html",
            placement=placement,
            m=placement.match,
            done=[(STAGES[s], done[s]) for s in STAGES if s in done],
            scale=SCALE,
            would_hire=WOULD_HIRE,
            skills=supervisor_assessments.confirmed_skills(placement.participant),
        )

    participant_bp.add_url_rule("/placements/<int:match_id>/feedback", "feedback", feedback)


def register_globals(app_bp: Blueprint) -> None:
    """Template helpers for the coach's pages: assessments, links and confirmed skills."""
    app_bp.add_app_template_global(supervisor_assessments.assessments, "supervisor_assessments")
    app_bp.add_app_template_global(supervisor_assessments.confirmed_skills, "confirmed_skills")
    app_bp.add_app_template_global(supervisor_assessments.make_token, "assessment_token")
    app_bp.add_app_template_global(STAGES, "assessment_stages")
    app_bp.add_app_template_global(SCALE, "assessment_scale")
    app_bp.add_app_template_global(WOULD_HIRE, "assessment_would_hire")
