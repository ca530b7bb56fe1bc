"""`python -m benchmarks.engine`: how fast the ranking engine is, against the targets and the naive way.

Prints the start-up cost of the built-in taxonomy (fresh processes), then, on synthetic data
drawn from the full default vocabulary (project + built-in JobTech taxonomy): index build time and time to rank one participant (median, p95,
warm) at several offer counts; end-to-end batch time from files through the CLI; peak memory
(maxrss); and the same ranking done the naive way (a Python loop per pair with
`geopy.distance.geodesic`, a rapidfuzz call and the constraint checks) on a subset, as a ratio.
Not a unit test: run it by hand, on an otherwise idle machine, and copy the figures into
benchmarks/ENGINE.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matcher.geo import Gazetteer
from matcher.types import (
    ACCESSIBILITY,
    PHYSICAL_DEMANDS,
    SWEDISH_LEVELS,
    HoursRange,
    Location,
    Offer,
    Participant,
)

_FILLER = (
    "arbete i team med varierande uppgifter på en trygg arbetsplats med handledare och tydliga "
    "rutiner kunder lager butik kök städning vård omsorg fastighet transport sortering "
    "packning plock inventering kassa service café restaurang park trädgård verkstad"
).split()
_UNKNOWN = [f"specialkunskap {i}" for i in range(300)]


class Synthetic:
    """Random but plausible offers and participants drawn from the vocabulary's own labels."""

    def __init__(self, vocabulary, seed: int = 1):
        self.rng = random.Random(seed)
        concepts = list(vocabulary.concepts())
        self.skills = [c.label_sv for c in concepts if c.kind == "skill"] or ["truckkort"]
        self.skills += [s for c in concepts if c.kind == "skill" for s in c.synonyms[:2]]
        self.occupations = [c.label_sv for c in concepts if c.kind == "occupation"] or ["Lager"]
        self.places = [(p.lat, p.lon, p.name) for p in Gazetteer.load_default().municipalities]
        self.demands = sorted(PHYSICAL_DEMANDS)
        self.access = sorted(ACCESSIBILITY)

    def _place(self) -> Location:
        lat, lon, name = self.rng.choice(self.places)
        return Location(lat + self.rng.gauss(0, 0.05), lon + self.rng.gauss(0, 0.08), name)

    def _skills(self, low: int, high: int) -> tuple[str, ...]:
        n = self.rng.randint(low, high)
        pool = self.skills if self.rng.random() < 0.9 else _UNKNOWN
        return tuple(self.rng.choice(pool) for _ in range(n))

    def offer(self, n: int) -> Offer:
        r = self.rng
        lo = r.choice((0, 10, 20, 30))
        return Offer(
            id=f"o{n}",
            title=r.choice(self.occupations),
            location=self._place(),
            description=" ".join(r.choice(_FILLER) for _ in range(r.randint(10, 30))),
            occupation=r.choice(self.occupations) if r.random() < 0.3 else "",
            skills_required=self._skills(0, 3),
            skills_desired=self._skills(0, 3),
            hours_per_week=HoursRange(lo, lo + r.choice((10, 20, 30)))
            if r.random() < 0.7
            else None,
            swedish_level=r.choice(SWEDISH_LEVELS),
            requires_driving_licence=r.random() < 0.15,
            physical_demands=frozenset(r.sample(self.demands, r.randint(0, 3))),
            accessibility=frozenset(r.sample(self.access, r.randint(0, 4))),
            capacity=r.choice((0, 1, 1, 2, 3, 5)),
            leads_to_employment=r.choice(("yes", "maybe", "no", None)),
            kind=r.choice(("praktik", "arbetstraning", None)),
        )

    def participant(self, n: int) -> Participant:
        r = self.rng
        lo = r.choice((0, 10, 20))
        return Participant(
            id=f"p{n}",
            location=self._place(),
            skills=self._skills(1, 5),
            interests=tuple(r.choice(self.occupations) for _ in range(r.randint(0, 2))),
            max_commute_km=r.choice((None, 20.0, 40.0, 80.0)),
            hours_per_week=HoursRange(lo, lo + r.choice((10, 20))) if r.random() < 0.7 else None,
            swedish_level=r.choice(SWEDISH_LEVELS),
            driving_licence=r.random() < 0.4,
            cannot=frozenset(r.sample(self.demands, r.randint(0, 2))),
            needs=frozenset(r.sample(self.access, r.randint(0, 1))),
            support_level=r.choice((1, 2, 3, None)),
        )


