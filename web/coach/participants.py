"""Coach: the caseload list, participant profiles (create, edit, the logged reveal of health
fields and personnummer), hand-over to another coach, and correction requests."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models import CorrectionRequest, Participant, Session
from models.identity import mask_personnummer
from services import access, participants, privacy, queue
from services.validation import Conflict, Invalid
from web.choices import choices, option
from web.coach.blueprint import bp
from web.coach.participant_forms import (
    CaseloadFilterForm,
    CorrectionHandleForm,
    HandOverForm,
    LoginForm,
    NewProfileForm,
    ProfileForm,
    SensitiveForm,
)
from web.forms import apply_errors


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _profile_data(form: ProfileForm, sensitive: bool) -> participants.ProfileData:
    data = participants.ProfileData(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        municipality=form.municipality.data or "",
        enrolled_on=form.enrolled_on.data or date.today(),
        email=form.email.data or "",
        phone=form.phone.data or "",
        street=form.street.data or "",
        postal_code=form.postal_code.data or "",
        protected_identity=bool(form.protected_identity.data),
        gender=form.gender.data or "not_stated",
        birth_year=form.birth_year.data,
        target_group=form.target_group.data or "other",
        support_level=form.support_level.data or 2,
        skills=list(form.skills.data or []),
        interests=list(form.interests.data or []),
        max_commute_km=_num(form.max_commute_km.data),
        hours_min=_num(form.hours_min.data),
        hours_max=_num(form.hours_max.data),
        swedish_level=form.swedish_level.data or "none",
        driving_licence=bool(form.driving_licence.data),
        consent=list(form.consent.data or []),
    )
    if sensitive:
        data.personnummer = form.personnummer.data or ""  # type: ignore[attr-defined]
        data.cannot = list(form.cannot.data or [])  # type: ignore[attr-defined]
        data.needs = list(form.needs.data or [])  # type: ignore[attr-defined]
        data.health_notes = form.health_notes.data or ""  # type: ignore[attr-defined]
    return data


def _endpoint_exists(name: str) -> bool:
    return name in current_app.view_functions


FLAGS = {
    "no_approved": _l("Utan godkänt förslag"),
    "past_goal": _l("Har passerat målet utan arbetsplats"),
}


@bp.route("/participants")
def caseload() -> str:
    form = CaseloadFilterForm(request.args)
    unit_id = current_user.unit_id
    form.municipality.choices = [option("", _l("Alla kommuner"))] + [
        option(m, m) for m in participants.municipalities_in_unit(unit_id or 0)
    ]
    form.support_level.choices = [option("", _l("Alla stödnivåer"))] + choices("support")
    form.target_group.choices = [option("", _l("Alla målgrupper"))] + choices("target_group")
    form.validate()
    try:
        support = int(form.support_level.data) if form.support_level.data else None
        page = int(request.args.get("page", "1"))
    except ValueError:
        abort(400)
    flt = participants.CaseloadFilter(
        q=form.q.data or "",
        municipality=form.municipality.data or "",
        support_level=support,
        target_group=form.target_group.data or "",
        scope=form.scope.data if form.scope.data in ("mine", "unit") else "mine",
        state=form.state.data if form.state.data in ("active", "exited", "all") else "active",
        placement=form.placement.data if form.placement.data in ("placed", "unplaced") else "",
        page=page,
        flag=request.args.get("flag", "") if request.args.get("flag") in FLAGS else "",
    )
    result = participants.caseload(current_user, flt)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    corrections = participants.with_open_corrections([p.id for p in result.rows])
    flag = request.args.get("flag", "")
    return render_template(
        "coach/participants.html",
        form=form,
        result=result,
        args=args,
        corrections=corrections,
        flag_label=FLAGS.get(flag),
    )


@bp.route("/participants/new", methods=["GET", "POST"])
def participant_new() -> object:
    form = NewProfileForm()
    if request.method == "GET":
        form.enrolled_on.data = date.today()
        form.consent.data = ["skills", "interests", "swedish_level", "licence"]
    status = 200
    if form.validate_on_submit():
        try:
            created = participants.save(current_user, None, _profile_data(form, sensitive=True))
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(_l("Deltagaren är sparad. Förslag tas fram i bakgrunden."), "info")
            return redirect(url_for("coach.participant", participant_id=created.id))
    elif form.is_submitted():
        status = 400
    return render_template("coach/participant_form.html", form=form, p=None, sensitive=True), status


@bp.route("/participants/<int:participant_id>")
def participant(participant_id: int) -> str:
    p = access.participant(current_user, participant_id)
    return _profile_page(p, revealed=None)


@bp.route("/participants/<int:participant_id>/reveal", methods=["POST"])
def participant_reveal(participant_id: int) -> str:
    """Show the health fields and personnummer once; the read is written to the audit log."""
    p = access.participant(current_user, participant_id)
    try:
        revealed = privacy.reveal(current_user, p, ip=request.remote_addr or "")
    except PermissionError:
        Session.commit()  # the refused read stays in the audit log; the app answers 403
        raise
    Session.commit()
    return _profile_page(p, revealed=revealed)


def _profile_page(p: Participant, revealed: dict[str, Any] | None) -> str:
    return render_template(
        "coach/participant.html",
        p=p,
        name=privacy.display_name(current_user, p),
        can_see_identity=access.may_see_identity(current_user, p),
        masked_pnr=mask_personnummer(p.personnummer),
        revealed=revealed,
        changes=participants.coach_changes(p.id),
        corrections=participants.corrections_for(p.id),
        correction_form=CorrectionHandleForm(),
        has_suggestions=_endpoint_exists("coach.suggestions"),
    )


@bp.route("/participants/<int:participant_id>/edit", methods=["GET", "POST"])
def participant_edit(participant_id: int) -> object:
    # The form shows name and address: a protected identity's own coach only.
    p = access.participant(current_user, participant_id, identity=True)
    form = ProfileForm(obj=p)
    if request.method == "GET":
        form.consent.data = [f for f, on in (p.consent or {}).items() if on]
    status = 200
    if form.validate_on_submit():
        try:
            participants.save(
                current_user,
                p,
                _profile_data(form, sensitive=False),
                edit_sensitive=False,
                version=form.version.data,
            )
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        except Conflict as exc:
            flash(_(str(exc)), "error")
            status = 409
        else:
            if queue.not_sent():
                flash(
                    _l(
                        "Profilen är sparad, men förslagen kan inte uppdateras just nu. "
                        "De uppdateras nästa gång profilen sparas."
                    ),
                    "error",
                )
            else:
                flash(_l("Profilen är sparad. Förslagen uppdateras i bakgrunden."), "info")
            return redirect(url_for("coach.participant", participant_id=p.id))
    elif form.is_submitted():
        status = 400
    return render_template("coach/participant_form.html", form=form, p=p, sensitive=False), status


@bp.route("/participants/<int:participant_id>/sensitive", methods=["POST"])
def participant_sensitive(participant_id: int) -> object:
    """Open (logged reveal, `open=1`) or save the health fields and personnummer."""
    p = access.participant(current_user, participant_id)
    if request.form.get("open"):
        revealed = privacy.reveal(current_user, p, ip=request.remote_addr or "")
        Session.commit()
        form = SensitiveForm(formdata=None, data={**revealed, "version": p.version})
        return render_template("coach/participant_sensitive.html", form=form, p=p)
    form = SensitiveForm()
    if form.validate_on_submit():
        try:
            participants.save_sensitive(
                current_user,
                p,
                personnummer=form.personnummer.data or "",
                cannot=list(form.cannot.data or []),
                needs=list(form.needs.data or []),
                health_notes=form.health_notes.data or "",
                version=form.version.data,
            )
        except Invalid as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            flash(_(str(exc)), "error")
            return render_template("coach/participant_sensitive.html", form=form, p=p), 409
        else:
            flash(_l("Uppgifterna är sparade."), "info")
            return redirect(url_for("coach.participant", participant_id=p.id))
    return render_template("coach/participant_sensitive.html", form=form, p=p), 400


@bp.route("/participants/<int:participant_id>/handover", methods=["GET", "POST"])
def participant_handover(participant_id: int) -> object:
    p = access.participant(current_user, participant_id)
    form = HandOverForm()
    form.to_coach_id.choices = [
        option(c.id, c.name)
        for c in participants.coaches_in_unit(current_user.unit_id or 0)
        if c.id != p.coach_id
    ]
    status = 200
    if form.validate_on_submit():
        try:
            participants.hand_over(current_user, p, form.to_coach_id.data, form.reason.data or "")
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(_l("Deltagaren har fått ny coach."), "info")
            return redirect(url_for("coach.participant", participant_id=p.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "coach/participant_handover.html",
        form=form,
        p=p,
        name=privacy.display_name(current_user, p),
    ), status


@bp.route("/corrections/<int:correction_id>", methods=["POST"])
def correction_handle(correction_id: int) -> object:
    item = Session.get(CorrectionRequest, correction_id)
    if item is None:
        abort(404)
    p = access.participant(current_user, item.participant_id)
    form = CorrectionHandleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        participants.handle_correction(current_user, item, form.status.data, form.answer.data or "")
    except Invalid as exc:
        for message in exc.errors.values():
            flash(_(message), "error")
        return _profile_page(p, revealed=None), 400
    flash(_l("Begäran om rättelse är besvarad."), "info")
    return redirect(url_for("coach.participant", participant_id=p.id)), 303


@bp.route("/participants/<int:participant_id>/login", methods=["GET", "POST"])
def participant_login(participant_id: int) -> object:
    """Create the participant's portal login; the one-time password is shown on this page only."""
    p = access.participant(current_user, participant_id, identity=True)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user, password = participants.create_login(current_user, p, form.email.data or "")
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            response = render_template(
                "coach/participant_login_created.html", p=p, user=user, password=password
            )
            return response, 200, {"Cache-Control": "no-store"}
    elif form.is_submitted():
        status = 400
    return render_template(
        "coach/participant_login.html", form=form, p=p, name=privacy.display_name(current_user, p)
    ), status
