"""The placement agreement pages for the three parties (`services.agreements`).

The coach writes and changes the agreement (each save is a new version), confirms, or records a
paper signature; the employer and the participant read and confirm it. Everyone may print it (a
print stylesheet) or download it as a PDF (fpdf2). The routes are registered on each portal's
blueprint by `register()`, so each sits behind its portal's role gate, and every object is
fetched through `services.access`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from fpdf import FPDF
from wtforms import DateField, DecimalField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from models import Placement, PlacementAgreement
from services import access, agreements
from services.agreements import PARTY_LABELS, Terms
from services.workflow import NotAllowed, WorkflowError
from web.filters import number


class AgreementForm(FlaskForm):
    based_on = HiddenField()
    start_on = DateField(_l("Första dagen"), validators=[DataRequired(_l("Skriv ett startdatum."))])
    end_on = DateField(_l("Sista dagen"), validators=[DataRequired(_l("Skriv ett slutdatum."))])
    hours_per_week = DecimalField(
        _l("Timmar per vecka"),
        validators=[Optional(), NumberRange(1, 60, _l("Skriv mellan 1 och 60 timmar."))],
    )
    schedule = TextAreaField(
        _l("Arbetstider (dagar och tider)"), validators=[Optional(), Length(max=2000)]
    )
    tasks = TextAreaField(_l("Arbetsuppgifter"), validators=[Optional(), Length(max=4000)])
    supervisor_name = StringField(_l("Handledare"), validators=[Optional(), Length(max=200)])
    supervisor_phone = StringField(
        _l("Handledarens telefon"), validators=[Optional(), Length(max=40)]
    )
    supervisor_email = StringField(
        _l("Handledarens e-post"),
        validators=[Optional(), Email(_l("Skriv en giltig e-postadress.")), Length(max=254)],
    )
    contacts = TextAreaField(
        _l("Kontaktpersoner (namn och telefon)"), validators=[Optional(), Length(max=2000)]
    )
    support = TextAreaField(
        _l("Stöd och anpassningar som vi har kommit överens om"),
        validators=[Optional(), Length(max=4000)],
    )
    insurance = TextAreaField(_l("Försäkring"), validators=[Optional(), Length(max=2000)])

    def terms(self) -> Terms:
        hours = self.hours_per_week.data
        return Terms(
            start_on=self.start_on.data,
            end_on=self.end_on.data,
            hours_per_week=float(hours) if hours is not None else None,
            schedule=self.schedule.data or "",
            tasks=self.tasks.data or "",
            supervisor_name=self.supervisor_name.data or "",
            supervisor_phone=self.supervisor_phone.data or "",
            supervisor_email=self.supervisor_email.data or "",
            contacts=self.contacts.data or "",
            support=self.support.data or "",
            insurance=self.insurance.data or "",
        )


class ConfirmForm(FlaskForm):
    version = IntegerField(validators=[InputRequired(_l("Versionen saknas. Ladda om sidan."))])


class PaperForm(FlaskForm):
    paper_note = TextAreaField(
        _l("Var finns det påskrivna pappret?"),
        validators=[DataRequired(_l("Skriv var pappret finns.")), Length(max=2000)],
    )


# The agreement's parts, in the order people read them, with their labels.
FIELDS = (
    ("tasks", _l("Arbetsuppgifter")),
    ("schedule", _l("Arbetstider")),
    ("supervisor_name", _l("Handledare")),
    ("supervisor_phone", _l("Handledarens telefon")),
    ("supervisor_email", _l("Handledarens e-post")),
    ("contacts", _l("Kontaktpersoner")),
    ("support", _l("Stöd och anpassningar")),
    ("insurance", _l("Försäkring")),
)


def _placement(match_id: int) -> Placement:
    return access.placement(current_user, match_id)


def _endpoint(bp: Blueprint, name: str) -> str:
    return f"{bp.name}.{name}"


def _page(bp: Blueprint, placement: Placement, status: int = 200, **forms: Any) -> Any:
    agreement = agreements.current(placement)
    party = agreements.party_of(current_user, placement)
    form = forms.get("form")
    if form is None and party == "coach":
        form = AgreementForm(formdata=None, obj=agreement)
        if agreement is not None:
            form.based_on.data = str(agreement.version)
        else:
            form.start_on.data, form.end_on.data = placement.start_on, placement.end_on
    return render_template(
        "agreement/page.html",
        bp=bp.name,
        placement=placement,
        m=placement.match,
        agreement=agreement,
        confirmed=agreements.confirmations(agreement) if agreement else {},
        complete=agreements.is_confirmed(agreement),
        party=party,
        party_labels=PARTY_LABELS,
        fields=FIELDS,
        form=form,
        confirm_form=ConfirmForm(formdata=None, data={"version": getattr(agreement, "version", 0)}),
        paper_form=forms.get("paper_form") or PaperForm(formdata=None),
        older=[a for a in agreements.versions(placement) if a is not agreement],
    ), status


def _refused(bp: Blueprint, placement: Placement, err: WorkflowError, **forms: Any) -> Any:
    if isinstance(err, NotAllowed):
        raise access.AccessDenied("agreement")
    flash(str(err), "error")
    return _page(bp, placement, 409, **forms)


def _done(bp: Blueprint, placement: Placement, message: str) -> Any:
    flash(message)
    return redirect(url_for(_endpoint(bp, "agreement"), match_id=placement.match_id))


def register(bp: Blueprint, *, writer: bool = False) -> None:
    """Add the agreement routes to a portal blueprint (coach, employer, participant); the
    `writer` portal (the coach's) also gets saving a version and recording a paper signature."""
    prefix = "/placements/<int:match_id>/agreement"

    def agreement(match_id: int) -> Any:
        return _page(bp, _placement(match_id))

    def agreement_save(match_id: int) -> Any:
        placement = _placement(match_id)
        if agreements.party_of(current_user, placement) != "coach":
            raise access.AccessDenied("agreement", secret=False)
        form = AgreementForm()
        if not form.validate_on_submit():
            return _page(bp, placement, 400, form=form)
        raw = (form.based_on.data or "").strip()
        if raw and not raw.isdigit():
            flash(_("Versionen saknas. Ladda om sidan."), "error")
            return _page(bp, placement, 400, form=form)
        try:
            agreements.write(
                placement, current_user, form.terms(), based_on=int(raw) if raw else None
            )
        except WorkflowError as err:
            return _refused(bp, placement, err, form=form)
        return _done(bp, placement, _("Överenskommelsen är sparad. Alla behöver bekräfta den."))

    def agreement_confirm(match_id: int) -> Any:
        placement = _placement(match_id)
        form = ConfirmForm()
        if not form.validate_on_submit():
            flash(_("Versionen saknas. Ladda om sidan."), "error")
            return _page(bp, placement, 400)
        try:
            agreements.confirm(placement, current_user, version=form.version.data)
        except WorkflowError as err:
            return _refused(bp, placement, err)
        return _done(bp, placement, _("Tack! Du har bekräftat överenskommelsen."))

    def agreement_paper(match_id: int) -> Any:
        placement = _placement(match_id)
        if agreements.party_of(current_user, placement) != "coach":
            raise access.AccessDenied("agreement", secret=False)
        form = PaperForm()
        if not form.validate_on_submit():
            return _page(bp, placement, 400, paper_form=form)
        try:
            agreements.record_paper_signature(placement, current_user, form.paper_note.data)
        except WorkflowError as err:
            return _refused(bp, placement, err, paper_form=form)
        return _done(bp, placement, _("Pappersunderskriften är registrerad."))

    def agreement_print(match_id: int) -> Any:
        placement = _placement(match_id)
        agreement = _printable(placement)
        return render_template(
            "agreement/print.html",
            placement=placement,
            m=placement.match,
            agreement=agreement,
            confirmed=agreements.confirmations(agreement),
            party_labels=PARTY_LABELS,
            fields=FIELDS,
            bp=bp.name,
        )

    def agreement_pdf(match_id: int) -> Any:
        placement = _placement(match_id)
        agreement = _printable(placement)
        body = pdf(placement, agreement)
        name = f"overenskommelse-{placement.match_id}-v{agreement.version}.pdf"
        return Response(
            body,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    bp.add_app_template_filter(_when, "when")
    bp.add_url_rule(prefix, "agreement", agreement)
    bp.add_url_rule(f"{prefix}/confirm", "agreement_confirm", agreement_confirm, methods=["POST"])
    if writer:
        bp.add_url_rule(prefix, "agreement_save", agreement_save, methods=["POST"])
        bp.add_url_rule(f"{prefix}/paper", "agreement_paper", agreement_paper, methods=["POST"])
    bp.add_url_rule(f"{prefix}/print", "agreement_print", agreement_print)
    bp.add_url_rule(f"{prefix}.pdf", "agreement_pdf", agreement_pdf)


def _printable(placement: Placement) -> PlacementAgreement:
    agreement = agreements.current(placement)
    if agreement is None:
        raise access.AccessDenied("no agreement yet")
    return agreement


# --- the PDF -----------------------------------------------------------------------------------


def _latin1(text: Any) -> str:
    """fpdf2's core fonts are Latin-1 (å, ä, ö are in it); anything else becomes '?'."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _when(value: datetime | None) -> str:
    return format_datetime(value, "short") if value else ""


def pdf(placement: Placement, agreement: PlacementAgreement) -> bytes:
    m = placement.match
    doc = FPDF(format="A4")
    doc.set_title(_latin1(_("Överenskommelse om praktik")))
    doc.set_creator("Platsmatch")
    doc.add_page()
    doc.set_auto_page_break(True, margin=15)
    width = doc.epw

    def line(text: Any, size: int = 11, style: str = "", space: float = 1.5) -> None:
        doc.set_font("Helvetica", style, size)
        doc.multi_cell(width, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        doc.ln(space)

    line(_("Överenskommelse om praktik"), 16, "B")
    line(
        _(
            "%(offer)s hos %(employer)s – version %(version)s",
            offer=m.offer.title,
            employer=m.offer.employer.name,
            version=agreement.version,
        ),
        12,
    )
    line(_("Deltagare: %(name)s", name=m.participant.display_name))
    hours = agreement.hours_per_week
    line(
        _(
            "Period: %(start)s – %(end)s",
            start=format_date(agreement.start_on, "d MMMM y"),
            end=format_date(agreement.end_on, "d MMMM y"),
        )
        + (
            "; " + _("%(hours)s timmar per vecka", hours=number(hours, get_locale().language))
            if hours is not None
            else ""
        )
    )
    for name, label in FIELDS:
        value = getattr(agreement, name)
        if value:
            line(label, 11, "B", 0)
            line(value)
    line(_("Bekräftelser"), 12, "B")
    confirmed = agreements.confirmations(agreement)
    for party, label in PARTY_LABELS.items():
        row = confirmed.get(party)
        line(
            f"{label}: "
            + (_("bekräftat %(when)s", when=_when(row.confirmed_at)) if row else _("inte ännu"))
        )
    if agreement.paper_signed_at is not None:
        line(
            _(
                "Underskriven på papper (registrerat %(when)s).",
                when=_when(agreement.paper_signed_at),
            )
        )
    return bytes(doc.output())
