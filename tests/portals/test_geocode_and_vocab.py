"""The workplace geocoding job (geocoder, offline fallback, failure) and the vocabulary API."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.geo import Geocoder
from models import Session, Workplace
from tests.conftest import login
from tests.factories import make_employer, make_unit, make_user


@dataclass
class _Point:
    latitude: float
    longitude: float


class FakeBackend:
    """geopy's interface: answers one known street, nothing else; counts the calls."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def geocode(self, query: str, **_kw: object) -> _Point | None:
        self.queries.append(query)
        return _Point(59.3301, 14.5402) if query.startswith("Bergsmansgatan 4") else None


def _workplace(**kw: object) -> Workplace:
    employer = make_employer()
    defaults = {"name": "Lagret", "municipality": "Karlskoga", "city": "Karlskoga"}
    w = Workplace(employer_id=employer.id, **(defaults | kw))
    Session.add(w)
    Session.flush()
    return w


def test_street_address_through_the_geocoder(db) -> None:
    """With a geocoder, is a known street placed exactly and reported as geocoded?"""
    from services.geocoding import geocode_workplace

    backend = FakeBackend()
    w = _workplace(street="Bergsmansgatan 4", postal_code="691 31")
    result = geocode_workplace(w.id, geocoder=Geocoder(backend, min_delay_seconds=0))
    assert result["status"] == "geocoded"
    assert (w.lat, w.lon) == (59.3301, 14.5402)
    assert backend.queries == ["Bergsmansgatan 4, 691 31 Karlskoga"]


def test_unknown_street_falls_back_to_the_town_offline(db) -> None:
    """Is an address the geocoder does not know placed at its town, marked as such?"""
    from services.geocoding import geocode_workplace

    w = _workplace(street="Påhittade vägen 99", city="Degerfors", municipality="Degerfors")
    result = geocode_workplace(w.id, geocoder=Geocoder(FakeBackend(), min_delay_seconds=0))
    assert result["status"] == "municipality"
    assert 59.1 < w.lat < 59.4


def test_without_geocoder_and_unknown_place_it_fails_visibly(db) -> None:
    """Without a geocoder, an unknown town and municipality leave the workplace 'failed'."""
    from services.geocoding import geocode_workplace

    w = _workplace(city="Ingenstans", municipality="Ingenstansby")
    assert geocode_workplace(w.id)["status"] == "failed"
    assert w.lat is None
    assert geocode_workplace(987654) == {"status": "missing"}


def test_geocoder_down_keeps_the_town(db) -> None:
    """Does a geocoding service error fall back to the town instead of failing the job?"""
    from services.geocoding import geocode_workplace

    class Broken:
        def geocode(self, *_a: object, **_k: object) -> None:
            raise TimeoutError("service down")

    w = _workplace(street="Storgatan 1")
    assert (
        geocode_workplace(w.id, geocoder=Geocoder(Broken(), min_delay_seconds=0))["status"]
        == "municipality"
    )


def test_vocabulary_suggestions_need_login_and_answer_in_the_language(app, client, db) -> None:
    """Does /api/vocab suggest competences for a prefix, in the page's language?"""
    assert client.get("/api/vocab?q=truck").status_code == 401
    coach = make_user("coach", unit_id=make_unit().id)
    Session.commit()
    login(client, coach.email)
    data = client.get("/api/vocab?q=truck").get_json()
    labels = [s["label"] for s in data["suggestions"]]
    assert any("ruck" in label for label in labels), labels
    with app.app_context():
        english = client.get("/api/vocab?q=forkl", headers={"Accept-Language": "en"}).get_json()
    assert english["suggestions"], english
    assert client.get("/api/vocab?q=").get_json()["suggestions"] == []
    assert client.get("/api/vocab?q=st&limit=x").status_code == 200
