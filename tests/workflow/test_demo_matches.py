"""Does every demo login have something to see after `seed-demo`?"""

from __future__ import annotations

from sqlalchemy import func, select

from models import Match, Offer, Participant, User
from services import demo, demo_matches


def _user(db, email):
    return db.scalar(select(User).where(User.email == email))


def test_every_demo_account_has_something_and_a_rerun_changes_nothing(app, db):
    demo.seed()
    first = demo_matches.run()
    assert first["moved"] is True
    for email in ("participant@demo.test", "participant2@demo.test"):
        p = db.scalar(select(Participant).where(Participant.user_id == _user(db, email).id))
        assert (
            db.scalar(
                select(func.count(Match.id)).where(
                    Match.participant_id == p.id, Match.status == "proposed"
                )
            )
            >= 1
        ), email
    for email in ("coach@demo.test", "coach2@demo.test"):
        coach = _user(db, email)
        suggested = db.scalar(
            select(func.count(Match.id))
            .join(Participant, Participant.id == Match.participant_id)
            .where(Participant.coach_id == coach.id, Match.status == "suggested")
        )
        assert suggested > 10, email
    for email in ("employer@demo.test", "employer2@demo.test"):
        employer_id = _user(db, email).employer_id
        statuses = db.scalars(
            select(Match.status)
            .join(Offer, Offer.id == Match.offer_id)
            .where(Offer.employer_id == employer_id)
        ).all()
        assert "interested" in statuses, email
        assert {"ongoing", "completed"} & set(statuses), email
    before = db.scalar(select(func.count(Match.id)).where(Match.status != "suggested"))
    assert demo_matches.run()["moved"] is False
    after = db.scalar(select(func.count(Match.id)).where(Match.status != "suggested"))
    assert before == after
