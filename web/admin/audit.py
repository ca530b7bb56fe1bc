"""Admin: the audit log in words (event names, what it is about, by name, local time), filtered by
event, person, participant, subject and period, paged and downloadable (`services.audit.search`,
which also keeps a unit's manager to the unit's people)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from models import Session, utcnow
from services import audit as audit_log
from services.reports.files import to_csv
from web import current_lang
from web.admin.audit_labels import EVENTS, GROUPS, details_text, event_label, table_label
from web.admin.blueprint import bp
from web.choices import option

ROLES = {
    "coach": _l("coach"),
    "admin": _l("administratör"),
    "employer": _l("arbetsgivare"),
    "participant": _l("deltagare"),
    "system": _l("systemet"),
}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    # Any prefix of an event code works (links made before the list); the list offers words.
    action = SelectField(_l("Händelse"), validators=[Optional()], validate_choice=False)
    actor = StringField(_l("Vem (namn eller e-post)"), validators=[Optional(), Length(max=254)])
    participant = StringField(
        _l("Gäller deltagaren (namn)"), validators=[Optional(), Length(max=100)]
    )
    subject_type = SelectField(_l("Gäller"), validators=[Optional()])
    subject_id = IntegerField(_l("Nummer"), validators=[Optional(), NumberRange(min=1)])
    date_from = DateField(_l("Från och med"), validators=[Optional()])
    date_to = DateField(_l("Till och med"), validators=[Optional()])


def _form() -> tuple[AuditFilterForm, bool]:
    form = AuditFilterForm(request.args)
    form.action.choices = (
        [option("", _l("Alla"))]
        + [option(code, text) for code, text in GROUPS.items()]
        + [option(code, text) for code, text in sorted(EVENTS.items(), key=lambda kv: str(kv[1]))]
    )
    form.subject_type.choices = [option("", _l("Alla"))] + [
        option(t, table_label(t)) for t in audit_log.subject_types()
    ]
    valid = form.validate() if request.args else True
    if (
        valid
        and form.date_from.data
        and form.date_to.data
        and form.date_to.data < form.date_from.data
    ):
        form.date_to.errors = [_l("Slutdatumet kan inte vara före startdatumet.")]
        valid = False
    return form, valid


def _filter(form: AuditFilterForm, page: int = 1) -> audit_log.AuditFilter:
    return audit_log.AuditFilter(
        action=form.action.data or "",
        actor_email=form.actor.data or "",
        participant=form.participant.data or "",
        subject_type=form.subject_type.data or "",
        subject_id=form.subject_id.data,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        page=page,
    )


def _lines(result: audit_log.AuditPage) -> list[dict[str, str]]:
    """Each event as the reader reads it."""
    names = audit_log.subject_names(current_user, result.rows)
    lines = []
    for e in result.rows:
        actor = result.actors.get(e.actor_id) if e.actor_id else None
        who = actor.name if actor is not None else (str(e.actor_id) if e.actor_id else "")
        role = str(ROLES.get(e.actor_role, e.actor_role))
        about = ""
        if e.subject_type:
            name = names.get((e.subject_type, e.subject_id or 0))
            about = (
                f"{table_label(e.subject_type)}: {name}" if name else table_label(e.subject_type)
            )
            if not name and e.subject_id:
                about += f" nr {e.subject_id}"
        lines.append(
            {
                "when": format_datetime(e.at, "yyyy-MM-dd HH:mm:ss"),
                "who": f"{who} ({role})" if who else role,
                "what": event_label(e.action),
                "about": about,
                "details": details_text(e.details),
                "ip": e.ip or "",
            }
        )
    return lines


@bp.route("/audit")
def audit() -> Any:
    form, valid = _form()
    if not valid:
        return render_template(
            "admin/audit.html", form=form, lines=[], page=1, pages=1, total=0, args={}
        ), 400
    result = audit_log.search(
        current_user, _filter(form, request.args.get("page", 1, type=int) or 1)
    )
    return render_template(
        "admin/audit.html",
        form=form,
        lines=_lines(result),
        page=result.page,
        pages=result.pages,
        total=result.total,
        args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.route("/audit.csv")
def audit_csv() -> Response:
    """The filtered log as a file (up to EXPORT_LIMIT events, newest first); the download is
    itself an event in the log."""
    form, valid = _form()
    if not valid:
        return Response(_("Kontrollera urvalet."), status=400, mimetype="text/plain")
    result = audit_log.search(current_user, _filter(form), limit=audit_log.EXPORT_LIMIT)
    lines = _lines(result)
    headers = [_("När"), _("Vem"), _("Händelse"), _("Gäller"), _("Detaljer"), _("IP-adress")]
    rows = [[x["when"], x["who"], x["what"], x["about"], x["details"], x["ip"]] for x in lines]
    picked = [
        f"{field.label.text}: {field.data}"
        for field in (form.action, form.actor, form.participant, form.subject_type, form.subject_id)
        if field.data
    ]
    period = f"{form.date_from.data or '…'} – {form.date_to.data or '…'}"
    about = [
        (_("Granskningslogg"), ""),
        (_("Period"), period),
        (_("Urval"), "; ".join(picked) or _("Inga")),
        (_("Händelser"), f"{len(rows)} / {result.total}"),
        (_("Gjord"), format_datetime(utcnow(), "yyyy-MM-dd HH:mm") + " " + _("(svensk tid)")),
    ]
    audit_log.record(
        "audit.export",
        actor=current_user,
        details={"count": len(rows)},
        ip=request.remote_addr or "",
    )
    Session.commit()
    return Response(
        to_csv([(_("Händelser"), headers, rows)], lang=current_lang(), about=about),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="granskningslogg.csv"'},
    )
