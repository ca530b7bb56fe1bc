"""Where a workplace or a participant is: offline from the shipped gazetteer, or through a
configured geocoder for street addresses.

The engine needs coordinates for distances. A municipality or postal town is resolved offline
(`matcher.geo`), which is exact enough for commuting radii of 10-40 km; a street address needs a
real geocoder (`GEOCODER=nominatim`), which is used only where one is configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.geo import Gazetteer, Geocoder


@dataclass(frozen=True)
class Found:
    lat: float
    lon: float
    method: str  # "geocoded" (street address, by the geocoder) | "municipality" (offline)


def resolve_offline(*names: str) -> Found | None:
    """The first of the names (postal town, then municipality) the gazetteer knows."""
    gazetteer = Gazetteer.load_default()
    for name in names:
        place = gazetteer.lookup(name) if name and name.strip() else None
        if place is not None:
            return Found(place.lat, place.lon, "municipality")
    return None


def is_known_place(name: str) -> bool:
    return bool(name.strip()) and Gazetteer.load_default().lookup(name) is not None


def locate_address(
    street: str, postal_code: str, city: str, municipality: str, geocoder: Geocoder | None
) -> Found | None:
    """A street address through the geocoder when there is one, else the town offline.

    `Geocoder.geocode` itself falls back to the town when the service knows no such street; that
    answer has the town's exact coordinates, so it is reported as the offline method it is.
    """
    offline = resolve_offline(city, municipality)
    if geocoder is not None and street.strip():
        town = " ".join(
            part for part in (postal_code.strip(), city.strip() or municipality) if part
        )
        location = geocoder.geocode(f"{street.strip()}, {town}")
        if location is not None:
            same_as_town = offline is not None and (location.lat, location.lon) == (
                offline.lat,
                offline.lon,
            )
            return Found(location.lat, location.lon, "municipality" if same_as_town else "geocoded")
    return offline
