"""Coach: the participant hub's own sections: journal, meetings (with an .ics file) and
placements. Profile, suggestions, plan and progression keep their own pages and share the tab
list (`coach/_tabs.html`), so every section is one click from any other."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from models import Match, Session, utcnow
from services import access, journal, privacy, workflow
from services.validation import Invalid
from web.coach.blueprint import bp
from web.coach.hub_forms import MeetingForm, NoteForm
from web.forms import apply_errors


def _name(p: Any) -> str:
    return privacy.display_name(current_user, p)


@bp.route("/participants/<int:participant_id>/journal", methods=["GET", "POST"])
def journal_page(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    form = NoteForm()
    if request.method == "GET":
        form.noted_on.data = utcnow().astimezone(journal.STOCKHOLM).date()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                journal.add_note(
                    current_user,
                    p,
                    form.text.data or "",
                    noted_on=form.noted_on.data or date.today(),
                    sensitive=bool(form.sensitive.data),
                )
            except Invalid as exc:
                apply_errors(form, exc)
            else:
                flash(_("Anteckningen är sparad."), "success")
                return redirect(url_for("coach.journal_page", participant_id=p.id)), 303
        status = 400
    shown: int | None = None
    return render_template(
        "coach/journal.html", p=p, name=_name(p), form=form, notes=journal.notes(p), shown=shown
    ), status


@bp.post("/participants/<int:participant_id>/journal/<int:note_id>/show")
def journal_note_show(participant_id: int, note_id: int) -> Any:
    """Show one sensitive note's text; the read goes to the audit log."""
    p = access.participant(current_user, participant_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    note = journal.reveal_note(current_user, p, note_id, ip=request.remote_addr or "")
    return render_template(
        "coach/journal.html",
        p=p,
        name=_name(p),
        form=NoteForm(formdata=None, noted_on=utcnow().astimezone(journal.STOCKHOLM).date()),
        notes=journal.notes(p),
        shown=note.id,
    )


@bp.route("/participants/<int:participant_id>/meetings", methods=["GET", "POST"])
def meetings_page(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    form = MeetingForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                journal.add_meeting(
                    current_user,
                    p,
                    journal.MeetingData(
                        starts_on=form.starts_on.data or date.today(),
                        starts_time=form.starts_time.data or time(9),
                        minutes=form.minutes.data or 60,
                        kind=form.kind.data or "meeting",
                        place=form.place.data or "",
                        note=form.note.data or "",
                    ),
                )
            except Invalid as exc:
                apply_errors(form, exc)
            else:
                flash(_("Mötet är sparat."), "success")
                return redirect(url_for("coach.meetings_page", participant_id=p.id)), 303
        status = 400
    coming, past = journal.meetings(p)
    return render_template(
        "coach/meetings.html",
        p=p,
        name=_name(p),
        form=form,
        coming=coming,
        past=past,
        kinds=journal.MEETING_KIND_LABELS,
    ), status


@bp.route("/participants/<int:participant_id>/meetings/<int:meeting_id>.ics")
def meeting_ics(participant_id: int, meeting_id: int) -> Response:
    p = access.participant(current_user, participant_id)
    try:
        m = journal.meeting(p, meeting_id)
    except LookupError:
        abort(404)
    # The title names the kind of contact and the participant's first name only: a calendar
    # is often shared, so no surname, personnummer or health details go into it.
    first = p.first_name if access.may_see_identity(current_user, p) else f"#{p.id}"
    summary = f"{journal.MEETING_KIND_LABELS[m.kind]}: {first}"
    body = journal.ics(m, summary, request.host.split(":")[0] or "platsmatch")
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="mote-{m.id}.ics"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/participants/<int:participant_id>/placements")
def placements_page(participant_id: int) -> Any:
    p = access.participant(current_user, participant_id)
    rows = Session.scalars(
        select(Match)
        .where(Match.participant_id == p.id, Match.status.in_(workflow.PLACEMENT_STATES))
        .order_by(Match.updated_at.desc())
    ).all()
    return render_template(
        "coach/participant_placements.html",
        p=p,
        name=_name(p),
        rows=rows,
        status_labels=workflow.STATUS_LABELS,
    )
