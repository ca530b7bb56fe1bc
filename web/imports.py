"""Importing files: the same pages on the coach's and the admin's blueprint.

Upload (with the dry run started at once), the result of the dry run row by row, the button
that imports for real, and the column templates to download. The rules (which unit, what a row
may do) are in `services.imports`; this module parses the form and shows the answers.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Optional

from models import Session, Unit
from services import imports
from services.access import import_file
from services.imports.templates import csv_template, xlsx_template
from services.validation import Invalid


class UploadForm(FlaskForm):
    kind = SelectField(
        _l("Vad innehåller filen?"),
        choices=[
            SelectChoice("participants", _l("Deltagare")),
            SelectChoice("offers", _l("Arbetsgivare och platser")),
        ],
    )
    unit_id = SelectField(_l("Enhet"), coerce=int, validate_choice=True)
    file = FileField(
        _l("Fil (CSV, XLSX, JSON Lines eller platsannonser från JobTech)"),
        validators=[FileRequired(_l("Välj en fil."))],
    )
    employer_org_number = StringField(
        _l("Organisationsnummer för platser utan arbetsgivare (valfritt)"),
        validators=[Optional()],
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/imports", "imports", index, methods=["GET", "POST"])
    bp.add_url_rule("/imports/<int:import_id>", "import_detail", detail)
    bp.add_url_rule("/imports/<int:import_id>/start", "import_start", start, methods=["POST"])
    bp.add_url_rule("/imports/template/<kind>.<fmt>", "import_template", template)


def _units() -> list[Unit]:
    if current_user.unit_id is not None:
        unit = Session.get(Unit, current_user.unit_id)
        return [unit] if unit else []
    return list(Session.scalars(select(Unit).order_by(Unit.name)))


def index() -> Any:
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]
    try:
        form = UploadForm()
    except RequestEntityTooLarge:
        flash(_("Filen är för stor."), "error")
        return redirect(url_for(f"{request.blueprint}.imports")), 303
    form.unit_id.choices = [SelectChoice(u.id, u.name) for u in _units()]
    if form.validate_on_submit():
        upload = form.file.data
        options = {}
        if form.kind.data == "offers" and form.employer_org_number.data:
            options["employer_org_number"] = form.employer_org_number.data.strip()
        try:
            if options:
                from models.identity import InvalidNumber, normalise_org_number

                try:
                    options["employer_org_number"] = normalise_org_number(
                        options["employer_org_number"]
                    )
                except InvalidNumber as exc:
                    raise Invalid({"employer_org_number": str(exc)}) from exc
            item = imports.upload(
                current_user,
                form.unit_id.data,
                form.kind.data,
                upload.filename or "",
                upload.read(current_app.config["IMPORT_MAX_BYTES"] + 1),
                options=options,
                max_bytes=current_app.config["IMPORT_MAX_BYTES"],
            )
        except Invalid as exc:
            for name, message in exc.errors.items():
                field = getattr(form, name, form.file)
                field.errors = [*field.errors, _(message)]
        else:
            return redirect(url_for(f"{request.blueprint}.import_detail", import_id=item.id)), 303
    status = 400 if form.errors else 200
    return render_template(
        "imports/index.html", form=form, runs=imports.runs_for(current_user), bp=request.blueprint
    ), status


def detail(import_id: int) -> Any:
    from services.imports.columns import COLUMNS
    from web import current_lang

    item = import_file(current_user, import_id)
    english = current_lang() == "en"
    labels = {c.key: (c.en if english else c.sv) for c in COLUMNS[item.kind]}
    labels["workplace"] = _("Arbetsplats")
    return render_template(
        "imports/detail.html",
        item=item,
        job=imports.job_of(item.id),
        bp=request.blueprint,
        labels=labels,
    )


def start(import_id: int) -> Any:
    try:
        imports.start(current_user, import_id)
    except Invalid as exc:
        for message in exc.errors.values():
            flash(_(message), "error")
    else:
        flash(_("Importen har startat."), "info")
    return redirect(url_for(f"{request.blueprint}.import_detail", import_id=import_id)), 303


def template(kind: str, fmt: str) -> Any:
    if kind not in ("participants", "offers") or fmt not in ("csv", "xlsx"):
        abort(404)
    lang = request.args.get("lang", "sv")
    lang = lang if lang in ("sv", "en") else "sv"
    if fmt == "csv":
        body, mime = csv_template(kind, lang), "text/csv; charset=utf-8"
    else:
        body = xlsx_template(kind, lang)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"platsmatch-{kind}-{lang}.{fmt}"
    return Response(
        body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
