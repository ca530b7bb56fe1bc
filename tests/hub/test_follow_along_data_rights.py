"""Follow-along support and coach messages under the data rights: in the subject-access export,
and anonymised (text gone, kinds and dates kept for the reports) after the retention period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import FollowAlongContact, FollowAlongSupport, Session, User
from services import follow_along, messages, retention, subject_access
from services.reports import build
from services.reports.scope import Filters, scope_for
from tests.factories import make_user
from tests.progress.fixture import AS_OF, END, START
from tests.progress.fixture import build as build_fixture


def _support(fx):
    p1 = fx.p["P1"]  # exited 2026-04-15: anonymised by 2026-11-01 with 3 months' retention
    support = follow_along.start(
        fx.c1,
        p1,
        follow_along.SupportData(
            kinds=["on_the_job"],
            start_on=date(2026, 4, 20),
            employer_name="Bageriet AB",
            note="Stöd vid schemaläggning, har ADHD",
        ),
    )
    follow_along.add_contact(
        fx.c1,
        p1,
        support.id,
        follow_along.ContactData(date(2026, 5, 2), "participant", "phone", "Pratade om sömnen"),
    )
    return p1, support


def test_the_export_holds_support_contacts_and_messages(app, db):
    fx = build_fixture()
    p1, _support_row = _support(fx)
    user = make_user("participant", unit_id=p1.unit_id)
    p1.user_id = user.id
    Session.commit()
    messages.send(fx.c1, p1, "Vi ses på fredag.")
    data = subject_access.collect(fx.c1, p1, "json")
    (got,) = data["follow_along_support"]
    assert got["employer"] == "Bageriet AB" and got["kinds"] == ["on_the_job"]
    assert got["contacts"][0]["about"] == "Pratade om sömnen"
    (note,) = [n for n in data["notifications"] if n["kind"] == "coach.message"]
    assert note["text"] == "Vi ses på fredag." and note["from"] == fx.c1.name


def test_anonymising_removes_the_text_and_keeps_the_counted_facts(app, db):
    fx = build_fixture()
    p1, support = _support(fx)
    scope = scope_for(fx.manager_a, Filters(start=START, end=END))
    before = build.build("outcomes", scope, AS_OF)["figures"]["follow_along"]
    retention.run(AS_OF, 3, apply=True)
    Session.expire_all()
    row = Session.get(FollowAlongSupport, support.id)
    assert (row.note, row.employer_name) == ("", "")
    assert (row.kinds, row.start_on) == (["on_the_job"], date(2026, 4, 20))
    assert Session.scalar(select(FollowAlongContact.about)) == ""
    after = build.build("outcomes", scope, AS_OF)["figures"]["follow_along"]
    assert after == before and dict(after)["support_during"]["woman"] == 1
    assert Session.get(User, fx.c1.id) is not None
