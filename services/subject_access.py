"""A participant's data export for a subject access request (GDPR art. 15).

`collect()` gathers everything the unit holds about one person, health data and personnummer
included, as plain JSON-ready data (codes, ISO dates): the machine-readable copy (art. 20). The
web layer turns the same data into words for the readable HTML page and the PDF (`render_pdf`).
Only the unit's coaches and the person themself may export; every export is audited (the log
names the format, never the content).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models import (
    Activity,
    Assessment,
    AuditEvent,
    CoachChange,
    CorrectionRequest,
    FollowAlongSupport,
    Indicator,
    Match,
    Notification,
    Offer,
    Participant,
    Placement,
    PlacementNote,
    Session,
    User,
)
from services import audit, privacy

FORMATS = ("json", "html", "pdf")
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "postal_code",
    "municipality",
    "protected_identity",
    "personnummer",
    "gender",
    "birth_year",
    "target_group",
    "support_level",
    "skills",
    "interests",
    "max_commute_km",
    "hours_min",
    "hours_max",
    "swedish_level",
    "driving_licence",
    "cannot",
    "needs",
    "health_notes",
    "consent",
    "enrolled_on",
    "exited_on",
    "exit_outcome",
    "outcome_6m",
    "outcome_6m_on",
    "created_at",
    "updated_at",
)
# Recent matches' engine internals (score components) are not personal data about the person
# beyond the score and reasons, which are included.
MATCH_FIELDS = (
    "status",
    "source",
    "score",
    "reasons",
    "gaps",
    "distance_km",
    "computed_at",
    "decided_at",
    "rejection_reason",
    "rejection_note",
    "coach_note",
    "participant_comment",
    "participant_answered_at",
    "employer_comment",
    "employer_answered_at",
    "proposed_at",
)


def may_export(user: User, participant: Participant) -> bool:
    return privacy.can_see_sensitive(user, participant)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def collect(actor: User, participant: Participant, fmt: str, *, ip: str = "") -> dict[str, Any]:
    """Everything held about the person; audited. Raises PermissionError for anyone else."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if not may_export(actor, participant):
        audit.record("participant.export.denied", actor=actor, subject=participant, ip=ip)
        Session.commit()
        raise PermissionError("not allowed to export this participant's data")
    db = Session()
    pid = participant.id
    offers = {
        o.id: o
        for o in db.scalars(
            select(Offer).where(
                Offer.id.in_(select(Match.offer_id).where(Match.participant_id == pid))
            )
        )
    }
    matches = db.scalars(select(Match).where(Match.participant_id == pid).order_by(Match.id)).all()
    placements = db.scalars(
        select(Placement).where(Placement.participant_id == pid).order_by(Placement.id)
    ).all()
    notes = db.scalars(
        select(PlacementNote)
        .where(PlacementNote.placement_id.in_([pl.id for pl in placements]))
        .order_by(PlacementNote.id)
    ).all()
    indicators = {i.id: i for i in db.scalars(select(Indicator))}
    user = participant.user
    data: dict[str, Any] = {
        "format": "platsmatch-subject-access/1",
        "created_at": _plain(datetime.now().astimezone()),
        "participant_id": pid,
        "unit": participant.unit.name,
        "coach": participant.coach.name if participant.coach else None,
        "profile": _row(participant, PROFILE_FIELDS),
        "account": ({"email": user.email, "created_at": _plain(user.created_at)} if user else None),
        "coach_changes": [
            {
                "changed_at": _plain(c.changed_at),
                "from_coach": _user_name(c.from_coach_id),
                "to_coach": _user_name(c.to_coach_id),
                "reason": c.reason,
            }
            for c in db.scalars(
                select(CoachChange)
                .where(CoachChange.participant_id == pid)
                .order_by(CoachChange.id)
            )
        ],
        "matches": [
            {
                "offer": offers[m.offer_id].title if m.offer_id in offers else None,
                "employer": _employer_name(offers.get(m.offer_id)),
            }
            | _row(m, MATCH_FIELDS)
            for m in matches
        ],
        "placements": [
            {
                "offer": offers[pl.offer_id].title if pl.offer_id in offers else None,
                "start_on": _plain(pl.start_on),
                "end_on": _plain(pl.end_on),
                "hours_per_week": pl.hours_per_week,
                "supervisor_name": pl.supervisor_name,
                "status": pl.status,
                "outcome": pl.outcome,
                "outcome_on": _plain(pl.outcome_on),
                "notes": [
                    {
                        "created_at": _plain(n.created_at),
                        "author_role": n.author_role,
                        "note": n.note,
                        "days_expected": n.days_expected,
                        "days_attended": n.days_attended,
                    }
                    for n in notes
                    if n.placement_id == pl.id
                ],
            }
            for pl in placements
        ],
        "activities": [
            _row(a, ("kind", "title", "notes", "start_on", "end_on", "status"))
            for a in db.scalars(
                select(Activity).where(Activity.participant_id == pid).order_by(Activity.id)
            )
        ],
        "assessments": [
            {
                "indicator": indicators[a.indicator_id].label_sv
                if a.indicator_id in indicators
                else None,
                "respondent": a.respondent,
                "value": a.value,
                "assessed_on": _plain(a.assessed_on),
            }
            for a in db.scalars(
                select(Assessment).where(Assessment.participant_id == pid).order_by(Assessment.id)
            )
        ],
        "follow_along_support": [
            {
                "employer": f.employer_name,
                "kinds": list(f.kinds or []),
                "start_on": _plain(f.start_on),
                "planned_end_on": _plain(f.planned_end_on),
                "ended_on": _plain(f.ended_on),
                "note": f.note,
                "contacts": [
                    {
                        "contact_on": _plain(c.contact_on),
                        "with": c.with_whom,
                        "how": c.channel,
                        "about": c.about,
                        "coach": _user_name(c.coach_id),
                    }
                    for c in sorted(f.contacts, key=lambda c: (c.contact_on, c.id))
                ],
            }
            for f in db.scalars(
                select(FollowAlongSupport)
                .where(FollowAlongSupport.participant_id == pid)
                .order_by(FollowAlongSupport.start_on, FollowAlongSupport.id)
            )
        ],
        "correction_requests": [
            _row(c, ("message", "status", "created_at", "due_on", "answer", "handled_at"))
            for c in db.scalars(
                select(CorrectionRequest)
                .where(CorrectionRequest.participant_id == pid)
                .order_by(CorrectionRequest.id)
            )
        ],
        "notifications": [
            {"kind": n.kind, "created_at": _plain(n.created_at), "read_at": _plain(n.read_at)}
            # a coach's message: its text and who wrote it are held too
            | (
                {"text": (n.params or {}).get("text"), "from": (n.params or {}).get("sender")}
                if n.kind == "coach.message"
                else {}
            )
            for n in (
                db.scalars(
                    select(Notification)
                    .where(Notification.user_id == user.id)
                    .order_by(Notification.id)
                )
                if user
                else []
            )
        ],
        # Who has read or changed the person's data (art. 15(1)(c): the recipients).
        "access_log": [
            {
                "at": _plain(e.at),
                "action": e.action,
                "by_role": e.actor_role,
                "by": _user_name(e.actor_id),
            }
            for e in db.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.subject_type == "participants",
                    AuditEvent.subject_id == pid,
                )
                .order_by(AuditEvent.id)
            )
        ],
    }
    audit.record(
        "participant.export", actor=actor, subject=participant, details={"format": fmt}, ip=ip
    )
    Session.commit()
    return data


