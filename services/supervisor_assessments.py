"""The supervisor's assessment at mid-point and end of a placement, and the skills it confirms.

A short form: punctuality, cooperation and tasks done (1–4), the competences shown (coded to the
vocabulary: written as the vocabulary's label when it knows the term), and "would you hire or
recommend?". The supervisor fills it in from the employer's portal or through a signed one-time
link (itsdangerous, with expiry; the used token's hash is stored, so the link works once) for a
supervisor without an account. The coach is told, the participant reads it in plain words, and
each competence becomes a confirmed skill on the participant's profile (source, date), which the
ranking counts more than a self-reported one (`confirmed_boost`).

Reminders (`send_reminders`, daily, idempotent): when a stage is due and missing, the employer's
contacts and the coach are told once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import (
    ConfirmedSkill,
    Participant,
    Placement,
    Session,
    SupervisorAssessment,
    UsedLinkToken,
    User,
)
from models.db import today as utc_today
from services import audit, notifications, vocabulary
from services.workflow import NotAllowed, WorkflowError, committed, employer_users, may_act

STAGES = {"mid": _l("halvtid"), "end": _l("slutet")}
SCALE = {
    1: _l("Behöver mycket stöd"),
    2: _l("Behöver en del stöd"),
    3: _l("Bra"),
    4: _l("Mycket bra"),
}
WOULD_HIRE = {
    "yes": _l("Ja, vi skulle vilja anställa"),
    "recommend": _l("Vi rekommenderar gärna hen till andra arbetsgivare"),
    "no": _l("Inte just nu"),
}
LINK_MAX_AGE_DAYS = 30
SALT = "supervisor-assessment"


@dataclass
class Answers:
    punctuality: int
    cooperation: int
    tasks_done: int
    would_hire: str
    competences: list[str] = field(default_factory=list)
    comment: str = ""
    supervisor_name: str = ""


class LinkError(WorkflowError):
    """A one-time link that is broken, expired or already used (answered 404/410 by the web)."""


# --- when is a stage due -------------------------------------------------------------------


def due_on(placement: Placement, stage: str) -> date | None:
    if placement.start_on is None or placement.end_on is None:
        return None
    if stage == "mid":
        return placement.start_on + (placement.end_on - placement.start_on) / 2
    return placement.end_on


def assessments(placement: Placement) -> dict[str, SupervisorAssessment]:
    rows = Session.scalars(
        select(SupervisorAssessment).where(SupervisorAssessment.placement_id == placement.id)
    )
    return {row.stage: row for row in rows}


def missing(placement: Placement, today: date | None = None) -> list[str]:
    """Stages that are due (by date) and not yet assessed."""
    today = today or utc_today()
    if placement.status not in ("ongoing", "completed", "ended_early"):
        return []
    done = assessments(placement)
    stages = []
    for stage in STAGES:
        when = due_on(placement, stage)
        if placement.status == "ended_early" and stage == "mid":
            continue
        if when is not None and when <= today and stage not in done:
            stages.append(stage)
    return stages


# --- signed one-time links -------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(placement: Placement, stage: str) -> str:
    if stage not in STAGES:
        raise ValueError(stage)
    return str(_serializer().dumps({"p": placement.id, "s": stage}))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def read_token(token: str) -> tuple[Placement, str]:
    """The placement and stage of a valid, unused link; LinkError otherwise."""
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE_DAYS * 86400)
    except SignatureExpired as exc:
        raise LinkError(_l("Länken har gått ut. Be coachen om en ny länk.")) from exc
    except BadSignature as exc:
        raise LinkError(_l("Länken är inte giltig.")) from exc
    if not isinstance(data, dict) or data.get("s") not in STAGES:
        raise LinkError(_l("Länken är inte giltig."))
    used = Session.scalar(select(UsedLinkToken.id).where(UsedLinkToken.token_hash == _hash(token)))
    if used is not None:
        raise LinkError(_l("Länken har redan använts. Tack för ditt svar!"))
    placement = Session.get(Placement, int(data.get("p") or 0))
    if placement is None:
        raise LinkError(_l("Länken är inte giltig."))
    return placement, str(data["s"])


def link_path(placement: Placement, stage: str) -> str:
    return notifications.path_for("supervisor.assess", token=make_token(placement, stage))


# --- submitting ------------------------------------------------------------------------------


def _check(answers: Answers) -> Answers:
    for name in ("punctuality", "cooperation", "tasks_done"):
        if getattr(answers, name) not in SCALE:
            raise WorkflowError(_l("Välj ett svar på varje fråga."))
    if answers.would_hire not in WOULD_HIRE:
        raise WorkflowError(_l("Svara om ni skulle anställa eller rekommendera."))
    seen: dict[str, str] = {}
    for raw in answers.competences:
        text = " ".join(str(raw).split())[:200]
        if text:
            seen.setdefault(coded(text).casefold(), coded(text))
    if len(seen) > 20:
        raise WorkflowError(_l("Skriv högst 20 kompetenser."))
    answers.competences = list(seen.values())
    answers.comment = (answers.comment or "").strip()[:2000]
    answers.supervisor_name = (answers.supervisor_name or "").strip()[:200]
    return answers


def coded(term: str) -> str:
    """The vocabulary's own label for a competence it knows; the text as written otherwise."""
    found = vocabulary.active().resolve(term)
    if found is None or found.method != "exact":
        return term
    return vocabulary.active().concept(found.concept_id).label("sv")


