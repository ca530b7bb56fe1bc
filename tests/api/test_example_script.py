"""Does the example script in docs/examples work against the app, as a client would run it?"""

from __future__ import annotations

import importlib.util
from typing import Any

from models import Offer, Session
from services import queue
from tests.api.helpers import side
from tests.conftest import ROOT
from tests.factories import make_user


def _load_example() -> Any:
    spec = importlib.util.spec_from_file_location(
        "api_example", ROOT / "docs" / "examples" / "api_example.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_example_creates_an_offer_and_reads_its_suggestions(app, client, capsys) -> None:
    """Does the documented script create an offer and find the coach's participant suggested?"""
    admin = make_user("admin")
    world = side(admin)
    world.participant.hours_min, world.participant.hours_max = 20, 40
    Session.commit()

    def send(method: str, url: str, token: str, body: Any = None):  # type: ignore[no-untyped-def]
        response = client.open(
            url.removeprefix("http://test"),
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        queue.run_ready()  # the suggestions refresh the app would run in the background
        return response.status_code, dict(response.headers), response.get_json()

    example = _load_example()
    found = example.run("http://test", world.employer_token, world.coach_token, send=send, tries=2)
    offer = Session.query(Offer).order_by(Offer.id.desc()).first()
    assert offer.title == "Lagerarbetare" and offer.status == "published"
    assert world.participant.id in {s["participant_id"] for s in found}
    assert f"offer {offer.id} published" in capsys.readouterr().out
