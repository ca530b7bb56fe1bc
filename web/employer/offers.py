"""The employer's offers: create, edit, publish, pause, close. Only the employer's own."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from services import candidate_cap, employers, offers
from services.validation import Invalid
from web.choices import option
from web.employer.blueprint import bp
from web.employer.forms import OfferForm
from web.forms import apply_errors

STATUS_ACTIONS = {
    "publish": "published",
    "pause": "paused",
    "resume": "published",
    "close": "closed",
}


def _mine_or_404(offer_id: int):  # type: ignore[no-untyped-def]
    offer = offers.get_offer(current_user.employer_id or 0, offer_id)
    if offer is None:
        abort(404)
    return offer


def _data(form: OfferForm) -> offers.OfferData:
    def num(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return offers.OfferData(
        title=form.title.data or "",
        workplace_id=form.workplace_id.data or 0,
        kind=form.kind.data or "praktik",
        description=form.description.data or "",
        tasks=form.tasks.data or "",
        occupation=form.occupation.data or "",
        skills_required=list(form.skills_required.data or []),
        skills_desired=list(form.skills_desired.data or []),
        hours_min=num(form.hours_min.data),
        hours_max=num(form.hours_max.data),
        swedish_level=form.swedish_level.data or "none",
        requires_driving_licence=bool(form.requires_driving_licence.data),
        physical_demands=list(form.physical_demands.data or []),
        accessibility=list(form.accessibility.data or []),
        capacity=form.capacity.data if form.capacity.data is not None else 1,
        leads_to_employment=form.leads_to_employment.data or None,
        supervisor_name=form.supervisor_name.data or "",
        supervisor_email=form.supervisor_email.data or "",
        supervisor_phone=form.supervisor_phone.data or "",
        start_from=form.start_from.data,
        start_until=form.start_until.data,
        duration_weeks=form.duration_weeks.data,
        max_open_candidates=form.max_open_candidates.data,
        publish_on_verification=bool(form.publish_on_verification.data),
    )


@bp.route("/offers/new", methods=["GET", "POST"])
@bp.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
def offer_edit(offer_id: int | None = None) -> object:
    offer = _mine_or_404(offer_id) if offer_id is not None else None
    form = OfferForm(obj=offer)
    if offer is None and request.method == "GET":
        # A new offer takes the choice the employer made at sign-up.
        form.publish_on_verification.data = bool(current_user.employer.publish_on_verification)
    places = employers.workplaces_of(current_user.employer_id or 0)
    form.workplace_id.choices = [option(w.id, f"{w.name}, {w.municipality}") for w in places]
    if not places:
        flash(_l("Lägg först till en arbetsplats."), "info")
        return redirect(url_for("employer.workplace_edit"))
    status = 200
    if form.validate_on_submit():
        try:
            saved = offers.save_offer(current_user, offer_id, _data(form))
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(_l("Platsen är sparad."), "info")
            return redirect(url_for("employer.offer", offer_id=saved.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "employer/offer_form.html",
        form=form,
        offer=offer,
        unverified=not current_user.employer.verified,
    ), status


@bp.route("/offers/<int:offer_id>")
def offer(offer_id: int) -> str:
    found = _mine_or_404(offer_id)
    return render_template(
        "employer/offer.html",
        offer=found,
        employer=found.employer,
        actions=[a for a, s in STATUS_ACTIONS.items() if _allowed(found.status, a, s)],
        has_candidates="employer.candidates" in _endpoints(),
        open_candidates=candidate_cap.open_candidates(found.id),
    )


@bp.route("/offers/<int:offer_id>/status", methods=["POST"])
def offer_status(offer_id: int) -> object:
    _mine_or_404(offer_id)
    action = request.form.get("action", "")
    if action not in STATUS_ACTIONS:
        abort(400)
    try:
        offers.set_status(current_user, offer_id, STATUS_ACTIONS[action])
    except Invalid as exc:
        message = exc.errors["status"]  # marked with N_ where it is raised
        flash(_(message), "error")
        return redirect(url_for("employer.offer", offer_id=offer_id)), 303
    flash(_l("Platsens status är ändrad."), "info")
    return redirect(url_for("employer.offer", offer_id=offer_id)), 303


def _allowed(current: str, action: str, target: str) -> bool:
    if action == "publish" and current != "draft":
        return False
    if action == "resume" and current != "paused":
        return False
    return target in offers.TRANSITIONS.get(current, set())


def _endpoints() -> set[str]:
    from flask import current_app

    return {rule.endpoint for rule in current_app.url_map.iter_rules()}