def submit(
    placement: Placement,
    stage: str,
    answers: Answers,
    *,
    actor: User | None = None,
    token: str | None = None,
) -> SupervisorAssessment:
    """Save the assessment, by the employer's contact (`actor`) or through a one-time link."""
    if stage not in STAGES:
        raise WorkflowError(_l("Okänt tillfälle."))
    if token is None and (actor is None or not may_act(actor, placement.match, "employer")):
        raise NotAllowed(_l("Du har inte behörighet att göra det här."))
    answers = _check(answers)
    if placement.status not in ("ongoing", "completed", "ended_early"):
        raise WorkflowError(_l("Bedömningen kan göras när praktiken har börjat."))

    def run() -> SupervisorAssessment:
        if token is not None:
            Session.add(UsedLinkToken(token_hash=_hash(token)))
        if stage in assessments(placement):
            raise WorkflowError(_l("Bedömningen för det här tillfället är redan inskickad."))
        row = SupervisorAssessment(
            placement_id=placement.id,
            stage=stage,
            punctuality=answers.punctuality,
            cooperation=answers.cooperation,
            tasks_done=answers.tasks_done,
            would_hire=answers.would_hire,
            competences=answers.competences,
            comment=answers.comment,
            supervisor_name=answers.supervisor_name or placement.supervisor_name,
            submitted_by_id=actor.id if actor is not None else None,
            via_link=token is not None,
        )
        Session.add(row)
        try:
            Session.flush()
        except IntegrityError as exc:  # the same link twice at once, or the stage twice
            raise LinkError(_l("Bedömningen är redan inskickad.")) from exc
        _confirm_skills(placement, row)
        audit.record(
            "placement.supervisor_assessment",
            actor=actor,
            subject=placement,
            details={"stage": stage, "via_link": token is not None},
        )
        _tell(placement, row)
        return row

    return committed(run)


def _confirm_skills(placement: Placement, row: SupervisorAssessment) -> None:
    have = {
        s.skill.casefold()
        for s in Session.scalars(
            select(ConfirmedSkill).where(ConfirmedSkill.participant_id == placement.participant_id)
        )
    }
    source = f"{row.supervisor_name or 'Handledare'}, {placement.offer.employer.name}"[:200]
    for skill in row.competences:
        if skill.casefold() in have:
            continue
        Session.add(
            ConfirmedSkill(
                participant_id=placement.participant_id,
                skill=skill,
                source=source,
                assessment_id=row.id,
                confirmed_on=utc_today(),
            )
        )
        have.add(skill.casefold())
    Session.flush()


def _params(placement: Placement, stage: str) -> dict[str, Any]:
    match = placement.match
    return {
        "match_id": match.id,
        "stage": stage,
        "offer": match.offer.title,
        "employer": match.offer.employer.name,
        "participant_id": match.participant_id,
        "participant": match.participant.display_name,
    }


def _tell(placement: Placement, row: SupervisorAssessment) -> None:
    params = _params(placement, row.stage)
    coach = placement.participant.coach
    if coach is not None:
        notifications.notify(
            coach.id,
            "assessment.supervisor_done",
            params,
            link=notifications.path_for("coach.placement", match_id=placement.match_id),
        )
    if placement.participant.user_id is not None:
        notifications.notify(
            placement.participant.user_id,
            "assessment.for_participant",
            params,
            link=notifications.path_for("participant.feedback", match_id=placement.match_id),
        )


# --- confirmed skills --------------------------------------------------------------------------


def confirmed_skills(participant: Participant) -> list[ConfirmedSkill]:
    return list(
        Session.scalars(
            select(ConfirmedSkill)
            .where(ConfirmedSkill.participant_id == participant.id)
            .order_by(ConfirmedSkill.confirmed_on, ConfirmedSkill.skill)
        )
    )


# --- reminders -------------------------------------------------------------------------------


def send_reminders(today: date | None = None) -> dict[str, int]:
    """Tell the employer's contacts and the coach, once per placement and stage, that a due
    assessment is missing. Placements that ended more than 30 days ago are left alone."""
    today = today or utc_today()
    rows = Session.scalars(
        select(Placement)
        .where(Placement.status.in_(("ongoing", "completed", "ended_early")))
        .where(Placement.end_on >= today - timedelta(days=30))
        .order_by(Placement.id)
    ).all()
    sent = 0
    for placement in rows:
        for stage in missing(placement, today):
            params = _params(placement, stage)
            for user in employer_users(placement.offer):
                sent += (
                    notifications.notify(
                        user.id,
                        "assessment.supervisor_missing",
                        params,
                        link=notifications.path_for(
                            "employer.assessment", match_id=placement.match_id, stage=stage
                        ),
                    )
                    is not None
                )
            coach = placement.participant.coach
            if coach is not None:
                sent += (
                    notifications.notify(
                        coach.id,
                        "assessment.supervisor_missing_coach",
                        params,
                        link=notifications.path_for("coach.placement", match_id=placement.match_id),
                    )
                    is not None
                )
    Session.commit()
    return {"placements": len(rows), "sent": sent}
