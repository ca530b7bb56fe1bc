"""Geocoding a workplace's address in the background; the task takes an id and tolerates its absence.

Enqueued by `services.employers` after a workplace is created or its address changes. Network geocoding (geopy, rate-limited
by `matcher.geo.Geocoder`) happens only where `GEOCODER` is configured; otherwise the postal town
or municipality is resolved offline, and the page says which method gave the coordinates.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select

from matcher.geo import Geocoder
from models import Offer, Session, Workplace, utcnow
from services import places
from services.suggestions import schedule_refresh_for_offer

log = logging.getLogger(__name__)
_geocoders: dict[tuple[str, str], Geocoder] = {}


def _setting(name: str, default: str = "") -> str:
    if not has_app_context():  # a plain script
        return default
    return str(current_app.config.get(name, default) or default)


def configured_geocoder() -> Geocoder | None:
    """The geocoder named by GEOCODER, built once per process (it caches and rate-limits)."""
    name = _setting("GEOCODER")
    if not name:
        return None
    key = (name, _setting("GEOCODER_USER_AGENT", "platsmatch"))
    if key not in _geocoders:
        _geocoders[key] = Geocoder.from_config(name, key[1])
    return _geocoders[key]


def geocode_workplace(workplace_id: int, geocoder: Geocoder | None = None) -> dict[str, Any]:
    db = Session()
    workplace = db.get(Workplace, workplace_id)
    if workplace is None:
        return {"status": "missing"}
    geocoder = geocoder or configured_geocoder()
    try:
        found = places.locate_address(
            workplace.street,
            workplace.postal_code,
            workplace.city,
            workplace.municipality,
            geocoder,
        )
    except Exception as exc:  # noqa: BLE001 - a geocoding service down must not lose the place
        log.warning("geocoder failed for workplace %s: %r; using the town", workplace_id, exc)
        found = places.resolve_offline(workplace.city, workplace.municipality)
    if found is None:
        workplace.geocode_status = "failed"
    else:
        workplace.lat, workplace.lon = round(found.lat, 6), round(found.lon, 6)
        workplace.geocode_status = found.method
    workplace.geocoded_at = utcnow()
    db.commit()
    _refresh_offers(workplace_id)
    return {"status": workplace.geocode_status, "lat": workplace.lat, "lon": workplace.lon}


def _refresh_offers(workplace_id: int) -> None:
    """New coordinates change distances: the offers at this workplace are re-ranked."""
    db = Session()
    for offer_id in db.scalars(
        select(Offer.id).where(Offer.workplace_id == workplace_id, Offer.status == "published")
    ):
        schedule_refresh_for_offer(offer_id)
    db.commit()
