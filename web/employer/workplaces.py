"""The employer's workplaces: list, create, edit, delete; shows the geocoding result."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from services import employers
from services.validation import Invalid
from web.employer.blueprint import bp
from web.employer.forms import WorkplaceForm
from web.employer.signup import workplace_data
from web.forms import apply_errors


def _mine_or_404(workplace_id: int):  # type: ignore[no-untyped-def]
    workplace = employers.get_workplace(current_user.employer_id or 0, workplace_id)
    if workplace is None:
        abort(404)
    return workplace


@bp.route("/workplaces")
def workplaces() -> str:
    return render_template(
        "employer/workplaces.html",
        workplaces=employers.workplaces_of(current_user.employer_id or 0),
    )


@bp.route("/workplaces/new", methods=["GET", "POST"])
@bp.route("/workplaces/<int:workplace_id>/edit", methods=["GET", "POST"])
def workplace_edit(workplace_id: int | None = None) -> object:
    workplace = _mine_or_404(workplace_id) if workplace_id is not None else None
    form = WorkplaceForm(obj=workplace)
    status = 200
    if form.validate_on_submit():
        try:
            saved = employers.save_workplace(current_user, workplace_id, workplace_data(form))
        except Invalid as exc:
            apply_errors(form, exc)
            status = 400
        else:
            flash(_l("Arbetsplatsen är sparad. Vi letar upp adressen på kartan."), "info")
            return redirect(url_for("employer.workplace", workplace_id=saved.id))
    elif form.is_submitted():
        status = 400
    return render_template("employer/workplace_form.html", form=form, workplace=workplace), status


@bp.route("/workplaces/<int:workplace_id>")
def workplace(workplace_id: int) -> str:
    return render_template("employer/workplace.html", workplace=_mine_or_404(workplace_id))


@bp.route("/workplaces/<int:workplace_id>/delete", methods=["POST"])
def workplace_delete(workplace_id: int) -> object:
    _mine_or_404(workplace_id)
    try:
        employers.delete_workplace(current_user, workplace_id)
    except Invalid as exc:
        message = exc.errors["workplace"]  # marked with N_ where it is raised
        flash(_(message), "error")
        return redirect(url_for("employer.workplace", workplace_id=workplace_id))
    flash(_l("Arbetsplatsen är borttagen."), "info")
    return redirect(url_for("employer.workplaces"))
