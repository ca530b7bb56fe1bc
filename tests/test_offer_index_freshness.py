"""Is the per-process offer index brought up to date before each use? On PostgreSQL an
unchanged signature skips comparing every offer's stamp, so each kind of change must still
alter the signature: an edited offer, a slot taken by the guarded raw UPDATE, a workplace that
moved, a closed offer."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from models import Offer, Workplace
from services import offer_index
from tests.factories import make_offer, make_workplace


@pytest.fixture
def index_world(db):
    offer_index.forget_indexes()
    offers = [make_offer(make_workplace(), title=f"Lager {n}", capacity=2) for n in range(3)]
    db.commit()
    yield offers
    offer_index.forget_indexes()


def _location(oid: int):
    found = {o.id: o for o in offer_index.offer_index().offers()}
    return found[str(oid)].location if str(oid) in found else None


def test_does_the_index_see_every_kind_of_change(db, index_world):
    first, second, third = index_world
    index = offer_index.offer_index()
    assert {str(o.id) for o in index_world} <= {o.id for o in index.offers()}
    signature = offer_index._signature(db)
    # A workplace moved (the offer row itself is untouched).
    db.execute(update(Workplace).where(Workplace.id == first.workplace_id).values(lat=55.6))
    db.commit()
    assert _location(first.id).lat == pytest.approx(55.6)
    # A slot taken with a raw guarded UPDATE (no updated_at change): capacity 2 -> 1 open.
    db.execute(update(Offer).where(Offer.id == second.id).values(filled=Offer.filled + 1))
    db.commit()
    by_id = {o.id: o for o in offer_index.offer_index().offers()}
    assert by_id[str(second.id)].capacity == 1
    # A closed offer leaves the index.
    third.status = "closed"
    db.commit()
    assert _location(third.id) is None
    if signature is not None:  # PostgreSQL: each change gave another signature
        assert offer_index._signature(db) != signature
    # Nothing changed: the same index object, the same answer.
    assert offer_index.offer_index() is offer_index.offer_index()
