"""Offline Swedish geography: place names to coordinates, and great-circle distances in numpy.

The engine never does network I/O: an offer or a participant located by a municipality name
("Karlskoga", "Karlskoga kommun", "karlskoga") or a town name ("Bålsta", "Skoghall") is resolved
from files the project ships in `data/geo/` (see its README for where each figure comes from).
Street addresses need a real geocoder; `Geocoder` wraps geopy for the web jobs and is built only
when one is configured, with the backend injected so it can be tested with a fake.

Distances are haversine on a sphere of the mean Earth radius: within 0.5 % of geopy's ellipsoidal
geodesic at Swedish distances, and thousands of times faster as one numpy expression.
"""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from matcher.types import Location

EARTH_RADIUS_KM = 6371.0088
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"

# Names people write that are neither a municipality nor a GeoNames locality name.
_ALIASES = {
    "gothenburg": "göteborg",
    "region gotland": "gotland",
    "falu": "falun",
    "tyreso strand": "tyreso",
}
_SUFFIXES = (" kommun", " kommune", " municipality", " stad", " stadsdel")


def place_key(name: str, *, fold_diacritics: bool = True) -> str:
    """Fold a place name so that case, hyphens, a trailing 'kommun' and (by default) diacritics
    do not matter. Diacritics are kept for the first, exact lookup: "Håbo" and "Habo" are two
    municipalities."""
    text = unicodedata.normalize("NFC", name.casefold())
    if fold_diacritics:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[-_/.,]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    return _ALIASES.get(text, text)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float
    kind: str  # "municipality" | "locality"
    municipality_code: str | None = None


class UnknownPlace(ValueError):
    """A place name that the shipped gazetteer does not know; the message suggests near names."""


class Gazetteer:
    """Name -> Place for the 290 municipalities (by SCB code) and Swedish localities.

    Municipality names win over locality names: "Mark" is the municipality (seat Kinna), not
    some farm called Mark.
    """

    def __init__(self, municipalities: list[Place], localities: list[Place]):
        self.municipalities = tuple(municipalities)
        self._exact: dict[str, Place] = {}
        self._folded: dict[str, Place] = {}
        # Localities come sorted by population, largest first, so the largest keeps a shared name;
        # municipalities are written last so they win over any locality of the same name.
        for place in (*localities, *municipalities):
            exact, folded = place_key(place.name, fold_diacritics=False), place_key(place.name)
            if place.kind == "municipality":
                self._exact[exact] = place
                self._folded[folded] = place
            else:
                self._exact.setdefault(exact, place)
                self._folded.setdefault(folded, place)

    @classmethod
    def from_files(cls, municipalities_csv: Path, localities_csv: Path) -> Gazetteer:
        with municipalities_csv.open(encoding="utf-8") as fh:
            munis = [
                Place(r["name"], float(r["lat"]), float(r["lon"]), "municipality", r["code"])
                for r in csv.DictReader(fh)
            ]
        with localities_csv.open(encoding="utf-8") as fh:
            rows = sorted(csv.DictReader(fh), key=lambda r: -int(r["population"] or 0))
        locs = [Place(r["name"], float(r["lat"]), float(r["lon"]), "locality") for r in rows]
        return cls(munis, locs)

    @classmethod
    def load_default(cls) -> Gazetteer:
        return _default_gazetteer()

    def lookup(self, name: str) -> Place | None:
        """Exact name (with diacritics) first, then folded; each also without a genitive s
        ("Österåkers kommun", "Falu kommun" is an alias)."""
        for table, key in (
            (self._exact, place_key(name, fold_diacritics=False)),
            (self._folded, place_key(name)),
        ):
            place = table.get(key)
            if place is None and key.endswith("s"):
                place = table.get(key[:-1])
            if place is not None:
                return place
        return None

    def resolve(self, name: str) -> Location:
        """The coordinates for a place name, or UnknownPlace with the nearest known names."""
        place = self.lookup(name)
        if place is None:
            raise UnknownPlace(self._unknown_message(name))
        return Location(place.lat, place.lon, label=name.strip())

    def _unknown_message(self, name: str) -> str:
        from rapidfuzz import process

        choices = {key: place.name for key, place in self._folded.items()}
        near = process.extract(place_key(name), list(choices), limit=3, score_cutoff=75)
        message = f"unknown Swedish municipality or place {name!r}"
        if near:
            names = ", ".join(sorted({repr(choices[key]) for key, _, _ in near}))
            message += f" (did you mean {names}?)"
        return message


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.from_files(DATA_DIR / "municipalities.csv", DATA_DIR / "localities.csv")


def resolve_place(name: str) -> Location:
    """Module-level shortcut over the shipped gazetteer."""
    return Gazetteer.load_default().resolve(name)


def haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle km from one point to N points, as one vectorised expression."""
    phi1 = np.radians(lat)
    phi2 = np.radians(np.asarray(lats, dtype=np.float64))
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lons, dtype=np.float64)) - np.radians(lon)
    a = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def pairwise_haversine_km(
    lats1: np.ndarray, lons1: np.ndarray, lats2: np.ndarray, lons2: np.ndarray
) -> np.ndarray:
    """Great-circle km between every point of set 1 (rows) and every point of set 2 (columns)."""
    phi1 = np.radians(np.asarray(lats1, dtype=np.float64))[:, None]
    phi2 = np.radians(np.asarray(lats2, dtype=np.float64))[None, :]
    lmb1 = np.radians(np.asarray(lons1, dtype=np.float64))[:, None]
    lmb2 = np.radians(np.asarray(lons2, dtype=np.float64))[None, :]
    a = (
        np.sin((phi2 - phi1) / 2.0) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lmb2 - lmb1) / 2.0) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Points as 3-D unit vectors (N x 3), so distances to many points are one matrix product."""
    phi = np.radians(np.asarray(lats, dtype=np.float64))
    lmb = np.radians(np.asarray(lons, dtype=np.float64))
    return np.column_stack((np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)))


def pair_chord_km(vectors_a: np.ndarray, vectors_b: np.ndarray) -> np.ndarray:
    """Great-circle km between row i of a and row i of b (both N x 3): `chord_km` for given
    pairs, with the same operations in the same order, so a pair gets the same bits both ways."""
    chord2 = np.zeros(len(vectors_a))
    for axis in range(3):
        diff = vectors_b[:, axis] - vectors_a[:, axis]
        chord2 += diff * diff
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(chord2) / 2.0, 1.0))


def chord_km(vectors_a: np.ndarray, vectors_b: np.ndarray) -> np.ndarray:
    """Great-circle km between unit vectors a (B x 3) and b (N x 3), as a B x N array.

    The same distance as `haversine_km` (the chord between two points on the unit sphere is
    2 sin(d/2)), but the trigonometry per offer is done once at index build: a query costs a few
    elementwise passes and one arcsin.
    """
    # Elementwise differences rather than 2 - 2 a.b: exactly 0 for the same point, and the same
    # bits whatever the batch shape (a BLAS product may round differently per shape, which
    # could flip a pair sitting exactly on someone's commute limit between two code paths).
    chord2 = np.zeros((len(vectors_a), len(vectors_b)))
    for axis in range(3):
        diff = vectors_b[None, :, axis] - vectors_a[:, axis, None]
        chord2 += diff * diff
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(chord2) / 2.0, 1.0))


class Geocoder:
    """Street addresses to coordinates for the web jobs, never for the engine.

    `backend` is anything with geopy's `geocode(query, **kwargs)` that returns an object with
    `.latitude` and `.longitude` (or None): a real geopy geocoder in production, a fake in tests.
    A query that is just a municipality or town name is answered offline first, so the network
    is used only for real addresses; results are cached per query.
    """

    def __init__(
        self,
        backend: Any,
        gazetteer: Gazetteer | None = None,
        *,
        min_delay_seconds: float = 1.0,
        sleep: Callable[[float], None] | None = None,
    ):
        self._backend = backend
        self._gazetteer = gazetteer or Gazetteer.load_default()
        self._min_delay = min_delay_seconds
        self._cache: dict[str, Location | None] = {}
        self._last_call: float | None = None
        self._sleep = sleep or time.sleep
        self._clock = time.monotonic

    @classmethod
    def from_config(cls, name: str, user_agent: str, **options: Any) -> Geocoder:
        """Build geopy's named geocoder (e.g. "nominatim"); only called where one is configured."""
        from geopy.geocoders import get_geocoder_for_service

        backend = get_geocoder_for_service(name)(user_agent=user_agent, **options)
        return cls(backend)

    def geocode(self, address: str) -> Location | None:
        address = address.strip()
        if not address:
            return None
        place = self._gazetteer.lookup(address)
        if place is not None:
            return Location(place.lat, place.lon, label=address)
        if address in self._cache:
            return self._cache[address]
        result = self._ask_backend(address)
        if result is None:
            result = self._fallback_from_last_part(address)
        self._cache[address] = result
        return result

    def _ask_backend(self, address: str) -> Location | None:
        if self._last_call is not None:
            wait = self._min_delay - (self._clock() - self._last_call)
            if wait > 0:
                self._sleep(wait)
        try:
            found = self._backend.geocode(address, exactly_one=True, country_codes="se")
        finally:
            self._last_call = self._clock()
        if found is None:
            return None
        return Location(float(found.latitude), float(found.longitude), label=address)

    def _fallback_from_last_part(self, address: str) -> Location | None:
        """'Storgatan 1, 691 31 Karlskoga' -> Karlskoga, when the geocoder knows no street."""
        last = re.sub(r"^\s*\d{3}\s?\d{2}\s*", "", address.rsplit(",", 1)[-1])
        place = self._gazetteer.lookup(last) if last else None
        return Location(place.lat, place.lon, label=address) if place else None