def offer_json(o: Offer) -> dict:
    d = {
        "id": o.id, "title": o.title, "description": o.description, "occupation": o.occupation,
        "location": {"lat": o.location.lat, "lon": o.location.lon},
        "skills_required": list(o.skills_required), "skills_desired": list(o.skills_desired),
        "swedish_level": o.swedish_level, "requires_driving_licence": o.requires_driving_licence,
        "physical_demands": sorted(o.physical_demands), "accessibility": sorted(o.accessibility),
        "capacity": o.capacity, "leads_to_employment": o.leads_to_employment,
    }  # fmt: skip
    if o.hours_per_week:
        d["hours_per_week"] = {"min": o.hours_per_week.min, "max": o.hours_per_week.max}
    return d


def participant_json(p: Participant) -> dict:
    d = {
        "id": p.id, "skills": list(p.skills), "interests": list(p.interests),
        "location": {"municipality": p.location.label}, "max_commute_km": p.max_commute_km,
        "swedish_level": p.swedish_level, "driving_licence": p.driving_licence,
        "cannot": sorted(p.cannot), "needs": sorted(p.needs), "support_level": p.support_level,
    }  # fmt: skip
    if p.hours_per_week:
        d["hours_per_week"] = {"min": p.hours_per_week.min, "max": p.hours_per_week.max}
    return d


def naive_rank(participant: Participant, offers, top: int = 10) -> list[tuple[float, str]]:
    """The way one would write it first: every pair in Python, geodesic and rapidfuzz per pair."""
    from geopy.distance import geodesic
    from rapidfuzz import fuzz, utils

    from matcher.constraints import SWEDISH_RANK

    p = participant
    query = " ".join((*p.interests, *p.skills))
    have = {s.casefold() for s in p.skills}
    scored = []
    for o in offers:
        km = geodesic((p.location.lat, p.location.lon), (o.location.lat, o.location.lon)).km
        if p.max_commute_km is not None and km > p.max_commute_km:
            continue
        if p.hours_per_week and o.hours_per_week:
            if max(p.hours_per_week.min, o.hours_per_week.min) > min(
                p.hours_per_week.max, o.hours_per_week.max
            ):
                continue
        if SWEDISH_RANK[o.swedish_level] > SWEDISH_RANK[p.swedish_level]:
            continue
        if o.requires_driving_licence and not p.driving_licence:
            continue
        if o.physical_demands & p.cannot or not p.needs <= o.accessibility or o.capacity <= 0:
            continue
        doc = " ".join((o.title, o.occupation, *o.skills_required, o.description))
        text = fuzz.token_set_ratio(query, doc, processor=utils.default_process) / 100
        req = [s.casefold() in have for s in o.skills_required]
        cover = sum(req) / len(req) if req else 1.0
        scored.append((0.5 * cover + 0.3 * text + 0.2 / (1 + km / 20), o.id))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return scored[:top]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_sizes(vocabulary, sizes, queries: int, say) -> dict:
    from matcher.index import OfferIndex

    gen = Synthetic(vocabulary, seed=1)
    results = {}
    for n in sizes:
        offers = [gen.offer(i) for i in range(n)]
        people = [gen.participant(i) for i in range(queries + 5)]
        t0 = time.perf_counter()
        index = OfferIndex(offers, vocabulary=vocabulary)
        build = time.perf_counter() - t0
        for p in people[:5]:  # warm-up: caches, first-call overheads
            index.rank(p, 10)
        times = []
        for p in people[5:]:
            t0 = time.perf_counter()
            index.rank(p, 10)
            times.append(time.perf_counter() - t0)
        times.sort()
        med = statistics.median(times)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        for earlier in results.values():  # only the largest is kept, for the naive comparison
            earlier.pop("offers", None)
            earlier.pop("people", None)
        results[n] = {"build_s": build, "median_s": med, "p95_s": p95,
                      "offers": offers, "people": people}  # fmt: skip
        del index
        say(
            f"{n:>7,} offers: build {build:6.2f} s | rank one (top 10, warm, {len(times)} queries):"
            f" median {_ms(med)}, p95 {_ms(p95)} | peak rss so far {_peak_mb():,.0f} MB"
        )
    return results


