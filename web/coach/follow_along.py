"""Coach: follow-along support after a job start (services.follow_along), a section of the
participant hub: periods of support with their kinds, and the dated contacts within each."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from models import Participant, utcnow
from services import access, follow_along, privacy
from services.journal import STOCKHOLM
from services.validation import Invalid
from web.choices import option
from web.coach.blueprint import bp
from web.forms import CheckboxesField, apply_errors, optional_int


class SupportForm(FlaskForm):
    kinds = CheckboxesField(
        _l("Typ av stöd"),
        choices=[option(k, v) for k, v in follow_along.KIND_LABELS.items()],
        validate_choice=False,  # the service names a bad choice in words
    )
    start_on = DateField(_l("Stödet började"), validators=[DataRequired(_l("Skriv ett datum."))])
    planned_end_on = DateField(_l("Planerat slut"), validators=[Optional()])
    ended_on = DateField(_l("Avslutat"), validators=[Optional()])
    match_id = SelectField(
        _l("Arbetsplats i Platsmatch"), coerce=optional_int, validate_choice=False
    )
    employer_name = StringField(
        _l("Arbetsgivare (om den inte finns i listan)"), validators=[Optional(), Length(max=200)]
    )
    note = TextAreaField(
        _l("Vad stödet ska ge (valfritt)"),
        validators=[Optional(), Length(max=follow_along.ABOUT_MAX)],
    )
    version = HiddenField()


class ContactForm(FlaskForm):
    contact_on = DateField(_l("Datum"), validators=[DataRequired(_l("Skriv ett datum."))])
    with_whom = RadioField(
        _l("Med vem"),
        choices=[option(k, v) for k, v in follow_along.WITH_LABELS.items()],
        validators=[InputRequired(_l("Välj vem kontakten var med."))],
    )
    channel = RadioField(
        _l("Hur"),
        choices=[option(k, v) for k, v in follow_along.HOW_LABELS.items()],
        validators=[InputRequired(_l("Välj hur kontakten togs."))],
    )
    about = TextAreaField(
        _l("Vad gällde kontakten"),
        validators=[
            DataRequired(_l("Skriv vad kontakten gällde.")),
            Length(max=follow_along.ABOUT_MAX),
        ],
    )


def _match_choices(p: Participant) -> list[tuple[Any, str]]:
    return [option("", _("Ingen (annat arbete)"))] + [
        option(m.id, f"{m.offer.title}, {m.offer.employer.name}")
        for m in follow_along.job_matches(p)
    ]


def _support_form(
    p: Participant, prefix: str, support: Any = None, formdata: Any = ""
) -> SupportForm:
    kwargs: dict[str, Any] = {"prefix": prefix}
    if formdata is None:
        kwargs["formdata"] = None
    form = SupportForm(obj=support, **kwargs) if support is not None else SupportForm(**kwargs)
    form.match_id.choices = _match_choices(p)
    if support is not None and formdata is None:
        form.version.data = str(support.version_id)
    return form


def _data(form: SupportForm) -> follow_along.SupportData:
    return follow_along.SupportData(
        kinds=list(form.kinds.data or []),
        start_on=form.start_on.data,
        planned_end_on=form.planned_end_on.data,
        ended_on=form.ended_on.data,
        employer_name=form.employer_name.data or "",
        match_id=form.match_id.data,
        note=form.note.data or "",
    )


def _page(p: Participant, status: int = 200, **forms: Any) -> Any:
    periods = follow_along.periods(p)
    new = forms.get("new") or _support_form(p, "new", formdata=None)
    if new.start_on.data is None and "new" not in forms:
        new.start_on.data = utcnow().astimezone(STOCKHOLM).date()
    edit = {s.id: forms.get(f"s{s.id}") or _support_form(p, f"s{s.id}", s, None) for s in periods}
    contact = {
        s.id: forms.get(f"c{s.id}") or ContactForm(prefix=f"c{s.id}", formdata=None)
        for s in periods
    }
    return render_template(
        "coach/follow_along.html",
        p=p,
        name=privacy.display_name(current_user, p),
        periods=periods,
        new_form=new,
        edit_forms=edit,
        contact_forms=contact,
        kinds=follow_along.KIND_LABELS,
        with_labels=follow_along.WITH_LABELS,
        how_labels=follow_along.HOW_LABELS,
    ), status


def _back(p: Participant, anchor: str = "") -> Any:
    url = url_for("coach.follow_along_page", participant_id=p.id)
    return redirect(url + (f"#{anchor}" if anchor else "")), 303


@bp.route("/participants/<int:participant_id>/follow-along", methods=["GET", "POST"])
def follow_along_page(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    if not follow_along.may_work(current_user, p):
        abort(404)
    if request.method == "GET":
        return _page(p)
    form = _support_form(p, "new")
    if form.validate_on_submit():
        try:
            support = follow_along.start(current_user, p, _data(form))
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash(_("Stödet är sparat."), "success")
            return _back(p, f"support-{support.id}")
    return _page(p, 400, new=form)


def _support_for(participant_id: int, support_id: int) -> tuple[Any, Any]:
    """The participant and one of their support periods, for someone who may work on it (404
    for anyone else, as for an id that does not exist)."""
    p = access.participant(current_user, participant_id)
    if not follow_along.may_work(current_user, p):
        abort(404)
    try:
        return p, follow_along.support_of(p, support_id)
    except LookupError:
        abort(404)


@bp.post("/participants/<int:participant_id>/follow-along/<int:support_id>")
def follow_along_update(participant_id: int, support_id: int) -> Any:
    p, support = _support_for(participant_id, support_id)
    form = _support_form(p, f"s{support.id}")
    if not form.validate_on_submit():
        return _page(p, 400, **{f"s{support.id}": form})
    try:
        version = int(form.version.data or 0)
    except ValueError:
        version = 0
    try:
        follow_along.update(current_user, p, support.id, _data(form), version)
    except follow_along.Stale:
        flash(
            _("Någon annan har just ändrat stödet. Se det nya innehållet och gör om ändringen."),
            "error",
        )
        return _page(p, 409)
    except Invalid as exc:
        apply_errors(form, exc)
        return _page(p, 400, **{f"s{support.id}": form})
    flash(_("Stödet är ändrat."), "success")
    return _back(p, f"support-{support.id}")


@bp.post("/participants/<int:participant_id>/follow-along/<int:support_id>/contacts")
def follow_along_contact(participant_id: int, support_id: int) -> Any:
    p, support = _support_for(participant_id, support_id)
    form = ContactForm(prefix=f"c{support.id}")
    if form.validate_on_submit():
        try:
            follow_along.add_contact(
                current_user,
                p,
                support.id,
                follow_along.ContactData(
                    form.contact_on.data, form.with_whom.data, form.channel.data, form.about.data
                ),
            )
        except Invalid as exc:
            apply_errors(form, exc)
        else:
            flash(_("Kontakten är sparad."), "success")
            return _back(p, f"support-{support.id}")
    return _page(p, 400, **{f"c{support.id}": form})
