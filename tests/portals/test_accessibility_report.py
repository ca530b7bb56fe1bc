"""The accessibility statement's report form and the admins' list of reports."""

from __future__ import annotations

from sqlalchemy import select

from models import AccessibilityReport, Session
from tests.conftest import login
from tests.factories import make_user


def test_anyone_can_report_and_admin_sees_and_closes(client, db) -> None:
    """Is a report from someone not signed in stored, listed for an admin and closable?"""
    page = client.get("/tillganglighet")
    assert page.status_code == 200 and 'name="message"' in page.get_data(as_text=True)
    assert client.post("/tillganglighet", data={"message": ""}).status_code == 400
    response = client.post(
        "/tillganglighet",
        data={"page": "/login", "message": "Fokus syns inte <i>alls</i>", "contact": "a@b.se"},
    )
    assert response.status_code == 302
    report = db.scalar(select(AccessibilityReport))
    assert report.page == "/login" and report.status == "open" and report.reported_by_id is None
    admin = make_user("admin")
    coach = make_user("coach")
    Session.commit()
    login(client, coach.email)
    assert client.get("/admin/accessibility-reports").status_code == 403
    client.post("/logout")
    login(client, admin.email)
    html = client.get("/admin/accessibility-reports").get_data(as_text=True)
    assert "Fokus syns inte &lt;i&gt;alls&lt;/i&gt;" in html
    response = client.post(f"/admin/accessibility-reports/{report.id}/close")
    assert response.status_code == 303
    db.refresh(report)
    assert report.status == "done" and report.handled_by_id == admin.id


def test_footer_link_names_the_page_the_report_is_about(client, db) -> None:
    """Does the statement's form start with the page the person came from?"""
    html = client.get("/login").get_data(as_text=True)
    assert "/tillganglighet?page=/login" in html
    html = client.get("/tillganglighet?page=/login").get_data(as_text=True)
    assert 'name="page" type="text" value="/login"' in html