def bench_naive(vocabulary, result: dict, subset: int, say) -> float:
    """The naive per-pair loop on `subset` offers against the index on the same offers, and
    extrapolated (it is linear in offers) against the index's median at the full size."""
    from matcher.index import OfferIndex

    offers = result["offers"][:subset]
    people = result["people"][5:25]
    t0 = time.perf_counter()
    for p in people:
        naive_rank(p, offers)
    per_query = (time.perf_counter() - t0) / len(people)
    small = OfferIndex(offers, vocabulary=vocabulary)
    for p in people[:5]:
        small.rank(p, 10)
    times = []
    for p in people:
        t0 = time.perf_counter()
        small.rank(p, 10)
        times.append(time.perf_counter() - t0)
    same = statistics.median(times)
    say(
        f"naive per-pair loop (geodesic + rapidfuzz + checks) on the same {subset:,} offers:"
        f" {_ms(per_query)} per participant vs index median {_ms(same)} ->"
        f" {per_query / same:,.0f}x faster"
    )
    n = len(result["offers"])
    naive_full = per_query * n / subset
    ratio = naive_full / result["median_s"]
    say(
        f"naive extrapolated to {n:,} offers: {naive_full:.2f} s per participant vs index median"
        f" {_ms(result['median_s'])} -> {ratio:,.0f}x faster"
    )
    return ratio


def bench_batch(vocabulary, n_people: int, n_offers: int, say) -> float:
    from matcher.cli import main as cli_main

    gen = Synthetic(vocabulary, seed=2)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (root / "offers.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(n_offers):
                fh.write(json.dumps(offer_json(gen.offer(i)), ensure_ascii=False) + "\n")
        with (root / "participants.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(n_people):
                fh.write(
                    json.dumps(participant_json(gen.participant(i)), ensure_ascii=False) + "\n"
                )
        args = ["rank", "--offers", str(root / "offers.jsonl"), "--participants",
                str(root / "participants.jsonl"), "--top", "10", "--out", str(root / "out.jsonl")]  # fmt: skip
        t0 = time.perf_counter()
        code = cli_main(args)
        elapsed = time.perf_counter() - t0
        lines = sum(1 for _ in (root / "out.jsonl").open(encoding="utf-8"))
        say(
            f"batch from files, in process (vocabulary already loaded): {n_people:,} participants"
            f" x {n_offers:,} offers, top 10, exit {code}: {elapsed:.1f} s ({lines:,} lines)"
        )
        # End to end as a user runs it: a fresh interpreter, imports, the built-in taxonomy.
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "matcher", *args], capture_output=True, text=True,
            cwd=Path(__file__).resolve().parents[1],
        )  # fmt: skip
        elapsed = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    say(
        f"batch from files, `python -m matcher rank` in a fresh process: exit {done.returncode},"
        f" {elapsed:.1f} s end to end (start-up, taxonomy, read, index, rank, write);"
        f" peak memory of the children so far {rss:,.0f} MB"
    )
    return elapsed


def bench_feasible(vocabulary, n_people: int, n_offers: int, say) -> float:
    """`OfferIndex.feasible_scores`, what the allocation solvers consume, at allocation sizes."""
    from matcher.index import OfferIndex

    gen = Synthetic(vocabulary, seed=3)
    index = OfferIndex([gen.offer(i) for i in range(n_offers)], vocabulary=vocabulary)
    people = [gen.participant(i) for i in range(n_people)]
    t0 = time.perf_counter()
    fs = index.feasible_scores(people, top=20)
    elapsed = time.perf_counter() - t0
    say(
        f"feasible_scores top 20: {n_people:,} participants x {n_offers:,} offers:"
        f" {elapsed:.1f} s ({len(fs.scores):,} feasible pairs)"
    )
    return elapsed


