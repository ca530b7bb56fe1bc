"""Admin pages: the indicator set (BIP questions) of the admin's unit, or the default set."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from models import Session
from services import indicators as service
from services.progression import has_own_set, indicator_set
from web.admin.blueprint import bp

PROBLEMS = {
    "key": _l("Använd små bokstäver, siffror och understreck (högst 40 tecken)."),
    "duplicate": _l("Det finns redan en indikator med den nyckeln."),
    "required": _l("Fyll i texten."),
    "choice": _l("Välj ett av alternativen."),
    "scale": _l("Skalans högsta värde måste vara större än det lägsta (0–10)."),
    "anchor_outside_scale": _l("Texterna måste höra till värden på skalan."),
}


class IndicatorForm(FlaskForm):
    key = StringField(
        _l("Nyckel"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[a-z0-9_]+$", message=PROBLEMS["key"]),
        ],
    )
    label_sv = StringField(_l("Fråga på svenska"), validators=[DataRequired(), Length(max=200)])
    label_en = StringField(_l("Fråga på engelska"), validators=[DataRequired(), Length(max=200)])
    statement_sv = StringField(
        _l("Påstående på svenska, med deltagarens ord"), validators=[Optional(), Length(max=300)]
    )
    statement_en = StringField(
        _l("Påstående på engelska, med deltagarens ord"), validators=[Optional(), Length(max=300)]
    )
    answered_by = SelectField(
        _l("Vem svarar"),
        choices=[
            SelectChoice("both", _l("Deltagaren och coachen")),
            SelectChoice("participant", _l("Deltagaren")),
            SelectChoice("coach", _l("Coachen")),
        ],
    )
    scale_min = IntegerField(
        _l("Skalans lägsta värde"), default=1, validators=[Optional(), NumberRange(0, 10)]
    )
    scale_max = IntegerField(
        _l("Skalans högsta värde"), default=5, validators=[DataRequired(), NumberRange(1, 10)]
    )
    low_sv = StringField(
        _l("Text för lägsta värdet, svenska"), validators=[Optional(), Length(max=100)]
    )
    low_en = StringField(
        _l("Text för lägsta värdet, engelska"), validators=[Optional(), Length(max=100)]
    )
    mid_sv = StringField(
        _l("Text för mittenvärdet, svenska"), validators=[Optional(), Length(max=100)]
    )
    mid_en = StringField(
        _l("Text för mittenvärdet, engelska"), validators=[Optional(), Length(max=100)]
    )
    high_sv = StringField(
        _l("Text för högsta värdet, svenska"), validators=[Optional(), Length(max=100)]
    )
    high_en = StringField(
        _l("Text för högsta värdet, engelska"), validators=[Optional(), Length(max=100)]
    )

    def anchors(self) -> dict[str, dict[str, str]]:
        low = self.scale_min.data or 0
        high = self.scale_max.data
        points = {"low": low, "mid": (low + high) // 2, "high": high}
        out: dict[str, dict[str, str]] = {}
        for name, value in points.items():
            texts = {
                lang: (getattr(self, f"{name}_{lang}").data or "").strip() for lang in ("sv", "en")
            }
            if any(texts.values()):
                out.setdefault(str(value), {}).update({k: v for k, v in texts.items() if v})
        return out

    def fill_from(self, indicator: Any) -> None:
        for name in ("key", "label_sv", "label_en", "answered_by", "scale_min", "scale_max"):
            getattr(self, name).data = getattr(indicator, name)
        self.statement_sv.data = service.statement(indicator, "sv")
        self.statement_en.data = service.statement(indicator, "en")
        low, high = indicator.scale_min, indicator.scale_max
        anchors = indicator.anchors or {}
        for name, value in (("low", low), ("mid", (low + high) // 2), ("high", high)):
            for lang in ("sv", "en"):
                getattr(self, f"{name}_{lang}").data = anchors.get(str(value), {}).get(lang, "")


@bp.route("/indicators")
def indicators() -> str:
    unit_id = current_user.unit_id
    return render_template(
        "admin/indicators.html",
        indicators=indicator_set(unit_id, include_inactive=True),
        own=unit_id is not None and has_own_set(unit_id),
        unit_id=unit_id,
        form=FlaskForm(),
    )


@bp.route("/indicators/new", methods=["GET", "POST"], defaults={"indicator_id": None})
@bp.route("/indicators/<int:indicator_id>", methods=["GET", "POST"])
def indicator_form(indicator_id: int | None) -> Any:
    form = IndicatorForm()
    if indicator_id is not None and request.method == "GET":
        try:
            form.fill_from(service.get(current_user, indicator_id))
        except LookupError:
            abort(404)
    if form.validate_on_submit():
        data = service.IndicatorInput(
            key=form.key.data,
            label_sv=form.label_sv.data,
            label_en=form.label_en.data,
            answered_by=form.answered_by.data,
            scale_min=form.scale_min.data or 0,
            scale_max=form.scale_max.data,
            anchors=form.anchors(),
            statement_sv=form.statement_sv.data or "",
            statement_en=form.statement_en.data or "",
        )
        try:
            service.save(current_user, data, indicator_id)
        except LookupError:
            abort(404)
        except service.IndicatorError as exc:
            for name, problem in exc.problems.items():
                target = getattr(form, name if hasattr(form, name) else "key")
                target.errors = [*target.errors, str(PROBLEMS.get(problem, problem))]
        else:
            Session.commit()
            flash(_("Indikatorn är sparad."), "success")
            return redirect(url_for("admin.indicators"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/indicator_form.html", form=form, indicator_id=indicator_id
    ), status


@bp.route("/indicators/<int:indicator_id>/<action>", methods=["POST"])
def indicator_action(indicator_id: int, action: str) -> Any:
    if not FlaskForm().validate_on_submit() or action not in (
        "up",
        "down",
        "activate",
        "deactivate",
    ):
        abort(400)
    try:
        if action in ("up", "down"):
            service.move(current_user, indicator_id, -1 if action == "up" else 1)
        else:
            service.set_active(current_user, indicator_id, action == "activate")
    except LookupError:
        abort(404)
    Session.commit()
    return redirect(url_for("admin.indicators"))
