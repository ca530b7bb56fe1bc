"""Geography: offline place resolution, distances, and the injectable geocoder."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.geo import (
    Gazetteer,
    Geocoder,
    UnknownPlace,
    haversine_km,
    pairwise_haversine_km,
    place_key,
    resolve_place,
)

SHARED_GEO = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "geo"
needs_shared = pytest.mark.skipif(
    not SHARED_GEO.is_dir(), reason=f"reference data {SHARED_GEO} is absent (present in CI)"
)

# Documented exception list for the centroid test: empty. Härjedalen's seat Sveg lies 38 km from
# the centroid of the municipality's postal codes (Funäsdalen, Hede and Vemdalen are far to the
# north-west), so its shipped point is the population-weighted mean of its localities instead of
# the seat (see data/geo/README.md): fixed at the source, not by loosening this test.
CENTROID_LIMIT_KM = 30.0


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Karlskoga", "Karlskoga"),
        ("karlskoga kommun", "Karlskoga"),
        ("KARLSKOGA KOMMUN", "Karlskoga"),
        ("Österåkers kommun", "Österåker"),
        ("osteraker", "Österåker"),
        ("Upplands Bro", "Upplands-Bro"),
        ("upplands-väsby", "Upplands Väsby"),
        ("Malung Sälen", "Malung-Sälen"),
        ("Göteborgs stad", "Göteborg"),
        ("Gothenburg", "Göteborg"),
        ("Falu kommun", "Falun"),
        ("Region Gotland", "Gotland"),
        ("  Härjedalen ", "Härjedalen"),
        ("Håbo kommun", "Håbo"),
        ("Habo kommun", "Habo"),
        ("Tyresö strand", "Tyresö"),
    ],
)
def test_municipality_names_resolve_tolerantly(written, expected):
    """Do case, diacritics, hyphens and 'kommun' leave the municipality recognisable?"""
    place = Gazetteer.load_default().lookup(written)
    assert place is not None and place.kind == "municipality"
    assert place.name == expected


@pytest.mark.parametrize("town", ["Bålsta", "Skoghall", "Kinna", "Sveg", "Sälen", "Huskvarna"])
def test_towns_resolve_to_swedish_coordinates(town):
    """Can a coach write a town that is not a municipality name?"""
    location = resolve_place(town)
    assert 55.0 < location.lat < 69.1 and 10.9 < location.lon < 24.2
    assert location.label == town


def test_town_near_its_municipality():
    """Is Huskvarna placed next to Jönköping rather than somewhere else in Sweden?"""
    h = resolve_place("Huskvarna")
    j = resolve_place("Jönköping kommun")
    assert haversine_km(h.lat, h.lon, np.array([j.lat]), np.array([j.lon]))[0] < 15


def test_unknown_place_suggests_near_names():
    with pytest.raises(UnknownPlace, match="Karlskoga"):
        resolve_place("Karlskogga")
    with pytest.raises(UnknownPlace, match="unknown Swedish municipality"):
        resolve_place("Atlantis")


def test_place_key_strips_only_what_does_not_matter():
    assert place_key("Ale kommun") == "ale"
    assert place_key("Åre") == "are"
    assert place_key("Ale") != place_key("Åre")


def test_all_290_municipalities_shipped_with_unique_codes():
    munis = Gazetteer.load_default().municipalities
    assert len(munis) == 290
    assert len({m.municipality_code for m in munis}) == 290
    assert all(len(m.municipality_code) == 4 for m in munis)


def _postal_points() -> tuple[dict[str, list], dict[str, list]]:
    by_code: dict[str, list] = defaultdict(list)
    by_place: dict[str, list] = defaultdict(list)
    with (SHARED_GEO / "geonames_postal_SE.txt").open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            point = (float(f[9]), float(f[10]))
            if f[6]:
                by_code[f[6]].append(point)
            by_place[place_key(f[2])].append(point)
    return by_code, by_place


@needs_shared
def test_every_reference_municipality_resolves_near_its_postal_centroid():
    """Does each of the 290 official municipalities resolve within 30 km of its postal codes?

    The centroid is the mean of the municipality's postal-code points (denser where people
    live). Six municipalities have no postal row with their code in the GeoNames dump (its codes
    are partly stale: Kisa's rows say Linköping); for those the rows whose place name is the
    seat (else the municipality) stand in.
    """
    by_code, by_place = _postal_points()
    seats = {}
    with (Path(__file__).resolve().parents[2] / "data/geo/municipalities.csv").open() as fh:
        for row in csv.DictReader(fh):
            seats[row["code"]] = row["seat"]
    gaz = Gazetteer.load_default()
    far = []
    with (SHARED_GEO / "municipality_county.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 290
    for row in rows:
        code = row["municipality_code"]
        for written in (row["municipality_name_short"], row["municipality_name"]):
            place = gaz.lookup(written)
            assert place is not None, f"{written!r} does not resolve"
            assert place.municipality_code == code, written
        points = (
            by_code.get(code)
            or by_place.get(place_key(seats[code]))
            or by_place.get(place_key(row["municipality_name_short"]))
        )
        assert points, f"no postal reference points for {code}"
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        km = haversine_km(place.lat, place.lon, np.array([lat]), np.array([lon]))[0]
        if km > CENTROID_LIMIT_KM:
            far.append((code, row["municipality_name_short"], round(km, 1)))
    assert far == []


swedish_lat = st.floats(55.3, 69.0, allow_nan=False)
swedish_lon = st.floats(11.0, 24.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(swedish_lat, swedish_lon, swedish_lat, swedish_lon)
def test_haversine_agrees_with_geodesic(lat1, lon1, lat2, lon2):
    """Is the fast spherical distance within 0.5 % of geopy's ellipsoidal one in Sweden?"""
    fast = haversine_km(lat1, lon1, np.array([lat2]), np.array([lon2]))[0]
    exact = geodesic((lat1, lon1), (lat2, lon2)).km
    assert math.isclose(fast, exact, rel_tol=0.005, abs_tol=0.01)


def test_one_to_many_and_pairwise_agree_with_geodesic():
    rng = np.random.default_rng(7)
    lats = rng.uniform(55.3, 69.0, 200)
    lons = rng.uniform(11.0, 24.0, 200)
    one = haversine_km(lats[0], lons[0], lats, lons)
    pair = pairwise_haversine_km(lats[:20], lons[:20], lats, lons)
    assert pair.shape == (20, 200)
    np.testing.assert_allclose(pair[0], one)
    for i in range(20):
        for j in range(0, 200, 17):
            exact = geodesic((lats[i], lons[i]), (lats[j], lons[j])).km
            assert math.isclose(pair[i, j], exact, rel_tol=0.005, abs_tol=0.01)
    assert one[0] == 0.0


class FakeBackend:
    """Stands in for a geopy geocoder: records calls, answers from a table."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        hit = self.answers.get(query)
        return None if hit is None else SimpleNamespace(latitude=hit[0], longitude=hit[1])


def test_geocoder_answers_place_names_offline():
    backend = FakeBackend({})
    loc = Geocoder(backend, min_delay_seconds=0).geocode("Karlskoga kommun")
    assert loc is not None and backend.calls == []
    assert abs(loc.lat - 59.33) < 0.1


def test_geocoder_asks_backend_for_addresses_caches_and_rate_limits():
    backend = FakeBackend({"Storgatan 1, Karlskoga": (59.327, 14.524)})
    sleeps = []
    geocoder = Geocoder(backend, min_delay_seconds=1.0, sleep=sleeps.append)
    first = geocoder.geocode("Storgatan 1, Karlskoga")
    again = geocoder.geocode("Storgatan 1, Karlskoga")
    assert first == again and (first.lat, first.lon) == (59.327, 14.524)
    assert len(backend.calls) == 1
    assert backend.calls[0][1]["country_codes"] == "se"
    geocoder.geocode("Okändgatan 9, 691 31 Karlskoga")
    assert len(backend.calls) == 2 and sleeps and sleeps[0] > 0


def test_geocoder_falls_back_to_the_place_after_the_last_comma():
    geocoder = Geocoder(FakeBackend({}), min_delay_seconds=0)
    loc = geocoder.geocode("Okändgatan 9, 691 31 Karlskoga")
    assert loc is not None and abs(loc.lon - 14.52) < 0.1
    assert geocoder.geocode("Nowhere street 1, Atlantis") is None


def test_geocoder_from_config_builds_a_geopy_backend_without_network():
    from geopy.geocoders import Nominatim

    geocoder = Geocoder.from_config("nominatim", user_agent="platsmatch-tests")
    assert isinstance(geocoder._backend, Nominatim)
    assert geocoder.geocode("Bålsta") is not None  # answered offline, no request made
