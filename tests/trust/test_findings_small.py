"""Audit findings, the smaller ones: large ids, error pages, headers, formula cells, the CLI,
the accessibility form's rate limit, the API's 401."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from models import Session
from services.reports.files import safe_cell, to_csv
from tests.conftest import login
from tests.factories import make_participant, make_unit, make_user

ROOT = Path(__file__).resolve().parents[2]


def _coach(client):
    unit = make_unit()
    coach = make_user("coach", unit_id=unit.id)
    Session.commit()
    login(client, coach.email)
    return unit, coach


def test_an_id_past_the_integer_range_is_a_404(client, db):
    """Does /coach/participants/99999999999999999999 give a server error? No: 404."""
    _coach(client)
    for url in ("/coach/participants/99999999999999999999", "/coach/participants/2147483648"):
        assert client.get(url).status_code == 404


def test_the_error_page_survives_a_lost_database_connection(fresh, db, monkeypatch):
    """When the connection is gone, is the 500 page still branded and with security headers?"""
    from services import accounts

    client = fresh.test_client()
    _coach(client)

    def lost(*_a, **_k):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(accounts, "user_for_session", lost)
    monkeypatch.setattr(Session, "rollback", lost)
    fresh.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/coach/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Platsmatch" in html and "Något gick fel" in html
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_security_headers_and_no_store_on_personal_pages(client, db):
    unit, coach = _coach(client)
    p = make_participant(unit, coach)
    Session.commit()
    response = client.get(f"/coach/participants/{p.id}")
    csp = response.headers["Content-Security-Policy"]
    for part in (
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert part in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # development: plain http
    static = client.get("/static/style.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_production_sends_hsts(app, client, db):
    app.config["APP_ENV"] = "production"
    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_api_answers_401_as_json(client, db):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.is_json and "error" in response.get_json()


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t=", "\r=", "\t", "\r"])
def test_formula_prefixes_are_neutralised_including_tab_and_cr(prefix):
    value = prefix + "HYPERLINK(evil.example)"
    assert safe_cell(value) == "'" + value
    assert "'" + value in to_csv([("T", ["h"], [[value]])])


def test_the_esf_export_neutralises_formulas(app, db):
    from datetime import date

    from services.reports import esf

    unit = make_unit()
    admin = make_user("admin", unit_id=unit.id)
    coach = make_user("coach", unit_id=unit.id)
    make_participant(unit, coach, municipality="\t=cmd|' /C calc'!A0", enrolled_on=date(2026, 3, 1))
    Session.commit()
    text = esf.export(admin, unit.id, date(2026, 1, 1), date(2026, 12, 31)).text
    assert "'\t=cmd" in text
    assert ",\t=cmd" not in text


def _rank(tmp_path: Path, offers: list[str]) -> subprocess.CompletedProcess[str]:
    (tmp_path / "o.jsonl").write_text("\n".join(offers) + "\n", encoding="utf-8")
    (tmp_path / "p.jsonl").write_text(
        json.dumps({"id": "p1", "location": {"municipality": "Karlskoga"}}) + "\n", encoding="utf-8"
    )
    return subprocess.run(
        [sys.executable, "-m", "matcher", "rank", "--offers", str(tmp_path / "o.jsonl"),
         "--participants", str(tmp_path / "p.jsonl")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_the_cli_rejects_a_capacity_past_2_63_and_deep_json_lines(tmp_path):
    """Do such lines stop the engine with a traceback? No: each is rejected with a message and
    the good line is ranked."""
    good = {"id": "o1", "title": "Lager", "location": {"municipality": "Karlskoga"}}
    huge = {**good, "id": "o2", "capacity": 2**64}
    deep = "[" * 3000 + "]" * 3000
    result = _rank(tmp_path, [json.dumps(good), json.dumps(huge), deep])
    assert "Traceback" not in result.stderr
    assert result.returncode not in (0, 1), result.stderr
    assert "o.jsonl:2: key 'capacity'" in result.stderr
    assert "nested too deep" in result.stderr
    assert '"o1"' in result.stdout


def test_the_accessibility_form_is_rate_limited(app, client, db):
    app.config["PUBLIC_FORM_RATE_LIMIT"] = "3 per hour"
    codes = [
        client.post("/tillganglighet", data={"message": f"Knappen syns inte {n}"}).status_code
        for n in range(5)
    ]
    assert codes[:3] == [302, 302, 302] and codes[3:] == [429, 429]


def test_the_procfile_gives_each_app_its_own_control_socket():
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "--control-socket instance/gunicorn.ctl" in web


def test_a_nul_character_in_a_json_body_is_refused_before_any_view(client, db):
    """PostgreSQL cannot store NUL in text: found by schemathesis as a 500 on the API."""
    for body in ('{"street": "a\\u0000b"}', '{"name": "ok", "street": "\x00"}'):
        response = client.post(
            "/api/v1/workplaces", data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_request"
    fine = client.post(
        "/api/v1/workplaces", data='{"street": "a"}', headers={"Content-Type": "application/json"}
    )
    assert fine.status_code == 401  # on to the API, which asks for a token
