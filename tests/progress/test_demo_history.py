"""Does the demo's history give every report real figures, for women and men alike?"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models import CoachChange, Match, Offer, Participant, Placement, User
from services import demo, progression
from services.reports import build
from services.reports.scope import Filters, scope_for

TODAY = date(2026, 11, 23)


def test_demo_history_fills_every_report(db):
    result = demo.seed(today=TODAY)
    assert result.counts["history_participants"] > 0 and result.counts["history_placements"] > 0
    assert result.counts["offers"] == db.scalar(select(func.count(Offer.id)))
    admin = db.scalar(select(User).where(User.email == "admin@demo.test"))
    scope = scope_for(admin, Filters(start=date(2026, 1, 1), end=TODAY))
    out = build.build("outcomes", scope, TODAY)["figures"]
    exited = dict(out["participants"])["exited"]
    assert exited["woman"] > 0 and exited["man"] > 0
    assert dict(out["six_months"])["work"]["total"] > 0  # some six-month follow-ups are recorded
    funnel = build.build("funnel", scope, TODAY)["figures"]
    assert all(stage["counts"]["total"] > 0 for stage in funnel["stages"])
    timing = build.build("timing", scope, TODAY)["figures"]
    assert timing["placed"]["woman"] > 0 and timing["placed"]["man"] > 0
    equality = build.build("equality", scope, TODAY)["figures"]
    assert len(equality["rows"]) >= 5
    coach = db.scalar(select(User).where(User.email == "coach@demo.test"))
    assert any(v["up"]["total"] > 0 for v in progression.unit_moved_up(coach.unit_id).values())
    assert db.scalar(select(func.count(CoachChange.id))) > 0


def test_demo_history_is_consistent(db):
    demo.seed(today=TODAY)
    # placements start after enrolment and before today; past matches stay on closed offers
    rows = db.execute(
        select(Placement.start_on, Participant.enrolled_on).join(
            Participant, Participant.id == Placement.participant_id
        )
    ).all()
    assert rows and all(enrolled <= start <= TODAY for start, enrolled in rows)
    history = db.scalars(select(Match).where(Match.engine_version == "demo-history")).all()
    assert {m.offer.status for m in history} == {"closed"}
    # the demo logins keep their coach and stay active
    for email in ("participant@demo.test", "participant2@demo.test"):
        user = db.scalar(select(User).where(User.email == email))
        p = db.scalar(select(Participant).where(Participant.user_id == user.id))
        assert p.exited_on is None
        assert (
            db.scalar(select(func.count(CoachChange.id)).where(CoachChange.participant_id == p.id))
            == 0
        )
