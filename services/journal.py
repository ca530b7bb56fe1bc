"""The coach's journal and the participant's meetings: writing them, reading them, and a meeting
as an .ics calendar file (RFC 5545).

A sensitive note's text is part of the special-category data: the journal list shows that such
a note exists, and its text only when the coach asks, which is written to the audit log (as
`privacy.reveal` does for the health fields). Notes are never edited or deleted here: a journal
is a record, and a correction is a new note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from models import JournalNote, Meeting, Participant, Session, User, utcnow
from models.journal import MEETING_KINDS
from services import audit
from services.validation import N_, Invalid

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOTE_MAX = 8000

MEETING_KIND_LABELS = {
    "meeting": _l("Möte"),
    "phone": _l("Telefonsamtal"),
    "video": _l("Videomöte"),
    "employer_visit": _l("Besök hos arbetsgivare"),
    "other": _l("Annat"),
}
assert set(MEETING_KIND_LABELS) == set(MEETING_KINDS)


def _may_write(user: User, participant: Participant) -> None:
    if user.role != "coach" or user.unit_id != participant.unit_id:
        raise PermissionError("only the unit's coaches keep the journal")


def add_note(
    user: User, participant: Participant, text: str, *, noted_on: date, sensitive: bool
) -> JournalNote:
    _may_write(user, participant)
    text = (text or "").strip()
    if not text:
        raise Invalid({"text": N_("Skriv en anteckning.")})
    if len(text) > NOTE_MAX:
        raise Invalid({"text": N_("Anteckningen är för lång.")})
    if noted_on > utcnow().astimezone(STOCKHOLM).date():
        raise Invalid({"noted_on": N_("Datumet kan inte vara i framtiden.")})
    note = JournalNote(
        participant_id=participant.id,
        author_id=user.id,
        noted_on=noted_on,
        text=text,
        sensitive=sensitive,
    )
    db = Session()
    db.add(note)
    db.flush()
    audit.record(
        "journal.note.add",
        actor=user,
        subject=participant,
        details={"note_id": note.id, "sensitive": sensitive},
    )
    db.commit()
    return note


def notes(participant: Participant) -> list[JournalNote]:
    return list(
        Session.scalars(
            select(JournalNote)
            .where(JournalNote.participant_id == participant.id)
            .order_by(JournalNote.noted_on.desc(), JournalNote.id.desc())
        )
    )


def reveal_note(user: User, participant: Participant, note_id: int, *, ip: str = "") -> JournalNote:
    """A sensitive note's text for the unit's coach; the read is logged and committed."""
    note = Session.get(JournalNote, note_id)
    if note is None or note.participant_id != participant.id:
        raise LookupError("no such note")
    try:
        _may_write(user, participant)
    except PermissionError:
        audit.record(
            "journal.note.denied",
            actor=user,
            subject=participant,
            details={"note_id": note.id},
            ip=ip,
        )
        Session.commit()
        raise
    if note.sensitive:
        audit.record(
            "journal.note.view",
            actor=user,
            subject=participant,
            details={"note_id": note.id},
            ip=ip,
        )
        Session.commit()
    return note


# --- meetings ---------------------------------------------------------------------------------


@dataclass
class MeetingData:
    starts_on: date
    starts_time: object  # datetime.time
    minutes: int
    kind: str
    place: str = ""
    note: str = ""


def add_meeting(user: User, participant: Participant, data: MeetingData) -> Meeting:
    _may_write(user, participant)
    if data.kind not in MEETING_KINDS:
        raise Invalid({"kind": N_("Välj typ av kontakt.")})
    if not 5 <= data.minutes <= 480:
        raise Invalid({"minutes": N_("Längden ska vara mellan 5 och 480 minuter.")})
    local = datetime.combine(data.starts_on, data.starts_time, tzinfo=STOCKHOLM)  # type: ignore[arg-type]
    meeting = Meeting(
        participant_id=participant.id,
        coach_id=user.id,
        kind=data.kind,
        starts_at=local.astimezone(UTC),
        minutes=data.minutes,
        place=data.place.strip()[:200],
        note=data.note.strip()[:2000],
    )
    db = Session()
    db.add(meeting)
    db.flush()
    audit.record("meeting.add", actor=user, subject=participant, details={"meeting_id": meeting.id})
    db.commit()
    return meeting


def meetings(participant: Participant) -> tuple[list[Meeting], list[Meeting]]:
    """(coming, past): coming soonest first, past newest first."""
    rows = list(
        Session.scalars(
            select(Meeting)
            .where(Meeting.participant_id == participant.id)
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    now = utcnow()
    coming = [m for m in rows if m.starts_at + timedelta(minutes=m.minutes) >= now]
    past = [m for m in reversed(rows) if m.starts_at + timedelta(minutes=m.minutes) < now]
    return coming, past


def meeting(participant: Participant, meeting_id: int) -> Meeting:
    m = Session.get(Meeting, meeting_id)
    if m is None or m.participant_id != participant.id:
        raise LookupError("no such meeting")
    return m


# --- .ics (RFC 5545) --------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(m: Meeting, summary: str, host: str) -> bytes:
    """One VEVENT in UTC. `summary` is the calendar title the caller chose (no health data)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Platsmatch//Meeting//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{m.id}@{host}",
        f"DTSTAMP:{_stamp(utcnow())}",
        f"DTSTART:{_stamp(m.starts_at)}",
        f"DTEND:{_stamp(m.starts_at + timedelta(minutes=m.minutes))}",
        f"SUMMARY:{_escape(summary)}",
    ]
    if m.place:
        lines.append(f"LOCATION:{_escape(m.place)}")
    if m.note:
        lines.append(f"DESCRIPTION:{_escape(m.note)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