def _user_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = Session.get(User, user_id)
    return user.name if user else None


def _employer_name(offer: Offer | None) -> str | None:
    if offer is None:
        return None
    employer = getattr(offer, "employer", None)
    return getattr(employer, "name", None)


# --- the readable PDF ---------------------------------------------------------------------------

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)


def render_pdf(title: str, intro: str, sections: list[tuple[str, list[tuple[str, str]]]]) -> bytes:
    """A plain, tagged-free PDF of headings and label/value lines (already in words).

    Uses DejaVu Sans where installed (every script a participant's name may be written in);
    otherwise the PDF core font, with characters outside Latin-1 replaced.
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_lang("sv")
    pdf.set_auto_page_break(auto=True, margin=15)
    font = next((p for p in FONT_CANDIDATES if p.exists()), None)
    if font is not None:
        pdf.add_font("Body", "", str(font))
        family, clean = "Body", (lambda s: s)
    else:
        family = "Helvetica"

        def clean(s: str) -> str:
            return s.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, size=16)
    pdf.multi_cell(width, 9, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=10)
    pdf.multi_cell(width, 5, clean(intro), new_x="LMARGIN", new_y="NEXT")
    for heading, lines in sections:
        pdf.ln(3)
        pdf.set_font(family, size=13)
        pdf.multi_cell(width, 7, clean(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=10)
        for label, value in lines:
            pdf.multi_cell(width, 5, clean(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
