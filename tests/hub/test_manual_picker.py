"""The manual-match picker: searchable, best fit then nearest, without offers already proposed,
and a conflict said in words at the top of the page."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import make_offer, make_workplace
from tests.workflow.helpers import make_world


@pytest.fixture
def world(app, db):
    w = make_world(skills=["truckkort"])
    near = make_offer(make_workplace(municipality="Karlskoga"), title="Truckförare")
    far = make_offer(make_workplace(lat=55.6, lon=13.0, municipality="Malmö"), title="Kock i Malmö")
    farther = make_offer(
        make_workplace(lat=65.6, lon=22.1, municipality="Luleå"), title="Kock i Luleå"
    )
    proposed = w.match("proposed")  # w.offer is already proposed
    db.commit()
    return w, near, far, farther, proposed


def _options(html):
    select = html.split('id="manual-offer_id"')[1].split("</select>")[0]
    return select


def test_picker_orders_by_fit_then_distance_and_leaves_out_proposed(client, world):
    w, near, far, farther, _proposed = world
    login(client, w.coach.email)
    html = client.get(f"/coach/participants/{w.participant.id}/suggestions").get_data(as_text=True)
    options = _options(html)
    assert f'value="{w.offer.id}"' not in options  # already proposed
    assert options.count("selected") == 1 and '<option selected value="">' in options
    positions = [options.index(f'value="{o.id}"') for o in (near, far, farther)]
    assert positions == sorted(positions)
    assert "passar villkoren" in options and "bryter mot villkoren" in options
    assert "distance" not in options


def test_picker_search(client, world):
    w, near, far, farther, _ = world
    login(client, w.coach.email)
    url = f"/coach/participants/{w.participant.id}/suggestions?manual_q=kock+malmö"
    options = _options(client.get(url).get_data(as_text=True))
    assert f'value="{far.id}"' in options
    assert f'value="{near.id}"' not in options and f'value="{farther.id}"' not in options


def test_conflict_in_words_in_the_error_summary_at_the_top(client, world):
    w, _near, far, _farther, _ = world
    login(client, w.coach.email)
    r = client.post(
        f"/coach/participants/{w.participant.id}/manual", data={"manual-offer_id": far.id}
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert "för långt hemifrån" in summary
    assert html.index('id="error-summary"') < html.index('id="refresh-h"')
    assert "(distance" not in html


def test_no_offer_chosen_is_a_400_with_a_message(client, world):
    w, *_ = world
    login(client, w.coach.email)
    r = client.post(f"/coach/participants/{w.participant.id}/manual", data={"manual-offer_id": ""})
    assert r.status_code == 400 and "Välj en plats." in r.get_data(as_text=True)