_STARTUP = """
import resource, time
t0 = time.perf_counter()
import matcher.index
from matcher.vocab import Vocabulary
t1 = time.perf_counter()
vocabulary = Vocabulary.{loader}()
vocabulary.resolve("undersköterska"); vocabulary.suggest("lager")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


_APP_STARTUP = """
import resource, sys, tempfile, time
t0 = time.perf_counter()
from web import create_app
app = create_app({{"DATABASE_URL": "sqlite:///" + tempfile.mktemp(suffix=".db"), "TESTING": True}})
t1 = time.perf_counter()
with app.app_context():
    if "{loader}" == "active":
        from services.vocabulary import active
        vocabulary = active()
    else:
        from matcher.vocab import Vocabulary
        vocabulary = Vocabulary.load_project()
    vocabulary.resolve("undersköterska"); vocabulary.suggest("lager")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_startup(say, runs: int = 5) -> dict:
    """Start-up cost of the built-in taxonomy, each in a fresh process (as the app, a worker
    and the CLI start): import the engine (or create the Flask app), load the vocabulary, first
    lookup and typeahead. `load_project` is the project's vocabulary alone (before),
    `load_default` / the app's `services.vocabulary.active()` add the built-in JobTech taxonomy
    (now; the app loads it on first use). Median of `runs` alternating runs."""

    figures = {}
    samples: dict[str, list[tuple[float, float, float]]] = {
        "load_project": [], "load_default": [], "app, load_project": [], "app, active": [],
    }  # fmt: skip
    for _ in range(runs):
        for loader in samples:
            script = _APP_STARTUP if loader.startswith("app") else _STARTUP
            out = subprocess.run(
                [sys.executable, "-c", script.format(loader=loader.split(", ")[-1])],
                capture_output=True, text=True, check=True,
                cwd=Path(__file__).resolve().parents[1],
            )  # fmt: skip
            samples[loader].append(tuple(float(x) for x in out.stdout.split()))
    for loader, rows in samples.items():
        imp, load, rss = (statistics.median(col) for col in zip(*rows, strict=True))
        figures[loader] = (imp, load, rss)
        say(
            f"start-up, {loader}: import/create_app {imp:.2f} s, vocabulary + first lookup + typeahead "
            f"{load:.2f} s, maxrss {rss:,.0f} MB (median of {runs} fresh processes)"
        )
    for before, after in (("load_project", "load_default"), ("app, load_project", "app, active")):
        b, a = figures[before], figures[after]
        say(
            f"built-in taxonomy ({after}): {a[1] - b[1]:+.2f} s of start-up and "
            f"{a[2] - b[2]:+,.0f} MB of memory per process"
        )
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engine", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000", help="offer counts, comma-separated")
    parser.add_argument("--queries", type=int, default=100, help="timed rank calls per size")
    parser.add_argument("--batch", default="2000x20000", help="participants x offers from files")
    parser.add_argument("--feasible", default="10000x2500", help="participants x offers")
    parser.add_argument("--naive-subset", type=int, default=2000, help="offers in the naive loop")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--startup-runs", type=int, default=5, help="fresh processes per loader")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.queries, args.batch, args.naive_subset = "1000,5000", 30, "200x2000", 500
        args.feasible = "1000x500"
    sizes = [int(s) for s in args.sizes.split(",") if s]
    n_people, n_offers = (int(x) for x in args.batch.lower().split("x"))

    def say(line: str) -> None:
        print(line, flush=True)

    from matcher.vocab import Vocabulary

    bench_startup(say, 2 if args.quick else args.startup_runs)
    vocabulary = Vocabulary.load_default()
    say(f"vocabulary: {len(vocabulary):,} concepts (project + built-in JobTech taxonomy)")
    say(
        f"benchmarks.engine: sizes {sizes}, {args.queries} queries each, python {sys.version.split()[0]}"
    )
    results = bench_sizes(vocabulary, sizes, args.queries, say)
    largest = results[max(sizes)]
    bench_naive(vocabulary, largest, min(args.naive_subset, max(sizes)), say)
    for r in results.values():  # free the data before the batch run
        r.pop("offers", None)
        r.pop("people", None)
    bench_batch(vocabulary, n_people, n_offers, say)
    f_people, f_offers = (int(x) for x in args.feasible.lower().split("x"))
    bench_feasible(vocabulary, f_people, f_offers, say)
    say(f"peak memory (maxrss): {_peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
